package dev.dockaudit.it;

import static dev.dockaudit.testing.TestImages.diffIds;
import static dev.dockaudit.testing.TestImages.reportDiffIds;
import static dev.dockaudit.testing.TestImages.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.Expect;
import dev.dockaudit.testing.ItEnv;
import dev.dockaudit.testing.Processes;
import dev.dockaudit.testing.TestImages;
import dev.dockaudit.testing.UnixSockets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code dockaudit digests} against the real dockerd: over its unix socket, over TCP with mutual TLS (in a child JVM
 * that reads DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH as users set them), and against daemons in
 * trouble. Every answer is compared with {@code docker image inspect} of the same image.
 */
class DaemonIT {
    private static final String TIMEOUT_PROPERTY = "dockaudit.engine.timeout.ms";
    private static String host;
    private static String app;

    @BeforeAll
    static void images() throws Exception {
        host = ItEnv.dockerHost();
        app = TestImages.app();
    }

    /** The report describes exactly the image docker inspect describes, and every digest verified. */
    static void assertSameImage(JsonNode report, JsonNode inspect) {
        JsonNode image = report.path("image");
        assertThat(image.path("id").asText()).isEqualTo(inspect.path("Id").asText());
        assertThat(strings(image.path("repoTags"))).containsExactlyInAnyOrderElementsOf(strings(inspect.path("RepoTags")));
        assertThat(strings(image.path("repoDigests")))
                .containsExactlyInAnyOrderElementsOf(strings(inspect.path("RepoDigests")));
        assertThat(reportDiffIds(report)).containsExactlyElementsOf(diffIds(inspect));
        assertThat(image.path("verification").path("configDigest").asText()).isEqualTo("verified");
        image.path("layers").forEach(l -> assertThat(l.path("verified").asBoolean()).as("layer %s", l).isTrue());
        assertThat(Expect.ids(report)).noneMatch(id -> id.startsWith("INT-") && !id.equals("INT-TAG-NOT-PINNED")
                && !id.startsWith("INT-REGISTRY"));
    }

    @Test
    void byNameOverTheUnixSocketMatchesDockerInspect() throws Exception {
        JsonNode inspect = TestImages.inspect(app);
        JsonNode report = Expect.report(Cli.run("digests", "docker-daemon:" + app, "--docker-host", host, "--format", "json"), 0);

        assertSameImage(report, inspect);
        assertThat(report.path("target").path("source").asText()).isEqualTo("docker-daemon");
        JsonNode layers = report.path("image").path("layers");
        assertThat(layers).hasSize(4);
        // the build steps come along with the layers they made
        assertThat(layers.get(1).path("createdBy").asText()).contains("mkdir -p /opt/app");
        assertThat(layers.get(2).path("createdBy").asText()).contains("COPY file:");
        assertThat(layers.get(3).path("createdBy").asText()).contains("rm /opt/app/tmp.key");
        // a tag is not a pin
        assertThat(Expect.finding(report, "INT-TAG-NOT-PINNED").path("severity").asText()).isEqualTo("LOW");
    }

    @Test
    void bareNameGoesToTheDaemonThatHasIt() throws Exception {
        // --offline: the answer cannot have come from a registry
        JsonNode report = Expect.report(Cli.run("digests", app, "--docker-host", host, "--offline", "--format", "json"), 0);
        assertSameImage(report, TestImages.inspect(app));
        assertThat(report.path("target").path("source").asText()).isEqualTo("docker-daemon");
    }

    @Test
    void byImageIdAndShortId() throws Exception {
        JsonNode inspect = TestImages.inspect(app);
        String id = inspect.path("Id").asText();
        String hex = id.substring("sha256:".length());
        for (String ref : List.of(id, hex, hex.substring(0, 12))) {
            for (String typed : List.of("docker-daemon:" + ref, ref)) {
                Cli.Result r = Cli.run("digests", typed, "--docker-host", host, "--offline", "--format", "json");
                JsonNode report = Expect.report(r, 0);
                assertSameImage(report, inspect);
                // an ID is a pin: no tag finding
                assertThat(Expect.ids(report)).as(typed).doesNotContain("INT-TAG-NOT-PINNED");
            }
        }
    }

