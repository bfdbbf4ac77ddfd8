package dev.dockaudit.inventory;

import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.image.layer.MergedFilesystem;
import dev.dockaudit.inventory.os.OsDetector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The image's packages and OS, merged from what each layer's analyzers found: only files that survive in
 * the final filesystem count, and each package carries the layer that last changed it.
 */
public record Inventory(OsInfo os, List<Package> packages, List<String> warnings) {

    /** One layer's share: its diff_id, its entries, and what the analyzers found in it. */
    public record LayerInput(String diffId, List<LayerFile> files, InventoryVisitor visitor) {
    }

    public static Inventory build(List<LayerInput> layers) {
        return build(layers, null);
    }

    /** As {@link #build(List)}, with the final filesystem the caller already merged from the same layers (or null). */
    public static Inventory build(List<LayerInput> layers, MergedFilesystem merged) {
        MergedFilesystem fs = merged;
        if (fs == null) {
            List<List<LayerFile>> entries = new ArrayList<>();
            for (LayerInput l : layers) {
                entries.add(l.files() == null ? List.of() : l.files());
            }
            fs = MergedFilesystem.of(entries);
        }
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            for (String w : layers.get(i).visitor().warnings()) {
                warnings.add((layers.size() > 1 ? "layer " + i + ": " : "") + w);
            }
        }
        List<Package> packages = new ArrayList<>();
        Map<String, FileResult.PackageFacts> facts = new HashMap<>();
        for (MergedFilesystem.Node node : fs.nodes()) {
            InventoryVisitor.Result r = layers.get(node.layer()).visitor().results().get(node.file().path());
            if (r == null) {
                continue;
            }
            r.result().facts().forEach((k, v) -> facts.merge(k, v, Inventory::mergeFacts));
            for (Package p : r.result().packages()) {
                int origin = r.analyzer().isDatabase() ? originLayer(layers, node.file().path(), node.layer(), p)
                        : node.layer();
                packages.add(p.withLayer(layers.get(origin).diffId()));
            }
        }
        packages = attachFacts(dropStaleRpmDatabases(packages), facts);
        OsInfo os = OsDetector.detect(fs, (path, layer) -> {
            InventoryVisitor.Result r = layers.get(layer).visitor().results().get(path);
            return r == null ? null : r.result().os();
        }, hasDpkgStatusDir(fs));
        packages = withOsPurls(packages, os);
        packages.sort(Comparator.comparing((Package p) -> p.type().ordinal()).thenComparing(Package::name)
                .thenComparing(Package::version).thenComparing(p -> String.valueOf(p.path())));
        return new Inventory(os, List.copyOf(packages), List.copyOf(warnings));
    }

    /**
     * Walks down the versions of a package database (the layers that wrote {@code path}) while each still lists
     * the package with the same version: the lowest of that run installed or last upgraded it.
     */
    private static int originLayer(List<LayerInput> layers, String path, int top, Package p) {
        int origin = top;
        String id = p.identity();
        for (int i = top - 1; i >= 0; i--) {
            InventoryVisitor.Result r = layers.get(i).visitor().results().get(path);
            if (r == null) {
                if (deletes(layers.get(i).files(), path)) {
                    break;
                }
                continue; // this layer did not touch the database
            }
            boolean listed = false;
            for (Package q : r.result().packages()) {
                if (q.identity().equals(id)) {
                    listed = true;
                    break;
                }
            }
            if (!listed) {
                break;
            }
            origin = i;
        }
        return origin;
    }

    private static boolean deletes(List<LayerFile> files, String path) {
        if (files == null) {
            return false;
        }
        for (LayerFile f : files) {
            if (f.isWhiteout() && (path.equals(f.path()) || path.startsWith(f.path() + "/")
                    || (f.type() == LayerFile.Type.OPAQUE_WHITEOUT && path.startsWith(f.path() + "/")))) {
                return true;
            }
        }
        return false;
    }

    /**
     * An image can keep an old rpm database beside the one rpm uses (a leftover BDB {@code Packages} after the
     * move to {@code rpmdb.sqlite}). rpm reads only its configured backend, newest format first; so do we.
     */
    private static List<Package> dropStaleRpmDatabases(List<Package> packages) {
        java.util.Map<String, Integer> best = new HashMap<>();
        for (Package p : packages) {
            if (p.type() == PackageType.RPM) {
                best.merge(LayerPathsOfRpm.dir(p.path()), LayerPathsOfRpm.rank(p.path()), Math::min);
            }
        }
        if (best.isEmpty()) {
            return packages;
        }
        List<Package> out = new ArrayList<>();
        for (Package p : packages) {
            if (p.type() != PackageType.RPM || LayerPathsOfRpm.rank(p.path()) == best.get(LayerPathsOfRpm.dir(p.path()))) {
                out.add(p);
            }
        }
        return out;
    }

    /** rpm database files by preference: sqlite (rpm 4.16+), then NDB, then Berkeley DB. */
    private static final class LayerPathsOfRpm {
        static int rank(String path) {
            return path == null ? 9 : path.endsWith("rpmdb.sqlite") ? 0 : path.endsWith("Packages.db") ? 1 : 2;
        }

        static String dir(String path) {
            return path == null ? "" : path.substring(0, Math.max(0, path.lastIndexOf('/')));
        }
    }

    private static FileResult.PackageFacts mergeFacts(FileResult.PackageFacts a, FileResult.PackageFacts b) {
        List<String> files = new ArrayList<>(a.files());
        files.addAll(b.files());
        List<String> licenses = new ArrayList<>(a.licenses());
        b.licenses().stream().filter(l -> !licenses.contains(l)).forEach(licenses::add);
        return new FileResult.PackageFacts(files, licenses);
    }

    /**
     * dpkg keeps a package's file list in info/NAME.list (NAME:ARCH.list for multi-arch packages) and its licence
     * in /usr/share/doc/NAME/copyright, apart from the status file; join them to the packages by name.
     */
    private static List<Package> attachFacts(List<Package> packages, Map<String, FileResult.PackageFacts> facts) {
        if (facts.isEmpty()) {
            return packages;
        }
        List<Package> out = new ArrayList<>(packages.size());
        for (Package p : packages) {
            if (p.type() != PackageType.DEB) {
                out.add(p);
                continue;
            }
            FileResult.PackageFacts withArch = facts.get(p.name() + ":" + p.arch());
            FileResult.PackageFacts plain = facts.get(p.name());
            List<String> files = p.files().isEmpty()
                    ? (withArch != null && !withArch.files().isEmpty() ? withArch.files() : plain != null ? plain.files() : List.of())
                    : p.files();
            List<String> licenses = p.licenses().isEmpty() && plain != null ? plain.licenses() : p.licenses();
            out.add(new Package(p.name(), p.version(), p.type(), p.arch(), p.sourceName(), p.sourceVersion(), p.purl(),
                    licenses, files, p.path(), p.layer(), p.metadata()));
        }
        return out;
    }

    private static List<Package> withOsPurls(List<Package> packages, OsInfo os) {
        List<Package> out = new ArrayList<>(packages.size());
        for (Package p : packages) {
            out.add(p.type().isOs() ? new Package(p.name(), p.version(), p.type(), p.arch(), p.sourceName(),
                    p.sourceVersion(), Purls.forOs(p, os), p.licenses(), p.files(), p.path(), p.layer(), p.metadata()) : p);
        }
        return out;
    }

    private static boolean hasDpkgStatusDir(MergedFilesystem fs) {
        MergedFilesystem.Node n = fs.get("var/lib/dpkg/status.d");
        return n != null && n.file().type() == LayerFile.Type.DIR;
    }

    /** Distinct package types present, for summaries. */
    public Set<PackageType> types() {
        Set<PackageType> s = new HashSet<>();
        packages.forEach(p -> s.add(p.type()));
        return s;
    }
}
