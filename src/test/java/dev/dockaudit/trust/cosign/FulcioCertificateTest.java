package dev.dockaudit.trust.cosign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FulcioCertificateTest {
    @Test
    void theRealFulcioCertificateNamesItsSignerAndIssuer() throws Exception {
        String pem = CosignRealSignatureTest.layer().get("annotations").get("dev.sigstore.cosign/certificate").asText();
        X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        assertThat(Fulcio.identities(c)).containsExactly(CosignRealSignatureTest.EMAIL);
        assertThat(Fulcio.issuer(c)).isEqualTo(CosignRealSignatureTest.GOOGLE);
    }

    @Test
    void theDerIssuerExtensionWinsAndTheRawOneIsReadAlone() {
        KeyPair k = TestPki.ec("secp256r1");
        X509Certificate ca = TestPki.rootCa("ca", k); // Fulcio leaves have an empty subject, so they need an issuer
        X509Certificate both = TestPki.cert().key(k).issuer(ca, k.getPrivate()).san(true, "https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main")
                .extension("1.3.6.1.4.1.57264.1.1", false, "https://old.example".getBytes(StandardCharsets.UTF_8))
                .extension("1.3.6.1.4.1.57264.1.8", false, TestPki.tlv(0x0c, "https://new.example".getBytes(StandardCharsets.UTF_8)))
                .build();
        assertThat(Fulcio.issuer(both)).isEqualTo("https://new.example");
        assertThat(Fulcio.identities(both)).containsExactly("https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main");
        X509Certificate v1 = TestPki.cert().key(k).issuer(ca, k.getPrivate()).san(true, "me@example.com")
                .extension("1.3.6.1.4.1.57264.1.1", false, "https://old.example".getBytes(StandardCharsets.UTF_8)).build();
        assertThat(Fulcio.issuer(v1)).isEqualTo("https://old.example");
        X509Certificate none = TestPki.cert().subject("x", null).key(k).build();
        assertThat(Fulcio.issuer(none)).isNull();
        assertThat(Fulcio.identities(none)).isEmpty();
        X509Certificate broken = TestPki.cert().subject("broken", null).key(k).issuer(ca, k.getPrivate()).extension("1.3.6.1.4.1.57264.1.8", false, new byte[] {0x0c, 0x7f, 0x41}).build();
        assertThat(Fulcio.issuer(broken)).as("a UTF8String longer than its bytes").isNull();
    }

    @Test
    void theTrustRootFileNeedsARoot() throws Exception {
        KeyPair rootKey = TestPki.ec("secp256r1");
        X509Certificate root = TestPki.rootCa("root", rootKey);
        X509Certificate inter = TestPki.intermediateCa("inter", TestPki.ec("secp256r1"), root, rootKey.getPrivate());
        java.nio.file.Path f = Files.createTempFile("fulcio", ".pem");
        try {
            Files.writeString(f, TestPki.pem(inter));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrustRoot.load(f))
                    .hasMessageContaining("holds no root certificate");
            Files.writeString(f, "nothing");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrustRoot.load(f)).isInstanceOf(dev.dockaudit.util.UserError.class);
            Files.writeString(f, TestPki.pem(inter, root));
            TrustRoot t = TrustRoot.load(f);
            KeyPair leafKey = TestPki.ec("secp256r1");
            // names inter as its issuer, but is signed by some other key
            X509Certificate forged = TestPki.cert().key(leafKey).issuer(inter, TestPki.ec("secp256r1").getPrivate())
                    .san(true, "a@b").build();
            assertThat(t.validate(forged, List.of(), Instant.now())).contains("does not chain");
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
