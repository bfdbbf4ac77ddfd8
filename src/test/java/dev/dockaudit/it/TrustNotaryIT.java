package dev.dockaudit.it;

import static dev.dockaudit.testing.Reports.assertUserError;
import static dev.dockaudit.testing.Reports.finding;
import static dev.dockaudit.testing.Reports.findingIds;
import static dev.dockaudit.testing.Reports.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.registry.Credentials;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.ItEnv;
import dev.dockaudit.testing.Processes;
import dev.dockaudit.testing.TarBuilder;
import dev.dockaudit.testing.TestCerts;
import dev.dockaudit.testing.TufFixture;
import dev.dockaudit.testing.TufServer;
import dev.dockaudit.trust.notary.NotaryClient;
import dev.dockaudit.util.Json;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker Content Trust against the real notary-server and registry scripts/test-env runs, signed with the real docker
 * CLI ({@code DOCKER_CONTENT_TRUST=1 docker push}, {@code docker trust key generate}, {@code docker trust signer add},
 * {@code docker trust sign}): dockaudit's signed tags, digests, signers and keys must equal {@code docker trust
 * inspect}'s; then the trust data is tampered with (an unsigned push to a signed tag, and a local HTTPS server replaying
 * the real server's metadata with one edit, or serving a repository the test signs itself) and each change is caught.
 */
class TrustNotaryIT {
    private static final Pattern PUSHED = Pattern.compile("(?m)^\\S+: digest: (sha256:[0-9a-f]{64}) size: \\d+$");

    @TempDir
    static Path tmp;

    static String notary;
    static String registry;
    static String run;
    static Path dockerConfig;
    static String imageA;
    static String imageB;
    /** The signed repository: tag 1 by the repository key (Repo Admin), tag 2 by the signer alice. */
    static String repo;
    static String digest1;
    static String digest2;
    /** The real server's metadata for repo, as served. */
    static Map<String, byte[]> real;

