package dev.dockaudit.trust.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.image.DockerName;
import dev.dockaudit.testing.TestPki;
import dev.dockaudit.trust.model.CosignSignature;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * A real keyless cosign signature from the Sigstore public-good instance (src/test/resources/trust/cosign/
 * securebuild/README.md has its provenance), verified offline with the real Fulcio root and Rekor key.
 */
class CosignRealSignatureTest {
    static final Path DIR = Path.of(System.getProperty("dockaudit.basedir", "."), "src/test/resources/trust/cosign/securebuild");
    static final DockerName IMAGE = DockerName.parse(
            "us-central1-docker.pkg.dev/cosign-test-384419/repo1/securebuild:server");
    static final Digest DIGEST = Digest.parse("sha256:5ce2d8cd8e366d76ce012edc346daeb15a5643c26b9b24a2b731e97a99c6de52");
    static final String EMAIL = "cosign@cosign-test-384419.iam.gserviceaccount.com";
    static final String GOOGLE = "https://accounts.google.com";

    static JsonNode layer() throws IOException {
        return Json.MAPPER.readTree(Files.readAllBytes(DIR.resolve("signature-layer.json")));
    }

    static byte[] payload() throws IOException {
        return Files.readAllBytes(DIR.resolve("payload.json"));
    }

    static PublicKey rekor() {
        return PublicKeys.read(DIR.resolve("rekor.pub"));
    }

    static CosignOptions options(String identity, String issuer) {
        return CosignOptions.keyless(TrustRoot.load(DIR.resolve("fulcio-root.pem")), identity, issuer, rekor());
    }

    static CosignSignature check(CosignOptions o, JsonNode annotations, byte[] payload, DockerName image, Digest digest)
            throws IOException {
        byte[] sig = Base64.getDecoder().decode(annotations.get("dev.cosignproject.cosign/signature").asText());
        return new CosignVerifier(null, o).check("sha256-5ce2d8cd8e366d76ce012edc346daeb15a5643c26b9b24a2b731e97a99c6de52.sig",
                sig, payload, annotations, image, digest);
    }

    @Test
    void theRealSignatureVerifiesOfflineAgainstTheRealTrustRoot() throws Exception {
        CosignSignature s = check(options(EMAIL, GOOGLE), layer().get("annotations"), payload(), IMAGE, DIGEST);
        assertThat(s.problem()).isNull();
        assertThat(s.verified()).isTrue();
        assertThat(s.identity()).isEqualTo(EMAIL);
        assertThat(s.issuer()).isEqualTo(GOOGLE);
        assertThat(s.dockerReference()).isEqualTo("us-central1-docker.pkg.dev/cosign-test-384419/repo1/securebuild");
        assertThat(s.keyId()).matches("[0-9a-f]{64}");
    }

    @Test
    void identityAndIssuerMayBeGivenAsPatterns() throws Exception {
        CosignOptions o = options("x", "x").withIdentityRegexp(".*@cosign-test-[0-9]+\\.iam\\.gserviceaccount\\.com",
                "https://accounts\\.google\\.com");
        assertThat(check(o, layer().get("annotations"), payload(), IMAGE, DIGEST).problem()).isNull();
        CosignOptions wrong = options("x", "x").withIdentityRegexp(".*@example\\.com", null);
        assertThat(check(wrong, layer().get("annotations"), payload(), IMAGE, DIGEST).problem())
                .contains("not the expected identity /.*@example\\.com/");
    }

    @Test
    void anotherIdentityOrIssuerFails() throws Exception {
        assertThat(check(options("someone@example.com", GOOGLE), layer().get("annotations"), payload(), IMAGE, DIGEST).problem())
                .contains("the certificate is for " + EMAIL + ", not the expected identity someone@example.com");
        assertThat(check(options(EMAIL, "https://token.actions.githubusercontent.com"), layer().get("annotations"), payload(),
                IMAGE, DIGEST).problem()).contains("OIDC issuer is " + GOOGLE + ", not the expected https://token.actions");
    }

    @Test
    void anotherTrustRootOrRekorKeyFails() throws Exception {
        CosignOptions otherRoot = CosignOptions.keyless(TrustRoot.of(java.util.List.of(
                TestPki.rootCa("not fulcio", TestPki.ec("secp256r1")))), EMAIL, GOOGLE, rekor());
        assertThat(check(otherRoot, layer().get("annotations"), payload(), IMAGE, DIGEST).problem())
                .contains("does not chain to the Fulcio trust root");
        CosignOptions otherRekor = options(EMAIL, GOOGLE).withRekorKey(TestPki.ec("secp256r1").getPublic());
        assertThat(check(otherRekor, layer().get("annotations"), payload(), IMAGE, DIGEST).problem())
                .contains("logged by the log c0d23d6a");
    }

    @Test
    void anEditedBundleFails() throws Exception {
        ObjectNode a = (ObjectNode) layer().get("annotations").deepCopy();
        String bundle = a.get("dev.sigstore.cosign/bundle").asText();
        a.put("dev.sigstore.cosign/bundle", bundle.replace("\"integratedTime\":1682104435", "\"integratedTime\":1682104436"));
        assertThat(check(options(EMAIL, GOOGLE), a, payload(), IMAGE, DIGEST).problem())
                .contains("signed entry timestamp does not verify");
    }

    @Test
    void theSamePayloadForAnotherImageFails() throws Exception {
        Digest other = Digest.sha256(new byte[] {7});
        assertThat(check(options(EMAIL, GOOGLE), layer().get("annotations"), payload(), IMAGE, other).problem())
                .contains("not this image (" + other + ")");
        DockerName copied = DockerName.parse("registry.example/mirror/securebuild:server");
        assertThat(check(options(EMAIL, GOOGLE), layer().get("annotations"), payload(), copied, DIGEST).problem())
                .contains("made for us-central1-docker.pkg.dev/cosign-test-384419/repo1/securebuild");
        assertThat(check(options(EMAIL, GOOGLE).withIgnoreReference(true), layer().get("annotations"), payload(), copied,
                DIGEST).problem()).isNull();
    }

    @Test
    void anEditedPayloadFailsEvenBeforeTheSignatureIsChecked() throws Exception {
        byte[] edited = new String(payload(), java.nio.charset.StandardCharsets.UTF_8).replace("value1", "value2")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(check(options(EMAIL, GOOGLE), layer().get("annotations"), edited, IMAGE, DIGEST).problem())
                .contains("logs a payload with SHA-256 e3a53f74");
    }

    @Test
    void theRekorBundleCanonicalFormIsWhatRekorSigned() throws Exception {
        RekorBundle b = RekorBundle.parse(layer().get("annotations").get("dev.sigstore.cosign/bundle").asText());
        assertThat(b.integratedTime()).isEqualTo(1682104435L);
        assertThat(b.logIndex()).isEqualTo(18589865L);
        try (InputStream in = Files.newInputStream(DIR.resolve("rekor.pub"))) {
            assertThat(in.readAllBytes()).isNotEmpty();
        }
        assertThat(new String(b.canonicalPayload(), java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("{\"body\":\"eyJhcGlWZXJzaW9uIjoiMC4wLjEi").contains("\",\"integratedTime\":1682104435,\"logID\":\"c0d23d6a")
                .endsWith("\",\"logIndex\":18589865}");
    }
}
