package dev.dockaudit.report.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.vuln.db.DbImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --format cyclonedx} with vulnerabilities, on real scans: the Alpine 3.10 example against the real Alpine
 * secdb advisories with the OpenVEX document written for that image, and a root filesystem with npm and Maven packages
 * against real GitHub advisories (CVSS vectors, CWEs). Every BOM is validated against the official 1.6 schema.
 */
class CycloneDxVulnerabilitiesTest {
    @TempDir
    static Path tmp;
    static Path db;
    static final String EXAMPLE = "examples/alpine-3.10.4-docker-archive.tar.gz";
    static final String VEX = "src/test/resources/vex/alpine-3.10-image.json";

    @BeforeAll
    static void importRealAdvisories() {
        db = tmp.resolve("vuln.db");
        for (String zip : List.of("alpine-secdb-converted", "ghsa-github-advisory-database")) {
            DbImporter.importPath(db, Path.of("src/test/resources/osv/" + zip + ".zip"), false, DbImporter.Progress.NONE);
        }
    }

    static JsonNode run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--db", db.toString()));
        Cli.Result r = Cli.run(all.toArray(new String[0]));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.json();
    }

    static Map<String, JsonNode> byIdAndRef(JsonNode bom) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode v : bom.path("vulnerabilities")) {
            for (JsonNode a : v.path("affects")) {
                String name = a.path("ref").asText().replaceAll("^pkg:apk/alpine/([^@]+)@.*$", "$1");
                assertThat(out.put(v.path("id").asText() + " " + name, v)).as("one entry per advisory and package").isNull();
            }
        }
        return out;
    }

    @Test
    void alpineExampleWithVexKeepsSuppressedVulnerabilitiesWithTheirAnalysis() {
        String image = Cli.project(EXAMPLE).toString();
        JsonNode plain = run("vulns", image, "--format", "json");
        assertThat(plain.path("findings")).hasSize(20);
        JsonNode triaged = run("vulns", image, "--format", "json", "--vex", VEX);
        JsonNode bom = run("vulns", image, "--format", "cyclonedx", "--vex", VEX);
        SbomSchemas.assertValid(SbomSchemas.CYCLONEDX_16, bom);

        Set<String> componentRefs = new HashSet<>();
        bom.path("components").forEach(c -> componentRefs.add(c.path("bom-ref").asText()));
        int affects = 0;
        Set<String> vulnRefs = new HashSet<>();
        for (JsonNode v : bom.path("vulnerabilities")) {
            assertThat(vulnRefs.add(v.path("bom-ref").asText())).isTrue();
            assertThat(componentRefs).as("no bom-ref of a vulnerability names a component").doesNotContain(v.path("bom-ref").asText());
            assertThat(v.at("/source/name").asText()).isEqualTo("NVD");
            assertThat(v.at("/source/url").asText()).isEqualTo("https://nvd.nist.gov/vuln/detail/" + v.path("id").asText());
            assertThat(v.at("/references/0/id").asText()).isEqualTo("ALPINE-" + v.path("id").asText());
            assertThat(v.at("/references/0/source/name").asText()).isEqualTo("OSV");
            assertThat(v.at("/ratings/0/severity").asText()).isIn("critical", "high", "medium", "low", "unknown");
            assertThat(v.path("description").asText()).isNotBlank();
            assertThat(v.at("/advisories/0/url").asText()).startsWith("https://osv.dev/vulnerability/");
            for (JsonNode a : v.path("affects")) {
                affects++;
                assertThat(componentRefs).contains(a.path("ref").asText());
            }
        }
        // every finding of the plain scan is there once: the VEX-suppressed ones with an analysis
        assertThat(affects).isEqualTo(20);
        Map<String, JsonNode> v = byIdAndRef(bom);
        assertThat(v).hasSize(20);

        JsonNode apk = v.get("CVE-2021-36159 apk-tools");
        assertThat(apk.at("/analysis/state").asText()).isEqualTo("not_affected");
        assertThat(apk.at("/analysis/justification").asText()).isEqualTo("code_not_reachable");
        assertThat(apk.at("/analysis/detail").asText()).isEqualTo("apk is never run in containers started from this image");
        assertThat(apk.at("/affects/0/versions/0/version").asText()).isEqualTo("2.10.4-r2");
        assertThat(apk.at("/affects/0/versions/0/status").asText()).isEqualTo("unaffected");
        assertThat(apk.has("recommendation")).isFalse();
        assertThat(apk.path("properties").toString()).contains("alpine-3.10-image.json statement 1");

        for (String musl : List.of("CVE-2020-28928 musl", "CVE-2020-28928 musl-utils")) {
            assertThat(v.get(musl).at("/analysis/state").asText()).as(musl).isEqualTo("resolved");
            assertThat(v.get(musl).at("/analysis").has("justification")).isFalse();
        }
        // under_investigation (the newer statement), affected, and a statement for another architecture keep findings
        // active; the first two say they were assessed
        for (String active : List.of("CVE-2021-28831 busybox", "CVE-2021-30139 apk-tools", "CVE-2020-1967 libcrypto1.1")) {
            JsonNode a = v.get(active);
            assertThat(a.at("/affects/0/versions/0/status").asText()).isEqualTo("affected");
            assertThat(a.at("/affects/0/versions/1/status").asText()).as("the fixed version").isEqualTo("unaffected");
            assertThat(a.path("recommendation").asText()).startsWith("Upgrade ");
        }
        assertThat(v.get("CVE-2021-28831 busybox").at("/analysis/state").asText()).isEqualTo("in_triage");
        assertThat(v.get("CVE-2020-1967 libcrypto1.1").at("/analysis/state").asText()).isEqualTo("exploitable");
        assertThat(v.get("CVE-2020-1967 libcrypto1.1").at("/analysis/detail").asText()).isEqualTo("Rebuild on alpine:3.10.5 or later");
        assertThat(v.get("CVE-2020-1967 libcrypto1.1").at("/analysis").has("justification")).isFalse();
        assertThat(v.get("CVE-2021-30139 apk-tools").has("analysis")).isFalse();
        long analysed = 0;
        for (JsonNode x : bom.path("vulnerabilities")) {
            String state = x.at("/analysis/state").asText();
            analysed += state.equals("not_affected") || state.equals("resolved") ? x.path("affects").size() : 0;
        }
        // the other formats leave the suppressed ones out, as before
        assertThat(triaged.path("findings")).hasSize(20 - (int) analysed);
        assertThat(analysed).isEqualTo(3);
        String sarif = Cli.run("vulns", image, "--format", "sarif", "--vex", VEX, "--db", db.toString()).out();
        assertThat(sarif).doesNotContain("CVE-2021-36159").doesNotContain("CVE-2020-28928").contains("CVE-2021-28831");

        // image --format cyclonedx carries the same vulnerabilities beside the other scanners' findings
        JsonNode imageBom = run("image", image, "--format", "cyclonedx", "--vex", VEX);
        SbomSchemas.assertValid(SbomSchemas.CYCLONEDX_16, imageBom);
        assertThat(byIdAndRef(imageBom).keySet()).isEqualTo(v.keySet());
    }

    @Test
    void languagePackagesCarryCvssRatingsCwesAndAVexJustification() throws Exception {
        Path root = tmp.resolve("root");
        write(root.resolve("app/node_modules/lodash/package.json"), "{\"name\":\"lodash\",\"version\":\"4.17.15\"}".getBytes());
        write(root.resolve("app/lib/log4j-core-2.14.1.jar"), jar("org.apache.logging.log4j", "log4j-core", "2.14.1"));
        Path vex = tmp.resolve("lodash.vex.json");
        Files.writeString(vex, """
                {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1", "author": "test",
                 "timestamp": "2024-05-01T00:00:00Z", "version": 1,
                 "statements": [{"vulnerability": {"name": "GHSA-35jh-r3h4-6jhm"},
                                 "products": [{"@id": "pkg:npm/lodash@4.17.15"}],
                                 "status": "not_affected",
                                 "justification": "vulnerable_code_cannot_be_controlled_by_adversary",
                                 "impact_statement": "templates come from the image, never from users"}]}
                """);
        JsonNode bom = run("vulns", "rootfs:" + root, "--format", "cyclonedx", "--vex", vex.toString());
        SbomSchemas.assertValid(SbomSchemas.CYCLONEDX_16, bom);
        JsonNode log4j = null;
        JsonNode lodash = null;
        for (JsonNode x : bom.path("vulnerabilities")) {
            if (x.path("id").asText().equals("CVE-2021-44228")) {
                log4j = x;
            } else if (x.path("id").asText().equals("CVE-2021-23337")) {
                lodash = x;
            }
        }
        assertThat(log4j).isNotNull();
        assertThat(log4j.at("/ratings/0/method").asText()).isEqualTo("CVSSv31");
        assertThat(log4j.at("/ratings/0/score").asDouble()).isEqualTo(10.0);
        assertThat(log4j.at("/ratings/0/severity").asText()).isEqualTo("critical");
        assertThat(log4j.at("/ratings/0/vector").asText()).isEqualTo("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H");
        assertThat(log4j.at("/ratings/0/source/name").asText()).isEqualTo("GitHub");
        assertThat(log4j.path("cwes").toString()).isEqualTo("[20,400,502,917]");
        assertThat(log4j.path("references").toString()).contains("GHSA-jfh8-c2jp-5v3q", "https://github.com/advisories/GHSA-jfh8-c2jp-5v3q");
        assertThat(log4j.at("/affects/0/ref").asText()).startsWith("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
        assertThat(log4j.path("recommendation").asText()).contains("2.15.0");

        assertThat(lodash).isNotNull();
        assertThat(lodash.at("/analysis/state").asText()).isEqualTo("not_affected");
        assertThat(lodash.at("/analysis/justification").asText()).isEqualTo("requires_environment");
        assertThat(lodash.at("/analysis/detail").asText()).isEqualTo("templates come from the image, never from users");
        assertThat(lodash.at("/ratings/0/method").asText()).isEqualTo("CVSSv31");

        // the JSON report and the HTML page carry the same ratings for the findings that stay
        JsonNode json = run("vulns", "rootfs:" + root, "--format", "json");
        JsonNode log4jFinding = null;
        for (JsonNode f : json.path("findings")) {
            if (f.path("id").asText().equals("CVE-2021-44228")) {
                log4jFinding = f;
            }
        }
        assertThat(log4jFinding).isNotNull();
        assertThat(log4jFinding.at("/cvss/score").asDouble()).isEqualTo(10.0);
        assertThat(log4jFinding.at("/cvss/vectors/0/vector").asText()).isEqualTo("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H");
        assertThat(log4jFinding.at("/cvss/vectors/0/version").asText()).isEqualTo("3.1");
        assertThat(log4jFinding.at("/cvss/cwes").toString()).isEqualTo("[\"CWE-20\",\"CWE-400\",\"CWE-502\",\"CWE-917\"]");
        String html = Cli.run("vulns", "rootfs:" + root, "--format", "html", "--db", db.toString()).out();
        assertThat(html).contains("CVSS 3.1: </strong>10.0 CRITICAL <code>CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H</code>")
                .contains("CWE-502");
    }

    @Test
    void openVexJustificationsMapToCycloneDx() {
        assertThat(VulnerabilityWriter.justification("component_not_present")).isEqualTo("code_not_present");
        assertThat(VulnerabilityWriter.justification("vulnerable_code_not_present")).isEqualTo("code_not_present");
        assertThat(VulnerabilityWriter.justification("vulnerable_code_not_in_execute_path")).isEqualTo("code_not_reachable");
        assertThat(VulnerabilityWriter.justification("vulnerable_code_cannot_be_controlled_by_adversary"))
                .isEqualTo("requires_environment");
        assertThat(VulnerabilityWriter.justification("inline_mitigations_already_exist"))
                .isEqualTo("protected_by_mitigating_control");
        assertThat(VulnerabilityWriter.justification("made up")).isNull();
    }

    private static void write(Path p, byte[] bytes) throws Exception {
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
    }

    private static byte[] jar(String group, String artifact, String version) throws Exception {
        return dev.dockaudit.testing.MavenJars.withPomProperties(group, artifact, version);
    }
}
