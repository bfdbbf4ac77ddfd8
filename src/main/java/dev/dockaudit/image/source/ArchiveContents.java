package dev.dockaudit.image.source;

import dev.dockaudit.image.Compression;
import dev.dockaudit.image.layer.LayerPaths;
import dev.dockaudit.image.layer.LayerScan;
import dev.dockaudit.image.layer.LayerScanner;
import dev.dockaudit.util.HashingInputStream;
import dev.dockaudit.util.Sizes;
import dev.dockaudit.util.UserError;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A {@code docker save} or OCI archive read in one sequential pass, so it works on pipes (the daemon's
 * {@code /images/get}) and gzip-compressed files as well as plain tars. Legacy archives put
 * {@code manifest.json} last, so layers cannot wait for it: every entry that is not JSON is scanned as a
 * layer when it streams past, and matched to the manifest afterwards. JSON and tiny files are kept in memory
 * within a fixed budget.
 */
final class ArchiveContents implements BlobStore {
    /** Non-JSON entries up to this size are kept and scanned later if a manifest names them (empty layers are 1 KiB). */
    private static final int TINY = 16 << 10;
    /** Bound on everything kept in memory, so a hostile archive of many small files cannot exhaust the heap. */
    private static final long MEMORY_BUDGET = 64L << 20;
    private static final int MAX_LINKS = 40;
    /** What may follow the tar's end (record padding is at most a few KiB); more is garbage or a decompression bomb. */
    private static final long MAX_TRAILER = 64L << 20;

    private final String label;
    private final Map<String, byte[]> kept = new HashMap<>();
    private final Map<String, LayerScan> scanned = new HashMap<>();
    private final Map<String, String> links = new HashMap<>();
    private final boolean walkedScans;

    private ArchiveContents(String label, boolean walkedScans) {
        this.label = label;
        this.walkedScans = walkedScans;
    }

