package dev.dockaudit.inventory;

import dev.dockaudit.inventory.lang.ComposerAnalyzer;
import dev.dockaudit.inventory.lang.DotnetDepsAnalyzer;
import dev.dockaudit.inventory.lang.ElfBinaryAnalyzer;
import dev.dockaudit.inventory.lang.JavaArchiveAnalyzer;
import dev.dockaudit.inventory.lang.NpmAnalyzer;
import dev.dockaudit.inventory.lang.PythonAnalyzer;
import dev.dockaudit.inventory.lang.RubyGemspecAnalyzer;
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
                new RpmAnalyzer(),
                // language packages; executables last, so a jar or script with an execute bit goes to its own analyzer
                new JavaArchiveAnalyzer(),
                new NpmAnalyzer(),
                new PythonAnalyzer(),
                new RubyGemspecAnalyzer(),
                new DotnetDepsAnalyzer(),
                new ComposerAnalyzer(),
                new ElfBinaryAnalyzer());
    }
}
