package dev.dockaudit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.image.DockerName;
import dev.dockaudit.registry.Credentials;
import dev.dockaudit.registry.RegistryClient;
import dev.dockaudit.registry.RegistryOptions;
import dev.dockaudit.testing.CosignSigning;
import dev.dockaudit.testing.FakeServer;
import dev.dockaudit.testing.ItEnv;
import dev.dockaudit.testing.NotationSigning;
import dev.dockaudit.testing.Oci;
import dev.dockaudit.testing.RegistryPush;
import dev.dockaudit.testing.RegistryPush.Pushed;
import dev.dockaudit.testing.TestPki;
import dev.dockaudit.trust.model.Referrer;
import dev.dockaudit.trust.notation.NotationTrustStore;
import dev.dockaudit.trust.notation.NotationVerifier;
import dev.dockaudit.trust.referrers.ArtifactTypes;
import dev.dockaudit.trust.referrers.ReferrerIndex;
import dev.dockaudit.trust.referrers.ReferrerListing;
import dev.dockaudit.trust.referrers.ReferrersClient;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import dev.dockaudit.util.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Artifacts attached to an image with a {@code subject}, pushed to the real Distribution 2.8.2 registry, which has
 * no OCI 1.1 referrers API: listed through the referrers tag schema ({@code sha256-<hex>} tag holding an index),
 * and through the referrers API served by a real HTTP server in front of the registry (pages, filters, garbage).
 */
