package dev.dockaudit.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import dev.dockaudit.util.UserError;
import java.util.LinkedHashMap;
import java.util.Map;

/** An OCI content descriptor: what a manifest or index says about a blob it points at. */
public record Descriptor(String mediaType, Digest digest, long size, Platform platform, Map<String, String> annotations) {

    /** Reads a descriptor from untrusted JSON; {@code where} names it for the error message. */
    public static Descriptor fromJson(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new UserError(where + " is not a descriptor object; the manifest is corrupt");
        }
        Digest digest;
        try {
            digest = Digest.parse(Json.text(node, "digest"));
        } catch (IllegalArgumentException e) {
            throw new UserError(where + " has a bad digest: " + e.getMessage() + "; the manifest is corrupt");
        }
        JsonNode size = node.get("size");
        Map<String, String> annotations = new LinkedHashMap<>();
        JsonNode ann = node.get("annotations");
        if (ann != null && ann.isObject()) {
            ann.fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        }
        return new Descriptor(Json.text(node, "mediaType"), digest,
                size != null && size.canConvertToLong() ? size.asLong() : -1,
                Platform.fromJson(node.get("platform")), annotations);
    }

    public String refName() {
        return annotations.get("org.opencontainers.image.ref.name");
    }
}
