package dev.dockaudit.it;

import static dev.dockaudit.testing.Reports.assertUserError;
import static dev.dockaudit.testing.Reports.finding;
import static dev.dockaudit.testing.Reports.findingIds;
import static dev.dockaudit.testing.Reports.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.dockaudit.testing.ChildJvm;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.DockerConfigDir;
import dev.dockaudit.testing.DualProtocolServer;
import dev.dockaudit.testing.FakeServer;
import dev.dockaudit.testing.FakeServer.Reply;
import dev.dockaudit.testing.FakeServer.Request;
import dev.dockaudit.testing.ItEnv;
import dev.dockaudit.testing.Oci;
import dev.dockaudit.testing.Oci.Blob;
import dev.dockaudit.testing.Oci.IndexEntry;
import dev.dockaudit.testing.Oci.LayerBlob;
import dev.dockaudit.testing.RegistryPush;
import dev.dockaudit.testing.RegistryPush.Pushed;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Pem;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registries that misbehave: a real HTTP server in the test ({@link FakeServer}) stands in front of the real
 * plain (or basic-auth) registry and answers exactly one kind of request wrongly: rate limits, server errors,
 * missing blobs, auth challenges, cross-host redirects, stalls, truncation, flipped bytes and swapped
 * manifests. Each case checks the exit code, the one error line or the integrity finding, and what the
 * server saw (request counts, timing, headers).
 */
class RegistryFaultsIT {
    private static final String REPO = "da-reg/faults";

    @TempDir
    static Path tmp;

    static String plain;
    static String run;
    static String tag;
    /** Alpine (gzip, 3.4 MB: big enough to stall in the middle) and a small uncompressed tar. */
    static Pushed image;
    /** The same layers, another config: a different image to swap in. */
    static Pushed other;
    static Pushed arm64;
    static Blob index;

    private final List<FakeServer> servers = new ArrayList<>();

    @BeforeAll
    static void pushImages() throws Exception {
        plain = ItEnv.registryPlain();
        run = "run-" + UUID.randomUUID().toString().substring(0, 8);
        tag = run;
        RegistryPush push = RegistryPush.anonymous(plain);
        byte[] gz = Files.readAllBytes(Cli.project("src/test/resources/realdata/images/alpine-minirootfs-3.18.9-x86_64.tar.gz"));
        LayerBlob alpine = LayerBlob.ofGzipFile(gz, Oci.DOCKER_LAYER_GZIP);
        LayerBlob tar = LayerBlob.plain(Oci.tar(Oci.files("etc/faults.txt", "faults " + run), List.of("etc/motd")),
                Oci.DOCKER_LAYER_TAR);
        List<LayerBlob> layers = List.of(alpine, tar);
        Blob config = Oci.config(Oci.DOCKER_CONFIG, "linux", "amd64", null, layers, List.of("ADD rootfs /", "ADD faults"),
                Map.of("dev.dockaudit.test.marker", "aaaaaaaa", "dev.dockaudit.test.run", run));
        image = push.image(REPO, tag, Oci.manifest(Oci.DOCKER_MANIFEST, config, layers), config, layers);
        Blob otherConfig = Oci.config(Oci.DOCKER_CONFIG, "linux", "amd64", null, layers, List.of("ADD rootfs /", "ADD other"),
                Map.of("dev.dockaudit.test.run", run));
        other = push.image(REPO, "other-" + run, Oci.manifest(Oci.DOCKER_MANIFEST, otherConfig, layers), otherConfig, layers);
        Blob armConfig = Oci.config(Oci.DOCKER_CONFIG, "linux", "arm64", "v8", layers, List.of("ADD rootfs /", "ADD arm"),
                Map.of("dev.dockaudit.test.run", run));
        arm64 = push.image(REPO, null, Oci.manifest(Oci.DOCKER_MANIFEST, armConfig, layers), armConfig, layers);
        index = Oci.index(Oci.DOCKER_LIST, List.of(new IndexEntry(image.manifest(), "linux", "amd64", null),
                new IndexEntry(arm64.manifest(), "linux", "arm64", "v8")));
        push.manifest(REPO, "list-" + run, index);
    }

    @AfterEach
    void stopServers() {
        servers.forEach(FakeServer::close);
    }

    private FakeServer proxy(String upstream) throws IOException {
        FakeServer s = FakeServer.start(upstream);
        servers.add(s);
        return s;
    }

    private static String ref(FakeServer s) {
        return "docker://" + s.hostPort() + "/" + REPO + ":" + tag;
    }

    private static boolean isManifest(HttpExchange ex) {
        return ex.getRequestMethod().equals("GET") && ex.getRequestURI().getPath().startsWith("/v2/" + REPO + "/manifests/");
    }

    private static boolean isBlob(HttpExchange ex, Digest d) {
        return ex.getRequestMethod().equals("GET") && ex.getRequestURI().getPath().equals("/v2/" + REPO + "/blobs/" + d);
    }

