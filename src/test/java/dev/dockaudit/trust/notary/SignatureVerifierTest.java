package dev.dockaudit.trust.notary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.testing.TestCerts;
import dev.dockaudit.testing.TufFixture;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every signature scheme Notary verifies, valid and broken. */
class SignatureVerifierTest {
    private static final byte[] MSG = "{\"_type\":\"Targets\",\"version\":1}".getBytes(StandardCharsets.UTF_8);

    private static TufKey key(KeyPair k) {
        return new TufKey(TufFixture.keyType(k), TufFixture.publicBytes(k));
    }

    private static byte[] sign(String alg, KeyPair k, byte[] msg) throws Exception {
        Signature s = Signature.getInstance(alg);
        if (alg.equals("RSASSA-PSS")) {
            s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        }
        s.initSign(k.getPrivate());
        s.update(msg);
        return s.sign();
    }

    @Test
    void ecdsaRawRAndSAsNotaryWritesThem() throws Exception {
        KeyPair k = TestCerts.ec();
        byte[] sig = sign("SHA256withECDSAinP1363Format", k, MSG);
        assertThat(sig).hasSize(64);
        assertThat(SignatureVerifier.verify("ecdsa", key(k), sig, MSG).valid()).isTrue();
        assertThat(SignatureVerifier.verify("ECDSA", key(k), sig, MSG).valid()).as("methods are case-insensitive").isTrue();
        assertThat(SignatureVerifier.verify("ecdsa", key(k), TufFixture.flipped(sig), MSG).outcome())
                .isEqualTo(SignatureVerifier.Outcome.INVALID);
        assertThat(SignatureVerifier.verify("ecdsa", key(k), sig, "other".getBytes(StandardCharsets.UTF_8)).valid()).isFalse();
    }

    @Test
    void ecdsaOfTheWrongLengthIsRefusedAsSuch() throws Exception {
        KeyPair k = TestCerts.ec();
        byte[] sig = sign("SHA256withECDSAinP1363Format", k, MSG);
        SignatureVerifier.Result r = SignatureVerifier.verify("ecdsa", key(k), Arrays.copyOf(sig, 63), MSG);
        assertThat(r.outcome()).isEqualTo(SignatureVerifier.Outcome.WRONG_LENGTH);
        assertThat(r.reason()).contains("63 bytes").contains("64");
        assertThat(SignatureVerifier.verify("ecdsa", key(k), Arrays.copyOf(sig, 65), MSG).outcome())
                .isEqualTo(SignatureVerifier.Outcome.WRONG_LENGTH);
    }

    @Test
    void ecdsaInDerFormAsNewerNotaryAcceptsIt() throws Exception {
        KeyPair k = TestCerts.ec();
        byte[] der = sign("SHA256withECDSA", k, MSG);
        assertThat(SignatureVerifier.isDerSignature(der)).isTrue();
        assertThat(SignatureVerifier.verify("ecdsa", key(k), der, MSG).valid()).isTrue();
    }

    @Test
    void ecdsaX509KeysUseTheCertificatesKey() throws Exception {
        KeyPair k = TestCerts.ec();
        String pem = TestCerts.pem(TestCerts.selfSigned(k, "repo", Instant.now(), Instant.now().plus(Duration.ofDays(1)), false, null));
        TufKey x509 = new TufKey("ecdsa-x509", pem.getBytes(StandardCharsets.US_ASCII));
        assertThat(SignatureVerifier.verify("ecdsa", x509, sign("SHA256withECDSAinP1363Format", k, MSG), MSG).valid()).isTrue();
        // The canonical ID is the ID of the bare ecdsa key inside the certificate.
        assertThat(x509.canonicalId()).isEqualTo(key(k).id()).isNotEqualTo(x509.id());
    }

