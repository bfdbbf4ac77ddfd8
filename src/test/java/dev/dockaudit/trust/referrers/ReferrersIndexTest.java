package dev.dockaudit.trust.referrers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferrersIndexTest {
    static final String D1 = "sha256:" + "a".repeat(64);
    static final String D2 = "sha256:" + "b".repeat(64);

    static List<ReferrerDescriptor> parse(String json) throws Exception {
        return ReferrersClient.parseIndex(json.getBytes(StandardCharsets.UTF_8), "the reply");
    }

    @Test
    void anOci11ReferrersIndexIsRead() throws Exception {
        List<ReferrerDescriptor> d = parse("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + D1 + "\",\"size\":100,"
                + "\"artifactType\":\"application/vnd.cncf.notary.signature\",\"annotations\":{\"io.cncf.notary.x509chain.thumbprint#S256\":\"[\\\"ab\\\"]\"}},"
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + D2 + "\",\"size\":7,\"artifactType\":\"application/spdx+json\"}]}");
        assertThat(d).hasSize(2);
        assertThat(d.get(0).artifactType()).isEqualTo("application/vnd.cncf.notary.signature");
        assertThat(d.get(0).annotations()).containsKey("io.cncf.notary.x509chain.thumbprint#S256");
        assertThat(d.get(1).digest().toString()).isEqualTo(D2);
        assertThat(parse("{\"schemaVersion\":2,\"manifests\":[]}")).isEmpty();
    }

    @Test
    void garbageIsRefusedWithAReason() {
        assertThatThrownBy(() -> parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> parse("<html>502 Bad Gateway</html>")).hasMessageContaining("not JSON (it starts '<html>502 Bad Gateway");
        assertThatThrownBy(() -> parse("[]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> parse("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"manifests\":[]}"))
                .hasMessageContaining("not an OCI image index");
        assertThatThrownBy(() -> parse("{\"schemaVersion\":2}")).hasMessageContaining("no manifests list");
        assertThatThrownBy(() -> parse("{\"manifests\":[1]}")).hasMessageContaining("entry 1 is not a descriptor");
        assertThatThrownBy(() -> parse("{\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"sha256:zz\",\"size\":1}]}"))
                .hasMessageContaining("entry 1 has no valid digest");
        assertThatThrownBy(() -> parse("{\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":-1}]}"))
                .hasMessageContaining("no valid size");
        assertThatThrownBy(() -> parse("{\"manifests\":[{\"digest\":\"" + D1 + "\",\"size\":1}]}")).hasMessageContaining("no mediaType");
        assertThatThrownBy(() -> parse("{\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":1,\"artifactType\":{}}]}"))
                .hasMessageContaining("artifactType that is not a string");
    }

    @Test
    void artifactKindsAreNamedForPeople() {
        assertThat(ArtifactTypes.kind("application/vnd.cncf.notary.signature", null)).isEqualTo("Notation signature");
        assertThat(ArtifactTypes.kind("application/vnd.cyclonedx+json", null)).isEqualTo("SBOM (CycloneDX)");
        assertThat(ArtifactTypes.kind("application/spdx+json", null)).isEqualTo("SBOM (SPDX)");
        assertThat(ArtifactTypes.kind("application/vnd.in-toto+json", "https://slsa.dev/provenance/v1")).isEqualTo("provenance (SLSA)");
        assertThat(ArtifactTypes.kind("application/vnd.in-toto+json", null)).isEqualTo("in-toto attestation");
        assertThat(ArtifactTypes.kind("application/sarif+json", null)).isEqualTo("vulnerability report");
        assertThat(ArtifactTypes.kind("application/vnd.dev.cosign.artifact.sig.v1+json", null)).isEqualTo("cosign signature");
        assertThat(ArtifactTypes.kind("application/vnd.dev.sigstore.bundle.v0.3+json", null)).isEqualTo("sigstore bundle");
        assertThat(ArtifactTypes.kind("application/vnd.example.thing", null)).isEqualTo("artifact");
        assertThat(ArtifactTypes.kind(null, null)).isEqualTo("artifact");
    }
}
