package dev.dockaudit.report;

import java.util.Locale;

/** Finding severities, most severe first (the order {@code --fail-on} and sorting use). */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, LOW, INFO, UNKNOWN;

    public static Severity parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + s + "' is not a severity; use CRITICAL, HIGH, MEDIUM, LOW, INFO or UNKNOWN");
        }
    }

    /** True when this is at least as severe as {@code other}. UNKNOWN ranks with LOW for gating, as Trivy does not. */
    public boolean atLeast(Severity other) {
        return rank() <= other.rank();
    }

    private int rank() {
        return this == UNKNOWN ? LOW.ordinal() : ordinal();
    }
}
