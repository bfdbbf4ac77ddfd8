package dev.dockaudit.trust.cosign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.image.DockerName;
import dev.dockaudit.testing.CosignSigning;
import dev.dockaudit.testing.TestPki;
import dev.dockaudit.trust.model.CosignSignature;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import dev.dockaudit.util.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keyed cosign signatures, made as cosign makes them, checked one layer at a time (no registry). */
class CosignKeyedTest {
    static final DockerName IMAGE = DockerName.parse("registry.example/team/app:1");
    static final Digest DIGEST = Digest.sha256("the image manifest".getBytes(StandardCharsets.UTF_8));
    static final String REF = "registry.example/team/app";

    static KeyPair key(String kind) {
        return switch (kind) {
            case "p256" -> TestPki.ec("secp256r1");
            case "p384" -> TestPki.ec("secp384r1");
            case "rsa" -> TestPki.rsa(2048);
            default -> TestPki.ed25519();
        };
    }

    static CosignSignature check(CosignOptions o, byte[] sig, byte[] payload, Map<String, String> annotations) {
        JsonNode a = Json.MAPPER.valueToTree(annotations);
        return new CosignVerifier(null, o).check("sha256-x.sig", sig, payload, a, IMAGE, DIGEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"p256", "p384", "rsa", "ed25519"})
    void aSignatureMadeWithTheKeyVerifies(String kind) {
        KeyPair k = key(kind);
        byte[] payload = CosignSigning.payload(REF, DIGEST);
        CosignSignature s = check(CosignOptions.keyed(k.getPublic()), CosignSigning.sign(k.getPrivate(), payload), payload, Map.of());
        assertThat(s.problem()).isNull();
        assertThat(s.verified()).isTrue();
        assertThat(s.keyId()).isEqualTo(Digest.sha256(k.getPublic().getEncoded()).hex());
        assertThat(s.identity()).isEqualTo(s.keyId());
        assertThat(s.dockerReference()).isEqualTo(REF);
    }

    @ParameterizedTest
    @ValueSource(strings = {"p256", "p384", "rsa", "ed25519"})
    void anotherKeyFails(String kind) {
        byte[] payload = CosignSigning.payload(REF, DIGEST);
        CosignSignature s = check(CosignOptions.keyed(key(kind).getPublic()),
                CosignSigning.sign(key(kind).getPrivate(), payload), payload, Map.of());
        assertThat(s.verified()).isFalse();
        assertThat(s.problem()).contains("does not match the payload and key");
    }

    @Test
    void anEditedPayloadFails() {
        KeyPair k = key("p256");
        byte[] payload = CosignSigning.payload(REF, DIGEST);
        byte[] sig = CosignSigning.sign(k.getPrivate(), payload);
        byte[] edited = new String(payload, StandardCharsets.UTF_8).replace("\"optional\":null", "\"optional\":{\"a\":\"b\"}")
                .getBytes(StandardCharsets.UTF_8);
        CosignSignature s = check(CosignOptions.keyed(k.getPublic()), sig, edited, Map.of());
        assertThat(s.verified()).isFalse();
        assertThat(s.problem()).contains("does not match");
    }

    @Test
    void aPayloadNamingAnotherDigestFails() {
        KeyPair k = key("p256");
        Digest other = Digest.sha256("another image".getBytes(StandardCharsets.UTF_8));
        byte[] payload = CosignSigning.payload(REF, other);
        CosignSignature s = check(CosignOptions.keyed(k.getPublic()), CosignSigning.sign(k.getPrivate(), payload), payload, Map.of());
        assertThat(s.verified()).isFalse();
        assertThat(s.problem()).contains("for the manifest " + other).contains("not this image (" + DIGEST + ")");
    }

    @Test
    void aPayloadNamingAnotherRepositoryFailsUnlessReferencesAreIgnored() {
        KeyPair k = key("p256");
        byte[] payload = CosignSigning.payload("docker.io/someone/else", DIGEST);
        byte[] sig = CosignSigning.sign(k.getPrivate(), payload);
        CosignSignature strict = check(CosignOptions.keyed(k.getPublic()), sig, payload, Map.of());
        assertThat(strict.verified()).isFalse();
        assertThat(strict.problem()).contains("made for docker.io/someone/else").contains("registry.example/team/app");
        assertThat(check(CosignOptions.keyed(k.getPublic()).withIgnoreReference(true), sig, payload, Map.of()).verified()).isTrue();
    }

