package dev.dockaudit.vuln.osv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.vuln.db.OsvFixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The parser against every real record in src/test/resources/osv/ and against broken ones. */
class OsvParserTest {
    private static OsvRecord parse(String set, String file) throws OsvFormatException {
        return OsvParser.parse(OsvFixtures.records(set).get(file));
    }

    @Test
    void everyRealRecordParses() throws OsvFormatException {
        Map<String, byte[]> all = OsvFixtures.allRecords();
        assertThat(all).hasSize(1095 + 425 + 364 + 6 + 1);
        int affected = 0;
        int lastAffected = 0;
        for (Map.Entry<String, byte[]> e : all.entrySet()) {
            OsvRecord r = OsvParser.parse(e.getValue());
            assertThat(e.getKey()).isEqualTo(r.id() + ".json");
            assertThat(r.affected()).isNotEmpty();
            affected += r.affected().size();
            for (OsvAffected a : r.affected()) {
                assertThat(a.ecosystem()).isNotBlank();
                assertThat(a.name()).isNotBlank();
                for (OsvRange g : a.ranges()) {
                    assertThat(g.events()).isNotEmpty();
                    lastAffected += (int) g.events().stream().filter(v -> v.kind().equals(OsvEvent.LAST_AFFECTED)).count();
                }
            }
        }
        // counted independently with python over ../shared/realdata/osv (README §1)
        assertThat(affected).isEqualTo(4353);
        assertThat(lastAffected).isEqualTo(41);
    }

    @Test
    void debianAdvisoryWithUpstreamCves() throws OsvFormatException {
        OsvRecord r = parse("debian-dsa-dla-converted", "DLA-0001-1.json");
        assertThat(r.id()).isEqualTo("DLA-0001-1");
        assertThat(r.summary()).isEqualTo("gnutls26 - security update");
        assertThat(r.published()).isEqualTo("2014-06-02T00:00:00Z");
        assertThat(r.modified()).isEqualTo("2014-06-02T00:00:00Z");
        assertThat(r.withdrawn()).isNull();
        assertThat(r.isWithdrawn()).isFalse();
        assertThat(r.aliases()).isEmpty();
        assertThat(r.upstream()).containsExactly("CVE-2014-3466");
        assertThat(r.aliasesAndUpstream()).containsExactly("CVE-2014-3466");
        OsvAffected a = r.affected().get(0);
        assertThat(a.ecosystem()).isEqualTo("Debian:6.0");
        assertThat(a.name()).isEqualTo("gnutls26");
        assertThat(a.purl()).isEqualTo("pkg:deb/debian/gnutls26?arch=source");
        assertThat(a.ranges()).containsExactly(new OsvRange("ECOSYSTEM", null, List.of(
                new OsvEvent("introduced", "0"), new OsvEvent("fixed", "2.8.6-1+squeeze4"))));
        assertThat(r.databaseSpecific().path("converted_from").asText()).contains("DLA/list");
    }

    @Test
    void alpineRecordWithoutModifiedTime() throws OsvFormatException {
        OsvRecord r = parse("alpine-secdb-converted", "ALPINE-CVE-2021-36159.json");
        assertThat(r.modified()).isNull();
        assertThat(r.published()).isNull();
        assertThat(r.upstream()).containsExactly("CVE-2021-36159");
        assertThat(r.affected()).extracting(OsvAffected::ecosystem).contains("Alpine:v3.10");
        OsvAffected v310 = r.affected().stream().filter(a -> a.ecosystem().equals("Alpine:v3.10")).findFirst().orElseThrow();
        assertThat(v310.name()).isEqualTo("apk-tools");
        assertThat(v310.ranges().get(0).events()).containsExactly(new OsvEvent("introduced", "0"),
                new OsvEvent("fixed", "2.10.7-r0"));
    }

