package dev.dockaudit.vuln.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.vuln.osv.OsvParser;
import dev.dockaudit.vuln.osv.OsvRecord;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.junit.jupiter.api.Test;

/** The stored form gives back exactly the parsed record, for every real record, and refuses damaged bytes. */
class DbRecordCodecTest {
    @Test
    void everyRealRecordRoundTrips() throws Exception {
        long json = 0;
        long stored = 0;
        for (Map.Entry<String, byte[]> e : OsvFixtures.allRecords().entrySet()) {
            OsvRecord r = OsvParser.parse(e.getValue());
            byte[] b = RecordCodec.encode(r);
            assertThat(RecordCodec.decode(b)).as(e.getKey()).isEqualTo(r);
            json += e.getValue().length;
            stored += b.length;
        }
        System.out.printf("real records: %,d bytes of JSON stored in %,d bytes%n", json, stored);
        assertThat(stored).isLessThan(json / 2);
    }

    @Test
    void nullsEmptiesAndNonAscii() throws Exception {
        OsvRecord r = OsvParser.parse(("{\"id\":\"X-1\",\"summary\":\"ünïcødé ✓ 漏洞\",\"aliases\":[],"
                + "\"affected\":[{\"ranges\":[{\"type\":\"GIT\",\"repo\":\"r\",\"events\":[{\"introduced\":\"a\"},"
                + "{\"last_affected\":\"b\"},{\"limit\":\"c\"},{\"fixed\":\"d\"}]}],\"ecosystem_specific\":{\"x\":[1,{\"y\":null}],"
                + "\"n\":[-3,4294967296,-9223372036854775808,1.5e-7,123456789012345678901234567890,true,false,\"\",{}]}}],"
                + "\"database_specific\":{\"z\":{\"deep\":[[[\"ünï\"]]]}}}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(RecordCodec.decode(RecordCodec.encode(r))).isEqualTo(r);
    }

    @Test
    void damagedBytesAreRefused() throws Exception {
        byte[] b = RecordCodec.encode(OsvParser.parse(OsvFixtures.records("ubuntu").get("CVE-2023-0286.json")));
        assertThatThrownBy(() -> RecordCodec.decode(Arrays.copyOf(b, b.length / 2))).isInstanceOf(DataFormatException.class);
        byte[] other = b.clone();
        other[0] = 'X';
        assertThatThrownBy(() -> RecordCodec.decode(other)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("unknown record encoding");
        assertThatThrownBy(() -> RecordCodec.decode(new byte[0])).isInstanceOf(DataFormatException.class);
    }
}
