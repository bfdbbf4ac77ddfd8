package dev.dockaudit.inventory.pkg.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The header blob parser: real headers, and every kind of damage rpm's own checks catch. */
class RpmHeaderTest {
    static final List<byte[]> REAL = new ArrayList<>();

    @BeforeAll
    static void loadRealHeaders(@TempDir Path tmp) throws IOException {
        Path db = RpmFixtures.copy("built-sqlite/rpmdb.sqlite", tmp, "rpmdb.sqlite");
        SqliteRpmdb.forEach(db, RpmHeader.MAX_BLOB, (key, blob) -> REAL.add(blob));
        assertThat(REAL).hasSize(9);
    }

    private static byte[] header(String name) throws IOException {
        for (byte[] b : REAL) {
            if (name.equals(RpmHeader.parse(b).string(RpmHeader.TAG_NAME))) {
                return b.clone();
            }
        }
        throw new AssertionError(name);
    }

    /** The byte position of the index entry for {@code tag}. */
    private static int entry(byte[] blob, int tag) {
        ByteBuffer b = ByteBuffer.wrap(blob);
        int il = b.getInt(0);
        for (int i = 0; i < il; i++) {
            if (b.getInt(8 + 16 * i) == tag) {
                return 8 + 16 * i;
            }
        }
        throw new AssertionError("no tag " + tag);
    }

    @Test
    void readsTheTagsOfARealHeader() throws IOException {
        RpmHeader h = RpmHeader.parse(header("openssl-fake"));
        assertThat(h.string(RpmHeader.TAG_NAME)).isEqualTo("openssl-fake");
        assertThat(h.int32(RpmHeader.TAG_EPOCH)).isEqualTo(1L);
        assertThat(h.string(RpmHeader.TAG_VERSION)).isEqualTo("1.0.2k");
        assertThat(h.string(RpmHeader.TAG_RELEASE)).isEqualTo("19.el7");
        assertThat(h.string(RpmHeader.TAG_ARCH)).isEqualTo("x86_64");
        assertThat(h.string(RpmHeader.TAG_SOURCERPM)).isEqualTo("openssl-fake-1.0.2k-19.el7.src.rpm");
        assertThat(h.string(RpmHeader.TAG_SUMMARY)).isEqualTo("Test package with an epoch, RHEL 7 style version");
        assertThat(h.bin(RpmHeader.TAG_SIGMD5)).hasSize(16);
        assertThat(h.strings(RpmHeader.TAG_BASENAMES)).containsExactly("libssl-fake.so.1.0.2k", "libssl-fake.so.10");
        assertThat(h.strings(RpmHeader.TAG_DIRNAMES)).containsExactly("/usr/lib64/");
        assertThat(h.int32s(RpmHeader.TAG_DIRINDEXES)).containsExactly(0, 0);
        assertThat(h.string(RpmHeader.TAG_MODULARITYLABEL)).isNull();
        assertThat(h.has(RpmHeader.TAG_VENDOR)).isTrue();
        assertThat(RpmAnalyzer.files(h)).containsExactly("usr/lib64/libssl-fake.so.1.0.2k", "usr/lib64/libssl-fake.so.10");
    }

    @Test
    void nonAsciiStringsAreUtf8() throws IOException {
        assertThat(RpmHeader.parse(header("toolkit")).string(RpmHeader.TAG_VENDOR)).isEqualTo("Tëst Vendör");
    }

    @Test
    void anOffsetPastTheDataIsAnIOException() throws IOException {
        byte[] b = header("hello-dockaudit");
        int dl = ByteBuffer.wrap(b).getInt(4);
        ByteBuffer.wrap(b).putInt(entry(b, RpmHeader.TAG_NAME) + 8, dl + 100);
        assertThatThrownBy(() -> RpmHeader.parse(b)).isInstanceOf(IOException.class)
                .hasMessageContaining("tag 1000").hasMessageContaining("offset");
    }

    @Test
    void aNegativeOffsetIsAnIOException() throws IOException {
        byte[] b = header("hello-dockaudit");
        ByteBuffer.wrap(b).putInt(entry(b, RpmHeader.TAG_NAME) + 8, -64);
        assertThatThrownBy(() -> RpmHeader.parse(b)).isInstanceOf(IOException.class).hasMessageContaining("tag 1000");
    }

