package dev.dockaudit.trust.notary;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.image.DockerName;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;
import dev.dockaudit.testing.TufFixture;
import dev.dockaudit.trust.model.NotaryResult;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Metadata made by the real notary-server and docker CLI (src/test/resources/notary/real, see its README), verified
 * offline: the result must be what docker trust inspect printed for it, and one edit must be caught.
 */
class RealNotaryMetadataTest {
    static final String GUN = "127.0.0.1:5210/da-tn/x";
    static final Clock AT_CAPTURE = Clock.fixed(Instant.parse("2026-11-26T18:00:00Z"), ZoneOffset.UTC);

    static Map<String, byte[]> files() throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (String role : List.of("root", "timestamp", "snapshot", "targets", "targets/releases", "targets/alice")) {
            try (InputStream in = RealNotaryMetadataTest.class.getResourceAsStream("/notary/real/" + role.replace('/', '_') + ".json")) {
                m.put(role, in.readAllBytes());
            }
        }
        return m;
    }

    /** The registry serving exactly the signed digests (from docker trust inspect's output). */
    static NotaryAudit.Registry signedRegistry() throws IOException {
        JsonNode docker = dockerInspect();
        Map<String, Digest> d = new LinkedHashMap<>();
        for (JsonNode t : docker.get(0).get("SignedTags")) {
            d.put(t.get("SignedTag").asText(), Digest.parse("sha256:" + t.get("Digest").asText()));
        }
        return (name, tag) -> d.get(tag);
    }

    static JsonNode dockerInspect() throws IOException {
        try (InputStream in = RealNotaryMetadataTest.class.getResourceAsStream("/notary/real/docker-trust-inspect.json")) {
            return Json.parse(in.readAllBytes(), "docker trust inspect");
        }
    }

    private static NotaryVerifier.Outcome verify(Map<String, byte[]> files) {
        return new NotaryVerifier(AT_CAPTURE).verify(GUN, new MapSource(files));
    }

    private static List<String> ids(List<Finding> fs) {
        return fs.stream().map(f -> f.severity() + " " + f.id()).toList();
    }

    @Test
    void realMetadataVerifiesAndEqualsDockerTrustInspect() throws IOException {
        NotaryAudit.Result r = NotaryAudit.run(DockerName.parse(GUN), false, new MapSource(files()), new NotaryVerifier(AT_CAPTURE),
                signedRegistry(), false);
        NotaryResult n = r.notary();
        assertThat(n.verified()).as(r.findings().toString()).isTrue();
        assertThat(ids(r.findings())).containsExactlyInAnyOrder("LOW TRUST-NOTARY-THRESHOLD-ONE", "INFO TRUST-NOTARY-VERIFIED");

        JsonNode docker = dockerInspect().get(0);
        List<String> expectedRows = new ArrayList<>();
        for (JsonNode t : docker.get("SignedTags")) {
            expectedRows.add(t.get("SignedTag").asText() + " sha256:" + t.get("Digest").asText() + " "
                    + String.join(",", Json.MAPPER.convertValue(t.get("Signers"), String[].class)));
        }
        assertThat(n.signedTags().stream().map(t -> t.tag() + " " + t.digest() + " " + String.join(",", t.signers())).toList())
                .containsExactlyElementsOf(expectedRows)
                .containsExactly("1 sha256:f2ab9071ab7effd33b444bb000779271ef2bc27f23a0084e584e47a61cbe0d76 Repo Admin",
                        "2 sha256:c83682658ad380b49bdaa202f82a334cdc18099507f7ab2aa950f51ed01a8b1d alice");
        assertThat(n.signedTags()).allMatch(t -> Boolean.TRUE.equals(t.matches()));
        List<String> expectedSigners = new ArrayList<>();
        for (JsonNode s : docker.get("Signers")) {
            for (JsonNode k : s.get("Keys")) {
                expectedSigners.add(s.get("Name").asText() + " " + k.get("ID").asText());
            }
        }
        assertThat(n.signers().stream().flatMap(s -> s.keyIds().stream().map(k -> s.name() + " " + k)).toList())
                .containsExactlyInAnyOrderElementsOf(expectedSigners);
        for (JsonNode a : docker.get("AdministrativeKeys")) {
            List<String> keys = new ArrayList<>();
            a.get("Keys").forEach(k -> keys.add(k.get("ID").asText()));
            String role = a.get("Name").asText().equals("Root") ? "root" : "repository";
            assertThat(n.administrativeKeys().get(role)).as(role).containsExactlyInAnyOrderElementsOf(keys);
        }
        assertThat(n.expires()).containsOnlyKeys("root", "timestamp", "snapshot", "targets", "targets/releases", "targets/alice")
                .containsEntry("timestamp", "2026-12-10T17:53:26.577925588Z");
    }

    @Test
    void aNamedTagShowsOnlyItsRows() throws IOException {
        NotaryAudit.Result r = NotaryAudit.run(DockerName.parse(GUN + ":2"), true, new MapSource(files()),
                new NotaryVerifier(AT_CAPTURE), signedRegistry(), false);
        assertThat(r.notary().signedTags()).extracting(NotaryResult.SignedTag::tag).containsExactly("2");
    }

    @Test
    void theTimestampExpiresAfterFourteenDays() throws IOException {
        NotaryVerifier.Outcome o = new NotaryVerifier(Clock.fixed(Instant.parse("2026-12-11T00:00:00Z"), ZoneOffset.UTC))
                .verify(GUN, new MapSource(files()));
        assertThat(ids(o.findings())).contains("HIGH TRUST-NOTARY-EXPIRED");
        assertThat(o.findings()).filteredOn(f -> f.id().equals(NotaryVerifier.EXPIRED))
                .extracting(Finding::title).containsExactly("timestamp.json expired on 2026-12-10T17:53:26.577925588Z");
        assertThat(o.verified()).isFalse();
        // Expiry is reported but does not hide what was signed.
        assertThat(o.targets()).extracting(NotaryVerifier.Target::name).contains("1", "2");
    }

    @Test
    void aCorruptedTimestampSignatureIsCritical() throws IOException {
        Map<String, byte[]> f = files();
        f.put("timestamp", TufFixture.withSignature(f.get("timestamp"), TufFixture::flipped));
        NotaryVerifier.Outcome o = verify(f);
        assertThat(ids(o.findings())).contains("CRITICAL TRUST-NOTARY-SIGNATURE-INVALID");
        assertThat(o.targets()).as("nothing counts as signed when a link of the chain fails").isEmpty();
    }

    @Test
    void aSignatureOfTheWrongLength() throws IOException {
        Map<String, byte[]> f = files();
        f.put("timestamp", TufFixture.withSignature(f.get("timestamp"), s -> Arrays.copyOf(s, 63)));
        NotaryVerifier.Outcome o = verify(f);
        assertThat(o.findings()).filteredOn(x -> x.id().equals(NotaryVerifier.SIGNATURE)).singleElement()
                .satisfies(x -> assertThat(x.description()).contains("63 bytes; it must be 64"));
    }

    @Test
    void anEditedTargetsFileFailsItsSignatureAndTheSnapshotHash() throws IOException {
        Map<String, byte[]> f = files();
        f.put("targets", new String(f.get("targets"), StandardCharsets.UTF_8)
                .replace("8quQcat+/9M7REuwAHeSce8rwn8joAhOWE5Hphy+DXY=", "yDaCZYrTgLSb2qIC+CozTNwYCZUH96sqqVD1HtAaix0=")
                .getBytes(StandardCharsets.UTF_8));
        NotaryVerifier.Outcome o = verify(f);
        assertThat(ids(o.findings())).contains("CRITICAL TRUST-NOTARY-SIGNATURE-INVALID", "CRITICAL TRUST-NOTARY-HASH-MISMATCH");
        assertThat(o.targets()).filteredOn(t -> t.role().equals("targets")).isEmpty();
    }

    @Test
    void metadataThatIsNotJson() throws IOException {
        Map<String, byte[]> f = files();
        f.put("targets", "<html><body>502 Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8));
        NotaryVerifier.Outcome o = verify(f);
        assertThat(o.findings()).filteredOn(x -> x.id().equals(NotaryVerifier.METADATA)).singleElement()
                .satisfies(x -> assertThat(x.title()).startsWith("targets.json is not valid JSON"));
        assertThat(o.verified()).isFalse();
    }

    @Test
    void aHugeRootIsNotRead() throws IOException {
        Map<String, byte[]> f = files();
        byte[] huge = new byte[(int) NotaryVerifier.MAX_ROOT + 100];
        Arrays.fill(huge, (byte) ' ');
        MapSource source = new MapSource(f);
        source.files.put("root", huge);
        NotaryVerifier.Outcome o = new NotaryVerifier(AT_CAPTURE).verify(GUN, source);
        assertThat(o.findings()).filteredOn(x -> x.id().equals(NotaryVerifier.METADATA)).singleElement()
                .satisfies(x -> assertThat(x.title()).isEqualTo("root.json is larger than 2097152 bytes"));
    }

    @Test
    void aSnapshotLongerThanTheTimestampPinsIsCritical() throws IOException {
        Map<String, byte[]> f = files();
        byte[] s = f.get("snapshot");
        byte[] longer = Arrays.copyOf(s, s.length + 5000);
        Arrays.fill(longer, s.length, longer.length, (byte) ' ');
        f.put("snapshot", longer);
        NotaryVerifier.Outcome o = verify(f);
        assertThat(o.findings()).filteredOn(x -> x.id().equals(NotaryVerifier.HASH)).singleElement()
                .satisfies(x -> assertThat(x.title()).isEqualTo("snapshot.json is longer than the 1082 bytes the timestamp pins"));
    }

    @Test
    void aDelegationEditedToLoopIsCutAtItsPinnedLength() throws IOException {
        // Adding a delegation back to targets makes alice's file longer than the snapshot pins: a TUF client stops
        // reading at the pin, so the loop is never even seen (NotaryVerifierTest has a validly signed loop).
        Map<String, byte[]> f = files();
        ObjectNode alice = (ObjectNode) Json.parse(f.get("targets/alice"), "alice");
        ObjectNode loop = ((com.fasterxml.jackson.databind.node.ArrayNode) alice.get("signed").get("delegations").get("roles")).addObject();
        loop.putArray("keyids");
        loop.put("name", "targets");
        loop.putArray("paths").add("");
        loop.put("threshold", 1);
        f.put("targets/alice", Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(alice));
        NotaryVerifier.Outcome o = verify(f);
        assertThat(o.findings()).filteredOn(x -> x.id().equals(NotaryVerifier.HASH)).singleElement()
                .satisfies(x -> assertThat(x.title()).isEqualTo("targets/alice.json is longer than the 426 bytes the snapshot pins"));
        assertThat(o.targets()).filteredOn(t -> t.role().equals("targets/alice")).isEmpty();
    }

    @Test
    void noRootMeansNoTrustData() {
        NotaryVerifier.Outcome o = new NotaryVerifier(AT_CAPTURE).verify(GUN, new MapSource(Map.of()));
        assertThat(o.exists()).isFalse();
        assertThat(o.findings()).isEmpty();
    }

    @Test
    void theMetadataOfAnotherRepositoryIsRefused() throws IOException {
        // A server answering for x with y's (validly signed) data: the root certificate names x, not y.
        NotaryVerifier.Outcome o = new NotaryVerifier(AT_CAPTURE).verify("127.0.0.1:5210/da-tn/y", new MapSource(files()));
        assertThat(ids(o.findings())).contains("CRITICAL TRUST-NOTARY-ROOT-CERTIFICATE", "CRITICAL TRUST-NOTARY-SIGNATURE-INVALID");
        assertThat(o.targets()).isEmpty();
    }
}
