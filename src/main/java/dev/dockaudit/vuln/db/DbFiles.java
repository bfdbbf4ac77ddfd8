package dev.dockaudit.vuln.db;

import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the importer and the updater share around the file: the old database, stale leftovers, write failures. */
final class DbFiles {
    private DbFiles() {
    }

    /**
     * The old database when it can be carried from, else null. A damaged or old-schema file is replaced (with a note);
     * one written by a newer dockaudit is an error (this version must not downgrade it).
     */
    static Path usableOld(Path db, List<String> notes) {
        if (!Files.exists(db)) {
            return null;
        }
        try {
            VulnDatabase.open(db).close();
            return db;
        } catch (VulnDatabase.OpenError e) {
            switch (e.problem) {
                case NEWER, UNREADABLE -> throw e;
                default -> {
                    notes.add("the existing database cannot be used and is replaced: " + e.getMessage());
                    return null;
                }
            }
        }
    }

    /** Removes temporary files an interrupted update or import left beside the database (the caller holds the lock). */
    static void removeLeftovers(Path db) {
        Path dir = db.toAbsolutePath().getParent();
        String tmp = DbWriter.tempPrefix(db);
        String dl = downloadPrefix(db);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(tmp) || n.startsWith(dl)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // best effort; the new file gets a fresh random name anyway
        }
    }

    static String downloadPrefix(Path db) {
        return "." + db.getFileName() + ".download-";
    }

    /** A failure while writing the new file: the old database is untouched, and the message says so. */
    static UserError writeFailure(Path db, Exception e) {
        Path dir = db.toAbsolutePath().getParent();
        String msg = String.valueOf(e.getMessage());
        if (isDiskFull(e, dir)) {
            return new UserError("not enough free space in " + dir + " to write the new vulnerability database (" + msg
                    + "); free some space (or choose another place with --db) and retry; the old database is unchanged");
        }
        return new UserError("cannot write the new vulnerability database in " + dir + " (" + msg
                + "); the old database is unchanged");
    }

    static boolean isDiskFull(Exception e, Path dir) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("sqlite_full") || m.contains("disk is full") || m.contains("no space left")
                    || m.contains("disk quota")) {
                return true;
            }
        }
        try {
            return Files.getFileStore(dir).getUsableSpace() < 1 << 20;
        } catch (IOException | RuntimeException x) {
            return false;
        }
    }
}
