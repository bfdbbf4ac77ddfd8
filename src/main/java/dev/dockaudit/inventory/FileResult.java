package dev.dockaudit.inventory;

import java.util.List;
import java.util.Map;

/**
 * What an analyzer found in one file: packages, OS facts, facts about packages that a separate file records
 * (dpkg's {@code info/NAME.list} file lists and {@code /usr/share/doc/NAME/copyright} licences, keyed by
 * package name), and warnings about what it could not read.
 */
public record FileResult(List<Package> packages, OsInfo os, Map<String, PackageFacts> facts, List<String> warnings) {
    public static final FileResult EMPTY = new FileResult(List.of(), null, Map.of(), List.of());

    /** Files a package owns and licences it declares, found outside its database entry; either may be empty. */
    public record PackageFacts(List<String> files, List<String> licenses) {
        public PackageFacts {
            files = List.copyOf(files);
            licenses = List.copyOf(licenses);
        }
    }

    public FileResult {
        packages = List.copyOf(packages);
        facts = Map.copyOf(facts);
        warnings = List.copyOf(warnings);
    }

    public static FileResult of(List<Package> packages) {
        return new FileResult(packages, null, Map.of(), List.of());
    }

    public static FileResult of(List<Package> packages, List<String> warnings) {
        return new FileResult(packages, null, Map.of(), warnings);
    }

    public static FileResult os(OsInfo os) {
        return new FileResult(List.of(), os, Map.of(), List.of());
    }

    public static FileResult facts(String packageName, PackageFacts facts) {
        return new FileResult(List.of(), null, Map.of(packageName, facts), List.of());
    }
}
