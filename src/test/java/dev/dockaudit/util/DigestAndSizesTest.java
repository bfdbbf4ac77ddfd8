package dev.dockaudit.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestAndSizesTest {
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; // sha256("abc")

    @Test
    void parsesAndPrintsOciDigests() {
        Digest d = Digest.parse("sha256:" + ABC);
        assertThat(d.algorithm()).isEqualTo("sha256");
        assertThat(d.hex()).isEqualTo(ABC);
        assertThat(d).hasToString("sha256:" + ABC);
        assertThat(d.shortHex()).isEqualTo("ba7816bf8f01");
        assertThat(Digest.sha256("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(d);
        assertThat(d.matches("abc".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(d.matches("abd".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(Digest.parse("sha512:" + "a".repeat(128)).algorithm()).isEqualTo("sha512");
    }

    @Test
    void refusesMalformedDigests() {
        assertThatThrownBy(() -> Digest.parse(null)).hasMessageContaining("missing digest");
        assertThatThrownBy(() -> Digest.parse(ABC)).hasMessageContaining("expected sha256:<64 hex digits>");
        assertThatThrownBy(() -> Digest.parse("sha256:" + ABC.toUpperCase())).hasMessageContaining("malformed sha256");
        assertThatThrownBy(() -> Digest.parse("sha256:" + ABC.substring(1))).hasMessageContaining("malformed");
        assertThatThrownBy(() -> Digest.parse("sha256:" + ABC + "\n")).hasMessageContaining("malformed");
        assertThatThrownBy(() -> Digest.parse("md5:d41d8cd98f00b204e9800998ecf8427e"))
                .hasMessageContaining("unsupported digest algorithm 'md5'");
        assertThat(Digest.parseOrNull("sha256:xyz")).isNull();
        assertThat(Digest.parseOrNull(null)).isNull();
        assertThat(Digest.isSha256Hex(ABC)).isTrue();
        assertThat(Digest.isSha256Hex("sha256:" + ABC)).isFalse();
    }

    @Test
    void hashingStreamHashesSkippedBytesAndEnforcesItsLimit() throws IOException {
        HashingInputStream in = new HashingInputStream(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII)));
        assertThat(in.read()).isEqualTo('a');
        assertThat(in.skip(10)).isEqualTo(2);
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.count()).isEqualTo(3);
        assertThat(in.digest()).hasToString("sha256:" + ABC);

        HashingInputStream limited = new HashingInputStream(new ByteArrayInputStream(new byte[100]), "sha256", 50, "too big");
        assertThatThrownBy(limited::drain).isInstanceOf(HashingInputStream.SizeLimitException.class).hasMessage("too big");
    }

    @Test
    void sizesInAndOut() {
        assertThat(Sizes.parse("64M")).isEqualTo(64L << 20);
        assertThat(Sizes.parse("64MiB")).isEqualTo(64L << 20);
        assertThat(Sizes.parse("64mb")).isEqualTo(64L << 20);
        assertThat(Sizes.parse("1.5G")).isEqualTo(3L << 29);
        assertThat(Sizes.parse("512")).isEqualTo(512);
        assertThat(Sizes.parse(" 16 GiB ")).isEqualTo(16L << 30);
        assertThat(Sizes.parse("2T")).isEqualTo(2L << 40);
        assertThatThrownBy(() -> Sizes.parse("lots")).hasMessage("'lots' is not a size (examples: 512M, 16G)");
        assertThatThrownBy(() -> Sizes.parse("-1M")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sizes.parse("5X")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Sizes.human(999)).isEqualTo("999B");
        assertThat(Sizes.human(5_826_560)).isEqualTo("5.83MB");
        assertThat(Sizes.human(64L << 20)).isEqualTo("67.1MB");
        assertThat(Sizes.human(3_290_780)).isEqualTo("3.29MB");
        assertThat(Sizes.human(64L << 30)).isEqualTo("68.7GB");
        assertThat(Sizes.human(123_456_789_000_000L)).isEqualTo("123TB");
        assertThat(Sizes.human(123_456_789_000_000_000L)).isEqualTo("123457TB"); // TB is the largest unit
    }
}