    @Test
    void githubAdvisoryInOsvDevForm() throws OsvFormatException {
        OsvRecord r = parse("ghsa-maven-osvdev", "GHSA-2268-98wh-qfhf.json");
        assertThat(r.aliases()).containsExactly("CVE-2023-50572");
        assertThat(r.upstream()).isEmpty();
        assertThat(r.aliasesAndUpstream()).containsExactly("CVE-2023-50572");
        assertThat(r.modified()).isEqualTo("2024-02-16T08:07:52.686694Z");
        assertThat(r.severity()).containsExactly(new OsvSeverity("CVSS_V3", "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H"));
        assertThat(r.references()).hasSize(4).first().isEqualTo(new OsvReference("ADVISORY",
                "https://nvd.nist.gov/vuln/detail/CVE-2023-50572"));
        assertThat(r.databaseSpecific().path("severity").asText()).isEqualTo("MODERATE");
        OsvAffected a = r.affected().get(0);
        assertThat(a.ecosystem()).isEqualTo("Maven");
        assertThat(a.name()).isEqualTo("org.jline:jline-parent");
        assertThat(a.versions()).hasSize(38).contains("3.24.1", "3.2.0");
        assertThat(a.databaseSpecific().path("source").asText()).startsWith("https://github.com/github/advisory-database/");
    }

    @Test
    void rawGithubAdvisoryWithSeveralRanges() throws OsvFormatException {
        OsvRecord log4j = parse("ghsa-github-advisory-database", "GHSA-jfh8-c2jp-5v3q.json");
        assertThat(log4j.affected()).allMatch(a -> a.ecosystem().equals("Maven"));
        assertThat(log4j.affected().stream().mapToInt(a -> a.ranges().size()).sum()).isEqualTo(3);
        OsvRecord xnet = parse("ghsa-github-advisory-database", "GHSA-4374-p667-p6c8.json");
        assertThat(xnet.affected().get(0).ecosystem()).isEqualTo("Go");
        assertThat(xnet.affected().get(0).name()).isEqualTo("golang.org/x/net");
    }

    @Test
    void ubuntuRecordWithProEcosystemsBinariesAndPriority() throws OsvFormatException {
        OsvRecord r = parse("ubuntu", "CVE-2023-0286.json");
        assertThat(r.id()).isEqualTo("CVE-2023-0286");
        assertThat(r.aliases()).isEmpty();
        assertThat(r.related()).isEmpty();
        assertThat(r.affected()).hasSize(11);
        assertThat(r.affected()).extracting(OsvAffected::ecosystem).contains("Ubuntu:Pro:14.04:LTS", "Ubuntu:Pro:16.04:LTS",
                "Ubuntu:22.04:LTS", "Ubuntu:20.04:LTS", "Ubuntu:18.04:LTS");
        OsvAffected trusty = r.affected().get(0);
        assertThat(trusty.ecosystem()).isEqualTo("Ubuntu:Pro:14.04:LTS");
        assertThat(trusty.name()).isEqualTo("openssl");
        assertThat(trusty.versions()).hasSize(34).startsWith("1.0.1e-3ubuntu1").endsWith("1.0.1f-1ubuntu2.27+esm5");
        assertThat(trusty.ecosystemSpecific().path("binaries").get(0).path("libssl1.0.0").asText())
                .isEqualTo("1.0.1f-1ubuntu2.27+esm6");
        assertThat(trusty.ecosystemSpecific().path("ubuntu_priority").asText()).isEqualTo("high");
        OsvAffected edk2 = r.affected().stream().filter(a -> a.name().equals("edk2")).findFirst().orElseThrow();
        assertThat(edk2.ranges().get(0).events()).containsExactly(new OsvEvent("introduced", "0"));
    }

    @Test
    void withdrawnAndCredits() throws OsvFormatException {
        OsvRecord r = OsvParser.parse(("{\"id\":\"GHSA-xxxx-yyyy-zzzz\",\"modified\":\"2024-01-02T03:04:05Z\","
                + "\"withdrawn\":\"2024-01-03T00:00:00Z\",\"credits\":[{\"name\":\"someone\"}],"
                + "\"affected\":[{\"ranges\":[{\"type\":\"GIT\",\"repo\":\"https://example.invalid/r.git\","
                + "\"events\":[{\"introduced\":\"abc\"},{\"limit\":\"def\"}]}]}]}").getBytes(StandardCharsets.UTF_8));
        assertThat(r.isWithdrawn()).isTrue();
        assertThat(r.affected().get(0).ecosystem()).isNull();
        assertThat(r.affected().get(0).ranges().get(0)).isEqualTo(new OsvRange("GIT", "https://example.invalid/r.git",
                List.of(new OsvEvent("introduced", "abc"), new OsvEvent("limit", "def"))));
    }

