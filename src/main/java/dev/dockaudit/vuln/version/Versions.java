package dev.dockaudit.vuln.version;

import java.util.Locale;
import java.util.Map;

/** Picks the version comparator for an OSV ecosystem or an OSV range type. */
public final class Versions {

    private static final Map<String, VersionComparator> BY_ECOSYSTEM = Map.ofEntries(
            // dpkg
            Map.entry("debian", DpkgVersion.INSTANCE),
            Map.entry("ubuntu", DpkgVersion.INSTANCE),
            // apk
            Map.entry("alpine", ApkVersion.INSTANCE),
            Map.entry("wolfi", ApkVersion.INSTANCE),
            Map.entry("chainguard", ApkVersion.INSTANCE),
            // rpm
            Map.entry("red hat", RpmVersion.INSTANCE),
            Map.entry("almalinux", RpmVersion.INSTANCE),
            Map.entry("rocky linux", RpmVersion.INSTANCE),
            Map.entry("suse", RpmVersion.INSTANCE),
            Map.entry("opensuse", RpmVersion.INSTANCE),
            Map.entry("mageia", RpmVersion.INSTANCE),
            Map.entry("photon os", RpmVersion.INSTANCE),
            Map.entry("cbl-mariner", RpmVersion.INSTANCE),
            Map.entry("azure linux", RpmVersion.INSTANCE),
            Map.entry("amazon linux", RpmVersion.INSTANCE),
            Map.entry("oracle linux", RpmVersion.INSTANCE),
            Map.entry("openeuler", RpmVersion.INSTANCE),
            // semver
            Map.entry("go", SemverVersion.INSTANCE),
            Map.entry("npm", SemverVersion.INSTANCE),
            Map.entry("crates.io", SemverVersion.INSTANCE),
            Map.entry("hex", SemverVersion.INSTANCE),
            // language ecosystems with their own schemes
            Map.entry("maven", MavenVersion.INSTANCE),
            Map.entry("pypi", Pep440Version.INSTANCE),
            Map.entry("rubygems", RubyGemsVersion.INSTANCE),
            Map.entry("nuget", NuGetVersion.INSTANCE),
            Map.entry("packagist", PackagistVersion.INSTANCE));

    private Versions() {
    }

    /**
     * The comparator for an OSV ecosystem name; only the part before the first ':' counts ("Debian:12",
     * "Ubuntu:22.04:LTS", "Ubuntu:Pro:18.04:LTS", "Alpine:v3.18"). Case and surrounding spaces are ignored.
     *
     * @return the comparator, or null for an ecosystem this tool does not know (the caller reports it)
     */
    public static VersionComparator forEcosystem(String osvEcosystem) {
        if (osvEcosystem == null) {
            return null;
        }
        int colon = osvEcosystem.indexOf(':');
        String base = (colon >= 0 ? osvEcosystem.substring(0, colon) : osvEcosystem).strip().toLowerCase(Locale.ROOT);
        return BY_ECOSYSTEM.get(base);
    }

    /**
     * The comparator for an OSV range type that fixes its own ordering: {@code SEMVER}. Returns null for
     * {@code ECOSYSTEM} (use {@link #forEcosystem}), {@code GIT} and unknown types.
     */
    public static VersionComparator forRangeType(String osvRangeType) {
        if (osvRangeType != null && osvRangeType.strip().equalsIgnoreCase("SEMVER")) {
            return SemverVersion.INSTANCE;
        }
        return null;
    }
}
