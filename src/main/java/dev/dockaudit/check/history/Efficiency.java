package dev.dockaudit.check.history;

import dev.dockaudit.image.layer.LayerFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Layer efficiency as dive defines it (wagoodman/dive, {@code dive/filetree/efficiency.go} and
 * {@code dive/image/image.go}):
 * <ul>
 * <li>Every layer's <em>leaf</em> entries are visited (entries with no other entry of the same layer below them;
 *     directories that only carry their children's changes are skipped). A path's visits add up to its
 *     <em>cumulative size</em>; its <em>minimum</em> is the smallest of them. A visit's size is the tar entry's size,
 *     and for a whiteout the size of what it removes when that was a directory (the directory and everything under
 *     it in the layers below), 0 when it was a file.</li>
 * <li><b>score</b> = Σ minimum / Σ cumulative over all paths (1 when there are no bytes at all).</li>
 * <li><b>wasted bytes</b> = Σ cumulative over the paths visited in two or more layers: a file written in one
 *     layer and overwritten or removed in a later one counts with all its copies, the surviving one included.</li>
 * <li>image size = Σ of every layer's entry sizes; user size the same without the first layer;
 *     <b>wasted user ratio</b> = wasted / user size (dive's {@code highestUserWastedPercent}).</li>
 * </ul>
 * Where dive errs, this does the sensible thing instead: a whiteout for a path no lower layer has counts 0 (dive
 * stops visiting that layer), and a directory known only from its children counts as a directory (dive counts 0).
 * Like dive, opaque whiteouts ({@code .wh..wh..opq}) are ignored.
 */
public final class Efficiency {
    private Efficiency() {
    }

    /** One visit of a wasted path: the layer and the bytes counted there. */
    public record Occurrence(int layer, long size, boolean whiteout) {
    }

    /** A path visited in more than one layer; {@code wastedBytes} is its cumulative size, as dive lists it. */
    public record WastedFile(String path, long wastedBytes, List<Occurrence> occurrences) {
        public int count() {
            return occurrences.size();
        }
    }

    /**
     * @param score        dive's efficiency score, 0..1
     * @param wastedBytes  dive's wasted bytes
     * @param imageBytes   Σ of every layer's entry sizes (dive's image size)
     * @param userBytes    the same without the first (base) layer
     * @param files        every wasted path, most bytes first
     */
    public record Result(double score, long wastedBytes, long imageBytes, long userBytes, List<WastedFile> files) {
        /** wasted / user bytes, or null when the image has no user bytes. */
        public Double wastedUserRatio() {
            if (userBytes == 0) {
                return wastedBytes == 0 ? Double.valueOf(0) : null;
            }
            return (double) wastedBytes / userBytes;
        }
    }

    private static final class PathData {
        long cumulative;
        long min = -1;
        Occurrence first;
        List<Occurrence> more;

        void add(Occurrence o) {
            cumulative += o.size();
            if (min < 0 || o.size() < min) {
                min = o.size();
            }
            if (first == null) {
                first = o;
            } else {
                if (more == null) {
                    more = new ArrayList<>(2);
                }
                more.add(o);
            }
        }
    }

    /** {@code layers.get(i)} holds layer i's entries, bottom layer first. */
    public static Result compute(List<List<LayerFile>> layers) {
        Map<String, PathData> data = new HashMap<>();
        // the stacked tree of the layers below the current one: path -> [size, isDir]
        NavigableMap<String, long[]> stacked = new TreeMap<>();
        long imageBytes = 0;
        long firstLayerBytes = 0;
        for (int i = 0; i < layers.size(); i++) {
            List<LayerFile> entries = layers.get(i);
            long layerBytes = LayerSizes.dive(entries);
            imageBytes += layerBytes;
            if (i == 0) {
                firstLayerBytes = layerBytes;
            }
            Set<String> parents = new HashSet<>();
            for (LayerFile f : entries) {
                if (f.type() == LayerFile.Type.OPAQUE_WHITEOUT) {
                    continue;
                }
                for (String p = parent(f.path()); !p.isEmpty(); p = parent(p)) {
                    if (!parents.add(p)) {
                        break;
                    }
                }
            }
            // a path listed twice in one tar is one node in dive's tree, holding the last entry
            Map<String, LayerFile> leaves = new LinkedHashMap<>();
            Map<String, LayerFile> whiteouts = new LinkedHashMap<>();
            for (LayerFile f : entries) {
                if (f.type() == LayerFile.Type.OPAQUE_WHITEOUT || parents.contains(f.path())) {
                    continue;
                }
                (f.type() == LayerFile.Type.WHITEOUT ? whiteouts : leaves).put(f.path(), f);
            }
            for (LayerFile f : leaves.values()) {
                data.computeIfAbsent(f.path(), k -> new PathData()).add(new Occurrence(i, f.size(), false));
            }
            for (LayerFile f : whiteouts.values()) {
                data.computeIfAbsent(f.path(), k -> new PathData()).add(new Occurrence(i, removedSize(stacked, f.path()), true));
            }
            stack(stacked, entries);
        }
        long minimum = 0;
        long cumulative = 0;
        long wasted = 0;
        List<WastedFile> files = new ArrayList<>();
        for (Map.Entry<String, PathData> e : data.entrySet()) {
            PathData d = e.getValue();
            minimum += d.min;
            cumulative += d.cumulative;
            if (d.more != null) {
                wasted += d.cumulative;
                List<Occurrence> occ = new ArrayList<>(d.more.size() + 1);
                occ.add(d.first);
                occ.addAll(d.more);
                files.add(new WastedFile("/" + e.getKey(), d.cumulative, List.copyOf(occ)));
            }
        }
        files.sort(Comparator.comparingLong(WastedFile::wastedBytes).reversed().thenComparing(WastedFile::path));
        double score = cumulative == 0 ? 1.0 : (double) minimum / cumulative;
        return new Result(score, wasted, imageBytes, imageBytes - firstLayerBytes, List.copyOf(files));
    }

    /** What a whiteout at {@code path} removes from the layers below: a directory's whole size, else 0. */
    private static long removedSize(NavigableMap<String, long[]> stacked, String path) {
        long[] node = stacked.get(path);
        NavigableMap<String, long[]> children = stacked.subMap(path + "/", true, path + "0", false);
        boolean dir = node != null ? node[1] == 1 : !children.isEmpty();
        if (!dir) {
            return 0;
        }
        long sum = node == null ? 0 : node[0];
        for (long[] c : children.values()) {
            sum += c[0];
        }
        return sum;
    }

    /** Stacks one layer like dive's FileTree.Stack: whiteouts remove a subtree, entries set a path's payload. */
    private static void stack(NavigableMap<String, long[]> stacked, List<LayerFile> entries) {
        for (LayerFile f : entries) {
            if (f.type() == LayerFile.Type.WHITEOUT) {
                stacked.remove(f.path());
                stacked.subMap(f.path() + "/", true, f.path() + "0", false).clear();
            }
        }
        for (LayerFile f : entries) {
            if (!f.isWhiteout()) {
                stacked.put(f.path(), new long[] {f.type() == LayerFile.Type.FILE ? f.size() : 0,
                        f.type() == LayerFile.Type.DIR ? 1 : 0});
            }
        }
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }
}
