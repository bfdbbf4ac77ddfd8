package dev.dockaudit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Assertions on what dockaudit printed: its JSON report and its one-line errors. */
public final class Reports {
    private Reports() {
    }

    /** Exit 2 with exactly one stderr line {@code dockaudit: error: …} holding every fragment, and no stack trace. */
    public static String assertUserError(Cli.Result r, String... fragments) {
        assertThat(r.exitCode()).as("exit code of\n%s", r).isEqualTo(2);
        List<String> lines = r.err().strip().lines().toList();
        assertThat(lines).as("stderr of\n%s", r).hasSize(1);
        String line = lines.get(0);
        assertThat(line).startsWith("dockaudit: error: ").doesNotContain("Exception").doesNotContain("\tat ");
        for (String f : fragments) {
            assertThat(line).contains(f);
        }
        assertThat(r.out()).as("stdout of a failed run").isEmpty();
        return line;
    }

    /** The JSON report of a run that must have exited with {@code exit}. */
    public static JsonNode json(Cli.Result r, int exit) {
        assertThat(r.exitCode()).as("exit code of\n%s", r).isEqualTo(exit);
        return r.json();
    }

    public static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The ids of the findings of {@code severity} (or all, when null). */
    public static List<String> findingIds(JsonNode report, String severity) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : report.path("findings")) {
            if (severity == null || severity.equals(f.path("severity").asText())) {
                out.add(f.path("id").asText());
            }
        }
        return out;
    }

    public static JsonNode finding(JsonNode report, String id) {
        for (JsonNode f : report.path("findings")) {
            if (id.equals(f.path("id").asText())) {
                return f;
            }
        }
        throw new AssertionError("no finding " + id + " in " + report.path("findings"));
    }
}