class ReferrersIT {
    static final String SBOM = "application/vnd.cyclonedx+json";
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static String registry;
    static RegistryPush push;
    static KeyPair rootKey;
    static X509Certificate root;
    static KeyPair signerKey;
    static X509Certificate signer;
    final List<FakeServer> servers = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        registry = ItEnv.registryPlain();
        push = RegistryPush.anonymous(registry);
        rootKey = TestPki.ec("secp384r1");
        root = TestPki.cert().subject("wabbit-networks root", "wabbit-networks.io").key(rootKey).ca(1).keyUsage(true, 5, 6).build();
        signerKey = TestPki.ec("secp256r1");
        signer = TestPki.cert().subject("net-monitor release", "wabbit-networks.io").key(signerKey).issuer(root, rootKey.getPrivate())
                .keyUsage(true, 0).extendedKeyUsage("1.3.6.1.5.5.7.3.3").build();
    }

    @AfterEach
    void stop() {
        servers.forEach(FakeServer::close);
    }

    static RegistryClient client(int retries) {
        return new RegistryClient(new RegistryOptions(Set.of(), List.of(), List.of(),
                new Credentials(Path.of("/nonexistent/config.json")), 3_000, retries, 20, false));
    }

    static NotationVerifier notation(X509Certificate... trusted) {
        return new NotationVerifier(NotationTrustStore.of(List.of(trusted)), Clock.systemUTC());
    }

    static Pushed image(String repo) throws Exception {
        Oci.LayerBlob layer = Oci.LayerBlob.gzip(Oci.tar(Oci.files("app/bin", repo), List.of()), Oci.OCI_LAYER_GZIP);
        Oci.Blob config = Oci.config(Oci.OCI_CONFIG, "linux", "amd64", null, List.of(layer), List.of("COPY bin /app/"), Map.of());
        return push.image(repo, "1", Oci.manifest(Oci.OCI_MANIFEST, config, List.of(layer)), config, List.of(layer));
    }

    static final Oci.Blob EMPTY = new Oci.Blob(ArtifactTypes.OCI_EMPTY, "{}".getBytes(StandardCharsets.UTF_8));

    /** An OCI 1.1 artifact manifest: artifactType, the empty config (or {@code config}), one layer, the subject. */
    static Oci.Blob artifact(String repo, String artifactType, Oci.Blob config, Oci.Blob layer, Oci.Blob subject,
                             Map<String, String> annotations) throws Exception {
        push.blob(repo, config);
        push.blob(repo, layer);
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", Oci.OCI_MANIFEST);
        if (artifactType != null) {
            m.put("artifactType", artifactType);
        }
        m.set("config", Oci.descriptor(config));
        m.putArray("layers").add(Oci.descriptor(layer));
        m.set("subject", Oci.descriptor(subject));
        if (!annotations.isEmpty()) {
            ObjectNode a = m.putObject("annotations");
            annotations.forEach(a::put);
        }
        Oci.Blob manifest = new Oci.Blob(Oci.OCI_MANIFEST, CosignSigning.bytes(m));
        push.manifest(repo, manifest.digest().toString(), manifest);
        return manifest;
    }

    static Oci.Blob sbom(String repo, Oci.Blob subject) throws Exception {
        byte[] bom = ("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,\"components\":[]}").getBytes(StandardCharsets.UTF_8);
        return artifact(repo, SBOM, EMPTY, new Oci.Blob(SBOM, bom), subject, Map.of("org.opencontainers.image.created", "2025-01-02T03:04:05Z"));
    }

    /** A Notation signature as the signature specification stores it: config of the signature media type. */
    static Oci.Blob notationSignature(String repo, Oci.Blob subject, KeyPair key, List<X509Certificate> chain, Digest signed)
            throws Exception {
        String envelope = NotationSigning.envelope(NotationSigning.defaultHeader("ES256"),
                NotationSigning.payload(subject.mediaType(), signed, subject.size()), "ES256", key.getPrivate(), chain);
        Oci.Blob config = new Oci.Blob(NotationSigning.SIGNATURE_ARTIFACT, "{}".getBytes(StandardCharsets.UTF_8));
        return artifact(repo, null, config, new Oci.Blob(NotationSigning.JWS, envelope.getBytes(StandardCharsets.UTF_8)), subject,
                Map.of("io.cncf.notary.x509chain.thumbprint#S256", "[\"" + Digest.sha256(chain.get(0).getEncoded()).hex() + "\"]"));
    }

    /** The index clients write under the {@code sha256-<hex>} tag when the registry has no referrers API. */
    static Oci.Blob referrersIndex(List<Oci.Blob> manifests, List<String> artifactTypes) {
        ObjectNode i = Json.MAPPER.createObjectNode();
        i.put("schemaVersion", 2);
        i.put("mediaType", Oci.OCI_INDEX);
        ArrayNode ms = i.putArray("manifests");
        for (int n = 0; n < manifests.size(); n++) {
            ObjectNode d = Oci.descriptor(manifests.get(n));
            d.put("artifactType", artifactTypes.get(n));
            ms.add(d);
        }
        return new Oci.Blob(Oci.OCI_INDEX, CosignSigning.bytes(i));
    }

    static String fallbackTag(Digest d) {
        return d.algorithm() + "-" + d.hex();
    }

    @Test
    void theRegistryHasNoReferrersApiSoTheTagSchemaListsSbomAndSignatures() throws Exception {
        String repo = "da-tc/referrers-tag-" + RUN;
        Pushed img = image(repo);
        Pushed otherImg = image(repo + "-other");
        Oci.Blob sbom = sbom(repo, img.manifest());
        Oci.Blob good = notationSignature(repo, img.manifest(), signerKey, List.of(signer, root), img.manifestDigest());
        KeyPair strangerKey = TestPki.ec("secp256r1");
        X509Certificate stranger = TestPki.cert().subject("stranger", "x").key(strangerKey).keyUsage(true, 0).build();
        Oci.Blob untrusted = notationSignature(repo, img.manifest(), strangerKey, List.of(stranger), img.manifestDigest());
        Oci.Blob stale = sbom(repo, otherImg.manifest()); // listed under this image's tag, but its subject is another image
        push.manifest(repo, fallbackTag(img.manifestDigest()), referrersIndex(List.of(sbom, good, untrusted, stale),
                List.of(SBOM, NotationSigning.SIGNATURE_ARTIFACT, NotationSigning.SIGNATURE_ARTIFACT, SBOM)));

        DockerName name = DockerName.parse(registry + "/" + repo + ":1");
        ReferrerListing listing = new ReferrersClient(client(1)).list(name, img.manifestDigest(), notation(root));
        assertThat(listing.source()).isEqualTo(ReferrerIndex.Source.TAG_SCHEMA);
        assertThat(listing.error()).isNull();
        assertThat(listing.note()).contains("does not support the OCI referrers API").contains(fallbackTag(img.manifestDigest()));
        assertThat(listing.referrers()).hasSize(4);
        Referrer s = listing.referrers().get(0);
        assertThat(s.digest()).isEqualTo(sbom.digest().toString());
        assertThat(s.artifactType()).isEqualTo(SBOM);
        assertThat(s.mediaType()).isEqualTo(Oci.OCI_MANIFEST);
        assertThat(s.kind()).isEqualTo("SBOM (CycloneDX)");
        assertThat(s.annotations()).containsEntry("org.opencontainers.image.created", "2025-01-02T03:04:05Z");
        assertThat(s.verified()).isNull();
        assertThat(s.problem()).isNull();
        Referrer g = listing.referrers().get(1);
        assertThat(g.kind()).isEqualTo("Notation signature");
        assertThat(g.artifactType()).isEqualTo(NotationSigning.SIGNATURE_ARTIFACT);
        assertThat(g.problem()).isNull();
        assertThat(g.verified()).isTrue();
        assertThat(g.signer()).contains("CN=net-monitor release");
        Referrer u = listing.referrers().get(2);
        assertThat(u.verified()).isFalse();
        assertThat(u.problem()).contains("not in the trust store");
        assertThat(listing.referrers().get(3).problem()).contains("names " + otherImg.manifestDigest() + " as its subject");

        ReferrerListing unchecked = new ReferrersClient(client(1)).list(name, img.manifestDigest(), null);
        assertThat(unchecked.referrers()).extracting(Referrer::verified).containsOnlyNulls();
        ReferrerIndex onlySignatures = new ReferrersClient(client(1)).index(name, img.manifestDigest(), NotationSigning.SIGNATURE_ARTIFACT);
        assertThat(onlySignatures.descriptors()).hasSize(2);
    }

    @Test
    void neitherTheApiNorTheTagIsAClearNote() throws Exception {
        String repo = "da-tc/referrers-none-" + RUN;
        Pushed img = image(repo);
        ReferrerListing listing = new ReferrersClient(client(1)).list(DockerName.parse(registry + "/" + repo + ":1"),
                img.manifestDigest(), null);
        assertThat(listing.referrers()).isEmpty();
        assertThat(listing.source()).isEqualTo(ReferrerIndex.Source.NONE);
        assertThat(listing.error()).isNull();
        assertThat(listing.note()).contains("does not support the OCI referrers API").contains("has no " + fallbackTag(img.manifestDigest()));
    }

    /** Serves the OCI 1.1 referrers API for what was pushed, in pages of one, filtering when asked. */
    static FakeServer.Behaviour referrersApi(String repo, Digest subject, List<Oci.Blob> manifests, List<String> types) {
        return (ex, s) -> {
            String path = ex.getRequestURI().getPath();
            if (!path.equals("/v2/" + repo + "/referrers/" + subject)) {
                return false;
            }
            String q = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
            String filter = null;
            int page = 0;
            for (String kv : q.split("&")) {
                if (kv.startsWith("artifactType=")) {
                    filter = java.net.URLDecoder.decode(kv.substring(13), StandardCharsets.UTF_8);
                } else if (kv.startsWith("page=")) {
                    page = Integer.parseInt(kv.substring(5));
                }
            }
            List<Oci.Blob> ms = new ArrayList<>();
            List<String> ts = new ArrayList<>();
            for (int i = 0; i < manifests.size(); i++) {
                if (filter == null || filter.equals(types.get(i))) {
                    ms.add(manifests.get(i));
                    ts.add(types.get(i));
                }
            }
            Map<String, String> headers = new java.util.HashMap<>(Map.of("Content-Type", Oci.OCI_INDEX));
            if (filter != null) {
                headers.put("OCI-Filters-Applied", "artifactType");
            }
            List<Oci.Blob> pageItems = page < ms.size() ? List.of(ms.get(page)) : List.of();
            List<String> pageTypes = page < ts.size() ? List.of(ts.get(page)) : List.of();
            if (page + 1 < ms.size()) {
                headers.put("Link", "<" + path + "?" + (filter == null ? "" : "artifactType="
                        + java.net.URLEncoder.encode(filter, StandardCharsets.UTF_8) + "&") + "page=" + (page + 1) + ">; rel=\"next\"");
            }
            FakeServer.send(ex, 200, headers, referrersIndex(pageItems, pageTypes).bytes());
            return true;
        };
    }

    @Test
    void theReferrersApiIsUsedWhenTheRegistryHasItWithPagesAndFilters() throws Exception {
        String repo = "da-tc/referrers-api-" + RUN;
        Pushed img = image(repo);
        Oci.Blob sbom = sbom(repo, img.manifest());
        Oci.Blob sig = notationSignature(repo, img.manifest(), signerKey, List.of(signer, root), img.manifestDigest());
        FakeServer proxy = FakeServer.start(registry);
        servers.add(proxy);
        proxy.behave(referrersApi(repo, img.manifestDigest(), List.of(sbom, sig), List.of(SBOM, NotationSigning.SIGNATURE_ARTIFACT)));
        DockerName name = DockerName.parse(proxy.hostPort() + "/" + repo + ":1");
        ReferrerListing listing = new ReferrersClient(client(1)).list(name, img.manifestDigest(), notation(root));
        assertThat(listing.source()).isEqualTo(ReferrerIndex.Source.REFERRERS_API);
        assertThat(listing.note()).isEqualTo("listed with the OCI referrers API");
        assertThat(listing.referrers()).extracting(Referrer::kind).containsExactly("SBOM (CycloneDX)", "Notation signature");
        assertThat(listing.referrers().get(1).verified()).isTrue();
        assertThat(proxy.requests(r -> r.path().contains("/referrers/"))).hasSize(2); // two pages
        assertThat(proxy.requests(r -> r.path().contains("/manifests/" + fallbackTag(img.manifestDigest())))).isEmpty();

        ReferrerIndex filtered = new ReferrersClient(client(1)).index(name, img.manifestDigest(), NotationSigning.SIGNATURE_ARTIFACT);
        assertThat(filtered.descriptors()).singleElement().satisfies(d -> assertThat(d.digest()).isEqualTo(sig.digest()));
        assertThat(proxy.requests(r -> r.path().contains("/referrers/") && r.query() != null
                && r.query().contains("artifactType=application%2Fvnd.cncf.notary.signature"))).hasSize(1);
    }

    @Test
    void aRegistryThatIgnoresTheFilterIsFilteredHere() throws Exception {
        String repo = "da-tc/referrers-nofilter-" + RUN;
        Pushed img = image(repo);
        Oci.Blob sbom = sbom(repo, img.manifest());
        Oci.Blob sig = notationSignature(repo, img.manifest(), signerKey, List.of(signer, root), img.manifestDigest());
        FakeServer proxy = FakeServer.start(registry);
        servers.add(proxy);
        proxy.behave((ex, s) -> {
            if (!ex.getRequestURI().getPath().startsWith("/v2/" + repo + "/referrers/")) {
                return false;
            }
            FakeServer.send(ex, 200, Map.of("Content-Type", Oci.OCI_INDEX),
                    referrersIndex(List.of(sbom, sig), List.of(SBOM, NotationSigning.SIGNATURE_ARTIFACT)).bytes());
            return true;
        });
        ReferrerIndex filtered = new ReferrersClient(client(1)).index(DockerName.parse(proxy.hostPort() + "/" + repo + ":1"),
                img.manifestDigest(), SBOM);
        assertThat(filtered.descriptors()).singleElement().satisfies(d -> assertThat(d.digest()).isEqualTo(sbom.digest()));
    }

    @Test
    void aReferrersApiReturningGarbageIsAnErrorInTheListingNotACrash() throws Exception {
        String repo = "da-tc/referrers-garbage-" + RUN;
        Pushed img = image(repo);
        FakeServer proxy = FakeServer.start(registry);
        servers.add(proxy);
        String[] reply = {"<html><body>upstream hiccup</body></html>"};
        proxy.behave((ex, s) -> {
            if (!ex.getRequestURI().getPath().startsWith("/v2/" + repo + "/referrers/")) {
                return false;
            }
            if (reply[0].equals("500")) {
                FakeServer.send(ex, 500, Map.of(), "internal error".getBytes(StandardCharsets.UTF_8));
            } else {
                FakeServer.send(ex, 200, Map.of("Content-Type", Oci.OCI_INDEX), reply[0].getBytes(StandardCharsets.UTF_8));
            }
            return true;
        });
        DockerName name = DockerName.parse(proxy.hostPort() + "/" + repo + ":1");
        ReferrerListing l = new ReferrersClient(client(1)).list(name, img.manifestDigest(), null);
        assertThat(l.referrers()).isEmpty();
        assertThat(l.error()).contains("is not JSON (it starts '<html><body>upstream hiccup");
        reply[0] = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"sha256:123\",\"size\":1}]}";
        assertThat(new ReferrersClient(client(1)).list(name, img.manifestDigest(), null).error()).contains("entry 1 has no valid digest");
        reply[0] = "";
        assertThat(new ReferrersClient(client(1)).list(name, img.manifestDigest(), null).error()).contains("empty");
        reply[0] = "500";
        assertThatThrownBy(() -> new ReferrersClient(client(1)).list(name, img.manifestDigest(), null))
                .isInstanceOf(UserError.class).hasMessageContaining("HTTP 500").hasMessageContaining("internal error");
    }

    @Test
    void aNextPageOnAnotherHostIsRefused() throws Exception {
        String repo = "da-tc/referrers-link-" + RUN;
        Pushed img = image(repo);
        FakeServer proxy = FakeServer.start(registry);
        servers.add(proxy);
        proxy.behave((ex, s) -> {
            if (!ex.getRequestURI().getPath().startsWith("/v2/" + repo + "/referrers/")) {
                return false;
            }
            FakeServer.send(ex, 200, Map.of("Content-Type", Oci.OCI_INDEX, "Link", "<http://attacker.example/v2/x?page=2>; rel=\"next\""),
                    referrersIndex(List.of(), List.of()).bytes());
            return true;
        });
        assertThatThrownBy(() -> new ReferrersClient(client(1)).index(DockerName.parse(proxy.hostPort() + "/" + repo + ":1"),
                img.manifestDigest(), null)).isInstanceOf(UserError.class).hasMessageContaining("another host (attacker.example)");
    }
}
