package dev.dockaudit.vuln.db;

import java.util.List;

/**
 * One archive in the database: a downloaded {@code ECOSYSTEM/all.zip} ({@code kind} "download"), an imported zip
 * or folder ("import") or the bundled seed ("seed"). {@code ecosystem} is the archive's ecosystem, or for an import
 * the base ecosystems found in it; {@code fetchedAt} when these bytes were fetched, {@code checkedAt} when the server
 * was last asked (a 304 moves only this); {@code dataDate} the newest {@code modified} among its records (null when
 * none has one); {@code unknownEcosystem} the records with an affected entry in an ecosystem dockaudit does not
 * match (stored anyway); {@code problems} the first malformed records that were skipped ({@code skipped} counts all).
 */
public record SourceInfo(String kind, String ecosystem, String url, String etag, String lastModified, String fetchedAt,
        String checkedAt, int records, int skipped, int withdrawn, int unknownEcosystem, String dataDate,
        List<Problem> problems) {
    public SourceInfo {
        problems = List.copyOf(problems);
    }

    /** A record that could not be used: the archive entry (file name) and why. */
    public record Problem(String entry, String reason) {
    }
}
