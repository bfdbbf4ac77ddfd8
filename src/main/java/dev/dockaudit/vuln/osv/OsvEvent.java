package dev.dockaudit.vuln.osv;

import java.util.Objects;

/**
 * One event of an OSV range: {@code introduced}, {@code fixed}, {@code last_affected} or {@code limit}, with its
 * version (for {@code introduced} the version {@code "0"} means "from the first version").
 */
public record OsvEvent(String kind, String version) {
    public static final String INTRODUCED = "introduced";
    public static final String FIXED = "fixed";
    public static final String LAST_AFFECTED = "last_affected";
    public static final String LIMIT = "limit";

    public OsvEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(version, "version");
    }

    static boolean isKind(String k) {
        return INTRODUCED.equals(k) || FIXED.equals(k) || LAST_AFFECTED.equals(k) || LIMIT.equals(k);
    }
}
