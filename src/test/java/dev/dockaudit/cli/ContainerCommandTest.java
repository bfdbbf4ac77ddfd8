package dev.dockaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.EngineProxy;
import dev.dockaudit.testing.Expect;
import dev.dockaudit.testing.RecordedEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dockaudit container} against daemons that answer with replies recorded from real dockerd and Podman (see
 * RecordedEngine), changed to play the daemons in trouble the command must survive: a container that disappears
 * between the list and its inspect, an API older than asked for, a name that matches nothing, Podman's partial
 * fields, an inspect that fails. The image audits are left out here (--scanners runtime); the integration tests run
 * them on real daemons.
 */
class ContainerCommandTest {
    @TempDir
    Path tmp;

    private RecordedEngine docker(String... names) throws Exception {
        return RecordedEngine.start(tmp.resolve("docker.sock"), "Docker",
                names.length == 0 ? RecordedEngine.recorded("Docker") : List.of(names));
    }

    private RecordedEngine podman(String... names) throws Exception {
        return RecordedEngine.start(tmp.resolve("podman.sock"), "Podman",
                names.length == 0 ? RecordedEngine.recorded("Podman") : List.of(names));
    }

    private static Cli.Result audit(RecordedEngine e, String... args) {
        List<String> a = new ArrayList<>(List.of("container", "--docker-host", e.dockerHost(), "--scanners", "runtime",
                "--no-progress"));
        a.addAll(List.of(args));
        return Cli.run(a.toArray(new String[0]));
    }

