package dev.dockaudit.image.layer;

import dev.dockaudit.util.UserError;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Normalises paths found inside image tars to a root-relative form without a leading slash.
 * Absolute names are rooted (tar writers often emit {@code ./} or {@code /}); a {@code ..} that would
 * climb above the root is refused outright, as docker refuses to load such a layer.
 */
public final class LayerPaths {
    private LayerPaths() {
    }

    /** Returns the normalised path, "" for the root itself. */
    public static String normalise(String name, String where) {
        Deque<String> parts = new ArrayDeque<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    throw new UserError(where + " has an entry '" + printable(name)
                            + "' that climbs out of the image root; docker refuses such content, and so does"
                            + " dockaudit: the image is hostile or corrupt, do not load it");
                }
                parts.removeLast();
                continue;
            }
            parts.addLast(p);
        }
        return String.join("/", parts);
    }

    /** The target of a symlink at {@code linkPath}, as a root-relative path, clamped at the root like the kernel does. */
    public static String resolveLinkTarget(String linkPath, String target) {
        String base = target.startsWith("/") ? "" : parent(linkPath);
        Deque<String> parts = new ArrayDeque<>();
        for (String p : (base + "/" + target).split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.removeLast();
                }
                continue;
            }
            parts.addLast(p);
        }
        return String.join("/", parts);
    }

    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    public static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Makes a name from an image safe to print on one terminal line. */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
