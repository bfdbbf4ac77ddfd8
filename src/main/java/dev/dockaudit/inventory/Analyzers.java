package dev.dockaudit.inventory;

import dev.dockaudit.inventory.os.OsReleaseAnalyzer;
import dev.dockaudit.inventory.pkg.ApkAnalyzer;
import dev.dockaudit.inventory.pkg.DpkgAnalyzer;
import dev.dockaudit.inventory.pkg.rpm.RpmAnalyzer;
import java.util.List;

/** Every analyzer the inventory runs, in the order files are offered to them (first that wants a file gets it). */
public final class Analyzers {
    private Analyzers() {
    }

    public static List<FileAnalyzer> all() {
        return List.of(
                new OsReleaseAnalyzer(),
                new DpkgAnalyzer(),
                new ApkAnalyzer(),
                new RpmAnalyzer());
    }
}
