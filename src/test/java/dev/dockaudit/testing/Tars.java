package dev.dockaudit.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarFile;

/** Reading, locating bytes in, tampering with and writing tar archives, for the archive tests. */
public final class Tars {
    private Tars() {
    }

    /** One entry to write: a directory when {@code data} is null. */
    public record Entry(String name, byte[] data) {
        public static Entry dir(String name) {
            return new Entry(name, null);
        }
    }

    /** Where an entry's data starts in the archive, and how long it is. */
    public record Span(long offset, long size) {
    }

    /** Regular files by name, and symlinks resolved to the file they point at (as docker save links shared layers). */
    public static Map<String, byte[]> files(Path tar) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        Map<String, String> links = new LinkedHashMap<>();
        try (TarFile t = new TarFile(tar.toFile())) {
            for (TarArchiveEntry e : t.getEntries()) {
                String name = strip(e.getName());
                if (e.isSymbolicLink()) {
                    links.put(name, resolve(name, e.getLinkName()));
                } else if (e.isFile()) {
                    out.put(name, t.getInputStream(e).readAllBytes());
                }
            }
        }
        links.forEach((name, target) -> out.put(name, out.get(target)));
        return out;
    }

    /** Names and link targets of the symlinks in a tar. */
    public static Map<String, String> symlinks(Path tar) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (TarFile t = new TarFile(tar.toFile())) {
            for (TarArchiveEntry e : t.getEntries()) {
                if (e.isSymbolicLink()) {
                    out.put(strip(e.getName()), e.getLinkName());
                }
            }
        }
        return out;
    }

    /** Where the data of regular file {@code name} sits in {@code tar}. */
    public static Span span(Path tar, String name) throws IOException {
        try (TarFile t = new TarFile(tar.toFile())) {
            for (TarArchiveEntry e : t.getEntries()) {
                if (e.isFile() && strip(e.getName()).equals(name)) {
                    return new Span(e.getDataOffset(), e.getSize());
                }
            }
        }
        throw new AssertionError(tar + " has no file " + name);
    }

    /** Where the data of the first non-empty regular file inside a layer tar sits, relative to the layer's start. */
    public static Span firstFileData(byte[] layerTar) throws IOException {
        try (TarFile t = new TarFile(layerTar)) {
            for (TarArchiveEntry e : t.getEntries()) {
                if (e.isFile() && e.getSize() > 0) {
                    return new Span(e.getDataOffset(), e.getSize());
                }
            }
        }
        throw new AssertionError("the layer has no regular file with content");
    }

    /** XORs the byte at {@code offset} with 0x01: the smallest change there is. */
    public static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x01);
        }
    }

    /** Overwrites one byte with {@code value}. */
    public static void setByte(Path file, long offset, int value) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            f.write(value);
        }
    }

    /** Writes a POSIX tar with the entries in the given order, as Go's archive/tar would (PAX for long names). */
    public static void write(Path out, List<Entry> entries) throws IOException {
        try (OutputStream os = Files.newOutputStream(out);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry te = new TarArchiveEntry(e.data() == null && !e.name().endsWith("/") ? e.name() + "/" : e.name());
                te.setModTime(0);
                if (e.data() != null) {
                    te.setSize(e.data().length);
                    te.setMode(0644);
                } else {
                    te.setMode(040755);
                }
                tar.putArchiveEntry(te);
                if (e.data() != null) {
                    tar.write(e.data());
                }
                tar.closeArchiveEntry();
            }
        }
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] data) {
        return "sha256:" + sha256Hex(data);
    }

    private static String strip(String name) {
        String n = name.startsWith("./") ? name.substring(2) : name;
        return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }

    private static String resolve(String link, String target) {
        if (target.startsWith("/")) {
            return strip(target.substring(1));
        }
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        String parent = link.contains("/") ? link.substring(0, link.lastIndexOf('/')) : "";
        for (String p : (parent.isEmpty() ? target : parent + "/" + target).split("/")) {
            if (p.equals("..")) {
                parts.pollLast();
            } else if (!p.isEmpty() && !p.equals(".")) {
                parts.addLast(p);
            }
        }
        return String.join("/", parts);
    }
}
