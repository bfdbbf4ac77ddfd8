package dev.dockaudit.check.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.layer.LayerScanner;
import dev.dockaudit.image.source.Sources;
import dev.dockaudit.registry.RegistryOptions;
import dev.dockaudit.testing.ImageArchives;
import dev.dockaudit.testing.TarBuilder;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Crafted images for the config and history tests: layers built with {@link TarBuilder}, a config with the run
 * settings and history a test needs, written as a docker save archive and read back through the real archive
 * source with {@link ConfigChecks#visitor()} in the layer pass, as the pipeline does.
 */
public final class ImageFixture {
    private final List<byte[]> layers = new ArrayList<>();
    private final ObjectNode runConfig = Json.MAPPER.createObjectNode();
    private final ArrayNode history = Json.MAPPER.createArrayNode();
    private boolean withHistory = true;
    private boolean withRunConfig = true;
    private String repoTag = "test/image:1";
    private boolean accountVisitor = true;

    public static ImageFixture create() {
        return new ImageFixture();
    }

    /** Sets fields of {@code config.config} (User, Healthcheck, ExposedPorts, Volumes …). */
    public ImageFixture config(Consumer<ObjectNode> edit) {
        edit.accept(runConfig);
        return this;
    }

    /** A step that made a layer. */
    public ImageFixture layer(String createdBy, TarBuilder tar) {
        layers.add(tar.bytes());
        ObjectNode h = history.addObject();
        h.put("created", "2024-01-0" + Math.min(9, history.size()) + "T00:00:00.123456789Z");
        if (createdBy != null) {
            h.put("created_by", createdBy);
        }
        return this;
    }

    /** A layer with no history entry (imported and hand-made images). */
    public ImageFixture layerWithoutHistory(TarBuilder tar) {
        layers.add(tar.bytes());
        return this;
    }

    /** A step without a layer (empty_layer: ENV, CMD, USER, EXPOSE …). */
    public ImageFixture step(String createdBy) {
        ObjectNode h = history.addObject();
        h.put("created", "2024-01-0" + Math.min(9, history.size()) + "T00:00:00Z");
        h.put("created_by", createdBy);
        h.put("empty_layer", true);
        return this;
    }

    /** A history entry with a comment (docker import writes one). */
    public ImageFixture comment(String comment) {
        ((ObjectNode) history.get(history.size() - 1)).put("comment", comment);
        return this;
    }

    public ImageFixture noHistory() {
        withHistory = false;
        return this;
    }

    public ImageFixture noRunConfig() {
        withRunConfig = false;
        return this;
    }

    public ImageFixture repoTag(String tag) {
        repoTag = tag;
        return this;
    }

    /** Reads without ConfigChecks.visitor(), as a pipeline that did not wire it would. */
    public ImageFixture withoutAccountVisitor() {
        accountVisitor = false;
        return this;
    }

    public String configJson() {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.put("architecture", "amd64");
        c.put("os", "linux");
        c.put("created", "2024-01-09T00:00:00Z");
        if (withRunConfig) {
            c.set("config", runConfig);
        }
        ObjectNode rootfs = c.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        ImageArchives.diffIds(layers).forEach(ids::add);
        if (withHistory) {
            c.set("history", history);
        }
        return c.toString();
    }

    /** Writes the archive to {@code dir} and returns its path. */
    public Path write(Path dir) {
        try {
            Path p = Files.createTempFile(dir, "fixture-", ".tar");
            ImageArchives.DockerSave save = ImageArchives.dockerSave(layers.toArray(new byte[0][])).config(configJson());
            StringBuilder paths = new StringBuilder();
            for (int i = 0; i < layers.size(); i++) {
                paths.append(i == 0 ? "" : ",").append('"').append(String.format("%064x", i + 1)).append("/layer.tar\"");
            }
            save.manifest("[{\"Config\":\"" + save.configName() + "\",\"RepoTags\":[\"" + repoTag + "\"],\"Layers\":["
                    + paths + "]}]");
            Files.write(p, save.bytes());
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image as the pipeline reads it: walked layers, with the account-file visitor. */
    public Image image() {
        try {
            Path dir = Files.createTempDirectory("da-cfg-fixture-");
            try {
                return read("docker-archive:" + write(dir), accountVisitor);
            } finally {
                try (var s = Files.walk(dir)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads any reference with walked layers and the account-file visitor. */
    public static Image read(String reference, boolean accountVisitor) {
        Sources sources = new Sources(new Sources.Options(null, null, RegistryOptions.defaults(Set.of(), List.of(), true),
                60_000));
        LayerScanner scanner = new LayerScanner(true, accountVisitor ? () -> List.of(ConfigChecks.visitor()) : List::of,
                LayerScanner.DEFAULT_MAX_LAYER_SIZE, null);
        try {
            return sources.open(ImageReference.parse(reference)).read(scanner);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the config checks as the pipeline would, with an empty environment unless given. */
    public ConfigResult check() {
        return ConfigChecks.check(image(), null, Map.of());
    }

    public static TarBuilder tar() {
        return TarBuilder.tar();
    }
}
