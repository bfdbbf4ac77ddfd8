package dev.dockaudit.inventory.pkg.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.dockaudit.inventory.FileResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Berkeley DB hash reader on damaged databases: always an IOException naming the problem, never a hang. */
class RpmBerkeleyDbTest {
    @TempDir
    Path tmp;

    /** An off-page (overflow) item on a bucket page. */
    record OffPage(int page, int itemOffset, int firstPage, int length) {
    }

    private static List<OffPage> offPageItems(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        int ps = b.getInt(20);
        List<OffPage> out = new ArrayList<>();
        for (int pg = 1; (pg + 1) * ps <= f.length; pg++) {
            int base = pg * ps;
            if ((f[base + 25] & 0xff) != 13) {
                continue;
            }
            int n = b.getShort(base + 20) & 0xffff;
            for (int i = 1; i < n; i += 2) {
                int off = b.getShort(base + 26 + 2 * i) & 0xffff;
                if (f[base + off] == 3) {
                    out.add(new OffPage(pg, base + off, b.getInt(base + off + 4), b.getInt(base + off + 8)));
                }
            }
        }
        return out;
    }

    private Path write(byte[] content) throws IOException {
        Path p = tmp.resolve("Packages");
        Files.write(p, content);
        return p;
    }

    private byte[] mariner() throws IOException {
        return Files.readAllBytes(RpmFixtures.copy("mariner-bdb/Packages.gz", tmp, "mariner"));
    }

    private static FileResult read(Path p) throws IOException {
        return RpmAnalyzer.read(p, RpmAnalyzer.Format.BDB, "/var/lib/rpm/Packages");
    }

    @Test
    void theFixtureHasWhatTheseTestsDamage() throws IOException {
        byte[] f = mariner();
        List<OffPage> items = offPageItems(f);
        assertThat(items).hasSize(129); // every header is on overflow pages
        assertThat(items).anyMatch(i -> i.length() > 5 * 486);
        assertThat(read(write(f)).packages()).hasSize(129);
    }

    @Test
    void anOverflowPageNumberOutsideTheFileIsAnIOException() throws IOException {
        byte[] f = mariner();
        OffPage item = offPageItems(f).get(3);
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt(item.itemOffset() + 4, 0x0fffffff);
        assertThatThrownBy(() -> read(write(f))).isInstanceOf(IOException.class)
                .hasMessageContaining("page 268435455").hasMessageContaining("outside");
    }

