package dev.dockaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.image.DockerName;
import dev.dockaudit.registry.Credentials;
import dev.dockaudit.registry.RegistryClient;
import dev.dockaudit.registry.RegistryOptions;
import dev.dockaudit.testing.CosignSigning;
import dev.dockaudit.testing.CosignSigning.Layer;
import dev.dockaudit.testing.FakeServer;
import dev.dockaudit.testing.ItEnv;
import dev.dockaudit.testing.Oci;
import dev.dockaudit.testing.RegistryPush;
import dev.dockaudit.testing.RegistryPush.Pushed;
import dev.dockaudit.testing.TestPki;
import dev.dockaudit.trust.cosign.CosignOptions;
import dev.dockaudit.trust.cosign.CosignVerifier;
import dev.dockaudit.trust.cosign.Fulcio;
import dev.dockaudit.trust.cosign.TrustRoot;
import dev.dockaudit.trust.model.CosignSignature;
import dev.dockaudit.trust.referrers.ArtifactTypes;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * cosign signatures made in the test as the cosign specification defines them (payload blob, signature
 * annotation, the sha256-&lt;hex&gt;.sig manifest) and pushed to the real Distribution registry; then found and
 * verified by dockaudit through its registry client. Misbehaving registries are a real HTTP server in front of it.
 */
