package dev.dockaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.Expect;
import dev.dockaudit.testing.HeadlessChromium;
import dev.dockaudit.vuln.db.DbImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real browser: the Alpine 3.10 example scanned against the real Alpine advisories, opened in
 * headless Chromium over the DevTools protocol. The page must load without a script error, console error or
 * Content-Security-Policy violation, show the JSON report's counts, filter and sort its findings, render a real
 * screenshot, and show every finding with JavaScript off. The policy is also shown to block injected markup.
 */
class HtmlBrowserIT {
    @TempDir
    static Path tmp;
    static JsonNode json;
    static Path page;

    @BeforeAll
    static void scan() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.installed(), "chromium is not installed (scripts/test-env installs it)");
        Path db = tmp.resolve("vuln.db");
        DbImporter.importPath(db, Cli.project("src/test/resources/osv/alpine-secdb-converted.zip"), false,
                DbImporter.Progress.NONE);
        String image = Cli.project("examples/alpine-3.10.4-docker-archive.tar.gz").toString();
        json = Expect.report(Cli.run("image", image, "--db", db.toString(), "--format", "json", "--no-progress"), 0);
        page = tmp.resolve("report.html");
        Cli.Result html = Cli.run("image", image, "--db", db.toString(), "--format", "html", "--no-progress", "-o",
                page.toString());
        assertThat(html.exitCode()).as(html.toString()).isZero();
        // the scan has findings of several severities and categories to count, filter and sort
        assertThat(json.get("findings").size()).isGreaterThan(20);
        long severities = json.get("findings").findValuesAsText("severity").stream().distinct().count();
        assertThat(severities).isGreaterThanOrEqualTo(3);
    }

    private static int count(String severity, String category, String packageName) {
        int n = 0;
        for (JsonNode f : json.get("findings")) {
            if ((severity == null || f.get("severity").asText().equals(severity))
                    && (category == null || f.get("category").asText().equals(category))
                    && (packageName == null || f.at("/package/name").asText().equals(packageName))) {
                n++;
            }
        }
        return n;
    }

    private static void assertNoErrors(HeadlessChromium browser, int from) {
        List<String> errors = new ArrayList<>();
        for (JsonNode e : browser.events(from)) {
            String method = e.path("method").asText();
            JsonNode p = e.path("params");
            if (method.equals("Runtime.exceptionThrown")
                    || method.equals("Runtime.consoleAPICalled") && p.path("type").asText().matches("error|assert")
                    || method.equals("Log.entryAdded") && p.at("/entry/level").asText().equals("error")) {
                errors.add(e.toString());
            }
        }
        assertThat(errors).as("errors in the page").isEmpty();
    }

    /** Sets the filter controls as a user would and returns the number of finding rows still displayed. */
    private static int filter(HeadlessChromium b, String severity, String category, String text) throws Exception {
        return b.eval("""
                (() => {
                  const set = (id, v, ev) => { const e = document.getElementById(id); e.value = v;
                                               e.dispatchEvent(new Event(ev, {bubbles: true})); };
                  set('f-severity', %s, 'change');
                  set('f-category', %s, 'change');
                  set('f-text', %s, 'input');
                  return [...document.querySelectorAll('table.findings tbody tr')]
                      .filter(r => r.getClientRects().length > 0).length;
                })()""".formatted(js(severity), js(category), js(text))).asInt();
    }

    private static String js(String s) {
        return "'" + (s == null ? "" : s.replace("\\", "\\\\").replace("'", "\\'")) + "'";
    }

    @Test
    void theReportWorksInARealBrowser() throws Exception {
        try (HeadlessChromium b = HeadlessChromium.start()) {
            int start = b.mark();
            b.send("Runtime.enable");
            b.send("Log.enable");
            b.send("Page.enable");
            b.load(page.toUri().toString());
            assertNoErrors(b, start);

            // the summary shows the JSON report's counts
            JsonNode shown = b.eval("""
                    (() => { const o = {sev: {}, cat: {}};
                      document.querySelectorAll('[data-count-severity]').forEach(e => o.sev[e.dataset.countSeverity] = +e.textContent);
                      document.querySelectorAll('[data-count-category]').forEach(e => o.cat[e.dataset.countCategory] = +e.textContent);
                      return o; })()""");
            assertThat(shown.get("sev")).isEqualTo(json.at("/summary/bySeverity"));
            assertThat(shown.get("cat")).isEqualTo(json.at("/summary/byCategory"));
            int total = json.get("findings").size();
            assertThat(b.eval("document.querySelectorAll('table.findings tbody tr').length").asInt()).isEqualTo(total);
            assertThat(b.eval("document.querySelectorAll('svg.chart rect').length").asInt()).isGreaterThanOrEqualTo(6);
            assertThat(b.eval("document.documentElement.classList.contains('js') && !document.getElementById('controls').hidden")
                    .asBoolean()).as("the script ran and showed the filters").isTrue();

            // filtering
            assertThat(filter(b, "", "", "")).isEqualTo(total);
            assertThat(filter(b, "UNKNOWN", "", "")).isEqualTo(count("UNKNOWN", null, null)).isPositive();
            assertThat(filter(b, "MEDIUM", "", "")).isEqualTo(count("MEDIUM", null, null)).isPositive();
            assertThat(filter(b, "", "config", "")).isEqualTo(count(null, "config", null)).isPositive();
            assertThat(filter(b, "", "vulnerability", "libssl1.1")).isEqualTo(count(null, "vulnerability", "libssl1.1"))
                    .isPositive();
            assertThat(filter(b, "CRITICAL", "config", "")).isEqualTo(count("CRITICAL", "config", null));
            assertThat(filter(b, "", "", "no such text anywhere")).isZero();
            assertThat(b.eval("document.getElementById('f-count').textContent").asText())
                    .isEqualTo("0 of " + total + " findings shown");
            assertThat(filter(b, "", "", "")).isEqualTo(total);

            // sorting: a click on ID sorts ascending, a second click descending; Severity goes back to the server's order
            String ids = "[...document.querySelectorAll('table.findings tbody tr')].map(r => r.cells[2].textContent.trim())";
            String sorted = "((a) => a.every((x, i) => i === 0 || a[i - 1].localeCompare(x) <= 0))";
            b.eval("document.querySelectorAll('table.findings thead th')[2].click()");
            assertThat(b.eval(sorted + "(" + ids + ")").asBoolean()).isTrue();
            assertThat(b.eval("document.querySelectorAll('table.findings thead th')[2].getAttribute('aria-sort')").asText())
                    .isEqualTo("ascending");
            b.eval("document.querySelectorAll('table.findings thead th')[2].click()");
            assertThat(b.eval(sorted + "(" + ids + ".reverse())").asBoolean()).isTrue();
            b.eval("document.querySelectorAll('table.findings thead th')[0].click()");
            List<String> severities = new ArrayList<>();
            b.eval("[...document.querySelectorAll('table.findings tbody tr')].map(r => r.dataset.severity)")
                    .forEach(n -> severities.add(n.asText()));
            assertThat(severities).containsExactlyElementsOf(json.get("findings").findValuesAsText("severity"));
            assertNoErrors(b, start);

            // printed: every row even while a filter hides some on screen, no controls, nothing dark behind the text
            filter(b, "UNKNOWN", "", "");
            b.send("Emulation.setEmulatedMedia", Map.of("media", "print"));
            assertThat(b.eval("[...document.querySelectorAll('table.findings tbody tr')].filter(r => r.getClientRects().length > 0).length")
                    .asInt()).isEqualTo(total);
            assertThat(b.eval("document.getElementById('controls').getClientRects().length").asInt()).isZero();
            assertThat(b.eval("getComputedStyle(document.querySelector('header.top')).backgroundColor").asText())
                    .isEqualTo("rgb(255, 255, 255)");
            b.send("Emulation.setEmulatedMedia", Map.of("media", ""));
            assertThat(filter(b, "", "", "")).isEqualTo(total);

            // a real picture: a PNG of the page as laid out
            JsonNode shot = b.send("Page.captureScreenshot", Map.of("format", "png"));
            byte[] png = Base64.getDecoder().decode(shot.get("data").asText());
            assertThat(png).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
            assertThat(png.length).as("screenshot size").isGreaterThan(20_000);
            int width = java.nio.ByteBuffer.wrap(png, 16, 8).getInt();
            int height = java.nio.ByteBuffer.wrap(png, 20, 4).getInt();
            assertThat(width).isGreaterThan(500);
            assertThat(height).isGreaterThan(500);
            Files.write(tmp.resolve("report.png"), png);

            // the policy is enforced: markup injected into the page can neither run handlers nor inline scripts
            int before = b.mark();
            b.eval("""
                    (() => { const d = document.createElement('div');
                      d.innerHTML = '<img src="data:," onerror="window.pwned = 1">';
                      document.body.appendChild(d);
                      const s = document.createElement('script'); s.textContent = 'window.pwned = 2';
                      document.body.appendChild(s); return true; })()""");
            Thread.sleep(300);
            assertThat(b.eval("typeof window.pwned").asText()).isEqualTo("undefined");
            b.await(before, "Log.entryAdded", p -> p.at("/entry/text").asText().contains("Content Security Policy"));
        }
    }

    @Test
    void withJavaScriptOffEveryFindingIsVisible() throws Exception {
        try (HeadlessChromium b = HeadlessChromium.start()) {
            int start = b.mark();
            b.send("Runtime.enable");
            b.send("Log.enable");
            b.send("Page.enable");
            b.send("Emulation.setScriptExecutionDisabled", Map.of("value", true));
            b.load(page.toUri().toString());
            assertNoErrors(b, start);
            int total = json.get("findings").size();
            assertThat(b.eval("document.documentElement.classList.contains('js')").asBoolean())
                    .as("the page script did not run").isFalse();
            assertThat(b.eval("[...document.querySelectorAll('table.findings tbody tr')].filter(r => r.getClientRects().length > 0).length")
                    .asInt()).isEqualTo(total);
            assertThat(b.eval("document.getElementById('controls').getClientRects().length").asInt())
                    .as("no filter controls that would do nothing").isZero();
            List<String> severities = new ArrayList<>();
            b.eval("[...document.querySelectorAll('table.findings tbody tr')].map(r => r.dataset.severity)")
                    .forEach(n -> severities.add(n.asText()));
            assertThat(severities).containsExactlyElementsOf(json.get("findings").findValuesAsText("severity"));
            Map<String, Integer> bars = new LinkedHashMap<>();
            b.eval("[...document.querySelectorAll('svg.chart g title')].map(t => t.textContent)")
                    .forEach(t -> bars.put(t.asText().split(": ")[0], Integer.parseInt(t.asText().split(": ")[1])));
            json.at("/summary/bySeverity").fields().forEachRemaining(f -> assertThat(bars).containsEntry(f.getKey(),
                    f.getValue().asInt()));
        }
    }
}