    @Test
    void aLoopInAnOverflowChainIsAnIOException() throws IOException {
        byte[] f = mariner();
        OffPage item = offPageItems(f).stream().filter(i -> i.length() > 3 * 486).findFirst().orElseThrow();
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        int ps = b.getInt(20);
        int second = b.getInt(item.firstPage() * ps + 16);
        // the second page of the chain points back to the first
        b.putInt(second * ps + 16, item.firstPage());
        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                assertThatThrownBy(() -> read(write(f))).isInstanceOf(IOException.class).hasMessageContaining("loops back"));
    }

    @Test
    void anOverflowChainThatEndsEarlyIsAnIOException() throws IOException {
        byte[] f = mariner();
        OffPage item = offPageItems(f).stream().filter(i -> i.length() > 3 * 486).findFirst().orElseThrow();
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(item.firstPage() * b.getInt(20) + 16, 0);
        assertThatThrownBy(() -> read(write(f))).isInstanceOf(IOException.class).hasMessageContaining("page 0");
    }

    @Test
    void aHugeOverflowLengthIsAnIOExceptionNotAnAllocation() throws IOException {
        byte[] f = mariner();
        OffPage item = offPageItems(f).get(0);
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt(item.itemOffset() + 8, 0x7ffffff0);
        assertThatThrownBy(() -> read(write(f))).isInstanceOf(IOException.class).hasMessageContaining("claims");
    }

    @Test
    void aLoopInABucketChainIsAnIOException() throws IOException {
        byte[] f = mariner();
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        int ps = b.getInt(20);
        int page = offPageItems(f).get(0).page();
        b.putInt(page * ps + 16, page);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                assertThatThrownBy(() -> read(write(f))).isInstanceOf(IOException.class).hasMessageContaining("twice"));
    }

    @Test
    void aBucketChainPointingOutsideTheFileIsAnIOException() throws IOException {
        byte[] f = mariner();
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        int page = offPageItems(f).get(0).page();
        b.putInt(page * b.getInt(20) + 16, 999_999);
        assertThatThrownBy(() -> read(write(f))).isInstanceOf(IOException.class).hasMessageContaining("999999");
    }

    @Test
    void aPageThatIsNotWhereItSaysIsAnIOException() throws IOException {
        byte[] f = mariner();
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        int page = offPageItems(f).get(0).page();
        b.putInt(page * b.getInt(20) + 8, page + 1);
        assertThatThrownBy(() -> read(write(f))).isInstanceOf(IOException.class).hasMessageContaining("says it is page");
    }

    @Test
    void aBucketOutsideTheFileIsAnIOException() throws IOException {
        byte[] f = mariner();
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(96 + 4, 1_000_000); // spares[1]: bucket 1's page moves far away
        assertThatThrownBy(() -> read(write(f))).isInstanceOf(IOException.class).hasMessageContaining("bucket 1");
        byte[] g = mariner();
        ByteBuffer.wrap(g).order(ByteOrder.LITTLE_ENDIAN).putInt(72, 0x7fffffff); // max_bucket
        assertThatThrownBy(() -> read(write(g))).isInstanceOf(IOException.class).hasMessageContaining("buckets");
    }

    @Test
    void truncatedFilesAreIOExceptions() throws IOException {
        byte[] f = mariner();
        assertThatThrownBy(() -> read(write(Arrays.copyOf(f, f.length / 2)))).isInstanceOf(IOException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> read(write(Arrays.copyOf(f, 100)))).isInstanceOf(IOException.class)
                .hasMessageContaining("too short");
        assertThatThrownBy(() -> read(write(new byte[0]))).isInstanceOf(IOException.class).hasMessageContaining("empty");
        byte[] real = Files.readAllBytes(RpmFixtures.resource("rhel8-libuuid-bdb/Packages"));
        assertThatThrownBy(() -> read(write(Arrays.copyOf(real, real.length - 4096)))).isInstanceOf(IOException.class);
    }

    @Test
    void otherFilesAreIOExceptions() throws IOException {
        byte[] text = "this is not a database\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> read(write(text))).isInstanceOf(IOException.class)
                .hasMessageContaining("not a Berkeley DB hash database");
        byte[] sqlite = Files.readAllBytes(RpmFixtures.resource("built-sqlite/rpmdb.sqlite"));
        assertThatThrownBy(() -> read(write(sqlite))).isInstanceOf(IOException.class);
        byte[] f = mariner();
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 0x053162); // btree magic
        assertThatThrownBy(() -> read(write(f))).isInstanceOf(IOException.class).hasMessageContaining("btree");
        byte[] g = mariner();
        ByteBuffer.wrap(g).order(ByteOrder.LITTLE_ENDIAN).putInt(20, 1000); // page size
        assertThatThrownBy(() -> read(write(g))).isInstanceOf(IOException.class).hasMessageContaining("page size");
    }

    @Test
    void aDamagedHeaderInsideIsSkippedWithAWarningAsRpmDoes() throws IOException {
        byte[] f = mariner();
        OffPage item = offPageItems(f).get(5);
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        int ps = b.getInt(20);
        // the header blob's il (first 4 bytes, big-endian) on its first overflow page
        ByteBuffer.wrap(f).putInt(item.firstPage() * ps + 26, 0x00ffffff);
        FileResult r = read(write(f));
        assertThat(r.packages()).hasSize(128);
        assertThat(r.warnings()).singleElement().asString().contains("rpm header #").contains("skipped");
    }

    @Test
    void randomDamageGivesResultsOrIOExceptionsQuickly() throws IOException {
        byte[] clean = Files.readAllBytes(RpmFixtures.resource("built-bdb/Packages"));
        Random rnd = new Random(42);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int errors = 0;
            for (int round = 0; round < 800; round++) {
                byte[] f = clean.clone();
                int flips = 1 + rnd.nextInt(6);
                for (int i = 0; i < flips; i++) {
                    // page headers and item offsets are where damage bites; sometimes anywhere
                    int page = rnd.nextInt(f.length / 4096);
                    int pos = page * 4096 + (rnd.nextInt(3) == 0 ? rnd.nextInt(4096) : rnd.nextInt(64));
                    f[pos] = (byte) rnd.nextInt(256);
                }
                try {
                    read(write(f));
                } catch (IOException e) {
                    errors++;
                    assertThat(e.getMessage()).isNotBlank();
                }
            }
            assertThat(errors).isGreaterThan(100);
        });
    }
}
