package dev.dockaudit.trust.notary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.image.DockerName;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;
import dev.dockaudit.testing.TestCerts;
import dev.dockaudit.testing.TufFixture;
import dev.dockaudit.trust.model.NotaryResult;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.UserError;
import java.net.URI;
import java.security.KeyPair;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** From verified trust data to what dockaudit trust reports: docker trust inspect's rows, and the registry comparison. */
class NotaryAuditTest {
    static final String GUN = NotaryVerifierTest.GUN;
    static final String D1 = NotaryVerifierTest.D1;
    static final String D2 = NotaryVerifierTest.D2;
    static final String D3 = "0000000000000000000000000000000000000000000000000000000000000003";

    final Map<String, Digest> registry = new HashMap<>();

    NotaryAudit.Result run(TufFixture f, String ref, boolean explicitTag, boolean require) {
        return NotaryAudit.run(DockerName.parse(ref), explicitTag, new MapSource(f.build()),
                new NotaryVerifier(Clock.fixed(NotaryVerifierTest.NOW, ZoneOffset.UTC)), (name, tag) -> registry.get(tag), require);
    }

    static List<String> ids(NotaryAudit.Result r) {
        return r.findings().stream().map(f -> f.severity() + " " + f.id()).toList();
    }

    static Finding only(NotaryAudit.Result r, String id) {
        List<Finding> fs = r.findings().stream().filter(f -> f.id().equals(id)).toList();
        assertThat(fs).as(r.findings().toString()).hasSize(1);
        return fs.get(0);
    }

    static List<String> rows(NotaryResult n) {
        return n.signedTags().stream().map(t -> t.tag() + " " + t.digest().substring(7, 11) + " " + String.join(",", t.signers())).toList();
    }

    /** targets signs 1; releases and alice sign 2; bob signs 2 too; alice alone signs 3 (not released). */
    TufFixture repo() {
        KeyPair alice = TestCerts.ec();
        KeyPair bob = TestCerts.ec();
        TufFixture f = NotaryVerifierTest.fixture()
                .delegate("targets", "targets/releases", 1, List.of(""), alice, bob)
                .delegate("targets", "targets/alice", 1, List.of(""), alice)
                .delegate("targets", "targets/bob", 1, List.of(""), bob)
                .sign("targets/releases", "2", D2, 523).sign("targets/alice", "2", D2, 523).sign("targets/bob", "2", D2, 523)
                .sign("targets/alice", "3", D3, 523);
        registry.put("1", Digest.parse("sha256:" + D1));
        registry.put("2", Digest.parse("sha256:" + D2));
        registry.put("3", Digest.parse("sha256:" + D3));
        return f;
    }

    @Test
    void rowsAreDockerTrustInspects() {
        NotaryAudit.Result r = run(repo(), GUN, false, false);
        assertThat(rows(r.notary())).containsExactly("1 f2ab Repo Admin", "2 c836 alice,bob");
        assertThat(r.notary().signers()).extracting(NotaryResult.Signer::name).containsExactly("alice", "bob");
        assertThat(r.notary().verified()).isTrue();
        assertThat(ids(r)).containsExactlyInAnyOrder("LOW TRUST-NOTARY-THRESHOLD-ONE", "INFO TRUST-NOTARY-VERIFIED");
        assertThat(only(r, NotaryAudit.VERIFIED).title()).isEqualTo("2 signed tags are verified: the registry serves the signed digests");
        assertThat(r.notary().signedTags()).allSatisfy(t -> {
            assertThat(t.matches()).isTrue();
            assertThat(t.registryDigest()).isEqualTo(t.digest());
        });
    }

    @Test
    void aNamedTagShowsItsOwnRowsOnly() {
        NotaryAudit.Result r = run(repo(), GUN + ":2", true, false);
        assertThat(rows(r.notary())).containsExactly("2 c836 alice,bob");
        assertThat(only(r, NotaryAudit.VERIFIED).title()).isEqualTo(GUN + ":2 is verified: the registry serves the signed digest");
    }

