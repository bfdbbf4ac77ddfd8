package dev.dockaudit.audit;

import dev.dockaudit.image.Image;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Report;
import dev.dockaudit.vuln.triage.Decision;
import dev.dockaudit.vuln.triage.FindingLike;
import dev.dockaudit.vuln.triage.IgnoreFile;
import dev.dockaudit.vuln.triage.ImageIdentity;
import dev.dockaudit.vuln.triage.VexDocument;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * Applies the user's triage to every scanner's findings: the ignore file (ids, packages, path globs, expiry),
 * OpenVEX statements ({@code not_affected}, {@code fixed}), and {@code --ignore-unfixed}. What was suppressed is
 * counted in the notes, so a report never hides that something was hidden, and kept on the report with its decision
 * ({@link Report#suppressed()}) for CycloneDX, whose {@code analysis} can say why a vulnerability does not apply.
 */
final class TriageStep {
    private TriageStep() {
    }

    static void apply(Report report, AuditOptions.Triage triage, Image image) {
        IgnoreFile ignore = ignoreFile(triage);
        VexDocument vex = triage.vex().isEmpty() ? VexDocument.none() : VexDocument.loadAll(triage.vex());
        ImageIdentity identity = ImageIdentity.of(image);
        Map<String, Integer> suppressedBy = new HashMap<>();
        int[] unfixed = {0};
        report.removeIf(f -> {
            if (triage.ignoreUnfixed() && f.category() == Category.VULNERABILITY && "affected".equals(f.status())) {
                unfixed[0]++;
                return true;
            }
            FindingLike like = FindingLike.of(f);
            Decision d = ignore.apply(like);
            if (!d.suppressed() && f.category() == Category.VULNERABILITY) {
                d = vex.apply(like, identity);
            }
            if (d.suppressed()) {
                suppressedBy.merge(describe(d, f), 1, Integer::sum);
                report.suppressed(new Report.Suppressed(f, d.source(), d.status(), d.justification(), d.detail()));
                return true;
            }
            if (d.source() != null && d.status() != null) { // VEX affected / under_investigation: kept, but assessed
                report.assessed(new Report.Suppressed(f, d.source(), d.status(), d.justification(), d.detail()));
            }
            return false;
        });
        report.countSuppressed(unfixed[0] + suppressedBy.values().stream().mapToInt(Integer::intValue).sum());
        suppressedBy.forEach((what, n) -> report.note("suppressed " + n + " finding" + (n == 1 ? "" : "s") + ": " + what));
        if (unfixed[0] > 0) {
            report.note("--ignore-unfixed: left out " + unfixed[0] + " vulnerabilit" + (unfixed[0] == 1 ? "y" : "ies")
                    + " with no fixed version yet");
        }
        ignore.notes().forEach(report::note);
        vex.warnings().forEach(w -> report.note("VEX: " + w));
    }

    /** The ignore file the triage names, else ./.dockauditignore when present, else none. */
    static IgnoreFile ignoreFile(AuditOptions.Triage triage) {
        IgnoreFile file = triage.ignoreFile() != null ? IgnoreFile.load(triage.ignoreFile())
                : IgnoreFile.loadDefault(Path.of("").toAbsolutePath(), LocalDate.now());
        // the config file's ignore: list comes after the ignore file, which is the more specific of the two
        return triage.configIgnore() == null ? file : file.then(triage.configIgnore());
    }

    /** Drops the findings the ignore file suppresses (runtime findings: no VEX, no --ignore-unfixed); counts them. */
    static java.util.List<Finding> ignore(java.util.List<Finding> findings, IgnoreFile ignore, Map<String, Integer> counts) {
        java.util.List<Finding> kept = new java.util.ArrayList<>();
        for (Finding f : findings) {
            Decision d = ignore.apply(FindingLike.of(f));
            if (d.suppressed()) {
                counts.merge(describe(d, f), 1, Integer::sum);
            } else {
                kept.add(f);
            }
        }
        return kept;
    }

    private static String describe(Decision d, Finding f) {
        return d.source() + (d.status() == null ? "" : " (" + d.status() + (d.justification() == null ? ""
                : ": " + d.justification()) + ")");
    }
}
