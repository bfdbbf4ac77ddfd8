package dev.dockaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.DualProtocolServer;
import dev.dockaudit.testing.TestCerts;
import dev.dockaudit.testing.TufFixture;
import dev.dockaudit.testing.TufServer;
import dev.dockaudit.util.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dockaudit trust end to end in-process, against a notary stand-in serving a repository made in the test (HTTPS with
 * a CA made in the test) and a registry stand-in serving two manifests; the real servers are in TrustNotaryIT.
 */
class TrustCommandTest {
    static TufServer notary;
    static DualProtocolServer registry;
    static Path caFile;
    static final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
    static final byte[] M1 = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"x\":1}"
            .getBytes(StandardCharsets.UTF_8);
    static final byte[] M2 = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"x\":2}"
            .getBytes(StandardCharsets.UTF_8);
    static String gun;
    static KeyPair alice = TestCerts.ec();

    @BeforeAll
    static void servers(@TempDir Path tmp) throws Exception {
        registry = new DualProtocolServer(null, r -> {
            String path = r.target();
            if (path.equals("/v2/")) {
                return new DualProtocolServer.Reply(200, Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
            }
            byte[] m = path.contains("/manifests/") ? manifests.get(path.substring(path.lastIndexOf('/') + 1)) : null;
            if (m == null) {
                return new DualProtocolServer.Reply(404, Map.of("Content-Type", "application/json"),
                        "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}".getBytes(StandardCharsets.UTF_8));
            }
            return new DualProtocolServer.Reply(200, Map.of("Docker-Content-Digest", Digest.sha256(m).toString(),
                    "Content-Type", "application/vnd.docker.distribution.manifest.v2+json"), m);
        });
        gun = "127.0.0.1:" + registry.port() + "/team/app";
        KeyPair caKey = TestCerts.ec();
        Instant now = Instant.now();
        X509Certificate ca = TestCerts.selfSigned(caKey, "test CA", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(2)), true, null);
        KeyPair serverKey = TestCerts.ec();
        X509Certificate cert = TestCerts.issued(serverKey, "localhost", caKey.getPrivate(), "test CA", now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(2)), false, "127.0.0.1");
        caFile = tmp.resolve("ca.pem");
        Files.writeString(caFile, TestCerts.pem(ca));
        notary = TufServer.https(gun, serverKey.getPrivate(), cert, ca);
        notary.put(new TufFixture(gun).sign("targets", "1", Digest.sha256(M1).toString(), M1.length)
                .delegate("targets", "targets/releases", 1, List.of(""), alice)
                .delegate("targets", "targets/alice", 1, List.of(""), alice)
                .sign("targets/releases", "2", Digest.sha256(M2).toString(), M2.length)
                .sign("targets/alice", "2", Digest.sha256(M2).toString(), M2.length).build());
    }

    @AfterAll
    static void stop() throws java.io.IOException {
        notary.close();
        registry.close();
    }

    static Cli.Result trust(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("trust", "--trust-server", notary.url(), "--ca-cert", caFile.toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(new String[0]));
    }

    @Test
    void prettyTableLikeDockerTrustInspect() {
        manifests.put("1", M1);
        manifests.put("2", M2);
        Cli.Result r = trust(gun);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String id = TufFixture.keyId(alice).substring(0, 12);
        assertThat(r.out()).contains("Signatures for " + gun + "\n\nSIGNED TAG  DIGEST")
                .containsPattern("\n1 +" + Digest.sha256(M1).hex() + " +\\(Repo Admin\\) +serves the signed digest\n")
                .containsPattern("\n2 +" + Digest.sha256(M2).hex() + " +alice +serves the signed digest\n")
                .contains("List of signers and their keys for " + gun + "\n\nSIGNER  KEYS\nalice   " + id + "\n")
                .contains("Administrative keys for " + gun + "\n\n  Repository Key:\t")
                .contains("Verified: yes")
                .contains("INFO     TRUST-NOTARY-VERIFIED  2 signed tags are verified");
    }

    @Test
    void jsonAndSarifCarryTheResult() {
        manifests.put("1", M1);
        manifests.put("2", M2);
        Cli.Result r = trust("--format", "json", gun + ":2");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode n = r.json().get("trust").get("notary");
        assertThat(n.get("repository").asText()).isEqualTo(gun);
        assertThat(n.get("verified").asBoolean()).isTrue();
        assertThat(n.get("signedTags")).hasSize(1);
        assertThat(n.get("signedTags").get(0).get("signers").get(0).asText()).isEqualTo("alice");
        assertThat(n.get("signedTags").get(0).get("matches").asBoolean()).isTrue();
        assertThat(r.json().get("image").get("manifestDigest").asText()).isEqualTo(Digest.sha256(M2).toString());
        Cli.Result sarif = trust("--format", "sarif", gun + ":2");
        assertThat(sarif.exitCode()).as(sarif.toString()).isZero();
        assertThat(sarif.out()).contains("TRUST-NOTARY-VERIFIED");
        dev.dockaudit.report.SarifSchemas.assertValid(sarif.json());
        assertThat(sarif.out()).isEqualTo(trust("--format", "sarif", gun + ":2").out());
        Cli.Result junit = trust("--format", "junit", gun + ":2");
        assertThat(junit.exitCode()).as(junit.toString()).isZero();
        org.w3c.dom.Document doc = dev.dockaudit.report.JUnitXml.assertValid(dev.dockaudit.report.JUnitXml.parse(junit.out()));
        long nonInfo = 0;
        for (JsonNode f : r.json().get("findings")) {
            nonInfo += f.get("category").asText().equals("trust") && !f.get("severity").asText().equals("INFO") ? 1 : 0;
        }
        // without --fail-on every finding but INFO fails; TRUST-NOTARY-VERIFIED is INFO
        assertThat(dev.dockaudit.report.JUnitXml.suite(doc, "dockaudit.trust").getAttribute("failures"))
                .isEqualTo(String.valueOf(nonInfo));
        assertThat(junit.out()).contains("name=\"TRUST-NOTARY-VERIFIED: ");
    }

    @Test
    void unsignedContentOnASignedTagExitsOne() {
        manifests.put("1", M2);
        manifests.put("2", M2);
        try {
            Cli.Result r = trust(gun + ":1");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.out()).contains("MISMATCH: serves " + Digest.sha256(M2))
                    .contains("CRITICAL TRUST-NOTARY-DIGEST-MISMATCH  the registry serves unsigned content for " + gun + ":1")
                    .contains("Verified: NO");
        } finally {
            manifests.put("1", M1);
        }
    }

    @Test
    void anUnsignedTagIsMediumOrFailingWhenRequired() {
        manifests.put("3", M1);
        Cli.Result r = trust(gun + ":3");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("No signatures for " + gun + ":3").contains("MEDIUM   TRUST-NOTARY-TAG-UNSIGNED");
        Cli.Result required = trust("--require-signature", gun + ":3");
        assertThat(required.exitCode()).as(required.toString()).isEqualTo(1);
        assertThat(required.out()).contains("MEDIUM   TRUST-NOTARY-TAG-UNSIGNED").contains("HIGH     TRUST-NO-VERIFIED-SIGNATURE");
    }

    @Test
    void badInputIsOneErrorLine() {
        Cli.Result archive = Cli.run("trust", "docker-archive:/nonexistent/image.tar");
        assertThat(archive.exitCode()).isEqualTo(2);
        assertThat(archive.errorLine()).isEqualTo("dockaudit: error: trust needs an image name (REGISTRY/REPO[:TAG]), not a"
                + " docker-archive reference: Docker Content Trust signs tags of a registry repository");
        Cli.Result id = Cli.run("trust", "docker-daemon:sha256:" + "a".repeat(64));
        assertThat(id.errorLine()).startsWith("dockaudit: error: trust needs an image name, not an image ID");
        Cli.Result http = Cli.run("trust", "--trust-server", "http://127.0.0.1:1", "localhost:5000/x:1");
        assertThat(http.exitCode()).isEqualTo(2);
        assertThat(http.errorLine()).startsWith("dockaudit: error: --trust-server 'http://127.0.0.1:1' is not an https:// URL");
        Cli.Result offline = Cli.run("trust", "--offline", "localhost:5000/x:1");
        assertThat(offline.errorLine()).startsWith("dockaudit: error: --offline is set, but trust asks the notary server");
        Cli.Result format = Cli.run("trust", "--format", "cyclonedx", "localhost:5000/x:1");
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.errorLine()).contains("--format cyclonedx is not available for trust");
        assertThat(Cli.run("trust", "--help").out()).contains("--require-signature", "--trust-server=URL");
        assertThat(Cli.run("--help").out()).contains("trust");
    }

    @Test
    void explicitTags() {
        assertThat(TrustCommand.hasExplicitTag("localhost:5000/x")).isFalse();
        assertThat(TrustCommand.hasExplicitTag("localhost:5000/x:1")).isTrue();
        assertThat(TrustCommand.hasExplicitTag("alpine")).isFalse();
        assertThat(TrustCommand.hasExplicitTag("alpine:latest")).isTrue();
        assertThat(TrustCommand.hasExplicitTag("alpine@sha256:" + "a".repeat(64))).isFalse();
        assertThat(TrustCommand.hasExplicitTag("alpine:3@sha256:" + "a".repeat(64))).isTrue();
    }
}
