package dev.dockaudit.vuln.db;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The OSV JSON documents of one archive: a zip (the osv.dev bucket's {@code ECOSYSTEM/all.zip}, one record per
 * {@code *.json} entry), a folder of {@code *.json} files (recursive, in name order) or one {@code *.json} file. Entries can be read from
 * several threads at once. A zip is opened through its central directory, so a truncated file or one that is not
 * a zip fails in {@link #open} before anything is imported, and every entry is checked against its CRC.
 */
abstract class ArchiveInput implements Closeable {
    /** Records larger than this are skipped as malformed (the largest real OSV records are a few MiB). */
    static final int MAX_RECORD_BYTES = 64 << 20;

    /** One JSON document. */
    interface Entry {
        String name();

        /** The bytes, or null when the entry is larger than {@link #MAX_RECORD_BYTES}. */
        byte[] read() throws IOException;
    }

    /** The archive itself is broken (not a zip, truncated, a CRC mismatch, an I/O error): nothing of it is used. */
    static final class ArchiveException extends IOException {
        private static final long serialVersionUID = 1L;

        ArchiveException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    abstract List<Entry> entries();

    static ArchiveInput open(Path path) throws ArchiveException {
        if (Files.isDirectory(path)) {
            return new Folder(path);
        }
        if (path.getFileName() != null && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            return new Single(path);
        }
        return new Zip(path);
    }

    /** One {@code *.json} file: an archive of one record. */
    private static final class Single extends ArchiveInput {
        private final List<Entry> entries;

        Single(Path file) {
            Path dir = file.toAbsolutePath().getParent();
            entries = List.of(new FileRecord(dir, file.getFileName().toString()));
        }

        @Override
        List<Entry> entries() {
            return entries;
        }

        @Override
        public void close() {
        }
    }

    private static final class Zip extends ArchiveInput {
        private final ZipFile zip;
        private final List<Entry> entries = new ArrayList<>();

        Zip(Path path) throws ArchiveException {
            byte[] head = new byte[4];
            try (InputStream in = Files.newInputStream(path)) {
                int n = in.readNBytes(head, 0, 4);
                if (n < 4 || head[0] != 'P' || head[1] != 'K') {
                    throw new ArchiveException(n == 0 ? "is empty (0 bytes), not a zip archive"
                            : "is not a zip archive (it does not start with PK)", null);
                }
            } catch (ArchiveException e) {
                throw e;
            } catch (IOException e) {
                throw new ArchiveException("cannot be read (" + e.getMessage() + ")", e);
            }
            try {
                zip = new ZipFile(path.toFile());
            } catch (ZipException e) {
                throw new ArchiveException("is not a complete zip archive (" + e.getMessage() + "): it is truncated or damaged", e);
            } catch (IOException e) {
                throw new ArchiveException("cannot be read (" + e.getMessage() + ")", e);
            }
            try {
                for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
                    ZipEntry e = en.nextElement();
                    if (!e.isDirectory() && e.getName().toLowerCase(Locale.ROOT).endsWith(".json")) {
                        entries.add(new ZipRecord(zip, e));
                    }
                }
            } catch (RuntimeException e) {
                // ZipFile reports a broken central directory entry as IllegalArgumentException
                closeQuietly();
                throw new ArchiveException("has a damaged table of contents (" + e.getMessage() + ")", e);
            }
        }

        private void closeQuietly() {
            try {
                zip.close();
            } catch (IOException e) {
                // nothing to keep
            }
        }

        @Override
        List<Entry> entries() {
            return entries;
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    private record ZipRecord(ZipFile zip, ZipEntry entry) implements Entry {
        @Override
        public String name() {
            return entry.getName();
        }

        @Override
        public byte[] read() throws IOException {
            if (entry.getSize() > MAX_RECORD_BYTES) {
                return null;
            }
            byte[] data;
            try (InputStream in = zip.getInputStream(entry)) {
                long size = entry.getSize();
                if (size >= 0) {
                    // the usual case: read into an array of the declared size, then make sure nothing follows
                    data = new byte[(int) size];
                    int n = in.readNBytes(data, 0, data.length);
                    if (n != size || in.read() >= 0) {
                        throw new ArchiveException("entry " + entry.getName() + " is not the size its header says: the archive is damaged", null);
                    }
                } else {
                    data = in.readNBytes(MAX_RECORD_BYTES + 1);
                }
            } catch (ZipException | java.io.EOFException e) {
                throw new ArchiveException("entry " + entry.getName() + " is damaged (" + e.getMessage() + ")", e);
            }
            if (data.length > MAX_RECORD_BYTES) {
                return null;
            }
            if (entry.getCrc() != -1) {
                CRC32 crc = new CRC32();
                crc.update(data);
                if (crc.getValue() != entry.getCrc()) {
                    throw new ArchiveException("entry " + entry.getName() + " fails its CRC check: the archive is damaged", null);
                }
            }
            return data;
        }
    }

    private static final class Folder extends ArchiveInput {
        private final List<Entry> entries = new ArrayList<>();

        Folder(Path dir) throws ArchiveException {
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(p -> p.getFileName() != null
                                && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                                && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                        .map(p -> dir.relativize(p).toString())
                        .sorted()
                        .forEach(rel -> entries.add(new FileRecord(dir, rel)));
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new ArchiveException("cannot be listed (" + e.getMessage() + ")", e);
            }
        }

        @Override
        List<Entry> entries() {
            return entries;
        }

        @Override
        public void close() {
        }
    }

    private record FileRecord(Path dir, String name) implements Entry {
        @Override
        public byte[] read() throws IOException {
            Path p = dir.resolve(name);
            try (InputStream in = Files.newInputStream(p)) {
                byte[] data = in.readNBytes(MAX_RECORD_BYTES + 1);
                return data.length > MAX_RECORD_BYTES ? null : data;
            } catch (IOException e) {
                throw new ArchiveException(name + " cannot be read (" + e.getMessage() + ")", e);
            }
        }
    }
}
