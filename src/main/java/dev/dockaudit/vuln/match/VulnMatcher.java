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
