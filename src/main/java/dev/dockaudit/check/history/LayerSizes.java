package dev.dockaudit.check.history;

import dev.dockaudit.image.layer.LayerFile;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Layer sizes as the tools people compare with print them.
 * <ul>
 * <li>{@link #docker}: what {@code docker history} shows as SIZE. dockerd (overlay2, and every driver that unpacks
 *     into a directory) records the size of the unpacked layer directory: the apparent size ({@code st_size}) of
 *     everything but directories, each inode once. That is the regular files' bytes plus each symlink's target
 *     length; hard links, whiteouts (0:0 character devices) and devices add nothing. A path the tar lists twice
 *     counts once, with its last entry.</li>
 * <li>{@link #dive}: what dive calls a layer's size: the sum of every tar entry's header size (regular files only,
 *     duplicates counted).</li>
 * </ul>
 */
public final class LayerSizes {
    private LayerSizes() {
    }

    public static long docker(List<LayerFile> files) {
        Map<String, Long> byPath = new HashMap<>(files.size() * 2);
        for (LayerFile f : files) {
            long n = switch (f.type()) {
                case FILE -> f.size();
                case SYMLINK -> f.linkTarget() == null ? 0 : f.linkTarget().getBytes(StandardCharsets.UTF_8).length;
                default -> 0;
            };
            if (f.isWhiteout()) {
                continue; // a whiteout is a 0-byte device on disk; it must not hide a same-named entry's size
            }
            byPath.put(f.path(), n);
        }
        long sum = 0;
        for (long v : byPath.values()) {
            sum += v;
        }
        return sum;
    }

    public static long dive(List<LayerFile> files) {
        long sum = 0;
        for (LayerFile f : files) {
            if (f.type() == LayerFile.Type.FILE) {
                sum += f.size();
            }
        }
        return sum;
    }
}
