package dev.dockaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.EngineProxy;
import dev.dockaudit.testing.Expect;
import dev.dockaudit.testing.RuntimeContainers;
import dev.dockaudit.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code dockaudit container} against the real dockerd and Podman through a proxy that makes them misbehave: a
 * container removed (for real) between the list and its inspect, a daemon answering an older API version than
 * asked, a /_ping that promises a newer one than the daemon serves, Podman answers with fields missing, and a
 * socket this user may not open. Each time: a clear message, and the other containers still audited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerFaultsIT {
    RuntimeContainers docker;
    RuntimeContainers podman;
    String priv;
    String hardened;
    String doomed;
    String podmanCap;
    String podmanPlain;
    Path dir;

    @BeforeAll
    void containers() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "da-rt-faults-");
        docker = RuntimeContainers.docker();
        String base = docker.image("faults");
        priv = docker.start("f-priv", List.of("--network", "none", "--privileged"), base);
        hardened = docker.start("f-hardened", RuntimeAuditCases.HARDENED, base);
        doomed = docker.start("f-doomed", List.of("--network", "none"), base);
        podman = RuntimeContainers.podman();
        String pbase = podman.image("faults");
        podmanCap = podman.start("f-cap", List.of("--network", "none", "--cap-add", "SYS_ADMIN", "-v", "/etc:/host-etc:ro"),
                pbase);
        podmanPlain = podman.start("f-plain", List.of("--network", "none", "--ipc", "host"), pbase);
    }

    @AfterAll
    void remove() throws Exception {
        if (docker != null) {
            docker.close();
        }
        if (podman != null) {
            podman.close();
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Only this suite's containers in the list (other suites share the daemon). */
    static EngineProxy.Response onlyOurs(EngineProxy.Request r, EngineProxy.Response reply, String prefix) {
        if (!r.unversioned().startsWith("/containers/json")) {
            return null;
        }
        ArrayNode kept = Json.MAPPER.createArrayNode();
        for (JsonNode c : reply.jsonBody()) {
            if (c.path("Names").path(0).asText().startsWith("/" + prefix)) {
                kept.add(c);
            }
        }
        return reply.withBody(kept);
    }

    static List<String> names(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.path("containers").forEach(c -> out.add(c.path("name").asText()));
        return out;
    }

    static List<String> ids(JsonNode report, String name) {
        List<String> out = new ArrayList<>();
        report.path("containers").forEach(c -> {
            if (c.path("name").asText().equals(name)) {
                c.path("findings").forEach(f -> out.add(f.path("id").asText()));
            }
        });
        return out;
    }

    @Test
    void aContainerRemovedBetweenListAndInspect() throws Exception {
        String doomedId = docker.inspect(doomed).path("Id").asText();
        AtomicBoolean removed = new AtomicBoolean();
        try (EngineProxy proxy = EngineProxy.forward(dir.resolve("race.sock"), Path.of(docker.socket()))) {
            proxy.filter((r, reply) -> onlyOurs(r, reply, docker.prefix() + "f-")).handler(r -> {
                // the list has been answered; now, just before its inspect reaches the daemon, the container goes
                if (r.unversioned().startsWith("/containers/" + doomedId + "/json") && removed.compareAndSet(false, true)) {
                    docker.run("rm", "-f", doomed);
                }
                return null;
            });
            Cli.Result run = Cli.run("container", "--docker-host", proxy.dockerHost(), "--all", "--scanners", "runtime",
                    "--format", "json");
            JsonNode r = Expect.report(run, 0);
            assertThat(removed).isTrue();
            assertThat(names(r)).containsExactlyInAnyOrder(priv, hardened);
            assertThat(Expect.notes(r)).contains("container " + doomed + " (" + doomedId.substring(0, 12)
                    + ") was removed after the daemon listed it; not audited");
            assertThat(ids(r, priv)).contains("RT-PRIVILEGED");
        }
    }

    @Test
    void aDaemonAnsweringAnOlderApiVersion() throws Exception {
        // dockerd 20.10 serves every version down to 1.12: with /_ping saying 1.30, the whole audit runs at 1.30,
        // the image export included
        try (EngineProxy proxy = EngineProxy.forward(dir.resolve("old.sock"), Path.of(docker.socket()))) {
            proxy.filter((r, reply) -> r.path().equals("/_ping") ? reply.withHeader("Api-Version", "1.30") : null);
            JsonNode r = Expect.report(Cli.run("container", "--docker-host", proxy.dockerHost(), priv, hardened,
                    "--format", "json", "--no-progress"), 0);
            assertThat(r.at("/daemon/apiVersion").asText()).isEqualTo("1.30");
            assertThat(ids(r, priv)).contains("RT-PRIVILEGED");
            assertThat(ids(r, hardened)).isEmpty();
            assertThat(r.at("/images/0/report/image/verification/configDigest").asText()).isEqualTo("verified");
            assertThat(proxy.requests().stream().map(EngineProxy.Request::version).filter(v -> v != null).distinct())
                    .containsExactly("1.30");
        }
    }

    @Test
    void aPingThatPromisesANewerVersionThanTheDaemonServes() throws Exception {
        // the real dockerd answers /v1.43/… with "client version 1.43 is too new. Maximum supported API version is 1.41"
        try (EngineProxy proxy = EngineProxy.forward(dir.resolve("new.sock"), Path.of(docker.socket()))) {
            proxy.filter((r, reply) -> r.path().equals("/_ping") ? reply.withHeader("Api-Version", "1.43") : null);
            JsonNode r = Expect.report(Cli.run("container", "--docker-host", proxy.dockerHost(), priv, "--scanners",
                    "runtime", "--format", "json"), 0);
            assertThat(r.at("/daemon/apiVersion").asText()).isEqualTo("1.41");
            assertThat(ids(r, priv)).contains("RT-PRIVILEGED");
            assertThat(proxy.requests().stream().map(EngineProxy.Request::version).filter(v -> v != null).distinct())
                    .containsExactly("1.43", "1.41");
        }
    }

    @Test
    void podmanWithFieldsMissing() throws Exception {
        String capId = podman.inspect(podmanCap).path("Id").asText();
        try (EngineProxy proxy = EngineProxy.forward(dir.resolve("podman.sock"), Path.of(podman.socket()))) {
            proxy.handler(r -> r.unversioned().startsWith("/libpod/")
                    ? EngineProxy.Response.json(404, "{\"message\":\"page not found\"}") : null);
            proxy.filter((r, reply) -> {
                EngineProxy.Response ours = onlyOurs(r, reply, podman.prefix() + "f-");
                if (ours != null) {
                    return ours;
                }
                if (r.unversioned().startsWith("/containers/" + capId + "/json")) {
                    ObjectNode inspect = (ObjectNode) reply.jsonBody();
                    inspect.remove("HostConfig");
                    inspect.remove("Mounts");
                    return reply.withBody(inspect);
                }
                return null;
            });
            JsonNode r = Expect.report(Cli.run("container", "--docker-host", proxy.dockerHost(), "--all", "--scanners",
                    "runtime", "--format", "json"), 0);
            assertThat(names(r)).containsExactlyInAnyOrder(podmanCap, podmanPlain);
            // nothing invented from the missing fields; each check that needed them says so
            assertThat(ids(r, podmanCap)).doesNotContain("RT-CAP-DANGEROUS", "RT-SENSITIVE-MOUNT", "RT-PRIVILEGED")
                    .contains("RT-ROOT-USER");
            JsonNode cap = r.path("containers").get(names(r).indexOf(podmanCap));
            assertThat(Expect.notes(cap)).anySatisfy(n -> assertThat(n).startsWith("RT-SENSITIVE-MOUNT (CIS 5.6) not decided:"))
                    .anySatisfy(n -> assertThat(n).startsWith("RT-PRIVILEGED (CIS 5.5) not decided:"))
                    .anySatisfy(n -> assertThat(n).startsWith("Podman's own inspect (libpod) not available:"));
            // without the libpod inspect, --ipc host (which Podman's compat inspect hides) cannot be seen: it is noted
            JsonNode plain = r.path("containers").get(names(r).indexOf(podmanPlain));
            assertThat(ids(r, podmanPlain)).doesNotContain("RT-HOST-IPC");
            assertThat(Expect.notes(plain)).anySatisfy(n -> assertThat(n).startsWith("RT-ULIMIT-OVERRIDE (CIS 5.19) not decided:"));
        }
        // the same containers with Podman answering in full
        JsonNode full = Expect.report(Cli.run("container", "--docker-host", podman.host(), podmanCap, podmanPlain,
                "--scanners", "runtime", "--format", "json"), 0);
        assertThat(ids(full, podmanCap)).contains("RT-CAP-DANGEROUS", "RT-SENSITIVE-MOUNT");
        assertThat(ids(full, podmanPlain)).contains("RT-HOST-IPC");
    }

    @Test
    void permissionDeniedOnTheSocket() throws Exception {
        // a socket this user may not open: mode 000, and (as root) a child JVM without CAP_DAC_OVERRIDE
        Path sock = dir.resolve("denied.sock");
        try (EngineProxy proxy = EngineProxy.forward(sock, Path.of(docker.socket()))) {
            Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("---------"));
            List<String> cmd = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name"))) {
                cmd.addAll(List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search"));
            }
            cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    Cli.jar().toString(), "container", "--docker-host", proxy.dockerHost(), priv, "--scanners", "runtime"));
            Cli.Result r = dev.dockaudit.testing.Processes.run(cmd, Map.of(), 120, java.util.concurrent.TimeUnit.SECONDS);
            Expect.userError(r, "permission denied on " + sock, "run dockaudit as root or as a member of the socket's group");
            assertThat(proxy.requests()).isEmpty();
        }
    }
}