    @Test
    void dockerHubShortNamesMatchTheirLongForm() {
        KeyPair k = key("p256");
        byte[] payload = CosignSigning.payload("index.docker.io/library/nginx", DIGEST);
        JsonNode a = Json.MAPPER.createObjectNode();
        CosignSignature s = new CosignVerifier(null, CosignOptions.keyed(k.getPublic()))
                .check("t", CosignSigning.sign(k.getPrivate(), payload), payload, a, DockerName.parse("nginx:1.25"), DIGEST);
        assertThat(s.problem()).isNull();
    }

    @Test
    void signaturesOfTheWrongLengthAreNamedAsSuch() {
        byte[] payload = CosignSigning.payload(REF, DIGEST);
        KeyPair ed = key("ed25519");
        byte[] edSig = CosignSigning.sign(ed.getPrivate(), payload);
        assertThat(check(CosignOptions.keyed(ed.getPublic()), Arrays.copyOf(edSig, 63), payload, Map.of()).problem())
                .contains("63 bytes, but an Ed25519 signature is 64 bytes");
        KeyPair rsa = key("rsa");
        byte[] rsaSig = CosignSigning.sign(rsa.getPrivate(), payload);
        assertThat(check(CosignOptions.keyed(rsa.getPublic()), Arrays.copyOf(rsaSig, 255), payload, Map.of()).problem())
                .contains("255 bytes, but an RSA-2048 signature is 256 bytes");
        KeyPair ec = key("p256");
        byte[] ecSig = CosignSigning.sign(ec.getPrivate(), payload);
        assertThat(check(CosignOptions.keyed(ec.getPublic()), Arrays.copyOf(ecSig, ecSig.length - 1), payload, Map.of()).problem())
                .contains("not an ECDSA signature");
        assertThat(check(CosignOptions.keyed(ec.getPublic()), new byte[0], payload, Map.of()).problem())
                .contains("0 bytes and not an ECDSA signature");
        byte[] raw = new byte[64]; // an IEEE P1363 (r||s) signature, as JWS writes them: not what cosign stores
        assertThat(check(CosignOptions.keyed(ec.getPublic()), raw, payload, Map.of()).problem()).contains("not an ECDSA signature");
    }

    @Test
    void aSignedPayloadThatIsNotASimpleSigningPayloadFails() {
        KeyPair k = key("p256");
        for (String bad : List.of("not json", "[]", "{\"critical\":{}}",
                "{\"critical\":{\"type\":\"atomic container signature\",\"image\":{\"docker-manifest-digest\":\"" + DIGEST + "\"}}}",
                "{\"critical\":{\"type\":\"cosign container image signature\",\"image\":{\"docker-manifest-digest\":\"sha256:nothex\"}}}")) {
            byte[] payload = bad.getBytes(StandardCharsets.UTF_8);
            CosignSignature s = check(CosignOptions.keyed(k.getPublic()), CosignSigning.sign(k.getPrivate(), payload), payload, Map.of());
            assertThat(s.verified()).as(bad).isFalse();
            assertThat(s.problem()).as(bad).startsWith("the signed payload");
        }
    }

