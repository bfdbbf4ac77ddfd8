package dev.dockaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class JUnitWriterTest {
    static String write(Report r, Severity failOn, EnumSet<Category> checked) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JUnitWriter(failOn, checked).write(r, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static Element testcase(Document doc, String suite, String namePrefix) {
        for (Element tc : JUnitXml.children(JUnitXml.suite(doc, suite), "testcase")) {
            if (tc.getAttribute("name").startsWith(namePrefix)) {
                return tc;
            }
        }
        throw new AssertionError("no testcase " + namePrefix + " in " + suite);
    }

    @Test
    void oneSuitePerCategoryOneTestcasePerFindingAndNoFindingsForAQuietCheck() throws IOException {
        Report r = SarifAllCategoriesTest.imageReport();
        String xml = write(r, null, EnumSet.allOf(Category.class));
        assertThat(write(SarifAllCategoriesTest.imageReport(), null, EnumSet.allOf(Category.class))).isEqualTo(xml);
        Document doc = JUnitXml.assertValid(JUnitXml.parse(xml));
        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"dockaudit image docker://example.com/team/app:1.0\"");

        List<Element> suites = JUnitXml.children(doc.getDocumentElement(), "testsuite");
        assertThat(suites).extracting(s -> s.getAttribute("name")).containsExactly("dockaudit.integrity", "dockaudit.trust",
                "dockaudit.vulnerability", "dockaudit.secret", "dockaudit.config", "dockaudit.history", "dockaudit.runtime");
        Map<Category, Integer> counts = r.byCategory();
        for (Category c : Category.values()) {
            Element s = JUnitXml.suite(doc, "dockaudit." + c.label());
            int n = counts.getOrDefault(c, 0);
            assertThat(Integer.parseInt(s.getAttribute("tests"))).as(c.label()).isEqualTo(Math.max(1, n));
        }
        // runtime was checked (the caller said so) and found nothing: one passing testcase
        Element quiet = JUnitXml.children(JUnitXml.suite(doc, "dockaudit.runtime"), "testcase").get(0);
        assertThat(quiet.getAttribute("name")).isEqualTo("no findings");
        assertThat(JUnitXml.children(quiet, null)).isEmpty();

        Element vuln = testcase(doc, "dockaudit.vulnerability", "CVE-2021-36159");
        assertThat(vuln.getAttribute("name")).isEqualTo("CVE-2021-36159 apk-tools 2.10.4-r2");
        assertThat(vuln.getAttribute("classname")).isEqualTo("vulnerability.apk-tools");
        Element failure = JUnitXml.children(vuln, "failure").get(0);
        assertThat(failure.getAttribute("type")).isEqualTo("CRITICAL");
        assertThat(failure.getAttribute("message")).isEqualTo("CRITICAL CVE-2021-36159: apk-tools: out-of-bounds read");
        assertThat(failure.getTextContent()).contains("Fixed version: 2.10.7-r0", "Remediation: Upgrade apk-tools",
                "Layer: " + SarifAllCategoriesTest.LAYER);
        assertThat(testcase(doc, "dockaudit.secret", "SECRET-").getAttribute("name"))
                .isEqualTo("SECRET-aws-access-key-id /app/conf/settings.env");
        assertThat(testcase(doc, "dockaudit.secret", "SECRET-").getAttribute("classname")).isEqualTo("secret.layer 1bfeebd65323");
        Element config = testcase(doc, "dockaudit.config", "CFG-USER-ROOT");
        assertThat(config.getAttribute("name")).isEqualTo("CFG-USER-ROOT: Image runs as root");
        assertThat(config.getAttribute("classname")).isEqualTo("config.image");
        assertThat(JUnitXml.children(config, "failure").get(0).getTextContent()).contains("CIS Docker Benchmark: 4.1");

        // no --fail-on: every finding fails but INFO, which reports its details as output
        Element info = testcase(doc, "dockaudit.integrity", "INT-TAG-NOT-PINNED");
        assertThat(JUnitXml.children(info, "failure")).isEmpty();
        assertThat(JUnitXml.children(info, "system-out").get(0).getTextContent()).contains("Severity: INFO");
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo(String.valueOf(
                r.findings().stream().filter(f -> f.severity() != Severity.INFO).count()));
    }

    @Test
    void failOnFailsOnlyFindingsAtOrAboveIt() throws IOException {
        Report r = SarifAllCategoriesTest.imageReport();
        Document doc = JUnitXml.assertValid(JUnitXml.parse(write(r, Severity.HIGH, null)));
        // without categories to show, only the categories with findings have suites
        assertThat(JUnitXml.suite(doc, "dockaudit.runtime")).isNull();
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo("3"); // 2 CRITICAL, 1 HIGH
        assertThat(doc.getDocumentElement().getAttribute("tests")).isEqualTo(String.valueOf(r.findings().size()));
        Element medium = testcase(doc, "dockaudit.config", "CFG-USER-ROOT");
        assertThat(JUnitXml.children(medium, "failure")).isEmpty();
        assertThat(JUnitXml.children(medium, "system-out").get(0).getTextContent()).contains("Severity: MEDIUM");
        // UNKNOWN ranks with LOW, as for --fail-on
        Document low = JUnitXml.assertValid(JUnitXml.parse(write(r, Severity.LOW, null)));
        assertThat(JUnitXml.children(testcase(low, "dockaudit.vulnerability", "VULN-UNKNOWN"), "failure")).hasSize(1);
        assertThat(JUnitXml.children(testcase(low, "dockaudit.integrity", "INT-"), "failure")).isEmpty();
    }

    @Test
    void hostileStringsAreEscapedAndCharactersXmlCannotCarryAreDropped() throws IOException {
        String hostile = "a\u0000b\u0001c\u001b[31m <script>&amp; \"q\" 'a' ]]> \uD800x \uFFFE\uFFFF tab\there\r\nnext 😀";
        Finding f = Finding.builder("SECRET-x\u0007", Category.SECRET, Severity.HIGH, hostile).path("/etc/" + hostile)
                .evidence(hostile).description("]]>" + hostile).remediation("<![CDATA[ x ]]>").layer("sha256:" + "b".repeat(64))
                .build();
        Image image = new Image.Builder(ImageReference.parse("docker://example.com/x:1"), "registry").build();
        Report r = new Report("image", image);
        r.add(f);
        String xml = write(r, null, EnumSet.of(Category.SECRET));
        assertThat(xml).doesNotContain("]]>").doesNotContain("<script>").doesNotContain("\u0000").doesNotContain("\u001b");
        Document doc = JUnitXml.assertValid(JUnitXml.parse(xml));
        Element tc = JUnitXml.children(JUnitXml.suite(doc, "dockaudit.secret"), "testcase").get(0);
        String cleaned = "abc[31m <script>&amp; \"q\" 'a' ]]> x  tab\there\r\nnext 😀";
        assertThat(tc.getAttribute("name")).isEqualTo("SECRET-x /etc/" + cleaned);
        Element failure = JUnitXml.children(tc, "failure").get(0);
        assertThat(failure.getAttribute("message")).isEqualTo("HIGH SECRET-x: abc[31m <script>&amp; \"q\" 'a' ]]> x  tab\there …");
        assertThat(failure.getTextContent()).contains("Evidence: " + cleaned.strip(), "Description: ]]>abc",
                "Remediation: <![CDATA[ x ]]>");
    }

    @Test
    void containerReportNamesDaemonContainerAndImage() throws IOException {
        ContainerReport report = SarifAllCategoriesTest.containerReport();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ContainerJUnitWriter(Severity.MEDIUM, EnumSet.of(Category.RUNTIME, Category.VULNERABILITY)).write(report, out);
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        new ContainerJUnitWriter(Severity.MEDIUM, EnumSet.of(Category.RUNTIME, Category.VULNERABILITY)).write(report, again);
        assertThat(again.toByteArray()).isEqualTo(out.toByteArray());
        Document doc = JUnitXml.assertValid(JUnitXml.parse(out.toByteArray()));
        assertThat(doc.getDocumentElement().getAttribute("name")).isEqualTo("dockaudit container Docker");
        Element runtime = JUnitXml.suite(doc, "dockaudit.runtime");
        assertThat(runtime.getAttribute("tests")).isEqualTo("2");
        assertThat(JUnitXml.children(runtime, "testcase")).extracting(t -> t.getAttribute("classname"))
                .containsExactly("runtime.daemon Docker", "runtime.container web");
        assertThat(JUnitXml.children(runtime, "testcase").get(0).getElementsByTagName("failure").getLength()).isEqualTo(1);
        assertThat(testcase(doc, "dockaudit.vulnerability", "CVE-2021-36159").getAttribute("classname"))
                .isEqualTo("vulnerability.image example.com/team/app:1.0 / apk-tools");
        int all = report.allFindings().size();
        assertThat(doc.getDocumentElement().getAttribute("tests")).isEqualTo(String.valueOf(all));
        long failing = report.allFindings().stream().filter(f -> f.severity().atLeast(Severity.MEDIUM)
                && f.severity() != Severity.INFO).count();
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo(String.valueOf(failing));
    }
}
