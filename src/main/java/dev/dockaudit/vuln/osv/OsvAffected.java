package dev.dockaudit.vuln.osv;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One {@code affected} entry. {@code ecosystem} is exactly as OSV writes it ({@code Debian:12},
 * {@code Alpine:v3.18}, {@code Ubuntu:Pro:22.04:LTS}, {@code Maven}); {@code name} as written (lookups go through
 * {@link OsvNames#normalise}). Both are null for an entry without a package (GIT-only ranges).
 * {@code ecosystemSpecific} and {@code databaseSpecific} are null when absent; treat them as read-only.
 */
public record OsvAffected(String ecosystem, String name, String purl, List<OsvRange> ranges, List<String> versions,
        List<OsvSeverity> severity, JsonNode ecosystemSpecific, JsonNode databaseSpecific) {
    public OsvAffected {
        ranges = List.copyOf(ranges);
        versions = List.copyOf(versions);
        severity = List.copyOf(severity);
    }
}
