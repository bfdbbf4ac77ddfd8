package dev.dockaudit.image.layer;

import dev.dockaudit.image.Compression;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.HashingInputStream;
import dev.dockaudit.util.Sizes;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The one streaming pass over a layer blob: hashes the stored bytes, detects and undoes the
 * compression, hashes the tar (diff_id), and, when asked to walk, hands every tar entry to the
 * layer's visitors. Nothing is written to disk. Memory stays bounded: only files a visitor asks for
 * are buffered, up to the size it names.
 */
public final class LayerScanner {
    /** Default bound on a layer's uncompressed size; stops decompression bombs. */
    public static final long DEFAULT_MAX_LAYER_SIZE = 64L << 30;

    private static final String WHITEOUT_PREFIX = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private final boolean walk;
    private final Supplier<List<LayerVisitor>> visitors;
    private final long maxLayerSize;
    private final ProgressListener progress;

    public LayerScanner(boolean walk, Supplier<List<LayerVisitor>> visitors, long maxLayerSize, ProgressListener progress) {
        this.walk = walk;
        this.visitors = visitors;
        this.maxLayerSize = maxLayerSize;
        this.progress = progress == null ? ProgressListener.NONE : progress;
    }

    /** A scanner that only hashes: what {@code dockaudit digests} needs. */
    public static LayerScanner hashOnly(long maxLayerSize) {
        return new LayerScanner(false, List::of, maxLayerSize, ProgressListener.NONE);
    }

    public boolean walks() {
        return walk;
    }

    /** Reports bytes as they are read, for the progress display. */
    public interface ProgressListener {
        ProgressListener NONE = n -> { };

        void bytesRead(long n);
    }

    /**
     * Scans one blob. {@code label} names the layer in messages. The stream is read to its end but not closed.
     * Errors in the compressed or tar structure are recorded in the result rather than thrown, because
     * a tampered layer must still be reported as an integrity finding with its real digest.
     */
    public LayerScan scan(InputStream blob, String label) throws IOException {
        String limitMessage = label + " expands to more than " + Sizes.human(maxLayerSize)
                + " (--max-layer-size); it may be a decompression bomb. Raise the limit only if you trust the image";
        HashingInputStream raw = new HashingInputStream(new ProgressStream(blob, progress), "sha256",
                Long.MAX_VALUE, null);
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        Compression compression = Compression.detect(buffered);
        HashingInputStream tar = compression == Compression.NONE
                ? null
                : new HashingInputStream(compression.decompress(buffered), "sha256", maxLayerSize, limitMessage);
        InputStream tarBytes = tar != null ? tar : new LimitStream(buffered, maxLayerSize, limitMessage);
        List<LayerFile> files = walk ? new ArrayList<>() : null;
        List<LayerVisitor> layerVisitors = walk ? visitors.get() : List.of();
        String error = null;
        try {
            if (walk) {
                walkTar(tarBytes, files, layerVisitors, label);
            }
            drain(tarBytes);
        } catch (HashingInputStream.SizeLimitException e) {
            throw e;
        } catch (ZipException | java.io.EOFException e) {
            error = describe(compression, e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof dev.dockaudit.util.UserError ue) {
                throw ue;
            }
            error = describe(compression, e);
        }
        // Whatever happened above, the stored bytes are hashed to the end so the digest check stays meaningful.
        drain(buffered);
        Digest rawDigest = raw.digest();
        Digest diffId = tar != null ? (error == null ? tar.digest() : null) : (error == null ? rawDigest : null);
        long uncompressed = tar != null ? tar.count() : raw.count();
        return new LayerScan(rawDigest, raw.count(), compression, diffId, uncompressed,
                files == null ? null : List.copyOf(files), layerVisitors, error);
    }

    /**
     * Walks a root filesystem directory as if it were one layer. Symlinks are recorded, never followed, so a
     * loop cannot trap the walk; files we may not read are listed without content.
     */
    public LayerScan scanDirectory(java.nio.file.Path root, String label) throws IOException {
        List<LayerFile> files = new ArrayList<>();
        List<LayerVisitor> layerVisitors = visitors.get();
        DirectoryEntries.walk(root, (p, f) -> {
            files.add(f);
            DirectoryEntries.visit(p, f, layerVisitors);
        });
        return new LayerScan(null, 0, Compression.NONE, null, 0, List.copyOf(files), layerVisitors, null);
    }

    private static String describe(Compression compression, Exception e) {
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return (compression == Compression.NONE ? "not a readable tar: " : "not a readable " + compression.name().toLowerCase()
                + " tar: ") + what;
    }

