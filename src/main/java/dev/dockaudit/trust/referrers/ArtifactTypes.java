package dev.dockaudit.trust.referrers;

import java.util.Locale;

/** The artifact types attached to images today, and how to name them for people. */
public final class ArtifactTypes {
    public static final String NOTATION_SIGNATURE = "application/vnd.cncf.notary.signature";
    public static final String COSIGN_SIGNATURE = "application/vnd.dev.cosign.artifact.sig.v1+json";
    public static final String COSIGN_ATTESTATION = "application/vnd.dev.cosign.artifact.att.v1+json";
    public static final String SIGSTORE_BUNDLE = "application/vnd.dev.sigstore.bundle";
    public static final String CYCLONEDX = "application/vnd.cyclonedx";
    public static final String SPDX = "application/spdx";
    public static final String IN_TOTO = "application/vnd.in-toto";
    public static final String DSSE = "application/vnd.dsse.envelope";
    /** The OCI 1.1 empty descriptor, the config of most artifacts that have no config of their own. */
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

    private ArtifactTypes() {
    }

    /**
     * A reader's name for an artifact type (also given a layer media type or annotations when the type is vague):
     * "Notation signature", "cosign signature", "SBOM (CycloneDX)", "SBOM (SPDX)", "provenance (SLSA)",
     * "in-toto attestation", "vulnerability report", "sigstore bundle", or "artifact".
     */
    public static String kind(String artifactType, String predicateType) {
        String t = artifactType == null ? "" : artifactType.toLowerCase(Locale.ROOT);
        String p = predicateType == null ? "" : predicateType.toLowerCase(Locale.ROOT);
        if (t.equals(NOTATION_SIGNATURE)) {
            return "Notation signature";
        }
        if (t.equals(COSIGN_SIGNATURE)) {
            return "cosign signature";
        }
        if (p.contains("slsa.dev/provenance") || t.contains("slsa") || t.contains("provenance")) {
            return "provenance (SLSA)";
        }
        if (p.contains("cyclonedx") || t.startsWith(CYCLONEDX)) {
            return p.contains("vex") || t.contains("vex") ? "vulnerability report" : "SBOM (CycloneDX)";
        }
        if (p.contains("spdx") || t.startsWith(SPDX) || t.contains("spdx")) {
            return "SBOM (SPDX)";
        }
        if (p.contains("vuln") || p.contains("openvex") || t.contains("vuln") || t.contains("openvex")
                || t.contains("sarif") || t.contains("trivy") || t.contains("grype")) {
            return "vulnerability report";
        }
        if (t.startsWith(SIGSTORE_BUNDLE)) {
            return "sigstore bundle";
        }
        if (t.startsWith(IN_TOTO) || t.startsWith(DSSE) || t.equals(COSIGN_ATTESTATION)) {
            return "in-toto attestation";
        }
        return "artifact";
    }
}
