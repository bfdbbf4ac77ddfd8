package dev.dockaudit.vuln.triage;

/**
 * What triage decided about one finding.
 *
 * @param outcome       keep the finding, or suppress it (leave it out of the results, list it as suppressed)
 * @param source        where the decision comes from: {@code .dockauditignore:7}, {@code vex.json statement 2}; null for
 *                      the default
 * @param status        {@code ignored} for the ignore file; the OpenVEX status ({@code not_affected}, {@code fixed},
 *                      {@code affected}, {@code under_investigation}) for VEX; null for the default
 * @param justification the OpenVEX justification label, when there is one
 * @param detail        the ignore entry's reason, or the VEX impact/action statement; null when none was given
 */
public record Decision(Outcome outcome, String source, String status, String justification, String detail) {
    /** No rule applies: keep the finding. */
    public static final Decision KEEP = new Decision(Outcome.KEEP, null, null, null, null);

    public enum Outcome { KEEP, SUPPRESS }

    public boolean suppressed() {
        return outcome == Outcome.SUPPRESS;
    }

    /** One line for the report: what was decided, by what, and why. */
    public String describe(String findingId) {
        if (source == null) {
            return findingId + ": kept";
        }
        StringBuilder sb = new StringBuilder(findingId).append(suppressed() ? ": suppressed by " : ": kept, ").append(source);
        if (status != null && !status.equals("ignored")) {
            sb.append(" (").append(status);
            if (justification != null) {
                sb.append(", ").append(justification);
            }
            sb.append(')');
        }
        if (detail != null && !detail.isBlank()) {
            sb.append(": ").append(detail.strip());
        }
        return sb.toString();
    }
}
