package dev.dockaudit.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.Expect;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --format html} on each command that writes the image report, with the bundled seed's real findings. */
class HtmlCommandTest {
    static final String ALPINE = Cli.project("examples/alpine-3.10.4-docker-archive.tar.gz").toString();

    @TempDir
    Path tmp;

    @Test
    void everyImageCommandWritesAPage() throws Exception {
        for (String command : new String[] {"image", "vulns", "inspect", "history"}) {
            Cli.Result r = Cli.run(command, ALPINE, "--format", "html", "--no-progress");
            assertThat(r.exitCode()).as(command + ": " + r).isZero();
            HtmlChecks.structure(r.out());
            HtmlChecks.selfContained(r.out());
            HtmlChecks.strictPolicy(r.out());
            assertThat(r.out()).as(command).contains("dockaudit " + command + " report", "alpine:3.10", "Layers");
        }
        Cli.Result image = Cli.run("image", ALPINE, "--format", "html", "--no-progress");
        assertThat(image.out()).contains("CVE-2020-28928", "https://osv.dev/vulnerability/CVE-2020-28928", "musl-utils",
                "Alpine Linux v3.10");
    }

    @Test
    void historyPageListsEveryStepAndTheEfficiencyOfTheJsonReport() throws Exception {
        Cli.Result json = Cli.run("history", ALPINE, "--format", "json", "--no-progress");
        com.fasterxml.jackson.databind.JsonNode h = dev.dockaudit.util.Json.MAPPER.readTree(json.out()).path("history");
        Cli.Result r = Cli.run("history", ALPINE, "--format", "html", "--no-progress");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        org.w3c.dom.Document doc = HtmlChecks.structure(r.out());
        assertThat(r.out()).contains("Build history", "Layer efficiency");
        org.w3c.dom.NodeList tables = doc.getElementsByTagName("table");
        org.w3c.dom.Element steps = null;
        for (int i = 0; i < tables.getLength(); i++) {
            org.w3c.dom.Element t = (org.w3c.dom.Element) tables.item(i);
            if (t.getAttribute("class").contains("history")) {
                steps = t;
            }
        }
        assertThat(steps).as("the build history table").isNotNull();
        org.w3c.dom.NodeList rows = ((org.w3c.dom.Element) steps.getElementsByTagName("tbody").item(0)).getElementsByTagName("tr");
        assertThat(rows.getLength()).isEqualTo(h.path("steps").size()).isGreaterThanOrEqualTo(2);
        for (int i = 0; i < rows.getLength(); i++) {
            String createdBy = h.path("steps").get(i).path("createdBy").asText();
            assertThat(rows.item(i).getTextContent()).contains(createdBy);
        }
        assertThat(r.out()).contains(String.format(java.util.Locale.ROOT, "%.2f %%",
                h.path("efficiency").path("score").asDouble() * 100));
    }

    @Test
    void badOutputTargetsAreInputErrors() {
        Path missing = tmp.resolve("missing/report.html");
        Cli.Result r = Cli.run("image", ALPINE, "--format", "html", "--no-progress", "-o", missing.toString());
        Expect.userError(r, "cannot write " + missing + ": the folder does not exist");
        assertThat(r.out()).isEmpty();
        Expect.userError(Cli.run("packages", ALPINE, "--format", "html"), "--format html is not available for packages");
    }
}
