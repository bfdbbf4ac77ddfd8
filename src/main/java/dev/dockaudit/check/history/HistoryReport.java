package dev.dockaudit.check.history;

import dev.dockaudit.check.config.StepFinding;
import dev.dockaudit.report.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link HistoryAnalysis} produced: the rows (oldest step first), the efficiency (null when the layers were not
 * walked), the history's own findings (build args, waste, limits; the configuration findings are in the rows but
 * not here, so a pipeline that reports both never doubles them), and notes.
 */
public record HistoryReport(List<HistoryRow> rows, Efficiency.Result efficiency, List<StepFinding> items,
                            List<String> notes) {
    public HistoryReport {
        rows = List.copyOf(rows);
        items = List.copyOf(items);
        notes = List.copyOf(notes);
    }

    /** The history rules' findings (HIST-…). */
    public List<Finding> findings() {
        List<Finding> out = new ArrayList<>();
        items.forEach(i -> out.add(i.finding()));
        return out;
    }

    /**
     * Bytes of regular files that a later layer deletes or replaces, each shipped copy once: unlike dive's wasted
     * bytes this counts whole deleted directories, and not the surviving copy.
     */
    public long removedLaterBytes() {
        long sum = 0;
        for (HistoryRow r : rows) {
            sum += r.removedLaterBytes();
        }
        return sum;
    }

    /** Whether a limit (--max-wasted-bytes, --min-efficiency) was exceeded. */
    public boolean limitExceeded() {
        return items.stream().anyMatch(i -> i.finding().id().equals(HistoryRule.MAX_WASTED_BYTES.id)
                || i.finding().id().equals(HistoryRule.MIN_EFFICIENCY.id));
    }
}
