package dev.dockaudit.image.layer;

import static dev.dockaudit.testing.TarBuilder.concat;
import static dev.dockaudit.testing.TarBuilder.gzip;
import static dev.dockaudit.testing.TarBuilder.sha256;
import static dev.dockaudit.testing.TarBuilder.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.dockaudit.image.Compression;
import dev.dockaudit.testing.TarBuilder;
import dev.dockaudit.util.HashingInputStream;
import dev.dockaudit.util.UserError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

class LayerScannerTest {
    private static final long LIMIT = 64L << 20;

    private static LayerScan walk(byte[] blob, LayerVisitor... visitors) throws IOException {
        return walk(new ByteArrayInputStream(blob), visitors);
    }

    private static LayerScan walk(InputStream blob, LayerVisitor... visitors) throws IOException {
        LayerScanner scanner = new LayerScanner(true, () -> List.of(visitors), LIMIT, null);
        return scanner.scan(blob, "layer under test");
    }

    private static Map<String, LayerFile> byPath(LayerScan s) {
        Map<String, LayerFile> m = new LinkedHashMap<>();
        for (LayerFile f : s.files()) {
            m.put(f.path(), f);
        }
        return m;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static TarBuilder sample() {
        return tar().dir("etc").file("etc/hostname", "box\n").file("etc/os-release", "ID=test\n")
                .dir("usr").dir("usr/bin").file("usr/bin/tool", random(70_000, 1));
    }

    // ---- digests and compression ----

    @Test
    void plainTarDigestIsTheDiffIdAndEntriesAreListed() throws IOException {
        byte[] t = sample().bytes();
        LayerScan s = walk(t);
        assertThat(s.error()).isNull();
        assertThat(s.compression()).isEqualTo(Compression.NONE);
        assertThat(s.rawDigest().toString()).isEqualTo(sha256(t));
        assertThat(s.diffId().toString()).isEqualTo(sha256(t));
        assertThat(s.rawSize()).isEqualTo(t.length);
        assertThat(s.uncompressedSize()).isEqualTo(t.length);
        assertThat(s.files()).extracting(LayerFile::path)
                .containsExactly("etc", "etc/hostname", "etc/os-release", "usr", "usr/bin", "usr/bin/tool");
        assertThat(byPath(s).get("usr/bin/tool").size()).isEqualTo(70_000);
    }

    @Test
    void gzipLayerHashesStoredBytesAndTarSeparately() throws IOException {
        byte[] t = sample().bytes();
        byte[] gz = gzip(t);
        LayerScan s = walk(gz);
        assertThat(s.error()).isNull();
        assertThat(s.compression()).isEqualTo(Compression.GZIP);
        assertThat(s.rawDigest().toString()).isEqualTo(sha256(gz));
        assertThat(s.rawSize()).isEqualTo(gz.length);
        assertThat(s.diffId().toString()).isEqualTo(sha256(t));
        assertThat(s.uncompressedSize()).isEqualTo(t.length);
        assertThat(s.files()).hasSize(6);
    }

    @Test
    void zstdLayerHashesStoredBytesAndTarSeparately() throws IOException {
        byte[] t = sample().bytes();
        byte[] z = TarBuilder.zstd(t);
        assertThat(z[0] & 0xff).isEqualTo(0x28);
        LayerScan s = walk(z);
        assertThat(s.error()).isNull();
        assertThat(s.compression()).isEqualTo(Compression.ZSTD);
        assertThat(s.rawDigest().toString()).isEqualTo(sha256(z));
        assertThat(s.diffId().toString()).isEqualTo(sha256(t));
        assertThat(s.uncompressedSize()).isEqualTo(t.length);
        assertThat(s.files()).extracting(LayerFile::path).contains("usr/bin/tool");
    }

    @Test
    void hashOnlyScannerComputesTheSameDigestsWithoutEntries() throws IOException {
        byte[] t = sample().bytes();
        byte[] gz = gzip(t);
        LayerScan s = LayerScanner.hashOnly(LIMIT).scan(new ByteArrayInputStream(gz), "l");
        assertThat(s.files()).isNull();
        assertThat(s.rawDigest().toString()).isEqualTo(sha256(gz));
        assertThat(s.diffId().toString()).isEqualTo(sha256(t));
    }

    @Test
    void emptyBlobHasTheDigestOfNothing() throws IOException {
        LayerScan s = walk(new byte[0]);
        assertThat(s.rawDigest().toString())
                .isEqualTo("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(s.files()).isEmpty();
    }

    // ---- entry kinds ----

    @Test
    void everyEntryKindIsRecognised() throws IOException {
        byte[] t = tar()
                .dir("bin")
                .file("bin/su", "su".getBytes(StandardCharsets.UTF_8), 04755, e -> {
                    e.setUserId(0);
                    e.setGroupId(0);
                })
                .file("usr/bin/wall", "w".getBytes(StandardCharsets.UTF_8), 02755, e -> {
                    e.setUserId(0);
                    e.setGroupId(5);
                })
                .file("home/u/big-ids", new byte[3], 0600, e -> {
                    e.setUserId(3_000_000_000L);
                    e.setGroupId(4_000_000_000L);
                })
                .symlink("bin/sh", "busybox")
                .symlink("etc/localtime", "/usr/share/zoneinfo/UTC")
                .hardlink("bin/su2", "bin/su")
                .device("dev/null", TarConstants.LF_CHR, 1, 3)
                .device("dev/sda", TarConstants.LF_BLK, 8, 0)
                .fifo("run/pipe")
                .bytes();
        Map<String, LayerFile> f = byPath(walk(t));
        assertThat(f.get("bin").type()).isEqualTo(LayerFile.Type.DIR);
        assertThat(f.get("bin").mode()).isEqualTo(0755);

        LayerFile su = f.get("bin/su");
        assertThat(su.type()).isEqualTo(LayerFile.Type.FILE);
        assertThat(su.mode()).isEqualTo(04755);
        assertThat(su.mode() & LayerFile.SETUID).isNotZero();
        assertThat(su.size()).isEqualTo(2);
        assertThat(su.mtimeEpochSeconds()).isEqualTo(1_600_000_000L);

        LayerFile wall = f.get("usr/bin/wall");
        assertThat(wall.mode()).isEqualTo(02755);
        assertThat(wall.mode() & LayerFile.SETGID).isNotZero();
        assertThat(wall.mode() & LayerFile.SETUID).isZero();
        assertThat(wall.gid()).isEqualTo(5);

        assertThat(f.get("home/u/big-ids").uid()).isEqualTo(3_000_000_000L);
        assertThat(f.get("home/u/big-ids").gid()).isEqualTo(4_000_000_000L);

        assertThat(f.get("bin/sh")).isEqualTo(new LayerFile("bin/sh", LayerFile.Type.SYMLINK, 0, 0777, 0, 0, "busybox",
                f.get("bin/sh").mtimeEpochSeconds()));
        assertThat(f.get("etc/localtime").linkTarget()).isEqualTo("/usr/share/zoneinfo/UTC");

        assertThat(f.get("bin/su2").type()).isEqualTo(LayerFile.Type.HARDLINK);
        assertThat(f.get("bin/su2").linkTarget()).isEqualTo("bin/su");
        assertThat(f.get("bin/su2").size()).isZero();

        assertThat(f.get("dev/null").type()).isEqualTo(LayerFile.Type.CHAR_DEVICE);
        assertThat(f.get("dev/sda").type()).isEqualTo(LayerFile.Type.BLOCK_DEVICE);
        assertThat(f.get("run/pipe").type()).isEqualTo(LayerFile.Type.FIFO);
        assertThat(f.values()).filteredOn(LayerFile::isRegular).extracting(LayerFile::path)
                .containsExactlyInAnyOrder("bin/su", "usr/bin/wall", "home/u/big-ids");
    }

    @Test
    void namesAreNormalisedAndTheRootIsSkipped() throws IOException {
        byte[] t = tar().dir("./").dir("./etc").file("./etc/a", "a").file("/etc/x", "absolute")
                .file("usr//lib/./b", "b").file("opt/d/../c", "c").hardlink("./etc/h", "/etc/a").bytes();
        LayerScan s = walk(t);
        assertThat(s.files()).extracting(LayerFile::path)
                .containsExactly("etc", "etc/a", "etc/x", "usr/lib/b", "opt/c", "etc/h");
        assertThat(byPath(s).get("etc/h").linkTarget()).isEqualTo("etc/a");
    }

    @Test
    void paxLongAndNonAsciiNamesAreRead() throws IOException {
        String longDir = "usr/share/" + "d".repeat(120);
        String longName = longDir + "/" + "f".repeat(90) + ".txt";
        String unicode = "usr/share/doc/ünïcødé/日本語-файл.txt";
        String longTarget = "/opt/" + "t".repeat(150);
        byte[] t = tar().longFileMode(TarArchiveOutputStream.LONGFILE_POSIX)
                .file(longName, "long").file(unicode, "uni").symlink("usr/lib/link", longTarget)
                .hardlink("usr/lib/hard", longName).bytes();
        Map<String, LayerFile> f = byPath(walk(t));
        assertThat(longName.length()).isGreaterThan(200);
        assertThat(f).containsKeys(longName, unicode, "usr/lib/link", "usr/lib/hard");
        assertThat(f.get(longName).size()).isEqualTo(4);
        assertThat(f.get(unicode).size()).isEqualTo(3);
        assertThat(f.get("usr/lib/link").linkTarget()).isEqualTo(longTarget);
        assertThat(f.get("usr/lib/hard").linkTarget()).isEqualTo(longName);
    }

    @Test
    void gnuLongNamesAndLongLinkNamesAreRead() throws IOException {
        String longName = "var/lib/" + "g".repeat(140) + "/file";
        String longTarget = "../" + "x".repeat(130) + "/target";
        String longHardTarget = "var/lib/" + "g".repeat(140) + "/file";
        byte[] t = tar().longFileMode(TarArchiveOutputStream.LONGFILE_GNU)
                .file(longName, "gnu").symlink("var/lib/" + "s".repeat(110), longTarget)
                .hardlink("var/lib/hard-" + "h".repeat(100), longHardTarget).bytes();
        // the writer really used GNU ././@LongLink entries, not PAX headers
        assertThat(new String(t, StandardCharsets.ISO_8859_1)).contains("././@LongLink").doesNotContain("PaxHeader");
        Map<String, LayerFile> f = byPath(walk(t));
        assertThat(f.get(longName).size()).isEqualTo(3);
        assertThat(f.get("var/lib/" + "s".repeat(110)).linkTarget()).isEqualTo(longTarget);
        assertThat(f.get("var/lib/hard-" + "h".repeat(100)).linkTarget()).isEqualTo(longHardTarget);
        assertThat(f).hasSize(3);
    }

    @Test
    void whiteoutsAndOpaqueWhiteoutsAreEntriesOfTheirOwnKind() throws IOException {
        byte[] t = tar().whiteout("etc/passwd-").whiteout("tmpfile").opaque("var/cache").opaque("")
                .file("etc/.wh-not-a-whiteout", "x").file("etc/x.wh.y", "y").bytes();
        Map<String, LayerFile> f = byPath(walk(t));
        assertThat(f.get("etc/passwd-").type()).isEqualTo(LayerFile.Type.WHITEOUT);
        assertThat(f.get("tmpfile").type()).isEqualTo(LayerFile.Type.WHITEOUT);
        assertThat(f.get("var/cache").type()).isEqualTo(LayerFile.Type.OPAQUE_WHITEOUT);
        assertThat(f.get("").type()).isEqualTo(LayerFile.Type.OPAQUE_WHITEOUT);
        assertThat(f.get("etc/.wh-not-a-whiteout").type()).isEqualTo(LayerFile.Type.FILE);
        assertThat(f.get("etc/x.wh.y").type()).isEqualTo(LayerFile.Type.FILE);
        assertThat(f.values()).filteredOn(LayerFile::isWhiteout).hasSize(4);
    }

    @Test
    void entryClimbingOutOfTheRootIsRefused() {
        byte[] t = tar().file("etc/ok", "ok").file("../escape", "x").bytes();
        assertThatThrownBy(() -> walk(t)).isInstanceOf(UserError.class)
                .hasMessageContaining("'../escape'").hasMessageContaining("climbs out of the image root")
                .hasMessageContaining("layer under test");
        byte[] sneaky = tar().file("a/b/../../../etc/shadow", "x").bytes();
        assertThatThrownBy(() -> walk(gzip(sneaky))).isInstanceOf(UserError.class).hasMessageContaining("climbs out");
        byte[] hard = tar().file("a", "x").hardlink("b", "../../etc/shadow").bytes();
        assertThatThrownBy(() -> walk(hard)).isInstanceOf(UserError.class).hasMessageContaining("climbs out");
    }

    @Test
    void symlinkTargetsPointingOutsideAreKeptAsWrittenNotRefused() throws IOException {
        // a symlink's target is resolved inside the image (clamped at /), so it is no escape
        LayerScan s = walk(tar().symlink("etc/evil", "../../../../etc/shadow").bytes());
        assertThat(s.files().get(0).linkTarget()).isEqualTo("../../../../etc/shadow");
    }

    // ---- content visitors ----

    /** Records what a visitor was shown. */
    private static final class Recorder implements LayerVisitor {
        final Predicate<LayerFile> wants;
        final int readFirst;
        final boolean thenStream;
        final Map<String, byte[]> read = new LinkedHashMap<>();
        final Map<String, byte[]> streamed = new LinkedHashMap<>();
        final List<String> seen = new ArrayList<>();
        final List<String> withContent = new ArrayList<>();

        Recorder(Predicate<LayerFile> wants, int readFirst, boolean thenStream) {
            this.wants = wants;
            this.readFirst = readFirst;
            this.thenStream = thenStream;
        }

        @Override
        public boolean wantsContent(LayerFile file) {
            return wants.test(file);
        }

        @Override
        public void visit(LayerFile file, ContentReader content) throws IOException {
            seen.add(file.path());
            if (content == null) {
                return;
            }
            withContent.add(file.path());
            if (readFirst >= 0) {
                read.put(file.path(), content.read(readFirst));
            }
            if (thenStream) {
                try (InputStream in = content.stream()) {
                    streamed.put(file.path(), in.readAllBytes());
                }
            }
        }
    }

    @Test
    void severalVisitorsShareOneFilesBytes() throws IOException {
        byte[] big = random(300_000, 7);
        byte[] t = tar().file("etc/passwd", "root:x:0:0::/root:/bin/sh\n").file("opt/big.bin", big)
                .file("opt/after", "after").symlink("etc/link", "passwd").bytes();
        Recorder small = new Recorder(f -> f.path().startsWith("etc/"), 4, false);
        Recorder more = new Recorder(f -> true, 10, false);
        Recorder streamer = new Recorder(f -> f.path().equals("opt/big.bin"), 1000, true);
        Recorder none = new Recorder(f -> false, 0, false);
        LayerScan s = walk(gzip(t), small, more, streamer, none);

        assertThat(s.error()).isNull();
        assertThat(s.diffId().toString()).isEqualTo(sha256(t));
        assertThat(small.read.get("etc/passwd")).asString().isEqualTo("root");
        assertThat(more.read.get("etc/passwd")).asString().isEqualTo("root:x:0:0");
        assertThat(more.read.get("opt/big.bin")).isEqualTo(Arrays.copyOf(big, 10));
        assertThat(more.read.get("opt/after")).asString().isEqualTo("after");
        // read(max) then stream(): the stream starts at byte 0, not where read stopped
        assertThat(streamer.read.get("opt/big.bin")).isEqualTo(Arrays.copyOf(big, 1000));
        assertThat(streamer.streamed.get("opt/big.bin")).isEqualTo(big);
        // only regular files get content, and only visitors that asked
        assertThat(more.withContent).containsExactly("etc/passwd", "opt/big.bin", "opt/after");
        assertThat(none.withContent).isEmpty();
        assertThat(none.seen).containsExactly("etc/passwd", "opt/big.bin", "opt/after", "etc/link");
        assertThat(small.withContent).containsExactly("etc/passwd");
    }

    @Test
    void contentReaderGivesWholeFileWhenAskedForMoreAndTheTarWalkContinues() throws IOException {
        byte[] a = "0123456789".getBytes(StandardCharsets.UTF_8);
        byte[] t = tar().file("a", a).file("b", "second").bytes();
        List<byte[]> reads = new ArrayList<>();
        LayerVisitor v = new LayerVisitor() {
            @Override
            public boolean wantsContent(LayerFile file) {
                return true;
            }

            @Override
            public void visit(LayerFile file, ContentReader content) throws IOException {
                reads.add(content.read(3));
                reads.add(content.read(1 << 20));
                reads.add(content.read(2));
            }
        };
        LayerScan s = walk(t, v);
        assertThat(reads).extracting(b -> new String(b, StandardCharsets.UTF_8))
                .containsExactly("012", "0123456789", "01", "sec", "second", "se");
        assertThat(s.files()).extracting(LayerFile::path).containsExactly("a", "b");
    }

    @Test
    void streamedContentIsTheRestOfTheFileOnlyOnce() throws IOException {
        byte[] t = tar().file("f", "abcdef").bytes();
        List<String> out = new ArrayList<>();
        LayerVisitor first = new LayerVisitor() {
            @Override
            public boolean wantsContent(LayerFile file) {
                return true;
            }

            @Override
            public void visit(LayerFile file, ContentReader content) throws IOException {
                InputStream in = content.stream();
                out.add(new String(in.readNBytes(2), StandardCharsets.UTF_8));
                in.close(); // closing the visitor's stream must not close the layer
                assertThatThrownBy(content::stream).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> content.read(1)).isInstanceOf(IllegalStateException.class);
            }
        };
        LayerScan s = walk(t, first);
        assertThat(out).containsExactly("ab");
        assertThat(s.error()).isNull();
        assertThat(s.diffId().toString()).isEqualTo(sha256(t));
    }

    // ---- streams that are not just a tar ----

    @Test
    void trailingGarbageAfterTheTarEndIsHashedButNotParsed() throws IOException {
        byte[] t = sample().bytes();
        byte[] garbage = random(5000, 3);
        byte[] withGarbage = concat(t, garbage);
        LayerScan s = walk(withGarbage);
        assertThat(s.error()).isNull();
        assertThat(s.files()).hasSize(6);
        // docker's diff_id covers every byte of the uncompressed stream, garbage included
        assertThat(s.diffId().toString()).isEqualTo(sha256(withGarbage));
        assertThat(s.rawSize()).isEqualTo(withGarbage.length);

        LayerScan gz = walk(gzip(withGarbage));
        assertThat(gz.files()).hasSize(6);
        assertThat(gz.diffId().toString()).isEqualTo(sha256(withGarbage));
    }

    @Test
    void concatenatedGzipMembersAreOneLayer() throws IOException {
        byte[] t = sample().file("z/last", "the end").bytes();
        int cut = 3 * 512 + 100; // inside the second entry's header region
        byte[] members = concat(gzip(Arrays.copyOfRange(t, 0, cut)), gzip(Arrays.copyOfRange(t, cut, 40_000)),
                gzip(Arrays.copyOfRange(t, 40_000, t.length)));
        LayerScan s = walk(members);
        assertThat(s.error()).isNull();
        assertThat(s.compression()).isEqualTo(Compression.GZIP);
        assertThat(s.rawDigest().toString()).isEqualTo(sha256(members));
        assertThat(s.diffId().toString()).isEqualTo(sha256(t));
        assertThat(s.files()).extracting(LayerFile::path).contains("usr/bin/tool", "z/last");
    }

    @Test
    void concatenatedZstdFramesAreOneLayer() throws IOException {
        byte[] t = sample().bytes();
        byte[] frames = concat(TarBuilder.zstd(Arrays.copyOfRange(t, 0, 2000)), TarBuilder.zstd(Arrays.copyOfRange(t, 2000, t.length)));
        LayerScan s = walk(network(frames));
        assertThat(s.error()).isNull();
        assertThat(s.compression()).isEqualTo(Compression.ZSTD);
        assertThat(s.diffId().toString()).isEqualTo(sha256(t));
        assertThat(s.files()).hasSize(6);
    }

    /** A network body: small reads, and available() says 0 because nothing is buffered yet. */
    private static InputStream network(byte[] data) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < data.length ? data[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= data.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, 1460), data.length - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }

