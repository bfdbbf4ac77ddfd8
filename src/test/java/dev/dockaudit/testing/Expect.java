package dev.dockaudit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Assertions on dockaudit's contract: exit codes, the single error line, and findings in the JSON report. */
public final class Expect {
    private Expect() {
    }

    /** Exit 2 and exactly one stderr line {@code dockaudit: error: …} containing every fragment; no stack trace. */
    public static String userError(Cli.Result r, String... fragments) {
        assertThat(r.exitCode()).as("exit code of\n%s", r).isEqualTo(2);
        String err = r.err().strip();
        assertThat(err).as("stderr of\n%s", r).startsWith("dockaudit: error: ").doesNotContain("\n")
                .doesNotContain("Exception").doesNotContain("\tat ");
        for (String f : fragments) {
            assertThat(err).as("stderr of\n%s", r).contains(f);
        }
        assertThat(r.out()).as("stdout of a failed run").isEmpty();
        return err;
    }

    /** Exit {@code code} and a parsed JSON report. */
    public static JsonNode report(Cli.Result r, int code) {
        assertThat(r.exitCode()).as("exit code of\n%s", r).isEqualTo(code);
        return r.json();
    }

    /** The findings with this id. */
    public static List<JsonNode> findings(JsonNode report, String id) {
        List<JsonNode> out = new ArrayList<>();
        report.path("findings").forEach(f -> {
            if (f.path("id").asText().equals(id)) {
                out.add(f);
            }
        });
        return out;
    }

    /** The single finding with this id. */
    public static JsonNode finding(JsonNode report, String id) {
        List<JsonNode> f = findings(report, id);
        assertThat(f).as("findings %s in %s", id, report.path("findings")).hasSize(1);
        return f.get(0);
    }

    public static List<String> ids(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.path("findings").forEach(f -> out.add(f.path("id").asText()));
        return out;
    }

    public static List<String> notes(JsonNode report) {
        return TestImages.strings(report.path("notes"));
    }
}
