package dev.dockaudit.vuln.match;

import dev.dockaudit.inventory.Package;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.VulnDetails;
import dev.dockaudit.vuln.cvss.CvssScore;
import dev.dockaudit.vuln.osv.OsvSeverity;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.vuln.osv.OsvRecord;
import dev.dockaudit.vuln.osv.OsvReference;
import dev.dockaudit.vuln.version.InvalidVersionException;
import dev.dockaudit.vuln.version.VersionComparator;
import dev.dockaudit.vuln.version.Versions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns matches into findings: one per installed package and vulnerability. Advisories that describe the same
 * CVE (a DSA or DLA, a DEBIAN-CVE record, a USN, an ALPINE- record, a GHSA) merge into one finding under the
 * CVE id with the others as aliases; an advisory naming several CVEs contributes to each. Advisories without a
 * CVE stay findings of their own, merged with their aliases.
 */
public final class VulnFindings {
    private static final int MAX_REFERENCES = 8;

    private VulnFindings() {
    }

    /** The package as findings carry it in the JSON report. */
    public record PackageRef(String name, String version, String type, String purl, String sourceName,
                             String sourceVersion, String layer, String path) {
        static PackageRef of(Package p) {
            return new PackageRef(p.name(), p.version(), p.type().label, p.purl(), p.sourceName(), p.sourceVersion(),
                    p.layer(), p.path());
        }
    }

