package dev.dockaudit.check.history;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** SIZE as docker history prints it: go-units HumanSizeWithPrecision(size, 3). */
class HistoryDockerUnitsTest {

    @Test
    void matchesDockersFormatting() {
        assertThat(DockerUnits.humanSize(0)).isEqualTo("0B");
        assertThat(DockerUnits.humanSize(999)).isEqualTo("999B");
        assertThat(DockerUnits.humanSize(1000)).isEqualTo("1kB");
        assertThat(DockerUnits.humanSize(1234)).isEqualTo("1.23kB");
        assertThat(DockerUnits.humanSize(10500)).isEqualTo("10.5kB");
        assertThat(DockerUnits.humanSize(100000)).isEqualTo("100kB");
        // the real Alpine 3.18.9 minirootfs layer, as docker history showed it on the test daemon
        assertThat(DockerUnits.humanSize(7354300)).isEqualTo("7.35MB");
        assertThat(DockerUnits.humanSize(5242880)).isEqualTo("5.24MB");
        assertThat(DockerUnits.humanSize(1_234_567_890L)).isEqualTo("1.23GB");
        // Go's %.3g switches to an exponent when rounding reaches 1000 of a unit
        assertThat(DockerUnits.humanSize(999_999)).isEqualTo("1e+03kB");
        assertThat(DockerUnits.humanSize(999_499)).isEqualTo("999kB");
    }
}
