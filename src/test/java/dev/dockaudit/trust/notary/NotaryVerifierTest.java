package dev.dockaudit.trust.notary;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;
import dev.dockaudit.testing.TestCerts;
import dev.dockaudit.testing.TufFixture;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The TUF checks one at a time, on repositories made in the test with valid signatures except where the test breaks one. */
class NotaryVerifierTest {
    static final String GUN = "registry.test:5000/team/app";
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final String D1 = "f2ab9071ab7effd33b444bb000779271ef2bc27f23a0084e584e47a61cbe0d76";
    static final String D2 = "c83682658ad380b49bdaa202f82a334cdc18099507f7ab2aa950f51ed01a8b1d";

    static TufFixture fixture() {
        TufFixture f = new TufFixture(GUN);
        f.now = NOW;
        f.sign("targets", "1", D1, 523);
        return f;
    }

    static NotaryVerifier.Outcome verify(TufFixture f) {
        return verify(f.build());
    }

    static NotaryVerifier.Outcome verify(Map<String, byte[]> files) {
        return new NotaryVerifier(Clock.fixed(NOW, ZoneOffset.UTC)).verify(GUN, new MapSource(files));
    }

    static List<String> ids(NotaryVerifier.Outcome o) {
        return o.findings().stream().map(f -> f.severity() + " " + f.id()).toList();
    }

    static Finding only(NotaryVerifier.Outcome o, String id) {
        List<Finding> fs = o.findings().stream().filter(f -> f.id().equals(id)).toList();
        assertThat(fs).as(o.findings().toString()).hasSize(1);
        return fs.get(0);
    }

    @Test
    void aGoodRepositoryVerifies() {
        KeyPair alice = TestCerts.ec();
        TufFixture f = fixture().delegate("targets", "targets/releases", 1, List.of(""), alice)
                .delegate("targets", "targets/alice", 1, List.of(""), alice)
                .sign("targets/releases", "2", D2, 523).sign("targets/alice", "2", D2, 523);
        NotaryVerifier.Outcome o = verify(f);
        assertThat(o.verified()).as(o.findings().toString()).isTrue();
        assertThat(ids(o)).containsExactly("LOW TRUST-NOTARY-THRESHOLD-ONE");
        assertThat(o.targets()).extracting(t -> t.role() + " " + t.name() + " " + t.sha256())
                .containsExactly("targets 1 " + D1, "targets/releases 2 " + D2, "targets/alice 2 " + D2);
        assertThat(o.delegations()).extracting(NotaryVerifier.Delegation::name).containsExactly("targets/releases", "targets/alice");
        assertThat(o.delegations().get(1).keyIds()).containsExactly(TufFixture.keyId(alice));
        assertThat(o.rootKeyIds()).containsExactly(f.rootKeyId(f.rootKeys.get(0)));
        assertThat(o.targetsKeyIds()).containsExactly(TufFixture.keyId(f.targetsKey));
        assertThat(o.expires()).containsOnlyKeys("root", "timestamp", "snapshot", "targets", "targets/releases", "targets/alice");
    }

    @Test
    void expiredMetadataIsHighButStillShowsWhatWasSigned() {
        TufFixture f = fixture();
        f.expires.put("targets", NOW.minus(Duration.ofDays(2)));
        NotaryVerifier.Outcome o = verify(f);
        assertThat(only(o, NotaryVerifier.EXPIRED).title()).isEqualTo("targets.json expired on " + NOW.minus(Duration.ofDays(2)));
        assertThat(only(o, NotaryVerifier.EXPIRED).severity()).isEqualTo(Severity.HIGH);
        assertThat(o.verified()).isFalse();
        assertThat(o.targets()).extracting(NotaryVerifier.Target::name).containsExactly("1");
    }

    @Test
    void expiringWithinThirtyDaysIsMediumExceptForTheTimestamp() {
        TufFixture f = fixture();
        f.expires.put("snapshot", NOW.plus(Duration.ofDays(20)));
        f.expires.put("timestamp", NOW.plus(Duration.ofDays(3))); // notary re-signs its 14-day timestamp itself
        NotaryVerifier.Outcome o = verify(f);
        assertThat(only(o, NotaryVerifier.EXPIRING).title()).startsWith("snapshot.json expires on");
        assertThat(o.verified()).isTrue();
    }

    @Test
    void anExpiredTimestampIsHigh() {
        TufFixture f = fixture();
        f.expires.put("timestamp", NOW.minusSeconds(1));
        assertThat(only(verify(f), NotaryVerifier.EXPIRED).title()).startsWith("timestamp.json expired");
    }

