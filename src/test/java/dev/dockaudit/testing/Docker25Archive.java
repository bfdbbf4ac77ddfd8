package dev.dockaudit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rewrites a real {@code docker save} archive from Docker 20.10 (the daemon we have) into the layout Docker 25 and
 * later write, byte for byte as moby's {@code image/tarexport/save.go} does: every file under
 * {@code blobs/sha256/} named by its digest (image configs, uncompressed layer tars named by their diff_id, the
 * legacy v1 layer JSONs, and one OCI manifest per image), an {@code index.json} with one entry per tag annotated
 * {@code io.containerd.image.name} (the full name) and {@code org.opencontainers.image.ref.name} (the tag only),
 * {@code manifest.json} whose Config and Layers are {@code blobs/sha256/<hex>} paths, {@code oci-layout} and
 * {@code repositories}. Entries are in the order Go's archive.Tar walks the folder (lexical).
 */
public final class Docker25Archive {
    /** What was written: per image (in manifest.json order) its OCI manifest digest and bytes. */
    public record Result(Path path, List<String> manifestDigests, List<byte[]> manifests) {
    }

    /** Compact, as Go's encoding/json writes (the shared mapper indents). */
    private static final com.fasterxml.jackson.databind.ObjectWriter GO = Json.MAPPER.writer()
            .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    private Docker25Archive() {
    }

    /**
     * @param layersInManifest false reproduces Docker 25.0.0, whose OCI manifests listed no layers (moby#47065)
     */
    public static Result fromLegacySave(Path legacy, Path out, boolean layersInManifest) throws IOException {
        Map<String, byte[]> files = Tars.files(legacy);
        JsonNode legacyManifest = Json.parse(files.get("manifest.json"), "legacy manifest.json");
        Map<String, byte[]> blobs = new TreeMap<>();
        ArrayNode manifestJson = Json.MAPPER.createArrayNode();
        ObjectNode repositories = Json.MAPPER.createObjectNode();
        List<ObjectNode> indexEntries = new ArrayList<>();
        List<String> manifestDigests = new ArrayList<>();
        List<byte[]> manifests = new ArrayList<>();

        for (JsonNode image : legacyManifest) {
            byte[] config = files.get(image.get("Config").asText());
            String configHex = Tars.sha256Hex(config);
            blobs.put(configHex, config);

            ObjectNode m = Json.MAPPER.createObjectNode();
            m.put("schemaVersion", 2);
            m.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
            ObjectNode cd = m.putObject("config");
            cd.put("mediaType", "application/vnd.oci.image.config.v1+json");
            cd.put("digest", "sha256:" + configHex);
            cd.put("size", config.length);
            ArrayNode layerDescs = m.putArray("layers");

            ObjectNode item = Json.MAPPER.createObjectNode();
            item.put("Config", "blobs/sha256/" + configHex);
            ArrayNode repoTags = item.putArray("RepoTags");
            image.path("RepoTags").forEach(t -> repoTags.add(t.asText()));
            ArrayNode layers = item.putArray("Layers");
            String topHex = null;
            for (JsonNode lp : image.get("Layers")) {
                String path = lp.asText();
                byte[] layer = files.get(path);
                String hex = Tars.sha256Hex(layer);
                blobs.put(hex, layer);
                // save.go also writes each layer's legacy v1 JSON as a blob named by its digest.
                byte[] v1 = files.get(path.substring(0, path.lastIndexOf('/')) + "/json");
                if (v1 != null) {
                    blobs.put(Tars.sha256Hex(v1), v1);
                }
                layers.add("blobs/sha256/" + hex);
                if (layersInManifest) {
                    ObjectNode ld = layerDescs.addObject();
                    ld.put("mediaType", "application/vnd.oci.image.layer.v1.tar");
                    ld.put("digest", "sha256:" + hex);
                    ld.put("size", layer.length);
                }
                topHex = hex;
            }
            manifestJson.add(item);

            byte[] manifestBytes = GO.writeValueAsBytes(m);
            String manifestHex = Tars.sha256Hex(manifestBytes);
            blobs.put(manifestHex, manifestBytes);
            manifestDigests.add("sha256:" + manifestHex);
            manifests.add(manifestBytes);

            for (JsonNode t : image.path("RepoTags")) {
                String tag = t.asText();
                int colon = tag.lastIndexOf(':');
                String repo = tag.substring(0, colon);
                ObjectNode tags = repositories.has(repo) ? (ObjectNode) repositories.get(repo) : repositories.putObject(repo);
                tags.put(tag.substring(colon + 1), topHex);
                ObjectNode d = Json.MAPPER.createObjectNode();
                d.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
                d.put("digest", "sha256:" + manifestHex);
                d.put("size", manifestBytes.length);
                ObjectNode ann = d.putObject("annotations");
                ann.put("io.containerd.image.name", fullName(tag));
                ann.put("org.opencontainers.image.ref.name", tag.substring(colon + 1));
                indexEntries.add(d);
            }
        }

        ObjectNode index = Json.MAPPER.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", "application/vnd.oci.image.index.v1+json");
        index.putArray("manifests").addAll(indexEntries);

        List<Tars.Entry> entries = new ArrayList<>();
        entries.add(Tars.Entry.dir("blobs"));
        entries.add(Tars.Entry.dir("blobs/sha256"));
        blobs.forEach((hex, data) -> entries.add(new Tars.Entry("blobs/sha256/" + hex, data)));
        entries.add(new Tars.Entry("index.json", GO.writeValueAsBytes(index)));
        // json.Encoder ends what it writes with a newline; json.Marshal (index.json) does not.
        entries.add(new Tars.Entry("manifest.json", (GO.writeValueAsString(manifestJson) + "\n")
                .getBytes(StandardCharsets.UTF_8)));
        entries.add(new Tars.Entry("oci-layout", "{\"imageLayoutVersion\": \"1.0.0\"}".getBytes(StandardCharsets.UTF_8)));
        entries.add(new Tars.Entry("repositories", (GO.writeValueAsString(repositories) + "\n")
                .getBytes(StandardCharsets.UTF_8)));
        Tars.write(out, entries);
        return new Result(out, manifestDigests, manifests);
    }

    /** reference.String() of a familiar docker name: docker.io/ added, library/ for single-component names. */
    static String fullName(String familiar) {
        String first = familiar.substring(0, Math.max(0, familiar.indexOf('/')));
        boolean hasRegistry = first.contains(".") || first.contains(":") || first.equals("localhost");
        if (hasRegistry) {
            return familiar;
        }
        return "docker.io/" + (familiar.contains("/") ? familiar : "library/" + familiar);
    }
}
