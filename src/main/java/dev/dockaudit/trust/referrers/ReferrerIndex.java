package dev.dockaudit.trust.referrers;

import java.util.List;

/**
 * The referrers of one image manifest, as the registry lists them.
 *
 * @param source where the list came from; {@link Source#NONE} when the registry has neither the API nor the tag
 * @param note   one sentence for the report: how the list was found, or why there is none, or what was cut short
 * @param error  non-null when the registry's answer could not be used (not an index, malformed entries): the
 *               list is then empty and this says what was wrong
 */
public record ReferrerIndex(List<ReferrerDescriptor> descriptors, Source source, String note, String error) {
    public ReferrerIndex {
        descriptors = List.copyOf(descriptors);
    }

    /** How the referrers were found. */
    public enum Source {
        /** OCI 1.1 {@code GET /v2/<name>/referrers/<digest>}. */
        REFERRERS_API,
        /** The fallback tag {@code <alg>-<hex>} holding an image index, for registries without the API. */
        TAG_SCHEMA,
        /** Neither: the registry has no referrers API and no fallback tag for this digest. */
        NONE
    }
}