    /** Reads the whole archive from {@code in}; gzip and zstd compression of the archive itself are undone. */
    static ArchiveContents read(InputStream in, String label, LayerScanner scanner) throws IOException {
        ArchiveContents c = new ArchiveContents(label, scanner.walks());
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        Compression compression = Compression.detect(buffered);
        InputStream plain = compression.decompress(buffered);
        long keptBytes = 0;
        int entries = 0;
        try {
            TarArchiveInputStream tar = new TarArchiveInputStream(plain, 512 * 20, 512, "UTF-8", true);
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entries++;
                String path = LayerPaths.normalise(e.getName(), label);
                if (e.isSymbolicLink() || e.isLink()) {
                    String target = e.isLink() ? LayerPaths.normalise(e.getLinkName(), label)
                            : LayerPaths.resolveLinkTarget(path, e.getLinkName());
                    c.links.put(path, target);
                    continue;
                }
                if (!e.isFile()) {
                    continue;
                }
                BufferedInputStream body = new BufferedInputStream(tar, 1 << 16);
                body.mark(512);
                byte[] head = body.readNBytes(512);
                body.reset();
                // A layer tar whose first entry's name starts with '[' or '{' (a real image can COPY to /[data]/) also
                // starts with that byte; the ustar magic tells it apart, else such a layer over 16 MiB was refused as JSON.
                boolean json = startsLikeJson(head) && !isTarHeader(head);
                if (json || e.getSize() <= TINY) {
                    if (e.getSize() > MAX_JSON) {
                        throw new UserError(label + ": " + LayerPaths.printable(path) + " is a " + Sizes.human(e.getSize())
                                + " JSON document, beyond the " + Sizes.human(MAX_JSON)
                                + " limit for manifests and configs; the archive is not a sane image");
                    }
                    keptBytes += e.getSize();
                    if (keptBytes > MEMORY_BUDGET) {
                        throw new UserError(label + " holds more than " + Sizes.human(MEMORY_BUDGET)
                                + " of small metadata files; it is not a docker save or OCI archive dockaudit can audit safely");
                    }
                    c.kept.put(path, body.readAllBytes());
                } else {
                    c.scanned.put(path, scanner.scan(body, "layer " + LayerPaths.printable(path) + " of " + label));
                }
            }
            if (entries == 0) {
                throw new UserError(label + " is empty or not a tar archive; pass a docker save archive,"
                        + " an OCI archive, or a directory");
            }
            // Read to the end so that a compressed archive's trailer is checked, but not without bound: zeros
            // after the tar's end compress a thousandfold, and reading them all would hang on a bomb.
            byte[] buf = new byte[1 << 16];
            long trailer = 0;
            for (int n; (n = plain.read(buf)) >= 0; ) {
                trailer += n;
                if (trailer > MAX_TRAILER) {
                    throw new UserError(label + " has more than " + Sizes.human(MAX_TRAILER) + " of data after the end"
                            + " of its tar; it is not a docker save or OCI archive (it may be a decompression bomb)");
                }
            }
        } catch (HashingInputStream.SizeLimitException e) {
            throw new UserError(e.getMessage());
        } catch (java.io.InterruptedIOException e) {
            // A stream that timed out (a daemon that stopped sending its export) is not a corrupt archive; the caller,
            // who knows where the bytes came from, says what happened.
            throw e;
        } catch (ZipException | EOFException e) {
            throw new UserError(label + " is truncated or corrupt (" + reason(e) + "); re-create it, e.g. with docker save");
        } catch (IOException e) {
            // A tar that breaks after good entries was cut short or damaged (a flipped byte in a gzip stream
            // shows up as a corrupt tar header); only a first entry that does not parse means "not a tar".
            if (entries > 0 || String.valueOf(e.getMessage()).contains("Truncated")) {
                throw new UserError(label + " is truncated or corrupt (" + reason(e) + "); re-create it, e.g. with docker save");
            }
            throw new UserError(label + " is not a readable tar archive (" + reason(e)
                    + "); pass a docker save archive (plain or gzip), an OCI archive, or a directory");
        } catch (IllegalArgumentException e) {
            throw new UserError(label + " has a corrupt tar header (" + reason(e) + "); re-create the archive");
        }
        return c;
    }

    /** True when the first non-blank byte among the first few opens a JSON object or array. */
    static boolean startsLikeJson(byte[] head) {
        for (int i = 0; i < Math.min(8, head.length); i++) {
            int b = head[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b == '{' || b == '[';
            }
        }
        return false;
    }

    /** True when {@code head} is a POSIX/GNU tar header: "ustar" at offset 257 (docker, containerd and Go write these). */
    static boolean isTarHeader(byte[] head) {
        if (head.length < 263) {
            return false;
        }
        return head[257] == 'u' && head[258] == 's' && head[259] == 't' && head[260] == 'a' && head[261] == 'r';
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private String follow(String path) {
        // Entries are stored under normalised names, so names from manifests must be normalised to be found
        // ("/x/layer.tar", "./x/layer.tar"); this also refuses a "../../etc/passwd" outright instead of
        // calling it a missing blob.
        String p = LayerPaths.normalise(path, "the manifest of " + label);
        for (int i = 0; i < MAX_LINKS; i++) {
            String t = links.get(p);
            if (t == null) {
                return p;
            }
            p = t;
        }
        throw new UserError(label + ": " + LayerPaths.printable(path) + " is a symlink loop inside the archive; the archive is corrupt");
    }

    @Override
    public boolean exists(String path) {
        String p = follow(path);
        return kept.containsKey(p) || scanned.containsKey(p);
    }

    @Override
    public byte[] readSmall(String path, String what) {
        String p = follow(path);
        byte[] b = kept.get(p);
        if (b == null) {
            if (scanned.containsKey(p)) {
                throw new UserError(label + ": " + what + " (" + LayerPaths.printable(path)
                        + ") is not a JSON document; the archive is corrupt");
            }
            throw new UserError(label + " has no " + what + " (" + LayerPaths.printable(path)
                    + "); the archive is incomplete, re-create it");
        }
        return b;
    }

    @Override
    public LayerScan scanLayer(String path, String layerLabel, LayerScanner scanner) throws IOException {
        String p = follow(path);
        LayerScan s = scanned.get(p);
        if (s != null && (!scanner.walks() || walkedScans)) {
            return s;
        }
        byte[] b = kept.get(p);
        if (b == null) {
            throw new UserError(layerLabel + " is missing; the archive is incomplete, re-create it");
        }
        s = scanner.scan(new ByteArrayInputStream(b), layerLabel);
        scanned.put(p, s);
        return s;
    }

    @Override
    public String describe() {
        return label;
    }
}