    @Test
    void repoDigestsAfterAPushToTheRegistry() throws Exception {
        String pushed = ItEnv.registryPlain() + "/da-dmn/pushed:" + TestImages.RUN;
        TestImages.docker().run("tag", app, pushed);
        TestImages.remember(pushed);
        TestImages.docker().run("push", pushed);
        JsonNode inspect = TestImages.inspect(pushed);
        List<String> repoDigests = strings(inspect.path("RepoDigests"));
        assertThat(repoDigests).anyMatch(d -> d.startsWith(ItEnv.registryPlain() + "/da-dmn/pushed@sha256:"));

        JsonNode report = Expect.report(Cli.run("digests", "docker-daemon:" + pushed, "--docker-host", host, "--format", "json"), 0);
        assertSameImage(report, inspect);
        // the pin suggested is the digest of the same repository
        String pin = repoDigests.stream().filter(d -> d.startsWith(ItEnv.registryPlain() + "/da-dmn/pushed@")).findFirst().orElseThrow();
        assertThat(Expect.finding(report, "INT-TAG-NOT-PINNED").path("remediation").asText()).contains(pin);
    }

    @Test
    void overTcpWithMutualTlsFromTheEnvironment() throws Exception {
        JsonNode inspect = TestImages.inspect(app);
        Cli.Result r = Cli.runJar(tlsEnv(ItEnv.get("DOCKAUDIT_IT_DOCKER_CERT_PATH")), 120,
                "digests", "docker-daemon:" + app, "--format", "json");
        assertSameImage(Expect.report(r, 0), inspect);
        assertThat(r.err()).isEmpty();

        // --docker-host beats DOCKER_HOST; TLS settings still come from the environment
        Map<String, String> env = tlsEnv(ItEnv.get("DOCKAUDIT_IT_DOCKER_CERT_PATH"));
        env.put("DOCKER_HOST", "unix:///nonexistent/docker.sock");
        Cli.Result byOption = Cli.runJar(env, 120, "digests", inspect.path("Id").asText().substring(7, 19),
                "--docker-host", ItEnv.get("DOCKAUDIT_IT_DOCKER_TLS_HOST"), "--offline", "--format", "json");
        assertSameImage(Expect.report(byOption, 0), inspect);
    }

