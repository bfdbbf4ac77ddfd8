package dev.dockaudit.image.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.engine.EngineClient;
import dev.dockaudit.engine.EngineResponse;
import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.Layer;
import dev.dockaudit.image.layer.LayerScanner;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An image in a Docker (or Podman) daemon: {@code GET /images/{name}/json} for its ID, tags and repo digests,
 * {@code /history} for the build steps, and {@code /images/{name}/get} streamed once for config and layers.
 */
public final class DaemonSource implements ImageSource {
    private final ImageReference reference;
    private final EngineClient engine;
    private final String name;

    public DaemonSource(ImageReference reference, EngineClient engine, String name) {
        this.reference = reference;
        this.engine = engine;
        this.name = name;
    }

    /** The daemon's inspect data for {@code name}, or null when it does not have the image. */
    public static JsonNode inspect(EngineClient engine, String name) {
        return engine.getJson("/images/" + EngineClient.encode(name) + "/json");
    }

    @Override
    public Image read(LayerScanner scanner) throws IOException {
        JsonNode inspect = inspect(engine, name);
        if (inspect == null) {
            throw new UserError(engine.serverName() + " daemon at " + engine.host().spec() + " has no image '" + name
                    + "'; pull it first (docker pull " + name + ") or audit it from the registry with docker://" + name);
        }
        String id = Json.text(inspect, "Id");
        Digest expectedId = Digest.parseOrNull(id);
        // Export by ID, so the archive holds exactly the image we inspected even if a tag moves meanwhile.
        String exportName = expectedId != null ? expectedId.toString() : name;
        ArchiveContents contents;
        try (EngineResponse r = engine.stream("/images/" + EngineClient.encode(exportName) + "/get")) {
            if (r.status() != 200) {
                throw new UserError("the daemon refused to export " + name + " (HTTP " + r.status() + ": "
                        + EngineClient.message(r.readAll(1 << 16)) + ")");
            }
            contents = ArchiveContents.read(r.body(), "the daemon's export of " + name, scanner);
        } catch (UserError e) {
            throw e;
        } catch (java.io.InterruptedIOException e) {
            // The daemon stopped sending its export mid-way: say so (and which timeout ran out), not "retry" alone.
            throw engine.unreachable(e);
        } catch (IOException e) {
            throw new UserError("reading the image export from the daemon failed (" + e.getMessage() + "); retry");
        }
        Image fromArchive = new LayoutReader(contents, reference, null, scanner)
                .read("docker-daemon");
        Image.Builder b = new Image.Builder(reference, "docker-daemon");
        b.config(fromArchive.configBytes(), fromArchive.config(), expectedId);
        b.repoTags(strings(inspect.path("RepoTags")));
        b.repoDigests(strings(inspect.path("RepoDigests")));
        List<String> tags = strings(inspect.path("RepoTags"));
        boolean byId = expectedId != null && (name.equals(id) || id.startsWith("sha256:" + name) || id.startsWith(name));
        b.displayName(byId && !tags.isEmpty() ? tags.get(0) : name);
        b.layers(withDaemonHistory(fromArchive.layers(), fromArchive.config() == null
                || fromArchive.history().isEmpty() ? history(expectedId != null ? expectedId.toString() : name) : null));
        for (String n : fromArchive.notes()) {
            b.note(n);
        }
        return b.build();
    }

    /** Podman's and some importers' configs lack history; the daemon's /history then supplies the build steps. */
    private static List<Layer> withDaemonHistory(List<Layer> layers, List<String> createdBy) {
        if (createdBy == null) {
            return layers;
        }
        List<Layer> out = new ArrayList<>();
        for (Layer l : layers) {
            String cmd = l.index() < createdBy.size() ? createdBy.get(l.index()) : null;
            out.add(new Layer(l.index(), l.mediaType(), l.digest(), l.declaredSize(), l.diffId(),
                    l.createdBy() != null ? l.createdBy() : cmd, l.created(), l.location(), l.scan()));
        }
        return out;
    }

    /** CreatedBy of the history entries that made layers (size > 0 or a layer id), oldest first. */
    private List<String> history(String image) {
        JsonNode h = engine.getJson("/images/" + EngineClient.encode(image) + "/history");
        List<String> out = new ArrayList<>();
        if (h == null || !h.isArray()) {
            return out;
        }
        for (int i = h.size() - 1; i >= 0; i--) {
            JsonNode e = h.get(i);
            if (e.path("Size").asLong(0) > 0 || i == h.size() - 1) {
                out.add(Json.text(e, "CreatedBy"));
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        if (arr != null && arr.isArray()) {
            arr.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
