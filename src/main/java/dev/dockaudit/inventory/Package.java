package dev.dockaudit.inventory;

import java.util.List;
import java.util.Map;

/**
 * One installed package as the inventory found it.
 *
 * @param version       the full version as the ecosystem compares it (dpkg and rpm with their epoch, {@code 1:2.5.1-4})
 * @param sourceName    the source package (dpkg Source, apk origin, rpm source rpm name); null for language packages
 * @param files         the files the package database says it owns (root-relative), empty when it lists none
 * @param path          the file the package was found in: its database, manifest, archive or binary
 * @param layer         the diff_id of the layer that last changed the package (installed or upgraded it)
 * @param metadata      ecosystem extras (vendor, maintainer, modularity label, Go version …)
 */
public record Package(String name, String version, PackageType type, String arch, String sourceName,
                      String sourceVersion, String purl, List<String> licenses, List<String> files, String path,
                      String layer, Map<String, String> metadata) {

    public Package {
        licenses = licenses == null ? List.of() : List.copyOf(licenses);
        files = files == null ? List.of() : List.copyOf(files);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public Package withLayer(String diffId) {
        return new Package(name, version, type, arch, sourceName, sourceVersion, purl, licenses, files, path, diffId,
                metadata);
    }

    public Package withPath(String p) {
        return new Package(name, version, type, arch, sourceName, sourceVersion, purl, licenses, files, p, layer,
                metadata);
    }

    /** What identifies "the same package" across two versions of a database: name, version, arch. */
    public String identity() {
        return type.label + "|" + name + "|" + version + "|" + arch;
    }
}
