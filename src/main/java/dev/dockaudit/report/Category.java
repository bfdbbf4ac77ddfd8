package dev.dockaudit.report;

import java.util.Locale;

/** What a finding is about; the JSON report spells these in lower case. */
public enum Category {
    INTEGRITY, TRUST, VULNERABILITY, SECRET, CONFIG, HISTORY, RUNTIME;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
