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

/** The ndb reader ({@code Packages.db}) on damaged databases. */
class RpmNdbTest {
    @TempDir
    Path tmp;

    /** A used slot: its byte position and what it says. */
    record Slot(int at, int pkgidx, int blkoff, int blkcnt) {
    }

    private static List<Slot> slots(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        int pages = b.getInt(12);
        List<Slot> out = new ArrayList<>();
        for (int at = 32; at < pages * 4096; at += 16) {
            if (b.getInt(at + 8) != 0) {
                out.add(new Slot(at, b.getInt(at + 4), b.getInt(at + 8), b.getInt(at + 12)));
            }
        }
        return out;
    }

    private byte[] built() throws IOException {
        return Files.readAllBytes(RpmFixtures.resource("built-ndb/Packages.db"));
    }

    private Path write(byte[] content) throws IOException {
        Path p = tmp.resolve("Packages.db");
        Files.write(p, content);
        return p;
    }

    private static FileResult read(Path p) throws IOException {
        return RpmAnalyzer.read(p, RpmAnalyzer.Format.NDB, "/usr/lib/sysimage/rpm/Packages.db");
    }

    @Test
    void slotsAreListedInBlockOrderLikeRpm() throws IOException {
        byte[] f = built();
        List<Slot> s = slots(f);
        assertThat(s).hasSize(8);
        // rpm moved a blob into the hole erasing toolkit-libs left: slot order is not block order
        int[] offsets = s.stream().mapToInt(Slot::blkoff).toArray();
        int[] sorted = offsets.clone();
        Arrays.sort(sorted);
        assertThat(offsets).isNotEqualTo(sorted);
        assertThat(read(write(f)).packages().get(0).name()).isEqualTo("multiver");
    }

    @Test
    void truncatedFilesAreIOExceptions() throws IOException {
        byte[] f = built();
        // rpm leaves freed space at the end of the file; cut into the last blob itself
        int end = slots(f).stream().mapToInt(s -> (s.blkoff() + s.blkcnt()) * 16).max().orElseThrow();
        assertThat(read(write(Arrays.copyOf(f, end))).packages()).hasSize(8);
        assertThatThrownBy(() -> read(write(Arrays.copyOf(f, end - 16)))).isInstanceOf(IOException.class)
                .hasMessageContaining("past the end of the file");
        assertThatThrownBy(() -> read(write(Arrays.copyOf(f, f.length - 5)))).isInstanceOf(IOException.class)
                .hasMessageContaining("multiple of the 16-byte block");
        assertThatThrownBy(() -> read(write(Arrays.copyOf(f, 2048)))).isInstanceOf(IOException.class)
                .hasMessageContaining("slot pages");
        assertThatThrownBy(() -> read(write(Arrays.copyOf(f, 20)))).isInstanceOf(IOException.class)
                .hasMessageContaining("too short");
        assertThatThrownBy(() -> read(write(new byte[0]))).isInstanceOf(IOException.class).hasMessageContaining("empty");
    }

    @Test
    void aSlotPointingOutsideTheFileIsAnIOException() throws IOException {
        byte[] f = built();
        Slot s = slots(f).get(2);
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt(s.at() + 8, 0x7fffff00);
        assertThatThrownBy(() -> read(write(f))).isInstanceOf(IOException.class).hasMessageContaining("past the end");
    }

    @Test
    void aSlotPointingIntoTheSlotPagesIsAnIOException() throws IOException {
        byte[] f = built();
        Slot s = slots(f).get(2);
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt(s.at() + 8, 3);
        assertThatThrownBy(() -> read(write(f))).isInstanceOf(IOException.class).hasMessageContaining("invalid");
    }

    @Test
    void aSlotWithoutMagicIsAnIOException() throws IOException {
        byte[] f = built();
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt(4000, 0);
        assertThatThrownBy(() -> read(write(f))).isInstanceOf(IOException.class).hasMessageContaining("slot magic");
    }

    @Test
    void badBlobsAreIOExceptions() throws IOException {
        Slot s = slots(built()).get(1);
        byte[] f = built();
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt(s.blkoff() * 16, 0x12345678);
        assertThatThrownBy(() -> read(write(f))).isInstanceOf(IOException.class).hasMessageContaining("blob magic");
        byte[] g = built();
        ByteBuffer.wrap(g).order(ByteOrder.LITTLE_ENDIAN).putInt(s.blkoff() * 16 + 4, s.pkgidx() + 1);
        assertThatThrownBy(() -> read(write(g))).isInstanceOf(IOException.class).hasMessageContaining("belongs to package");
        byte[] h = built();
        ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putInt(s.blkoff() * 16 + 12, 0x7fffffff);
        assertThatThrownBy(() -> read(write(h))).isInstanceOf(IOException.class).hasMessageContaining("does not fit");
        byte[] i = built();
        ByteBuffer.wrap(i).order(ByteOrder.LITTLE_ENDIAN).putInt((s.blkoff() + s.blkcnt()) * 16 - 4, 0);
        assertThatThrownBy(() -> read(write(i))).isInstanceOf(IOException.class).hasMessageContaining("tail magic");
    }

    @Test
    void aChecksumMismatchIsAWarningBecauseRpmReadsItAnyway() throws IOException {
        byte[] f = built();
        Slot s = slots(f).get(1);
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt(s.blkoff() * 16 + 8, 12345); // the blob's timestamp
        FileResult r = read(write(f));
        assertThat(r.packages()).hasSize(8);
        assertThat(r.warnings()).singleElement().asString().contains("adler32");
    }

    @Test
    void otherFilesAreIOExceptions() throws IOException {
        byte[] text = "RpmQ this is not a database\n".repeat(200).getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> read(write(text))).isInstanceOf(IOException.class).hasMessageContaining("not an rpm ndb");
        byte[] f = built();
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 3);
        assertThatThrownBy(() -> read(write(f))).isInstanceOf(IOException.class).hasMessageContaining("version 3");
    }

    @Test
    void randomDamageGivesResultsOrIOExceptionsQuickly() throws IOException {
        byte[] clean = built();
        List<Slot> s = slots(clean);
        Random rnd = new Random(7);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int errors = 0;
            for (int round = 0; round < 1000; round++) {
                byte[] f = clean.clone();
                int flips = 1 + rnd.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    int pos = switch (rnd.nextInt(3)) {
                        case 0 -> rnd.nextInt(32 + 16 * 10); // header and the used slots
                        case 1 -> s.get(rnd.nextInt(s.size())).blkoff() * 16 + rnd.nextInt(64); // blob heads
                        default -> rnd.nextInt(f.length);
                    };
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
