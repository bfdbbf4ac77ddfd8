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
    private final List<Suppressed> suppressed = new ArrayList<>();
    private final Map<Finding, Suppressed> assessments = new java.util.IdentityHashMap<>();
    private Inventory inventory;
    private dev.dockaudit.trust.model.TrustResults trust;
    private java.util.function.UnaryOperator<String> redactor = dev.dockaudit.util.Redact::text;
    private int suppressedCount;

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
    public int suppressedCount() {
        return suppressedCount;
    }

    public void countSuppressed(int n) {
        suppressedCount += n;
    }

    /** Drops findings below the severities the user asked to see ({@code --severity}). */
    public void keepOnly(java.util.Set<Severity> severities) {
        findings.removeIf(f -> !severities.contains(f.severity()));
        suppressed.removeIf(s -> !severities.contains(s.finding().severity()));
    }

    /**
     * A finding triage left out of the results, and the decision that did it.
     *
     * @param source        where the decision comes from ({@code vex.json statement 2}, {@code .dockauditignore:7})
     * @param status        the OpenVEX status ({@code not_affected}, {@code fixed}), or {@code ignored} for the ignore file
     * @param justification the OpenVEX justification label, when the statement gives one
     * @param detail        the VEX impact statement or the ignore entry's reason; null when none was given
     */
    public record Suppressed(Finding finding, String source, String status, String justification, String detail) {
        /** True when an OpenVEX statement made the decision (a statement about the product, not a local choice). */
        public boolean byVex() {
            return "not_affected".equals(status) || "fixed".equals(status) || "affected".equals(status)
                    || "under_investigation".equals(status);
        }

        /** True when the decision takes the finding out of the results (VEX not_affected or fixed, the ignore file). */
        public boolean clears() {
            return !"affected".equals(status) && !"under_investigation".equals(status);
        }
    }

    /**
     * Records an OpenVEX statement that keeps a finding ({@code affected}, {@code under_investigation}): the finding
     * stays in every format, and CycloneDX says it was assessed ({@code exploitable}, {@code in_triage}).
     */
    public void assessed(Suppressed s) {
        assessments.put(s.finding(), s);
    }

    /** The VEX statement that kept this finding, or null when none speaks of it. */
    public Suppressed assessment(Finding f) {
        return assessments.get(f);
    }

    /**
     * Records a finding triage removed. Only formats that can say why a vulnerability does not apply (CycloneDX's
     * {@code analysis}) show these; the others leave them out, as the user asked.
     */
    public void suppressed(Suppressed s) {
        suppressed.add(s);
    }

    /** The findings triage removed, in the order of {@link #findings()}. */
    public List<Suppressed> suppressed() {
        List<Suppressed> sorted = new ArrayList<>(suppressed);
        sorted.sort(Comparator.comparing((Suppressed s) -> s.finding().severity())
                .thenComparing(s -> s.finding().category()).thenComparing(s -> s.finding().id()));
        return sorted;
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