    static JsonNode container(JsonNode report, String name) {
        for (JsonNode c : report.path("containers")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no container " + name + " in " + report.path("containers"));
    }

    static Set<String> ids(JsonNode container) {
        Set<String> out = new TreeSet<>();
        container.path("findings").forEach(f -> out.add(f.path("id").asText()));
        return out;
    }

    @Test
    void everyRecordedDockerContainerWithAll() throws Exception {
        try (RecordedEngine e = docker()) {
            JsonNode r = Expect.report(audit(e, "--all", "--format", "json"), 0);
            assertThat(r.path("containers")).hasSize(RecordedEngine.recorded("Docker").size());
            assertThat(r.at("/target/source").asText()).isEqualTo("docker-engine");
            assertThat(r.at("/daemon/engine").asText()).isEqualTo("Docker");
            assertThat(r.at("/daemon/version").asText()).isEqualTo("20.10.24+dfsg1");
            assertThat(r.at("/daemon/apiVersion").asText()).isEqualTo("1.41");
            assertThat(r.at("/daemon/swarm").asText()).isEqualTo("inactive");
            assertThat(r.at("/daemon/findings")).extracting(f -> f.path("id").asText())
                    .contains("RT-DAEMON-NO-USERNS", "RT-DAEMON-ROOTFUL", "RT-DAEMON-NO-LIVE-RESTORE");
            JsonNode priv = container(r, "da-rt-priv");
            assertThat(priv.path("id").asText()).isEqualTo(e.id("priv"));
            assertThat(priv.path("image").asText()).isEqualTo("da-rt-base:1");
            assertThat(priv.path("imageId").asText()).startsWith("sha256:");
            assertThat(priv.path("state").asText()).isEqualTo("running");
            assertThat(ids(priv)).contains("RT-PRIVILEGED", "RT-EXEC-PRIVILEGED", "RT-EXEC-ROOT");
            JsonNode f = priv.path("findings").get(0);
            assertThat(f.path("id").asText()).isEqualTo("RT-PRIVILEGED");
            assertThat(f.path("category").asText()).isEqualTo("runtime");
            assertThat(f.path("severity").asText()).isEqualTo("CRITICAL");
            assertThat(f.path("cis").asText()).isEqualTo("5.5");
            assertThat(f.path("evidence").asText()).isEqualTo("HostConfig.Privileged=true");
            assertThat(ids(container(r, "da-rt-hardened"))).isEmpty();
            assertThat(ids(container(r, "da-rt-shared"))).contains("RT-SHARED-PROPAGATION");
            assertThat(container(r, "da-rt-shared").path("state").asText()).isEqualTo("created");
            // one image, not audited with --scanners runtime, listed once with every container that runs it
            assertThat(r.path("images")).hasSize(1);
            assertThat(r.at("/images/0/containers")).hasSize(RecordedEngine.recorded("Docker").size());
            assertThat(r.at("/images/0/report").isNull()).isTrue();
            assertThat(r.at("/stats/imagesAudited").asInt()).isZero();
            // --privileged, the docker socket, and the GitHub token in -e
            assertThat(r.at("/summary/bySeverity/CRITICAL").asInt()).isEqualTo(3);
            assertThat(container(r, "da-rt-secret").path("findings")).anySatisfy(x -> assertThat(x.path("severity").asText())
                    .isEqualTo("CRITICAL"));
            // secrets in -e are reported masked and nowhere in the output in full
            assertThat(ids(container(r, "da-rt-secret"))).contains("RT-ENV-SECRET");
            assertThat(r.toString()).doesNotContain(RecordedEngine.AWS_SECRET).doesNotContain(RecordedEngine.GITHUB_TOKEN);
        }
    }

    @Test
    void withoutNamesOnlyRunningContainers() throws Exception {
        try (RecordedEngine e = docker("priv", "shared", "hardened")) {
            JsonNode r = Expect.report(audit(e, "--format", "json"), 0);
            assertThat(r.path("containers")).extracting(c -> c.path("name").asText())
                    .containsExactlyInAnyOrder("da-rt-priv", "da-rt-hardened"); // shared was only created
            assertThat(e.server().requests()).anySatisfy(q -> assertThat(q.path()).endsWith("/containers/json"));
        }
        try (RecordedEngine e = docker("shared")) {
            JsonNode r = Expect.report(audit(e, "--format", "json"), 0);
            assertThat(r.path("containers")).isEmpty();
            assertThat(Expect.notes(r)).contains("no running containers (dockaudit container --all audits created and"
                    + " stopped ones too)");
        }
    }

    @Test
    void byNameAndShortId() throws Exception {
        try (RecordedEngine e = docker("priv", "hardened", "sshd")) {
            JsonNode r = Expect.report(audit(e, "da-rt-priv", e.id("sshd").substring(0, 12), "--format", "json"), 0);
            assertThat(r.path("containers")).extracting(c -> c.path("name").asText())
                    .containsExactly("da-rt-priv", "da-rt-sshd");
            // the same container twice (name and ID) is audited once
            JsonNode twice = Expect.report(audit(e, "da-rt-priv", e.id("priv"), "--format", "json"), 0);
            assertThat(twice.path("containers")).hasSize(1);
        }
    }

    @Test
    void aNameThatMatchesNothing() throws Exception {
        try (RecordedEngine e = docker("priv", "hardened")) {
            Cli.Result r = audit(e, "da-rt-priv", "no-such-container", "--format", "json");
            // the others are audited and reported; the exit code and one error line say the input was wrong
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.json().path("containers")).extracting(c -> c.path("name").asText()).containsExactly("da-rt-priv");
            assertThat(r.errorLine()).isEqualTo("dockaudit: error: no container 'no-such-container' on the Docker daemon at "
                    + e.dockerHost() + "; the other 1 container was audited");

            Expect.userError(audit(e, "nope-1", "nope-2"), "no container 'nope-1', 'nope-2' on the Docker daemon at "
                    + e.dockerHost(), "docker ps -a lists the containers there are");
        }
    }

    @Test
    void aContainerThatDisappearsBetweenListAndInspect() throws Exception {
        try (RecordedEngine e = docker("priv", "sshd", "hardened").gone("sshd")) {
            Cli.Result run = audit(e, "--all", "--format", "json");
            JsonNode r = Expect.report(run, 0);
            assertThat(run.err()).isEmpty();
            assertThat(r.path("containers")).extracting(c -> c.path("name").asText())
                    .containsExactly("da-rt-priv", "da-rt-hardened");
            assertThat(Expect.notes(r)).contains("container da-rt-sshd (" + e.id("sshd").substring(0, 12)
                    + ") was removed after the daemon listed it; not audited");
        }
    }

    @Test
    void anInspectThatFailsLeavesTheOthersAudited() throws Exception {
        try (RecordedEngine e = docker("priv", "hardened").inspectStatus("priv", 500)) {
            JsonNode r = Expect.report(audit(e, "--all", "--format", "json"), 0);
            JsonNode failed = r.path("containers").get(0);
            assertThat(failed.path("id").asText()).isEqualTo(e.id("priv"));
            assertThat(failed.path("error").asText()).contains("HTTP 500").contains("recorded failure 500");
            assertThat(failed.path("findings")).isEmpty();
            assertThat(container(r, "da-rt-hardened").path("error").isNull()).isTrue();
        }
    }

