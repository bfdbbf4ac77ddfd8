package dev.dockaudit.cli;

import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;
import dev.dockaudit.report.TableReportWriter;
import dev.dockaudit.report.TextStyle;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The last line of a table report, and all that {@code --quiet} prints: what was audited, the findings by
 * severity, and the exit code with its reason, e.g.
 * {@code dockaudit: alpine:3.10 — 23 findings: 2 CRITICAL, 5 HIGH, 10 MEDIUM, 6 LOW (14 packages, 1 ignored) — exit 1 (--fail-on HIGH)}.
 * It is one line whatever the width: a CI log is grepped for it.
 */
final class SummaryLine {
    private SummaryLine() {
    }

    /**
     * @param subject     what was audited (the image's name, "3 containers")
     * @param findings    the findings reported (after --severity)
     * @param extras      what goes in parentheses after the counts (packages, ignored), may be empty
     * @param failOn      --fail-on, or null
     * @param ownFailure  why the command fails on its own (a failed verification), or null
     */
    static String of(String subject, List<Finding> findings, List<String> extras, Severity failOn, String ownFailure,
                     TextStyle style) {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        findings.forEach(f -> counts.merge(f.severity(), 1, Integer::sum));
        StringBuilder b = new StringBuilder("dockaudit: ").append(TableReportWriter.clean(subject)).append(" — ");
        if (findings.isEmpty()) {
            b.append("no findings");
        } else {
            b.append(findings.size()).append(findings.size() == 1 ? " finding: " : " findings: ")
                    .append(TableReportWriter.counts(counts, style));
        }
        if (!extras.isEmpty()) {
            b.append(" (").append(String.join(", ", extras)).append(')');
        }
        long gating = failOn == null ? 0 : findings.stream().filter(f -> f.severity().atLeast(failOn)).count();
        b.append(" — ");
        if (ownFailure != null || gating > 0) {
            String why = gating > 0 ? "--fail-on " + failOn + ": " + gating + " at or above" : ownFailure;
            if (ownFailure != null && gating > 0) {
                why = ownFailure + "; " + why;
            }
            b.append(style.bold("exit 1")).append(" (").append(why).append(')');
        } else {
            b.append("exit 0").append(failOn == null ? "" : " (none at or above --fail-on " + failOn + ")");
        }
        return b.toString();
    }

    static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
