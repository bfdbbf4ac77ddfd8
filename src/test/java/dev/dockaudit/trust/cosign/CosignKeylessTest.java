package dev.dockaudit.trust.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.CosignSigning;
import dev.dockaudit.testing.TestPki;
import dev.dockaudit.trust.model.CosignSignature;
import dev.dockaudit.util.Json;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keyless signatures with a test Fulcio (root, intermediate, a ten-minute leaf with an empty subject, a critical
 * SAN and the OIDC issuer extensions) and a test Rekor whose signed entry timestamps cover the logged entry.
 */
class CosignKeylessTest {
    static final String EMAIL = "builder@example.com";
    static final String ISSUER = "https://issuer.example";
    static KeyPair rootKey;
    static KeyPair interKey;
    static X509Certificate root;
    static X509Certificate inter;
    static KeyPair rekor;
    static final long LOGGED = Instant.now().minusSeconds(3600).getEpochSecond();

    @BeforeAll
    static void pki() {
        rootKey = TestPki.ec("secp384r1");
        root = TestPki.rootCa("test-fulcio", rootKey);
        interKey = TestPki.ec("secp384r1");
        inter = TestPki.intermediateCa("test-fulcio-intermediate", interKey, root, rootKey.getPrivate());
        rekor = TestPki.ec("secp256r1");
    }

    static TestPki.Cert leaf(KeyPair key, String san) {
        Instant t = Instant.ofEpochSecond(LOGGED);
        return TestPki.cert().key(key).issuer(inter, interKey.getPrivate()).validity(t.minusSeconds(60), t.plusSeconds(540))
                .keyUsage(true, 0).extendedKeyUsage(Fulcio.EKU_CODE_SIGNING).san(true, san).fulcioIssuer(ISSUER);
    }

    /** A complete keyless signature, as cosign sign (keyless) stores it. */
    record Signed(byte[] payload, byte[] sig, Map<String, String> annotations) {
    }

    static Signed sign(X509Certificate cert, KeyPair key, long loggedAt) {
        byte[] payload = CosignSigning.payload(CosignKeyedTest.REF, CosignKeyedTest.DIGEST);
        byte[] sig = CosignSigning.sign(key.getPrivate(), payload);
        String bundle = CosignSigning.bundle(rekor, CosignSigning.hashedRekord(sig, payload, TestPki.pem(cert)), loggedAt, 99);
        return new Signed(payload, sig, CosignSigning.keyless(payload, sig, cert, List.of(inter, root), bundle).annotations());
    }

    static CosignOptions options() {
        return CosignOptions.keyless(TrustRoot.of(List.of(root)), EMAIL, ISSUER, rekor.getPublic());
    }

    static CosignSignature check(CosignOptions o, Signed s) {
        JsonNode a = Json.MAPPER.valueToTree(s.annotations());
        return new CosignVerifier(null, o).check("sha256-x.sig", s.sig(), s.payload(), a, CosignKeyedTest.IMAGE, CosignKeyedTest.DIGEST);
    }

    @Test
    void aKeylessSignatureVerifiesOffline() {
        KeyPair k = TestPki.ec("secp256r1");
        CosignSignature s = check(options(), sign(leaf(k, EMAIL).build(), k, LOGGED));
        assertThat(s.problem()).isNull();
        assertThat(s.verified()).isTrue();
        assertThat(s.identity()).isEqualTo(EMAIL);
        assertThat(s.issuer()).isEqualTo(ISSUER);
        assertThat(s.keyId()).isEqualTo(PublicKeys.keyId(k.getPublic()));
    }

    @Test
    void theIntermediateMayComeFromTheTrustRootFileInstead() {
        KeyPair k = TestPki.ec("secp256r1");
        Signed s = sign(leaf(k, EMAIL).build(), k, LOGGED);
        s.annotations().remove("dev.sigstore.cosign/chain");
        assertThat(check(options(), s).problem()).contains("does not chain");
        CosignOptions withInter = CosignOptions.keyless(TrustRoot.of(List.of(root, inter)), EMAIL, ISSUER, rekor.getPublic());
        assertThat(check(withInter, s).problem()).isNull();
    }

    @Test
    void aUriIdentityFromACiWorkflow() {
        KeyPair k = TestPki.ec("secp256r1");
        String uri = "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3";
        Signed s = sign(leaf(k, uri).build(), k, LOGGED);
        CosignOptions o = options().withIdentityRegexp("https://github\\.com/acme/app/\\.github/workflows/release\\.yml@refs/tags/v.*", null);
        CosignSignature r = check(o, s);
        assertThat(r.problem()).isNull();
        assertThat(r.identity()).isEqualTo(uri);
    }

    @Test
    void theWrongIdentityOrIssuerFails() {
        KeyPair k = TestPki.ec("secp256r1");
        Signed s = sign(leaf(k, "intruder@example.com").build(), k, LOGGED);
        assertThat(check(options(), s).problem()).contains("is for intruder@example.com, not the expected identity " + EMAIL);
        assertThat(check(options(), s).identity()).isEqualTo("intruder@example.com");
        Signed other = sign(TestPki.cert().key(k).issuer(inter, interKey.getPrivate())
                .validity(Instant.ofEpochSecond(LOGGED - 60), Instant.ofEpochSecond(LOGGED + 540)).keyUsage(true, 0)
                .extendedKeyUsage(Fulcio.EKU_CODE_SIGNING).san(true, EMAIL).fulcioIssuer("https://evil.example").build(), k, LOGGED);
        assertThat(check(options(), other).problem()).contains("OIDC issuer is https://evil.example, not the expected " + ISSUER);
    }

