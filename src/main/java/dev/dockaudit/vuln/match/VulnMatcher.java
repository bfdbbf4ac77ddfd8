package dev.dockaudit.vuln.match;

import dev.dockaudit.inventory.Inventory;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.vuln.db.Candidate;
import dev.dockaudit.vuln.db.VulnDatabase;
import dev.dockaudit.vuln.version.InvalidVersionException;
import dev.dockaudit.vuln.version.VersionComparator;
import dev.dockaudit.vuln.version.Versions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Matches every package of an inventory against the OSV database: the package's release ecosystem and
 * advisory name ({@link PackageQuery}), then each candidate entry's versions and ranges
 * ({@link RangeEvaluator}). Withdrawn advisories are ignored. What cannot be matched (an unknown ecosystem,
 * a version the comparator rejects) is reported as a note, never silently matched or dropped.
 */
public final class VulnMatcher {
    private final VulnDatabase db;

    public VulnMatcher(VulnDatabase db) {
        this.db = db;
    }

    /** Matches and notes. */
    public record Result(List<VulnMatch> matches, List<String> notes) {
    }

    /**
     * Runs a small match of one package per common ecosystem, so the matcher, the comparators and the record
     * decoder are loaded and compiled on the second core while the image is still being read; the real match
     * that follows then runs at warm speed. The result is thrown away.
     */
    public void warmUp() {
        List<Package> sample = new ArrayList<>();
        String[][] pkgs = {{"deb", "openssl", "1.1.1n-0+deb11u3"}, {"deb", "glibc", "2.31-13+deb11u5"},
            {"apk", "openssl", "1.1.1d-r2"}, {"apk", "busybox", "1.30.1-r3"}, {"npm", "lodash", "4.17.15"},
            {"pypi", "requests", "2.25.1"}, {"maven", "org.apache.logging.log4j:log4j-core", "2.14.1"},
            {"golang", "golang.org/x/net", "v0.1.0"}};
        for (int round = 0; round < 3; round++) {
            for (String[] k : pkgs) {
                dev.dockaudit.inventory.PackageType t = switch (k[0]) {
                    case "deb" -> dev.dockaudit.inventory.PackageType.DEB;
                    case "apk" -> dev.dockaudit.inventory.PackageType.APK;
                    case "npm" -> dev.dockaudit.inventory.PackageType.NPM;
                    case "pypi" -> dev.dockaudit.inventory.PackageType.PYPI;
                    case "maven" -> dev.dockaudit.inventory.PackageType.MAVEN;
                    default -> dev.dockaudit.inventory.PackageType.GOLANG;
                };
                sample.add(new Package(k[1], k[2], t, null, k[1], k[2], null, List.of(), List.of(), null, null, null));
            }
        }
        for (dev.dockaudit.inventory.OsInfo os : List.of(
                new dev.dockaudit.inventory.OsInfo("debian", "11", null, null, null, null, null),
                new dev.dockaudit.inventory.OsInfo("alpine", "3.10.4", null, null, null, null, null))) {
            VulnFindings.build(match(new Inventory(os, sample, List.of())).matches());
        }
    }

    public Result match(Inventory inventory) {
        List<VulnMatch> matches = new ArrayList<>();
        Set<String> notes = new LinkedHashSet<>();
        List<String> known = db.ecosystems();
        for (Package p : inventory.packages()) {
            StringBuilder why = new StringBuilder();
            PackageQuery q = PackageQuery.of(p, inventory.os(), known, why);
            if (q == null) {
                notes.add("not matched: " + why);
                continue;
            }
            VersionComparator cmp = Versions.forEcosystem(q.comparatorEcosystem());
            if (cmp == null) {
                notes.add("not matched: no version comparison for the " + q.comparatorEcosystem() + " ecosystem");
                continue;
            }
            List<Candidate> candidates = db.candidates(q.ecosystems(), q.name());
            if (candidates.isEmpty()) {
                continue;
            }
            try {
                cmp.compare(q.version(), q.version()); // an unparsable installed version is reported, never matched
            } catch (InvalidVersionException e) {
                notes.add("not matched: " + p.type().label + " package " + p.name() + " has version '" + q.version()
                        + "', which " + q.comparatorEcosystem() + " version rules cannot read (" + e.getMessage() + ")");
                continue;
            }
            List<String> problems = new ArrayList<>();
            for (Candidate c : candidates) {
                if (c.record().withdrawn() != null && !c.record().withdrawn().isEmpty()) {
                    continue;
                }
                RangeEvaluator.Verdict v = RangeEvaluator.evaluate(q.version(), c.affected(), cmp, problems);
                if (v.affected()) {
                    matches.add(new VulnMatch(p, q, c.record(), c.affected(), v.fixedVersion()));
                }
                for (String problem : problems) {
                    notes.add(c.record().id() + ": " + problem);
                }
                problems.clear();
            }
        }
        return new Result(matches, List.copyOf(notes));
    }
}
