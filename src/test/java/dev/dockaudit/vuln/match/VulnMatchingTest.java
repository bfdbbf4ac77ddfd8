package dev.dockaudit.vuln.match;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.util.Json;
import dev.dockaudit.vuln.db.DbImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through {@code dockaudit vulns} with a database imported from the real advisories in the test
 * resources: every expected finding is found, with its fixed version, and nothing else.
 */
class VulnMatchingTest {
    @TempDir
    static Path tmp;
    static Path db;

    @BeforeAll
    static void importRealAdvisories() {
        db = tmp.resolve("vuln.db");
        for (String zip : List.of("alpine-secdb-converted", "debian-dsa-dla-converted", "ghsa-github-advisory-database",
                "ghsa-maven-osvdev", "ubuntu")) {
            DbImporter.importPath(db, Path.of("src/test/resources/osv/" + zip + ".zip"), false, DbImporter.Progress.NONE);
        }
    }

    private static JsonNode vulns(String ref, String... extra) {
        List<String> args = new ArrayList<>(List.of("vulns", ref, "--format", "json", "--db", db.toString()));
        args.addAll(List.of(extra));
        Cli.Result r = Cli.run(args.toArray(new String[0]));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.json();
    }

    private static TreeSet<String> triples(JsonNode report) {
        TreeSet<String> out = new TreeSet<>();
        for (JsonNode f : report.get("findings")) {
            if (f.get("category").asText().equals("vulnerability")) {
                out.add(f.at("/package/name").asText() + " " + f.get("id").asText() + " " + f.get("fixedVersion").asText());
            }
        }
        return out;
    }

    @Test
    void alpine310FindsExactlyTheTwentyExpected() throws Exception {
        JsonNode expected = Json.parse(Files.readAllBytes(Path.of(
                "src/test/resources/realdata/images/expected/alpine-3.10.4-docker-archive.expected.json")), "expected");
        TreeSet<String> want = new TreeSet<>();
        for (JsonNode f : expected.get("findings_vulnlist_v3_10_subset")) {
            want.add(f.get("package").asText() + " " + f.get("id").asText() + " " + f.get("fixed").asText());
        }
        assertThat(want).hasSize(20);
        JsonNode report = vulns(Cli.project("examples/alpine-3.10.4-docker-archive.tar.gz").toString());
        assertThat(triples(report)).containsExactlyElementsOf(want);
        for (JsonNode f : report.get("findings")) {
            assertThat(f.get("status").asText()).isEqualTo("fixed");
            assertThat(f.get("aliases").toString()).contains("ALPINE-" + f.get("id").asText());
            assertThat(f.at("/package/layer").asText()).isEqualTo(expected.at("/structure/diff_ids/0").asText());
        }
    }

    @Test
    void debian12HasNoFindingsInTheTrackerSnapshot() {
        // realdata: the 2023-04 DSA/DLA snapshot has no Debian:12 entries, so zero is the right answer
        JsonNode report = vulns("src/test/resources/realdata/images/debian12-slim-like-docker-archive.tar.gz");
        assertThat(triples(report)).isEmpty();
        assertThat(report.get("notes").toString()).contains("vulnerability data as of");
    }

    @Test
    void ubuntuAndLanguagePackagesWithVendorAndGithubRatings() throws Exception {
        Path root = tmp.resolve("root");
        write(root.resolve("etc/os-release"), "NAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\nVERSION_CODENAME=jammy\n");
        write(root.resolve("var/lib/dpkg/status"), String.join("\n",
                "Package: libssl3", "Status: install ok installed", "Architecture: amd64", "Source: openssl",
                "Version: 3.0.2-0ubuntu1.7", "",
                "Package: openssl", "Status: install ok installed", "Architecture: amd64", "Version: 3.0.2-0ubuntu1.7", "",
                "Package: openssl-fixed-elsewhere", "Status: install ok installed", "Architecture: amd64", "Source: openssl",
                "Version: 3.0.2-0ubuntu1.8", ""));
        write(root.resolve("app/node_modules/lodash/package.json"), "{\"name\":\"lodash\",\"version\":\"4.17.15\",\"license\":\"MIT\"}");
        write(root.resolve("app/node_modules/minimist/package.json"), "{\"name\":\"minimist\",\"version\":\"1.2.6\"}");
        write(root.resolve("usr/lib/python3/dist-packages/requests-2.25.1.dist-info/METADATA"),
                "Metadata-Version: 2.1\nName: requests\nVersion: 2.25.1\n");
        write(root.resolve("usr/lib/python3/dist-packages/urllib3-1.26.5.dist-info/METADATA"),
                "Metadata-Version: 2.1\nName: urllib3\nVersion: 1.26.5\n");
        write(root.resolve("app/lib/log4j-core-2.14.1.jar"), jar("org.apache.logging.log4j", "log4j-core", "2.14.1"));

        JsonNode report = vulns("rootfs:" + root);
        assertThat(triples(report)).containsExactlyInAnyOrder(
                "libssl3 CVE-2023-0286 3.0.2-0ubuntu1.8",
                "openssl CVE-2023-0286 3.0.2-0ubuntu1.8",
                "lodash CVE-2021-23337 4.17.21",
                "requests CVE-2023-32681 2.31.0",
                "urllib3 CVE-2023-43804 1.26.17",
                "org.apache.logging.log4j:log4j-core CVE-2021-44228 2.15.0");
        for (JsonNode f : report.get("findings")) {
            String id = f.get("id").asText();
            String pkg = f.at("/package/name").asText();
            if (pkg.equals("openssl") || pkg.equals("libssl3")) {
                assertThat(f.get("severity").asText()).as("Ubuntu priority first").isEqualTo("HIGH");
            }
            if (id.equals("CVE-2021-44228")) {
                assertThat(f.get("severity").asText()).isEqualTo("CRITICAL");
                assertThat(f.get("aliases").toString()).contains("GHSA-jfh8-c2jp-5v3q");
            }
        }
        // --ignore-unfixed keeps these (all have fixes); an ignore file by alias drops one
        Path ignore = tmp.resolve("ignore.yaml");
        Files.writeString(ignore, "- id: GHSA-35jh-r3h4-6jhm\n  reason: lodash is only used in tests\n");
        JsonNode triaged = vulns("rootfs:" + root, "--ignore-file", ignore.toString(), "--ignore-unfixed");
        assertThat(triples(triaged)).hasSize(5).noneMatch(t -> t.startsWith("lodash"));
        assertThat(triaged.get("notes").toString()).contains("suppressed 1 finding");
    }

    private static void write(Path p, String text) throws Exception {
        write(p, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void write(Path p, byte[] bytes) throws Exception {
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
    }

    private static byte[] jar(String group, String artifact, String version) throws Exception {
        return dev.dockaudit.testing.MavenJars.withPomProperties(group, artifact, version);
    }
}
