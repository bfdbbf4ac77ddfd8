package dev.dockaudit.cli;

import dev.dockaudit.util.UserError;
import dev.dockaudit.vuln.db.VulnDatabase;
import dev.dockaudit.vuln.db.VulnDbPaths;
import dev.dockaudit.vuln.db.VulnDbSeed;
import java.nio.file.Files;
import java.nio.file.Path;

/** The line {@code --version} prints about the vulnerability data a scan would use. */
final class VulnDataInfo {
    private VulnDataInfo() {
    }

    static String describe() {
        Path db = VulnDbPaths.defaultPath();
        if (Files.exists(db)) {
            try (VulnDatabase d = VulnDatabase.open(db)) {
                String date = d.dataDate();
                return "vulnerability database: " + db + ", data as of " + (date == null ? "unknown"
                        : date.length() >= 10 ? date.substring(0, 10) : date);
            } catch (UserError e) {
                return "vulnerability database: " + db + " cannot be read (" + e.getMessage() + ")";
            }
        }
        VulnDbSeed.Info seed = VulnDbSeed.info();
        return "vulnerability database: none at " + db + (seed == null ? ""
                : "; scans use the bundled seed (" + seed.ecosystems() + ", dated " + seed.date() + ")")
                + "; run 'dockaudit db update'";
    }
}