    @Test
    void tlsWithTheWrongCaIsAClearError() throws Exception {
        Path dir = TestImages.tempDir("wrong-ca");
        Path real = Path.of(ItEnv.get("DOCKAUDIT_IT_DOCKER_CERT_PATH"));
        Files.copy(real.resolve("cert.pem"), dir.resolve("cert.pem"));
        Files.copy(real.resolve("key.pem"), dir.resolve("key.pem"));
        Processes.check(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                "/CN=not-the-daemons-ca", "-keyout", dir.resolve("ca.key").toString(), "-out", dir.resolve("ca.pem").toString()),
                Map.of());
        Cli.Result r = Cli.runJar(tlsEnv(dir.toString()), 120, "digests", "docker-daemon:" + app);
        Expect.userError(r, "TLS to the Docker daemon at " + ItEnv.get("DOCKAUDIT_IT_DOCKER_TLS_HOST"),
                "the daemon's certificate is not signed by the CA in " + dir.resolve("ca.pem"), "DOCKER_CERT_PATH");
    }

    @Test
    void tlsWithoutCertificatesIsAClearError() throws Exception {
        Path empty = TestImages.tempDir("no-certs");
        Expect.userError(Cli.runJar(tlsEnv(empty.toString()), 120, "digests", "docker-daemon:" + app),
                "DOCKER_TLS_VERIFY is set but " + empty.resolve("ca.pem") + " is missing", "DOCKER_CERT_PATH");

        // only the CA: the daemon (--tlsverify) refuses a client without a certificate
        Path caOnly = TestImages.tempDir("ca-only");
        Files.copy(Path.of(ItEnv.get("DOCKAUDIT_IT_DOCKER_CERT_PATH"), "ca.pem"), caOnly.resolve("ca.pem"));
        Expect.userError(Cli.runJar(tlsEnv(caOnly.toString()), 120, "digests", "docker-daemon:" + app),
                "wants a client certificate", caOnly + " has no cert.pem and key.pem");
    }

    @Test
    void plainHttpToTheTlsPortSaysToTurnOnTls() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_HOST", ItEnv.get("DOCKAUDIT_IT_DOCKER_TLS_HOST"));
        env.put("DOCKER_TLS_VERIFY", "");
        env.put("DOCKER_TLS", "");
        Expect.userError(Cli.runJar(env, 120, "digests", "docker-daemon:" + app), "speaks TLS only",
                "DOCKER_TLS_VERIFY=1");
    }

    @Test
    void noDaemonAtThatSocket() {
        Path none = TestImages.tempDir("no-daemon").resolve("docker.sock");
        Expect.userError(Cli.run("digests", "docker-daemon:" + app, "--docker-host", "unix://" + none),
                none + " does not exist", "--docker-host");
    }

    @Test
    void staleSocketOfADeadDaemon() throws Exception {
        Path stale = UnixSockets.stale(TestImages.tempDir("stale").resolve("docker.sock"));
        Expect.userError(Cli.run("digests", "docker-daemon:" + app, "--docker-host", "unix://" + stale),
                "cannot reach the Docker daemon at unix://" + stale, "Connection refused");
    }

    @Test
    @Timeout(120) // a regression must fail, not hang the build
    void daemonThatAcceptsButNeverAnswersTimesOut() throws Exception {
        try (UnixSockets.Server silent = UnixSockets.silent(TestImages.tempDir("silent").resolve("docker.sock"))) {
            assertTimesOut(() -> Cli.run("digests", "docker-daemon:" + app, "--docker-host", silent.dockerHost()));
            // a bare name asks the daemon first: it must not hang there either (and --offline keeps the registry out)
            assertTimesOut(() -> Cli.run("digests", app, "--docker-host", silent.dockerHost(), "--offline"));
        }
    }

    @Test
    @Timeout(120) // a regression must fail, not hang the build
    void daemonThatNoLongerAcceptsConnectionsTimesOut() throws Exception {
        // A blocking connect() on a unix socket with a full backlog waits forever; this used to hang dockaudit.
        try (UnixSockets.Server full = UnixSockets.backlogFull(TestImages.tempDir("backlog").resolve("docker.sock"))) {
            assertTimesOut(() -> Cli.run("digests", "docker-daemon:" + app, "--docker-host", full.dockerHost()));
        }
    }

    @Test
    @Timeout(120) // a regression must fail, not hang the build
    void daemonThatStallsInTheMiddleOfTheExportTimesOut() throws Exception {
        Path upstream = Path.of(host.substring("unix://".length()));
        JsonNode inspect = TestImages.inspect(app);
        // the proxy itself is transparent ...
        try (UnixSockets.Server proxy = UnixSockets.stallingProxy(TestImages.tempDir("proxy").resolve("docker.sock"),
                upstream, "/get", Long.MAX_VALUE)) {
            assertSameImage(Expect.report(Cli.run("digests", "docker-daemon:" + app, "--docker-host", proxy.dockerHost(),
                    "--format", "json"), 0), inspect);
        }
        // ... so when it stops forwarding 1 MiB into the export, the daemon is what stalled
        try (UnixSockets.Server proxy = UnixSockets.stallingProxy(TestImages.tempDir("proxy").resolve("docker.sock"),
                upstream, "/get", 1 << 20)) {
            String err = assertTimesOut(() -> Cli.run("digests", "docker-daemon:" + app, "--docker-host", proxy.dockerHost()));
            assertThat(err).doesNotContain("corrupt").doesNotContain("not a readable tar");
        }
    }

    @Test
    void noSuchImage() {
        String missing = "da-dmn/missing:" + TestImages.RUN;
        Expect.userError(Cli.run("digests", "docker-daemon:" + missing, "--docker-host", host),
                "Docker daemon at " + host + " has no image '" + missing + "'", "docker pull " + missing);
        Expect.userError(Cli.run("digests", missing, "--docker-host", host, "--offline"),
                "the daemon has no image '" + missing + "'", "--offline");
    }

    @Test
    void largeLayerStartingWithABracketIsALayerNotJson() throws Exception {
        String bracket = TestImages.bracket();
        JsonNode report = Expect.report(Cli.run("digests", "docker-daemon:" + bracket, "--docker-host", host, "--format", "json"), 0);
        assertSameImage(report, TestImages.inspect(bracket));
        assertThat(report.path("image").path("layers").get(1).path("size").asLong()).isGreaterThan(16L << 20);
    }

    @Test
    void remoteDriftBetweenTheDaemonAndTheRegistry() throws Exception {
        String tag = ItEnv.registryPlain() + "/da-dmn/drift:" + TestImages.RUN;
        TestImages.docker().run("tag", app, tag);
        TestImages.remember(tag);
        TestImages.docker().run("push", tag);
        JsonNode pushedImage = TestImages.inspect(tag);
        String pushedDigest = strings(pushedImage.path("RepoDigests")).stream()
                .filter(d -> d.startsWith(ItEnv.registryPlain() + "/da-dmn/drift@")).findFirst().orElseThrow()
                .replaceFirst(".*@", "");

        JsonNode inSync = Expect.report(Cli.run("digests", "docker-daemon:" + tag, "--docker-host", host, "--remote",
                "--format", "json"), 0);
        // (other tests may have pushed the same image under more tags: pick this tag's finding)
        JsonNode sync = Expect.findings(inSync, "INT-REGISTRY-IN-SYNC").stream()
                .filter(f -> f.path("title").asText().startsWith(tag + " ")).findFirst().orElseThrow(
                        () -> new AssertionError("no INT-REGISTRY-IN-SYNC for " + tag + " in " + inSync.path("findings")));
        assertThat(sync.path("evidence").asText()).contains(pushedDigest).contains(pushedImage.path("Id").asText());
        assertThat(Expect.ids(inSync)).doesNotContain("INT-REGISTRY-DRIFT");
        // the image's other tag (da-dmn/app:…, i.e. Docker Hub) cannot be compared here; that is a note, not a failure
        assertThat(Expect.notes(inSync)).anyMatch(n -> n.contains("could not compare " + app));

        // rebuild: the tag now names different content locally than in the registry
        Path ctx = TestImages.tempDir("drift-context");
        Files.writeString(ctx.resolve("Dockerfile"), "FROM " + app + "\nRUN echo rebuilt-" + TestImages.RUN + " > /rebuilt\n");
        TestImages.build(ctx, tag);
        JsonNode rebuilt = TestImages.inspect(tag);
        assertThat(rebuilt.path("Id").asText()).isNotEqualTo(pushedImage.path("Id").asText());

        JsonNode drifted = Expect.report(Cli.run("digests", "docker-daemon:" + tag, "--docker-host", host, "--remote",
                "--format", "json"), 0);
        assertSameImage(drifted, rebuilt);
        JsonNode drift = Expect.finding(drifted, "INT-REGISTRY-DRIFT");
        assertThat(drift.path("severity").asText()).isEqualTo("MEDIUM");
        assertThat(drift.path("title").asText()).contains(tag);
        assertThat(drift.path("evidence").asText()).contains("local " + rebuilt.path("Id").asText())
                .contains("registry " + pushedDigest);
        assertThat(drift.path("description").asText()).contains("image ID " + pushedImage.path("Id").asText());
        assertThat(Expect.ids(drifted)).doesNotContain("INT-REGISTRY-IN-SYNC");
    }

    private static Map<String, String> tlsEnv(String certPath) {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_HOST", ItEnv.get("DOCKAUDIT_IT_DOCKER_TLS_HOST"));
        env.put("DOCKER_TLS_VERIFY", "1");
        env.put("DOCKER_CERT_PATH", certPath);
        return env;
    }

    /** Runs with a 1.5 s engine timeout: exit 2 with the timeout named, well before any hang would be noticed. */
    private static String assertTimesOut(java.util.function.Supplier<Cli.Result> run) {
        String before = System.getProperty(TIMEOUT_PROPERTY);
        System.setProperty(TIMEOUT_PROPERTY, "1500");
        long start = System.nanoTime();
        try {
            Cli.Result r = run.get();
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertThat(seconds).as("seconds until dockaudit gave up").isLessThan(20);
            return Expect.userError(r, "did not answer in 1.5 s");
        } finally {
            if (before == null) {
                System.clearProperty(TIMEOUT_PROPERTY);
            } else {
                System.setProperty(TIMEOUT_PROPERTY, before);
            }
        }
    }
}
