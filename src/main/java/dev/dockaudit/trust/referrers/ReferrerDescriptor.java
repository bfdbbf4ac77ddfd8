package dev.dockaudit.trust.referrers;

import dev.dockaudit.util.Digest;
import java.util.Map;

/** One entry of a referrers index: a manifest that names the image as its subject. */
public record ReferrerDescriptor(String mediaType, Digest digest, long size, String artifactType,
                                 Map<String, String> annotations) {
    public ReferrerDescriptor {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }
}
