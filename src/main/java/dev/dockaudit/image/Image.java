package dev.dockaudit.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.util.Digest;
import java.util.List;

/**
 * An image as a source delivered it, every declared digest next to the digest we computed.
 *
 * @param reference           what the user asked for
 * @param source              the transport the image came from: docker-archive, oci, oci-archive, docker-daemon, docker, rootfs
 * @param configDigest        the digest of the config bytes we read (the image ID); null without a config
 * @param expectedConfigDigest what the manifest (or daemon, or archive) says the config digest is
 * @param manifestDigest      the digest of the manifest bytes we read; null where there is no OCI/Docker manifest
 * @param expectedManifestDigest the digest the manifest must have: from a by-digest reference, an index, or a registry header
 * @param expectedManifestSource where {@code expectedManifestDigest} came from, for messages
 */
public record Image(ImageReference reference, String source, String displayName,
                    Digest configDigest, Digest expectedConfigDigest, byte[] configBytes, JsonNode config,
                    Digest manifestDigest, Digest expectedManifestDigest, String expectedManifestSource,
                    String manifestMediaType, List<String> repoTags, List<String> repoDigests, Platform platform,
                    List<Layer> layers, List<HistoryEntry> history, List<String> notes) {

    public boolean hasConfig() {
        return config != null;
    }

    /** Collects an image's parts as a source reads them; sources differ in the order they learn things. */
    public static final class Builder {
        private final ImageReference reference;
        private final String source;
        private String displayName;
        private Digest configDigest;
        private Digest expectedConfigDigest;
        private byte[] configBytes;
        private JsonNode config;
        private Digest manifestDigest;
        private Digest expectedManifestDigest;
        private String expectedManifestSource;
        private String manifestMediaType;
        private List<String> repoTags = List.of();
        private List<String> repoDigests = List.of();
        private Platform platform;
        private List<Layer> layers = List.of();
        private List<HistoryEntry> history = List.of();
        private final java.util.ArrayList<String> notes = new java.util.ArrayList<>();

        public Builder(ImageReference reference, String source) {
            this.reference = reference;
            this.source = source;
            this.displayName = reference.toString();
        }

        public Builder displayName(String v) {
            displayName = v;
            return this;
        }

        /** The config as read, its computed digest, and what it was expected to be. */
        public Builder config(byte[] bytes, JsonNode parsed, Digest expected) {
            configBytes = bytes;
            config = parsed;
            configDigest = Digest.sha256(bytes);
            expectedConfigDigest = expected;
            platform = ImageConfigs.platform(parsed);
            history = ImageConfigs.history(parsed);
            return this;
        }

        public Builder manifest(byte[] bytes, String mediaType, Digest expected, String expectedFrom) {
            manifestDigest = Digest.sha256(bytes);
            manifestMediaType = mediaType;
            expectedManifestDigest = expected;
            expectedManifestSource = expectedFrom;
            return this;
        }

        public Builder repoTags(List<String> v) {
            repoTags = List.copyOf(v);
            return this;
        }

        public Builder repoDigests(List<String> v) {
            repoDigests = List.copyOf(v);
            return this;
        }

        public Builder platform(Platform v) {
            platform = v;
            return this;
        }

        public Builder layers(List<Layer> v) {
            layers = List.copyOf(v);
            return this;
        }

        public Builder note(String v) {
            notes.add(v);
            return this;
        }

        public JsonNode config() {
            return config;
        }

        public Image build() {
            return new Image(reference, source, displayName, configDigest, expectedConfigDigest, configBytes, config,
                    manifestDigest, expectedManifestDigest, expectedManifestSource, manifestMediaType, repoTags,
                    repoDigests, platform, layers, history, List.copyOf(notes));
        }
    }
}
