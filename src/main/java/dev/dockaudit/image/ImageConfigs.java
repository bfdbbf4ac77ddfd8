package dev.dockaudit.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.image.layer.LayerScan;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import dev.dockaudit.util.UserError;
import java.util.ArrayList;
import java.util.List;

/** Reads what every source needs from an image config (OCI image-spec config.md / docker image spec v1.2). */
public final class ImageConfigs {
    private ImageConfigs() {
    }

    public static Platform platform(JsonNode config) {
        if (config == null || Json.text(config, "architecture") == null) {
            return null;
        }
        return Platform.fromJson(config);
    }

    public static List<Digest> diffIds(JsonNode config, String where) {
        List<Digest> out = new ArrayList<>();
        JsonNode ids = config == null ? null : config.path("rootfs").get("diff_ids");
        if (ids == null || !ids.isArray()) {
            return out;
        }
        for (JsonNode id : ids) {
            try {
                out.add(Digest.parse(id.asText()));
            } catch (IllegalArgumentException e) {
                throw new UserError(where + " has a bad rootfs.diff_ids entry: " + e.getMessage() + "; the image is corrupt");
            }
        }
        return out;
    }

    public static List<HistoryEntry> history(JsonNode config) {
        List<HistoryEntry> out = new ArrayList<>();
        JsonNode h = config == null ? null : config.get("history");
        if (h == null || !h.isArray()) {
            return out;
        }
        for (JsonNode e : h) {
            out.add(new HistoryEntry(Json.text(e, "created"), Json.text(e, "created_by"), Json.text(e, "comment"),
                    e.path("empty_layer").asBoolean(false)));
        }
        return out;
    }

    /** What a source knows about one layer blob before it is assembled into a {@link Layer}. */
    public record LayerInput(String mediaType, Digest digest, long declaredSize, String location, LayerScan scan) {
    }

    /**
     * Pairs blobs with the config's diff_ids and the history entries that made them. History entries marked
     * {@code empty_layer} made no layer; the others map to layers in order.
     */
    public static List<Layer> assemble(List<LayerInput> inputs, JsonNode config, String where) {
        List<Digest> diffIds = diffIds(config, where);
        List<HistoryEntry> layerHistory = new ArrayList<>();
        for (HistoryEntry e : history(config)) {
            if (!e.emptyLayer()) {
                layerHistory.add(e);
            }
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            LayerInput in = inputs.get(i);
            HistoryEntry h = i < layerHistory.size() ? layerHistory.get(i) : null;
            layers.add(new Layer(i, in.mediaType(), in.digest(), in.declaredSize(),
                    i < diffIds.size() ? diffIds.get(i) : null,
                    h == null ? null : h.createdBy(), h == null ? null : h.created(), in.location(), in.scan()));
        }
        return layers;
    }
}
