package dev.dockaudit.vuln.match;

import dev.dockaudit.inventory.OsInfo;
import dev.dockaudit.inventory.Package;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How one installed package is looked up in OSV data: the ecosystems that describe its distribution release,
 * the name advisories use (the source package for OS packages: dpkg Source, apk origin; the binary name for
 * rpm, as AlmaLinux/Rocky/SUSE advisories list binaries), and the version to compare.
 *
 * @param ecosystems OSV ecosystem strings, exact (as stored), e.g. "Debian:12", "Alpine:v3.18"
 */
public record PackageQuery(Package pkg, List<String> ecosystems, String name, String version, String comparatorEcosystem) {

    /** The query for a package, or null with a reason in {@code why} when its ecosystem is unknown. */
    public static PackageQuery of(Package p, OsInfo os, List<String> knownEcosystems, StringBuilder why) {
        return switch (p.type()) {
            case DEB -> debian(p, os, knownEcosystems, why);
            case APK -> alpine(p, os, why);
            case RPM -> rpm(p, os, knownEcosystems, why);
            case MAVEN -> lang(p, "Maven");
            case NPM -> lang(p, "npm");
            case PYPI -> lang(p, "PyPI");
            case GOLANG -> lang(p, "Go");
            case CARGO -> lang(p, "crates.io");
            case GEM -> lang(p, "RubyGems");
            case NUGET -> lang(p, "NuGet");
            case COMPOSER -> lang(p, "Packagist");
        };
    }

    private static PackageQuery lang(Package p, String ecosystem) {
        return new PackageQuery(p, List.of(ecosystem), p.name(), p.version(), ecosystem);
    }

    private static String source(Package p) {
        return p.sourceName() != null && !p.sourceName().isEmpty() ? p.sourceName() : p.name();
    }

    /** dpkg advisories (DSA, DLA, DEBIAN-CVE, USN, Ubuntu CVE records) name source packages and source versions. */
    private static PackageQuery debian(Package p, OsInfo os, List<String> known, StringBuilder why) {
        String version = p.sourceVersion() != null && !p.sourceVersion().isEmpty() ? p.sourceVersion() : p.version();
        if (os == null) {
            why.append("the image's distribution is unknown, so deb packages cannot be matched to a release's advisories");
            return null;
        }
        if (os.family().equals("ubuntu")) {
            if (os.version() == null) {
                why.append("the Ubuntu release is unknown");
                return null;
            }
            // Standard (non-Pro) Ubuntu: "Ubuntu:22.04:LTS" and "Ubuntu:23.10". Ubuntu Pro (ESM) fixes need a
            // subscription, so they are not matched for a stock image.
            List<String> eco = new ArrayList<>();
            for (String e : known) {
                if (e.equals("Ubuntu:" + os.version()) || e.equals("Ubuntu:" + os.version() + ":LTS")) {
                    eco.add(e);
                }
            }
            if (eco.isEmpty()) {
                eco.add("Ubuntu:" + os.version() + ":LTS");
            }
            return new PackageQuery(p, eco, source(p), version, "Ubuntu");
        }
        if (os.family().equals("debian") || os.family().equals("distroless")) {
            if (os.version() == null) {
                why.append("the Debian release is unknown (testing/sid images have no numbered release advisories)");
                return null;
            }
            return new PackageQuery(p, List.of("Debian:" + os.version().split("\\.")[0]), source(p), version, "Debian");
        }
        why.append("deb packages on '" + os.family() + "' have no OSV ecosystem dockaudit knows");
        return null;
    }

    /** Alpine secdb advisories name the origin (source) package; Wolfi and Chainguard have one rolling ecosystem. */
    private static PackageQuery alpine(Package p, OsInfo os, StringBuilder why) {
        if (os == null) {
            why.append("the image's distribution is unknown, so apk packages cannot be matched to a release");
            return null;
        }
        return switch (os.family()) {
            case "alpine" -> {
                if (os.version() == null || !os.version().matches("\\d+\\.\\d+.*")) {
                    why.append("the Alpine release is unknown");
                    yield null;
                }
                String release = os.version().replaceFirst("^(\\d+\\.\\d+).*", "$1");
                yield new PackageQuery(p, List.of("Alpine:v" + release), source(p), p.version(), "Alpine");
            }
            case "wolfi" -> new PackageQuery(p, List.of("Wolfi"), source(p), p.version(), "Wolfi");
            case "chainguard" -> new PackageQuery(p, List.of("Chainguard"), source(p), p.version(), "Chainguard");
            default -> {
                why.append("apk packages on '" + os.family() + "' have no OSV ecosystem dockaudit knows");
                yield null;
            }
        };
    }

    private static PackageQuery rpm(Package p, OsInfo os, List<String> known, StringBuilder why) {
        if (os == null || os.version() == null) {
            why.append("the rpm distribution or its release is unknown");
            return null;
        }
        String major = os.version().split("\\.")[0];
        String family = os.family().toLowerCase(Locale.ROOT);
        List<String> eco = new ArrayList<>();
        String comparator;
        switch (family) {
            case "almalinux" -> {
                eco.add("AlmaLinux:" + major);
                comparator = "AlmaLinux";
            }
            case "rocky" -> {
                eco.add("Rocky Linux:" + major);
                comparator = "Rocky Linux";
            }
            case "rhel", "centos" -> {
                // Red Hat's OSV ecosystems carry the product stream: "Red Hat:enterprise_linux:9::appstream" …
                for (String e : known) {
                    if (e.startsWith("Red Hat:") && e.contains(":enterprise_linux:" + major)) {
                        eco.add(e);
                    }
                }
                comparator = "Red Hat";
            }
            case "opensuse-leap" -> {
                eco.add("openSUSE:Leap " + os.version());
                comparator = "openSUSE";
            }
            case "sles", "sle_hpc", "sles_sap" -> {
                for (String e : known) {
                    if (e.startsWith("SUSE:") && e.contains(" " + major)) {
                        eco.add(e);
                    }
                }
                comparator = "SUSE";
            }
            default -> {
                why.append("rpm packages on '" + os.family() + "' have no OSV ecosystem dockaudit knows");
                return null;
            }
        }
        if (eco.isEmpty()) {
            why.append("the vulnerability database has no " + comparator + " " + major + " data");
            return null;
        }
        return new PackageQuery(p, eco, p.name(), p.version(), comparator);
    }
}
