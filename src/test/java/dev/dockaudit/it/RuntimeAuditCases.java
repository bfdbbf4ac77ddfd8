package dev.dockaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.EngineProxy;
import dev.dockaudit.testing.Expect;
import dev.dockaudit.testing.RecordedEngine;
import dev.dockaudit.testing.RuntimeContainers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The runtime audit against real containers, shared by the dockerd and Podman suites: one container per risky
 * setting (each must raise its own checks and nothing else beyond what a default container raises) and a hardened
 * one (it must raise nothing at all), then every distinct image audited once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RuntimeAuditCases {
    /** What a container with the engine's defaults raises (root, writable root, no limits, default capabilities). */
    static final Set<String> DEFAULTS = Set.of("RT-NO-MEMORY-LIMIT", "RT-NO-NEW-PRIVILEGES", "RT-NO-PIDS-LIMIT",
            "RT-ROOT-USER", "RT-CAP-NOT-DROPPED", "RT-NO-CPU-LIMIT", "RT-NO-HEALTHCHECK", "RT-ROOTFS-WRITABLE",
            "RT-DEFAULT-BRIDGE");
    static final List<String> HARDENED = List.of("--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
            "--memory", "64m", "--pids-limit", "64", "--cpus", "0.5", "--user", "1000:1000", "--network", "none",
            "--health-cmd", "true", "--health-interval", "2s");

    RuntimeContainers engine;
    String base;
    String other;
    Path hostDir;
    /** Container name (without the prefix) → the check ids it must raise beyond the defaults, sorted. */
    final Map<String, List<String>> expected = new LinkedHashMap<>();
    /** Container name → check ids among the defaults it must raise too. */
    final Map<String, List<String>> alsoExpected = new LinkedHashMap<>();
    JsonNode report;

    abstract RuntimeContainers engine();

    /** Starts the engine's containers (after the common ones) and fills {@link #expected}. */
    abstract void engineSpecific() throws Exception;

    void expect(String name, String... ids) {
        List<String> l = new ArrayList<>(List.of(ids));
        l.sort(null);
        expected.put(name, l);
    }

    List<String> net() {
        return List.of("--network", "none");
    }

    List<String> flags(String... f) {
        List<String> l = new ArrayList<>(net());
        l.addAll(List.of(f));
        return l;
    }

    @BeforeAll
    void containers() throws Exception {
        engine = engine();
        base = engine.image("base");
        other = engine.image("other", "ENV DA_RT_OTHER=1");
        hostDir = Files.createDirectories(Path.of("target", "da-rt-host-" + engine.prefix())).toAbsolutePath();

        engine.start("priv", flags("--privileged"), base);
        expect("priv", "RT-PRIVILEGED");
        engine.start("capadd", flags("--cap-add", "SYS_ADMIN"), base);
        expect("capadd", "RT-CAP-DANGEROUS");
        engine.start("sock", flags("-v", engine.socket() + ":/var/run/docker.sock"), base);
        expect("sock", "RT-DOCKER-SOCKET");
        engine.start("root", flags("-v", "/:/host:ro"), base);
        expect("root", "RT-SENSITIVE-MOUNT");
        engine.start("hostnet", List.of("--network", "host"), base);
        expect("hostnet", "RT-HOST-NETWORK");
        engine.start("hostpid", flags("--pid", "host"), base);
        expect("hostpid", "RT-HOST-PID");
        engine.start("hostipc", flags("--ipc", "host"), base);
        expect("hostipc", "RT-HOST-IPC");
        engine.start("hostuts", flags("--uts", "host"), base);
        expect("hostuts", "RT-HOST-UTS");
        engine.start("userns", flags("--userns", "host"), base);
        expect("userns", "RT-HOST-USERNS");
        engine.start("seccomp", flags("--security-opt", "seccomp=unconfined"), base);
        expect("seccomp", "RT-SECCOMP-UNCONFINED");
        engine.start("apparmor", flags("--security-opt", "apparmor=unconfined"), base);
        expect("apparmor", "RT-APPARMOR-UNCONFINED");
        engine.start("device", flags("--device", "/dev/null:/dev/xnull"), base);
        expect("device", "RT-HOST-DEVICE");
        engine.start("user0", flags("--user", "0"), base);
        expect("user0");
        alsoExpected.put("user0", List.of("RT-ROOT-USER"));
        engine.start("secret", flags("-e", "AWS_SECRET_ACCESS_KEY=" + RecordedEngine.AWS_SECRET,
                "-e", "GITHUB_TOKEN=" + RecordedEngine.GITHUB_TOKEN, "-e", "PLAIN_SETTING=fine"), base);
        expect("secret", "RT-ENV-SECRET", "RT-ENV-SECRET");
        engine.create("shared", flags("-v", hostDir + ":/data:shared"), base);
        expect("shared", "RT-SHARED-PROPAGATION");
        engine.start("restart", flags("--restart", "always"), base);
        expect("restart", "RT-RESTART-POLICY");
        engine.start("cgroup", flags("--cgroup-parent", "/" + engine.prefix() + "parent"), base);
        expect("cgroup", "RT-CGROUP-PARENT");
        engine.start("sshd", net(), base, "sh", "-c", "cp /usr/bin/iconv /usr/sbin/sshd && sleep 100000 | /usr/sbin/sshd");
        expect("sshd", "RT-SSHD");
        String execs = engine.start("execs", flags("--user", "1000:1000"), other);
        engine.run("exec", "-d", "--privileged", execs, "sleep", "3000");
        engine.run("exec", "-d", "--user", "0", execs, "sleep", "3001");
        expect("execs", "RT-EXEC-PRIVILEGED", "RT-EXEC-ROOT");
        engine.start("hardened", HARDENED, base);
        expect("hardened");
        engineSpecific();
        report = audit();
    }

    @AfterAll
    void remove() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (hostDir != null) {
            Files.deleteIfExists(hostDir);
        }
    }

    List<String> names() {
        List<String> out = new ArrayList<>();
        expected.keySet().forEach(n -> out.add(engine.prefix() + n));
        return out;
    }

    JsonNode audit() {
        List<String> args = new ArrayList<>(List.of("container", "--docker-host", engine.host(), "--scanners", "runtime",
                "--format", "json", "--no-progress"));
        args.addAll(names());
        return Expect.report(Cli.run(args.toArray(new String[0])), 0);
    }

    JsonNode container(String name) {
        for (JsonNode c : report.path("containers")) {
            if (c.path("name").asText().equals(engine.prefix() + name)) {
                return c;
            }
        }
        throw new AssertionError("no container " + name + " in the report");
    }

    static List<String> ids(JsonNode container) {
        List<String> out = new ArrayList<>();
        container.path("findings").forEach(f -> out.add(f.path("id").asText()));
        return out;
    }

    static JsonNode finding(JsonNode container, String id) {
        for (JsonNode f : container.path("findings")) {
            if (f.path("id").asText().equals(id)) {
                return f;
            }
        }
        throw new AssertionError("no finding " + id + " in " + container.path("findings"));
    }

    @Test
    void eachRiskySettingRaisesItsOwnChecks() {
        assertThat(report.path("containers")).hasSize(expected.size());
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            JsonNode c = container(e.getKey());
            List<String> beyond = new ArrayList<>();
            for (String id : ids(c)) {
                if (!DEFAULTS.contains(id)) {
                    beyond.add(id);
                }
            }
            beyond.sort(null);
            assertThat(beyond).as("%s: %s", e.getKey(), c.path("findings")).isEqualTo(e.getValue());
            assertThat(ids(c)).as(e.getKey()).containsAll(alsoExpected.getOrDefault(e.getKey(), List.of()));
            assertThat(c.path("error").isNull()).as(e.getKey()).isTrue();
        }
    }

    @Test
    void theHardenedContainerRaisesNothing() {
        JsonNode hardened = container("hardened");
        assertThat(hardened.path("findings")).as("%s", hardened).isEmpty();
        assertThat(hardened.path("notes")).as("%s", hardened).isEmpty();
    }

    @Test
    void aContainerWithoutLimitsRaisesTheLimitChecks() {
        assertThat(ids(container("root"))).contains("RT-NO-MEMORY-LIMIT", "RT-NO-CPU-LIMIT");
    }

    @Test
    void evidenceQuotesWhatTheEngineReports() {
        assertThat(finding(container("priv"), "RT-PRIVILEGED").path("evidence").asText())
                .isEqualTo("HostConfig.Privileged=true");
        assertThat(finding(container("priv"), "RT-PRIVILEGED").path("cis").asText()).isEqualTo("5.5");
        assertThat(finding(container("root"), "RT-SENSITIVE-MOUNT").path("title").asText())
                .isEqualTo("Sensitive host directory mounted: / (read-only)");
        assertThat(finding(container("sock"), "RT-DOCKER-SOCKET").path("evidence").asText())
                .startsWith("Mounts: " + engine.socket() + ":/var/run/docker.sock");
        assertThat(finding(container("sshd"), "RT-SSHD").path("evidence").asText())
                .isEqualTo("processes (GET /containers/{id}/top): /usr/sbin/sshd");
        assertThat(finding(container("user0"), "RT-ROOT-USER").path("evidence").asText()).isEqualTo("Config.User=\"0\"");
        JsonNode secret = container("secret");
        assertThat(secret.toString()).doesNotContain(RecordedEngine.AWS_SECRET).doesNotContain(RecordedEngine.GITHUB_TOKEN)
                .doesNotContain("PLAIN_SETTING");
        assertThat(ids(container("shared"))).contains("RT-SHARED-PROPAGATION");
        assertThat(container("shared").path("state").asText()).isEqualTo("created");
    }

    /** Every distinct image is audited once, with every scanner, however many containers run it. */
    @Test
    void eachImageIsAuditedOnce() throws Exception {
        Path sock = Path.of("target", "da-rt-count-" + (engine.isPodman() ? "p" : "d") + ".sock").toAbsolutePath();
        try (EngineProxy proxy = EngineProxy.forward(sock, Path.of(engine.socket()))) {
            List<String> args = new ArrayList<>(List.of("container", "--docker-host", proxy.dockerHost(), "--format", "json",
                    "--no-progress"));
            List<String> names = List.of("priv", "hardened", "secret", "execs");
            names.forEach(n -> args.add(engine.prefix() + n));
            JsonNode r = Expect.report(Cli.run(args.toArray(new String[0])), 0);
            assertThat(r.path("images")).hasSize(2);
            assertThat(r.at("/stats/imagesAudited").asInt()).isEqualTo(2);
            assertThat(r.at("/stats/distinctImages").asInt()).isEqualTo(2);
            // one export of each image: /images/{id}/get is how the daemon source reads an image
            assertThat(proxy.count("/images/")).isGreaterThan(0);
            List<String> exports = proxy.requests().stream().map(EngineProxy.Request::unversioned)
                    .filter(p -> p.matches("/images/[^/]+/get")).toList();
            assertThat(exports).as("image exports").hasSize(2).doesNotHaveDuplicates();
            Set<String> baseUsers = new TreeSet<>();
            for (JsonNode image : r.path("images")) {
                JsonNode report = image.path("report");
                assertThat(report.path("image").path("id").asText()).isEqualTo(image.path("id").asText());
                assertThat(report.path("image").path("verification").path("configDigest").asText()).isEqualTo("verified");
                assertThat(report.at("/image/os/family").asText()).isEqualTo("alpine");
                assertThat(report.path("packages").size()).isGreaterThan(10);
                if (image.path("containers").size() == 3) {
                    image.path("containers").forEach(c -> baseUsers.add(c.asText()));
                }
            }
            assertThat(baseUsers).hasSize(3);
            for (JsonNode c : r.path("containers")) {
                assertThat(c.path("imageFindings").path("count").asInt()).as("%s", c).isGreaterThan(0);
            }
            // the whole audit gates on the image's findings too: the EOL Alpine raises a config finding
            assertThat(r.at("/summary/byCategory").has("runtime")).isTrue();
        }
    }

    @Test
    void failOnGatesTheRun() {
        Cli.Result r = Cli.run("container", "--docker-host", engine.host(), "--scanners", "runtime", "--format", "json",
                "--fail-on", "CRITICAL", engine.prefix() + "priv");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        Cli.Result ok = Cli.run("container", "--docker-host", engine.host(), "--scanners", "runtime", "--format", "json",
                "--fail-on", "LOW", engine.prefix() + "hardened");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
    }

    @Test
    void tableForTheContainers() {
        Cli.Result r = Cli.run("container", "--docker-host", engine.host(), "--scanners", "runtime", "--no-progress",
                engine.prefix() + "priv", engine.prefix() + "hardened");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Container " + engine.prefix() + "priv (").contains("RT-PRIVILEGED")
                .contains("Container " + engine.prefix() + "hardened (").contains("Runtime findings: none");
    }
}
