package dev.dockaudit.inventory.pkg;

import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.inventory.AnalyzerInput;
import dev.dockaudit.inventory.FileAnalyzer;
import dev.dockaudit.inventory.FileResult;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * apk's database {@code /lib/apk/db/installed}: one record per package, blank-line separated, single-letter
 * fields ({@code P} name, {@code V} version, {@code A} arch, {@code o} origin, {@code L} licence, {@code F}
 * directory and {@code R} file entries, …) as apk-tools writes them.
 */
public final class ApkAnalyzer implements FileAnalyzer {
    static final String INSTALLED = "lib/apk/db/installed";
    private static final int MAX = 64 << 20;

    @Override
    public String name() {
        return "apk";
    }

    @Override
    public boolean wants(LayerFile f) {
        return f.path().equals(INSTALLED);
    }

    @Override
    public boolean isDatabase() {
        return true;
    }

    @Override
    public FileResult analyze(AnalyzerInput in) throws IOException {
        if (in.file().size() > MAX) {
            throw new IOException("is " + in.file().size() + " bytes, over the " + MAX + "-byte limit for an apk database");
        }
        String text = new String(in.bytes(MAX), StandardCharsets.UTF_8);
        List<Package> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Record r = new Record();
        int lineNo = 0;
        int bad = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isEmpty()) {
                r.emit(out, "/" + in.path());
                r = new Record();
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != ':') {
                if (bad++ == 0) {
                    warnings.add("line " + lineNo + " is not an apk 'X:value' field; ignored");
                }
                continue;
            }
            r.field(line.charAt(0), line.substring(2));
        }
        r.emit(out, "/" + in.path());
        return FileResult.of(out, warnings);
    }

    /** One package record being read. */
    private static final class Record {
        String name;
        String version;
        String arch;
        String origin;
        String license;
        String dir = "";
        final List<String> files = new ArrayList<>();
        final Map<String, String> meta = new TreeMap<>();

        void field(char key, String value) {
            switch (key) {
                case 'P' -> name = value;
                case 'V' -> version = value;
                case 'A' -> arch = value;
                case 'o' -> origin = value;
                case 'L' -> license = value;
                case 'F' -> dir = value;
                case 'R' -> files.add(dir.isEmpty() ? value : dir + "/" + value);
                case 'm' -> meta.put("maintainer", value);
                case 'c' -> meta.put("commit", value);
                case 't' -> meta.put("buildTime", value);
                default -> {
                    // other fields (checksums, sizes, dependencies) are not inventory facts
                }
            }
        }

        void emit(List<Package> out, String path) {
            if (name == null || version == null || name.isEmpty() || version.isEmpty()) {
                return;
            }
            out.add(new Package(name, version, PackageType.APK, arch, origin, origin == null ? null : version, null,
                    license == null || license.isEmpty() ? List.of() : List.of(license), files, path, null, meta));
        }
    }
}
