package dev.dockaudit.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.Layer;
import dev.dockaudit.inventory.Inventory;
import dev.dockaudit.inventory.OsInfo;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Report;
import dev.dockaudit.report.Severity;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The HTML page of an image report, built from a report whose every string an attacker chose. */
class HtmlReportWriterTest {
    static final String XSS = "<script>alert(1)</script>";
    static final Digest LAYER0 = Digest.sha256("layer 0".getBytes(StandardCharsets.UTF_8));
    static final Digest LAYER1 = Digest.sha256("layer 1".getBytes(StandardCharsets.UTF_8));

    /** An image whose tag, labels, environment, commands and package texts carry markup and a secret. */
    static Report hostile() {
        String config = """
                {"architecture":"amd64","os":"linux","created":"2024-01-02T03:04:05Z",
                 "config":{"User":"","Env":["PATH=/usr/bin","GREETING=<img src=x onerror=alert(2)>","DB_PASSWORD=hunter2hunter2"],
                   "Labels":{"org.opencontainers.image.title":"<script>alert(1)</script>","api_token":"tok_abcdefghijklmnop",
                             "q":"\\" onmouseover=\\"alert(3)"},
                   "Cmd":["sh","-c","echo </script><script>alert(4)</script>"]},
                 "rootfs":{"type":"layers","diff_ids":[]}}
                """;
        byte[] bytes = config.getBytes(StandardCharsets.UTF_8);
        Image image = new Image.Builder(ImageReference.parse("docker-archive:/tmp/evil<script>.tar"), "docker-archive")
                .config(bytes, Json.parse(bytes, "config"), null)
                .repoTags(List.of("evil/app:<b>bold</b>", "evil/app:1"))
                .layers(List.of(
                        new Layer(0, null, LAYER0, 3_000_000, LAYER0, "/bin/sh -c #(nop) ADD file:abc in / ", null, null, null),
                        new Layer(1, null, LAYER1, 1_000, LAYER1,
                                "RUN curl -u admin:s3cr3tpass https://x.example/<script>alert(5)</script> && rm -rf /tmp",
                                null, null, null)))
                .build();
        Report r = new Report("image", image);
        Package musl = new Package("musl<i>", "1.1.22-r3", PackageType.APK, "x86_64", "musl", "1.1.22-r3",
                "pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=3.10.4", List.of("MIT", "<b>GPL</b>"), List.of(),
                "lib/apk/db/installed", LAYER0.toString(), Map.of());
        r.inventory(new Inventory(new OsInfo("alpine", "3.10.4", null, "Alpine Linux v3.10", true, "2021-05-01",
                "/etc/os-release"), List.of(musl), List.of()));
        r.add(new Finding("CVE-2020-28928", Category.VULNERABILITY, Severity.MEDIUM, "CVE-2020-28928 in musl<i>",
                "A <b>bold</b> description & more", null,
                List.of("javascript:alert(6)", "https://www.openwall.com/lists/oss-security/2020/11/20/4", "https://x.example/\"><script>"),
                List.of("ALPINE-CVE-2020-28928"), musl, "1.1.22-r3", "1.1.22-r4", "fixed", LAYER0.toString(), null, null,
                "Upgrade musl", null));
        r.add(Finding.builder("GHSA-jfh8-c2jp-5v3q", Category.VULNERABILITY, Severity.CRITICAL, XSS)
                .aliases(List.of("CVE-2021-0001")).layer(LAYER1.toString()).build());
        r.add(Finding.builder("SECRET-aws", Category.SECRET, Severity.HIGH, "AWS key")
                .path("/etc/\"quoted\" & <tagged>.env").evidence("line 3: AKIA************ (20 chars)").layer(LAYER1.toString())
                .deletedInLaterLayer(true).build());
        r.add(Finding.builder("CFG-ROOT-USER", Category.CONFIG, Severity.MEDIUM, "Image runs as root").cis("4.1").build());
        r.add(Finding.builder("HIST-X", Category.HISTORY, Severity.LOW, "history").build());
        r.add(Finding.builder("INT-Y", Category.INTEGRITY, Severity.UNKNOWN, "integrity").build());
        r.note("a note with <script>alert(7)</script>");
        return r;
    }

