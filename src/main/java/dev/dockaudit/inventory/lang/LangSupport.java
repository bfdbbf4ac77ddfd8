package dev.dockaudit.inventory.lang;

import dev.dockaudit.image.layer.LayerPaths;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Small helpers shared by the language-package analyzers. */
final class LangSupport {
    private LangSupport() {
    }

    /** A language package: no arch, no source package, no file list; the layer is filled in by the merge. */
    static Package pkg(String name, String version, PackageType type, String purl, List<String> licenses, String path,
                       Map<String, String> metadata) {
        return new Package(name, version, type, null, null, null, purl, licenses, List.of(), path, null, metadata);
    }

    /** The last path segment, lower-cased (for extension tests). */
    static String lowerBaseName(String path) {
        return LayerPaths.baseName(path).toLowerCase(Locale.ROOT);
    }

    /** A value from an image, made safe for a one-line warning. */
    static String printable(String s) {
        return s == null ? "" : LayerPaths.printable(s);
    }

    /** Keeps a licence string only when it reads like a licence name or expression, not a whole licence text. */
    static String licenseOrNull(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        if (t.isEmpty() || t.length() > 200 || t.indexOf('\n') >= 0 || t.equalsIgnoreCase("UNKNOWN")) {
            return null;
        }
        return t;
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