    @Test
    void rootThresholdNeedsThatManyRootSignatures() {
        TufFixture f = fixture();
        f.rootKeys.add(TestCerts.ec());
        f.rootThreshold = 2;
        f.signers.put("root", List.of(f.rootKeys.get(0)));
        NotaryVerifier.Outcome o = verify(f);
        Finding sig = only(o, NotaryVerifier.SIGNATURE);
        assertThat(sig.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(sig.description()).startsWith("1 valid signature(s) from the keys root.json names for root, 2 required");
        assertThat(o.targets()).isEmpty();

        f.signers.remove("root");
        NotaryVerifier.Outcome both = verify(f);
        assertThat(both.verified()).as(both.findings().toString()).isTrue();
        assertThat(ids(both)).containsExactly("LOW TRUST-NOTARY-THRESHOLD-ONE");
        assertThat(only(both, NotaryVerifier.THRESHOLD_ONE).title()).isEqualTo("roles signed by a single key: targets");
    }

    @Test
    void targetsSignedByAnotherKeyAreRefused() {
        TufFixture f = fixture();
        f.signers.put("targets", List.of(TestCerts.ec()));
        NotaryVerifier.Outcome o = verify(f);
        assertThat(only(o, NotaryVerifier.SIGNATURE).description()).contains("no signature is by one of those keys");
        assertThat(o.targets()).isEmpty();
    }

    @Test
    void aFileThatDoesNotMatchItsPinIsCriticalEvenWithAValidSignature() {
        // The same fields in another order, the same length: the bytes change but not the signed content, so only the
        // snapshot's hash catches it.
        TufFixture f = fixture().tamper("targets", b -> {
            ObjectNode doc = (ObjectNode) dev.dockaudit.util.Json.parse(b, "targets");
            ObjectNode swapped = dev.dockaudit.util.Json.MAPPER.createObjectNode();
            swapped.set("signatures", doc.get("signatures"));
            swapped.set("signed", doc.get("signed"));
            try {
                byte[] out = dev.dockaudit.util.Json.MAPPER.writer()
                        .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(swapped);
                assertThat(out).hasSameSizeAs(b);
                return out;
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        NotaryVerifier.Outcome o = verify(f);
        assertThat(ids(o)).contains("CRITICAL TRUST-NOTARY-HASH-MISMATCH").doesNotContain("CRITICAL TRUST-NOTARY-SIGNATURE-INVALID");
        assertThat(only(o, NotaryVerifier.HASH).title()).isEqualTo("targets.json does not match the hash snapshot.json pins");
        assertThat(o.targets()).isEmpty();
    }

    @Test
    void rootMustBeTheOneTheSnapshotPins() {
        TufFixture f = fixture().tamper("root", b -> (new String(b, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8));
        assertThat(only(verify(f), NotaryVerifier.HASH).title()).isEqualTo("root.json does not match the hash snapshot.json pins");
    }

    @Test
    void aRootCertificateForAnotherRepositoryIsCritical() {
        TufFixture f = fixture();
        f.rootCn = "registry.test:5000/team/other";
        NotaryVerifier.Outcome o = verify(f);
        assertThat(only(o, NotaryVerifier.ROOT_CERT).title())
                .isEqualTo("the root certificate is for \"registry.test:5000/team/other\", not " + GUN);
        assertThat(o.targets()).isEmpty();
    }

    @Test
    void aWildcardCommonNameCoversTheRepositoriesItPrefixes() {
        TufFixture f = fixture();
        f.rootCn = "registry.test:5000/team/*";
        assertThat(verify(f).verified()).isTrue();
    }

    @Test
    void rootCertificateValidity() {
        TufFixture expired = fixture();
        expired.rootCertNotBefore = NOW.minus(Duration.ofDays(400));
        expired.rootCertNotAfter = NOW.minus(Duration.ofDays(1));
        Finding e = only(verify(expired), NotaryVerifier.ROOT_CERT);
        assertThat(e.severity()).isEqualTo(Severity.HIGH);
        assertThat(e.title()).contains("expired on");

        TufFixture soon = fixture();
        soon.rootCertNotAfter = NOW.plus(Duration.ofDays(10));
        assertThat(only(verify(soon), NotaryVerifier.ROOT_CERT).severity()).isEqualTo(Severity.MEDIUM);

        TufFixture future = fixture();
        future.rootCertNotBefore = NOW.plus(Duration.ofDays(1));
        assertThat(only(verify(future), NotaryVerifier.ROOT_CERT).title()).contains("is not valid until");
    }

    @Test
    void rsaKeysWithPssAndPkcs1v15() {
        for (String method : List.of("rsapss", "rsapkcs1v15")) {
            TufFixture f = fixture();
            f.rsaMethod = method;
            f.rootKeys = new java.util.ArrayList<>(List.of(TestCerts.rsa(2048)));
            f.targetsKey = TestCerts.rsa(2048);
            NotaryVerifier.Outcome o = verify(f);
            assertThat(o.verified()).as(method + " " + o.findings()).isTrue();
            assertThat(o.targets()).hasSize(1);
        }
    }

    @Test
    void aValidlySignedDelegationLoopIsRefused() {
        KeyPair alice = TestCerts.ec();
        TufFixture f = fixture().delegate("targets", "targets/alice", 1, List.of(""), alice)
                .delegate("targets/alice", "targets", 1, List.of(""), alice)
                .delegate("targets/alice", "targets/alice", 1, List.of(""), alice)
                .sign("targets/alice", "2", D2, 523);
        NotaryVerifier.Outcome o = verify(f);
        assertThat(o.findings()).filteredOn(x -> x.id().equals(NotaryVerifier.DELEGATION)).extracting(Finding::title)
                .containsExactly("delegation loop: targets/alice delegates to targets",
                        "delegation loop: targets/alice delegates to targets/alice");
        assertThat(o.findings()).filteredOn(x -> x.id().equals(NotaryVerifier.DELEGATION)).allMatch(x -> x.severity() == Severity.HIGH);
        // The valid part of the tree still counts.
        assertThat(o.targets()).extracting(NotaryVerifier.Target::role).containsExactly("targets", "targets/alice");
    }

    @Test
    void delegationsMustBeDirectChildren() {
        KeyPair k = TestCerts.ec();
        TufFixture f = fixture().delegate("targets", "targets/a/b", 1, List.of(""), k)
                .delegate("targets", "releases", 1, List.of(""), k)
                .delegate("targets", "targets/UPPER", 1, List.of(""), k);
        assertThat(verify(f).findings()).filteredOn(x -> x.id().equals(NotaryVerifier.DELEGATION)).extracting(Finding::title)
                .containsExactly("targets delegates to targets/a/b, which is not a role it may delegate to",
                        "targets delegates to releases, which is not a role it may delegate to",
                        "targets delegates to targets/UPPER, which is not a role it may delegate to");
    }

    @Test
    void pathsAreHonouredAndAParentRestrictsItsChildren() {
        KeyPair alice = TestCerts.ec();
        KeyPair bob = TestCerts.ec();
        TufFixture f = fixture().delegate("targets", "targets/alice", 1, List.of("v1"), alice)
                .delegate("targets/alice", "targets/alice/bob", 1, List.of("", "v1.2"), bob)
                .sign("targets/alice", "v1.0", D1, 523).sign("targets/alice", "latest", D1, 523)
                .sign("targets/alice/bob", "v1.2.3", D2, 523).sign("targets/alice/bob", "v2", D2, 523);
        NotaryVerifier.Outcome o = verify(f);
        assertThat(o.targets()).extracting(t -> t.role() + " " + t.name())
                .containsExactly("targets 1", "targets/alice v1.0", "targets/alice/bob v1.2.3");
        assertThat(o.findings()).filteredOn(x -> x.id().equals(NotaryVerifier.OUTSIDE_PATHS)).extracting(Finding::evidence)
                .containsExactly("latest", "v2");
        assertThat(o.delegations()).filteredOn(d -> d.name().equals("targets/alice/bob")).singleElement()
                .satisfies(d -> assertThat(d.paths()).containsExactly("v1.2"));
    }

    @Test
    void aDelegationNeedsThresholdManyOfItsKeys() {
        KeyPair a = TestCerts.ec();
        KeyPair b = TestCerts.ec();
        TufFixture f = fixture().delegate("targets", "targets/team", 2, List.of(""), a, b).sign("targets/team", "2", D2, 523);
        f.signers.put("targets/team", List.of(a));
        NotaryVerifier.Outcome o = verify(f);
        assertThat(only(o, NotaryVerifier.SIGNATURE).title()).isEqualTo("targets/team.json is not signed by its keys");
        assertThat(o.targets()).extracting(NotaryVerifier.Target::role).containsExactly("targets");
        // The delegation itself is declared by trusted targets, so it is still listed as a signer.
        assertThat(o.delegations()).extracting(NotaryVerifier.Delegation::name).containsExactly("targets/team");

        f.signers.remove("targets/team");
        assertThat(verify(f).verified()).isTrue();
    }

    @Test
    void aThresholdNoKeysCanMeet() {
        TufFixture f = fixture().delegate("targets", "targets/team", 3, List.of(""), TestCerts.ec());
        assertThat(only(verify(f), NotaryVerifier.KEY).title()).isEqualTo("the targets/team role can never reach its threshold");
    }

    @Test
    void aKeyListedUnderAnIdThatIsNotItsOwn() {
        KeyPair alice = TestCerts.ec();
        String id = TufFixture.keyId(alice);
        TufFixture f = fixture().delegate("targets", "targets/alice", 1, List.of(""), alice)
                .edit("targets", t -> {
                    ObjectNode keys = (ObjectNode) t.get("delegations").get("keys");
                    keys.set("0".repeat(64), keys.remove(id));
                    ((com.fasterxml.jackson.databind.node.ArrayNode) t.get("delegations").get("roles").get(0).get("keyids"))
                            .set(0, "0".repeat(64));
                });
        NotaryVerifier.Outcome o = verify(f);
        assertThat(o.findings()).extracting(Finding::title).contains("targets.json lists a key under an ID that is not its own");
    }

    @Test
    void aPublishedPrivateKeyIsCritical() {
        KeyPair alice = TestCerts.ec();
        TufFixture f = fixture().delegate("targets", "targets/alice", 1, List.of(""), alice)
                .edit("targets", t -> ((ObjectNode) t.get("delegations").get("keys").get(TufFixture.keyId(alice)).get("keyval"))
                        .put("private", java.util.Base64.getEncoder().encodeToString(alice.getPrivate().getEncoded())));
        Finding k = only(verify(f), NotaryVerifier.KEY);
        assertThat(k.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(k.title()).isEqualTo("targets.json publishes the private part of key " + TufFixture.keyId(alice).substring(0, 12));
    }

    @Test
    void versionAndTypeAreChecked() {
        TufFixture zero = fixture();
        zero.versions.put("snapshot", 0);
        assertThat(only(verify(zero), NotaryVerifier.METADATA).title()).isEqualTo("snapshot.json has version 0; it must be a whole number from 1");

        TufFixture type = fixture().edit("timestamp", t -> t.put("_type", "Snapshot"));
        assertThat(only(verify(type), NotaryVerifier.METADATA).title())
                .isEqualTo("timestamp.json has _type \"Snapshot\"; timestamp metadata must have _type \"Timestamp\"");
    }

    @Test
    void duplicateKeysAreRefused() {
        TufFixture f = fixture().tamper("timestamp", b -> new String(b, StandardCharsets.UTF_8)
                .replace("{\"signed\":{", "{\"signed\":{\"version\":9,").getBytes(StandardCharsets.UTF_8));
        assertThat(only(verify(f), NotaryVerifier.METADATA).title()).startsWith("timestamp.json is not valid JSON (Duplicate field 'version'");
    }

    @Test
    void delegationsWithoutSnapshotEntriesSignNothing() {
        KeyPair alice = TestCerts.ec();
        TufFixture f = fixture().delegate("targets", "targets/alice", 1, List.of(""), alice).sign("targets/alice", "2", D2, 523)
                .edit("snapshot", s -> ((ObjectNode) s.get("meta")).remove("targets/alice"));
        NotaryVerifier.Outcome o = verify(f);
        assertThat(o.notes()).contains("notary: targets/alice has no metadata in the snapshot, so it signs nothing");
        assertThat(o.targets()).extracting(NotaryVerifier.Target::role).containsExactly("targets");
    }

    @Test
    void aDelegationFileTheSnapshotListsButTheServerLacks() {
        TufFixture f = fixture().delegate("targets", "targets/alice", 1, List.of(""), TestCerts.ec()).sign("targets/alice", "2", D2, 523);
        Map<String, byte[]> files = new java.util.LinkedHashMap<>(f.build());
        files.remove("targets/alice");
        assertThat(only(verify(files), NotaryVerifier.METADATA).title())
                .isEqualTo("the notary server has no targets/alice.json, which the snapshot lists");
    }

    @Test
    void aMissingTimestampBreaksTheChain() {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>(fixture().build());
        files.remove("timestamp");
        NotaryVerifier.Outcome o = verify(files);
        assertThat(only(o, NotaryVerifier.METADATA).title()).isEqualTo("the notary server has no timestamp.json for " + GUN);
        assertThat(o.targets()).isEmpty();
    }

    @Test
    void largeNumbersAreSignedInGosForm() {
        TufFixture f = new TufFixture(GUN);
        f.now = NOW;
        f.sign("targets", "big", D1, 12_345_678);
        NotaryVerifier.Outcome o = verify(f);
        assertThat(o.verified()).as(o.findings().toString()).isTrue();
        assertThat(o.targets()).extracting(NotaryVerifier.Target::length).containsExactly(12_345_678L);
    }
}
