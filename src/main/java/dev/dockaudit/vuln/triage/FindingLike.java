package dev.dockaudit.vuln.triage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.report.Finding;
import dev.dockaudit.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What triage needs to know about a finding: its ids and the package it is about. Kept apart from the matcher's and
 * the report's types so the ignore file and VEX can be applied to anything that can say this much.
 */
public interface FindingLike {
    /** The finding's id, e.g. {@code CVE-2021-36159} or {@code GHSA-jfh8-c2jp-5v3q}. */
    String id();

    /** Other ids of the same vulnerability (CVE, GHSA, DSA, USN …); empty when none. */
    List<String> aliases();

    /** The package's name as its ecosystem spells it; null for findings not about a package. */
    String packageName();

    /** The installed version; null when unknown. */
    String packageVersion();

    /** The package's purl; null when unknown. */
    String packagePurl();

    /** The id and the aliases, upper-cased for comparison (ids are case-insensitive: cve-2021-1 is CVE-2021-1). */
    default Set<String> allIds() {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(id().toUpperCase(Locale.ROOT));
        for (String a : aliases()) {
            ids.add(a.toUpperCase(Locale.ROOT));
        }
        return ids;
    }

    static FindingLike of(String id, List<String> aliases, String packageName, String packageVersion, String packagePurl) {
        return new Simple(id, aliases == null ? List.of() : List.copyOf(aliases), packageName, packageVersion, packagePurl);
    }

    /**
     * A report finding: the package is whatever the detector put in {@link Finding#pkg()} (the inventory's Package,
     * a map, or a JSON node), read by its {@code name}, {@code version} and {@code purl}; the finding's own installed
     * version wins over the package's.
     */
    static FindingLike of(Finding f) {
        String name = null;
        String version = null;
        String purl = null;
        if (f.pkg() != null) {
            JsonNode n = f.pkg() instanceof JsonNode j ? j : Json.MAPPER.valueToTree(f.pkg());
            if (n.isObject()) {
                name = Json.text(n, "name");
                version = Json.text(n, "version");
                purl = Json.text(n, "purl");
            } else if (n.isTextual()) {
                name = n.asText();
            }
        }
        if (f.installedVersion() != null && !f.installedVersion().isBlank()) {
            version = f.installedVersion();
        }
        return of(f.id(), f.aliases() == null ? List.of() : new ArrayList<>(f.aliases()), name, version, purl);
    }

    record Simple(String id, List<String> aliases, String packageName, String packageVersion, String packagePurl)
            implements FindingLike {
    }
}
