package dev.dockaudit.check.history;

import dev.dockaudit.report.Finding;
import java.util.List;

/**
 * One row of {@code dockaudit history}: a build step as {@code docker history --no-trunc} shows it, with the
 * findings of that step.
 *
 * @param step              the step's index, oldest first
 * @param created           the history entry's created time as the config has it, or null
 * @param createdBy         the full created_by, or null (no history entry)
 * @param comment           the history entry's comment, or null
 * @param emptyLayer        the entry's empty_layer marker
 * @param layer             the index of the layer this step made, or null
 * @param diffId            that layer's diff_id, or null
 * @param size              the layer's size as docker history prints it (0 for empty layers); null when unknown
 * @param removedLaterBytes bytes of this layer's regular files that later layers delete or replace (still shipped)
 * @param historyEntry      false for a layer the history does not describe
 * @param layerMissing      true for a non-empty history entry that has no layer
 * @param findings          the findings of this step
 */
public record HistoryRow(int step, String created, String createdBy, String comment, boolean emptyLayer, Integer layer,
                         String diffId, Long size, long removedLaterBytes, boolean historyEntry, boolean layerMissing,
                         List<Finding> findings) {
    public HistoryRow {
        findings = List.copyOf(findings);
    }
}
