package dev.dockaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.RecordedEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@code --format junit} end to end on the example image and on containers recorded from real dockerd: well-formed,
 * the counts the schema's consumers add up, the same findings as the JSON report of the same scan, the same bytes on
 * every run, and the exit code unchanged.
 */
class JUnitCommandTest {
    static final String IMAGE = Cli.project(SarifAllCategoriesTest.EXAMPLE).toString();

    @TempDir
    Path tmp;

    /** Findings per category label in a JSON report's findings array. */
    static Map<String, Integer> byCategory(JsonNode findings) {
        Map<String, Integer> m = new TreeMap<>();
        findings.forEach(f -> m.merge(f.path("category").asText(), 1, Integer::sum));
        return m;
    }

    /** Testcases per suite, leaving out the "no findings" placeholders. */
    static Map<String, Integer> byCategory(Document doc) {
        Map<String, Integer> m = new TreeMap<>();
        for (Element s : JUnitXml.children(doc.getDocumentElement(), "testsuite")) {
            for (Element tc : JUnitXml.children(s, "testcase")) {
                if (!tc.getAttribute("name").equals("no findings")) {
                    m.merge(s.getAttribute("name").substring("dockaudit.".length()), 1, Integer::sum);
                }
            }
        }
        return m;
    }

    @Test
    void everyImageCommandWritesJUnitMatchingItsJsonReport() {
        Map<String, List<String>> suites = Map.of(
                "image", List.of("integrity", "vulnerability", "secret", "config"),
                "vulns", List.of("integrity", "vulnerability"),
                "inspect", List.of("integrity", "secret", "config"),
                "history", List.of("integrity", "history"),
                "digests", List.of("integrity"));
        for (Map.Entry<String, List<String>> e : suites.entrySet()) {
            String command = e.getKey();
            Cli.Result junit = Cli.run(command, IMAGE, "--format", "junit", "--offline");
            Cli.Result again = Cli.run(command, IMAGE, "--format", "junit", "--offline");
            Cli.Result json = Cli.run(command, IMAGE, "--format", "json", "--offline");
            assertThat(junit.exitCode()).as(junit.toString()).isEqualTo(json.exitCode());
            assertThat(again.out()).as(command + " twice").isEqualTo(junit.out());
            Document doc = JUnitXml.assertValid(JUnitXml.parse(junit.out()));
            List<String> names = JUnitXml.children(doc.getDocumentElement(), "testsuite").stream()
                    .map(s -> s.getAttribute("name").substring("dockaudit.".length())).toList();
            assertThat(names).as(command).containsAll(e.getValue());
            JsonNode findings = json.json().path("findings");
            if (findings.isArray()) {
                assertThat(byCategory(doc)).as(command).isEqualTo(byCategory(findings));
            }
            for (Element s : JUnitXml.children(doc.getDocumentElement(), "testsuite")) {
                if (JUnitXml.children(s, "testcase").get(0).getAttribute("name").equals("no findings")) {
                    assertThat(s.getAttribute("tests")).isEqualTo("1");
                    assertThat(s.getAttribute("failures")).isEqualTo("0");
                }
            }
        }
    }

    @Test
    void failOnDecidesWhichFindingsFailAndTheExitCodeStaysTheSame() {
        // the example's vulnerabilities are UNKNOWN with the bundled seed, its config findings MEDIUM and above
        Cli.Result json = Cli.run("image", IMAGE, "--format", "json");
        int total = json.json().path("findings").size();
        long atLeastMedium = 0;
        long info = 0;
        for (JsonNode f : json.json().path("findings")) {
            Severity s = Severity.parse(f.path("severity").asText());
            atLeastMedium += s.atLeast(Severity.MEDIUM) ? 1 : 0;
            info += s == Severity.INFO ? 1 : 0;
        }
        assertThat(atLeastMedium).isPositive().isLessThan(total);
        Cli.Result gated = Cli.run("image", IMAGE, "--format", "junit", "--fail-on", "MEDIUM");
        assertThat(gated.exitCode()).isEqualTo(1);
        Document doc = JUnitXml.assertValid(JUnitXml.parse(gated.out()));
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo(String.valueOf(atLeastMedium));
        for (Element s : JUnitXml.children(doc.getDocumentElement(), "testsuite")) {
            for (Element tc : JUnitXml.children(s, "testcase")) {
                boolean failed = !JUnitXml.children(tc, "failure").isEmpty();
                boolean placeholder = tc.getAttribute("name").equals("no findings");
                assertThat(failed || placeholder || !JUnitXml.children(tc, "system-out").isEmpty())
                        .as("a passing finding carries its details").isTrue();
            }
        }

        Cli.Result all = Cli.run("image", IMAGE, "--format", "junit");
        assertThat(all.exitCode()).isZero();
        Document every = JUnitXml.assertValid(JUnitXml.parse(all.out()));
        assertThat(every.getDocumentElement().getAttribute("failures")).isEqualTo(String.valueOf(total - info));
    }

    @Test
    void unavailableFormatsAreStillUsageErrors() {
        Cli.Result r = Cli.run("packages", IMAGE, "--format", "junit");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--format junit is not available for packages");
    }

    @Test
    void containerJUnitOnRecordedDockerd() throws Exception {
        try (RecordedEngine e = RecordedEngine.start(tmp.resolve("d.sock"), "Docker", RecordedEngine.recorded("Docker"))) {
            Cli.Result json = Cli.run("container", "--docker-host", e.dockerHost(), "--all", "--scanners", "runtime",
                    "--format", "json");
            Cli.Result junit = Cli.run("container", "--docker-host", e.dockerHost(), "--all", "--scanners", "runtime",
                    "--format", "junit", "--fail-on", "HIGH");
            Cli.Result again = Cli.run("container", "--docker-host", e.dockerHost(), "--all", "--scanners", "runtime",
                    "--format", "junit", "--fail-on", "HIGH");
            assertThat(again.out()).isEqualTo(junit.out());
            Document doc = JUnitXml.assertValid(JUnitXml.parse(junit.out()));
            assertThat(JUnitXml.children(doc.getDocumentElement(), "testsuite")).extracting(s -> s.getAttribute("name"))
                    .containsExactly("dockaudit.runtime");
            int findings = json.json().at("/daemon/findings").size();
            int high = 0;
            List<JsonNode> all = new java.util.ArrayList<>();
            json.json().at("/daemon/findings").forEach(all::add);
            for (JsonNode c : json.json().path("containers")) {
                findings += c.path("findings").size();
                c.path("findings").forEach(all::add);
            }
            for (JsonNode f : all) {
                high += List.of("CRITICAL", "HIGH").contains(f.path("severity").asText()) ? 1 : 0;
            }
            Element runtime = JUnitXml.suite(doc, "dockaudit.runtime");
            assertThat(runtime.getAttribute("tests")).isEqualTo(String.valueOf(findings));
            assertThat(runtime.getAttribute("failures")).isEqualTo(String.valueOf(high));
            assertThat(junit.exitCode()).isEqualTo(high > 0 ? 1 : 0);
            assertThat(junit.out()).contains("classname=\"runtime.container da-rt-priv\"")
                    .doesNotContain(RecordedEngine.AWS_SECRET).doesNotContain(RecordedEngine.GITHUB_TOKEN);
        }
    }
}
