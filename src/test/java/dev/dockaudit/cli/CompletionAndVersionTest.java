package dev.dockaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.Processes;
import dev.dockaudit.vuln.db.OsvFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dockaudit completion bash|zsh} (checked in a real bash) and {@code dockaudit version}. */
class CompletionAndVersionTest {
    @TempDir
    Path dir;

    private static final List<String> COMMANDS = List.of("image", "digests", "trust", "vulns", "inspect", "packages", "sbom",
            "history", "container", "db", "version", "completion");

    @Test
    void bashScriptCompletesEveryCommandEvenThoughARunRegistersOnlyOne() {
        Cli.Result r = Cli.run("completion", "bash");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String script = r.out();
        assertThat(script).containsPattern("complete .*-F _complete_dockaudit").contains("function _complete_dockaudit");
        for (String c : COMMANDS) {
            assertThat(script).as(c).containsPattern("local cmds\\d+=\\(" + c + "\\)");
        }
        assertThat(script).contains("--fail-on").contains("--config").contains("--color").contains("--require-signature")
                .contains("--max-wasted-bytes");
        // db's subcommands are there too
        assertThat(script).containsPattern("\\(db update\\)").containsPattern("\\(db status\\)");
    }

    @Test
    void sourcingTheScriptInBashRegistersTheCompletion() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")), "bash is installed");
        Path script = dir.resolve("dockaudit.bash");
        Files.writeString(script, Cli.run("completion", "bash").out());
        Cli.Result r = Processes.run(List.of("bash", "--norc", "--noprofile", "-c",
                "source '" + script + "' && complete -p dockaudit && COMP_WORDS=(dockaudit vu) COMP_CWORD=1"
                        + " COMP_LINE='dockaudit vu' COMP_POINT=12 && _complete_dockaudit && echo \"reply: ${COMPREPLY[*]}\""),
                Map.of(), 30, TimeUnit.SECONDS);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("complete .*-F _complete_dockaudit dockaudit").contains("reply: vulns");
    }

    @Test
    void zshGetsTheSameScriptWithACompdefLine() {
        Cli.Result r = Cli.run("completion", "zsh");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("#compdef dockaudit").contains("bashcompinit").contains("_complete_dockaudit");
        assertThat(BadInputTest.badInput("completion", "fish")).contains("fish").contains("bash, zsh");
    }

    @Test
    void versionWithoutADatabaseSaysHowToGetOne() {
        Path none = dir.resolve("none.db");
        Cli.Result r = Cli.run("version", "--db", none.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("dockaudit ").contains("vulnerability database  none at " + none)
                .contains("no database: run dockaudit db update");
        JsonNode json = Cli.run("version", "--db", none.toString(), "--format", "json").json();
        assertThat(json.path("name").asText()).isEqualTo("dockaudit");
        assertThat(json.path("database").path("exists").asBoolean()).isFalse();
        assertThat(json.path("database").path("ageDays").isNull()).isTrue();
        assertThat(BadInputTest.badInput("version", "--format", "xml")).contains("--format xml is not available for version");
    }

    @Test
    void versionShowsTheDatabasesDatesAgeAndRecords() throws IOException {
        Path db = dir.resolve("v.db");
        Path in = OsvFixtures.folder(dir.resolve("osv"), OsvFixtures.allRecords());
        assertThat(Cli.run("db", "import", "-q", in.toString(), "--db", db.toString()).exitCode()).isZero();
        Cli.Result r = Cli.run("version", "--db", db.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String dataDate = OsvFixtures.newestModified(OsvFixtures.allRecords()).substring(0, 10);
        assertThat(r.out()).contains("vulnerability database  " + db).contains("  built      20")
                .contains("  updated    20").containsPattern("  data date  " + dataDate + " \\(\\d+ days old\\)")
                .contains("  records    1,891");
        JsonNode json = Cli.run("version", "--db", db.toString(), "--format", "json").json();
        assertThat(json.path("database").path("records").asInt()).isEqualTo(1891);
        assertThat(json.path("database").path("ageDays").asLong()).isPositive();
        assertThat(json.path("database").path("dataDate").asText()).isEqualTo(dataDate);
        assertThat(json.path("seed").isNull()).isTrue();
        // --version is unchanged: the tool and one line on the data
        assertThat(Cli.run("--version").out()).startsWith("dockaudit ").contains("vulnerability database: ");
    }
}