    private static Digest layer(int i) {
        return image.layers().get(i).blob().digest();
    }

    private static List<Request> gets(FakeServer s, String pathPart) {
        return s.requests(r -> r.method().equals("GET") && r.path().contains(pathPart));
    }

    /** Runs the CLI in-process with registry system properties set for this run only. */
    private static Cli.Result runWith(Map<String, String> props, String... args) {
        Map<String, String> old = new HashMap<>();
        props.forEach((k, v) -> {
            old.put(k, System.getProperty(k));
            System.setProperty(k, v);
        });
        try {
            return Cli.run(args);
        } finally {
            old.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }

    /** A child dockaudit (for its own DOCKER_CONFIG) with the same short backoff and timeouts as {@link #FAST}. */
    private static Cli.Result child(DockerConfigDir cfg, String... args) throws IOException, InterruptedException {
        return ChildJvm.runJar(cfg.env(), List.of("-Ddockaudit.registry.backoffMillis=20",
                "-Ddockaudit.registry.timeoutMillis=1500"), 120, args);
    }

    private static final Map<String, String> FAST = Map.of("dockaudit.registry.backoffMillis", "20",
            "dockaudit.registry.timeoutMillis", "1500");

    /** The report of an untouched run through {@code s}: every digest as pushed. */
    private static void assertIntact(JsonNode report) {
        JsonNode img = report.path("image");
        assertThat(img.path("id").asText()).isEqualTo(image.imageId().toString());
        assertThat(img.path("manifestDigest").asText()).isEqualTo(image.manifestDigest().toString());
        assertThat(img.path("verification").path("manifestDigest").asText()).isEqualTo("verified");
        JsonNode layers = img.path("layers");
        assertThat(layers).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(layers.get(i).path("digest").asText()).isEqualTo(layer(i).toString());
            assertThat(layers.get(i).path("diffId").asText()).isEqualTo(image.layers().get(i).diffId().toString());
            assertThat(layers.get(i).path("verified").asBoolean()).isTrue();
        }
        assertThat(findingIds(report, "CRITICAL")).isEmpty();
        assertThat(findingIds(report, "HIGH")).isEmpty();
    }

    // ---- retries ----