            @Override
            public int available() {
                return 0;
            }
        };
    }

    @Test
    void concatenatedGzipMembersFromAStreamThatReportsNothingAvailable() throws IOException {
        // eStargz layers are one gzip member per file; registries serve them over HTTP, whose streams
        // report available() == 0 between packets
        List<byte[]> parts = new ArrayList<>();
        TarBuilder b = tar();
        for (int i = 0; i < 40; i++) {
            b.file("f/" + i, random(100 + i * 37, i));
        }
        byte[] t = b.bytes();
        for (int at = 0; at < t.length; at += 512) {
            parts.add(gzip(Arrays.copyOfRange(t, at, Math.min(t.length, at + 512))));
        }
        byte[] blob = concat(parts.toArray(new byte[0][]));
        LayerScan s = walk(network(blob));
        assertThat(s.error()).isNull();
        assertThat(s.rawDigest().toString()).isEqualTo(sha256(blob));
        assertThat(s.diffId().toString()).isEqualTo(sha256(t));
        assertThat(s.files()).hasSize(40);

        LayerScan hashOnly = LayerScanner.hashOnly(LIMIT).scan(network(blob), "l");
        assertThat(hashOnly.diffId().toString()).isEqualTo(sha256(t));
    }

    @Test
    void gzipAndZstdLayersReadFromANetworkStream() throws IOException {
        byte[] t = sample().bytes();
        assertThat(walk(network(gzip(t))).diffId().toString()).isEqualTo(sha256(t));
        assertThat(walk(network(TarBuilder.zstd(t))).diffId().toString()).isEqualTo(sha256(t));
        assertThat(walk(network(t)).diffId().toString()).isEqualTo(sha256(t));
    }

    @Test
    void truncatedGzipLayerIsAnErrorButStillHashedToTheEnd() throws IOException {
        byte[] gz = gzip(sample().bytes());
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        LayerScan s = walk(cut);
        assertThat(s.error()).startsWith("not a readable gzip tar:");
        assertThat(s.rawDigest().toString()).isEqualTo(sha256(cut));
        assertThat(s.rawSize()).isEqualTo(cut.length);
        assertThat(s.diffId()).isNull();
    }

    @Test
    void corruptGzipCrcIsAnError() throws IOException {
        byte[] gz = gzip(sample().bytes());
        gz[gz.length - 8] ^= 0x01; // CRC32 in the trailer
        LayerScan s = walk(gz);
        assertThat(s.error()).contains("gzip").contains("Corrupt GZIP trailer");
        assertThat(s.diffId()).isNull();
        assertThat(s.rawDigest().toString()).isEqualTo(sha256(gz));
        assertThat(LayerScanner.hashOnly(LIMIT).scan(new ByteArrayInputStream(gz), "l").error()).isNotNull();
    }

    @Test
    void notATarIsAnErrorWhenWalkedAndHashedAnyway() throws IOException {
        byte[] junk = ("this is not a tar archive at all\n".repeat(40)).getBytes(StandardCharsets.UTF_8);
        LayerScan s = walk(junk);
        assertThat(s.error()).startsWith("not a readable tar:");
        assertThat(s.rawDigest().toString()).isEqualTo(sha256(junk));
        assertThat(s.diffId()).isNull();
    }

    @Test
    void tarTruncatedInsideAFileIsAnError() throws IOException {
        byte[] t = sample().bytes();
        byte[] cut = Arrays.copyOf(t, t.length - 12_000 - 40_000); // inside usr/bin/tool's 70 000 bytes
        LayerScan s = walk(cut);
        assertThat(s.error()).isEqualTo("not a readable tar: Truncated TAR archive");
        assertThat(s.rawDigest().toString()).isEqualTo(sha256(cut));
        assertThat(s.diffId()).isNull();
    }

    // ---- size limit ----

    @Test
    void decompressionBombStopsAtTheLimit() {
        // a tar whose one entry holds 100 MiB of zeros: about 100 KB of gzip
        byte[] bomb = TarBuilder.gzipBomb("zeros", 100L << 20);
        assertThat(bomb.length).isLessThan(400_000);
        LayerScanner scanner = new LayerScanner(true, List::of, 16L << 20, null);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThatThrownBy(() -> scanner.scan(new ByteArrayInputStream(bomb), "layer 3 of bomb.tar"))
                    .isInstanceOf(HashingInputStream.SizeLimitException.class)
                    .hasMessageContaining("layer 3 of bomb.tar").hasMessageContaining("--max-layer-size")
                    .hasMessageContaining("16.8MB");
            assertThatThrownBy(() -> LayerScanner.hashOnly(16L << 20).scan(new ByteArrayInputStream(bomb), "l"))
                    .isInstanceOf(HashingInputStream.SizeLimitException.class);
        });
    }

    @Test
    void uncompressedLayerOverTheLimitStopsToo() {
        byte[] t = tar().file("big", new byte[20_000]).bytes();
        LayerScanner scanner = new LayerScanner(true, List::of, 10_000, null);
        assertThatThrownBy(() -> scanner.scan(new ByteArrayInputStream(t), "l"))
                .isInstanceOf(HashingInputStream.SizeLimitException.class);
        LayerScanner fits = new LayerScanner(true, List::of, t.length, null);
        assertThat(fits.walks()).isTrue();
    }

    @Test
    void progressListenerSeesEveryStoredByte() throws IOException {
        byte[] gz = gzip(sample().bytes());
        long[] total = {0};
        new LayerScanner(true, List::of, LIMIT, n -> total[0] += n).scan(new ByteArrayInputStream(gz), "l");
        assertThat(total[0]).isEqualTo(gz.length);
    }
}
