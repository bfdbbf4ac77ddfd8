package dev.dockaudit.check.history;

import static dev.dockaudit.check.config.ImageFixture.tar;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.check.config.ImageFixture;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.Expect;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dockaudit history}: table and JSON, limits that fail the run, bad options. */
class HistoryCommandTest {
    private static final String BASE = "/bin/sh -c #(nop) ADD file:0123456789abcdef in / ";

    @TempDir
    Path dir;

    private String archive() {
        return ImageFixture.create()
                .layer(BASE, tar().dir("opt").file("opt/keep", "k".repeat(1000)).file("opt/big", "b".repeat(3000)))
                .step("/bin/sh -c #(nop)  ENV A=b")
                .layer("|1 API_TOKEN=tok_0123456789abcdef /bin/sh -c apk update", tar().dir("etc").file("etc/x", "1"))
                .layer("/bin/sh -c rm /opt/big", tar().dir("opt").whiteout("opt/big"))
                .write(dir).toString();
    }

    @Test
    void jsonHasTheContractReportPlusStepsAndEfficiency() {
        String ref = archive();
        JsonNode report = Expect.report(Cli.run("history", ref, "--format", "json"), 0);
        assertThat(report.path("schemaVersion").asInt()).isEqualTo(1);
        JsonNode steps = report.path("history").path("steps");
        assertThat(steps).hasSize(4);
        assertThat(steps.get(0).path("createdBy").asText()).isEqualTo(BASE);
        assertThat(steps.get(0).path("size").asLong()).isEqualTo(4000);
        assertThat(steps.get(0).path("sizeHuman").asText()).isEqualTo("4kB");
        assertThat(steps.get(0).path("removedLaterBytes").asLong()).isEqualTo(3000);
        assertThat(steps.get(1).path("emptyLayer").asBoolean()).isTrue();
        assertThat(steps.get(1).path("size").asLong()).isZero();
        assertThat(steps.get(1).path("layer").isNull()).isTrue();
        assertThat(steps.get(2).path("findings").findValuesAsText("id")).containsExactlyInAnyOrder("CFG-UPDATE-ALONE",
                "HIST-BUILD-ARG-SECRET");
        JsonNode e = report.path("history").path("efficiency");
        assertThat(e.path("definition").asText()).isEqualTo("dive");
        assertThat(e.path("wastedBytes").asLong()).isEqualTo(3000);
        // keep 1000 + etc/x 1 counted once, /opt/big 3000 + its whiteout 0: (1000 + 1 + 0) / (1000 + 1 + 3000)
        assertThat(e.path("score").asDouble()).isEqualTo(1001.0 / 4001.0);
        assertThat(e.path("largestWastedFiles").get(0).path("path").asText()).isEqualTo("/opt/big");
        assertThat(e.path("largestWastedFiles").get(0).path("count").asInt()).isEqualTo(2);
        // the history command reports the steps' findings and its own, not image-wide config findings
        List<String> ids = Expect.ids(report);
        assertThat(ids).contains("CFG-UPDATE-ALONE", "HIST-BUILD-ARG-SECRET", "HIST-WASTED-SPACE")
                .doesNotContain("CFG-NO-HEALTHCHECK", "CFG-ROOT-USER", "CFG-CONTENT-TRUST-DISABLED");
        assertThat(report.toString()).doesNotContain("tok_0123456789abcdef");
    }

    @Test
    void tableIsDockerHistoryNewestFirstWithFindingsUnderTheirStep() {
        Cli.Result r = Cli.run("history", archive());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("STEP")).findFirst().orElseThrow());
        assertThat(lines.get(header)).matches("STEP\\s+CREATED\\s+CREATED BY\\s+SIZE\\s+COMMENT");
        assertThat(lines.get(header + 1)).startsWith("3 ").contains("2024-01-04T00:00:00Z").contains("/bin/sh -c rm /opt/big")
                .contains("0B");
        // docker history prints build args in clear; dockaudit masks secret-looking ones
        assertThat(lines.get(header + 2)).startsWith("2 ").contains("|1 API_TOKEN=tok_************ (20 chars) /bin/sh -c apk update");
        assertThat(r.out()).doesNotContain("tok_0123456789abcdef");
        assertThat(lines.get(header + 3)).contains("CFG-UPDATE-ALONE").contains("(CIS 4.7)");
        assertThat(lines.get(header + 4)).contains("HIGH").contains("HIST-BUILD-ARG-SECRET");
        assertThat(r.out()).contains("Efficiency score:  25.02 %").contains("Wasted bytes:      3kB (3000 bytes)")
                .contains("Largest wasted files").contains("/opt/big");
        assertThat(lines.get(header + 5)).startsWith("1 ").contains("ENV A=b");
        assertThat(lines.get(header + 6)).startsWith("0 ").contains("4kB");
    }

    @Test
    void limitsFailTheRunAndSeverityFilterKeepsTheView() {
        String ref = archive();
        assertThat(Cli.run("history", ref, "--max-wasted-bytes", "3000").exitCode()).isZero();
        Cli.Result over = Cli.run("history", ref, "--max-wasted-bytes", "2K", "--format", "json");
        JsonNode report = Expect.report(over, 1);
        assertThat(Expect.finding(report, "HIST-MAX-WASTED-BYTES").path("severity").asText()).isEqualTo("MEDIUM");
        assertThat(Cli.run("history", ref, "--min-efficiency", "25%").exitCode()).isZero();
        assertThat(Cli.run("history", ref, "--min-efficiency", "25.1%").exitCode()).isEqualTo(1);
        assertThat(Cli.run("history", ref, "--min-efficiency", "0.3").exitCode()).isEqualTo(1);
        // --severity hides findings but the limit still fails the run
        JsonNode high = Expect.report(Cli.run("history", ref, "--min-efficiency", "0.3", "--severity", "HIGH", "--format", "json"), 1);
        assertThat(Expect.ids(high)).containsExactly("HIST-BUILD-ARG-SECRET");
        assertThat(high.path("history").path("steps").get(2).path("findings").findValuesAsText("id"))
                .containsExactly("HIST-BUILD-ARG-SECRET");
        assertThat(Cli.run("history", ref, "--fail-on", "HIGH").exitCode()).isEqualTo(1);
    }

    @Test
    void badOptionsAreUsageErrors() {
        String ref = archive();
        Expect.userError(Cli.run("history", ref, "--min-efficiency", "1.5"), "--min-efficiency", "between 0 and 1");
        Expect.userError(Cli.run("history", ref, "--min-efficiency", "abc"), "--min-efficiency");
        Expect.userError(Cli.run("history", ref, "--max-wasted-bytes", "lots"), "--max-wasted-bytes", "is not a size");
        Expect.userError(Cli.run("history", ref, "--format", "spdx"), "--format spdx is not available for history");
        Expect.userError(Cli.run("history", dir.resolve("missing.tar").toString()), "does not exist");
    }
}
