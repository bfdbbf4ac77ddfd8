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
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Interprets the two layouts an image can be stored in: {@code docker save}'s {@code manifest.json}
 * (Docker 25+ writes an OCI layout beside it) and the OCI image layout's {@code index.json}.
 */
final class LayoutReader {
    private final BlobStore store;
    private final ImageReference reference;
    private final String ref;
    private final Platform requested;
    private final LayerScanner scanner;

    LayoutReader(BlobStore store, ImageReference reference, Platform requested, LayerScanner scanner) {
        this.store = store;
        this.reference = reference;
        this.ref = reference.ref();
        this.requested = requested;
        this.scanner = scanner;
    }

    boolean isDockerSave() {
        return store.exists("manifest.json");
    }

    Image read(String source) throws IOException {
        if (isDockerSave()) {
            return readDockerSave(source);
        }
        if (store.exists("index.json")) {
            return readOci(source);
        }
        throw new UserError(store.describe() + " has neither manifest.json nor index.json, so it is not a docker save"
                + " archive or an OCI layout; for a plain directory use rootfs:DIR");
    }

    // ---- docker save ----

    private Image readDockerSave(String source) throws IOException {
        JsonNode manifest = Json.parse(store.readSmall("manifest.json", "manifest.json"), "manifest.json of " + store.describe());
        if (!manifest.isArray() || manifest.isEmpty()) {
            throw new UserError("manifest.json of " + store.describe() + " lists no image; the archive is corrupt");
        }
        JsonNode entry = selectSaved(manifest);
        String configPath = Json.text(entry, "Config");
        if (configPath == null) {
            throw new UserError("manifest.json of " + store.describe() + " names no Config; the archive is corrupt");
        }
        Image.Builder b = new Image.Builder(reference, source);
        byte[] configBytes = store.readSmall(configPath, "image config");
        JsonNode config = Json.parse(configBytes, "image config " + configPath);
        b.config(configBytes, config, digestFromPath(configPath));
        List<String> tags = new ArrayList<>();
        entry.path("RepoTags").forEach(t -> tags.add(t.asText()));
        b.repoTags(tags);
        if (!tags.isEmpty()) {
            b.displayName(tags.get(0));
        }

        List<Descriptor> ociLayers = store.exists("index.json") ? ociManifestFor(b) : null;
        JsonNode layerPaths = entry.path("Layers");
        if (!layerPaths.isArray()) {
            throw new UserError("manifest.json of " + store.describe() + " has no Layers list; the archive is corrupt");
        }
        List<LayerInput> inputs = new ArrayList<>();
        int i = 0;
        for (JsonNode p : layerPaths) {
            String path = p.asText();
            Descriptor d = ociLayers != null && i < ociLayers.size() ? ociLayers.get(i) : null;
            Digest declared = d != null ? d.digest() : digestFromPath(path);
            // the path comes from the archive: keep control characters off the user's terminal
            String label = "layer " + i + " (" + dev.dockaudit.image.layer.LayerPaths.printable(path) + ") of " + store.describe();
            LayerScan scan = store.scanLayer(path, label, scanner);
            inputs.add(new LayerInput(d != null ? d.mediaType() : null, declared, d != null ? d.size() : -1, path, scan));
            i++;
        }
        if (ociLayers != null && ociLayers.size() != inputs.size()) {
            b.note("the OCI manifest lists " + ociLayers.size() + " layers but manifest.json lists " + inputs.size());
        }
        b.layers(ImageConfigs.assemble(inputs, config, "image config " + configPath));
        return b.build();
    }

    private JsonNode selectSaved(JsonNode manifest) {
        if (ref == null) {
            if (manifest.size() > 1) {
                throw new UserError(store.describe() + " holds " + manifest.size() + " images (" + savedNames(manifest)
                        + "); pick one with " + transportForRef() + ":PATH:TAG or :@N");
            }
            return manifest.get(0);
        }
        if (ref.startsWith("@")) {
            try {
                int n = Integer.parseInt(ref.substring(1));
                if (n >= 0 && n < manifest.size()) {
                    return manifest.get(n);
                }
            } catch (NumberFormatException e) {
                // fall through to the error
            }
            throw new UserError(store.describe() + " has no image number " + ref.substring(1) + "; it holds "
                    + manifest.size() + " (" + savedNames(manifest) + ")");
        }
        String wanted = normalisedName(ref);
        for (JsonNode e : manifest) {
            for (JsonNode t : e.path("RepoTags")) {
                if (t.asText().equals(ref) || normalisedName(t.asText()).equals(wanted)) {
                    return e;
                }
            }
        }
        throw new UserError(store.describe() + " has no image tagged '" + ref + "'; it holds " + savedNames(manifest));
    }

