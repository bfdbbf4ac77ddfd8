package dev.dockaudit.image.layer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The image's final filesystem, built by applying each layer's entries over the ones below, with
 * whiteouts. It remembers which layer each surviving file came from, and which files a later layer
 * deleted (they still ship in the image's lower layers).
 */
public final class MergedFilesystem {
    /** Linux gives up after 40 symlinks in one lookup; so do we, which also ends loops. */
    static final int MAX_SYMLINKS = 40;

    private final NavigableMap<String, Node> files = new TreeMap<>();
    private final List<Deleted> deleted = new ArrayList<>();

    public record Node(LayerFile file, int layer) {
    }

    /** A file present in {@code layer} and removed (by whiteout or replacement) in {@code deletedIn}. */
    public record Deleted(LayerFile file, int layer, int deletedIn) {
    }

    /** Applies layers in order; {@code layers.get(i)} holds the entries of layer i. */
    public static MergedFilesystem of(List<List<LayerFile>> layers) {
        MergedFilesystem fs = new MergedFilesystem();
        for (int i = 0; i < layers.size(); i++) {
            fs.apply(layers.get(i), i);
        }
        return fs;
    }

    private void apply(List<LayerFile> entries, int layer) {
        // A layer's whiteouts hide what the layers below put there; they never hide the layer's own entries.
        for (LayerFile f : entries) {
            if (f.type() == LayerFile.Type.OPAQUE_WHITEOUT) {
                removeChildren(f.path(), layer);
            } else if (f.type() == LayerFile.Type.WHITEOUT) {
                remove(f.path(), layer);
                removeChildren(f.path(), layer);
            }
        }
        for (LayerFile f : entries) {
            if (f.isWhiteout()) {
                continue;
            }
            Node previous = files.get(f.path());
            if (previous != null && previous.layer() != layer) {
                if (previous.file().type() == LayerFile.Type.DIR && f.type() == LayerFile.Type.DIR) {
                    files.put(f.path(), new Node(f, layer));
                    continue;
                }
                deleted.add(new Deleted(previous.file(), previous.layer(), layer));
                if (previous.file().type() == LayerFile.Type.DIR) {
                    removeChildren(f.path(), layer);
                }
            }
            files.put(f.path(), new Node(f, layer));
        }
    }

    private void remove(String path, int layer) {
        Node n = files.remove(path);
        if (n != null) {
            deleted.add(new Deleted(n.file(), n.layer(), layer));
        }
    }

    private void removeChildren(String dir, int layer) {
        // Every path under "dir/" sorts in ["dir/", "dir0"): '0' is the character after '/'. A bound of
        // "dir/" + Character.MAX_VALUE missed names such as "dir/\uffff\uffffx", which then survived the whiteout.
        Map<String, Node> children = dir.isEmpty() ? files : files.subMap(dir + "/", true, dir + "0", false);
        for (Node n : children.values()) {
            deleted.add(new Deleted(n.file(), n.layer(), layer));
        }
        children.clear();
    }

    public Node get(String path) {
        return files.get(path);
    }

    public Collection<Node> nodes() {
        return Collections.unmodifiableCollection(files.values());
    }

    public List<Deleted> deleted() {
        return Collections.unmodifiableList(deleted);
    }

    public int size() {
        return files.size();
    }

    /**
     * Follows symlinks (in every path component) and hard links to the node a path really names, as
     * the kernel would inside the container. Returns null when nothing is there.
     *
     * @throws SymlinkLoopException after {@value #MAX_SYMLINKS} links, which is how loops end
     */
    public Node resolve(String path) throws SymlinkLoopException {
        int[] budget = {MAX_SYMLINKS};
        String real = resolvePath(path, budget);
        Node n = real == null ? null : files.get(real);
        if (n != null && n.file().type() == LayerFile.Type.HARDLINK) {
            Node target = files.get(n.file().linkTarget());
            return target == null ? null : new Node(target.file(), n.layer());
        }
        return n;
    }

    /**
     * Walks {@code path} one component at a time, as the kernel does: {@code ..} is the parent of the directory
     * reached so far (a real path, symlinks already replaced), never a lexical step back over a symlink's name.
     * Returns null when a symlink on the way has an empty target (ENOENT).
     */
    private String resolvePath(String path, int[] budget) throws SymlinkLoopException {
        String done = "";
        java.util.Deque<String> pending = new java.util.ArrayDeque<>(List.of(path.split("/")));
        while (!pending.isEmpty()) {
            String part = pending.removeFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                done = LayerPaths.parent(done); // the root's parent is the root
                continue;
            }
            String candidate = done.isEmpty() ? part : done + "/" + part;
            Node n = files.get(candidate);
            if (n != null && n.file().type() == LayerFile.Type.SYMLINK) {
                if (--budget[0] < 0) {
                    throw new SymlinkLoopException(path);
                }
                String target = n.file().linkTarget();
                if (target == null || target.isEmpty()) {
                    return null;
                }
                if (target.startsWith("/")) {
                    done = "";
                }
                // a relative target continues from the directory holding the link, which is `done`
                String[] parts = target.split("/");
                for (int i = parts.length - 1; i >= 0; i--) {
                    pending.addFirst(parts[i]);
                }
                continue;
            }
            done = candidate;
        }
        return done;
    }

    /** A path whose symlinks do not end, as {@code ELOOP} reports it. */
    public static final class SymlinkLoopException extends Exception {
        private static final long serialVersionUID = 1L;

        public SymlinkLoopException(String path) {
            super("too many levels of symbolic links resolving /" + path);
        }
    }
}
