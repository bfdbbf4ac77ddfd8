package dev.dockaudit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.util.Redact;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.ConfigTestImages;
import dev.dockaudit.testing.Expect;
import dev.dockaudit.testing.ItEnv;
import dev.dockaudit.testing.TestImages;
import dev.dockaudit.util.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/**
 * {@code dockaudit history} against the real dockerd: every step's created_by, size, empty marker and comment equal
 * what {@code docker history --no-trunc} and {@code docker image inspect} say, and the efficiency of images that delete
 * or overwrite files equals a hand calculation from their layers' contents.
 */
class HistoryIT {

    static JsonNode history(String name, String... extra) {
        List<String> args = new ArrayList<>(List.of("history", "docker-daemon:" + name, "--docker-host", ItEnv.dockerHost(),
                "--format", "json"));
        args.addAll(List.of(extra));
        return Expect.report(Cli.run(args.toArray(new String[0])), 0);
    }

    /** docker history --no-trunc --format '{{json .}}', oldest first; with --human=false when raw. */
    static List<JsonNode> dockerHistory(String name, boolean human) throws Exception {
        String out = TestImages.docker().run("history", "--no-trunc", "--human=" + human, "--format", "{{json .}}", name);
        List<JsonNode> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                rows.add(Json.parse(line.getBytes(StandardCharsets.UTF_8), "docker history"));
            }
        }
        Collections.reverse(rows);
        return rows;
    }

    static void assertMatchesDocker(String name) throws Exception {
        JsonNode report = history(name);
        JsonNode steps = report.path("history").path("steps");
        List<JsonNode> raw = dockerHistory(name, false);
        List<JsonNode> human = dockerHistory(name, true);
        assertThat(steps).as(name).hasSize(raw.size());
        List<String> layerDiffIds = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            JsonNode s = steps.get(i);
            JsonNode d = raw.get(i);
            String at = name + " step " + i;
            // docker prints "" where the config has no created_by (docker import); the report keeps null
            assertThat(s.path("createdBy").isNull() ? "" : s.path("createdBy").asText()).as(at)
                    .isEqualTo(Redact.text(d.path("CreatedBy").asText()));
            assertThat(s.path("size").asLong()).as(at).isEqualTo(Long.parseLong(d.path("Size").asText()));
            assertThat(s.path("sizeHuman").asText()).as(at).isEqualTo(human.get(i).path("Size").asText());
            assertThat(s.path("comment").isNull() ? "" : s.path("comment").asText()).as(at).isEqualTo(d.path("Comment").asText());
            assertThat(Instant.parse(s.path("created").asText()).truncatedTo(ChronoUnit.SECONDS)).as(at)
                    .isEqualTo(OffsetDateTime.parse(d.path("CreatedAt").asText()).toInstant());
            if (s.path("emptyLayer").asBoolean()) {
                assertThat(d.path("Size").asText()).as(at).isEqualTo("0");
                assertThat(s.path("diffId").isNull()).as(at).isTrue();
            } else {
                layerDiffIds.add(s.path("diffId").asText());
            }
        }
        // the steps that made layers are exactly the image's layers, in order
        assertThat(layerDiffIds).as(name).containsExactlyElementsOf(TestImages.diffIds(TestImages.inspect(name)));
    }

    @Test
    void stepsMatchDockerHistoryAndInspect() throws Exception {
        assertMatchesDocker(ConfigTestImages.base());
        assertMatchesDocker(ConfigTestImages.clean());
        assertMatchesDocker(ConfigTestImages.deleted());
        assertMatchesDocker(ConfigTestImages.planted());
    }

    @Test
    void plantedStepsCarryTheirFindingsAndBuildArgsAreFlagged() throws Exception {
        String name = ConfigTestImages.planted();
        JsonNode report = history(name);
        JsonNode steps = report.path("history").path("steps");
        // the ARG default is the first step that shows the token; every later RUN repeats it as |1 NPM_TOKEN=…
        assertThat(ids(step(steps, "ARG NPM_TOKEN="))).containsExactly("HIST-BUILD-ARG-SECRET");
        assertThat(ids(step(steps, "echo \"$NPM_TOKEN\""))).isEmpty();
        assertThat(ids(step(steps, "ADD file:"))).containsExactly("CFG-ADD-INSTEAD-OF-COPY");
        assertThat(ids(step(steps, "/opt/served.sh"))).containsExactly("CFG-ADD-URL");
        assertThat(ids(step(steps, "apk --no-network update"))).containsExactly("CFG-UPDATE-ALONE");
        assertThat(ids(step(steps, "apk --no-network add"))).containsExactly("CFG-APK-NO-CACHE");
        assertThat(ids(step(steps, "dist-upgrade"))).containsExactlyInAnyOrder("CFG-DIST-UPGRADE", "CFG-APT-LISTS-LEFT");
        assertThat(ids(step(steps, "sudo -n true"))).containsExactly("CFG-SUDO");
        // The account checks need ConfigChecks.visitor() in the layer pass, which the pipeline (Auditor) does not run
        // yet: until it does, the history says so in a note instead of guessing; once it does, the step has them.
        boolean accountsRead = Expect.notes(report).stream().noneMatch(n -> n.contains("/etc/shadow"));
        assertThat(ids(step(steps, "toor"))).containsExactlyInAnyOrderElementsOf(accountsRead
                ? List.of("CFG-EMPTY-PASSWORD", "CFG-DUPLICATE-UID", "CFG-DUPLICATE-GID") : List.of());
        assertThat(ids(step(steps, "chmod 666"))).containsExactly("CFG-WORLD-WRITABLE");
        assertThat(ids(step(steps, "COPY dir:"))).containsExactlyInAnyOrder("CFG-VCS-METADATA", "CFG-ENV-FILE");
        assertThat(ids(step(steps, "curl -fsSL"))).containsExactly("CFG-CURL-PIPE-SHELL");
        assertThat(ids(step(steps, "chmod 4755"))).containsExactly("CFG-SETUID-FILE");
        assertThat(ids(step(steps, "rm /root/.ssh/id_rsa"))).containsExactlyInAnyOrder("CFG-SHELL-HISTORY", "CFG-CACHE-DIR");
        assertThat(ids(step(steps, "COPY file:"))).containsExactly("CFG-CREDENTIAL-FILE");
        assertThat(ids(step(steps, "VOLUME"))).containsExactly("CFG-SENSITIVE-VOLUME");
        assertThat(ids(step(steps, "EXPOSE"))).containsExactly("CFG-REMOTE-ADMIN-PORT");
        assertThat(ids(step(steps, "USER root"))).containsExactly("CFG-ROOT-USER");
        JsonNode secret = Expect.finding(report, "HIST-BUILD-ARG-SECRET");
        assertThat(secret.path("cis").asText()).isEqualTo("4.10");
        assertThat(secret.path("severity").asText()).isEqualTo("HIGH");
        assertThat(secret.path("description").asText()).contains("docker history").contains("NPM_TOKEN");
        assertThat(secret.path("evidence").asText()).contains("ARG NPM_TOKEN=npm_").contains("the same value is in the"
                + " created_by of steps");
        // image-wide config findings are not the history's business
        assertThat(Expect.ids(report)).doesNotContain("CFG-NO-HEALTHCHECK", "CFG-LATEST-TAG", "CFG-CONTENT-TRUST-DISABLED");
        // the token shows in docker history, never in dockaudit's output
        assertThat(TestImages.docker().run("history", "--no-trunc", name)).contains(ConfigTestImages.PLANTED_TOKEN);
        assertThat(report.toString()).doesNotContain(ConfigTestImages.PLANTED_TOKEN);
        Cli.Result table = Cli.run("history", "docker-daemon:" + name, "--docker-host", ItEnv.dockerHost());
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out()).doesNotContain(ConfigTestImages.PLANTED_TOKEN).contains("HIST-BUILD-ARG-SECRET");
        // the HTML page lists every step (empty ones too), masked the same way
        Cli.Result html = Cli.run("history", "docker-daemon:" + name, "--docker-host", ItEnv.dockerHost(), "--format", "html");
        assertThat(html.exitCode()).as(html.toString()).isZero();
        assertThat(html.out()).doesNotContain(ConfigTestImages.PLANTED_TOKEN).contains("Build history", "HIST-BUILD-ARG-SECRET");
        for (JsonNode s : steps) {
            String createdBy = s.path("createdBy").asText("");
            String shown = createdBy.length() > 40 ? createdBy.substring(0, 40) : createdBy;
            assertThat(html.out()).as("step " + s.path("step")).contains(
                    dev.dockaudit.report.html.HtmlTestAccess.escape(shown));
        }
    }

    private static JsonNode step(JsonNode steps, String text) {
        JsonNode found = null;
        for (JsonNode s : steps) {
            if (s.path("createdBy").asText().contains(text)) {
                assertThat(found).as("one step with %s", text).isNull();
                found = s;
            }
        }
        assertThat(found).as("a step with %s", text).isNotNull();
        return found;
    }

    private static List<String> ids(JsonNode step) {
        return step.path("findings").findValuesAsText("id");
    }

    /** Σ of the regular files' sizes in the minirootfs: the base layer's bytes, each path once. */
    static long baseBytes() throws Exception {
        long sum = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Cli.project(
                "src/test/resources/realdata/images/alpine-minirootfs-3.18.9-x86_64.tar.gz")));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile()) {
                    sum += e.getSize();
                }
            }
        }
        return sum;
    }

    @Test
    void aDeletedFileIsWastedAsDiveCountsIt() throws Exception {
        long base = baseBytes();
        assertThat(base).isEqualTo(7_349_434L);
        String name = ConfigTestImages.deleted();
        JsonNode report = history(name);
        JsonNode e = report.path("history").path("efficiency");
        long big = ConfigTestImages.BIG;
        // by hand: base files once; /data/big.bin 5 MiB in the COPY layer plus 0 for its whiteout (minimum 0);
        // /data is never a leaf (it holds big.bin, then its whiteout)
        assertThat(e.path("wastedBytes").asLong()).isEqualTo(big);
        assertThat(e.path("score").asDouble()).isCloseTo((double) base / (base + big), within(1e-12));
        assertThat(e.path("imageBytes").asLong()).isEqualTo(base + big);
        assertThat(e.path("userBytes").asLong()).isEqualTo(big);
        assertThat(e.path("wastedUserRatio").asDouble()).isEqualTo(1.0);
        JsonNode w = e.path("largestWastedFiles").get(0);
        assertThat(w.path("path").asText()).isEqualTo("/data/big.bin");
        assertThat(w.path("count").asInt()).isEqualTo(2);
        assertThat(report.path("history").path("removedLaterBytes").asLong()).isEqualTo(big);
        JsonNode steps = report.path("history").path("steps");
        assertThat(steps.get(1).path("size").asLong()).isEqualTo(big);
        assertThat(steps.get(1).path("removedLaterBytes").asLong()).isEqualTo(big);
        assertThat(steps.get(2).path("size").asLong()).isZero();
        assertThat(Expect.finding(report, "HIST-WASTED-SPACE").path("severity").asText()).isEqualTo("INFO");

        // limits: 5M (binary) is exactly the waste, so it passes; a byte less fails, and so does 0.7
        assertThat(Cli.run("history", "docker-daemon:" + name, "--docker-host", ItEnv.dockerHost(), "--max-wasted-bytes", "5M")
                .exitCode()).isZero();
        JsonNode over = Expect.report(Cli.run("history", "docker-daemon:" + name, "--docker-host", ItEnv.dockerHost(),
                "--max-wasted-bytes", String.valueOf(big - 1), "--min-efficiency", "0.7", "--format", "json"), 1);
        assertThat(Expect.ids(over)).contains("HIST-MAX-WASTED-BYTES", "HIST-MIN-EFFICIENCY");
        assertThat(Cli.run("history", "docker-daemon:" + name, "--docker-host", ItEnv.dockerHost(), "--min-efficiency", "0.5")
                .exitCode()).isZero();
    }

    @Test
    void anOverwrittenFileCountsEveryCopy() throws Exception {
        long base = baseBytes();
        String name = ConfigTestImages.overwritten();
        JsonNode report = history(name);
        JsonNode e = report.path("history").path("efficiency");
        long v1 = ConfigTestImages.V1;
        long v2 = ConfigTestImages.V2;
        // /opt/f.bin: v1 (COPY), v2 (COPY), v2 again (chmod copies the file up): wasted = all three, minimum v2
        assertThat(e.path("wastedBytes").asLong()).isEqualTo(v1 + 2 * v2);
        assertThat(e.path("score").asDouble()).isCloseTo((double) (base + v2) / (base + v1 + 2 * v2), within(1e-12));
        JsonNode w = e.path("largestWastedFiles").get(0);
        assertThat(w.path("path").asText()).isEqualTo("/opt/f.bin");
        assertThat(w.path("count").asInt()).isEqualTo(3);
        assertThat(w.path("occurrences").findValuesAsText("size")).containsExactly(String.valueOf(v1), String.valueOf(v2),
                String.valueOf(v2));
        // shipped but replaced later: the v1 copy and the first v2 copy
        assertThat(report.path("history").path("removedLaterBytes").asLong()).isEqualTo(v1 + v2);
        assertMatchesDocker(name);
    }
}
