package dev.dockaudit.trust.model;

import java.util.Map;

/** An artifact attached to the image through the OCI referrers API (or its tag-schema fallback). */
public record Referrer(String digest, String artifactType, String mediaType, Map<String, String> annotations,
                       Boolean verified, String problem) {
}
