package dev.dockaudit.vuln.match;

import dev.dockaudit.vuln.osv.OsvAffected;
import dev.dockaudit.vuln.osv.OsvEvent;
import dev.dockaudit.vuln.osv.OsvRange;
import dev.dockaudit.vuln.version.InvalidVersionException;
import dev.dockaudit.vuln.version.VersionComparator;
import dev.dockaudit.vuln.version.Versions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides whether a version is affected by one OSV {@code affected} entry, with the schema's semantics:
 * an explicit {@code versions} list, or ranges of type ECOSYSTEM (the ecosystem's own ordering) and SEMVER
 * whose events — {@code introduced}, {@code fixed}, {@code last_affected}, {@code limit} — are evaluated in
 * version order. GIT ranges name commits, which an image does not record, so they never match.
 */
final class RangeEvaluator {

    /** The verdict: affected or not, and the fixed version that would end it (null when there is none). */
    record Verdict(boolean affected, String fixedVersion) {
        static final Verdict NO = new Verdict(false, null);
    }

    private RangeEvaluator() {
    }

    /**
     * @param ecosystemComparator the comparator for the package's ecosystem
     * The caller checks that {@code version} itself parses (once per package); an unparsable version inside the
     * record only disables that range.
     */
    static Verdict evaluate(String version, OsvAffected a, VersionComparator ecosystemComparator, List<String> problems) {
        Verdict best = Verdict.NO;
        for (OsvRange r : a.ranges()) {
            VersionComparator cmp;
            if ("ECOSYSTEM".equals(r.type())) {
                cmp = ecosystemComparator;
            } else if ("SEMVER".equals(r.type())) {
                cmp = Versions.forRangeType("SEMVER");
            } else {
                continue;
            }
            Verdict v;
            try {
                v = range(version, r.events(), cmp);
            } catch (InvalidVersionException e) {
                problems.add("a range event version is not valid for the ecosystem (" + e.getMessage() + ")");
                continue;
            }
            if (v.affected() && (!best.affected() || (best.fixedVersion() != null && v.fixedVersion() == null))) {
                best = v;
            }
        }
        if (!best.affected() && a.versions() != null && a.versions().contains(version)) {
            best = new Verdict(true, null);
        }
        return best;
    }

    private static Verdict range(String version, List<OsvEvent> events, VersionComparator cmp) {
        List<OsvEvent> ordered = new ArrayList<>();
        List<String> limits = new ArrayList<>();
        for (OsvEvent e : events) {
            if ("limit".equals(e.kind())) {
                limits.add(e.version());
            } else if (e.version() != null) {
                ordered.add(e);
            }
        }
        Comparator<OsvEvent> byVersion = (x, y) -> {
            if (isZero(x)) {
                return isZero(y) ? 0 : -1;
            }
            if (isZero(y)) {
                return 1;
            }
            return cmp.compare(x.version(), y.version());
        };
        ordered.sort(byVersion);
        boolean affected = false;
        for (OsvEvent e : ordered) {
            switch (e.kind()) {
                case "introduced" -> {
                    if (isZero(e) || cmp.compare(version, e.version()) >= 0) {
                        affected = true;
                    }
                }
                case "fixed" -> {
                    if (cmp.compare(version, e.version()) >= 0) {
                        affected = false;
                    }
                }
                case "last_affected" -> {
                    if (cmp.compare(version, e.version()) > 0) {
                        affected = false;
                    }
                }
                default -> {
                    // unknown event kinds are ignored, as the schema asks
                }
            }
        }
        for (String limit : limits) {
            if (!"*".equals(limit) && cmp.compare(version, limit) >= 0) {
                affected = false;
            }
        }
        if (!affected) {
            return Verdict.NO;
        }
        for (OsvEvent e : ordered) {
            if ("fixed".equals(e.kind()) && cmp.compare(e.version(), version) > 0) {
                return new Verdict(true, e.version());
            }
        }
        return new Verdict(true, null);
    }

    private static boolean isZero(OsvEvent e) {
        return "introduced".equals(e.kind()) && "0".equals(e.version());
    }
}