    @Test
    void hostileStringsAreEscapedEverywhere() throws Exception {
        String html = HtmlReportWriter.render(hostile());
        HtmlChecks.structure(html);
        assertThat(html).doesNotContain("<script>alert", "<img", "<b>", "<i>", "</script><script>");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "evil/app:&lt;b&gt;bold&lt;/b&gt;",
                "GREETING=&lt;img src=x onerror=alert(2)&gt;", "&quot; onmouseover=&quot;alert(3)",
                "/etc/&quot;quoted&quot; &amp; &lt;tagged&gt;.env", "a note with &lt;script&gt;");
        // secrets in metadata are masked, as in every other format
        assertThat(html).doesNotContain("hunter2hunter2", "s3cr3tpass", "tok_abcdefghijklmnop");
        // a reference that is not a plain web address is never a link
        assertThat(html).doesNotContain("href=\"javascript:", "x.example/&quot;&gt;");
        HtmlChecks.selfContained(html);
        HtmlChecks.strictPolicy(html);
    }

    @Test
    void summaryCountsAreTheReportsCounts() throws Exception {
        Report r = hostile();
        String html = HtmlReportWriter.render(r);
        Map<String, Integer> want = new LinkedHashMap<>();
        r.bySeverity().forEach((s, n) -> want.put(s.name(), n));
        assertThat(HtmlChecks.severityCounts(html)).containsExactlyEntriesOf(want);
        Map<String, Integer> cats = new LinkedHashMap<>();
        r.byCategory().forEach((c, n) -> cats.put(c.label(), n));
        assertThat(HtmlChecks.categoryCounts(html)).containsExactlyEntriesOf(cats);
        Document doc = HtmlChecks.structure(html);
        List<Element> rows = findingRows(doc);
        assertThat(rows).hasSize(r.findings().size());
        // the chart's bars say the same
        assertThat(html).contains("<title>CRITICAL: 1</title>", "<title>MEDIUM: 2</title>", "<title>vulnerability: 2</title>");
    }

    @Test
    void withoutScriptsEveryRowShowsMostSevereFirstAndTheControlsAreHidden() throws Exception {
        Report r = hostile();
        Document doc = HtmlChecks.structure(HtmlReportWriter.render(r));
        List<String> order = new ArrayList<>();
        for (Element row : findingRows(doc)) {
            assertThat(row.hasAttribute("hidden")).isFalse();
            order.add(row.getAttribute("data-severity"));
        }
        assertThat(order).containsExactlyElementsOf(r.findings().stream().map(f -> f.severity().name()).toList());
        assertThat(order).isSortedAccordingTo(java.util.Comparator.comparing(Severity::valueOf));
        Element controls = doc.getElementById("controls") != null ? doc.getElementById("controls") : byId(doc, "controls");
        assertThat(controls.getAttribute("hidden")).isEqualTo("hidden");
    }

    @Test
    void advisoriesLinkToTheirReferencesAndToOsv() {
        String html = HtmlReportWriter.render(hostile());
        assertThat(html).contains("href=\"https://www.openwall.com/lists/oss-security/2020/11/20/4\"",
                "href=\"https://osv.dev/vulnerability/CVE-2020-28928\"",
                "href=\"https://osv.dev/vulnerability/ALPINE-CVE-2020-28928\"",
                "href=\"https://osv.dev/vulnerability/GHSA-jfh8-c2jp-5v3q\"",
                "href=\"https://osv.dev/vulnerability/CVE-2021-0001\"");
        // config findings are not advisories
        assertThat(html).doesNotContain("osv.dev/vulnerability/CFG-");
    }

    @Test
    void layersShowTheirStepsAndTheFindingsInThem() throws Exception {
        Document doc = HtmlChecks.structure(HtmlReportWriter.render(hostile()));
        Element layers = byId(doc, "layers");
        NodeList cells = layers.getElementsByTagName("td");
        List<String> findingsPerLayer = new ArrayList<>();
        for (int i = 0; i < cells.getLength(); i++) {
            Element td = (Element) cells.item(i);
            if (td.hasAttribute("data-layer-findings")) {
                findingsPerLayer.add(td.getTextContent());
            }
        }
        assertThat(findingsPerLayer).containsExactly("1", "2");
        assertThat(layers.getTextContent()).contains("#(nop) ADD file:abc in /", "curl -u admin:", "&& rm -rf /tmp")
                .doesNotContain("s3cr3tpass");
        assertThat(layers.getElementsByTagName("svg").getLength()).isEqualTo(2);
    }

    @Test
    void theSameReportGivesTheSameBytes() {
        String a = HtmlReportWriter.render(hostile());
        String b = HtmlReportWriter.render(hostile());
        assertThat(a).isEqualTo(b);
        assertThat(a).doesNotContainPattern("20[2-9]\\d-\\d\\d-\\d\\dT(?!03:04:05Z)");
    }

    @Test
    void trustNotCheckedSaysWhy() {
        String html = HtmlReportWriter.render(hostile());
        assertThat(html).contains("not checked: signatures live in a registry, and this image was read from docker-archive");
    }

    @Test
    void anEmptyReportIsStillAPage() throws Exception {
        Report r = new Report("vulns", new Image.Builder(ImageReference.parse("rootfs:/tmp/x"), "rootfs").build());
        String html = HtmlReportWriter.render(r);
        HtmlChecks.structure(html);
        HtmlChecks.selfContained(html);
        HtmlChecks.strictPolicy(html);
        assertThat(html).contains("No findings.", "No package inventory");
    }

    static List<Element> findingRows(Document doc) {
        List<Element> out = new ArrayList<>();
        NodeList tables = doc.getElementsByTagName("table");
        for (int i = 0; i < tables.getLength(); i++) {
            Element t = (Element) tables.item(i);
            if (!t.getAttribute("class").contains("findings")) {
                continue;
            }
            Element body = (Element) t.getElementsByTagName("tbody").item(0);
            NodeList rows = body.getElementsByTagName("tr");
            for (int j = 0; j < rows.getLength(); j++) {
                out.add((Element) rows.item(j));
            }
        }
        return out;
    }

    static Element byId(Document doc, String id) {
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (id.equals(e.getAttribute("id"))) {
                return e;
            }
        }
        throw new AssertionError("no element #" + id);
    }
}