    @Test
    void aDaemonWithAnOlderApiThanOurs() throws Exception {
        try (RecordedEngine e = docker("priv", "hardened").pingVersion("1.30").maxVersion("1.30")) {
            JsonNode r = Expect.report(audit(e, "--all", "--format", "json"), 0);
            assertThat(r.at("/daemon/apiVersion").asText()).isEqualTo("1.30");
            assertThat(ids(container(r, "da-rt-priv"))).contains("RT-PRIVILEGED");
            List<String> versions = e.server().requests().stream().map(EngineProxy.Request::version)
                    .filter(v -> v != null).distinct().toList();
            assertThat(versions).containsExactly("1.30");
        }
    }

    @Test
    void aDaemonThatRefusesTheVersionItsPingClaimed() throws Exception {
        // /_ping says 1.43 (a proxy, or a daemon that claims more than it serves); requests at 1.43 get dockerd's
        // "client version 1.43 is too new. Maximum supported API version is 1.41": we settle on 1.41 and go on
        try (RecordedEngine e = docker("priv").pingVersion("1.43").maxVersion("1.41")) {
            JsonNode r = Expect.report(audit(e, "--all", "--format", "json"), 0);
            assertThat(r.at("/daemon/apiVersion").asText()).isEqualTo("1.41");
            assertThat(ids(container(r, "da-rt-priv"))).contains("RT-PRIVILEGED");
            List<String> versions = e.server().requests().stream().map(EngineProxy.Request::version)
                    .filter(v -> v != null).distinct().toList();
            assertThat(versions).containsExactly("1.43", "1.41");
        }
    }

    @Test
    void aDaemonOlderThanTheAuditNeeds() throws Exception {
        try (RecordedEngine e = docker("priv").pingVersion("1.43").maxVersion("1.20")) {
            Expect.userError(audit(e, "--all"), "speaks Engine API 1.20; dockaudit needs 1.24 or later");
        }
        try (RecordedEngine e = docker("priv").pingVersion("1.18")) {
            Expect.userError(audit(e, "--all"), "speaks Engine API 1.18; dockaudit needs 1.24 or later");
        }
    }

    @Test
    void podmanWithPartialFields() throws Exception {
        // Podman's list has HostConfig null (the audit inspects every container); here one inspect also lacks
        // HostConfig and Mounts, and the libpod endpoint is off (containers made through the Docker API)
        try (RecordedEngine e = podman("cap", "sock", "hostipc", "ulimit", "hardened").libpod(false)
                .inspect("cap", i -> {
                    ((ObjectNode) i).remove("HostConfig");
                    ((ObjectNode) i).remove("Mounts");
                    return i;
                })) {
            JsonNode r = Expect.report(audit(e, "--all", "--format", "json"), 0);
            assertThat(r.at("/target/source").asText()).isEqualTo("podman");
            assertThat(r.at("/daemon/engine").asText()).isEqualTo("Podman");
            JsonNode cap = container(r, "da-rt-cap");
            assertThat(ids(cap)).doesNotContain("RT-CAP-DANGEROUS", "RT-PRIVILEGED", "RT-NO-MEMORY-LIMIT")
                    .contains("RT-ROOT-USER", "RT-NO-HEALTHCHECK");
            assertThat(Expect.notes(cap)).anySatisfy(n -> assertThat(n).startsWith("RT-PRIVILEGED (CIS 5.5) not decided:"))
                    .anySatisfy(n -> assertThat(n).startsWith("RT-DOCKER-SOCKET (CIS 5.32) not decided:"));
            assertThat(ids(container(r, "da-rt-sock"))).contains("RT-DOCKER-SOCKET", "RT-DEFAULT-BRIDGE");
            // without the create command, what Podman's compat inspect hides is noted, not guessed
            assertThat(Expect.notes(container(r, "da-rt-ulimit"))).anySatisfy(n -> assertThat(n)
                    .startsWith("RT-ULIMIT-OVERRIDE (CIS 5.19) not decided:"));
            assertThat(ids(container(r, "da-rt-hardened"))).isEmpty();
        }
        try (RecordedEngine e = podman("hostipc", "ulimit", "userns", "hardened")) {
            JsonNode r = Expect.report(audit(e, "--all", "--format", "json"), 0);
            assertThat(ids(container(r, "da-rt-hostipc"))).contains("RT-HOST-IPC");
            assertThat(ids(container(r, "da-rt-ulimit"))).contains("RT-ULIMIT-OVERRIDE");
            assertThat(ids(container(r, "da-rt-userns"))).contains("RT-HOST-USERNS");
            assertThat(ids(container(r, "da-rt-hardened"))).isEmpty();
            assertThat(Expect.notes(container(r, "da-rt-hardened"))).isEmpty();
        }
    }