    @Test
    void fieldNamesMatchInAnyCaseButTwiceIsRefused() throws Exception {
        // The specification's own example writes Docker-manifest-digest; cosign's Go decoder accepts it.
        String spec = "{\"critical\":{\"identity\":{\"docker-reference\":\"" + REF + "\"},\"image\":{\"Docker-manifest-digest\":\""
                + DIGEST + "\"},\"type\":\"cosign container image signature\"},\"optional\":{\"creator\":\"atomic\"}}";
        assertThat(SimpleSigningPayload.parse(spec.getBytes(StandardCharsets.UTF_8)).manifestDigest()).isEqualTo(DIGEST);
        Digest other = Digest.sha256(new byte[] {1});
        String twice = "{\"critical\":{\"image\":{\"docker-manifest-digest\":\"" + DIGEST + "\",\"Docker-Manifest-Digest\":\""
                + other + "\"},\"type\":\"cosign container image signature\"}}";
        assertThatThrownBy(() -> SimpleSigningPayload.parse(twice.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("more than once");
        String duplicate = "{\"critical\":{\"image\":{\"docker-manifest-digest\":\"" + other + "\"},\"image\":{\"docker-manifest-digest\":\""
                + DIGEST + "\"},\"type\":\"cosign container image signature\"}}";
        assertThatThrownBy(() -> SimpleSigningPayload.parse(duplicate.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not JSON");
    }

    @Test
    void withoutKeyOrTrustRootSignaturesAreReportedUnverified() {
        KeyPair k = key("p256");
        byte[] payload = CosignSigning.payload(REF, DIGEST);
        CosignSignature s = check(CosignOptions.none(), CosignSigning.sign(k.getPrivate(), payload), payload, Map.of());
        assertThat(s.verified()).isFalse();
        assertThat(s.problem()).startsWith("not verified");
        assertThat(s.dockerReference()).isEqualTo(REF);
    }

    @Test
    void aKeyedSignatureWithARekorKeyNeedsItsBundle() {
        KeyPair k = key("p256");
        KeyPair rekor = key("p256");
        byte[] payload = CosignSigning.payload(REF, DIGEST);
        byte[] sig = CosignSigning.sign(k.getPrivate(), payload);
        CosignOptions o = CosignOptions.keyed(k.getPublic()).withRekorKey(rekor.getPublic());
        assertThat(check(o, sig, payload, Map.of()).problem()).contains("no Rekor bundle");
        String body = CosignSigning.hashedRekord(sig, payload, TestPki.publicKeyPem(k.getPublic()));
        String bundle = CosignSigning.bundle(rekor, body, 1_700_000_000L, 42);
        assertThat(check(o, sig, payload, Map.of("dev.sigstore.cosign/bundle", bundle)).problem()).isNull();
        String otherKeysEntry = CosignSigning.hashedRekord(sig, payload, TestPki.publicKeyPem(key("p256").getPublic()));
        assertThat(check(o, sig, payload, Map.of("dev.sigstore.cosign/bundle", CosignSigning.bundle(rekor, otherKeysEntry, 1_700_000_000L, 42))).problem())
                .contains("logs a different key");
    }

    @Test
    void keysAreReadFromPemFilesAsCosignAndOpensslWriteThem(@TempDir Path dir) throws Exception {
        KeyPair k = key("p256");
        Path pub = dir.resolve("cosign.pub");
        Files.writeString(pub, TestPki.publicKeyPem(k.getPublic()));
        assertThat(PublicKeys.read(pub).getEncoded()).isEqualTo(k.getPublic().getEncoded());
        Path priv = dir.resolve("cosign.key");
        Files.writeString(priv, "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
        assertThatThrownBy(() -> PublicKeys.read(priv)).isInstanceOf(UserError.class).hasMessageContaining("private key");
        Path junk = dir.resolve("junk.pub");
        Files.writeString(junk, "hello");
        assertThatThrownBy(() -> PublicKeys.read(junk)).isInstanceOf(UserError.class).hasMessageContaining("no PEM public key");
        assertThatThrownBy(() -> PublicKeys.read(dir.resolve("missing.pub"))).isInstanceOf(UserError.class);
    }

    /** A signature made by openssl, an implementation independent of the JDK's, with a key openssl made. */
    @Test
    void aSignatureMadeByOpensslVerifies(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key.pem");
        Path pub = dir.resolve("pub.pem");
        Path payloadFile = dir.resolve("payload.json");
        Path sigFile = dir.resolve("payload.sig");
        byte[] payload = CosignSigning.payload(REF, DIGEST);
        Files.write(payloadFile, payload);
        run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
        run("openssl", "ec", "-in", key.toString(), "-pubout", "-out", pub.toString());
        run("openssl", "dgst", "-sha256", "-sign", key.toString(), "-out", sigFile.toString(), payloadFile.toString());
        CosignSignature s = check(CosignOptions.keyed(PublicKeys.read(pub)), Files.readAllBytes(sigFile), payload, Map.of());
        assertThat(s.problem()).isNull();
        Path rsaKey = dir.resolve("rsa.pem");
        Path rsaPub = dir.resolve("rsa.pub");
        run("openssl", "genrsa", "-out", rsaKey.toString(), "3072");
        run("openssl", "rsa", "-in", rsaKey.toString(), "-RSAPublicKey_out", "-out", rsaPub.toString());
        run("openssl", "dgst", "-sha256", "-sign", rsaKey.toString(), "-out", sigFile.toString(), payloadFile.toString());
        assertThat(Files.readString(rsaPub)).contains("BEGIN RSA PUBLIC KEY");
        assertThat(check(CosignOptions.keyed(PublicKeys.read(rsaPub)), Files.readAllBytes(sigFile), payload, Map.of()).problem()).isNull();
    }

    static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
