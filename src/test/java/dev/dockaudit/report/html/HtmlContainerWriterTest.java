package dev.dockaudit.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.ContainerReport;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Report;
import dev.dockaudit.report.Severity;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.Expect;
import dev.dockaudit.testing.RecordedEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The container page: the daemon, each container, each distinct image once; and the command's HTML output. */
class HtmlContainerWriterTest {
    @TempDir
    Path tmp;

    static ContainerReport hostile() {
        Report image = HtmlReportWriterTest.hostile();
        String imageId = image.image().configDigest().toString();
        ContainerReport.Daemon daemon = new ContainerReport.Daemon("Docker", "20.10<script>", "1.41",
                "unix:///var/run/docker.sock", "Debian", "inactive", List.of("name=seccomp,profile=<b>x</b>"), null, false,
                false, List.of(Finding.builder("RT-DAEMON-ROOTFUL", Category.RUNTIME, Severity.LOW, "Rootful daemon").build()));
        ContainerReport.Container evil = new ContainerReport.Container("a".repeat(64), "<script>alert('name')</script>",
                "evil/app:<b>1</b>", imageId, "running",
                List.of(Finding.builder("RT-PRIVILEGED", Category.RUNTIME, Severity.CRITICAL, "Privileged container")
                        .evidence("HostConfig.Privileged=true <img src=x>").cis("5.5").build()),
                List.of("note <script>"), null);
        ContainerReport.Container gone = new ContainerReport.Container("b".repeat(64), "gone", "other:1",
                "sha256:" + "c".repeat(64), "exited", List.of(), List.of(), "image export failed <b>");
        return new ContainerReport(daemon, List.of(evil, gone), List.of(
                new ContainerReport.ImageAudit(imageId, List.of("a".repeat(64)), image, null),
                new ContainerReport.ImageAudit("sha256:" + "c".repeat(64), List.of("b".repeat(64)), null, "no <such> image")),
                List.of(), new ContainerReport.Stats(2, 2, 1, 1234, 5678));
    }

    @Test
    void containersImagesAndDaemonAreEscapedCountedAndDeterministic() throws Exception {
        ContainerReport r = hostile();
        String html = HtmlContainerWriter.render(r);
        Document doc = HtmlChecks.structure(html);
        HtmlChecks.selfContained(html);
        HtmlChecks.strictPolicy(html);
        assertThat(html).doesNotContain("<script>alert", "<b>", "<img", "1234", "5678");
        assertThat(html).contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;", "20.10&lt;script&gt;",
                "no &lt;such&gt; image", "href=\"#image-");
        Map<String, Integer> want = new LinkedHashMap<>();
        ContainerReport.bySeverity(r.allFindings()).forEach((s, n) -> want.put(s.name(), n));
        assertThat(HtmlChecks.severityCounts(html)).containsExactlyEntriesOf(want);
        assertThat(HtmlReportWriterTest.findingRows(doc)).hasSize(r.allFindings().size());
        assertThat(HtmlContainerWriter.render(hostile())).isEqualTo(html);
        // runtime findings have no package or layer, so their tables have no such columns
        org.w3c.dom.NodeList heads = HtmlReportWriterTest.byId(doc, "daemon").getElementsByTagName("th");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < heads.getLength(); i++) {
            names.add(heads.item(i).getTextContent());
        }
        assertThat(names).containsExactly("Severity", "Category", "ID", "Title");
        assertThat(html).contains("The image could not be audited: no &lt;such&gt; image");
    }

    private static List<String> run(RecordedEngine e, String... args) {
        List<String> a = new ArrayList<>(List.of("container", "--docker-host", e.dockerHost(), "--scanners", "runtime",
                "--no-progress", "--all"));
        a.addAll(List.of(args));
        return a;
    }

    @Test
    void containerCommandWritesHtmlWithTheJsonReportsCounts() throws Exception {
        try (RecordedEngine e = RecordedEngine.start(tmp.resolve("docker.sock"), "Docker", RecordedEngine.recorded("Docker"))) {
            JsonNode json = Expect.report(Cli.run(run(e, "--format", "json").toArray(new String[0])), 0);
            Path out = tmp.resolve("report.html");
            Cli.Result r = Cli.run(run(e, "--format", "html", "-o", out.toString()).toArray(new String[0]));
            assertThat(r.exitCode()).as(r.toString()).isZero();
            String html = Files.readString(out);
            Document doc = HtmlChecks.structure(html);
            HtmlChecks.selfContained(html);
            HtmlChecks.strictPolicy(html);
            Map<String, Integer> want = new LinkedHashMap<>();
            json.at("/summary/bySeverity").fields().forEachRemaining(f -> want.put(f.getKey(), f.getValue().asInt()));
            assertThat(HtmlChecks.severityCounts(html)).containsExactlyEntriesOf(want);
            int total = json.at("/daemon/findings").size();
            for (JsonNode c : json.get("containers")) {
                total += c.get("findings").size();
                assertThat(html).contains(HtmlOut.escape(c.get("name").asText()));
            }
            assertThat(HtmlReportWriterTest.findingRows(doc)).hasSize(total);

            // bad output targets take the same path as every other format
            Path missing = tmp.resolve("no/such/folder/report.html");
            Cli.Result m = Cli.run(run(e, "--format", "html", "-o", missing.toString()).toArray(new String[0]));
            Expect.userError(m, "cannot write " + missing + ": the folder does not exist");
            assertThat(m.out()).isEmpty();
            Path dir = Files.createDirectory(tmp.resolve("a-folder"));
            Expect.userError(Cli.run(run(e, "--format", "html", "-o", dir.toString()).toArray(new String[0])),
                    "cannot write " + dir + ": it is a directory");
            Expect.userError(Cli.run(run(e, "--format", "cyclonedx").toArray(new String[0])),
                    "--format cyclonedx is not available for container; use table or json or sarif or html or junit");
        }
    }
}