    @Test
    void theRegistryServingOtherContentIsCritical() {
        TufFixture f = repo();
        registry.put("1", Digest.parse("sha256:" + D3));
        NotaryAudit.Result r = run(f, GUN, false, false);
        Finding m = only(r, NotaryAudit.MISMATCH);
        assertThat(m.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(m.title()).isEqualTo("the registry serves unsigned content for " + GUN + ":1");
        assertThat(m.evidence()).isEqualTo("registry sha256:" + D3 + "; signed sha256:" + D1);
        NotaryResult.SignedTag one = r.notary().signedTags().get(0);
        assertThat(one.matches()).isFalse();
        assertThat(one.registryDigest()).isEqualTo("sha256:" + D3);
        assertThat(r.notary().verified()).isFalse();
        assertThat(ids(r)).doesNotContain("INFO TRUST-NOTARY-VERIFIED");
    }

    @Test
    void aSignedTagTheRegistryNoLongerHas() {
        TufFixture f = repo();
        registry.remove("1");
        NotaryAudit.Result r = run(f, GUN, false, false);
        assertThat(only(r, NotaryAudit.TAG_MISSING).severity()).isEqualTo(Severity.LOW);
        assertThat(r.notary().signedTags().get(0).registryDigest()).isNull();
        assertThat(r.notary().signedTags().get(0).matches()).isFalse();
    }

    @Test
    void conflictingSignaturesOfOneTag() {
        TufFixture f = repo().sign("targets", "2", D1, 523);
        NotaryAudit.Result r = run(f, GUN, false, false);
        assertThat(rows(r.notary())).containsExactly("1 f2ab Repo Admin", "2 c836 alice,bob", "2 f2ab Repo Admin");
        assertThat(only(r, NotaryAudit.CONFLICT).severity()).isEqualTo(Severity.HIGH);
        assertThat(ids(r)).doesNotContain("CRITICAL TRUST-NOTARY-DIGEST-MISMATCH");
    }

    @Test
    void aTagSignedOnlyByADelegationIsNotReleased() {
        NotaryAudit.Result r = run(repo(), GUN + ":3", true, false);
        assertThat(r.notary().signedTags()).isEmpty();
        Finding u = only(r, NotaryAudit.TAG_UNSIGNED);
        assertThat(u.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(u.description()).contains("(alice signed it, but docker only accepts tags released into targets/releases)");
        assertThat(only(run(repo(), GUN + ":3", true, true), NotaryAudit.TAG_UNSIGNED).severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void naturalOrderOfTags() {
        TufFixture f = NotaryVerifierTest.fixture().sign("targets", "10", D1, 1).sign("targets", "2", D1, 1).sign("targets", "v1.10", D1, 1)
                .sign("targets", "v1.9", D1, 1);
        assertThat(run(f, GUN, false, false).notary().signedTags()).extracting(NotaryResult.SignedTag::tag)
                .containsExactly("1", "2", "10", "v1.9", "v1.10");
        assertThat(NotaryAudit.naturalCompare("a02", "a2")).isZero();
        assertThat(NotaryAudit.naturalCompare("latest", "1")).isPositive();
    }

    @Test
    void anUnsignedRepositoryIsAFindingOnlyWhenSignaturesAreRequired() {
        NotaryVerifier v = new NotaryVerifier(Clock.systemUTC());
        NotaryAudit.Result plain = NotaryAudit.run(DockerName.parse(GUN + ":1"), true, new MapSource(Map.of()), v, (n, t) -> null, false);
        assertThat(plain.notary()).isNull();
        assertThat(plain.findings()).isEmpty();
        assertThat(plain.notes()).containsExactly("notary: https://notary.test has no trust data for " + GUN
                + " (the repository is not signed with Docker Content Trust)");
        NotaryAudit.Result required = NotaryAudit.run(DockerName.parse(GUN + ":1"), true, new MapSource(Map.of()), v, (n, t) -> null, true);
        assertThat(only(required, NotaryAudit.UNSIGNED).severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void aDigestReference() {
        NotaryAudit.Result signed = run(repo(), GUN + "@sha256:" + D2, false, false);
        assertThat(signed.notes()).contains("notary: sha256:" + D2 + " is signed as " + GUN + ":2");
        NotaryAudit.Result unsigned = run(repo(), GUN + "@sha256:" + "9".repeat(64), false, false);
        assertThat(only(unsigned, NotaryAudit.DIGEST_UNSIGNED).severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void theTrustServerAsDockerPicksIt() {
        Map<String, String> none = Map.of();
        assertThat(NotaryAudit.server(DockerName.parse("alpine"), null, none)).isEqualTo(URI.create("https://notary.docker.io"));
        assertThat(NotaryAudit.server(DockerName.parse("localhost:5000/x"), null, none)).isEqualTo(URI.create("https://localhost:5000"));
        Map<String, String> env = Map.of("DOCKER_CONTENT_TRUST_SERVER", "https://notary.example:4443");
        assertThat(NotaryAudit.server(DockerName.parse("alpine"), null, env)).isEqualTo(URI.create("https://notary.example:4443"));
        assertThat(NotaryAudit.server(DockerName.parse("alpine"), "https://other:1", env)).isEqualTo(URI.create("https://other:1"));
        assertThatThrownBy(() -> NotaryAudit.server(DockerName.parse("alpine"), "http://other:1", none))
                .isInstanceOf(UserError.class).hasMessageStartingWith("--trust-server 'http://other:1' is not an https:// URL");
        assertThatThrownBy(() -> NotaryAudit.server(DockerName.parse("alpine"), null, Map.of("DOCKER_CONTENT_TRUST_SERVER", "notary:4443")))
                .isInstanceOf(UserError.class).hasMessageStartingWith("DOCKER_CONTENT_TRUST_SERVER 'notary:4443' is not an https:// URL");
    }

    @Test
    void dockerContentTrustIsReadAsGoReadsBooleans() {
        assertThat(NotaryAudit.contentTrustEnabled(Map.of("DOCKER_CONTENT_TRUST", "1"))).isTrue();
        assertThat(NotaryAudit.contentTrustEnabled(Map.of("DOCKER_CONTENT_TRUST", "true"))).isTrue();
        assertThat(NotaryAudit.contentTrustEnabled(Map.of("DOCKER_CONTENT_TRUST", "0"))).isFalse();
        assertThat(NotaryAudit.contentTrustEnabled(Map.of("DOCKER_CONTENT_TRUST", "yes"))).isFalse();
        assertThat(NotaryAudit.contentTrustEnabled(Map.of())).isFalse();
    }
}
