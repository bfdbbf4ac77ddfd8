package dev.dockaudit.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistryClientTest {
    private final RegistryClient client = new RegistryClient(new RegistryOptions(Set.of(), List.of(), List.of(),
            new Credentials(Path.of("/nonexistent/config.json")), 1_000, 4, 100, false));

    @Test
    void retryAfterInSeconds() {
        assertThat(RegistryClient.parseRetryAfter("120")).isEqualTo(120_000);
        assertThat(RegistryClient.parseRetryAfter("0")).isZero();
        assertThat(RegistryClient.parseRetryAfter("1")).isEqualTo(1_000);
    }

    @Test
    void retryAfterAsAnHttpDate() {
        String in30s = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));
        assertThat(RegistryClient.parseRetryAfter(in30s)).isBetween(28_000L, 30_000L);
        assertThat(RegistryClient.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).as("a date in the past").isZero();
    }

    @Test
    void retryAfterThatIsNotAValue() {
        assertThat(RegistryClient.parseRetryAfter("soon")).isEqualTo(-1);
        assertThat(RegistryClient.parseRetryAfter("1.5")).isEqualTo(-1);
        assertThat(RegistryClient.parseRetryAfter("")).isEqualTo(-1);
        assertThat(RegistryClient.parseRetryAfter("-5")).as("negative delays are not waited for").isZero();
    }

    @Test
    void hugeRetryAfterIsTooLongNotZero() {
        // 9300000000000000 s * 1000 overflows a long; it must read as "too long", never as "retry now"
        assertThat(RegistryClient.parseRetryAfter("9300000000000000")).isEqualTo(Long.MAX_VALUE);
        assertThat(client.backoff(0, "9300000000000000")).isEqualTo(-1);
        assertThat(RegistryClient.parseRetryAfter("99999999999999999999999")).isEqualTo(Long.MAX_VALUE);
        assertThat(client.backoff(0, "99999999999999999999999")).isEqualTo(-1);
    }

    @Test
    void backoffHonoursRetryAfterUpToAMinute() {
        assertThat(client.backoff(0, " 5 ")).isEqualTo(5_000);
        assertThat(client.backoff(3, "2")).isEqualTo(2_000);
        assertThat(client.backoff(0, "60")).isEqualTo(60_000);
        assertThat(client.backoff(0, "61")).isEqualTo(-1);
        assertThat(client.backoff(0, "3600")).isEqualTo(-1);
    }

    @Test
    void backoffDoublesWithJitterWithoutRetryAfter() {
        for (int attempt = 0; attempt < 4; attempt++) {
            long base = 100L << attempt;
            for (int i = 0; i < 20; i++) {
                assertThat(client.backoff(attempt, null)).isBetween(base, base + base / 4);
                assertThat(client.backoff(attempt, "not a value")).isBetween(base, base + base / 4);
            }
        }
    }

    @Test
    void loopbackHostsMayUsePlainHttp() {
        assertThat(RegistryClient.isLoopback("localhost:5000")).isTrue();
        assertThat(RegistryClient.isLoopback("localhost")).isTrue();
        assertThat(RegistryClient.isLoopback("127.0.0.1:5000")).isTrue();
        assertThat(RegistryClient.isLoopback("127.10.0.3")).isTrue();
        assertThat(RegistryClient.isLoopback("[::1]:5000")).isTrue();
        assertThat(RegistryClient.isLoopback("192.0.2.2:5000")).isFalse();
        assertThat(RegistryClient.isLoopback("localhost.example.com:5000")).isFalse();
        assertThat(RegistryClient.isLoopback("registry-1.docker.io")).isFalse();
    }

    @Test
    void contentTypeParametersAreStripped() {
        assertThat(RegistryClient.stripParams("application/vnd.oci.image.index.v1+json; charset=utf-8"))
                .isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(RegistryClient.stripParams(" application/json ")).isEqualTo("application/json");
    }
}