    private void walkTar(InputStream in, List<LayerFile> files, List<LayerVisitor> layerVisitors, String label)
            throws IOException {
        // Not closed: closing would close the underlying blob stream, which the caller owns.
        TarArchiveInputStream tar = new TarArchiveInputStream(in, 512 * 20, 512, "UTF-8", true);
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            LayerFile file = toLayerFile(entry, label);
            if (file == null) {
                continue;
            }
            files.add(file);
            List<LayerVisitor> wanting = null;
            if (file.isRegular()) {
                for (LayerVisitor v : layerVisitors) {
                    if (v.wantsContent(file)) {
                        if (wanting == null) {
                            wanting = new ArrayList<>(2);
                        }
                        wanting.add(v);
                    }
                }
            }
            EntryContent content = wanting == null ? null : new EntryContent(tar);
            for (LayerVisitor v : layerVisitors) {
                v.visit(file, wanting != null && wanting.contains(v) ? content : null);
            }
        }
    }

    static LayerFile toLayerFile(TarArchiveEntry e, String label) {
        String path = LayerPaths.normalise(e.getName(), label);
        if (path.isEmpty()) {
            return null; // the root directory itself
        }
        String base = LayerPaths.baseName(path);
        long mtime = e.getModTime() == null ? 0 : e.getModTime().getTime() / 1000;
        if (base.equals(OPAQUE)) {
            return new LayerFile(LayerPaths.parent(path), LayerFile.Type.OPAQUE_WHITEOUT, 0, 0, 0, 0, null, mtime);
        }
        if (base.startsWith(WHITEOUT_PREFIX)) {
            String parent = LayerPaths.parent(path);
            String target = base.substring(WHITEOUT_PREFIX.length());
            return new LayerFile(parent.isEmpty() ? target : parent + "/" + target, LayerFile.Type.WHITEOUT, 0, 0, 0, 0,
                    null, mtime);
        }
        LayerFile.Type type;
        String link = null;
        if (e.isSymbolicLink()) {
            type = LayerFile.Type.SYMLINK;
            link = e.getLinkName();
        } else if (e.isLink()) {
            type = LayerFile.Type.HARDLINK;
            link = LayerPaths.normalise(e.getLinkName(), label);
        } else if (e.isDirectory()) {
            type = LayerFile.Type.DIR;
        } else if (e.isCharacterDevice()) {
            type = LayerFile.Type.CHAR_DEVICE;
        } else if (e.isBlockDevice()) {
            type = LayerFile.Type.BLOCK_DEVICE;
        } else if (e.isFIFO()) {
            type = LayerFile.Type.FIFO;
        } else {
            type = LayerFile.Type.FILE;
        }
        return new LayerFile(path, type, type == LayerFile.Type.FILE ? e.getSize() : 0, e.getMode() & 07777,
                e.getLongUserId(), e.getLongGroupId(), link, mtime);
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 17];
        while (in.read(buf, 0, buf.length) >= 0) {
            // keep reading: the digests must cover every byte
        }
    }

    /** Buffers a file's bytes once so several visitors can read them from the single pass. */
    static final class EntryContent implements LayerVisitor.ContentReader {
        private final InputStream entry;
        private byte[] buffered = new byte[0];
        private boolean streamed;

        EntryContent(InputStream entry) {
            this.entry = entry;
        }

        @Override
        public byte[] read(int maxBytes) throws IOException {
            if (streamed) {
                throw new IllegalStateException("content already streamed");
            }
            if (buffered.length < maxBytes) {
                byte[] more = entry.readNBytes(maxBytes - buffered.length);
                if (more.length > 0) {
                    byte[] joined = Arrays.copyOf(buffered, buffered.length + more.length);
                    System.arraycopy(more, 0, joined, buffered.length, more.length);
                    buffered = joined;
                }
            }
            return buffered.length <= maxBytes ? buffered : Arrays.copyOf(buffered, maxBytes);
        }

        @Override
        public InputStream stream() {
            if (streamed) {
                throw new IllegalStateException("content already streamed");
            }
            streamed = true;
            InputStream rest = new java.io.FilterInputStream(entry) {
                @Override
                public void close() {
                    // the tar stream belongs to the scanner
                }
            };
            return new SequenceInputStream(new ByteArrayInputStream(buffered), rest);
        }
    }

    /** Applies the layer size limit to uncompressed layers, which have no decompressor to bound. */
    private static final class LimitStream extends java.io.FilterInputStream {
        private final long limit;
        private final String message;
        private long count;

        LimitStream(InputStream in, long limit, String message) {
            super(in);
            this.limit = limit;
            this.message = message;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0 && ++count > limit) {
                throw new HashingInputStream.SizeLimitException(message);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0 && (count += n) > limit) {
                throw new HashingInputStream.SizeLimitException(message);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 1 << 16)];
            long left = n;
            while (left > 0) {
                int r = read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) {
                    break;
                }
                left -= r;
            }
            return n - left;
        }

        @Override
        public void close() {
            // owned by the caller
        }
    }

    private static final class ProgressStream extends java.io.FilterInputStream {
        private final ProgressListener listener;

        ProgressStream(InputStream in, ProgressListener listener) {
            super(in);
            this.listener = listener;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                listener.bytesRead(n);
            }
            return n;
        }

        @Override
        public void close() {
            // owned by the caller
        }
    }
}
