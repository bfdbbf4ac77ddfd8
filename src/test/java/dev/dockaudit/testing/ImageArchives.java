package dev.dockaudit.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;

/**
 * Builds small, valid {@code docker save} archives and OCI image layouts around layer tars, with hooks to
 * break exactly one thing (manifest, config, a layer path, a media type) for bad-input tests.
 */
public final class ImageArchives {
    private ImageArchives() {
    }

    public static final String LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    public static final String LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";

    /** The uncompressed tar inside a layer blob (gzip undone), to compute the diff_id independently. */
    public static byte[] uncompressed(byte[] blob) {
        if (blob.length >= 2 && (blob[0] & 0xff) == 0x1f && (blob[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(blob))) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (blob.length >= 4 && (blob[0] & 0xff) == 0x28 && (blob[1] & 0xff) == 0xb5) {
            try (InputStream in = new io.airlift.compress.zstd.ZstdInputStream(new ByteArrayInputStream(blob))) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return blob;
    }

    /** A minimal image config naming these diff_ids, one history entry per layer. */
    public static String config(List<String> diffIds) {
        StringBuilder ids = new StringBuilder();
        StringBuilder history = new StringBuilder();
        for (int i = 0; i < diffIds.size(); i++) {
            ids.append(i == 0 ? "" : ",").append('"').append(diffIds.get(i)).append('"');
            history.append(i == 0 ? "" : ",").append("{\"created\":\"2024-01-01T00:00:00Z\",\"created_by\":\"layer ")
                    .append(i).append("\"}");
        }
        return "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-01T00:00:00Z\","
                + "\"config\":{\"Env\":[\"PATH=/usr/bin:/bin\"],\"Cmd\":[\"/bin/sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + ids + "]},\"history\":[" + history + "]}";
    }

    public static List<String> diffIds(List<byte[]> blobs) {
        List<String> out = new ArrayList<>();
        for (byte[] b : blobs) {
            out.add(TarBuilder.sha256(uncompressed(b)));
        }
        return out;
    }

    public static DockerSave dockerSave(byte[]... layers) {
        return new DockerSave(List.of(layers));
    }

    public static OciLayout oci(byte[]... layers) {
        return new OciLayout(List.of(layers));
    }

    /** A legacy {@code docker save} archive: {@code <id>/layer.tar}, {@code <config-hex>.json}, {@code manifest.json}. */
    public static final class DockerSave {
        private final List<byte[]> layers;
        private String config;
        private UnaryOperator<String> configEdit = s -> s;
        private List<String> layerPaths;
        private String manifest;
        private String repoTag = "test/image:1";
        private Consumer<TarBuilder> extra = t -> { };

        DockerSave(List<byte[]> layers) {
            this.layers = layers;
        }

        /** Replaces the config (written under the digest of the replacement, so only its content is wrong). */
        public DockerSave config(String json) {
            config = json;
            return this;
        }

        /** Changes the config after it was generated. */
        public DockerSave editConfig(UnaryOperator<String> edit) {
            configEdit = edit;
            return this;
        }

        /** What manifest.json's Layers list names (default: where the layers are stored). */
        public DockerSave layerPaths(String... paths) {
            layerPaths = List.of(paths);
            return this;
        }

        public DockerSave manifest(String json) {
            manifest = json;
            return this;
        }

        public DockerSave extra(Consumer<TarBuilder> more) {
            extra = more;
            return this;
        }

        public String configJson() {
            return configEdit.apply(config != null ? config : ImageArchives.config(diffIds(layers)));
        }

        public String configName() {
            return TarBuilder.sha256(configJson().getBytes(StandardCharsets.UTF_8)).substring(7) + ".json";
        }

        public TarBuilder tarBuilder() {
            TarBuilder t = TarBuilder.tar();
            List<String> stored = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                String id = String.format("%064x", i + 1);
                t.dir(id);
                t.file(id + "/VERSION", "1.0");
                t.file(id + "/layer.tar", layers.get(i));
                stored.add(id + "/layer.tar");
            }
            String cfg = configJson();
            t.file(configName(), cfg);
            List<String> named = layerPaths != null ? layerPaths : stored;
            StringBuilder ls = new StringBuilder();
            for (int i = 0; i < named.size(); i++) {
                ls.append(i == 0 ? "" : ",").append('"').append(named.get(i)).append('"');
            }
            t.file("manifest.json", manifest != null ? manifest
                    : "[{\"Config\":\"" + configName() + "\",\"RepoTags\":[\"" + repoTag + "\"],\"Layers\":[" + ls + "]}]");
            extra.accept(t);
            return t;
        }

        public byte[] bytes() {
            return tarBuilder().bytes();
        }
    }

    /** An OCI image layout as one tar: {@code oci-layout}, {@code index.json}, {@code blobs/sha256/*}. */
    public static final class OciLayout {
        private final List<byte[]> layers;
        private final List<String> mediaTypes = new ArrayList<>();
        private UnaryOperator<String> manifestEdit = s -> s;
        private UnaryOperator<String> indexEdit = s -> s;
        private String config;

        OciLayout(List<byte[]> layers) {
            this.layers = layers;
            for (byte[] l : layers) {
                byte[] u = uncompressed(l);
                mediaTypes.add(u == l ? LAYER_TAR : (l[0] & 0xff) == 0x1f ? LAYER_GZIP : LAYER_ZSTD);
            }
        }

        public OciLayout mediaType(int layer, String type) {
            mediaTypes.set(layer, type);
            return this;
        }

        public OciLayout config(String json) {
            config = json;
            return this;
        }

        public OciLayout editManifest(UnaryOperator<String> edit) {
            manifestEdit = edit;
            return this;
        }

        public OciLayout editIndex(UnaryOperator<String> edit) {
            indexEdit = edit;
            return this;
        }

        public String configJson() {
            return config != null ? config : ImageArchives.config(diffIds(layers));
        }

        public String manifestJson() {
            byte[] cfg = configJson().getBytes(StandardCharsets.UTF_8);
            StringBuilder ls = new StringBuilder();
            for (int i = 0; i < layers.size(); i++) {
                ls.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(mediaTypes.get(i)).append("\",\"digest\":\"")
                        .append(TarBuilder.sha256(layers.get(i))).append("\",\"size\":").append(layers.get(i).length).append('}');
            }
            return manifestEdit.apply("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                    + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                    + TarBuilder.sha256(cfg) + "\",\"size\":" + cfg.length + "},\"layers\":[" + ls + "]}");
        }

        public String indexJson() {
            byte[] m = manifestJson().getBytes(StandardCharsets.UTF_8);
            return indexEdit.apply("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                    + "\"digest\":\"" + TarBuilder.sha256(m) + "\",\"size\":" + m.length
                    + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"1\"},"
                    + "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}");
        }

        public TarBuilder tarBuilder() {
            TarBuilder t = TarBuilder.tar();
            t.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
            t.file("index.json", indexJson());
            t.dir("blobs").dir("blobs/sha256");
            byte[] m = manifestJson().getBytes(StandardCharsets.UTF_8);
            t.file("blobs/sha256/" + TarBuilder.sha256(m).substring(7), m);
            byte[] cfg = configJson().getBytes(StandardCharsets.UTF_8);
            t.file("blobs/sha256/" + TarBuilder.sha256(cfg).substring(7), cfg);
            for (byte[] l : layers) {
                t.file("blobs/sha256/" + TarBuilder.sha256(l).substring(7), l);
            }
            return t;
        }

        public byte[] bytes() {
            return tarBuilder().bytes();
        }
    }
}
