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

    /** Receives each entry of a directory walk. */
    interface EntrySink {
        void accept(Path path, LayerFile file) throws IOException;
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final String UNIX_ATTRS = "unix:mode,uid,gid,size,lastModifiedTime";

    /**
     * Walks a tree depth-first with one lstat per entry (the unix attribute view gives type, mode with its
     * setuid/setgid bits, owners, size and time at once), never following symlinks. Cheaper than
     * Files.walkFileTree plus a second attribute read, which matters for a CLI's short, cold runs. Entries we
     * may not list or stat are skipped.
     */
    static void walk(Path root, EntrySink sink) throws IOException {
        boolean unix = root.getFileSystem().supportedFileAttributeViews().contains("unix");
        java.util.ArrayDeque<Object[]> dirs = new java.util.ArrayDeque<>();
        dirs.push(new Object[] {root, ""});
        while (!dirs.isEmpty()) {
            Object[] top = dirs.pop();
            Path dir = (Path) top[0];
            String prefix = (String) top[1];
            List<Object[]> subdirs = new java.util.ArrayList<>();
            try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path p : entries) {
                    String rel = prefix + p.getFileName().toString();
                    LayerFile f = unix ? unixEntry(p, rel) : basicEntry(p, rel);
                    if (f == null) {
                        continue;
                    }
                    sink.accept(p, f);
                    if (f.type() == LayerFile.Type.DIR) {
                        subdirs.add(new Object[] {p, rel + "/"});
                    }
                }
            } catch (java.nio.file.AccessDeniedException | java.nio.file.NoSuchFileException e) {
                // unreadable or vanished directory: its entries cannot be audited, the rest can
            }
            for (int i = subdirs.size() - 1; i >= 0; i--) {
                dirs.push(subdirs.get(i));
            }
        }
    }

    private static LayerFile unixEntry(Path p, String rel) {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(p, UNIX_ATTRS, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
        int mode = (Integer) a.get("mode");
        long uid = ((Integer) a.get("uid")).longValue();
        long gid = ((Integer) a.get("gid")).longValue();
        long mtime = ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toMillis() / 1000;
        return switch (mode & S_IFMT) {
            case S_IFDIR -> new LayerFile(rel, LayerFile.Type.DIR, 0, mode & 07777, uid, gid, null, mtime);
            case S_IFREG -> new LayerFile(rel, LayerFile.Type.FILE, (Long) a.get("size"), mode & 07777, uid, gid, null, mtime);
            case S_IFLNK -> new LayerFile(rel, LayerFile.Type.SYMLINK, 0, mode & 07777, uid, gid, linkTarget(p), mtime);
            default -> null; // sockets and device nodes in a directory tree carry nothing to audit
        };
    }

    private static LayerFile basicEntry(Path p, String rel) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
        long mtime = attrs.lastModifiedTime().toMillis() / 1000;
        if (attrs.isSymbolicLink()) {
            return new LayerFile(rel, LayerFile.Type.SYMLINK, 0, 0777, 0, 0, linkTarget(p), mtime);
        }
        if (attrs.isDirectory()) {
            return new LayerFile(rel, LayerFile.Type.DIR, 0, 0755, 0, 0, null, mtime);
        }
        if (attrs.isRegularFile()) {
            return new LayerFile(rel, LayerFile.Type.FILE, attrs.size(), 0644, 0, 0, null, mtime);
        }
        return null;
    }

    private static String linkTarget(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            return "";
        }
    }

    static void visit(Path p, LayerFile f, List<LayerVisitor> visitors) throws IOException {
        List<LayerVisitor> wanting = null;
        if (f.isRegular()) {
            for (LayerVisitor v : visitors) {
                if (v.wantsContent(f)) {
                    if (wanting == null) {
                        wanting = new ArrayList<>(2);
                    }
                    wanting.add(v);
                }
            }
        }
        FileContent content = wanting == null ? null : new FileContent(p);
        try {
            for (LayerVisitor v : visitors) {
                v.visit(f, content != null && wanting.contains(v) ? content : null);
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
