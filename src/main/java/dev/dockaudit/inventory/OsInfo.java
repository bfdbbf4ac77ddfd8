package dev.dockaudit.inventory;

/**
 * The distribution an image is built on.
 *
 * @param family   alpine, debian, ubuntu, rhel, centos, rocky, almalinux, fedora, amazon, sles, opensuse, wolfi, chainguard, mariner … (os-release ID)
 * @param version  the release as its vendor numbers it (12.4, 3.10.4, 22.04, 9.3)
 * @param codename bookworm, jammy … when known
 * @param eol      true past its end of life, false before, null when the release is not in our table
 * @param eolDate  the end-of-life date (ISO) when known
 * @param source   the file the answer came from
 */
public record OsInfo(String family, String version, String codename, String prettyName, Boolean eol, String eolDate,
                     String source) {
}
