package dev.dockaudit.trust.notary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Canonical JSON byte for byte as Notary's encoder (docker/go canonical/json) writes it. */
class CanonicalJsonTest {

    private static String canon(String json) throws Exception {
        return new String(CanonicalJson.encode(Json.MAPPER.readTree(json)), StandardCharsets.UTF_8);
    }

    @Test
    void sortsKeysAndDropsWhitespace() throws Exception {
        assertThat(canon("{ \"b\" : [1, 2, {\"z\": null, \"a\": true}], \"a\": \"x\", \"_type\": \"Root\" }"))
                .isEqualTo("{\"_type\":\"Root\",\"a\":\"x\",\"b\":[1,2,{\"a\":true,\"z\":null}]}");
    }

    @Test
    void keysSortByUtf8BytesNotUtf16() throws Exception {
        // U+FF21 (EF BC A1 in UTF-8) sorts before U+1F600 (F0 9F 98 80) by bytes, after it by UTF-16 code units.
        assertThat(canon("{\"\\ud83d\\ude00\": 1, \"\\uff21\": 2}")).isEqualTo("{\"\uff21\":2,\"\ud83d\ude00\":1}");
    }

    @Test
    void escapesOnlyQuoteAndBackslash() throws Exception {
        // Control characters, <, > and & stay raw, as the encoder's own test expects for "\u0090 \t \\ \n \"".
        assertThat(canon("[\"\\u0090 \\t \\\\ \\n \\\" <&>\"]")).isEqualTo("[\"\u0090 \t \\\\ \n \\\" <&>\"]");
        assertThat(canon("[\"a\\u2028b\\u2029c\"]")).isEqualTo("[\"a\\u2028b\\u2029c\"]");
        assertThat(canon("[\"\\ud800x\"]")).isEqualTo("[\"\ufffdx\"]");
    }

    @Test
    void numbersAreWholeFloat64sInGoShortestGForm() throws Exception {
        assertThat(canon("[0, 1, 523, 999999, 1000000, 1234567, 2.0, 1e3, 123456789012, 1e21, -2500000]"))
                .isEqualTo("[0,1,523,999999,1e+06,1.234567e+06,2,1000,1.23456789012e+11,1e+21,-2.5e+06]");
    }

    @Test
    void offersThePlainNumberFormWhenItDiffers() throws Exception {
        JsonNode n = Json.MAPPER.readTree("{\"length\": 1234567}");
        List<byte[]> all = CanonicalJson.encodings(n);
        assertThat(all).hasSize(2);
        assertThat(new String(all.get(0), StandardCharsets.UTF_8)).isEqualTo("{\"length\":1.234567e+06}");
        assertThat(new String(all.get(1), StandardCharsets.UTF_8)).isEqualTo("{\"length\":1234567}");
        assertThat(CanonicalJson.encodings(Json.MAPPER.readTree("{\"length\": 523}"))).hasSize(1);
    }

    @Test
    void fractionsHaveNoCanonicalForm() {
        assertThatThrownBy(() -> canon("{\"v\": 1.5}")).isInstanceOf(CanonicalJson.NotCanonical.class)
                .hasMessageContaining("1.5");
    }

    @Test
    void realNotaryRootIsAlreadyCanonical() throws Exception {
        // notary-server stores what the client sent: the signed object as Go's struct encoder wrote it, which for root
        // happens to be sorted already. The canonical form must equal that text.
        byte[] raw = getClass().getResourceAsStream("/notary/real/root.json").readAllBytes();
        String text = new String(raw, StandardCharsets.UTF_8);
        String signed = text.substring("{\"signed\":".length(), text.indexOf(",\"signatures\""));
        assertThat(canon(signed)).isEqualTo(signed);
    }
}
