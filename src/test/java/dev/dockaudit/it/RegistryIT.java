package dev.dockaudit.it;

import static dev.dockaudit.testing.Reports.assertUserError;
import static dev.dockaudit.testing.Reports.findingIds;
import static dev.dockaudit.testing.Reports.json;
import static dev.dockaudit.testing.Reports.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.Docker;
import dev.dockaudit.testing.DockerConfigDir;
import dev.dockaudit.testing.ItEnv;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker://} against the real registries scripts/test-env runs (plain HTTP, htpasswd basic auth,
 * bearer tokens, TLS with a private CA): a multi-layer image that docker builds (on the real Alpine
 * minirootfs, with RUN, COPY and a deleted base file) and pushes, audited by dockaudit and checked against
 * what docker itself reports: image ID, RootFS.Layers (diff_ids), RepoDigests, the digest `docker push`
 * printed, `docker images --digests` and the layer digests and sizes of `docker manifest inspect`.
 */
class RegistryIT {
    private static final Pattern PUSHED = Pattern.compile("(?m)^\\S+: digest: (sha256:[0-9a-f]{64}) size: \\d+$");

    @TempDir
    static Path tmp;

    static Docker docker;
    static String run;
    static String plain;
    static String basic;
    static String token;
    static String tls;
    /** docker image inspect of the built image. */
    static JsonNode inspect;
    /** registry → the digest `docker push` printed there. */
    static final Map<String, String> pushed = new HashMap<>();
    /** `docker manifest inspect` of the plain registry's copy: the layer digests and sizes docker sees. */
    /**
     * What docker pushed to each registry. Docker reuses a compressed blob it already knows for a diff_id only
     * where it knows the blob exists, so the same image can carry different layer digests in two registries.
     */
    static final Map<String, JsonNode> dockerManifests = new HashMap<>();
    static final List<String> localTags = new ArrayList<>();

    @BeforeAll
    static void buildAndPush() throws Exception {
        plain = ItEnv.registryPlain();
        basic = ItEnv.registryBasic();
        token = ItEnv.registryToken();
        tls = ItEnv.registryTls();
        run = "run-" + UUID.randomUUID().toString().substring(0, 8);
        Path cliConfig = Files.createDirectories(tmp.resolve("docker-cli-config"));
        docker = Docker.testDaemon(cliConfig);

        String base = "da-reg/alpine-base:" + run;
        docker.run("import", Cli.project("src/test/resources/realdata/images/alpine-minirootfs-3.18.9-x86_64.tar.gz").toString(),
                base);
        localTags.add(base);
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("app.conf"), "listen=8080\nrun=" + run + "\n");
        Files.writeString(ctx.resolve("Dockerfile"), String.join("\n",
                "FROM " + base,
                "RUN echo hello > /hello.txt && mkdir -p /opt/app",
                "COPY app.conf /opt/app/app.conf",
                "RUN rm /etc/motd",
                "ENV GREETING=hi",
                "CMD [\"/bin/sh\"]", ""));
        String app = "da-reg/app:" + run;
        docker.run("build", "-q", "-t", app, ctx.toString());
        localTags.add(app);

