package dev.dockaudit.vuln.osv;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written RFC 3339 reader agrees with java.time on every accepted form and rejects the rest. */
class OsvRfc3339Test {
    @ParameterizedTest
    @ValueSource(strings = {"2014-06-02T00:00:00Z", "2024-02-16T08:07:52.686694Z", "2024-08-27T15:30:50.773089Z",
        "2024-01-02T03:04:05+02:00", "2024-01-02T03:04:05.1-07:30", "1999-12-31T23:59:59.999999999Z",
        "2020-02-29T12:00:00z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.5Z"})
    void acceptedFormsMatchJavaTime(String s) {
        Instant expected = OffsetDateTime.parse(s.replace('z', 'Z')).toInstant();
        long nanos = Rfc3339.epochNanos(s);
        assertThat(Math.floorDiv(nanos, 1_000_000_000L)).isEqualTo(expected.getEpochSecond());
        assertThat(Math.floorMod(nanos, 1_000_000_000L)).isEqualTo(expected.getNano());
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2024-01-02", "2024-01-02T03:04:05", "2024-13-02T03:04:05Z", "2023-02-29T00:00:00Z",
        "2024-01-02T24:00:00Z", "2024-01-02T03:04:05.Z", "2024-01-02T03:04:05+0200", "2024-01-02T03:04:05Zjunk",
        "2024-01-02X03:04:05Z", "２０２４-01-02T03:04:05Z", "2024-01-02T03:60:05Z"})
    void otherStringsAreRejected(String s) {
        assertThat(Rfc3339.epochNanos(s)).isEqualTo(Long.MIN_VALUE);
    }
}