    public static List<Finding> build(List<VulnMatch> matches) {
        Map<String, List<VulnMatch>> groups = new LinkedHashMap<>();
        Map<OsvRecord, Set<String>> keysOf = new java.util.IdentityHashMap<>();
        for (VulnMatch m : matches) {
            String pkgKey = m.pkg().identity() + "|" + m.pkg().path();
            for (String key : keysOf.computeIfAbsent(m.record(), VulnFindings::keys)) {
                groups.computeIfAbsent(pkgKey + "|" + key, k -> new ArrayList<>()).add(m);
            }
        }
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<String, List<VulnMatch>> e : groups.entrySet()) {
            String key = e.getKey().substring(e.getKey().lastIndexOf('|') + 1);
            out.add(finding(key, e.getValue(), keysOf));
        }
        return out;
    }

    /** The vulnerability ids a record stands for: its CVEs, else its own id (the smallest of it and its aliases). */
    static Set<String> keys(OsvRecord r) {
        Set<String> cves = new TreeSet<>();
        for (String id : allIds(r)) {
            if (id.startsWith("CVE-")) {
                cves.add(id);
            }
        }
        if (!cves.isEmpty()) {
            return cves;
        }
        return Set.of(new TreeSet<>(allIds(r)).first());
    }

    private static Set<String> allIds(OsvRecord r) {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(r.id());
        ids.addAll(r.aliases());
        ids.addAll(r.upstream());
        return ids;
    }

    private static Finding finding(String key, List<VulnMatch> group, Map<OsvRecord, Set<String>> keysOf) {
        Package p = group.get(0).pkg();
        Set<String> aliases = new TreeSet<>();
        for (VulnMatch m : group) {
            aliases.addAll(allIds(m.record()));
        }
        aliases.remove(key);
        OsvRecord main = mostSpecific(key, group, keysOf);
        String fixed = fixedVersion(group);
        SeverityResolver.Rated rated = SeverityResolver.rate(group, p.type().isOs());
        List<String> refs = new ArrayList<>();
        refs.add("https://osv.dev/vulnerability/" + key);
        for (VulnMatch m : group) {
            for (OsvReference r : m.record().references()) {
                if (refs.size() < MAX_REFERENCES && r.url() != null && !refs.contains(r.url())) {
                    refs.add(r.url());
                }
            }
        }
        String title = main.summary() != null && !main.summary().isBlank() ? main.summary() : key + " in " + p.name();
        String advisoryName = group.get(0).query().name();
        String remediation = fixed != null
                ? "Upgrade " + p.name() + " to " + fixed + " or later" + (p.type().isOs() && !advisoryName.equals(p.name())
                ? " (source package " + advisoryName + ")" : "") + (p.type().isOs() ? ", e.g. by rebuilding on an updated base image" : "")
                : "No fixed version is known yet; watch " + key + ", mitigate, or remove " + p.name() + " if it is not needed";
        StringBuilder evidence = new StringBuilder(p.name() + " " + p.version());
        if (!group.get(0).query().version().equals(p.version())) {
            evidence.append(" (source ").append(advisoryName).append(' ').append(group.get(0).query().version()).append(')');
        }
        evidence.append(" matches ").append(group.get(0).affected().ecosystem()).append(' ').append(advisoryName);
        if (rated.score() != null) {
            evidence.append("; ").append(rated.source()).append(' ').append(rated.score());
        } else if (rated.source() != null) {
            evidence.append("; severity from ").append(rated.source());
        }
        return Finding.builder(key, Category.VULNERABILITY, rated.severity(), title)
                .description(truncate(main.details(), 1200))
                .aliases(List.copyOf(aliases))
                .references(refs)
                .pkg(PackageRef.of(p))
                .installedVersion(p.version())
                .fixedVersion(fixed)
                .status(fixed != null ? "fixed" : "affected")
                .layer(p.layer())
                .path(p.path())
                .evidence(evidence.toString())
                .remediation(remediation)
                .vuln(details(group, rated))
                .build();
    }

    /** Every distinct CVSS vector and CWE the group's advisories carry, and the score the severity came from. */
    static VulnDetails details(List<VulnMatch> group, SeverityResolver.Rated rated) {
        Map<String, VulnDetails.Cvss> vectors = new LinkedHashMap<>();
        Set<Integer> cwes = new TreeSet<>();
        for (VulnMatch m : group) {
            List<OsvSeverity> all = new ArrayList<>(m.record().severity());
            if (m.affected().severity() != null) {
                all.addAll(m.affected().severity());
            }
            for (OsvSeverity s : all) {
                if (s.type() == null || !s.type().startsWith("CVSS_") || vectors.containsKey(s.score())) {
                    continue;
                }
                try {
                    CvssScore c = CvssScore.parse(s.score());
                    vectors.put(s.score(), new VulnDetails.Cvss(c.version(), c.vector(), c.baseScore(), c.severity(),
                            m.record().id()));
                } catch (IllegalArgumentException e) {
                    // a malformed vector (InvalidCvssException) is not a rating
                }
            }
            JsonNode ids = m.record().databaseSpecific() == null ? null : m.record().databaseSpecific().get("cwe_ids");
            if (ids != null && ids.isArray()) {
                for (JsonNode id : ids) {
                    String t = id.asText("").trim();
                    if (t.regionMatches(true, 0, "CWE-", 0, 4) && t.substring(4).matches("\\d{1,6}")) {
                        cwes.add(Integer.parseInt(t.substring(4)));
                    }
                }
            }
        }
        List<VulnDetails.Cvss> cvss = new ArrayList<>(vectors.values());
        // newest CVSS version first, then the higher score: the order a reader picks a rating in
        cvss.sort(java.util.Comparator.comparing(VulnDetails.Cvss::version).reversed()
                .thenComparing(java.util.Comparator.comparingDouble(VulnDetails.Cvss::score).reversed())
                .thenComparing(VulnDetails.Cvss::vector));
        return new VulnDetails(rated.score(), rated.source(), cvss, List.copyOf(cwes));
    }

    /** The record whose id is the key, else the one naming the fewest vulnerabilities (a DSA names many). */
    private static OsvRecord mostSpecific(String key, List<VulnMatch> group, Map<OsvRecord, Set<String>> keysOf) {
        OsvRecord best = null;
        for (VulnMatch m : group) {
            OsvRecord r = m.record();
            if (r.id().equals(key)) {
                return r;
            }
            int n = keysOf.get(r).size();
            int bestN = best == null ? Integer.MAX_VALUE : keysOf.get(best).size();
            if (best == null || n < bestN || (n == bestN && (best.summary() == null || best.summary().isBlank()))) {
                best = r;
            }
        }
        return best;
    }

    /** The highest fixed version any advisory gives; null when none knows a fix. */
    private static String fixedVersion(List<VulnMatch> group) {
        VersionComparator cmp = Versions.forEcosystem(group.get(0).query().comparatorEcosystem());
        String best = null;
        for (VulnMatch m : group) {
            String f = m.fixedVersion();
            if (f == null) {
                continue;
            }
            try {
                if (best == null || cmp.compare(f, best) > 0) {
                    best = f;
                }
            } catch (InvalidVersionException e) {
                // keep the one we could compare
            }
        }
        return best;
    }

    private static String truncate(String s, int max) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.length() > max ? t.substring(0, max - 1) + "…" : t;
    }
}
