package dev.dockaudit.vuln.db;

import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code dockaudit db import PATH}: loads a zip of OSV JSON (the osv.dev bucket's {@code ECOSYSTEM/all.zip}) or a
 * folder of {@code *.json} files (recursive) into the database, for sites without network access. The archive
 * becomes one source of the database; the other sources are kept (an earlier import of the same path is replaced),
 * or dropped with {@code replace}. Like an update it writes a new file and renames it into place, under the
 * writers' lock: an import that fails (a truncated zip, a full disk) leaves the old database as it was.
 */
public final class DbImporter {
    private DbImporter() {
    }

    /** Progress of one archive: records done of total. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total) -> { };

        void records(int done, int total);
    }

    /** What an import did. {@code millis} is the whole import (lock to rename); {@code kept} the sources carried over. */
    public record Result(Path database, String url, String ecosystem, int entries, int records, int skipped,
            int withdrawn, int duplicates, int unknownEcosystem, Map<String, Integer> unknownEcosystems,
            List<SourceInfo.Problem> problems, String dataDate, int kept, List<String> notes, long millis) {
        public double recordsPerSecond() {
            return millis == 0 ? records * 1000.0 : records * 1000.0 / millis;
        }
    }

    /** Imports {@code input} (a zip or a folder) into the database at {@code db}. */
    public static Result importPath(Path db, Path input, boolean replace, Progress progress) {
        if (!Files.exists(input)) {
            throw new UserError(input + " does not exist; pass a zip of OSV JSON records (such as the osv.dev bucket's"
                    + " ECOSYSTEM/all.zip) or a folder of *.json files");
        }
        return importArchive(db, input, "import", input.toAbsolutePath().normalize().toUri().toString(), null, replace,
                progress);
    }

    static Result importArchive(Path db, Path input, String kind, String url, String fallbackDataDate, boolean replace,
            Progress progress) {
        long start = System.nanoTime();
        DbLock.createParent(db);
        DbLock lock = DbLock.acquire(db);
        try {
            DbFiles.removeLeftovers(db);
            try (ArchiveInput in = open(input)) {
                if (in.entries().isEmpty()) {
                    throw new UserError(input + " has no *.json OSV records; pass a zip of OSV JSON records or a folder"
                            + " of *.json files");
                }
                List<String> notes = new ArrayList<>();
                Path old = replace ? null : DbFiles.usableOld(db, notes);
                try (DbWriter w = DbWriter.create(db)) {
                    int kept = 0;
                    if (old != null) {
                        for (DbWriter.OldSource s : w.attachOld(old)) {
                            if (!(s.url().equals(url) && s.kind().equals(kind))) {
                                w.carryOver(s, null);
                                kept++;
                            }
                        }
                    }
                    int total = in.entries().size();
                    DbWriter.ArchiveResult r = w.importArchive(in,
                            new DbWriter.NewSource(kind, null, url, null, null, DbWriter.now(), fallbackDataDate),
                            done -> progress.records(done, total));
                    if (r.records() == 0) {
                        SourceInfo.Problem first = r.problems().isEmpty() ? null : r.problems().get(0);
                        throw new UserError("none of the " + r.entries() + " JSON files in " + input
                                + " is a usable OSV record" + (first == null ? "" : " (" + first.entry() + ": "
                                + first.reason() + ")") + "; the database is unchanged");
                    }
                    w.commit(fallbackDataDate);
                    return new Result(db, url, r.ecosystem(), r.entries(), r.records(), r.skipped(), r.withdrawn(),
                            r.duplicates(), r.unknownEcosystem(), r.unknownEcosystems(), r.problems(), r.dataDate(), kept,
                            notes, (System.nanoTime() - start) / 1_000_000);
                }
            } catch (ArchiveInput.ArchiveException e) {
                throw new UserError(input + " " + e.getMessage() + "; the database is unchanged");
            } catch (SQLException | IOException e) {
                throw DbFiles.writeFailure(db, e);
            }
        } finally {
            lock.close();
        }
    }

    private static ArchiveInput open(Path input) throws ArchiveInput.ArchiveException {
        return ArchiveInput.open(input);
    }
}
