package dev.dockaudit.trust.cosign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RekorBundleTest {
    static final String LOG = "c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d";

    static String bundle(String payloadFields) {
        return "{\"SignedEntryTimestamp\":\"MEUCIQ==\",\"Payload\":{" + payloadFields + "}}";
    }

    @Test
    void theCanonicalPayloadSortsKeysAndWritesIntegersPlainly() throws Exception {
        RekorBundle b = RekorBundle.parse(bundle("\"logIndex\":7,\"logID\":\"" + LOG + "\",\"integratedTime\":1700000000,\"body\":\"e30=\""));
        assertThat(new String(b.canonicalPayload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"body\":\"e30=\",\"integratedTime\":1700000000,\"logID\":\"" + LOG + "\",\"logIndex\":7}");
    }

    @Test
    void canonicalStringsEscapeAsRfc8785() {
        assertThat(RekorBundle.canonicalString("a\"b\\c/\n\t\u0001é")).isEqualTo("\"a\\\"b\\\\c/\\n\\t\\u0001é\"");
    }

    @Test
    void bundlesThatAreNotBundlesAreRefusedWithAReason() {
        assertThatThrownBy(() -> RekorBundle.parse("not json")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> RekorBundle.parse("[1]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> RekorBundle.parse("{\"Payload\":{}}")).hasMessageContaining("SignedEntryTimestamp is missing");
        assertThatThrownBy(() -> RekorBundle.parse("{\"SignedEntryTimestamp\":\"%%%\",\"Payload\":{}}")).hasMessageContaining("not base64");
        assertThatThrownBy(() -> RekorBundle.parse(bundle("\"body\":1"))).hasMessageContaining("body is not a string");
        assertThatThrownBy(() -> RekorBundle.parse(bundle("\"body\":\"e30=\",\"integratedTime\":1.5,\"logIndex\":1,\"logID\":\"" + LOG + "\"")))
                .hasMessageContaining("integratedTime is not a non-negative integer");
        assertThatThrownBy(() -> RekorBundle.parse(bundle("\"body\":\"e30=\",\"integratedTime\":\"1\",\"logIndex\":1,\"logID\":\"" + LOG + "\"")))
                .hasMessageContaining("integratedTime");
        assertThatThrownBy(() -> RekorBundle.parse(bundle("\"body\":\"e30=\",\"integratedTime\":1,\"logIndex\":-1,\"logID\":\"" + LOG + "\"")))
                .hasMessageContaining("logIndex");
        assertThatThrownBy(() -> RekorBundle.parse(bundle("\"body\":\"e30=\",\"integratedTime\":1,\"logIndex\":1,\"logID\":\"xyz\"")))
                .hasMessageContaining("logID");
        assertThatThrownBy(() -> RekorBundle.parse("{\"SignedEntryTimestamp\":\"MEUCIQ==\",\"SignedEntryTimestamp\":\"MEUCIQ==\",\"Payload\":{}}"))
                .hasMessageContaining("not JSON");
    }
}