    @Test
    void otherCurvesUseTheirOwnSizes() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair k = g.generateKeyPair();
        byte[] sig = sign("SHA256withECDSAinP1363Format", k, MSG);
        assertThat(sig).hasSize(96);
        assertThat(SignatureVerifier.verify("ecdsa", key(k), sig, MSG).valid()).isTrue();
        assertThat(SignatureVerifier.verify("ecdsa", key(k), Arrays.copyOf(sig, 64), MSG).outcome())
                .isEqualTo(SignatureVerifier.Outcome.WRONG_LENGTH);
    }

    @Test
    void ed25519() throws Exception {
        KeyPair k = TestCerts.ed25519();
        byte[] sig = sign("Ed25519", k, MSG);
        assertThat(SignatureVerifier.verify("eddsa", key(k), sig, MSG).valid()).isTrue();
        assertThat(SignatureVerifier.verify("eddsa", key(k), TufFixture.flipped(sig), MSG).valid()).isFalse();
        assertThat(SignatureVerifier.verify("eddsa", key(k), Arrays.copyOf(sig, 63), MSG).outcome())
                .isEqualTo(SignatureVerifier.Outcome.WRONG_LENGTH);
        assertThat(SignatureVerifier.verify("eddsa", new TufKey("ed25519", new byte[31]), sig, MSG).outcome())
                .isEqualTo(SignatureVerifier.Outcome.BAD_KEY);
    }

    @Test
    void rsaPssWithSaltLength32AndPkcs1v15() throws Exception {
        KeyPair k = TestCerts.rsa(2048);
        byte[] pss = sign("RSASSA-PSS", k, MSG);
        assertThat(SignatureVerifier.verify("rsapss", key(k), pss, MSG).valid()).isTrue();
        assertThat(SignatureVerifier.verify("rsapss", key(k), TufFixture.flipped(pss), MSG).valid()).isFalse();
        byte[] v15 = sign("SHA256withRSA", k, MSG);
        assertThat(SignatureVerifier.verify("rsapkcs1v15", key(k), v15, MSG).valid()).isTrue();
        assertThat(SignatureVerifier.verify("rsapss", key(k), v15, MSG).valid()).as("schemes are not interchangeable").isFalse();
        assertThat(SignatureVerifier.verify("rsapss", key(k), Arrays.copyOf(pss, 255), MSG).outcome())
                .isEqualTo(SignatureVerifier.Outcome.WRONG_LENGTH);
    }

    @Test
    void rsaKeysUnder2048BitsAreRefused() throws Exception {
        KeyPair k = TestCerts.rsa(1024);
        SignatureVerifier.Result r = SignatureVerifier.verify("rsapss", key(k), sign("RSASSA-PSS", k, MSG), MSG);
        assertThat(r.outcome()).isEqualTo(SignatureVerifier.Outcome.WEAK_KEY);
        assertThat(r.reason()).contains("1024-bit");
    }

    @Test
    void methodAndKeyMustAgree() throws Exception {
        KeyPair ec = TestCerts.ec();
        KeyPair ed = TestCerts.ed25519();
        assertThat(SignatureVerifier.verify("eddsa", key(ec), new byte[64], MSG).outcome())
                .isEqualTo(SignatureVerifier.Outcome.KEY_MISMATCH);
        assertThat(SignatureVerifier.verify("ecdsa", key(ed), new byte[64], MSG).outcome())
                .isEqualTo(SignatureVerifier.Outcome.KEY_MISMATCH);
        assertThat(SignatureVerifier.verify("rsapss", key(ec), new byte[256], MSG).outcome())
                .isEqualTo(SignatureVerifier.Outcome.KEY_MISMATCH);
        assertThat(SignatureVerifier.verify("hmac", key(ec), new byte[64], MSG).outcome())
                .isEqualTo(SignatureVerifier.Outcome.UNSUPPORTED_METHOD);
        assertThat(SignatureVerifier.verify("ecdsa", new TufKey("ecdsa", new byte[] {1, 2, 3}), new byte[64], MSG).outcome())
                .isEqualTo(SignatureVerifier.Outcome.BAD_KEY);
    }
}
