package dev.dockaudit.image.layer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Turns files of a root filesystem directory into layer entries, with the mode and owners the kernel reports. */
final class DirectoryEntries {
    private DirectoryEntries() {
    }

    static LayerFile toLayerFile(Path p, String rel, BasicFileAttributes attrs) {
        int mode = 0;
        long uid = 0;
        long gid = 0;
        try {
            Map<String, Object> unix = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
            mode = ((Integer) unix.get("mode")) & 07777;
            uid = ((Integer) unix.get("uid")).longValue();
            gid = ((Integer) unix.get("gid")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // not a unix file system: owners and modes stay unknown (0)
        }
        long mtime = attrs.lastModifiedTime().toMillis() / 1000;
        if (attrs.isSymbolicLink()) {
            String target;
            try {
                target = Files.readSymbolicLink(p).toString();
            } catch (IOException e) {
                target = "";
            }
            return new LayerFile(rel, LayerFile.Type.SYMLINK, 0, mode, uid, gid, target, mtime);
        }
        if (attrs.isDirectory()) {
            return new LayerFile(rel, LayerFile.Type.DIR, 0, mode, uid, gid, null, mtime);
        }
        if (attrs.isRegularFile()) {
            return new LayerFile(rel, LayerFile.Type.FILE, attrs.size(), mode, uid, gid, null, mtime);
        }
        return null; // sockets and device nodes in a directory tree carry nothing to audit
    }

    static void visit(Path p, LayerFile f, List<LayerVisitor> visitors) throws IOException {
        List<LayerVisitor> wanting = new ArrayList<>();
        if (f.isRegular()) {
            for (LayerVisitor v : visitors) {
                if (v.wantsContent(f)) {
                    wanting.add(v);
                }
            }
        }
        FileContent content = wanting.isEmpty() ? null : new FileContent(p);
        try {
            for (LayerVisitor v : visitors) {
                v.visit(f, wanting.contains(v) ? content : null);
            }
        } finally {
            if (content != null) {
                content.close();
            }
        }
    }

    private static final class FileContent implements LayerVisitor.ContentReader {
        private final Path path;
        private byte[] cached = new byte[0];
        private InputStream open;

        FileContent(Path path) {
            this.path = path;
        }

        @Override
        public byte[] read(int maxBytes) throws IOException {
            if (cached.length < maxBytes) {
                try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                    cached = in.readNBytes(maxBytes);
                } catch (IOException e) {
                    cached = new byte[0]; // unreadable (permissions): no content
                }
            }
            return cached.length <= maxBytes ? cached : Arrays.copyOf(cached, maxBytes);
        }

        @Override
        public InputStream stream() throws IOException {
            open = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS);
            return open;
        }

        void close() throws IOException {
            if (open != null) {
                open.close();
            }
        }
    }
}
