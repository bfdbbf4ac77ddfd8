package dev.dockaudit.trust;

import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;
import dev.dockaudit.trust.model.CosignSignature;
import dev.dockaudit.trust.model.NotaryResult;
import dev.dockaudit.trust.model.Referrer;
import java.util.ArrayList;
import java.util.List;

/**
 * Findings about cosign and Notation signatures: a signature that fails verification, and, with
 * {@code --require-signature}, an image that no verified signature of any kind covers.
 */
public final class SignatureFindings {
    public static final String COSIGN_INVALID = "TRUST-COSIGN-INVALID";
    public static final String NOTATION_INVALID = "TRUST-NOTATION-INVALID";
    public static final String UNSIGNED = "TRUST-NO-VERIFIED-SIGNATURE";

    private SignatureFindings() {
    }

    /**
     * @param cosignChecked   whether a key or trust root was given (without one, signatures are only listed)
     * @param notationChecked whether a Notation trust store was given
     */
    public static List<Finding> of(List<CosignSignature> cosign, List<Referrer> referrers, boolean cosignChecked,
                                   boolean notationChecked) {
        List<Finding> out = new ArrayList<>();
        if (cosignChecked) {
            for (CosignSignature s : cosign) {
                if (!s.verified()) {
                    out.add(Finding.builder(COSIGN_INVALID, Category.TRUST, Severity.HIGH,
                                    "cosign signature does not verify")
                            .description("The cosign signature at " + s.signatureTag() + " does not verify with the key or"
                                    + " trust root given: " + s.problem() + ".")
                            .evidence(s.signatureTag() + ": " + s.problem())
                            .remediation("Do not deploy the image until it is signed again by a key you trust; if the"
                                    + " signature should verify, check --key / --trust-root and the expected identity")
                            .build());
                }
            }
        }
        if (notationChecked) {
            for (Referrer r : referrers) {
                if (Boolean.FALSE.equals(r.verified())) {
                    out.add(Finding.builder(NOTATION_INVALID, Category.TRUST, Severity.HIGH,
                                    "Notation signature does not verify")
                            .description("The Notation signature " + r.digest() + " attached to the image does not verify"
                                    + " against the trust store: " + r.problem() + ".")
                            .evidence(r.digest() + ": " + r.problem())
                            .remediation("Sign the image again with a certificate the trust store trusts, or fix the trust store")
                            .build());
                }
            }
        }
        return out;
    }

    /** Whether any signature of any kind verified: notary data, a cosign signature, or a Notation signature. */
    public static boolean anyVerified(NotaryResult notary, List<CosignSignature> cosign, List<Referrer> referrers) {
        if (notary != null && notary.verified() && !notary.signedTags().isEmpty()) {
            return true;
        }
        return cosign.stream().anyMatch(CosignSignature::verified)
                || referrers.stream().anyMatch(r -> Boolean.TRUE.equals(r.verified()));
    }

    public static Finding missing(String image) {
        return Finding.builder(UNSIGNED, Category.TRUST, Severity.HIGH, "no verified signature covers the image")
                .description("--require-signature (or DOCKER_CONTENT_TRUST=1) asks for a signature, but neither Docker"
                        + " Content Trust, cosign nor Notation gives a verified one for " + image + ".")
                .evidence(image)
                .remediation("Sign the image (docker trust sign, cosign sign, notation sign) and give dockaudit the key"
                        + " or trust root to verify it with")
                .build();
    }
}
