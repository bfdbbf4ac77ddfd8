package dev.dockaudit.vuln.osv;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One OSV advisory (schema 1.x, https://ossf.github.io/osv-schema/), as parsed by {@link OsvParser}.
 * Timestamps are the RFC 3339 strings of the record (validated); {@code modified}, {@code published} and
 * {@code withdrawn} are null when absent. Newer records list the CVEs they derive from in {@code upstream}, older
 * ones in {@code aliases}: {@link #aliasesAndUpstream()} gives both. {@code databaseSpecific} is null when absent;
 * treat it as read-only.
 */
public record OsvRecord(String id, String modified, String published, String withdrawn, List<String> aliases,
        List<String> upstream, List<String> related, String summary, String details, List<OsvSeverity> severity,
        List<OsvAffected> affected, List<OsvReference> references, JsonNode databaseSpecific) {
    public OsvRecord {
        aliases = List.copyOf(aliases);
        upstream = List.copyOf(upstream);
        related = List.copyOf(related);
        severity = List.copyOf(severity);
        affected = List.copyOf(affected);
        references = List.copyOf(references);
    }

    /** A withdrawn record stays in the database, flagged; the matcher ignores it. */
    public boolean isWithdrawn() {
        return withdrawn != null;
    }

    /** The ids this record is known by besides its own: {@code aliases} then {@code upstream}, without repeats. */
    public List<String> aliasesAndUpstream() {
        Set<String> all = new LinkedHashSet<>(aliases);
        all.addAll(upstream);
        all.remove(id);
        return List.copyOf(all);
    }
}
