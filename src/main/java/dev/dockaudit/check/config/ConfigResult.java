package dev.dockaudit.check.config;

import dev.dockaudit.report.Finding;
import java.util.ArrayList;
import java.util.List;

/** What the configuration checks found, each finding with its step, and notes on what could not be checked. */
public record ConfigResult(List<StepFinding> items, List<String> notes) {
    public ConfigResult {
        items = List.copyOf(items);
        notes = List.copyOf(notes);
    }

    public List<Finding> findings() {
        List<Finding> out = new ArrayList<>(items.size());
        items.forEach(i -> out.add(i.finding()));
        return out;
    }

    /** The findings of one step (-1: the image as a whole). */
    public List<Finding> forStep(int step) {
        List<Finding> out = new ArrayList<>();
        for (StepFinding i : items) {
            if (i.step() == step) {
                out.add(i.finding());
            }
        }
        return out;
    }
}