    @Test
    void aCertificateExpiredWhenTheSignatureWasLoggedFails() {
        KeyPair k = TestPki.ec("secp256r1");
        Signed late = sign(leaf(k, EMAIL).build(), k, LOGGED + 3600);
        assertThat(check(options(), late).problem()).contains("the certificate expired at");
        Signed early = sign(leaf(k, EMAIL).build(), k, LOGGED - 3600);
        assertThat(check(options(), early).problem()).contains("is valid from");
    }

    @Test
    void aBadSignedEntryTimestampFails() {
        KeyPair k = TestPki.ec("secp256r1");
        X509Certificate cert = leaf(k, EMAIL).build();
        Signed s = sign(cert, k, LOGGED);
        // The same entry, timestamped by a log key the user does not trust but claiming the trusted log's id.
        KeyPair impostor = TestPki.ec("secp256r1");
        String body = CosignSigning.hashedRekord(s.sig(), s.payload(), TestPki.pem(cert));
        s.annotations().put("dev.sigstore.cosign/bundle", CosignSigning.bundle(impostor.getPrivate(),
                CosignSigning.logId(rekor.getPublic()), body, LOGGED, 99));
        assertThat(check(options(), s).problem()).contains("signed entry timestamp does not verify");
        // A bundle from another signature entirely: the SET is good, the entry is not this signature.
        KeyPair k2 = TestPki.ec("secp256r1");
        Signed other = sign(leaf(k2, EMAIL).build(), k2, LOGGED);
        s.annotations().put("dev.sigstore.cosign/bundle", other.annotations().get("dev.sigstore.cosign/bundle"));
        assertThat(check(options(), s).problem()).contains("logs a different signature");
        s.annotations().remove("dev.sigstore.cosign/bundle");
        assertThat(check(options(), s).problem()).contains("no Rekor bundle");
        s.annotations().put("dev.sigstore.cosign/bundle", "{]");
        assertThat(check(options(), s).problem()).contains("not JSON");
    }

    @Test
    void aBundleFromTheFutureFails() {
        KeyPair k = TestPki.ec("secp256r1");
        long future = Instant.now().plusSeconds(86400).getEpochSecond();
        Instant t = Instant.ofEpochSecond(future);
        X509Certificate cert = TestPki.cert().key(k).issuer(inter, interKey.getPrivate()).validity(t.minusSeconds(60), t.plusSeconds(540))
                .keyUsage(true, 0).extendedKeyUsage(Fulcio.EKU_CODE_SIGNING).san(true, EMAIL).fulcioIssuer(ISSUER).build();
        assertThat(check(options(), sign(cert, k, future)).problem()).contains("in the future");
    }

    @Test
    void anUntrustedRootOrASelfMadeChainFails() {
        KeyPair fakeRootKey = TestPki.ec("secp384r1");
        X509Certificate fakeRoot = TestPki.rootCa("test-fulcio", fakeRootKey); // same name, other key
        KeyPair k = TestPki.ec("secp256r1");
        Instant t = Instant.ofEpochSecond(LOGGED);
        X509Certificate cert = TestPki.cert().key(k).issuer(fakeRoot, fakeRootKey.getPrivate()).validity(t.minusSeconds(60), t.plusSeconds(540))
                .keyUsage(true, 0).extendedKeyUsage(Fulcio.EKU_CODE_SIGNING).san(true, EMAIL).fulcioIssuer(ISSUER).build();
        Signed s = sign(cert, k, LOGGED);
        s.annotations().put("dev.sigstore.cosign/chain", TestPki.pem(fakeRoot));
        assertThat(check(options(), s).problem()).contains("does not chain to the Fulcio trust root");
    }

    @Test
    void aCertificateNotForCodeSigningFails() {
        KeyPair k = TestPki.ec("secp256r1");
        Instant t = Instant.ofEpochSecond(LOGGED);
        X509Certificate cert = TestPki.cert().key(k).issuer(inter, interKey.getPrivate()).validity(t.minusSeconds(60), t.plusSeconds(540))
                .keyUsage(true, 0).extendedKeyUsage("1.3.6.1.5.5.7.3.1").san(true, EMAIL).fulcioIssuer(ISSUER).build();
        assertThat(check(options(), sign(cert, k, LOGGED)).problem()).contains("not for code signing");
    }

    @Test
    void aSignatureByAnotherKeyThanTheCertificatesFails() {
        KeyPair k = TestPki.ec("secp256r1");
        X509Certificate cert = leaf(k, EMAIL).build();
        KeyPair other = TestPki.ec("secp256r1");
        Signed s = sign(cert, other, LOGGED); // the bundle logs cert with other's signature
        assertThat(check(options(), s).problem()).contains("does not match the payload and key");
    }

    @Test
    void aSignatureWithoutACertificateIsNotKeyless() {
        KeyPair k = TestPki.ec("secp256r1");
        Signed s = sign(leaf(k, EMAIL).build(), k, LOGGED);
        s.annotations().remove("dev.sigstore.cosign/certificate");
        assertThat(check(options(), s).problem()).contains("carries no certificate");
        s.annotations().put("dev.sigstore.cosign/certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThat(check(options(), s).problem()).contains("cannot be read");
    }
}
