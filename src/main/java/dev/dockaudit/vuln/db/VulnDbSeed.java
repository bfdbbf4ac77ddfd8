package dev.dockaudit.vuln.db;

import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The small dated seed bundled in the jar ({@code dockaudit/seed/osv-seed.zip} and {@code seed.properties}, built by
 * {@code scripts/build-seed-db}): the real Alpine v3.10 advisories the example image needs, so a first run without a
 * database still shows real findings offline. The matcher imports it into a private database in the run's temporary
 * folder when no database exists (and says so, with the seed's date); {@code db update} gives the real thing.
 */
public final class VulnDbSeed {
    static final String ZIP = "/dockaudit/seed/osv-seed.zip";
    static final String PROPERTIES = "/dockaudit/seed/seed.properties";
    /** The source URL recorded for the seed in the database. */
    public static final String URL = "seed:dockaudit/seed/osv-seed.zip";

    private VulnDbSeed() {
    }

    /** What the seed is: {@code date} (YYYY-MM-DD), {@code ecosystems}, {@code records}, {@code source}. */
    public record Info(String date, String ecosystems, int records, String source) {
    }

    /** The bundled seed's description, or null when this build has none. */
    public static Info info() {
        try (InputStream in = VulnDbSeed.class.getResourceAsStream(PROPERTIES)) {
            if (in == null || VulnDbSeed.class.getResource(ZIP) == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return new Info(p.getProperty("date"), p.getProperty("ecosystems"),
                    Integer.parseInt(p.getProperty("records", "0")), p.getProperty("source"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Imports the seed into a new database file {@code target} (in a private folder such as the run's
     * {@code TempFiles}) and opens it. The data date is the seed's date (its records have no modification times).
     */
    public static VulnDatabase open(Path target) {
        Info info = info();
        if (info == null) {
            throw new UserError("this build of dockaudit has no bundled seed database; run 'dockaudit db update'");
        }
        Path zip = target.resolveSibling(target.getFileName() + ".seed.zip");
        try (InputStream in = VulnDbSeed.class.getResourceAsStream(ZIP)) {
            Files.copy(in, zip, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UserError("cannot write the seed database to " + zip + " (" + e.getMessage() + ")");
        }
        try {
            DbImporter.importArchive(target, zip, "seed", URL, info.date() + "T00:00:00Z", true, DbImporter.Progress.NONE);
        } finally {
            try {
                Files.deleteIfExists(zip);
            } catch (IOException e) {
                // in the run's private folder, removed at exit
            }
        }
        return VulnDatabase.open(target);
    }
}
