package dev.dockaudit.testing;

import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds tar archives in memory for tests: layers, docker save archives, OCI layouts, and broken variants of them. */
public final class TarBuilder {
    private final List<Entry> entries = new ArrayList<>();
    private int longFileMode = TarArchiveOutputStream.LONGFILE_POSIX;

    private record Entry(TarArchiveEntry header, byte[] data) {
    }

    public static TarBuilder tar() {
        return new TarBuilder();
    }

    /** How names over 100 bytes are written: {@link TarArchiveOutputStream#LONGFILE_POSIX} (default) or LONGFILE_GNU. */
    public TarBuilder longFileMode(int mode) {
        longFileMode = mode;
        return this;
    }

    public TarBuilder file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    public TarBuilder file(String name, byte[] content) {
        return file(name, content, 0644, e -> { });
    }

    public TarBuilder file(String name, byte[] content, int mode, Consumer<TarArchiveEntry> tweak) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(content.length);
        e.setMode(0100000 | mode);
        e.setModTime(1_600_000_000_000L);
        tweak.accept(e);
        entries.add(new Entry(e, content));
        return this;
    }

    public TarBuilder dir(String name) {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
        e.setMode(040755);
        e.setModTime(1_600_000_000_000L);
        entries.add(new Entry(e, new byte[0]));
        return this;
    }

    public TarBuilder symlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(target);
        e.setMode(0120777);
        e.setModTime(1_600_000_000_000L);
        entries.add(new Entry(e, new byte[0]));
        return this;
    }

    public TarBuilder hardlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        e.setLinkName(target);
        e.setMode(0100644);
        e.setModTime(1_600_000_000_000L);
        entries.add(new Entry(e, new byte[0]));
        return this;
    }

    public TarBuilder device(String name, byte type, int major, int minor) {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        e.setMode(0666);
        e.setModTime(1_600_000_000_000L);
        entries.add(new Entry(e, new byte[0]));
        return this;
    }

    public TarBuilder fifo(String name) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_FIFO, true);
        e.setMode(0644);
        e.setModTime(1_600_000_000_000L);
        entries.add(new Entry(e, new byte[0]));
        return this;
    }

    /** An empty regular file named {@code dir/.wh.name}, as docker writes whiteouts. */
    public TarBuilder whiteout(String path) {
        int slash = path.lastIndexOf('/');
        String name = slash < 0 ? ".wh." + path : path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1);
        return file(name, new byte[0]);
    }

    public TarBuilder opaque(String dir) {
        return file(dir.isEmpty() ? ".wh..wh..opq" : dir + "/.wh..wh..opq", new byte[0]);
    }

    /** The tar, with the two zero blocks at its end and padding to the 10 KiB record, as GNU tar writes it. */
    public byte[] bytes() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(buf, "UTF-8")) {
            out.setLongFileMode(longFileMode);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            out.setAddPaxHeadersForNonAsciiNames(true);
            for (Entry e : entries) {
                out.putArchiveEntry(e.header());
                out.write(e.data());
                out.closeArchiveEntry();
            }
            out.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    public byte[] gzip() {
        return gzip(bytes());
    }

    public byte[] zstd() {
        return zstd(bytes());
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    public static byte[] zstd(byte[] data) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(buf)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Hex sha256 of {@code data}, computed with the JDK alone (not with the code under test). */
    public static String sha256(byte[] data) {
        try {
            return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A gzip-compressed tar with one entry of {@code size} zero bytes: a decompression bomb of about a
     * thousandth of its expanded size, written as a stream so the test never holds the expansion.
     */
    public static byte[] gzipBomb(String name, long size) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf, 1 << 16);
             TarArchiveOutputStream out = new TarArchiveOutputStream(gz, "UTF-8")) {
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry e = new TarArchiveEntry(name, true);
            e.setSize(size);
            e.setMode(0100644);
            out.putArchiveEntry(e);
            byte[] zeros = new byte[1 << 20];
            for (long left = size; left > 0; left -= zeros.length) {
                out.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
            out.closeArchiveEntry();
            out.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    public static byte[] truncate(byte[] data, int length) {
        return Arrays.copyOf(data, length);
    }
}
