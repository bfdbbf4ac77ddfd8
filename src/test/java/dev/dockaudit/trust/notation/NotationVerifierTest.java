package dev.dockaudit.trust.notation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.testing.NotationSigning;
import dev.dockaudit.testing.TestPki;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotationVerifierTest {
    static final Path REAL = Path.of(System.getProperty("dockaudit.basedir", "."), "src/test/resources/trust/notation/notation-go");
    static final Digest REAL_TARGET = Digest.parse("sha256:c0669ef34cdc14332c0f1ab0c2c01acb91d96014b172f1a76f3a39e63d1f0bda");
    static final Digest TARGET = Digest.sha256("an image manifest".getBytes(StandardCharsets.UTF_8));
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final Clock NOW = Clock.systemUTC();

    static KeyPair rootKey;
    static X509Certificate root;
    static KeyPair leafKey;
    static X509Certificate leaf;

    @BeforeAll
    static void pki() {
        rootKey = TestPki.rsa(3072);
        root = TestPki.cert().subject("Notation Test Root", "wabbit-networks.io").key(rootKey).ca(1).keyUsage(true, 5, 6).build();
        leafKey = TestPki.ec("secp256r1");
        leaf = TestPki.cert().subject("net-monitor signer", "wabbit-networks.io").key(leafKey).issuer(root, rootKey.getPrivate())
                .keyUsage(true, 0).extendedKeyUsage("1.3.6.1.5.5.7.3.3").build();
    }

    static NotationVerifier verifier(X509Certificate... trusted) {
        return new NotationVerifier(NotationTrustStore.of(List.of(trusted)), NOW);
    }

    static byte[] envelope(String header, String payload) {
        return NotationSigning.envelope(header, payload, "ES256", leafKey.getPrivate(), List.of(leaf, root))
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] good() {
        return envelope(NotationSigning.defaultHeader("ES256"), NotationSigning.payload(MANIFEST, TARGET, 1234));
    }

    @Test
    void aRealNotationSignatureVerifiesAgainstItsTrustStore() throws Exception {
        NotationVerifier v = new NotationVerifier(NotationTrustStore.load(REAL.resolve("truststore")), NOW);
        NotationVerifier.Result r = v.verify(Files.readAllBytes(REAL.resolve("withoutTimestamp.sig")), NotationVerifier.JWS_MEDIA_TYPE, REAL_TARGET);
        assertThat(r.problem()).isNull();
        assertThat(r.verified()).isTrue();
        assertThat(r.signer()).contains("CN=alpine").contains("O=Notary");
    }

    @Test
    void theRealSignatureFailsForAnotherImageOrWithoutItsCertificateTrusted() throws Exception {
        byte[] env = Files.readAllBytes(REAL.resolve("withoutTimestamp.sig"));
        NotationVerifier v = new NotationVerifier(NotationTrustStore.load(REAL.resolve("truststore")), NOW);
        assertThat(v.verify(env, NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).contains("not for this image");
        assertThat(verifier(root).verify(env, NotationVerifier.JWS_MEDIA_TYPE, REAL_TARGET).problem())
                .contains("is not in the trust store");
    }

    @Test
    void theRealSignatureFailsWhenItsPayloadIsSwapped() throws Exception {
        String env = Files.readString(REAL.resolve("withoutTimestamp.sig"));
        String other = NotationSigning.b64url(NotationSigning.payload("application/vnd.docker.distribution.manifest.v2+json", TARGET, 528));
        String tampered = env.replaceFirst("\"payload\":\"[^\"]+\"", "\"payload\":\"" + other + "\"");
        NotationVerifier v = new NotationVerifier(NotationTrustStore.load(REAL.resolve("truststore")), NOW);
        assertThat(v.verify(tampered.getBytes(StandardCharsets.UTF_8), NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem())
                .contains("does not match the signed payload and header");
    }

    @Test
    void aChainToATrustedRootVerifies() {
        NotationVerifier.Result r = verifier(root).verify(good(), NotationVerifier.JWS_MEDIA_TYPE, TARGET);
        assertThat(r.problem()).isNull();
        assertThat(r.verified()).isTrue();
        assertThat(r.signer()).contains("CN=net-monitor signer");
    }

    @Test
    void aTamperedPayloadFails() {
        String env = new String(good(), StandardCharsets.UTF_8);
        String other = NotationSigning.b64url(NotationSigning.payload(MANIFEST, Digest.sha256(new byte[] {9}), 1234));
        byte[] tampered = env.replaceFirst("\"payload\":\"[^\"]+\"", "\"payload\":\"" + other + "\"").getBytes(StandardCharsets.UTF_8);
        assertThat(verifier(root).verify(tampered, NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem())
                .contains("does not match the signed payload");
    }

    @Test
    void anUntrustedCaFails() {
        KeyPair otherKey = TestPki.rsa(2048);
        X509Certificate otherRoot = TestPki.cert().subject("Other Root", "acme").key(otherKey).ca(-1).keyUsage(true, 5).build();
        assertThat(verifier(otherRoot).verify(good(), NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem())
                .contains("is not in the trust store");
    }

    @Test
    void aSignatureForAnotherManifestFails() {
        byte[] env = envelope(NotationSigning.defaultHeader("ES256"), NotationSigning.payload(MANIFEST, TARGET, 1234));
        Digest other = Digest.sha256(new byte[] {1});
        assertThat(verifier(root).verify(env, NotationVerifier.JWS_MEDIA_TYPE, other).problem())
                .isEqualTo("the signature is for " + TARGET + ", not for this image (" + other + ")");
    }

    @Test
    void anExpiredSignatureFails() {
        String expiry = ",\"io.cncf.notary.expiry\":\"2025-01-03T00:00:00Z\"";
        byte[] env = envelope(NotationSigning.protectedHeader("ES256", List.of("io.cncf.notary.signingScheme",
                "io.cncf.notary.expiry"), expiry), NotationSigning.payload(MANIFEST, TARGET, 1));
        assertThat(verifier(root).verify(env, NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).contains("expired at 2025-01-03T00:00:00Z");
        String later = ",\"io.cncf.notary.expiry\":\"2999-01-01T00:00:00Z\"";
        byte[] fine = envelope(NotationSigning.protectedHeader("ES256", List.of("io.cncf.notary.signingScheme",
                "io.cncf.notary.expiry"), later), NotationSigning.payload(MANIFEST, TARGET, 1));
        assertThat(verifier(root).verify(fine, NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).isNull();
        byte[] notCritical = envelope(NotationSigning.protectedHeader("ES256", List.of("io.cncf.notary.signingScheme"), later),
                NotationSigning.payload(MANIFEST, TARGET, 1));
        assertThat(verifier(root).verify(notCritical, NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).contains("without marking it critical");
    }

    @Test
    void anExpiredCertificateFails() {
        Instant past = Instant.now().minusSeconds(86400 * 30);
        X509Certificate old = TestPki.cert().subject("old signer", "x").key(leafKey).issuer(root, rootKey.getPrivate())
                .validity(past.minusSeconds(86400), past).keyUsage(true, 0).build();
        byte[] env = NotationSigning.envelope(NotationSigning.defaultHeader("ES256"), NotationSigning.payload(MANIFEST, TARGET, 1),
                "ES256", leafKey.getPrivate(), List.of(old, root)).getBytes(StandardCharsets.UTF_8);
        assertThat(verifier(root).verify(env, NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).contains("the signing certificate expired at");
    }

    @Test
    void headersTheVerifierCannotHonourFail() {
        String plugin = ",\"io.cncf.notary.verificationPlugin\":\"com.example.plugin\"";
        byte[] env = envelope(NotationSigning.protectedHeader("ES256", List.of("io.cncf.notary.signingScheme",
                "io.cncf.notary.verificationPlugin"), plugin), NotationSigning.payload(MANIFEST, TARGET, 1));
        assertThat(verifier(root).verify(env, NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).contains("verification plugin");
        byte[] noCrit = envelope("{\"alg\":\"ES256\",\"cty\":\"application/vnd.cncf.notary.payload.v1+json\","
                + "\"io.cncf.notary.signingScheme\":\"notary.x509\",\"io.cncf.notary.signingTime\":\"2025-01-02T03:04:05Z\"}",
                NotationSigning.payload(MANIFEST, TARGET, 1));
        assertThat(verifier(root).verify(noCrit, NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).contains("no crit list");
        byte[] cty = envelope(NotationSigning.defaultHeader("ES256").replace("notary.payload.v1+json", "notary.payload.v2+json"),
                NotationSigning.payload(MANIFEST, TARGET, 1));
        assertThat(verifier(root).verify(cty, NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).contains("cty");
        byte[] authority = envelope(NotationSigning.defaultHeader("ES256").replace("\"notary.x509\"", "\"notary.x509.signingAuthority\""),
                NotationSigning.payload(MANIFEST, TARGET, 1));
        assertThat(verifier(root).verify(authority, NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).contains("notary.x509 signatures only");
    }

    @Test
    void anAlgThatDoesNotFitTheKeyFails() {
        // alg says ES384, the key is P-256: an algorithm substitution the spec says to refuse
        String p = NotationSigning.b64url(NotationSigning.defaultHeader("ES384"));
        String pl = NotationSigning.b64url(NotationSigning.payload(MANIFEST, TARGET, 1));
        byte[] sig = NotationSigning.sign("ES256", leafKey.getPrivate(), p + "." + pl);
        byte[] env = NotationSigning.envelope(p, pl, NotationSigning.b64url(sig), List.of(leaf, root)).getBytes(StandardCharsets.UTF_8);
        assertThat(verifier(root).verify(env, NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem())
                .contains("says alg ES384, but the signing key calls for ES256");
    }

    @Test
    void aSignatureOfTheWrongLengthFails() {
        String p = NotationSigning.b64url(NotationSigning.defaultHeader("ES256"));
        String pl = NotationSigning.b64url(NotationSigning.payload(MANIFEST, TARGET, 1));
        byte[] env = NotationSigning.envelope(p, pl, NotationSigning.b64url(new byte[70]), List.of(leaf, root)).getBytes(StandardCharsets.UTF_8);
        assertThat(verifier(root).verify(env, NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem())
                .contains("the signature is 70 bytes; a JWS ES256 signature is 64");
    }

    @Test
    void aChainOutOfOrderOrWithoutItsRootFails() {
        byte[] noRoot = NotationSigning.envelope(NotationSigning.defaultHeader("ES256"), NotationSigning.payload(MANIFEST, TARGET, 1),
                "ES256", leafKey.getPrivate(), List.of(leaf)).getBytes(StandardCharsets.UTF_8);
        assertThat(verifier(root, leaf).verify(noRoot, NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem())
                .contains("does not end with a root certificate");
        byte[] reversed = NotationSigning.envelope(NotationSigning.defaultHeader("PS384"), NotationSigning.payload(MANIFEST, TARGET, 1),
                "PS384", rootKey.getPrivate(), List.of(root, leaf)).getBytes(StandardCharsets.UTF_8);
        assertThat(verifier(root).verify(reversed, NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).isNotNull();
    }

    @Test
    void aCaCertificateCannotSignAndALeafCannotIssue() {
        KeyPair k = TestPki.ec("secp256r1");
        X509Certificate caAsLeaf = TestPki.cert().subject("ca signer", "x").key(k).issuer(root, rootKey.getPrivate())
                .ca(0).keyUsage(true, 0, 5).build();
        byte[] env = NotationSigning.envelope(NotationSigning.defaultHeader("ES256"), NotationSigning.payload(MANIFEST, TARGET, 1),
                "ES256", k.getPrivate(), List.of(caAsLeaf, root)).getBytes(StandardCharsets.UTF_8);
        assertThat(verifier(root).verify(env, NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).contains("is a CA certificate");
        X509Certificate noKu = TestPki.cert().subject("no ku", "x").key(k).issuer(root, rootKey.getPrivate()).build();
        byte[] env2 = NotationSigning.envelope(NotationSigning.defaultHeader("ES256"), NotationSigning.payload(MANIFEST, TARGET, 1),
                "ES256", k.getPrivate(), List.of(noKu, root)).getBytes(StandardCharsets.UTF_8);
        assertThat(verifier(root).verify(env2, NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).contains("no critical keyUsage");
        X509Certificate tls = TestPki.cert().subject("tls", "x").key(k).issuer(root, rootKey.getPrivate()).keyUsage(true, 0)
                .extendedKeyUsage("1.3.6.1.5.5.7.3.1").build();
        byte[] env3 = NotationSigning.envelope(NotationSigning.defaultHeader("ES256"), NotationSigning.payload(MANIFEST, TARGET, 1),
                "ES256", k.getPrivate(), List.of(tls, root)).getBytes(StandardCharsets.UTF_8);
        assertThat(verifier(root).verify(env3, NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).contains("not for code signing");
    }

    @Test
    void aSha1SignedChainFails() {
        KeyPair rk = TestPki.rsa(2048);
        X509Certificate sha1Root = TestPki.cert().subject("sha1 root", "x").key(rk).ca(-1).keyUsage(true, 5).signatureAlgorithm("SHA1withRSA").build();
        X509Certificate l = TestPki.cert().subject("l", "x").key(leafKey).issuer(sha1Root, rk.getPrivate()).keyUsage(true, 0).build();
        byte[] env = NotationSigning.envelope(NotationSigning.defaultHeader("ES256"), NotationSigning.payload(MANIFEST, TARGET, 1),
                "ES256", leafKey.getPrivate(), List.of(l, sha1Root)).getBytes(StandardCharsets.UTF_8);
        assertThat(verifier(sha1Root).verify(env, NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).contains("SHA-1");
    }

    @Test
    void envelopesThatAreNotFlattenedJwsFail() {
        NotationVerifier v = verifier(root);
        assertThat(v.verify("not json".getBytes(StandardCharsets.UTF_8), NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).contains("not JSON");
        assertThat(v.verify("{\"signatures\":[]}".getBytes(StandardCharsets.UTF_8), NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem())
                .contains("general serialization");
        String env = new String(good(), StandardCharsets.UTF_8);
        assertThat(v.verify(env.replace("{\"payload\"", "{\"extra\":1,\"payload\"").getBytes(StandardCharsets.UTF_8),
                NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).contains("field 'extra'");
        assertThat(v.verify(env.replaceFirst("\"x5c\":\\[[^\\]]*\\]", "\"x5c\":[]").getBytes(StandardCharsets.UTF_8),
                NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).contains("no certificate chain");
        assertThat(v.verify(env.replaceFirst("\"signature\":\"", "\"signature\":\"=").getBytes(StandardCharsets.UTF_8),
                NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).contains("base64url");
        assertThat(v.verify(good(), NotationVerifier.COSE_MEDIA_TYPE, TARGET).problem()).contains("COSE");
        assertThat(v.verify(good(), "text/plain", TARGET).problem()).contains("media type text/plain");
    }

    @Test
    void rsaPssSignaturesVerify() {
        KeyPair rsa = TestPki.rsa(2048);
        X509Certificate l = TestPki.cert().subject("rsa signer", "x").key(rsa).issuer(root, rootKey.getPrivate()).keyUsage(true, 0).build();
        byte[] env = NotationSigning.envelope(NotationSigning.defaultHeader("PS256"), NotationSigning.payload(MANIFEST, TARGET, 1),
                "PS256", rsa.getPrivate(), List.of(l, root)).getBytes(StandardCharsets.UTF_8);
        assertThat(verifier(root).verify(env, NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).isNull();
    }

    @Test
    void trustStoresAreFoldersOfCertificatesOrNotationsLayout(@TempDir Path dir) throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        Files.writeString(plain.resolve("root.pem"), TestPki.pem(root));
        Files.writeString(plain.resolve("notes.txt"), "not a certificate, not read");
        assertThat(new NotationVerifier(NotationTrustStore.load(plain), NOW).verify(good(), NotationVerifier.JWS_MEDIA_TYPE, TARGET).verified()).isTrue();
        Path notation = Files.createDirectories(dir.resolve("notation/x509/ca/wabbit-networks"));
        Files.write(notation.resolve("root.cer"), root.getEncoded()); // DER
        assertThat(new NotationVerifier(NotationTrustStore.load(dir.resolve("notation")), NOW)
                .verify(good(), NotationVerifier.JWS_MEDIA_TYPE, TARGET).verified()).isTrue();
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> NotationTrustStore.load(empty)).isInstanceOf(UserError.class).hasMessageContaining("holds no certificate");
        assertThatThrownBy(() -> NotationTrustStore.load(dir.resolve("missing"))).isInstanceOf(UserError.class).hasMessageContaining("not a folder");
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(bad.resolve("x.crt"), "garbage");
        assertThatThrownBy(() -> NotationTrustStore.load(bad)).isInstanceOf(UserError.class).hasMessageContaining("x.crt");
        Path linked = Files.createDirectories(dir.resolve("linked"));
        Files.createSymbolicLink(linked.resolve("root.pem"), plain.resolve("root.pem"));
        assertThatThrownBy(() -> NotationTrustStore.load(linked)).isInstanceOf(UserError.class).hasMessageContaining("symbolic link");
    }

    @Test
    void beforeItsCertificateIsValidItFails() {
        NotationVerifier v = new NotationVerifier(NotationTrustStore.of(List.of(root)), Clock.fixed(Instant.parse("2000-01-01T00:00:00Z"), ZoneOffset.UTC));
        assertThat(v.verify(good(), NotationVerifier.JWS_MEDIA_TYPE, TARGET).problem()).contains("not valid before");
    }
}
