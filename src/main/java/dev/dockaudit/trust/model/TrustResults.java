package dev.dockaudit.trust.model;

import java.util.List;

/**
 * What the trust audit found, in the JSON report's {@code trust} shape (DESIGN.md): Docker Content Trust
 * (Notary v1) data for the repository, cosign signatures, and OCI referrers (signatures, SBOMs, attestations).
 *
 * @param notary    null when no notary data was looked up or none exists
 */
public record TrustResults(NotaryResult notary, List<CosignSignature> cosign, List<Referrer> referrers) {
    public TrustResults {
        cosign = cosign == null ? List.of() : List.copyOf(cosign);
        referrers = referrers == null ? List.of() : List.copyOf(referrers);
    }

    public static final TrustResults NONE = new TrustResults(null, List.of(), List.of());
}