    private static String normalisedName(String s) {
        try {
            return DockerName.parse(s).toString();
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String savedNames(JsonNode manifest) {
        List<String> names = new ArrayList<>();
        int i = 0;
        for (JsonNode e : manifest) {
            List<String> tags = new ArrayList<>();
            e.path("RepoTags").forEach(t -> tags.add(t.asText()));
            names.add("@" + i++ + (tags.isEmpty() ? " untagged" : " " + String.join(" ", tags)));
        }
        return String.join(", ", names);
    }

    /** Docker 25+ archives also carry an OCI index; the manifest whose config is ours gives the manifest digest and layer descriptors. */
    private List<Descriptor> ociManifestFor(Image.Builder b) throws IOException {
        JsonNode index = Json.parse(store.readSmall("index.json", "index.json"), "index.json of " + store.describe());
        Digest configDigest = Digest.sha256(b.build().configBytes());
        for (JsonNode m : index.path("manifests")) {
            Descriptor d = Descriptor.fromJson(m, "index.json manifest entry");
            if (!MediaTypes.isManifest(d.mediaType()) || !store.exists(blobPath(d.digest()))) {
                continue;
            }
            byte[] bytes = store.readSmall(blobPath(d.digest()), "manifest " + d.digest());
            JsonNode manifest = Json.parse(bytes, "manifest " + d.digest());
            Descriptor config = Descriptor.fromJson(manifest.get("config"), "manifest " + d.digest() + " config");
            if (config.digest().equals(configDigest)) {
                b.manifest(bytes, d.mediaType(), d.digest(), "index.json");
                return layerDescriptors(manifest, d.digest().toString());
            }
        }
        return null;
    }

    // ---- OCI layout ----

    private Image readOci(String source) throws IOException {
        JsonNode layout = store.exists("oci-layout")
                ? Json.parse(store.readSmall("oci-layout", "oci-layout"), "oci-layout of " + store.describe()) : null;
        if (layout != null && Json.text(layout, "imageLayoutVersion") != null
                && !Json.text(layout, "imageLayoutVersion").startsWith("1.")) {
            throw new UserError(store.describe() + " uses OCI layout version " + Json.text(layout, "imageLayoutVersion")
                    + ", which dockaudit does not know (it reads 1.x)");
        }
        JsonNode index = Json.parse(store.readSmall("index.json", "index.json"), "index.json of " + store.describe());
        Descriptor chosen = selectFromIndex(index, "index.json", true);
        Image.Builder b = new Image.Builder(reference, source);
        String name = chosen.annotations().getOrDefault("io.containerd.image.name", chosen.refName());
        if (name != null) {
            b.displayName(name);
            if (chosen.annotations().containsKey("io.containerd.image.name")) {
                b.repoTags(List.of(name));
            }
        }
        // Descend through nested indexes (an image index inside index.json) to one manifest.
        for (int depth = 0; ; depth++) {
            byte[] bytes = readBlob(chosen, "manifest");
            JsonNode doc = Json.parse(bytes, "manifest " + chosen.digest());
            String mediaType = chosen.mediaType() != null ? chosen.mediaType() : Json.text(doc, "mediaType");
            boolean isIndex = MediaTypes.isIndex(mediaType) || (mediaType == null && doc.has("manifests"));
            if (!isIndex) {
                b.manifest(bytes, mediaType, chosen.digest(), depth == 0 ? "index.json" : "the image index");
                return readManifest(b, doc, chosen.digest().toString());
            }
            if (depth >= 4) {
                throw new UserError(store.describe() + " nests image indexes too deeply; the layout is corrupt");
            }
            chosen = selectFromIndex(doc, "image index " + chosen.digest(), false);
        }
    }

    private Descriptor selectFromIndex(JsonNode index, String what, boolean topLevel) {
        List<Descriptor> all = new ArrayList<>();
        for (JsonNode m : index.path("manifests")) {
            Descriptor d = Descriptor.fromJson(m, what + " entry");
            if ("attestation-manifest".equals(d.annotations().get("vnd.docker.reference.type"))) {
                continue;
            }
            all.add(d);
        }
        if (all.isEmpty()) {
            throw new UserError(what + " of " + store.describe() + " lists no manifests; the layout is empty or corrupt");
        }
        List<Descriptor> candidates = all;
        if (topLevel && ref != null) {
            candidates = new ArrayList<>();
            for (Descriptor d : all) {
                String full = d.annotations().get("io.containerd.image.name");
                if (ref.equals(d.refName()) || ref.equals(full) || (full != null && full.endsWith(":" + ref))
                        || (full != null && normalisedName(ref).equals(normalisedName(full)))) {
                    candidates.add(d);
                }
            }
            if (candidates.isEmpty()) {
                throw new UserError(store.describe() + " has no image named '" + ref + "'; it holds " + refNames(all));
            }
        } else if (topLevel && distinctRefs(all) > 1) {
            throw new UserError(store.describe() + " holds several images (" + refNames(all) + "); pick one with "
                    + transportForRef() + ":PATH:REF");
        }
        if (candidates.size() == 1 && (requested == null || candidates.get(0).platform() == null)) {
            return candidates.get(0);
        }
        Platform want = requested != null ? requested : Platform.host();
        for (Descriptor d : candidates) {
            if (want.accepts(d.platform())) {
                return d;
            }
        }
        if (requested == null && candidates.size() == 1) {
            return candidates.get(0);
        }
        throw new UserError("no image for platform " + want + " in " + store.describe() + "; it has "
                + platforms(candidates) + " (choose with --platform)");
    }

    /**
     * The transport to suggest for picking one image. A bare path has none of its own ("path:" is no
     * transport), so name the one that reads this kind of layout and takes a :REF.
     */
    private String transportForRef() {
        if (reference.transport() != ImageReference.Transport.PATH) {
            return reference.transport().label;
        }
        if (store instanceof DirectoryBlobStore) {
            return ImageReference.Transport.OCI.label; // oci:DIR:REF reads unpacked docker save folders too
        }
        return (isDockerSave() ? ImageReference.Transport.DOCKER_ARCHIVE : ImageReference.Transport.OCI_ARCHIVE).label;
    }

    private static int distinctRefs(List<Descriptor> all) {
        return (int) all.stream().map(d -> String.valueOf(d.refName())).distinct().count();
    }

    static String platforms(List<Descriptor> ds) {
        List<String> out = new ArrayList<>();
        for (Descriptor d : ds) {
            out.add(d.platform() == null ? "unknown platform" : d.platform().toString());
        }
        return String.join(", ", out);
    }

    private static String refNames(List<Descriptor> all) {
        List<String> out = new ArrayList<>();
        for (Descriptor d : all) {
            out.add(d.refName() != null ? d.refName() : d.digest().toString());
        }
        return String.join(", ", out);
    }

    private Image readManifest(Image.Builder b, JsonNode manifest, String where) throws IOException {
        Descriptor configDesc = Descriptor.fromJson(manifest.get("config"), "manifest " + where + " config");
        byte[] configBytes = readBlob(configDesc, "image config");
        JsonNode config = Json.parse(configBytes, "image config " + configDesc.digest());
        b.config(configBytes, config, configDesc.digest());
        List<LayerInput> inputs = new ArrayList<>();
        List<Descriptor> layers = layerDescriptors(manifest, where);
        for (int i = 0; i < layers.size(); i++) {
            Descriptor d = layers.get(i);
            String path = blobPath(d.digest());
            LayerScan scan = store.scanLayer(path, "layer " + i + " (" + d.digest() + ") of " + store.describe(), scanner);
            inputs.add(new LayerInput(d.mediaType(), d.digest(), d.size(), path, scan));
        }
        b.layers(ImageConfigs.assemble(inputs, config, "image config " + configDesc.digest()));
        return b.build();
    }

    static List<Descriptor> layerDescriptors(JsonNode manifest, String where) {
        JsonNode layers = manifest.get("layers");
        if (layers == null || !layers.isArray()) {
            throw new UserError("manifest " + where + " has no layers list; it is not an image manifest");
        }
        List<Descriptor> out = new ArrayList<>();
        for (JsonNode l : layers) {
            Descriptor d = Descriptor.fromJson(l, "manifest " + where + " layer");
            if (d.mediaType() != null && !MediaTypes.LAYERS.contains(d.mediaType())) {
                throw new UserError("manifest " + where + " has a layer of unknown media type '" + d.mediaType()
                        + "'; dockaudit reads tar, tar+gzip and tar+zstd layers (this may be an artifact, not an image)");
            }
            out.add(d);
        }
        return out;
    }

    private byte[] readBlob(Descriptor d, String what) throws IOException {
        return store.readSmall(blobPath(d.digest()), what + " " + d.digest());
    }

    static String blobPath(Digest d) {
        return "blobs/" + d.algorithm() + "/" + d.hex();
    }

    /** Config and layer files named by their digest ({@code <hex>.json}, {@code blobs/sha256/<hex>}) declare it. */
    static Digest digestFromPath(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        if (base.endsWith(".json")) {
            base = base.substring(0, base.length() - 5);
        }
        if (Digest.isSha256Hex(base)) {
            return new Digest("sha256", base);
        }
        return null;
    }
}
