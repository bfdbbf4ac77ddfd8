package dev.dockaudit.vuln.osv;

import java.util.List;
import java.util.Set;

/**
 * The OSV ecosystems dockaudit downloads and matches. OSV writes an ecosystem as a base name and, for
 * distributions, a release after a colon ({@code Debian:12}, {@code Alpine:v3.18}, {@code Ubuntu:Pro:22.04:LTS},
 * {@code Red Hat:enterprise_linux:9::appstream}); the osv.dev bucket has one {@code BASE/all.zip} per base name.
 */
public final class OsvEcosystems {
    /** Operating-system ecosystems, in the order {@code db update} fetches them. */
    public static final List<String> OS = List.of("Debian", "Ubuntu", "Alpine", "Red Hat", "AlmaLinux", "Rocky Linux",
            "SUSE", "openSUSE", "Wolfi", "Chainguard");
    /** Language ecosystems, in the order {@code db update} fetches them. */
    public static final List<String> LANGUAGE = List.of("Maven", "npm", "PyPI", "Go", "crates.io", "RubyGems", "NuGet",
            "Packagist");
    /** Everything {@code db update} fetches by default. */
    public static final List<String> DEFAULT = concat(OS, LANGUAGE);

    private static final Set<String> KNOWN = Set.copyOf(DEFAULT);

    private OsvEcosystems() {
    }

    /** The base name: the part before the first colon ({@code Ubuntu:Pro:22.04:LTS} → {@code Ubuntu}). */
    public static String base(String ecosystem) {
        if (ecosystem == null) {
            return null;
        }
        int c = ecosystem.indexOf(':');
        return c < 0 ? ecosystem : ecosystem.substring(0, c);
    }

    /** Whether dockaudit matches packages of this ecosystem (by its base name); others are stored but counted as unknown. */
    public static boolean isKnown(String ecosystem) {
        return ecosystem != null && KNOWN.contains(base(ecosystem));
    }

    /** The canonical spelling of a base name given in any case ({@code pypi} → {@code PyPI}), or null. */
    public static String canonical(String name) {
        for (String e : DEFAULT) {
            if (e.equalsIgnoreCase(name.strip())) {
                return e;
            }
        }
        return null;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
