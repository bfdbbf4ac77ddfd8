package dev.dockaudit.report;

import dev.dockaudit.image.Image;
import dev.dockaudit.inventory.Inventory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The result of an audit: the image as read (with every digest we computed), findings sorted by
 * severity, and notes for the reader (what could not be checked and why).
 */
public final class Report {
    private final String command;
    private final Image image;
    private final List<Finding> findings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private Inventory inventory;
    private dev.dockaudit.trust.model.TrustResults trust;
    private java.util.function.UnaryOperator<String> redactor = dev.dockaudit.util.Redact::text;
    private int suppressed;

    public Report(String command, Image image) {
        this.command = command;
        this.image = image;
        notes.addAll(image.notes());
    }

    /** The packages and OS found, or null when the command did not take an inventory. */
    public Inventory inventory() {
        return inventory;
    }

    public void inventory(Inventory inv) {
        this.inventory = inv;
    }

    /** The trust audit's results, or null when the command did not look. */
    public dev.dockaudit.trust.model.TrustResults trust() {
        return trust;
    }

    public void trust(dev.dockaudit.trust.model.TrustResults t) {
        this.trust = t;
    }

    /**
     * Masks secrets in image metadata a writer shows (env, labels, commands, history): secret-looking assignments
     * always, and whatever the secret scanner found when it ran.
     */
    public String redact(String text) {
        return text == null ? null : redactor.apply(text);
    }

    public void redactor(java.util.function.UnaryOperator<String> r) {
        this.redactor = r;
    }

    public String command() {
        return command;
    }

    public Image image() {
        return image;
    }

    public void add(Finding f) {
        findings.add(f);
    }

    public void addAll(List<Finding> fs) {
        findings.addAll(fs);
    }

    public void note(String n) {
        notes.add(n);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** Findings, most severe first, then by category and id; ties keep detector order. */
    public List<Finding> findings() {
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparing(Finding::severity).thenComparing(Finding::category).thenComparing(Finding::id));
        return sorted;
    }

    /** Removes the findings {@code drop} selects (triage: ignored, VEX-suppressed, unfixed). */
    public void removeIf(java.util.function.Predicate<Finding> drop) {
        findings.removeIf(drop);
    }

    /** How many findings triage left out (ignore rules, VEX, --ignore-unfixed); the one-line summary says so. */
    public int suppressed() {
        return suppressed;
    }

    public void countSuppressed(int n) {
        suppressed += n;
    }

    /** Drops findings below the severities the user asked to see ({@code --severity}). */
    public void keepOnly(java.util.Set<Severity> severities) {
        findings.removeIf(f -> !severities.contains(f.severity()));
    }

    public Map<Severity, Integer> bySeverity() {
        Map<Severity, Integer> m = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            m.put(s, 0);
        }
        findings.forEach(f -> m.merge(f.severity(), 1, Integer::sum));
        return m;
    }

    public Map<Category, Integer> byCategory() {
        Map<Category, Integer> m = new EnumMap<>(Category.class);
        findings.forEach(f -> m.merge(f.category(), 1, Integer::sum));
        return m;
    }

    /** True when some finding is at or above {@code threshold}. */
    public boolean hasAtLeast(Severity threshold) {
        return findings.stream().anyMatch(f -> f.severity().atLeast(threshold));
    }
}