    @Test
    void offsetTimestampsAreAccepted() throws OsvFormatException {
        assertThat(OsvParser.parse("{\"id\":\"X-1\",\"modified\":\"2024-01-02T03:04:05+02:00\"}".getBytes(StandardCharsets.UTF_8))
                .modified()).isEqualTo("2024-01-02T03:04:05+02:00");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "not JSON            | {\"id\": | not valid JSON",
        "trailing garbage    | {\"id\":\"X-1\"} x | not valid JSON",
        "a list              | [1,2] | not a JSON object but a list",
        "null                | null | empty document",
        "no id               | {\"modified\":\"2024-01-01T00:00:00Z\"} | no id",
        "blank id            | {\"id\":\"  \"} | no id",
        "id with a space     | {\"id\":\"CVE 1\"} | contains whitespace",
        "id with a slash     | {\"id\":\"../x\"} | a slash",
        "numeric id          | {\"id\":5} | id: not a string but a number",
        "newer schema        | {\"id\":\"X-1\",\"schema_version\":\"2.0.0\"} | schema_version 2.0.0 is not OSV 1.x",
        "bad modified        | {\"id\":\"X-1\",\"modified\":\"yesterday\"} | modified: \"yesterday\" is not an RFC 3339 timestamp",
        "aliases not a list  | {\"id\":\"X-1\",\"aliases\":\"CVE-1\"} | aliases: not a list but a string",
        "alias not a string  | {\"id\":\"X-1\",\"aliases\":[1]} | aliases[0]: not a string but a number",
        "affected object     | {\"id\":\"X-1\",\"affected\":{}} | affected: not a list but an object",
        "affected entry      | {\"id\":\"X-1\",\"affected\":[3]} | affected[0]: not an object but a number",
        "no ecosystem        | {\"id\":\"X-1\",\"affected\":[{\"package\":{\"name\":\"a\"}}]} | affected[0].package: no ecosystem",
        "no name             | {\"id\":\"X-1\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\"}}]} | affected[0].package: no name",
        "range without type  | {\"id\":\"X-1\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},\"ranges\":[{\"events\":[{\"introduced\":\"0\"}]}]}]} | affected[0].ranges[0]: no type",
        "range without events| {\"id\":\"X-1\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},\"ranges\":[{\"type\":\"SEMVER\",\"events\":[]}]}]} | affected[0].ranges[0]: no events",
        "unknown event       | {\"id\":\"X-1\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"patched\":\"1\"}]}]}]} | affected[0].ranges[0].events[1]: has none of introduced, fixed, last_affected, limit",
        "two kinds           | {\"id\":\"X-1\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\",\"fixed\":\"1\"}]}]}]} | has both introduced and fixed",
        "numeric version     | {\"id\":\"X-1\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"fixed\":1.2}]}]}]} | events[0].fixed: not a version string but a number",
        "empty version       | {\"id\":\"X-1\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"fixed\":\"\"}]}]}]} | events[0].fixed: not a version string",
        "versions not strings| {\"id\":\"X-1\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},\"versions\":[1]}]} | affected[0].versions[0]: not a string but a number",
        "severity no score   | {\"id\":\"X-1\",\"severity\":[{\"type\":\"CVSS_V3\"}]} | severity[0]: needs a type and a score",
        "reference not object| {\"id\":\"X-1\",\"references\":[\"https://x\"]} | references[0]: not an object but a string",
        "ecosystem_specific  | {\"id\":\"X-1\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},\"ecosystem_specific\":[1]}]} | affected[0].ecosystem_specific: not an object but a list",
    })
    void malformedRecordsAreRejectedWithTheReason(String what, String json, String reason) {
        assertThatThrownBy(() -> OsvParser.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(OsvFormatException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void parsedRecordsAreImmutable() throws OsvFormatException {
        OsvRecord r = parse("debian-dsa-dla-converted", "DLA-0001-1.json");
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, () -> r.affected().clear());
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, () -> r.upstream().add("x"));
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                () -> r.affected().get(0).ranges().get(0).events().clear());
    }
}
