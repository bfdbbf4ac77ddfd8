package dev.dockaudit.inventory.lang;

import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.inventory.AnalyzerInput;
import dev.dockaudit.inventory.FileAnalyzer;
import dev.dockaudit.inventory.FileResult;
import dev.dockaudit.inventory.Package;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Executables whose build recorded their dependencies: Go binaries (module list and Go version, see
 * {@link GoBuildInfo}) and Rust binaries built with cargo-auditable (see {@link RustAuditData}). One analyzer reads
 * both because both want the same files (regular files with an execute bit, up to {@value #MAX_FILE} bytes), and a
 * file goes to one analyzer only.
 *
 * <p>The file is read once, as a stream, in {@value #CHUNK}-byte chunks with a small overlap; nothing but a few
 * small captures (the build info, at most a few MiB of module text or audit JSON) is kept. Files that do not start
 * with an ELF header are dropped after their first bytes. Only real build info counts: the Go header must sit at a
 * 16-byte-aligned offset of a writable segment and parse, so a file that merely contains the magic string, or a
 * corrupt one, yields no packages (a warning when the header is there but unreadable).
 *
 * <p>Regions are read for what they can hold, so the pass runs at about 1 GB/s: the pre-1.18 string candidates
 * are looked for only in the read-only data of binaries carrying the Go linker's build-ID note (a Go 1.13–1.17
 * binary built with {@code -buildid=} gets a warning and its stdlib/modules are missing), the build-info magic only at
 * aligned offsets of writable data, and cargo-auditable's zlib stream only after the loaded segments, where the
 * linker puts its non-allocated {@code .dep-v0} section. Code segments are skipped.
 */
public final class ElfBinaryAnalyzer implements FileAnalyzer {
    static final long MAX_FILE = 1L << 30;
    static final int CHUNK = 1 << 16;
    private static final int OVER = 64;
    private static final int HEAD = 1 << 16;
    private static final int MAX_VERSION_CANDIDATES = 4096;
    private static final int MAX_MODINFO_CANDIDATES = 4;
    private static final int MAX_RUST_TRIALS = 100_000;
    private static final int MAX_RUST_COMPRESSED = 8 << 20;
    private static final int MAX_RUST_JSON = 8 << 20; // cargo-auditable: "8 MiB should be more than enough"
    private static final byte[] GO1 = {'g', 'o', '1', '.'};

    @Override
    public String name() {
        return "binary";
    }

    @Override
    public boolean wants(LayerFile f) {
        return f.isRegular() && (f.mode() & 0111) != 0 && f.size() >= 64 && f.size() <= MAX_FILE;
    }

    @Override
    public FileResult analyze(AnalyzerInput in) throws IOException {
        long size = in.file().size();
        byte[] head = in.bytes((int) Math.min(HEAD, Math.max(size, 64)));
        ElfHeader elf = ElfHeader.parse(head);
        if (elf == null) {
            return FileResult.EMPTY;
        }
        Scan scan = new Scan(elf, "/" + in.path());
        try (InputStream s = in.stream()) {
            scan.run(s);
        }
        return scan.result();
    }

    /** Scans an ELF file that is already known to be one; visible for tests that stream a file directly. */
    static FileResult scan(InputStream s, String path) throws IOException {
        byte[] head = s.readNBytes(HEAD);
        ElfHeader elf = ElfHeader.parse(head);
        if (elf == null) {
            return FileResult.EMPTY;
        }
        Scan scan = new Scan(elf, path);
        scan.run(new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head), s));
        return scan.result();
    }

    /** A growing copy of the file's bytes from {@code start}, at most {@code max} long. */
    private static final class Capture {
        final long start;
        int max;
        byte[] data = new byte[256];
        int len;

        Capture(long start, int max) {
            this.start = start;
            this.max = max;
        }

        boolean full() {
            return len >= max;
        }

        /** Offers bytes b[off, off+n) that sit at file offset {@code at}. */
        void feed(byte[] b, int off, int n, long at) {
            long from = Math.max(at, start + len);
            long to = Math.min(at + n, start + max);
            if (from >= to || from != start + len) {
                return;
            }
            int count = (int) (to - from);
            if (len + count > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(Math.max((long) data.length * 2, len + count), max));
            }
            System.arraycopy(b, off + (int) (from - at), data, len, count);
            len += count;
        }
    }

    /** cargo-auditable data being inflated as the stream passes. */
    private static final class ZlibCapture {
        final Inflater inflater = new Inflater();
        byte[] out = new byte[4096];
        int len;
        long consumed;
        final long start;
        long fedTo;
        boolean failed;

        ZlibCapture(long start) {
            this.start = start;
            this.fedTo = start;
        }

        void feed(byte[] b, int off, int n, long at) {
            if (failed || inflater.finished()) {
                return;
            }
            long from = Math.max(at, fedTo);
            long to = at + n;
            if (from >= to || from != fedTo) {
                return;
            }
            int o = off + (int) (from - at);
            int count = (int) (to - from);
            fedTo = to;
            consumed += count;
            if (consumed > MAX_RUST_COMPRESSED) {
                failed = true;
                return;
            }
            inflater.setInput(b, o, count);
            try {
                while (!inflater.finished() && !inflater.needsInput()) {
                    if (len == out.length) {
                        if (out.length >= MAX_RUST_JSON) {
                            failed = true;
                            return;
                        }
                        out = Arrays.copyOf(out, Math.min(out.length * 2, MAX_RUST_JSON));
                    }
                    int got = inflater.inflate(out, len, out.length - len);
                    if (got == 0 && (inflater.needsDictionary() || inflater.needsInput())) {
                        break;
                    }
                    len += got;
                }
            } catch (DataFormatException e) {
                failed = true;
            }
        }

        boolean finished() {
            return !failed && inflater.finished();
        }
    }

    /** One file's pass. */
    private static final class Scan {
        private final ElfHeader elf;
        private final String path;
        private final long tailStart;
        private final List<String> warnings = new ArrayList<>();
        // Go
        private final Map<Long, byte[]> versionCandidates = new HashMap<>();
        private final List<Capture> modinfoCandidates = new ArrayList<>();
        private Capture buildInfo;
        private Capture versionHeader;
        private Capture modinfoHeader;
        private GoBuildInfo.Header pointers;
        private boolean sawCorruptGoHeader;
        private List<Package> goPackages;
        // Rust
        private final Inflater probe = new Inflater();
        private final byte[] probeOut = new byte[16];
        private int rustTrials;
        private final List<ZlibCapture> rust = new ArrayList<>();
        private List<Package> rustPackages;

        Scan(ElfHeader elf, String path) {
            this.elf = elf;
            this.path = path;
            this.tailStart = elf.loadedEnd();
        }

        void run(InputStream in) throws IOException {
            byte[] buf = new byte[OVER + CHUNK];
            long wBase = 0;
            int wLen = 0;
            long scanned = 0;
            try {
                while (true) {
                    int keep = (int) (wBase + wLen - scanned);
                    System.arraycopy(buf, wLen - keep, buf, 0, keep);
                    wBase = scanned;
                    wLen = keep;
                    int n = in.readNBytes(buf, wLen, CHUNK);
                    boolean eof = n < CHUNK;
                    feed(buf, wLen, n, wBase + wLen);
                    wLen += n;
                    long limit = eof ? wBase + wLen : wBase + wLen - (OVER - 1);
                    scanRange(buf, wBase, wLen, scanned, limit);
                    scanned = Math.max(scanned, limit);
                    if (progress(buf, wBase, wLen) || eof) {
                        break;
                    }
                }
            } finally {
                probe.end();
                rust.forEach(z -> z.inflater.end());
            }
            finish();
        }

        private void feed(byte[] b, int off, int n, long at) {
            if (n <= 0) {
                return;
            }
            for (Capture c : modinfoCandidates) {
                if (!c.full()) {
                    c.feed(b, off, n, at);
                    trimAtEndSentinel(c);
                }
            }
            for (Capture c : new Capture[] {buildInfo, versionHeader, modinfoHeader}) {
                if (c != null && !c.full()) {
                    c.feed(b, off, n, at);
                }
            }
            for (ZlibCapture z : rust) {
                z.feed(b, off, n, at);
            }
        }

        /**
         * Looks at file offsets [from, to) of the window (which holds wLen bytes from wBase), region by region:
         * read-only data of a Go binary for pre-1.18 string candidates, 16-byte-aligned offsets of writable data for
         * the build-info magic, and the part after the loaded segments for cargo-auditable data. Executable code
         * and everything else is skipped.
         */
        private void scanRange(byte[] b, long wBase, int wLen, long from, long to) {
            long p = from;
            while (p < to) {
                long next = Math.min(to, regionEnd(p));
                boolean goPending = goPackages == null && buildInfo == null;
                if (goPending && elf.goNote() && versionCandidates.size() < MAX_VERSION_CANDIDATES && elf.inReadOnlyData(p)) {
                    candidates(b, (int) (p - wBase), (int) (next - wBase), wLen, wBase);
                }
                if (goPending && elf.inWritable(p)) {
                    for (long q = (p + 15) & ~15L; q < next && buildInfo == null; q += 16) {
                        int i = (int) (q - wBase);
                        if (b[i] == (byte) 0xff && GoBuildInfo.startsWith(b, i, wLen, GoBuildInfo.MAGIC)) {
                            buildInfo = new Capture(q, 32 + 20 + GoBuildInfo.MAX_VERSION + GoBuildInfo.MAX_MODINFO);
                            buildInfo.feed(b, i, wLen - i, q);
                        }
                    }
                }
                if (p >= tailStart && rustPackages == null && goPackages == null && buildInfo == null) {
                    int end = (int) (next - wBase);
                    for (int i = (int) (p - wBase); i < end && rust.size() < 4 && rustTrials < MAX_RUST_TRIALS; i++) {
                        if (b[i] == 0x78 && i + 1 < wLen) {
                            rustProbe(b, i, wLen, wBase + i);
                        }
                    }
                }
                p = next;
            }
        }

        /** Where the region holding {@code p} ends: the next segment boundary, or the start of the tail. */
        private long regionEnd(long p) {
            long end = Long.MAX_VALUE;
            for (ElfHeader.Segment s : elf.loads()) {
                long a = s.offset();
                long z = s.offset() + s.fileSize();
                if (a > p) {
                    end = Math.min(end, a);
                }
                if (z > p) {
                    end = Math.min(end, z);
                }
            }
            if (tailStart > p) {
                end = Math.min(end, tailStart);
            }
            return end;
        }

        private void candidates(byte[] b, int from, int to, int wLen, long wBase) {
            for (int i = from; i < to; i++) {
                byte c = b[i];
                if (c == 'g') {
                    if (GoBuildInfo.startsWith(b, i, wLen, GO1) && versionCandidates.size() < MAX_VERSION_CANDIDATES) {
                        versionCandidates.put(wBase + i, Arrays.copyOfRange(b, i, Math.min(wLen, i + OVER - 1)));
                    }
                } else if (c == 0x30 && modinfoCandidates.size() < MAX_MODINFO_CANDIDATES
                        && GoBuildInfo.startsWith(b, i, wLen, GoBuildInfo.INFO_START)) {
                    Capture m = new Capture(wBase + i, 1 << 20);
                    m.feed(b, i, wLen - i, wBase + i);
                    trimAtEndSentinel(m);
                    modinfoCandidates.add(m);
                }
            }
        }

        private void rustProbe(byte[] b, int i, int wLen, long p) {
            int flg = b[i + 1] & 0xff;
            if ((0x78 * 256 + flg) % 31 != 0 || (flg & 0x20) != 0) {
                return;
            }
            rustTrials++;
            probe.reset();
            probe.setInput(b, i, Math.min(wLen - i, OVER));
            try {
                int got = probe.inflate(probeOut);
                if (RustAuditData.looksLikeAuditJson(probeOut, got)) {
                    ZlibCapture z = new ZlibCapture(p);
                    z.feed(b, i, wLen - i, p);
                    rust.add(z);
                }
            } catch (DataFormatException e) {
                // not zlib data
            }
        }

        private void trimAtEndSentinel(Capture c) {
            int from = Math.max(16, c.len - 1024 * 64);
            for (int j = from; j + 16 <= c.len; j++) {
                if (c.data[j] == GoBuildInfo.INFO_END[0] && GoBuildInfo.startsWith(c.data, j, c.len, GoBuildInfo.INFO_END)) {
                    c.max = j + 16;
                    c.len = Math.min(c.len, c.max);
                    return;
                }
            }
        }

        /** After each chunk: moves the Go and Rust readers on; true when nothing more is needed from the file. */
        private boolean progress(byte[] window, long wBase, int wLen) {
            if (buildInfo != null && goPackages == null && pointers == null) {
                GoBuildInfo.Header h = GoBuildInfo.parseHeader(buildInfo.data, buildInfo.len);
                switch (h.status()) {
                    case NEED_MORE -> {
                        if (h.needBytes() > buildInfo.max) {
                            buildInfo.max = h.needBytes();
                        }
                    }
                    case INLINE -> goPackages = GoBuildInfo.packages(h.version(), h.modinfo(), path);
                    case POINTERS -> {
                        pointers = h;
                        long o1 = elf.fileOffset(h.versionPtr());
                        long o2 = elf.fileOffset(h.modinfoPtr());
                        if (o1 < buildInfo.start || o2 < buildInfo.start) {
                            warnings.add("Go build info (before Go 1.18) points at data this stream reader has passed;"
                                    + " its modules are not read");
                            goPackages = List.of();
                        } else {
                            buildInfo.max = buildInfo.len; // nothing more needed from there
                            versionHeader = new Capture(o1, 2 * h.ptrSize());
                            modinfoHeader = new Capture(o2, 2 * h.ptrSize());
                            // they normally lie ahead; one already in the window is taken from it
                            versionHeader.feed(window, 0, wLen, wBase);
                            modinfoHeader.feed(window, 0, wLen, wBase);
                        }
                    }
                    case INVALID -> {
                        sawCorruptGoHeader = true;
                        buildInfo = null; // keep looking
                    }
                }
            }
            if (pointers != null && goPackages == null && versionHeader.full() && modinfoHeader.full()) {
                goPackages = resolvePointers();
            }
            if (goPackages != null) {
                return true;
            }
            for (ZlibCapture z : rust) {
                if (z.finished() && rustPackages == null) {
                    rustPackages = RustAuditData.packages(z.out, z.len, path);
                }
            }
            return rustPackages != null;
        }

        private List<Package> resolvePointers() {
            int ps = pointers.ptrSize();
            boolean big = pointers.bigEndian();
            long vData = GoBuildInfo.read(versionHeader.data, 0, ps, big);
            long vLen = GoBuildInfo.read(versionHeader.data, ps, ps, big);
            long mData = GoBuildInfo.read(modinfoHeader.data, 0, ps, big);
            long mLen = GoBuildInfo.read(modinfoHeader.data, ps, ps, big);
            String version = null;
            byte[] cand = versionCandidates.get(elf.fileOffset(vData));
            if (cand != null && vLen > 0 && vLen <= cand.length) {
                version = new String(cand, 0, (int) vLen, java.nio.charset.StandardCharsets.UTF_8);
            }
            String modinfo = "";
            if (mLen > 0) {
                long off = elf.fileOffset(mData);
                Capture found = null;
                for (Capture c : modinfoCandidates) {
                    if (c.start == off && c.len >= mLen) {
                        found = c;
                    }
                }
                if (found == null) {
                    warnings.add("Go build info (before Go 1.18): its module list was not found where it points;"
                            + " modules are not read");
                } else {
                    modinfo = GoBuildInfo.stripSentinels(found.data, 0, (int) mLen);
                }
            }
            if (version == null) {
                warnings.add("Go build info (before Go 1.18): the Go version string was not found where it points");
            }
            return GoBuildInfo.packages(version, modinfo, path);
        }

        private void finish() {
            if (goPackages == null && buildInfo != null && pointers == null) {
                warnings.add("Go build info is cut short (truncated file?); no modules read");
            } else if (goPackages == null && pointers != null) {
                warnings.add("Go build info (before Go 1.18) points past the end of the file; no modules read");
            } else if (goPackages == null && rustPackages == null && sawCorruptGoHeader) {
                warnings.add("has a Go build-info marker whose header is not valid; not read as a Go binary");
            }
        }

        FileResult result() {
            List<Package> out = goPackages != null ? goPackages : rustPackages != null ? rustPackages : List.of();
            return FileResult.of(out, warnings);
        }
    }
}