    @Test
    void aHugeCountIsAnIOExceptionNotAnAllocation() throws IOException {
        byte[] b = header("hello-dockaudit");
        ByteBuffer.wrap(b).putInt(entry(b, RpmHeader.TAG_BASENAMES) + 12, Integer.MAX_VALUE);
        assertThatThrownBy(() -> RpmHeader.parse(b)).isInstanceOf(IOException.class).hasMessageContaining("count");
        byte[] c = header("hello-dockaudit");
        ByteBuffer.wrap(c).putInt(entry(c, RpmHeader.TAG_DIRINDEXES) + 12, 0x00ffffff);
        assertThatThrownBy(() -> RpmHeader.parse(c)).isInstanceOf(IOException.class);
    }

    @Test
    void aCountThatRunsPastTheDataIsAnIOException() throws IOException {
        byte[] b = header("hello-dockaudit");
        ByteBuffer.wrap(b).putInt(entry(b, RpmHeader.TAG_DIRINDEXES) + 12, 1000);
        assertThatThrownBy(() -> RpmHeader.parse(b)).isInstanceOf(IOException.class);
    }

    @Test
    void wrongIndexAndDataSizesAreIOExceptions() throws IOException {
        byte[] b = header("hello-dockaudit");
        ByteBuffer.wrap(b).putInt(0, 0x7fffffff);
        assertThatThrownBy(() -> RpmHeader.parse(b)).isInstanceOf(IOException.class).hasMessageContaining("index entries");
        byte[] c = header("hello-dockaudit");
        ByteBuffer.wrap(c).putInt(4, 0x7fffffff);
        assertThatThrownBy(() -> RpmHeader.parse(c)).isInstanceOf(IOException.class).hasMessageContaining("data");
        byte[] d = header("hello-dockaudit");
        ByteBuffer.wrap(d).putInt(0, 0);
        assertThatThrownBy(() -> RpmHeader.parse(d)).isInstanceOf(IOException.class);
    }