        docker.login(basic, ItEnv.user(), ItEnv.password());
        docker.login(token, ItEnv.user(), ItEnv.password());
        for (String registry : List.of(plain, basic, token, tls)) {
            String ref = registry + "/da-reg/app:" + run;
            docker.run("tag", app, ref);
            localTags.add(ref);
            String out = docker.run("push", ref);
            Matcher m = PUSHED.matcher(out);
            assertThat(m.find()).as("docker push output:\n%s", out).isTrue();
            pushed.put(registry, m.group(1));
            dockerManifests.put(registry, Json.parse(docker.run("manifest", "inspect", "--insecure", ref)
                    .getBytes(StandardCharsets.UTF_8), "docker manifest inspect " + ref));
        }
        inspect = docker.inspectImage(plain + "/da-reg/app:" + run);
        // The image is what the Dockerfile says: the imported base plus three layers (RUN, COPY, RUN rm).
        assertThat(inspect.path("RootFS").path("Layers")).hasSize(4);
    }

    @AfterAll
    static void removeLocalImages() throws Exception {
        if (docker != null && !localTags.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("rmi", "--force"));
            args.addAll(localTags);
            docker.tryRun(args.toArray(new String[0]));
        }
    }

    private static String ref(String registry) {
        return "docker://" + registry + "/da-reg/app:" + run;
    }

    /** Everything docker reports about the image, compared with dockaudit's JSON report for {@code registry}. */
    private static void assertMatchesDocker(JsonNode report, String registry) {
        JsonNode image = report.path("image");
        assertThat(image.path("id").asText()).isEqualTo(inspect.path("Id").asText());
        assertThat(image.path("manifestDigest").asText()).isEqualTo(pushed.get(registry));
        assertThat(image.path("verification").path("configDigest").asText()).isEqualTo("verified");
        assertThat(image.path("verification").path("manifestDigest").asText()).isEqualTo("verified");
        assertThat(texts(image.path("repoDigests"))).containsExactly(registry + "/da-reg/app@" + pushed.get(registry));
        assertThat(texts(image.path("repoTags"))).containsExactly(registry + "/da-reg/app:" + run);
        assertThat(image.path("platform").asText()).isEqualTo("linux/amd64");

        JsonNode dockerLayers = dockerManifests.get(registry).path("layers");
        JsonNode diffIds = inspect.path("RootFS").path("Layers");
        JsonNode layers = image.path("layers");
        assertThat(layers).hasSize(diffIds.size());
        for (int i = 0; i < layers.size(); i++) {
            JsonNode l = layers.get(i);
            assertThat(l.path("index").asInt()).isEqualTo(i);
            assertThat(l.path("digest").asText()).as("layer %d digest", i).isEqualTo(dockerLayers.get(i).path("digest").asText());
            assertThat(l.path("size").asLong()).as("layer %d size", i).isEqualTo(dockerLayers.get(i).path("size").asLong());
            assertThat(l.path("mediaType").asText()).isEqualTo(dockerLayers.get(i).path("mediaType").asText());
            assertThat(l.path("diffId").asText()).as("layer %d diff_id", i).isEqualTo(diffIds.get(i).asText());
            assertThat(l.path("computed").path("digest").asText()).isEqualTo(l.path("digest").asText());
            assertThat(l.path("computed").path("diffId").asText()).isEqualTo(diffIds.get(i).asText());
            assertThat(l.path("compression").asText()).isEqualTo("gzip");
            assertThat(l.path("verified").asBoolean()).as("layer %d verified", i).isTrue();
        }
        assertThat(findingIds(report, "CRITICAL")).isEmpty();
        assertThat(findingIds(report, "HIGH")).isEmpty();
    }

    // ---- 1. anonymous pull from the plain HTTP registry ----

    @Test
    void plainRegistryDigestsMatchDocker() throws Exception {
        JsonNode report = json(Cli.run("digests", ref(plain), "--format", "json"), 0);
        assertMatchesDocker(report, plain);
        // docker's own view of the registry copy agrees on the repo digest
        assertThat(texts(inspect.path("RepoDigests"))).contains(plain + "/da-reg/app@" + pushed.get(plain));
        // (docker images prints <none> for the digest when filtered by REPO:TAG, so filter by the repository)
        assertThat(docker.run("images", "--digests", "--format", "{{.Tag}} {{.Digest}}", plain + "/da-reg/app").lines())
                .contains(run + " " + pushed.get(plain));
        // a tag is not a pin: the finding names the digest to pin to
        JsonNode pin = dev.dockaudit.testing.Reports.finding(report, "INT-TAG-NOT-PINNED");
        assertThat(pin.path("severity").asText()).isEqualTo("LOW");
        assertThat(pin.path("remediation").asText()).contains(plain + "/da-reg/app@" + pushed.get(plain));
    }

    @Test
    void plainRegistryByDigestIsVerifiedAgainstTheReference() {
        String byDigest = "docker://" + plain + "/da-reg/app@" + pushed.get(plain);
        JsonNode report = json(Cli.run("digests", byDigest, "--format", "json"), 0);
        JsonNode image = report.path("image");
        assertThat(image.path("id").asText()).isEqualTo(inspect.path("Id").asText());
        assertThat(image.path("manifestDigest").asText()).isEqualTo(pushed.get(plain));
        assertThat(image.path("verification").path("expectedManifestDigestFrom").asText()).isEqualTo("the reference");
        assertThat(image.path("verification").path("manifestDigest").asText()).isEqualTo("verified");
        assertThat(findingIds(report, null)).doesNotContain("INT-TAG-NOT-PINNED");
    }

    @Test
    void imageCommandReadsEveryLayerAndAgreesWithDocker() {
        JsonNode report = json(Cli.run("image", ref(plain), "--format", "json"), 0);
        assertMatchesDocker(report, plain);
        // the walk saw the entries of each layer; the last one holds just /etc and the whiteout of /etc/motd
        JsonNode layers = report.path("image").path("layers");
        for (JsonNode l : layers) {
            assertThat(l.path("computed").path("entries").asInt()).isPositive();
        }
        assertThat(layers.get(3).path("computed").path("entries").asInt()).isEqualTo(2);
        assertThat(layers.get(3).path("createdBy").asText()).contains("rm /etc/motd");
        assertThat(layers.get(2).path("createdBy").asText()).contains("COPY");
    }

    @Test
    void tableOutputShowsTheVerifiedDigests() {
        Cli.Result r = Cli.run("digests", ref(plain));
        assertThat(r.exitCode()).as("%s", r).isEqualTo(0);
        assertThat(r.out()).contains(inspect.path("Id").asText() + "  verified")
                .contains(pushed.get(plain) + "  verified");
        for (JsonNode diffId : inspect.path("RootFS").path("Layers")) {
            assertThat(r.out()).contains(diffId.asText());
        }
    }

    @Test
    void remoteSeesTheTagInSync() {
        JsonNode report = json(Cli.run("digests", ref(plain), "--remote", "--format", "json"), 0);
        assertThat(findingIds(report, "INFO")).contains("INT-REGISTRY-IN-SYNC");
        assertThat(findingIds(report, null)).doesNotContain("INT-REGISTRY-DRIFT");
    }

    @Test
    void missingTagAndRepositoryExitTwo() {
        assertUserError(Cli.run("digests", "docker://" + plain + "/da-reg/app:no-such-tag-" + run),
                plain + " has no image " + plain + "/da-reg/app:no-such-tag-" + run, "check the name and tag");
        assertUserError(Cli.run("digests", "docker://" + plain + "/da-reg/no-such-repo-" + run + ":1"),
                "has no image", "check the name and tag");
        String missingDigest = "sha256:" + "0".repeat(64);
        assertUserError(Cli.run("digests", "docker://" + plain + "/da-reg/app@" + missingDigest),
                "has no image", missingDigest, "check the name and tag");
    }

    // ---- 2. basic auth ----

    @Test
    void basicAuthWithAnAuthsEntry() throws Exception {
        DockerConfigDir cfg = new DockerConfigDir(Files.createDirectories(tmp.resolve("basic-ok")))
                .auth(basic, ItEnv.user(), ItEnv.password());
        Cli.Result r = Cli.runJar(cfg.env(), 120, "digests", ref(basic), "--format", "json");
        assertMatchesDocker(json(r, 0), basic);
    }

    @Test
    void basicAuthWithTheConfigDockerLoginWrote() throws Exception {
        // The config.json `docker login` itself wrote (auths, base64) for this registry.
        Path written = tmp.resolve("docker-cli-config");
        JsonNode config = Json.parse(Files.readAllBytes(written.resolve("config.json")), "docker's config.json");
        assertThat(config.path("auths").path(basic).path("auth").asText()).isNotEmpty();
        Cli.Result r = Cli.runJar(Map.of("DOCKER_CONFIG", written.toString()), 120, "digests", ref(basic), "--format", "json");
        assertMatchesDocker(json(r, 0), basic);
    }

    @Test
    void basicAuthKeyWithSchemeAndPathMatches() throws Exception {
        DockerConfigDir cfg = new DockerConfigDir(Files.createDirectories(tmp.resolve("basic-url-key")))
                .auth("http://" + basic + "/v2/", ItEnv.user(), ItEnv.password());
        Cli.Result r = Cli.runJar(cfg.env(), 120, "digests", ref(basic), "--format", "json");
        assertMatchesDocker(json(r, 0), basic);
    }

    @Test
    void basicAuthWrongPasswordExitsTwo() throws Exception {
        DockerConfigDir cfg = new DockerConfigDir(Files.createDirectories(tmp.resolve("basic-wrong")))
                .auth(basic, ItEnv.user(), "not-the-password");
        assertUserError(Cli.runJar(cfg.env(), 120, "digests", ref(basic)),
                basic + " rejected the credentials of " + ItEnv.user(), "check the password", "docker login " + basic);
    }

    @Test
    void basicAuthWithoutCredentialsSaysToLogIn() throws Exception {
        DockerConfigDir cfg = new DockerConfigDir(Files.createDirectories(tmp.resolve("basic-none")));
        assertUserError(Cli.runJar(cfg.env(), 120, "digests", ref(basic)),
                basic + " requires a login", "run docker login " + basic, cfg.dir().resolve("config.json").toString());
    }

    // ---- 3. bearer tokens ----

    @Test
    void tokenAuthAnonymousPull() throws Exception {
        DockerConfigDir cfg = new DockerConfigDir(Files.createDirectories(tmp.resolve("token-anon")));
        Cli.Result r = Cli.runJar(cfg.env(), 120, "digests", ref(token), "--format", "json");
        assertMatchesDocker(json(r, 0), token);
    }

    @Test
    void tokenAuthWithLogin() throws Exception {
        DockerConfigDir cfg = new DockerConfigDir(Files.createDirectories(tmp.resolve("token-login")))
                .auth(token, ItEnv.user(), ItEnv.password());
        Cli.Result r = Cli.runJar(cfg.env(), 120, "digests", ref(token), "--format", "json");
        assertMatchesDocker(json(r, 0), token);
    }

    @Test
    void tokenAuthWrongPasswordExitsTwo() throws Exception {
        DockerConfigDir cfg = new DockerConfigDir(Files.createDirectories(tmp.resolve("token-wrong")))
                .auth(token, ItEnv.user(), "not-the-password");
        assertUserError(Cli.runJar(cfg.env(), 120, "digests", ref(token)),
                "the token service of " + token + " rejected the credentials of " + ItEnv.user(), "HTTP 401",
                "check the password", "docker login " + token);
    }

    // ---- 4. credential helpers ----

    @Test
    void credHelperForOneRegistry() throws Exception {
        DockerConfigDir cfg = new DockerConfigDir(Files.createDirectories(tmp.resolve("helper")))
                .credHelper(basic, "datest");
        cfg.helper("datest", Map.of(basic, ItEnv.user() + ":" + ItEnv.password()));
        Cli.Result r = Cli.runJar(cfg.env(), 120, "digests", ref(basic), "--format", "json");
        assertMatchesDocker(json(r, 0), basic);
        // the helper was asked for exactly the registry's host:port, as the docker CLI asks
        assertThat(cfg.helperLog("datest").lines().distinct().toList()).containsExactly(basic);
    }

    @Test
    void credHelperWinsOverAnAuthsEntry() throws Exception {
        // docker uses credHelpers before auths: a stale auths entry must not be used when a helper is named.
        DockerConfigDir cfg = new DockerConfigDir(Files.createDirectories(tmp.resolve("helper-over-auths")))
                .auth(basic, ItEnv.user(), "stale-password").credHelper(basic, "datest");
        cfg.helper("datest", Map.of(basic, ItEnv.user() + ":" + ItEnv.password()));
        Cli.Result r = Cli.runJar(cfg.env(), 120, "digests", ref(basic), "--format", "json");
        assertMatchesDocker(json(r, 0), basic);
    }

    @Test
    void credsStoreForEveryRegistry() throws Exception {
        DockerConfigDir cfg = new DockerConfigDir(Files.createDirectories(tmp.resolve("store")))
                .credsStore("datest");
        cfg.helper("datest", Map.of(basic, ItEnv.user() + ":" + ItEnv.password()));
        Cli.Result r = Cli.runJar(cfg.env(), 120, "digests", ref(basic), "--format", "json");
        assertMatchesDocker(json(r, 0), basic);
        // the store has nothing for the token registry ("credentials not found"): anonymous pull still works
        Cli.Result anon = Cli.runJar(cfg.env(), 120, "digests", ref(token), "--format", "json");
        assertMatchesDocker(json(anon, 0), token);
        assertThat(cfg.helperLog("datest").lines().distinct().toList()).containsExactlyInAnyOrder(basic, token);
    }

    @Test
    void credsStoreMissSaysToLogIn() throws Exception {
        DockerConfigDir cfg = new DockerConfigDir(Files.createDirectories(tmp.resolve("store-miss")))
                .credsStore("datest");
        cfg.helper("datest", Map.of());
        assertUserError(Cli.runJar(cfg.env(), 120, "digests", ref(basic)), "requires a login", "run docker login " + basic);
    }

    @Test
    void missingCredHelperExitsTwo() throws Exception {
        DockerConfigDir cfg = new DockerConfigDir(Files.createDirectories(tmp.resolve("helper-missing")))
                .credHelper(basic, "da-nosuch");
        assertUserError(Cli.runJar(cfg.env(), 120, "digests", ref(basic)),
                "docker-credential-da-nosuch is not on PATH", "install it or remove it from the config");
    }

    // ---- 5. TLS with a private CA ----

    @Test
    void tlsWithoutTheCaSaysToPassCaCert() {
        assertUserError(Cli.run("digests", ref(tls)), "certificate from an unknown authority", "--ca-cert FILE",
                "--insecure-registry " + tls);
    }

    @Test
    void tlsWithCaCert() {
        JsonNode report = json(Cli.run("digests", ref(tls), "--ca-cert", ItEnv.ca().toString(), "--format", "json"), 0);
        assertMatchesDocker(report, tls);
    }

    @Test
    void tlsWithInsecureRegistry() {
        JsonNode report = json(Cli.run("digests", ref(tls), "--insecure-registry", tls, "--format", "json"), 0);
        assertMatchesDocker(report, tls);
    }

    @Test
    void tlsWithTheCaInCertsD() throws Exception {
        // like docker: $DOCKER_CONFIG/certs.d/HOST:PORT/ca.crt
        DockerConfigDir cfg = new DockerConfigDir(Files.createDirectories(tmp.resolve("certs-d")));
        Path hostDir = Files.createDirectories(cfg.dir().resolve("certs.d").resolve(tls));
        Files.copy(ItEnv.ca(), hostDir.resolve("ca.crt"));
        Cli.Result r = Cli.runJar(cfg.env(), 120, "digests", ref(tls), "--format", "json");
        assertMatchesDocker(json(r, 0), tls);
    }

    @Test
    void tlsWithTheWrongCaExitsTwo() throws Exception {
        // a real certificate, but not the one that signed the registry's
        Path other = ItEnv.run().resolve("certs").resolve("token.crt");
        assertThat(other).exists();
        assertUserError(Cli.run("digests", ref(tls), "--ca-cert", other.toString()), "--ca-cert");
    }

    @Test
    void missingCaCertFileExitsTwo() {
        assertUserError(Cli.run("digests", ref(tls), "--ca-cert", tmp.resolve("nope.crt").toString()),
                "does not exist", "pass a PEM certificate file");
    }

    // ---- 9. no network ----

    @Test
    void offlineRefusesTheRegistry() {
        assertUserError(Cli.run("digests", ref(plain), "--offline"), "--offline is set", plain,
                "audit a local archive");
    }

    @Test
    void unresolvableHostExitsTwo() {
        assertUserError(Cli.run("digests", "docker://da-reg-no-such-host.invalid/da-reg/app:1"),
                "cannot resolve the registry host da-reg-no-such-host.invalid", "check the name");
    }

    @Test
    void connectionRefusedExitsTwo() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertUserError(Cli.run("digests", "docker://127.0.0.1:" + port + "/da-reg/app:1"),
                "cannot connect to the registry 127.0.0.1:" + port, "connection refused", "check the name and that it is running");
    }
}
