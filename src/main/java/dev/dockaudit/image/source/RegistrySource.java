package dev.dockaudit.image.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.image.Descriptor;
import dev.dockaudit.image.DockerName;
import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageConfigs;
import dev.dockaudit.image.ImageConfigs.LayerInput;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.MediaTypes;
import dev.dockaudit.image.Platform;
import dev.dockaudit.image.layer.LayerScan;
import dev.dockaudit.image.layer.LayerScanner;
import dev.dockaudit.registry.RegistryClient;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.HashingInputStream;
import dev.dockaudit.util.Json;
import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code docker://}: pulls the manifest (choosing a platform from an index), the config and each layer from
 * an OCI distribution registry, streaming every layer through the scanner once, never to disk.
 */
public final class RegistrySource implements ImageSource {
    private final ImageReference reference;
    private final DockerName name;
    private final RegistryClient client;
    private final Platform platform;

    public RegistrySource(ImageReference reference, DockerName name, RegistryClient client, Platform platform) {
        this.reference = reference;
        this.name = name;
        this.client = client;
        this.platform = platform;
    }

    @Override
    public Image read(LayerScanner scanner) throws IOException {
        RegistryClient.Manifest top = client.getManifest(name, name.reference());
        Digest topExpected = name.digest() != null ? name.digest() : top.headerDigest();
        String topSource = name.digest() != null ? "the reference" : "the registry's Docker-Content-Digest header";
        Image.Builder b = new Image.Builder(reference, "docker").displayName(name.familiar());
        b.repoTags(name.tag() != null ? List.of(name.familiar().replaceFirst("@.*$", "")) : List.of());
        // Like docker, the repo digest is the digest of what the tag points at: the index for multi-platform images.
        b.repoDigests(List.of(repoWithoutTag() + "@" + top.digest()));

        RegistryClient.Manifest manifest = top;
        Digest expected = topExpected;
        String expectedSource = topSource;
        if (topExpected != null && !topExpected.equals(top.digest())) {
            // Checked before anything in the bytes is believed, the media type included: tampered bytes may not be
            // an index or a manifest, or JSON at all, and must still end as INT-MANIFEST-DIGEST (exit 1).
            if (MediaTypes.isIndex(top.mediaType())) {
                b.note("the image index served for " + name.familiar() + " has digest " + top.digest() + " but "
                        + topSource + " says " + topExpected);
            }
            b.manifest(top.bytes(), top.mediaType(), topExpected, topSource);
            return b.build();
        }
        if (MediaTypes.isIndex(top.mediaType())) {
            Descriptor chosen = choosePlatform(top.json("the image index of " + name.familiar()));
            manifest = client.getManifest(name, chosen.digest().toString());
            expected = chosen.digest();
            expectedSource = "the image index";
        } else if (!MediaTypes.isManifest(top.mediaType())) {
            throw new UserError(name.familiar() + " is served as '" + top.mediaType() + "'; dockaudit reads OCI and Docker"
                    + " schema 2 images (schema 1 was removed from Docker 20.10 and later; re-push the image)");
        }
        b.manifest(manifest.bytes(), manifest.mediaType(), expected, expectedSource);
        if (expected != null && !expected.equals(manifest.digest())) {
            // A tampered manifest cannot be trusted to name the right config and layers: stop here, the detector reports it.
            return b.build();
        }
        JsonNode m = manifest.json("the manifest of " + name.familiar());
        if (m.has("manifests")) {
            throw new UserError("the registry served an index where " + expectedSource + " promised an image manifest for "
                    + name.familiar() + "; nested indexes are not supported");
        }
        Descriptor configDesc = Descriptor.fromJson(m.get("config"), "the manifest's config");
        byte[] configBytes = client.getSmallBlob(name, configDesc.digest(), 16 << 20, "the image config");
        JsonNode config;
        try {
            config = Json.parse(configBytes, "the image config of " + name.familiar());
        } catch (UserError notJson) {
            if (Digest.sha256(configBytes).equals(configDesc.digest())) {
                throw notJson; // what was pushed is broken: bad input
            }
            // Bytes that fail the config digest were tampered with or damaged; a flipped byte in the JSON's
            // structure used to end the audit as "corrupt" (exit 2). Go on without a config, so the detector
            // reports INT-CONFIG-DIGEST (exit 1) and the layers are still checked against the manifest.
            config = null;
        }
        b.config(configBytes, config, configDesc.digest());
        List<Descriptor> layers = LayoutReader.layerDescriptors(m, manifest.digest().toString());
        List<LayerInput> inputs = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Descriptor d = layers.get(i);
            String label = "layer " + i + " (" + d.digest() + ") of " + name.familiar();
            LayerScan scan;
            try (InputStream in = client.openBlob(name, d.digest())) {
                // At most one byte past the size the verified manifest declares: a registry that streamed a layer
                // without end used to be read forever (the idle timeout never fires while bytes flow). The extra
                // byte makes an oversized blob fail its digest and size checks.
                scan = scanner.scan(d.size() >= 0 ? new AtMost(in, d.size() + 1) : in, label);
            } catch (HashingInputStream.SizeLimitException e) {
                throw new UserError(e.getMessage());
            } catch (UserError e) {
                throw e;
            } catch (IOException e) {
                throw RegistryClient.network(name.registry(), e);
            }
            inputs.add(new LayerInput(d.mediaType(), d.digest(), d.size(), name.registry() + "/" + name.repository()
                    + "@" + d.digest(), scan));
        }
        b.layers(ImageConfigs.assemble(inputs, config, "the image config of " + name.familiar()));
        return b.build();
    }

    /** Ends the stream after {@code limit} bytes, as if the blob ended there. */
    private static final class AtMost extends java.io.FilterInputStream {
        private long left;

        AtMost(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, left));
            left -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), left);
        }
    }

    private String repoWithoutTag() {
        DockerName bare = new DockerName(name.registry(), name.repository(), null, null);
        return bare.familiar();
    }

    private Descriptor choosePlatform(JsonNode index) {
        List<Descriptor> candidates = new ArrayList<>();
        for (JsonNode n : index.path("manifests")) {
            Descriptor d = Descriptor.fromJson(n, "the image index entry");
            if ("attestation-manifest".equals(d.annotations().get("vnd.docker.reference.type"))
                    || (d.platform() != null && "unknown".equals(d.platform().os()))) {
                continue;
            }
            candidates.add(d);
        }
        Platform want = platform != null ? platform : Platform.host();
        for (Descriptor d : candidates) {
            if (want.accepts(d.platform())) {
                return d;
            }
        }
        throw new UserError(name.familiar() + " has no image for platform " + want + "; it has "
                + LayoutReader.platforms(candidates) + " (choose with --platform)");
    }
}
