package dev.dockaudit.vuln.osv;

import java.util.List;

/**
 * An OSV range: {@code type} is {@code ECOSYSTEM}, {@code SEMVER} or {@code GIT} (kept as written, so a type from
 * a later schema reaches the matcher, which ignores what it does not know); {@code repo} only for GIT.
 */
public record OsvRange(String type, String repo, List<OsvEvent> events) {
    public static final String ECOSYSTEM = "ECOSYSTEM";
    public static final String SEMVER = "SEMVER";
    public static final String GIT = "GIT";

    public OsvRange {
        events = List.copyOf(events);
    }
}
