package dev.dockaudit.vuln.match;

import dev.dockaudit.inventory.Package;
import dev.dockaudit.vuln.osv.OsvAffected;
import dev.dockaudit.vuln.osv.OsvRecord;

/** One advisory entry that affects one installed package. */
public record VulnMatch(Package pkg, PackageQuery query, OsvRecord record, OsvAffected affected, String fixedVersion) {
}
