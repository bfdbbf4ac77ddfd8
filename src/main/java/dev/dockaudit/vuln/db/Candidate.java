package dev.dockaudit.vuln.db;

import dev.dockaudit.vuln.osv.OsvAffected;
import dev.dockaudit.vuln.osv.OsvRecord;

/** One affected entry that names the package looked up, with the whole record it belongs to. */
public record Candidate(OsvRecord record, OsvAffected affected) {
}