    @Test
    void rateLimitWithRetryAfterIsWaitedOutThenServed() throws Exception {
        AtomicInteger limited = new AtomicInteger();
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isManifest(ex) && limited.getAndIncrement() == 0) {
                FakeServer.send(ex, 429, Map.of("Retry-After", "1", "Content-Type", "application/json"),
                        "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}".getBytes());
                return true;
            }
            return false;
        });
        JsonNode report = json(runWith(FAST, "digests", ref(s), "--format", "json"), 0);
        assertIntact(report);
        List<Request> manifests = gets(s, "/manifests/");
        assertThat(manifests).hasSize(2);
        // it honoured Retry-After (1 s) rather than its own 20 ms backoff
        long gapMillis = (manifests.get(1).nanos() - manifests.get(0).nanos()) / 1_000_000;
        assertThat(gapMillis).isBetween(950L, 5_000L);
    }

    @Test
    void retryAfterAsAnHttpDateOnABlob() throws Exception {
        AtomicInteger limited = new AtomicInteger();
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isBlob(ex, layer(1)) && limited.getAndIncrement() == 0) {
                String when = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2));
                FakeServer.send(ex, 503, Map.of("Retry-After", when), new byte[0]);
                return true;
            }
            return false;
        });
        assertIntact(json(runWith(FAST, "digests", ref(s), "--format", "json"), 0));
        List<Request> blobs = gets(s, "/blobs/" + layer(1));
        assertThat(blobs).hasSize(2);
        // an HTTP date has whole seconds: the wait is between 1 and 2 s
        assertThat((blobs.get(1).nanos() - blobs.get(0).nanos()) / 1_000_000).isBetween(900L, 5_000L);
    }

    @Test
    void retryAfterLongerThanWeWaitFailsAtOnce() throws Exception {
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isManifest(ex)) {
                FakeServer.send(ex, 503, Map.of("Retry-After", "3600"), new byte[0]);
                return true;
            }
            return false;
        });
        long t0 = System.nanoTime();
        assertUserError(runWith(FAST, "digests", ref(s)), s.hostPort(), "HTTP 503", "3600", "try again later");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
        assertThat(gets(s, "/manifests/")).hasSize(1);
    }

    @Test
    void serverErrorForeverGivesUpAfterTheRetries() throws Exception {
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isManifest(ex)) {
                FakeServer.send(ex, 500, Map.of("Content-Type", "text/plain"), "database on fire".getBytes());
                return true;
            }
            return false;
        });
        long t0 = System.nanoTime();
        assertUserError(runWith(FAST, "digests", ref(s)), s.hostPort() + " failed with HTTP 500", "after 4 retries",
                "database on fire", "try again later");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
        assertThat(gets(s, "/manifests/")).hasSize(5);
    }

    @Test
    void blobServerErrorForeverGivesUpAfterTheRetries() throws Exception {
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isBlob(ex, layer(0))) {
                FakeServer.send(ex, 502, Map.of(), new byte[0]);
                return true;
            }
            return false;
        });
        assertUserError(runWith(FAST, "digests", ref(s)), "failed with HTTP 502", "/blobs/" + layer(0),
                "after 4 retries", "try again later");
        assertThat(gets(s, "/blobs/" + layer(0))).hasSize(5);
    }

    @Test
    void oneServerErrorOnABlobIsRetried() throws Exception {
        AtomicInteger failed = new AtomicInteger();
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isBlob(ex, layer(0)) && failed.getAndIncrement() == 0) {
                FakeServer.send(ex, 500, Map.of(), new byte[0]);
                return true;
            }
            return false;
        });
        assertIntact(json(runWith(FAST, "digests", ref(s), "--format", "json"), 0));
        assertThat(gets(s, "/blobs/" + layer(0))).hasSize(2);
    }

    // ---- 404 ----

    @Test
    void missingBlobExitsTwo() throws Exception {
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isBlob(ex, layer(1))) {
                FakeServer.send(ex, 404, Map.of("Content-Type", "application/json"),
                        "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\"}]}".getBytes());
                return true;
            }
            return false;
        });
        assertUserError(runWith(FAST, "digests", ref(s)), "has no blob " + layer(1), "BLOB_UNKNOWN");
        assertThat(gets(s, "/blobs/" + layer(1))).hasSize(1);
    }

    @Test
    void otherClientErrorsSayWhatToDo() throws Exception {
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isManifest(ex)) {
                FakeServer.send(ex, 400, Map.of("Content-Type", "application/json"),
                        "{\"errors\":[{\"code\":\"NAME_INVALID\",\"message\":\"invalid repository name\"}]}".getBytes());
                return true;
            }
            return false;
        });
        String line = assertUserError(runWith(FAST, "digests", ref(s)), "HTTP 400", "NAME_INVALID");
        assertThat(line).as("says what to do").containsPattern("; (check|try|pass|run)");
    }

    // ---- 401 / 403 ----

    /** A registry that answers everything with 401 and this challenge. */
    private FakeServer challenging(String challenge) throws IOException {
        FakeServer s = proxy(null);
        return s.behave((ex, srv) -> {
            FakeServer.send(ex, 401, Map.of("WWW-Authenticate", challenge, "Content-Type", "application/json"),
                    "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}".getBytes());
            return true;
        });
    }

    @Test
    void basicChallengeWithoutCredentialsSaysToLogIn() throws Exception {
        FakeServer s = challenging("Basic realm=\"fake\"");
        DockerConfigDir cfg = new DockerConfigDir(Files.createDirectories(tmp.resolve("401-none")));
        assertUserError(child(cfg, "digests", ref(s)), s.hostPort() + " requires a login",
                "run docker login " + s.hostPort());
        assertThat(s.requests(r -> r.authorization() != null)).isEmpty();
    }

    @Test
    void basicChallengeRejectingTheCredentials() throws Exception {
        FakeServer s = challenging("Basic realm=\"fake\", charset=\"UTF-8\"");
        DockerConfigDir cfg = new DockerConfigDir(Files.createDirectories(tmp.resolve("401-rejected")))
                .auth(s.hostPort(), "testuser", "pa:ss wörd");
        assertUserError(child(cfg, "digests", ref(s)), s.hostPort() + " rejected the credentials of testuser",
                "check the password", "docker login " + s.hostPort());
        // it sent the stored login, once, and did not loop
        List<Request> authed = s.requests(r -> r.authorization() != null);
        assertThat(authed).hasSize(1);
        assertThat(authed.get(0).authorization()).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                "testuser:pa:ss wörd".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void bearerTokenFlowThroughAProxy() throws Exception {
        // The proxy asks for a bearer token from its own /token endpoint and forwards authorised requests to the
        // real registry: the token is requested for the repository's pull scope with the stored login, and sent
        // only as "Bearer" to the registry.
        DockerConfigDir cfg = new DockerConfigDir(Files.createDirectories(tmp.resolve("bearer")));
        FakeServer s = proxy(plain);
        cfg.auth(s.hostPort(), ItEnv.user(), ItEnv.password());
        String realm = "http://" + s.hostPort() + "/token";
        s.behave((ex, srv) -> {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/token")) {
                // only access_token, as OAuth2 servers answer
                FakeServer.send(ex, 200, Map.of("Content-Type", "application/json"),
                        "{\"access_token\":\"tok-123\",\"expires_in\":300}".getBytes());
                return true;
            }
            if (!"Bearer tok-123".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                String scope = path.startsWith("/v2/" + REPO + "/") ? ",scope=\"repository:" + REPO + ":pull\"" : "";
                FakeServer.send(ex, 401, Map.of("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"fake, registry\""
                        + scope), new byte[0]);
                return true;
            }
            return false;
        });
        assertIntact(json(child(cfg, "digests", ref(s), "--format", "json"), 0));
        List<Request> tokens = gets(s, "/token");
        assertThat(tokens).hasSize(1);
        assertThat(tokens.get(0).query()).contains("service=fake%2C+registry").contains("scope=repository%3A"
                + REPO.replace("/", "%2F") + "%3Apull");
        assertThat(tokens.get(0).authorization()).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                (ItEnv.user() + ":" + ItEnv.password()).getBytes(StandardCharsets.UTF_8)));
        // every registry request after the first challenge carried the token, never the password
        assertThat(s.requests(r -> r.path().startsWith("/v2/") && r.authorization() != null))
                .allMatch(r -> r.authorization().equals("Bearer tok-123"))
                .hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void bearerTokenThatTheRegistryRefuses() throws Exception {
        FakeServer s = proxy(null);
        String realm = "http://" + s.hostPort() + "/token";
        s.behave((ex, srv) -> {
            if (ex.getRequestURI().getPath().equals("/token")) {
                FakeServer.send(ex, 200, Map.of(), "{\"token\":\"useless\"}".getBytes());
            } else {
                FakeServer.send(ex, 401, Map.of("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"fake\""),
                        new byte[0]);
            }
            return true;
        });
        assertUserError(runWith(FAST, "digests", ref(s)), s.hostPort() + " requires authentication", "run docker login");
        // one token, one retry with it: no loop
        assertThat(gets(s, "/token")).hasSize(1);
        assertThat(s.requests(r -> "Bearer useless".equals(r.authorization()))).hasSize(1);
    }

    @Test
    void unknownAuthSchemeExitsTwo() throws Exception {
        FakeServer s = challenging("Negotiate");
        assertUserError(runWith(FAST, "digests", ref(s)), "'Negotiate' authentication", "Basic", "Bearer");
    }

    @Test
    void forbiddenExitsTwo() throws Exception {
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isManifest(ex)) {
                FakeServer.send(ex, 403, Map.of("Content-Type", "application/json"),
                        "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}"
                                .getBytes());
                return true;
            }
            return false;
        });
        assertUserError(runWith(FAST, "digests", ref(s)), s.hostPort() + " denied access", "DENIED",
                "check that your login may pull it");
    }

    // ---- redirects ----

    @Test
    void blobRedirectToAnotherHostGetsNoAuthorization() throws Exception {
        // The registry (basic auth, through a proxy) redirects blob GETs to "storage" on another host:port, which
        // must not see the registry password. The storage fetches the blob from the real registry itself.
        String basic = ItEnv.registryBasic();
        RegistryPush.basic(basic, ItEnv.user(), ItEnv.password()).image(REPO, tag, image.manifest(), image.config(),
                image.layers());
        String storageAuth = "Basic " + Base64.getEncoder().encodeToString((ItEnv.user() + ":" + ItEnv.password())
                .getBytes(StandardCharsets.UTF_8));
        FakeServer storage = proxy(basic).behave((ex, srv) -> {
            String digest = ex.getRequestURI().getPath().replace("/storage/", "");
            // the storage's own access to the blobs, not the client's
            FakeServer.send(ex, srv.forward(ex, "/v2/" + REPO + "/blobs/" + digest, storageAuth));
            return true;
        });
        FakeServer registry = proxy(basic);
        registry.behave((ex, srv) -> {
            String path = ex.getRequestURI().getPath();
            if (ex.getRequestMethod().equals("GET") && path.startsWith("/v2/" + REPO + "/blobs/")
                    && ex.getRequestHeaders().getFirst("Authorization") != null) {
                String digest = path.substring(path.lastIndexOf('/') + 1);
                FakeServer.send(ex, 307, Map.of("Location", "http://localhost:" + storage.port() + "/storage/" + digest
                        + "?X-Amz-Signature=abc"), new byte[0]);
                return true;
            }
            return false;
        });
        DockerConfigDir cfg = new DockerConfigDir(Files.createDirectories(tmp.resolve("redirect")))
                .auth(registry.hostPort(), ItEnv.user(), ItEnv.password());
        assertIntact(json(child(cfg, "digests", ref(registry), "--format", "json"), 0));
        // config + two layers came from the storage, none with the client's Authorization
        List<Request> fromStorage = storage.requests();
        assertThat(fromStorage).extracting(Request::path).containsExactlyInAnyOrder("/storage/" + image.imageId(),
                "/storage/" + layer(0), "/storage/" + layer(1));
        assertThat(fromStorage).allMatch(r -> r.authorization() == null);
        // while the registry itself got the login
        assertThat(registry.requests(r -> r.path().contains("/manifests/") && r.authorization() != null)).isNotEmpty();
    }

    @Test
    void redirectFromHttpsToPlainHttpOnTheSameHostGetsNoAuthorization() throws Exception {
        // https://localhost:P redirects a blob to http://localhost:P: same host and port, but the password would
        // cross the network in clear text. (Go's client, and so docker, treats them as different addresses.)
        SSLContext tls = Pem.tlsContext(ItEnv.ca(), false, ItEnv.run().resolve("certs/server.crt"),
                ItEnv.run().resolve("certs/server.key"));
        String basicAuth = "Basic " + Base64.getEncoder().encodeToString((ItEnv.user() + ":" + ItEnv.password())
                .getBytes(StandardCharsets.UTF_8));
        int[] port = new int[1];
        try (DualProtocolServer server = new DualProtocolServer(tls, r -> {
            if (!r.tls()) {
                return new DualProtocolServer.Reply(404, Map.of(), new byte[0]);
            }
            if (!basicAuth.equals(r.header("Authorization"))) {
                return new DualProtocolServer.Reply(401, Map.of("WWW-Authenticate", "Basic realm=\"dual\""), new byte[0]);
            }
            if (r.target().contains("/manifests/")) {
                return new DualProtocolServer.Reply(200, Map.of("Content-Type", Oci.DOCKER_MANIFEST,
                        "Docker-Content-Digest", image.manifestDigest().toString()), image.manifest().bytes());
            }
            return new DualProtocolServer.Reply(307, Map.of("Location", "http://localhost:" + port[0] + r.target()),
                    new byte[0]);
        })) {
            port[0] = server.port();
            String host = "localhost:" + server.port();
            DockerConfigDir cfg = new DockerConfigDir(Files.createDirectories(tmp.resolve("downgrade")))
                    .auth(host, ItEnv.user(), ItEnv.password());
            Cli.Result r = child(cfg, "digests", "docker://" + host + "/" + REPO + ":" + tag, "--ca-cert",
                    ItEnv.ca().toString());
            // the TLS side saw the login; the plain side was asked, but never with it
            assertThat(server.requests()).anyMatch(q -> q.tls() && basicAuth.equals(q.header("Authorization")));
            List<DualProtocolServer.Request> plainText = server.requests().stream().filter(q -> !q.tls()).toList();
            assertThat(plainText).as("requests over plain HTTP\n%s", r).isNotEmpty();
            assertThat(plainText).allMatch(q -> q.header("Authorization") == null);
            assertUserError(r, "has no blob");
        }
    }

    @Test
    void redirectLoopExitsTwo() throws Exception {
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isManifest(ex)) {
                FakeServer.send(ex, 302, Map.of("Location", ex.getRequestURI().getPath()), new byte[0]);
                return true;
            }
            return false;
        });
        assertUserError(runWith(FAST, "digests", ref(s)), "redirected more than 5 times", "misconfigured");
        assertThat(gets(s, "/manifests/")).hasSize(6);
    }

    // ---- stalls and truncation ----

    private static void halfThen(HttpExchange ex, FakeServer srv, boolean stall) throws IOException {
        Reply r = srv.forward(ex);
        r.headers().forEach((k, v) -> {
            if (k.equalsIgnoreCase("Content-Type") || k.equalsIgnoreCase("Docker-Content-Digest")) {
                ex.getResponseHeaders().put(k, v);
            }
        });
        ex.sendResponseHeaders(200, r.body().length);
        OutputStream o = ex.getResponseBody();
        o.write(r.body(), 0, r.body().length / 2);
        o.flush();
        if (stall) {
            srv.awaitRelease(120);
        }
        // returning closes the exchange: for the truncation case the connection ends short of Content-Length
    }

    @Test
    void stallInTheMiddleOfALayerDoesNotHang() throws Exception {
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isBlob(ex, layer(0))) {
                halfThen(ex, srv, true);
                return true;
            }
            return false;
        });
        long t0 = System.nanoTime();
        Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(40), () -> runWith(FAST, "digests", ref(s)));
        assertUserError(r, s.hostPort(), "stalled", "no data for 1 s", "check the network and retry");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(15_000);
    }

    @Test
    void stallInTheMiddleOfAManifestDoesNotHang() throws Exception {
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isManifest(ex)) {
                halfThen(ex, srv, true);
                return true;
            }
            return false;
        });
        Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(40), () -> runWith(FAST, "digests", ref(s)));
        assertUserError(r, s.hostPort(), "stalled", "check the network and retry");
    }

    @Test
    void stallInTheMiddleOfTheConfigDoesNotHang() throws Exception {
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isBlob(ex, image.imageId())) {
                halfThen(ex, srv, true);
                return true;
            }
            return false;
        });
        Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(40), () -> runWith(FAST, "digests", ref(s)));
        assertUserError(r, s.hostPort(), "stalled", "check the network and retry");
    }

    @Test
    void serverThatNeverAnswersTimesOut() throws Exception {
        // accepts connections and reads, but never sends a byte
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String host = "127.0.0.1:" + silent.getLocalPort();
            long t0 = System.nanoTime();
            Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(40),
                    () -> runWith(FAST, "digests", "docker://" + host + "/" + REPO + ":" + tag));
            assertUserError(r, host, "did not answer in time", "check the network and retry");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(15_000);
            for (Socket sock : held) {
                sock.close();
            }
        }
    }

    @Test
    void stallingTokenServiceDoesNotHang() throws Exception {
        FakeServer s = proxy(null);
        String realm = "http://" + s.hostPort() + "/token";
        s.behave((ex, srv) -> {
            if (ex.getRequestURI().getPath().equals("/token")) {
                byte[] body = "{\"token\":\"never-finished\"}".getBytes();
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body, 0, 5);
                ex.getResponseBody().flush();
                srv.awaitRelease(120);
                return true;
            }
            FakeServer.send(ex, 401, Map.of("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"fake\""),
                    new byte[0]);
            return true;
        });
        Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(40), () -> runWith(FAST, "digests", ref(s)));
        assertUserError(r, "token", "check the network");
    }

    @Test
    void layerCutShortIsANetworkErrorNotTampering() throws Exception {
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isBlob(ex, layer(0))) {
                halfThen(ex, srv, false);
                return true;
            }
            return false;
        });
        Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(40), () -> runWith(FAST, "digests", ref(s)));
        assertUserError(r, s.hostPort(), "check the network and retry");
    }

    @Test
    void endlessLayerIsCutAtItsDeclaredSize() throws Exception {
        // A hostile registry streams a layer without end. Reading stops one byte past the size the (verified)
        // manifest declares, and the blob fails its digest, instead of reading forever.
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isBlob(ex, layer(1))) {
                ex.sendResponseHeaders(200, 0); // chunked, no length
                OutputStream o = ex.getResponseBody();
                byte[] chunk = new byte[1 << 16];
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (System.nanoTime() < deadline) {
                    o.write(chunk); // until the client hangs up
                }
                return true;
            }
            return false;
        });
        Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(40),
                () -> runWith(FAST, "digests", ref(s), "--format", "json"));
        JsonNode report = json(r, 1);
        JsonNode l1 = report.path("image").path("layers").get(1);
        assertThat(l1.path("verified").asBoolean()).isFalse();
        assertThat(l1.path("size").asLong()).isEqualTo(image.layers().get(1).blob().size() + 1);
        assertThat(findingIds(report, "CRITICAL")).contains("INT-LAYER-DIGEST");
    }

    @Test
    void credentialHelperThatNeverAnswersTimesOut() throws Exception {
        DockerConfigDir cfg = new DockerConfigDir(Files.createDirectories(tmp.resolve("helper-hangs")));
        FakeServer s = challenging("Basic realm=\"fake\"");
        cfg.credHelper(s.hostPort(), "dahang");
        Path helper = cfg.bin().resolve("docker-credential-dahang");
        Files.writeString(helper, "#!/bin/sh\n# waits like a helper stuck at a password prompt\nexec sleep 300\n");
        helper.toFile().setExecutable(true);
        long t0 = System.nanoTime();
        assertUserError(child(cfg, "digests", ref(s)), "docker-credential-dahang did not answer within 20 s", "check");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(60_000);
    }

    // ---- tampering ----

    private static byte[] flipMiddleByte(byte[] b) {
        byte[] copy = b.clone();
        copy[copy.length / 2] ^= 0x01;
        return copy;
    }

    @Test
    void flippedByteInAGzipLayerIsCritical() throws Exception {
        byte[] tampered = flipMiddleByte(image.layers().get(0).blob().bytes());
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isBlob(ex, layer(0))) {
                FakeServer.send(ex, srv.forward(ex).withBody(tampered));
                return true;
            }
            return false;
        });
        JsonNode report = json(runWith(FAST, "digests", ref(s), "--format", "json"), 1);
        JsonNode f = finding(report, "INT-LAYER-DIGEST");
        assertThat(f.path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(f.path("evidence").asText()).isEqualTo("expected " + layer(0) + ", computed " + Digest.sha256(tampered));
        assertThat(f.path("layer").asText()).isEqualTo(layer(0).toString());
        JsonNode l0 = report.path("image").path("layers").get(0);
        assertThat(l0.path("verified").asBoolean()).isFalse();
        assertThat(l0.path("computed").path("digest").asText()).isEqualTo(Digest.sha256(tampered).toString());
        // the other layer, the config and the manifest are still fine
        assertThat(report.path("image").path("layers").get(1).path("verified").asBoolean()).isTrue();
        assertThat(report.path("image").path("verification").path("configDigest").asText()).isEqualTo("verified");
        // the table report fails the same way
        Cli.Result table = runWith(FAST, "digests", ref(s));
        assertThat(table.exitCode()).as("%s", table).isEqualTo(1);
        assertThat(table.out()).contains("INT-LAYER-DIGEST").contains("CRITICAL");
        // the image command walks the broken gzip stream too: same finding, and --fail-on makes it exit 1
        JsonNode walked = json(runWith(FAST, "image", ref(s), "--fail-on", "CRITICAL", "--format", "json"), 1);
        assertThat(finding(walked, "INT-LAYER-DIGEST").path("evidence").asText())
                .isEqualTo("expected " + layer(0) + ", computed " + Digest.sha256(tampered));
    }

    @Test
    void flippedByteInAnUncompressedLayerFailsDigestAndDiffId() throws Exception {
        byte[] original = image.layers().get(1).blob().bytes();
        // flip a byte inside the file's content (after the 512-byte headers), keeping the tar readable
        byte[] tampered = original.clone();
        int at = new String(original, StandardCharsets.ISO_8859_1).indexOf("faults " + run);
        assertThat(at).isPositive();
        tampered[at] ^= 0x01;
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isBlob(ex, layer(1))) {
                FakeServer.send(ex, srv.forward(ex).withBody(tampered));
                return true;
            }
            return false;
        });
        JsonNode report = json(runWith(FAST, "digests", ref(s), "--format", "json"), 1);
        assertThat(findingIds(report, "CRITICAL")).contains("INT-LAYER-DIGEST", "INT-DIFF-ID");
        assertThat(finding(report, "INT-DIFF-ID").path("evidence").asText())
                .isEqualTo("expected " + image.layers().get(1).diffId() + ", computed " + Digest.sha256(tampered));
    }

    @Test
    void tamperedConfigIsCritical() throws Exception {
        byte[] config = image.config().bytes();
        String text = new String(config, StandardCharsets.UTF_8);
        byte[] tampered = text.replace("aaaaaaaa", "baaaaaaa").getBytes(StandardCharsets.UTF_8);
        assertThat(tampered).hasSameSizeAs(config).isNotEqualTo(config);
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isBlob(ex, image.imageId())) {
                FakeServer.send(ex, srv.forward(ex).withBody(tampered));
                return true;
            }
            return false;
        });
        JsonNode report = json(runWith(FAST, "digests", ref(s), "--format", "json"), 1);
        JsonNode f = finding(report, "INT-CONFIG-DIGEST");
        assertThat(f.path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(f.path("evidence").asText()).isEqualTo("expected " + image.imageId() + ", computed " + Digest.sha256(tampered));
    }

    @Test
    void configTamperedIntoInvalidJsonIsAFailedVerificationNotBadInput() throws Exception {
        // A flipped byte can hit the JSON's structure: that is still a config that fails its digest (exit 1 with
        // INT-CONFIG-DIGEST), not "corrupt input" (exit 2).
        byte[] tampered = image.config().bytes().clone();
        assertThat(tampered[0]).isEqualTo((byte) '{');
        tampered[0] ^= 0x01;
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isBlob(ex, image.imageId())) {
                FakeServer.send(ex, srv.forward(ex).withBody(tampered));
                return true;
            }
            return false;
        });
        JsonNode report = json(runWith(FAST, "digests", ref(s), "--format", "json"), 1);
        JsonNode f = finding(report, "INT-CONFIG-DIGEST");
        assertThat(f.path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(f.path("evidence").asText()).isEqualTo("expected " + image.imageId() + ", computed " + Digest.sha256(tampered));
        // the layers are still checked against the (verified) manifest
        JsonNode layers = report.path("image").path("layers");
        assertThat(layers).hasSize(2);
        assertThat(layers.get(0).path("computed").path("digest").asText()).isEqualTo(layer(0).toString());
        assertThat(findingIds(report, "CRITICAL")).containsExactly("INT-CONFIG-DIGEST");
    }

    @Test
    void manifestTamperedIntoInvalidJsonIsAFailedVerificationNotBadInput() throws Exception {
        byte[] garbled = image.manifest().bytes().clone();
        garbled[0] ^= 0x01;
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isManifest(ex)) {
                FakeServer.send(ex, srv.forward(ex).withBody(garbled));
                return true;
            }
            return false;
        });
        String byDigest = "docker://" + s.hostPort() + "/" + REPO + "@" + image.manifestDigest();
        JsonNode report = json(runWith(FAST, "digests", byDigest, "--format", "json"), 1);
        assertThat(finding(report, "INT-MANIFEST-DIGEST").path("evidence").asText())
                .isEqualTo("expected " + image.manifestDigest() + ", computed " + Digest.sha256(garbled));
        // by tag, the registry's Docker-Content-Digest header is what it fails against
        JsonNode byTag = json(runWith(FAST, "digests", ref(s), "--format", "json"), 1);
        assertThat(finding(byTag, "INT-MANIFEST-DIGEST").path("description").asText()).contains("Docker-Content-Digest");
    }

    @Test
    void differentManifestThanTheDigestAskedFor() throws Exception {
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isManifest(ex)) {
                // serves the other image's manifest, and lies in the header too
                FakeServer.send(ex, 200, Map.of("Content-Type", Oci.DOCKER_MANIFEST,
                        "Docker-Content-Digest", image.manifestDigest().toString()), other.manifest().bytes());
                return true;
            }
            return false;
        });
        String byDigest = "docker://" + s.hostPort() + "/" + REPO + "@" + image.manifestDigest();
        JsonNode report = json(runWith(FAST, "digests", byDigest, "--format", "json"), 1);
        JsonNode f = finding(report, "INT-MANIFEST-DIGEST");
        assertThat(f.path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(f.path("evidence").asText()).isEqualTo("expected " + image.manifestDigest() + ", computed "
                + other.manifestDigest());
        assertThat(f.path("description").asText()).contains("the reference");
        JsonNode img = report.path("image");
        assertThat(img.path("manifestDigest").asText()).isEqualTo(other.manifestDigest().toString());
        assertThat(img.path("verification").path("manifestDigest").asText()).isEqualTo("mismatch");
        // a manifest that fails its digest names nothing trustworthy: no config or layer was fetched
        assertThat(s.requests(r -> r.path().contains("/blobs/"))).isEmpty();
    }

    @Test
    void manifestThatDoesNotMatchTheRegistrysDigestHeader() throws Exception {
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isManifest(ex)) {
                Reply r = srv.forward(ex);
                // same JSON, one more space: a different digest than the header the registry sent
                byte[] body = new String(r.body(), StandardCharsets.UTF_8).replaceFirst("\\{", "{ ").getBytes(StandardCharsets.UTF_8);
                FakeServer.send(ex, r.withBody(body));
                return true;
            }
            return false;
        });
        JsonNode report = json(runWith(FAST, "digests", ref(s), "--format", "json"), 1);
        JsonNode f = finding(report, "INT-MANIFEST-DIGEST");
        assertThat(f.path("description").asText()).contains("Docker-Content-Digest");
        assertThat(f.path("evidence").asText()).startsWith("expected " + image.manifestDigest() + ", computed ");
    }

    @Test
    void indexEntryServedWithAnotherPlatformsManifest() throws Exception {
        FakeServer s = proxy(plain).behave((ex, srv) -> {
            if (isManifest(ex) && ex.getRequestURI().getPath().endsWith("/" + image.manifestDigest())) {
                FakeServer.send(ex, 200, Map.of("Content-Type", Oci.DOCKER_MANIFEST), arm64.manifest().bytes());
                return true;
            }
            return false;
        });
        String listRef = "docker://" + s.hostPort() + "/" + REPO + ":list-" + run;
        JsonNode report = json(runWith(FAST, "digests", listRef, "--format", "json"), 1);
        JsonNode f = finding(report, "INT-MANIFEST-DIGEST");
        assertThat(f.path("evidence").asText()).isEqualTo("expected " + image.manifestDigest() + ", computed "
                + arm64.manifestDigest());
        assertThat(f.path("description").asText()).contains("the image index");
        // untouched, the same list verifies
        JsonNode clean = json(runWith(FAST, "digests", "docker://" + plain + "/" + REPO + ":list-" + run, "--format", "json"), 0);
        assertThat(clean.path("image").path("manifestDigest").asText()).isEqualTo(image.manifestDigest().toString());
    }

    // ---- plain HTTP off loopback ----

    @Test
    void plainHttpOnANonLoopbackAddressNeedsInsecureRegistry() throws Exception {
        String address = nonLoopbackIpv4();
        FakeServer s = FakeServer.startOn(address, plain);
        servers.add(s);
        assertUserError(runWith(FAST, "digests", ref(s)), "the registry " + s.hostPort() + " speaks plain HTTP",
                "--insecure-registry " + s.hostPort());
        assertIntact(json(runWith(FAST, "digests", ref(s), "--insecure-registry", s.hostPort(), "--format", "json"), 0));
        // the host without the port is accepted too, as dockerd's --insecure-registry
        assertIntact(json(runWith(FAST, "digests", ref(s), "--insecure-registry", address, "--format", "json"), 0));
    }

    private static String nonLoopbackIpv4() throws IOException {
        for (NetworkInterface ni : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) {
                continue;
            }
            for (InetAddress a : java.util.Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a.getHostAddress();
                }
            }
        }
        throw new AssertionError("this machine has no non-loopback IPv4 address to test plain HTTP off loopback");
    }
}