    @Test
    void failOnSeverityAndIgnoreFile() throws Exception {
        try (RecordedEngine e = docker("priv", "hardened")) {
            assertThat(audit(e, "--all", "--fail-on", "CRITICAL", "--format", "json").exitCode()).isEqualTo(1);
            assertThat(audit(e, "da-rt-hardened", "--fail-on", "LOW", "--format", "json").exitCode()).isZero();
            // the daemon's INFO findings count for --fail-on INFO
            assertThat(audit(e, "da-rt-hardened", "--fail-on", "INFO", "--format", "json").exitCode()).isEqualTo(1);
            Path ignore = tmp.resolve("ignore.yaml");
            Files.writeString(ignore, "- id: RT-PRIVILEGED\n  reason: a test rig\n");
            Cli.Result r = audit(e, "da-rt-priv", "--fail-on", "CRITICAL", "--ignore-file", ignore.toString(), "--format",
                    "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(ids(container(r.json(), "da-rt-priv"))).doesNotContain("RT-PRIVILEGED").contains("RT-EXEC-PRIVILEGED");
            assertThat(Expect.notes(r.json())).anySatisfy(n -> assertThat(n).startsWith("suppressed 1 runtime finding: "));
            JsonNode high = Expect.report(audit(e, "--all", "--severity", "CRITICAL", "--format", "json"), 0);
            assertThat(high.at("/summary/bySeverity/HIGH").asInt()).isZero();
            assertThat(ids(container(high, "da-rt-priv"))).containsExactly("RT-PRIVILEGED");
        }
    }

    @Test
    void tableOutput() throws Exception {
        try (RecordedEngine e = docker("priv", "hardened")) {
            Cli.Result r = audit(e, "--all");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).startsWith("Docker 20.10.24+dfsg1 (Engine API 1.41) at " + e.dockerHost())
                    .contains("Container da-rt-priv (" + e.id("priv").substring(0, 12) + ", running)  image da-rt-base:1")
                    .contains("  CRITICAL RT-PRIVILEGED            Privileged container  [CIS 5.5]")
                    .contains("           evidence: HostConfig.Privileged=true")
                    .contains("Container da-rt-hardened (")
                    .contains("Runtime findings: none")
                    .doesNotContain("\033[")
                    .satisfies(out -> assertThat(out.lines().reduce((a, b) -> b).orElseThrow())
                            .matches("dockaudit: 2 containers, 1 image \\(0 audited\\) — \\d+ findings: .*CRITICAL.* — exit 0"));
            Cli.Result quiet = audit(e, "--all", "-q", "--fail-on", "CRITICAL");
            assertThat(quiet.exitCode()).isEqualTo(1);
            assertThat(quiet.out().lines().toList()).hasSize(1).allSatisfy(l -> assertThat(l)
                    .startsWith("dockaudit: 2 containers, 1 image (0 audited) — ").contains("— exit 1 (--fail-on CRITICAL: "));
        }
    }

    @Test
    void badOptions() throws Exception {
        try (RecordedEngine e = docker("priv")) {
            Expect.userError(audit(e, "--all", "da-rt-priv"), "give container names or --all, not both");
            Expect.userError(audit(e, "--format", "cyclonedx"), "--format cyclonedx is not available for container");
            Expect.userError(Cli.run("container", "--docker-host", e.dockerHost(), "--scanners", "runtime,vuln"),
                    "'runtime' means no image audit");
            Expect.userError(Cli.run("container", "--docker-host", e.dockerHost(), "--scanners", "bogus"),
                    "unknown scanner 'bogus'");
        }
        Expect.userError(Cli.run("container", "--docker-host", "unix://" + tmp.resolve("none.sock")),
                "does not exist; start dockerd");
    }
}
