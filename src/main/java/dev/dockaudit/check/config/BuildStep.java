package dev.dockaudit.check.config;

import dev.dockaudit.image.HistoryEntry;
import dev.dockaudit.image.Layer;
import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.util.Digest;
import java.util.ArrayList;
import java.util.List;

/**
 * One build step, as {@code docker history} lists it: a history entry and the layer it made (none for
 * {@code empty_layer} steps). Layers beyond the history (imported or hand-made images, whose history has fewer
 * entries than layers) become steps without an entry, after the others.
 *
 * @param index       the step's position, oldest first; equal to the history index while there is an entry
 * @param entry       the history entry, or null for a layer the history does not describe
 * @param layer       the layer this step made, or null (empty_layer, or a history entry with no layer left to pair)
 * @param instruction the entry's created_by read back into an instruction
 */
public record BuildStep(int index, HistoryEntry entry, Layer layer, BuildInstruction instruction) {

    /** Pairs history entries with layers the way docker does: in order, skipping empty_layer entries. */
    public static List<BuildStep> of(List<HistoryEntry> history, List<Layer> layers) {
        List<BuildStep> steps = new ArrayList<>();
        int next = 0;
        for (HistoryEntry h : history) {
            Layer l = null;
            if (!h.emptyLayer() && next < layers.size()) {
                l = layers.get(next++);
            }
            steps.add(new BuildStep(steps.size(), h, l, BuildInstruction.parse(h.createdBy())));
        }
        while (next < layers.size()) {
            steps.add(new BuildStep(steps.size(), null, layers.get(next++), BuildInstruction.parse(null)));
        }
        return steps;
    }

    public boolean emptyLayer() {
        return entry != null && entry.emptyLayer();
    }

    /** A non-empty history entry that found no layer to pair with (the config claims more layers than there are). */
    public boolean layerMissing() {
        return entry != null && !entry.emptyLayer() && layer == null;
    }

    public String createdBy() {
        return entry == null ? null : entry.createdBy();
    }

    /** The layer's diff_id as the report names layers: declared, else computed; null without a layer. */
    public String diffId() {
        if (layer == null) {
            return null;
        }
        Digest d = layer.diffId() != null ? layer.diffId() : layer.scan() == null ? null : layer.scan().diffId();
        return d == null ? null : d.toString();
    }

    /** The layer's entries, or null when the layer was not walked (or there is no layer). */
    public List<LayerFile> files() {
        return layer == null || layer.scan() == null ? null : layer.scan().files();
    }
}