class CosignIT {
    static String registry;
    static RegistryPush push;
    static RegistryClient client;
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    final List<FakeServer> servers = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        registry = ItEnv.registryPlain();
        push = RegistryPush.anonymous(registry);
        client = client();
    }

    static RegistryClient client() {
        return new RegistryClient(new RegistryOptions(Set.of(), List.of(), List.of(),
                new Credentials(Path.of("/nonexistent/config.json")), 3_000, 1, 50, false));
    }

    @AfterEach
    void stop() {
        servers.forEach(FakeServer::close);
    }

    /** A small real image in its own repository. */
    static Pushed image(String repo, String content) throws Exception {
        Oci.LayerBlob layer = Oci.LayerBlob.gzip(Oci.tar(Oci.files("etc/app.conf", content), List.of()), Oci.OCI_LAYER_GZIP);
        Oci.Blob config = Oci.config(Oci.OCI_CONFIG, "linux", "amd64", null, List.of(layer), List.of("COPY app.conf /etc/"), Map.of());
        return push.image(repo, "1", Oci.manifest(Oci.OCI_MANIFEST, config, List.of(layer)), config, List.of(layer));
    }

    static String repo(String name) {
        return "da-tc/cosign-" + name + "-" + RUN;
    }

    static DockerName name(String repo) {
        return DockerName.parse(registry + "/" + repo + ":1");
    }

    static String sigTag(Digest d) {
        return "sha256-" + d.hex() + ".sig";
    }

    /** Pushes the payload blobs, the config and the signature manifest under the .sig tag. */
    static Oci.Blob pushSignatures(String repo, Digest image, List<Layer> layers) throws Exception {
        for (Layer l : layers) {
            push.blob(repo, l.payload());
        }
        Oci.Blob config = CosignSigning.config(layers);
        push.blob(repo, config);
        Oci.Blob manifest = CosignSigning.manifest(config, layers, null, null);
        push.manifest(repo, sigTag(image), manifest);
        return manifest;
    }

    @Test
    void keyedSignaturesOnTheSigTagVerifyEachWithItsOwnKey() throws Exception {
        String repo = repo("keyed");
        Pushed img = image(repo, "keyed");
        DockerName ref = name(repo);
        byte[] payload = CosignSigning.payload(registry + "/" + repo, img.manifestDigest());
        KeyPair p256 = TestPki.ec("secp256r1");
        KeyPair rsa = TestPki.rsa(2048);
        KeyPair ed = TestPki.ed25519();
        pushSignatures(repo, img.manifestDigest(), List.of(
                CosignSigning.keyed(payload, CosignSigning.sign(p256.getPrivate(), payload)),
                CosignSigning.keyed(payload, CosignSigning.sign(rsa.getPrivate(), payload)),
                CosignSigning.keyed(payload, CosignSigning.sign(ed.getPrivate(), payload))));
        for (KeyPair k : List.of(p256, rsa, ed)) {
            List<CosignSignature> sigs = new CosignVerifier(client, CosignOptions.keyed(k.getPublic())).verify(ref, img.manifestDigest());
            assertThat(sigs).hasSize(3);
            assertThat(sigs).allSatisfy(s -> assertThat(s.signatureTag()).isEqualTo(sigTag(img.manifestDigest())));
            assertThat(sigs).filteredOn(CosignSignature::verified).as(k.getPublic().getAlgorithm()).hasSize(1)
                    .allSatisfy(s -> assertThat(s.keyId()).isEqualTo(Digest.sha256(k.getPublic().getEncoded()).hex()));
            assertThat(sigs).filteredOn(s -> !s.verified()).allSatisfy(s -> assertThat(s.problem()).isNotBlank());
        }
        List<CosignSignature> wrong = new CosignVerifier(client, CosignOptions.keyed(TestPki.ec("secp256r1").getPublic()))
                .verify(ref, img.manifestDigest());
        assertThat(wrong).hasSize(3).noneMatch(CosignSignature::verified);
        assertThat(wrong.get(0).problem()).contains("does not match the payload and key");
    }

    @Test
    void anEditedPayloadOrOneForAnotherImageFails() throws Exception {
        String repo = repo("edited");
        Pushed img = image(repo, "edited");
        Pushed other = image(repo(("edited-other")), "other");
        KeyPair k = TestPki.ec("secp256r1");
        byte[] payload = CosignSigning.payload(registry + "/" + repo, img.manifestDigest());
        byte[] sig = CosignSigning.sign(k.getPrivate(), payload);
        byte[] edited = new String(payload, StandardCharsets.UTF_8).replace("\"optional\":null", "\"optional\":{\"ok\":\"yes\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] forOther = CosignSigning.payload(registry + "/" + repo, other.manifestDigest());
        pushSignatures(repo, img.manifestDigest(), List.of(CosignSigning.keyed(edited, sig),
                CosignSigning.keyed(forOther, CosignSigning.sign(k.getPrivate(), forOther))));
        List<CosignSignature> sigs = new CosignVerifier(client, CosignOptions.keyed(k.getPublic())).verify(name(repo), img.manifestDigest());
        assertThat(sigs).hasSize(2).noneMatch(CosignSignature::verified);
        assertThat(sigs.get(0).problem()).contains("does not match the payload");
        assertThat(sigs.get(1).problem()).contains("is for the manifest " + other.manifestDigest());
    }

    @Test
    void anImageWithoutSignaturesHasNone() throws Exception {
        String repo = repo("unsigned");
        Pushed img = image(repo, "unsigned");
        assertThat(new CosignVerifier(client, CosignOptions.keyed(TestPki.ec("secp256r1").getPublic()))
                .verify(name(repo), img.manifestDigest())).isEmpty();
    }

    @Test
    void aKeylessSignatureVerifiesOfflineFromTheRegistry() throws Exception {
        String repo = repo("keyless");
        Pushed img = image(repo, "keyless");
        KeyPair rootKey = TestPki.ec("secp384r1");
        X509Certificate root = TestPki.rootCa("it-fulcio", rootKey);
        KeyPair interKey = TestPki.ec("secp384r1");
        X509Certificate inter = TestPki.intermediateCa("it-fulcio-intermediate", interKey, root, rootKey.getPrivate());
        KeyPair rekor = TestPki.ec("secp256r1");
        KeyPair k = TestPki.ec("secp256r1");
        long logged = Instant.now().minusSeconds(120).getEpochSecond();
        X509Certificate leaf = TestPki.cert().key(k).issuer(inter, interKey.getPrivate())
                .validity(Instant.ofEpochSecond(logged - 30), Instant.ofEpochSecond(logged + 570)).keyUsage(true, 0)
                .extendedKeyUsage(Fulcio.EKU_CODE_SIGNING).san(true, "https://ci.example/acme/app/release@refs/tags/v1")
                .fulcioIssuer("https://ci.example").build();
        byte[] payload = CosignSigning.payload(registry + "/" + repo, img.manifestDigest());
        byte[] sig = CosignSigning.sign(k.getPrivate(), payload);
        String bundle = CosignSigning.bundle(rekor, CosignSigning.hashedRekord(sig, payload, TestPki.pem(leaf)), logged, 1234);
        pushSignatures(repo, img.manifestDigest(), List.of(CosignSigning.keyless(payload, sig, leaf, List.of(inter, root), bundle)));
        CosignOptions o = CosignOptions.keyless(TrustRoot.of(List.of(root)), "https://ci.example/acme/app/release@refs/tags/v1",
                "https://ci.example", rekor.getPublic());
        List<CosignSignature> sigs = new CosignVerifier(client, o).verify(name(repo), img.manifestDigest());
        assertThat(sigs).singleElement().satisfies(s -> {
            assertThat(s.problem()).isNull();
            assertThat(s.verified()).isTrue();
            assertThat(s.identity()).isEqualTo("https://ci.example/acme/app/release@refs/tags/v1");
            assertThat(s.issuer()).isEqualTo("https://ci.example");
        });
        CosignOptions wrongIssuer = CosignOptions.keyless(TrustRoot.of(List.of(root)), "https://ci.example/acme/app/release@refs/tags/v1",
                "https://other.example", rekor.getPublic());
        assertThat(new CosignVerifier(client, wrongIssuer).verify(name(repo), img.manifestDigest()).get(0).problem())
                .contains("OIDC issuer is https://ci.example");
    }

    @Test
    void aSignatureOfTheWrongLengthOrNotInBase64IsAFailedSignatureNotACrash() throws Exception {
        String repo = repo("badsig");
        Pushed img = image(repo, "badsig");
        KeyPair k = TestPki.ec("secp256r1");
        byte[] payload = CosignSigning.payload(registry + "/" + repo, img.manifestDigest());
        byte[] sig = CosignSigning.sign(k.getPrivate(), payload);
        Layer truncated = CosignSigning.keyed(payload, Arrays.copyOf(sig, sig.length - 5));
        Layer notBase64 = CosignSigning.keyed(payload, sig);
        notBase64.annotations().put("dev.cosignproject.cosign/signature", "%%% not base64 %%%");
        Layer none = CosignSigning.keyed(payload, sig);
        none.annotations().clear();
        pushSignatures(repo, img.manifestDigest(), List.of(truncated, notBase64, none));
        List<CosignSignature> sigs = new CosignVerifier(client, CosignOptions.keyed(k.getPublic())).verify(name(repo), img.manifestDigest());
        assertThat(sigs).extracting(CosignSignature::problem).satisfiesExactly(
                p -> assertThat(p).contains("not an ECDSA signature"),
                p -> assertThat(p).contains("is not base64"),
                p -> assertThat(p).contains("has no dev.cosignproject.cosign/signature annotation"));
    }

    @Test
    void aSignatureFoundThroughTheReferrersApiVerifies() throws Exception {
        String repo = repo("referrer");
        Pushed img = image(repo, "referrer");
        KeyPair k = TestPki.ec("secp256r1");
        byte[] payload = CosignSigning.payload(registry + "/" + repo, img.manifestDigest());
        Layer layer = CosignSigning.keyed(payload, CosignSigning.sign(k.getPrivate(), payload));
        push.blob(repo, layer.payload());
        Oci.Blob config = CosignSigning.config(List.of(layer));
        push.blob(repo, config);
        Oci.Blob sigManifest = CosignSigning.manifest(config, List.of(layer), img.manifest(), ArtifactTypes.COSIGN_SIGNATURE);
        push.manifest(repo, sigManifest.digest().toString(), sigManifest);
        FakeServer proxy = FakeServer.start(registry);
        servers.add(proxy);
        proxy.behave((ex, s) -> {
            if (!ex.getRequestURI().getPath().equals("/v2/" + repo + "/referrers/" + img.manifestDigest())) {
                return false;
            }
            ObjectNode index = Json.MAPPER.createObjectNode();
            index.put("schemaVersion", 2);
            index.put("mediaType", Oci.OCI_INDEX);
            ObjectNode d = Oci.descriptor(sigManifest);
            d.put("artifactType", ArtifactTypes.COSIGN_SIGNATURE);
            index.putArray("manifests").add(d);
            FakeServer.send(ex, 200, Map.of("Content-Type", Oci.OCI_INDEX), CosignSigning.bytes(index));
            return true;
        });
        DockerName viaProxy = DockerName.parse(proxy.hostPort() + "/" + repo + ":1");
        CosignOptions o = CosignOptions.keyed(k.getPublic()).withIgnoreReference(true); // signed for the registry, read via the proxy
        List<CosignSignature> sigs = new CosignVerifier(client(), o).verify(viaProxy, img.manifestDigest());
        assertThat(sigs).singleElement().satisfies(s -> {
            assertThat(s.signatureTag()).isEqualTo(sigManifest.digest().toString());
            assertThat(s.problem()).isNull();
        });
        assertThat(proxy.requests(r -> r.path().contains("/referrers/"))).isNotEmpty()
                .allSatisfy(r -> assertThat(r.query()).contains("artifactType="));
    }

    @Test
    void aSignatureManifestThatIsNotJsonOrTooBigIsAFinding() throws Exception {
        String repo = repo("garbage");
        Pushed img = image(repo, "garbage");
        String tag = sigTag(img.manifestDigest());
        byte[] huge = new byte[(4 << 20) + 100];
        Arrays.fill(huge, (byte) ' ');
        FakeServer proxy = FakeServer.start(registry);
        servers.add(proxy);
        String[] mode = {"garbage"};
        proxy.behave((ex, s) -> {
            if (!ex.getRequestURI().getPath().equals("/v2/" + repo + "/manifests/" + tag)) {
                return false;
            }
            FakeServer.send(ex, 200, Map.of("Content-Type", Oci.OCI_MANIFEST),
                    mode[0].equals("garbage") ? "<html>not a manifest</html>".getBytes(StandardCharsets.UTF_8) : huge);
            return true;
        });
        DockerName viaProxy = DockerName.parse(proxy.hostPort() + "/" + repo + ":1");
        CosignVerifier v = new CosignVerifier(client(), CosignOptions.keyed(TestPki.ec("secp256r1").getPublic()));
        assertThat(v.verify(viaProxy, img.manifestDigest())).singleElement().satisfies(s -> {
            assertThat(s.verified()).isFalse();
            assertThat(s.problem()).contains(tag + " is not JSON");
        });
        mode[0] = "huge";
        assertThat(v.verify(viaProxy, img.manifestDigest())).singleElement().satisfies(s -> {
            assertThat(s.verified()).isFalse();
            assertThat(s.problem()).contains("over 4 MiB");
        });
    }

    @Test
    void aPayloadBlobTheRegistryAltersIsCaught() throws Exception {
        String repo = repo("altered");
        Pushed img = image(repo, "altered");
        KeyPair k = TestPki.ec("secp256r1");
        byte[] payload = CosignSigning.payload(registry + "/" + repo, img.manifestDigest());
        Layer layer = CosignSigning.keyed(payload, CosignSigning.sign(k.getPrivate(), payload));
        pushSignatures(repo, img.manifestDigest(), List.of(layer));
        FakeServer proxy = FakeServer.start(registry);
        servers.add(proxy);
        proxy.behave((ex, s) -> {
            if (!ex.getRequestURI().getPath().equals("/v2/" + repo + "/blobs/" + layer.payload().digest())) {
                return false;
            }
            byte[] b = payload.clone();
            b[b.length - 3] ^= 1;
            FakeServer.send(ex, 200, Map.of("Content-Type", "application/octet-stream"), b);
            return true;
        });
        List<CosignSignature> sigs = new CosignVerifier(client(), CosignOptions.keyed(k.getPublic()).withIgnoreReference(true))
                .verify(DockerName.parse(proxy.hostPort() + "/" + repo + ":1"), img.manifestDigest());
        assertThat(sigs).singleElement().satisfies(s -> assertThat(s.problem()).contains("does not match its digest"));
    }
}
