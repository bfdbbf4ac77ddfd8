package dev.dockaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.CosignSigning;
import dev.dockaudit.testing.ItEnv;
import dev.dockaudit.testing.RegistryPush.Pushed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dockaudit trust} end to end with cosign: a keyed signature pushed to the real registry verifies with its
 * public key and is reported with the key id; another key fails as a HIGH finding (exit 1); without a key the
 * signature is only listed; --require-signature passes on a verified cosign signature even without Notary data.
 */
class TrustCosignCliIT {
    @TempDir
    Path tmp;

    private static String pem(KeyPair k) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(k.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private Cli.Result trust(String... args) {
        // No --trust-server: the registry runs no notary, which the command notes and goes on with cosign.
        String[] all = new String[args.length + 2];
        all[0] = "trust";
        all[1] = "--format=json";
        System.arraycopy(args, 0, all, 2, args.length);
        return Cli.run(all);
    }

    @org.junit.jupiter.api.BeforeAll
    static void registry() {
        CosignIT.setUp(); // the registry push helpers CosignIT's static methods use
    }

    @Test
    void keyedCosignSignatureVerifiesThroughTheTrustCommand() throws Exception {
        String repo = CosignIT.repo("cli");
        Pushed img = CosignIT.image(repo, "cli " + repo);
        KeyPair key = p256();
        KeyPair other = p256();
        byte[] payload = CosignSigning.payload(ItEnv.registryPlain() + "/" + repo, img.manifestDigest());
        CosignIT.pushSignatures(repo, img.manifestDigest(),
                List.of(CosignSigning.keyed(payload, CosignSigning.sign(key.getPrivate(), payload))));
        Path pub = tmp.resolve("cosign.pub");
        Files.writeString(pub, pem(key));
        Path wrong = tmp.resolve("other.pub");
        Files.writeString(wrong, pem(other));
        String ref = ItEnv.registryPlain() + "/" + repo + ":1";

        Cli.Result ok = trust("--key", pub.toString(), "--require-signature", ref);
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        JsonNode cosign = ok.json().at("/trust/cosign");
        assertThat(cosign).hasSize(1);
        assertThat(cosign.get(0).get("verified").asBoolean()).isTrue();
        assertThat(cosign.get(0).get("signatureTag").asText()).isEqualTo("sha256-" + img.manifestDigest().hex() + ".sig");
        assertThat(ok.json().get("findings").toString()).doesNotContain("TRUST-COSIGN-INVALID", "TRUST-NO-VERIFIED-SIGNATURE");
        assertThat(ok.json().get("notes").toString()).contains("Docker Content Trust not checked");

        Cli.Result bad = trust("--key", wrong.toString(), ref);
        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(1);
        assertThat(bad.json().get("findings").toString()).contains("TRUST-COSIGN-INVALID");

        Cli.Result listed = trust(ref);
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.json().at("/trust/cosign")).hasSize(1);
        assertThat(listed.json().at("/trust/cosign/0/verified").asBoolean()).isFalse();
        assertThat(listed.json().get("findings").toString()).doesNotContain("TRUST-COSIGN-INVALID");

        Pushed unsigned = CosignIT.image(CosignIT.repo("cli-unsigned"), "nothing signs this");
        Cli.Result required = trust("--require-signature", ItEnv.registryPlain() + "/" + CosignIT.repo("cli-unsigned") + ":1");
        assertThat(required.exitCode()).as(required.toString()).isEqualTo(1);
        assertThat(required.json().get("findings").toString()).contains("TRUST-NO-VERIFIED-SIGNATURE");
        assertThat(unsigned.manifestDigest()).isNotNull();
    }
}
