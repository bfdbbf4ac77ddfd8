package dev.dockaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.report.TextStyle;
import dev.dockaudit.testing.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The table on a terminal and on a pipe: width, colour (NO_COLOR, --color, TERM=dumb), grouping, the summary line and
 * --quiet. The terminal is injected through {@link Console}, so these run the real commands in-process.
 */
class TerminalOutputTest {
    private static final String ALPINE = Cli.project("examples/alpine-3.10.4-docker-archive.tar.gz").toString();
    private static final String SUMMARY = "dockaudit: alpine:3.10 — 23 findings: 1 MEDIUM, 1 LOW, 1 INFO, 20 UNKNOWN (14 packages)";

    static Cli.Result run(Console console, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), console);
        return new Cli.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String plain(String s) {
        return s.replaceAll("\033\\[[0-9;]*m", "");
    }

    // ---- the decision, as a function of the environment ----

    @Test
    void colourIsForTerminalsUnlessNoColorOrTheFlagSaysOtherwise() {
        assertThat(Console.pipe(Map.of()).style(ColorMode.AUTO, true)).isEqualTo(new TextStyle(120, false));
        assertThat(Console.terminal(Map.of(), 100).style(ColorMode.AUTO, true)).isEqualTo(new TextStyle(100, true));
        assertThat(Console.terminal(Map.of("NO_COLOR", "1"), 100).style(ColorMode.AUTO, true).colour()).isFalse();
        // no-color.org: only a non-empty value counts
        assertThat(Console.terminal(Map.of("NO_COLOR", ""), 100).style(ColorMode.AUTO, true).colour()).isTrue();
        assertThat(Console.terminal(Map.of("TERM", "dumb"), 100).style(ColorMode.AUTO, true).colour()).isFalse();
        // an explicit flag beats NO_COLOR and the terminal test
        assertThat(Console.terminal(Map.of("NO_COLOR", "1"), 100).style(ColorMode.ALWAYS, true).colour()).isTrue();
        assertThat(Console.pipe(Map.of()).style(ColorMode.ALWAYS, true).colour()).isTrue();
        assertThat(Console.terminal(Map.of(), 100).style(ColorMode.NEVER, true).colour()).isFalse();
        // -o FILE is not the terminal
        assertThat(Console.terminal(Map.of(), 100).style(ColorMode.AUTO, false)).isEqualTo(new TextStyle(120, false));
    }

    @Test
    void widthComesFromColumnsThenTheTerminalThen120() {
        assertThat(Console.terminal(Map.of("COLUMNS", "72"), 100).style(null, true).width()).isEqualTo(72);
        assertThat(Console.pipe(Map.of("COLUMNS", "90")).style(null, true).width()).isEqualTo(90);
        assertThat(Console.terminal(Map.of("COLUMNS", "junk"), 100).style(null, true).width()).isEqualTo(100);
        assertThat(Console.terminal(Map.of(), 0).style(null, true).width()).isEqualTo(120); // stty failed
        assertThat(Console.pipe(Map.of()).style(null, true).width()).isEqualTo(120);
        assertThat(Console.terminal(Map.of("COLUMNS", "10"), 10).style(null, true).width()).isEqualTo(TextStyle.MIN_WIDTH);
    }

    // ---- the table ----

    @Test
    void onATerminalTheTableFitsItsWidthAndSeveritiesAreColoured() {
        for (int width : new int[] {60, 80, 100}) {
            Cli.Result r = run(Console.terminal(Map.of(), width), "image", ALPINE);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("\033[").contains("\033[2mUNKNOWN\033[0m").contains("\033[33mMEDIUM\033[0m");
            List<String> lines = plain(r.out()).lines().toList();
            // the summary is the exception by design: one line whatever the width, for grep and CI logs
            assertThat(lines.get(lines.size() - 1)).startsWith("dockaudit: alpine:3.10 — ");
            // so are full digests, listed after the layer table when it had to cut them
            assertThat(lines).contains("Layer digests");
            for (String line : lines.subList(0, lines.size() - 1)) {
                if (line.matches(".*sha256:[0-9a-f]{64}.*")) { // never cut, so the one line that may be longer
                    continue;
                }
                assertThat(line.length()).as("line of a %d-column table: %s", width, line).isLessThanOrEqualTo(width);
            }
            // layer digests are cut, not wrapped: one row per layer
            assertThat(plain(r.out()).lines().filter(l -> l.startsWith("0  sha256:"))).hasSize(1)
                    .allSatisfy(l -> assertThat(l).contains("…"));
        }
    }

    @Test
    void onAPipeThereIsNoColourAnd120Columns() {
        Cli.Result r = run(Console.pipe(Map.of()), "image", ALPINE);
        assertThat(r.out()).doesNotContain("\033");
        assertThat(r.out().lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(120));
        Cli.Result always = run(Console.pipe(Map.of("NO_COLOR", "1")), "image", ALPINE, "--color", "always");
        assertThat(always.out()).contains("\033[1malpine:3.10 (docker-archive)\033[0m").contains("\033[33mMEDIUM");
        Cli.Result never = run(Console.terminal(Map.of(), 80), "image", ALPINE, "--color", "never");
        assertThat(never.out()).doesNotContain("\033");
    }

    @Test
    void findingsAreGroupedByCategoryThenSeverity() {
        List<String> lines = run(Console.pipe(Map.of()), "image", ALPINE).out().lines().toList();
        int vulns = lines.indexOf("Vulnerabilities (20)");
        int config = lines.indexOf("Configuration (3: 1 MEDIUM, 1 LOW, 1 INFO)");
        assertThat(vulns).isPositive();
        assertThat(config).isGreaterThan(vulns); // Category order: vulnerability before config
        List<String> severities = new ArrayList<>();
        for (String l : lines.subList(config + 1, lines.size())) {
            if (l.matches("  [A-Z]+ +[A-Z].*")) {
                severities.add(l.strip().split(" +")[0]);
            }
        }
        assertThat(severities).startsWith("MEDIUM", "LOW", "INFO");
    }

    @Test
    void theTableEndsWithTheSummaryLine() {
        Cli.Result r = run(Console.pipe(Map.of()), "image", ALPINE, "--fail-on", "LOW");
        assertThat(r.exitCode()).isEqualTo(1);
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(lines.size() - 1)).isEqualTo(SUMMARY + " — exit 1 (--fail-on LOW: 22 at or above)");
        Cli.Result ok = run(Console.pipe(Map.of()), "image", ALPINE);
        assertThat(ok.out().lines().reduce((a, b) -> b).orElseThrow()).isEqualTo(SUMMARY + " — exit 0");
        Cli.Result high = run(Console.pipe(Map.of()), "vulns", ALPINE, "--fail-on", "HIGH");
        assertThat(high.exitCode()).isZero();
        assertThat(high.out().lines().reduce((a, b) -> b).orElseThrow())
                .isEqualTo("dockaudit: alpine:3.10 — 20 findings: 20 UNKNOWN (14 packages) — exit 0 (none at or above --fail-on HIGH)");
    }

    @Test
    void quietPrintsOnlyTheSummaryForTablesAndTheWholeDocumentOtherwise() {
        Cli.Result q = run(Console.terminal(Map.of(), 80), "image", ALPINE, "--quiet", "--fail-on", "MEDIUM", "--color", "never");
        assertThat(q.exitCode()).isEqualTo(1);
        assertThat(q.err()).isEmpty();
        assertThat(q.out()).isEqualTo(SUMMARY + " — exit 1 (--fail-on MEDIUM: 1 at or above)\n");
        for (String command : List.of("digests", "inspect", "history", "packages", "vulns")) {
            Cli.Result c = run(Console.pipe(Map.of()), command, ALPINE, "-q");
            assertThat(c.out().lines().toList()).as(command).hasSize(1)
                    .allSatisfy(l -> assertThat(l).startsWith("dockaudit: alpine:3.10 — "));
        }
        Cli.Result json = run(Console.pipe(Map.of()), "image", ALPINE, "--quiet", "--format", "json");
        assertThat(json.json().path("findings").size()).isEqualTo(23);
        assertThat(json.err()).isEmpty();
    }

    @Test
    void imageTextStaysFreeOfControlCharactersInColour() {
        Cli.Result r = run(Console.terminal(Map.of(), 100), "image", ALPINE);
        // the only escapes are our SGR sequences
        assertThat(r.out().replaceAll("\033\\[[0-9;]*m", "")).doesNotContain("\033").doesNotContain("\r");
    }

    // ---- the layout helpers ----

    @Test
    void tablesShrinkTheWidestColumnAndWrappedTextStaysWithinTheWidth() {
        TextStyle s = new TextStyle(40, false);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        s.table(out, List.of(new String[] {"A", "B"}, new String[] {"x".repeat(50), "short"}), 2);
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(40));
        assertThat(lines.get(1)).endsWith("…  short");
        List<String> wrapped = s.wrap("fix: ", 5, "word ".repeat(30) + "x".repeat(100) + " end");
        assertThat(wrapped.subList(0, wrapped.size() - 2)).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(40));
        assertThat(wrapped.get(0)).startsWith("fix: word word");
        // an unbreakable word (a digest) stays whole on a line of its own
        assertThat(wrapped.get(wrapped.size() - 2)).isEqualTo("     " + "x".repeat(100));
        assertThat(wrapped.get(wrapped.size() - 1)).isEqualTo("     end");
        assertThat(s.wrap("Image ID      ", 14, "sha256:" + "a".repeat(64) + "  verified"))
                .containsExactly("Image ID      sha256:" + "a".repeat(64), "              verified");
        assertThat(TextStyle.truncate("abcdef", 4)).isEqualTo("abc…");
        assertThat(TextStyle.truncate("abc", 4)).isEqualTo("abc");
    }
}