    @Test
    void aTruncatedOrPaddedBlobIsAnIOException() throws IOException {
        byte[] b = header("hello-dockaudit");
        assertThatThrownBy(() -> RpmHeader.parse(java.util.Arrays.copyOf(b, b.length - 1)))
                .isInstanceOf(IOException.class).hasMessageContaining("make");
        assertThatThrownBy(() -> RpmHeader.parse(java.util.Arrays.copyOf(b, b.length + 4)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> RpmHeader.parse(new byte[5])).isInstanceOf(IOException.class)
                .hasMessageContaining("preamble");
        assertThatThrownBy(() -> RpmHeader.parse(new byte[0])).isInstanceOf(IOException.class);
    }

    @Test
    void aDamagedRegionTrailerIsAnIOException() throws IOException {
        byte[] b = header("hello-dockaudit");
        ByteBuffer bb = ByteBuffer.wrap(b);
        int il = bb.getInt(0);
        int regionOffset = bb.getInt(8 + 8);
        int trailer = 8 + 16 * il + regionOffset;
        bb.putInt(trailer, 12345);
        assertThatThrownBy(() -> RpmHeader.parse(b)).isInstanceOf(IOException.class).hasMessageContaining("region");
    }

    @Test
    void aKnownTagWithTheWrongTypeIsAnIOException() throws IOException {
        byte[] b = header("hello-dockaudit");
        ByteBuffer.wrap(b).putInt(entry(b, RpmHeader.TAG_NAME) + 4, RpmHeader.TYPE_BIN);
        assertThatThrownBy(() -> RpmHeader.parse(b)).isInstanceOf(IOException.class).hasMessageContaining("type");
    }

    /** A header without a region (legacy form, which rpm also accepts), built entry by entry. */
    private static final class Builder {
        final ByteArrayOutputStream index = new ByteArrayOutputStream();
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        int il;

        Builder add(int tag, int type, int count, byte[] value) {
            ByteBuffer e = ByteBuffer.allocate(16).putInt(tag).putInt(type).putInt(data.size()).putInt(count);
            index.writeBytes(e.array());
            data.writeBytes(value);
            il++;
            return this;
        }

        Builder string(int tag, String s) {
            return add(tag, RpmHeader.TYPE_STRING, 1, (s + "\0").getBytes(StandardCharsets.UTF_8));
        }

        byte[] build() {
            ByteBuffer b = ByteBuffer.allocate(8 + index.size() + data.size());
            b.putInt(il).putInt(data.size()).put(index.toByteArray()).put(data.toByteArray());
            return b.array();
        }
    }

    @Test
    void aLegacyHeaderWithoutRegionIsRead() throws IOException {
        byte[] b = new Builder().string(RpmHeader.TAG_NAME, "legacy").string(RpmHeader.TAG_VERSION, "1")
                .string(RpmHeader.TAG_RELEASE, "2").build();
        RpmHeader h = RpmHeader.parse(b);
        assertThat(h.string(RpmHeader.TAG_NAME)).isEqualTo("legacy");
        assertThat(RpmAnalyzer.toPackage(h, "/var/lib/rpm/Packages").version()).isEqualTo("1-2");
    }

    @Test
    void anUnterminatedStringIsAnIOException() {
        byte[] b = new Builder().string(RpmHeader.TAG_NAME, "x")
                .add(RpmHeader.TAG_VERSION, RpmHeader.TYPE_STRING, 1, "abc".getBytes(StandardCharsets.US_ASCII)).build();
        assertThatThrownBy(() -> RpmHeader.parse(b)).isInstanceOf(IOException.class).hasMessageContaining("past the end");
    }

    @Test
    void aMisalignedInt32IsAnIOException() {
        byte[] b = new Builder().string(RpmHeader.TAG_NAME, "ab")
                .add(RpmHeader.TAG_EPOCH, RpmHeader.TYPE_INT32, 1, new byte[] {0, 0, 0, 1}).build();
        assertThatThrownBy(() -> RpmHeader.parse(b)).isInstanceOf(IOException.class).hasMessageContaining("aligned");
    }

    @Test
    void overlappingEntriesAreAnIOException() {
        Builder x = new Builder().string(RpmHeader.TAG_NAME, "abc");
        byte[] b = x.add(RpmHeader.TAG_VERSION, RpmHeader.TYPE_STRING, 1, new byte[0]).build();
        // VERSION's offset is the end of NAME's data; point it back into NAME
        ByteBuffer.wrap(b).putInt(8 + 16 + 8, 1);
        assertThatThrownBy(() -> RpmHeader.parse(b)).isInstanceOf(IOException.class).hasMessageContaining("overlaps");
    }

    @Test
    void dirIndexesOutsideDirNamesAreAnIOException() throws IOException {
        byte[] c = new Builder().add(RpmHeader.TAG_DIRINDEXES, RpmHeader.TYPE_INT32, 1, new byte[] {0, 0, 0, 7})
                .add(RpmHeader.TAG_BASENAMES, RpmHeader.TYPE_STRING_ARRAY, 1, "f\0".getBytes(StandardCharsets.US_ASCII))
                .add(RpmHeader.TAG_DIRNAMES, RpmHeader.TYPE_STRING_ARRAY, 1, "/d/\0".getBytes(StandardCharsets.US_ASCII))
                .string(RpmHeader.TAG_NAME, "x").build();
        RpmHeader h = RpmHeader.parse(c);
        assertThatThrownBy(() -> RpmAnalyzer.files(h)).isInstanceOf(IOException.class).hasMessageContaining("DIRINDEXES");
    }

    @Test
    void randomDamageGivesOnlyIOExceptions() {
        Random rnd = new Random(20261126);
        int failures = 0;
        for (int round = 0; round < 20000; round++) {
            byte[] b = REAL.get(rnd.nextInt(REAL.size())).clone();
            int flips = 1 + rnd.nextInt(4);
            for (int i = 0; i < flips; i++) {
                // most damage where it matters: the index
                int il = Math.min(ByteBuffer.wrap(REAL.get(0)).getInt(0), 64);
                int pos = rnd.nextBoolean() ? rnd.nextInt(Math.min(b.length, 8 + 16 * il)) : rnd.nextInt(b.length);
                b[pos] = (byte) rnd.nextInt(256);
            }
            try {
                RpmHeader h = RpmHeader.parse(b);
                RpmAnalyzer.toPackage(h, "/var/lib/rpm/Packages");
            } catch (IOException e) {
                failures++;
                assertThat(e.getMessage()).isNotBlank();
            }
        }
        assertThat(failures).isGreaterThan(1000);
    }
}
