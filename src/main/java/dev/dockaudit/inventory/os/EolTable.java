package dev.dockaudit.inventory.os;

import java.time.LocalDate;
import java.util.Map;

/**
 * When distribution releases stop getting security fixes. Debian counts its LTS years, Ubuntu its standard
 * support (ESM needs a subscription), Alpine the end of its main repository's fixes, and RHEL-family the end
 * of maintenance support. Sources: the vendors' release pages (debian.org/releases, wiki.debian.org/LTS,
 * ubuntu.com/about/release-cycle, alpinelinux.org/releases, access.redhat.com/support/policy/updates/errata).
 */
final class EolTable {
    private static final Map<String, String> DEBIAN = Map.of(
            "8", "2020-06-30", "9", "2022-06-30", "10", "2024-06-30", "11", "2026-08-31", "12", "2028-06-30",
            "13", "2030-06-30");
    private static final Map<String, String> UBUNTU = Map.ofEntries(
            Map.entry("14.04", "2019-04-30"), Map.entry("16.04", "2021-04-30"), Map.entry("18.04", "2023-05-31"),
            Map.entry("20.04", "2025-05-31"), Map.entry("22.04", "2027-06-01"), Map.entry("24.04", "2029-05-31"),
            Map.entry("23.04", "2024-01-25"), Map.entry("23.10", "2024-07-11"), Map.entry("24.10", "2025-07-10"),
            Map.entry("25.04", "2026-01-15"));
    private static final Map<String, String> ALPINE = Map.ofEntries(
            Map.entry("3.7", "2019-11-01"), Map.entry("3.8", "2020-05-01"), Map.entry("3.9", "2020-11-01"),
            Map.entry("3.10", "2021-05-01"), Map.entry("3.11", "2021-11-01"), Map.entry("3.12", "2022-05-01"),
            Map.entry("3.13", "2022-11-01"), Map.entry("3.14", "2023-05-01"), Map.entry("3.15", "2023-11-01"),
            Map.entry("3.16", "2024-05-23"), Map.entry("3.17", "2024-11-22"), Map.entry("3.18", "2025-05-09"),
            Map.entry("3.19", "2025-11-01"), Map.entry("3.20", "2026-04-01"), Map.entry("3.21", "2026-11-01"),
            Map.entry("3.22", "2027-05-01"));
    private static final Map<String, String> RHEL = Map.of(
            "6", "2020-11-30", "7", "2024-06-30", "8", "2029-05-31", "9", "2032-05-31", "10", "2035-05-31");
    private static final Map<String, String> CENTOS = Map.of("6", "2020-11-30", "7", "2024-06-30", "8", "2021-12-31");

    private EolTable() {
    }

    /** The end-of-life date of a release, or null when we do not know the release. */
    static String eolDate(String family, String version) {
        if (family == null || version == null) {
            return null;
        }
        String major = version.split("\\.")[0];
        String majorMinor = version.matches("\\d+\\.\\d+.*") ? version.replaceFirst("^(\\d+\\.\\d+).*", "$1") : version;
        return switch (family) {
            case "debian" -> DEBIAN.get(major);
            case "ubuntu" -> UBUNTU.get(majorMinor);
            case "alpine" -> ALPINE.get(majorMinor);
            case "rhel", "rocky", "almalinux", "ol" -> RHEL.get(major);
            case "centos" -> CENTOS.get(major);
            default -> null;
        };
    }

    static Boolean isEol(String eolDate, LocalDate today) {
        return eolDate == null ? null : today.isAfter(LocalDate.parse(eolDate));
    }
}
