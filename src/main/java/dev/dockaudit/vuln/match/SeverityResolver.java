package dev.dockaudit.vuln.match;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.report.Severity;
import dev.dockaudit.vuln.cvss.CvssScore;
import dev.dockaudit.vuln.cvss.InvalidCvssException;
import dev.dockaudit.vuln.osv.OsvSeverity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Picks a finding's severity. For OS packages the distribution's own rating comes first (Ubuntu priority,
 * Debian urgency), because it weighs how the package is built and used on that release; then the CVSS base
 * score computed from the newest vector the advisories carry (v4, v3.1, v3.0, v2); then a rating the advisory
 * states in words (GitHub's database_specific.severity); else UNKNOWN.
 */
final class SeverityResolver {
    /** The chosen severity and where it came from, for the report. */
    record Rated(Severity severity, String source, Double score, String vector) {
    }

    /** Vectors repeat across findings (one advisory, many packages); each is parsed once per run. */
    private static final java.util.Map<String, CvssScore> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

    private SeverityResolver() {
    }

    static Rated rate(List<VulnMatch> group, boolean osPackage) {
        if (osPackage) {
            for (VulnMatch m : group) {
                Rated vendor = vendorRating(m);
                if (vendor != null) {
                    return vendor;
                }
            }
        }
        Rated best = null;
        for (VulnMatch m : group) {
            List<OsvSeverity> all = new ArrayList<>(m.record().severity());
            if (m.affected().severity() != null) {
                all.addAll(m.affected().severity());
            }
            for (OsvSeverity s : all) {
                if (s.type() == null || !s.type().startsWith("CVSS_")) {
                    continue;
                }
                try {
                    CvssScore c = PARSED.computeIfAbsent(s.score(), CvssScore::parse);
                    Rated r = new Rated(c.severity(), "CVSS " + c.version(), c.baseScore(), c.vector());
                    if (best == null || newer(c.version(), best.source())) {
                        best = r;
                    }
                } catch (InvalidCvssException e) {
                    // a malformed vector is not a rating; keep looking
                }
            }
        }
        if (best != null) {
            return best;
        }
        for (VulnMatch m : group) {
            JsonNode ds = m.record().databaseSpecific();
            String word = ds == null ? null : ds.path("severity").asText(null);
            Severity s = fromWord(word);
            if (s != null) {
                return new Rated(s, m.record().id() + " rating", null, null);
            }
        }
        return new Rated(Severity.UNKNOWN, null, null, null);
    }

    private static boolean newer(String version, String currentSource) {
        return rank(version) > rank(currentSource.replace("CVSS ", ""));
    }

    private static int rank(String v) {
        return switch (v) {
            case "4.0" -> 4;
            case "3.1" -> 3;
            case "3.0" -> 2;
            case "2.0" -> 1;
            default -> 0;
        };
    }

    private static Rated vendorRating(VulnMatch m) {
        JsonNode es = m.affected().ecosystemSpecific();
        if (es != null && es.hasNonNull("ubuntu_priority")) {
            Severity s = fromWord(es.get("ubuntu_priority").asText());
            if (s != null) {
                return new Rated(s, "Ubuntu priority", null, null);
            }
        }
        JsonNode ds = m.affected().databaseSpecific();
        if (ds != null && ds.hasNonNull("urgency")) {
            Severity s = fromWord(ds.get("urgency").asText());
            if (s != null) {
                return new Rated(s, "Debian urgency", null, null);
            }
        }
        return null;
    }

    /** Words distributions and GitHub use: critical, high, medium/moderate, low, negligible/unimportant. */
    static Severity fromWord(String word) {
        if (word == null) {
            return null;
        }
        return switch (word.trim().toLowerCase(Locale.ROOT).replace("*", "")) {
            case "critical" -> Severity.CRITICAL;
            case "high" -> Severity.HIGH;
            case "medium", "moderate" -> Severity.MEDIUM;
            case "low" -> Severity.LOW;
            case "negligible", "unimportant", "not yet assigned" -> Severity.LOW;
            default -> null;
        };
    }
}