    @BeforeAll
    static void signWithTheDockerCli() throws Exception {
        notary = ItEnv.notary();
        registry = ItEnv.registryPlain();
        run = UUID.randomUUID().toString().substring(0, 8);
        dockerConfig = Files.createDirectories(tmp.resolve("docker-config"));
        // Where the docker CLI (and dockaudit) look for a notary server's CA.
        Path tls = Files.createDirectories(dockerConfig.resolve("tls").resolve(URI.create(notary).getRawAuthority()));
        Files.copy(ItEnv.ca(), tls.resolve("ca.crt"));

        imageA = "da-tn/a:" + run;
        imageB = "da-tn/b:" + run;
        Path a = tmp.resolve("a.tar");
        Files.write(a, TarBuilder.tar().file("hello.txt", "a " + run + "\n").bytes());
        Path b = tmp.resolve("b.tar");
        Files.write(b, TarBuilder.tar().file("hello.txt", "b " + run + "\n").bytes());
        docker("import", a.toString(), imageA);
        docker("import", b.toString(), imageB);

        repo = registry + "/da-tn/signed-" + run;
        docker("tag", imageA, repo + ":1");
        digest1 = pushed(dct("push", repo + ":1"));
        Path keys = Files.createDirectories(tmp.resolve("trust-keys"));
        docker("trust", "key", "generate", "alice", "--dir", keys.toString());
        docker("trust", "signer", "add", "--key", keys.resolve("alice.pub").toString(), "alice", repo);
        docker("tag", imageB, repo + ":2");
        digest2 = pushed(docker("trust", "sign", repo + ":2"));

        NotaryClient c = new NotaryClient(URI.create(notary), repo, registry, dockerConfig, List.of(),
                new Credentials(dockerConfig.resolve("config.json")), 10_000);
        real = new LinkedHashMap<>();
        for (String role : List.of("root", "timestamp", "snapshot", "targets", "targets/releases", "targets/alice")) {
            real.put(role, c.fetch(role, 1 << 20));
            assertThat(real.get(role)).as(role).isNotNull();
        }
    }

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_HOST", ItEnv.dockerHost());
        env.put("DOCKER_CONFIG", dockerConfig.toString());
        env.put("DOCKER_CONTENT_TRUST_SERVER", notary);
        env.put("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", "root-" + run);
        env.put("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE", "repo-" + run);
        return env;
    }

    static String docker(String... args) throws Exception {
        return docker(env(), args);
    }

    static String docker(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ItEnv.dockerCli()));
        cmd.addAll(List.of(args));
        Cli.Result r = Processes.run(cmd, env, 300, TimeUnit.SECONDS);
        if (r.exitCode() != 0) {
            throw new AssertionError("docker " + String.join(" ", args) + " failed\n" + r);
        }
        return r.out() + r.err();
    }

    /** docker with DOCKER_CONTENT_TRUST=1. */
    static String dct(String... args) throws Exception {
        Map<String, String> env = env();
        env.put("DOCKER_CONTENT_TRUST", "1");
        return docker(env, args);
    }

    static String pushed(String output) {
        Matcher m = PUSHED.matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return m.group(1);
    }

    static JsonNode dockerTrustInspect(String ref) throws Exception {
        List<String> cmd = List.of(ItEnv.dockerCli(), "trust", "inspect", ref);
        Cli.Result r = Processes.run(cmd, env(), 120, TimeUnit.SECONDS);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return Json.parse(r.out().getBytes(StandardCharsets.UTF_8), "docker trust inspect").get(0);
    }

    static Cli.Result trust(String server, String... args) {
        List<String> a = new ArrayList<>(List.of("trust", "--trust-server", server, "--ca-cert", ItEnv.ca().toString()));
        a.addAll(List.of(args));
        return Cli.run(a.toArray(new String[0]));
    }

    /** "TAG DIGEST SIGNER,SIGNER" rows of docker trust inspect's JSON. */
    static List<String> dockerRows(JsonNode inspect) {
        List<String> rows = new ArrayList<>();
        for (JsonNode t : inspect.get("SignedTags")) {
            List<String> signers = new ArrayList<>();
            t.get("Signers").forEach(s -> signers.add(s.asText()));
            rows.add(t.get("SignedTag").asText() + " sha256:" + t.get("Digest").asText() + " " + String.join(",", signers));
        }
        return rows;
    }

    static List<String> ourRows(JsonNode notaryNode) {
        List<String> rows = new ArrayList<>();
        for (JsonNode t : notaryNode.get("signedTags")) {
            List<String> signers = new ArrayList<>();
            t.get("signers").forEach(s -> signers.add(s.asText()));
            rows.add(t.get("tag").asText() + " " + t.get("digest").asText() + " " + String.join(",", signers));
        }
        return rows;
    }

    @Test
    void signedTagsDigestsSignersAndKeysEqualDockerTrustInspect() throws Exception {
        for (String ref : List.of(repo, repo + ":1", repo + ":2")) {
            JsonNode docker = dockerTrustInspect(ref);
            JsonNode report = json(trust(notary, "--format", "json", ref), 0);
            JsonNode n = report.get("trust").get("notary");
            assertThat(n.get("verified").asBoolean()).as(ref + " " + report.get("findings")).isTrue();
            assertThat(ourRows(n)).as(ref).containsExactlyElementsOf(dockerRows(docker));

            List<String> dockerSigners = new ArrayList<>();
            docker.get("Signers").forEach(s -> s.get("Keys").forEach(k -> dockerSigners.add(s.get("Name").asText() + " " + k.get("ID").asText())));
            List<String> ourSigners = new ArrayList<>();
            n.get("signers").forEach(s -> s.get("keyIds").forEach(k -> ourSigners.add(s.get("name").asText() + " " + k.asText())));
            assertThat(ourSigners).as(ref).containsExactlyInAnyOrderElementsOf(dockerSigners).hasSize(1);

            for (JsonNode a : docker.get("AdministrativeKeys")) {
                List<String> ids = new ArrayList<>();
                a.get("Keys").forEach(k -> ids.add(k.get("ID").asText()));
                String role = a.get("Name").asText().equals("Root") ? "root" : "repository";
                List<String> ours = new ArrayList<>();
                n.get("administrativeKeys").get(role).forEach(k -> ours.add(k.asText()));
                assertThat(ours).as(ref + " " + role).containsExactlyInAnyOrderElementsOf(ids);
            }
            for (JsonNode t : n.get("signedTags")) {
                assertThat(t.get("matches").asBoolean()).isTrue();
                assertThat(t.get("registryDigest").asText()).isEqualTo(t.get("digest").asText());
            }
            assertThat(findingIds(report, "INFO")).containsExactly("TRUST-NOTARY-VERIFIED");
        }
        assertThat(ourRows(json(trust(notary, "--format", "json", repo), 0).get("trust").get("notary")))
                .containsExactly("1 " + digest1 + " Repo Admin", "2 " + digest2 + " alice");
    }

    @Test
    void theTableShowsWhatDockerTrustInspectPrettyShows() throws Exception {
        Cli.Result r = trust(notary, repo);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String pretty = Processes.run(List.of(ItEnv.dockerCli(), "trust", "inspect", "--pretty", repo), env(), 120, TimeUnit.SECONDS).out();
        // docker: "1   <digest>   (Repo Admin)"; the same columns start each of our rows (ours add the registry's view).
        for (String line : pretty.lines().filter(l -> l.matches("^(1|2) +[0-9a-f]{64} +.*")).toList()) {
            String[] cols = line.trim().split("\\s{2,}");
            assertThat(r.out()).containsPattern("(?m)^" + Pattern.quote(cols[0]) + " +" + cols[1] + " +" + Pattern.quote(cols[2])
                    + " +serves the signed digest$");
        }
        for (String line : pretty.lines().filter(l -> l.startsWith("alice ") || l.contains("Key:\t")).toList()) {
            assertThat(r.out()).as(line).containsPattern("(?m)^\\s*" + Pattern.quote(line.trim()).replaceAll(" +", "\\\\E +\\\\Q") + "$");
        }
        assertThat(r.out()).contains("Signatures for " + repo, "List of signers and their keys for " + repo,
                "Administrative keys for " + repo, "Verified: yes");
    }

    @Test
    void theCaComesFromDockerConfigAndTheServerFromTheEnvironmentAsForDocker() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_CONFIG", dockerConfig.toString());
        env.put("DOCKER_CONTENT_TRUST_SERVER", notary);
        Cli.Result r = Cli.runJar(env, 120, "trust", "--format", "json", repo + ":1");
        JsonNode n = json(r, 0).get("trust").get("notary");
        assertThat(n.get("server").asText()).isEqualTo(notary);
        assertThat(ourRows(n)).containsExactly("1 " + digest1 + " Repo Admin");
    }

    @Test
    void anUntrustedCertificateIsAClearError() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_CONFIG", Files.createDirectories(tmp.resolve("empty-config")).toString());
        Cli.Result r = Cli.runJar(env, 120, "trust", "--trust-server", notary, repo + ":1");
        assertUserError(r, "presents a certificate from an unknown authority", "tls/" + URI.create(notary).getRawAuthority() + "/ca.crt",
                "--ca-cert");
    }

    @Test
    void aNotaryServerThatIsDownIsAClearError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertUserError(trust("https://127.0.0.1:" + port, repo + ":1"), "cannot connect to the notary server https://127.0.0.1:" + port,
                "connection refused");
    }

    @Test
    void anUnsignedRepository() throws Exception {
        String unsigned = registry + "/da-tn/unsigned-" + run;
        docker("tag", imageA, unsigned + ":1");
        docker("push", unsigned + ":1");
        JsonNode plain = json(trust(notary, "--format", "json", unsigned + ":1"), 0);
        assertThat(plain.get("trust").get("notary").isNull()).isTrue();
        assertThat(plain.get("findings")).isEmpty();
        assertThat(plain.get("notes").toString()).contains("has no trust data for " + unsigned);

        JsonNode required = json(trust(notary, "--format", "json", "--require-signature", unsigned + ":1"), 1);
        assertThat(findingIds(required, "HIGH")).containsExactly("TRUST-NO-VERIFIED-SIGNATURE");

        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_CONFIG", dockerConfig.toString());
        env.put("DOCKER_CONTENT_TRUST_SERVER", notary);
        env.put("DOCKER_CONTENT_TRUST", "1");
        Cli.Result dct = Cli.runJar(env, 120, "trust", unsigned + ":1");
        assertThat(dct.exitCode()).as(dct.toString()).isEqualTo(1);
        assertThat(dct.out()).contains("No trust data for " + unsigned + ":1", "HIGH     TRUST-NOTARY-UNSIGNED");
        // As docker itself sees it: a content-trust pull refuses the repository.
        Map<String, String> pullEnv = env();
        pullEnv.put("DOCKER_CONTENT_TRUST", "1");
        Cli.Result pull = Processes.run(List.of(ItEnv.dockerCli(), "pull", unsigned + ":1"), pullEnv, 120, TimeUnit.SECONDS);
        assertThat(pull.exitCode()).isNotZero();
        assertThat(pull.err()).contains("does not have trust data for " + unsigned);
    }

    @Test
    void pushingUnsignedContentToASignedTagIsCritical() throws Exception {
        String moved = registry + "/da-tn/moved-" + run;
        docker("tag", imageA, moved + ":1");
        String signed = pushed(dct("push", moved + ":1"));
        docker("tag", imageB, moved + ":1");
        String unsigned = pushed(docker("push", moved + ":1")); // no content trust: the tag moves, the signature does not
        assertThat(unsigned).isNotEqualTo(signed);
        assertThat(dockerRows(dockerTrustInspect(moved + ":1"))).containsExactly("1 " + signed + " Repo Admin");

        Cli.Result r = trust(notary, "--format", "json", moved + ":1");
        JsonNode report = json(r, 1);
        JsonNode t = report.get("trust").get("notary").get("signedTags").get(0);
        assertThat(t.get("digest").asText()).isEqualTo(signed);
        assertThat(t.get("registryDigest").asText()).isEqualTo(unsigned);
        assertThat(t.get("matches").asBoolean()).isFalse();
        assertThat(report.get("trust").get("notary").get("verified").asBoolean()).isFalse();
        JsonNode f = finding(report, "TRUST-NOTARY-DIGEST-MISMATCH");
        assertThat(f.get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(f.get("evidence").asText()).isEqualTo("registry " + unsigned + "; signed " + signed);
        assertThat(report.get("image").get("manifestDigest").asText()).isEqualTo(unsigned);

        // the HTML page shows the same: the signed and the served digest side by side, not matching, and the finding
        Cli.Result html = trust(notary, "--format", "html", moved + ":1");
        assertThat(html.exitCode()).as(html.toString()).isEqualTo(1);
        String row = html.out().substring(html.out().indexOf("Docker Content Trust (Notary)"));
        assertThat(row).contains("<td>1</td><td><code>" + signed + "</code></td><td>Repo Admin</td><td><code>" + unsigned
                + "</code></td><td>NO</td>");
        assertThat(html.out()).contains("TRUST-NOTARY-DIGEST-MISMATCH", "CRITICAL");
    }

    // ---- the real server's metadata replayed with one edit ----

    static JsonNode replay(Consumer<Map<String, byte[]>> edit, int exit) throws Exception {
        Path run = ItEnv.run();
        try (TufServer s = TufServer.https(repo, run.resolve("certs/server.crt"), run.resolve("certs/server.key"))) {
            Map<String, byte[]> files = new LinkedHashMap<>(real);
            edit.accept(files);
            s.put(files);
            return json(trust(s.url(), "--format", "json", repo), exit);
        }
    }

    static List<String> titles(JsonNode report, String id) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : report.get("findings")) {
            if (f.get("id").asText().equals(id)) {
                out.add(f.get("severity").asText() + " " + f.get("title").asText());
            }
        }
        return out;
    }

    @Test
    void aFaithfulReplayVerifies() throws Exception {
        JsonNode r = replay(f -> { }, 0);
        assertThat(ourRows(r.get("trust").get("notary"))).containsExactly("1 " + digest1 + " Repo Admin", "2 " + digest2 + " alice");
    }

    @Test
    void aCorruptedSignatureIsCaught() throws Exception {
        JsonNode ts = replay(f -> f.put("timestamp", TufFixture.withSignature(f.get("timestamp"), TufFixture::flipped)), 1);
        assertThat(titles(ts, "TRUST-NOTARY-SIGNATURE-INVALID")).containsExactly("CRITICAL timestamp.json is not signed by its keys");
        assertThat(ts.get("trust").get("notary").get("signedTags")).isEmpty();

        JsonNode tg = replay(f -> f.put("targets", TufFixture.withSignature(f.get("targets"), TufFixture::flipped)), 1);
        assertThat(titles(tg, "TRUST-NOTARY-SIGNATURE-INVALID")).containsExactly("CRITICAL targets.json is not signed by its keys");
        assertThat(titles(tg, "TRUST-NOTARY-HASH-MISMATCH")).containsExactly("CRITICAL targets.json does not match the hash snapshot.json pins");

        JsonNode alice = replay(f -> f.put("targets/alice", TufFixture.withSignature(f.get("targets/alice"), TufFixture::flipped)), 1);
        assertThat(titles(alice, "TRUST-NOTARY-SIGNATURE-INVALID")).containsExactly("CRITICAL targets/alice.json is not signed by its keys");
        // Tag 2 is still released by targets/releases, but alice no longer counts as its signer.
        assertThat(ourRows(alice.get("trust").get("notary"))).containsExactly("1 " + digest1 + " Repo Admin", "2 " + digest2 + " Repo Admin");
    }

    @Test
    void aSignatureOfTheWrongLength() throws Exception {
        JsonNode r = replay(f -> f.put("targets/releases", TufFixture.withSignature(f.get("targets/releases"), s -> Arrays.copyOf(s, 63))), 1);
        JsonNode sig = finding(r, "TRUST-NOTARY-SIGNATURE-INVALID");
        assertThat(sig.get("title").asText()).isEqualTo("targets/releases.json is not signed by its keys");
        assertThat(sig.get("description").asText()).contains("the ecdsa signature is 63 bytes; r||s for this 256-bit curve is 64");
    }

    @Test
    void expiredMetadataReplayed() throws Exception {
        JsonNode r = replay(f -> {
            ObjectNode doc = (ObjectNode) Json.parse(f.get("timestamp"), "timestamp");
            ((ObjectNode) doc.get("signed")).put("expires", "2020-01-01T00:00:00Z");
            f.put("timestamp", compact(doc));
        }, 1);
        assertThat(titles(r, "TRUST-NOTARY-EXPIRED")).containsExactly("HIGH timestamp.json expired on 2020-01-01T00:00:00Z");
        assertThat(titles(r, "TRUST-NOTARY-SIGNATURE-INVALID")).as("the edit also breaks the server's signature")
                .containsExactly("CRITICAL timestamp.json is not signed by its keys");
    }

    @Test
    void metadataThatIsNotJson() throws Exception {
        JsonNode r = replay(f -> f.put("targets/alice", "<html><body>502 Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8)), 1);
        assertThat(titles(r, "TRUST-NOTARY-METADATA-INVALID")).singleElement().asString()
                .startsWith("HIGH targets/alice.json is not valid JSON (Unexpected character ('<'");
    }

    @Test
    void hugeMetadata() throws Exception {
        JsonNode root = replay(f -> {
            byte[] huge = new byte[3 << 20];
            Arrays.fill(huge, (byte) ' ');
            f.put("root", huge);
        }, 1);
        assertThat(titles(root, "TRUST-NOTARY-METADATA-INVALID")).containsExactly("HIGH root.json is larger than 2097152 bytes");
        assertThat(root.get("trust").get("notary").get("signedTags")).isEmpty();

        JsonNode targets = replay(f -> {
            byte[] t = f.get("targets");
            byte[] longer = Arrays.copyOf(t, t.length + (4 << 20));
            Arrays.fill(longer, t.length, longer.length, (byte) ' ');
            f.put("targets", longer);
        }, 1);
        assertThat(titles(targets, "TRUST-NOTARY-HASH-MISMATCH")).singleElement().asString()
                .startsWith("CRITICAL targets.json is longer than the ").endsWith(" bytes the snapshot pins");
    }

    @Test
    void metadataMissingFromTheServer() throws Exception {
        JsonNode r = replay(f -> f.remove("snapshot"), 1);
        assertThat(titles(r, "TRUST-NOTARY-METADATA-INVALID")).containsExactly("HIGH the notary server has no snapshot.json for " + repo);
    }

    // ---- a repository the test signs itself, for the real registry's tags: valid signatures, one defect ----

    static JsonNode fixture(Consumer<TufFixture> defect, int exit) throws Exception {
        TufFixture f = new TufFixture(repo).sign("targets", "1", digest1, 523);
        KeyPair alice = TestCerts.ec();
        f.delegate("targets", "targets/releases", 1, List.of(""), alice).delegate("targets", "targets/alice", 1, List.of(""), alice)
                .sign("targets/releases", "2", digest2, 523).sign("targets/alice", "2", digest2, 523);
        defect.accept(f);
        Path run = ItEnv.run();
        try (TufServer s = TufServer.https(repo, run.resolve("certs/server.crt"), run.resolve("certs/server.key"))) {
            s.put(f.build());
            return json(trust(s.url(), "--format", "json", repo), exit);
        }
    }

    @Test
    void validlySignedButExpiredMetadata() throws Exception {
        JsonNode r = fixture(f -> f.expires.put("targets/alice", Instant.now().minus(Duration.ofDays(3))), 1);
        assertThat(findingIds(r, "HIGH")).containsExactly("TRUST-NOTARY-EXPIRED");
        assertThat(findingIds(r, "CRITICAL")).isEmpty();
        assertThat(ourRows(r.get("trust").get("notary"))).containsExactly("1 " + digest1 + " Repo Admin", "2 " + digest2 + " alice");
    }

    @Test
    void metadataExpiringSoonAndThresholdsOfOne() throws Exception {
        JsonNode r = fixture(f -> f.expires.put("targets", Instant.now().plus(Duration.ofDays(12))), 0);
        assertThat(findingIds(r, "MEDIUM")).containsExactly("TRUST-NOTARY-EXPIRING");
        assertThat(finding(r, "TRUST-NOTARY-THRESHOLD-ONE").get("title").asText())
                .isEqualTo("roles signed by a single key: root, targets, targets/releases, targets/alice");
    }

    @Test
    void aValidlySignedDelegationLoop() throws Exception {
        JsonNode r = fixture(f -> f.delegate("targets/alice", "targets", 1, List.of(""), f.targetsKey), 1);
        assertThat(titles(r, "TRUST-NOTARY-DELEGATION-INVALID")).containsExactly("HIGH delegation loop: targets/alice delegates to targets");
        assertThat(ourRows(r.get("trust").get("notary"))).containsExactly("1 " + digest1 + " Repo Admin", "2 " + digest2 + " alice");
    }

    @Test
    void anotherRepositorysTrustDataIsRefused() throws Exception {
        JsonNode r = fixture(f -> f.rootCn = registry + "/da-tn/someone-else", 1);
        assertThat(findingIds(r, "CRITICAL")).contains("TRUST-NOTARY-ROOT-CERTIFICATE");
        assertThat(r.get("trust").get("notary").get("signedTags")).isEmpty();
    }

    static byte[] compact(JsonNode n) {
        try {
            return Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(n);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
