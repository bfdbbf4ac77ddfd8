package dev.dockaudit.inventory.os;

import dev.dockaudit.image.layer.MergedFilesystem;
import dev.dockaudit.inventory.OsInfo;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Decides the image's distribution from the release files that survive in the final filesystem (following
 * symlinks, as /etc/os-release usually is one), preferring os-release and refining its version where a
 * distro file is more precise (Debian's point release in /etc/debian_version).
 */
public final class OsDetector {
    private static final Map<String, String> DEBIAN_CODENAMES = Map.of(
            "8", "jessie", "9", "stretch", "10", "buster", "11", "bullseye", "12", "bookworm", "13", "trixie");

    /** Finds the analyzer's result for a file at a path in a layer. */
    public interface Lookup {
        OsInfo at(String path, int layer);
    }

    private OsDetector() {
    }

    public static OsInfo detect(MergedFilesystem fs, Lookup lookup, boolean dpkgStatusDir) {
        return detect(fs, lookup, dpkgStatusDir, LocalDate.now());
    }

    static OsInfo detect(MergedFilesystem fs, Lookup lookup, boolean dpkgStatusDir, LocalDate today) {
        OsInfo release = first(fs, lookup, List.of(OsReleaseAnalyzer.OS_RELEASE, OsReleaseAnalyzer.USR_OS_RELEASE));
        OsInfo alpine = first(fs, lookup, List.of(OsReleaseAnalyzer.ALPINE));
        OsInfo debian = first(fs, lookup, List.of(OsReleaseAnalyzer.DEBIAN));
        OsInfo redhat = first(fs, lookup, List.copyOf(new java.util.TreeSet<>(OsReleaseAnalyzer.REDHAT_LIKE)));
        OsInfo lsb = first(fs, lookup, List.of(OsReleaseAnalyzer.LSB));
        OsInfo base = release != null ? release : alpine != null ? alpine : redhat != null ? redhat
                : lsb != null ? lsb : debian;
        if (base == null) {
            if (!dpkgStatusDir) {
                return null;
            }
            // Distroless: dpkg's status.d without any release file is still Debian.
            base = new OsInfo("debian", null, null, null, null, null, "/var/lib/dpkg/status.d");
        }
        String family = base.family();
        String version = base.version();
        String codename = base.codename();
        String source = base.source();
        if (family.equals("debian") && debian != null && debian.version().matches("\\d+(\\.\\d+)*")) {
            version = debian.version();
            source = source.equals(debian.source()) ? source : source + ", " + debian.source();
        } else if (family.equals("debian") && version == null && debian != null) {
            codename = codename != null ? codename : debian.version().replace("/sid", "");
        }
        if (family.equals("alpine") && alpine != null && version == null) {
            version = alpine.version();
        }
        if (family.equals("debian") && codename == null && version != null) {
            codename = DEBIAN_CODENAMES.get(version.split("\\.")[0]);
        }
        String eolDate = EolTable.eolDate(family, version);
        return new OsInfo(family, version, codename, base.prettyName(), EolTable.isEol(eolDate, today), eolDate, source);
    }

    private static OsInfo first(MergedFilesystem fs, Lookup lookup, List<String> paths) {
        for (String p : paths) {
            MergedFilesystem.Node n;
            try {
                n = fs.resolve(p);
            } catch (MergedFilesystem.SymlinkLoopException e) {
                continue;
            }
            if (n == null) {
                continue;
            }
            OsInfo info = lookup.at(n.file().path(), n.layer());
            if (info != null) {
                return info;
            }
        }
        return null;
    }
}
