package dev.dockaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dockaudit.yaml and DOCKAUDIT_* defaults: precedence (command line > environment > file > built-in), sections per
 * command, the ignore: list, and one-line errors naming the key and line for every kind of mistake.
 */
class ConfigFileTest {
    private static final String ALPINE = Cli.project("examples/alpine-3.10.4-docker-archive.tar.gz").toString();

    @TempDir
    Path dir;

    private Path config(String yaml) throws IOException {
        Path p = dir.resolve("dockaudit.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    private static Cli.Result run(Map<String, String> env, String... args) {
        return TerminalOutputTest.run(Console.pipe(env), args);
    }

    private static List<String> ids(JsonNode report) {
        List<String> ids = new ArrayList<>();
        report.path("findings").forEach(f -> ids.add(f.path("id").asText()));
        return ids;
    }

    /** The one-line error contract: exit 2, nothing on stdout, one stderr line. */
    private static String error(Cli.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(Main.EXIT_ERROR);
        assertThat(r.out()).as(r.toString()).isEmpty();
        assertThat(r.err().lines().toList()).as(r.toString()).hasSize(1);
        assertThat(r.err()).startsWith("dockaudit: error: ").doesNotContain("Exception");
        return r.err().strip();
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() throws IOException {
        Path c = config("fail-on: LOW\n");
        assertThat(run(Map.of(), "image", ALPINE, "--config", c.toString(), "-q").exitCode()).isEqualTo(1);
        assertThat(run(Map.of("DOCKAUDIT_FAIL_ON", "HIGH"), "image", ALPINE, "--config", c.toString(), "-q").exitCode())
                .isZero();
        assertThat(run(Map.of("DOCKAUDIT_FAIL_ON", "HIGH"), "image", ALPINE, "--config", c.toString(), "-q",
                "--fail-on", "MEDIUM").exitCode()).isEqualTo(1);
        assertThat(run(Map.of(), "image", ALPINE, "-q").exitCode()).isZero(); // no config: no --fail-on
        // the config can also be named by DOCKAUDIT_CONFIG
        assertThat(run(Map.of("DOCKAUDIT_CONFIG", c.toString()), "image", ALPINE, "-q").exitCode()).isEqualTo(1);
    }

    @Test
    void listsAndBooleansFromFileAndEnvironment() throws IOException {
        Path c = config("severity: [MEDIUM, INFO]\nformat: json\n");
        JsonNode r = run(Map.of(), "image", ALPINE, "--config", c.toString()).json();
        assertThat(ids(r)).containsExactlyInAnyOrder("CFG-ROOT-USER", "CFG-CONTENT-TRUST-DISABLED");
        JsonNode env = run(Map.of("DOCKAUDIT_SEVERITY", "LOW,MEDIUM", "DOCKAUDIT_FORMAT", "json"), "inspect", ALPINE).json();
        assertThat(ids(env)).containsExactlyInAnyOrder("CFG-ROOT-USER", "CFG-NO-HEALTHCHECK");
        Cli.Result quiet = run(Map.of("DOCKAUDIT_QUIET", "true"), "digests", ALPINE);
        assertThat(quiet.out().lines().toList()).hasSize(1);
    }

    @Test
    void aFlagTrueInTheFileStaysTrueWhenAlsoGivenAndTheEnvironmentCanTurnItOff() throws IOException {
        Path c = config("quiet: true\n");
        // picocli flips a flag whose default is true; dockaudit applies file and env flags after parsing instead
        assertThat(run(Map.of(), "digests", ALPINE, "--config", c.toString()).out().lines().toList()).hasSize(1);
        assertThat(run(Map.of(), "digests", ALPINE, "--config", c.toString(), "--quiet").out().lines().toList()).hasSize(1);
        assertThat(run(Map.of("DOCKAUDIT_QUIET", "false"), "digests", ALPINE, "--config", c.toString()).out().lines().count())
                .isGreaterThan(5);
        assertThat(run(Map.of(), "digests", ALPINE, "--config", config("quiet: false\n").toString(), "-q")
                .out().lines().toList()).hasSize(1);
        // a db section's flag reaches the db subcommands
        Path db = dir.resolve("v.db");
        Cli.Result imp = run(Map.of(), "db", "import", Cli.project("src/test/resources/osv/alpine-secdb-converted.zip").toString(),
                "--db", db.toString(), "--config", config("db:\n  quiet: true\n  db: " + db + "\n").toString());
        assertThat(imp.exitCode()).as(imp.toString()).isZero();
        assertThat(imp.err()).isEmpty();
        assertThat(run(Map.of(), "db", "path", "--config", dir.resolve("dockaudit.yaml").toString()).out().strip())
                .isEqualTo(db.toString());
        // sections are per command: version is not in db:
        assertThat(run(Map.of(), "version", "--config", dir.resolve("dockaudit.yaml").toString()).out())
                .doesNotContain(db.toString());
    }

    @Test
    void commandSectionsOverrideTheTopLevelAndFormatsOnlyApplyWhereTheyExist() throws IOException {
        Path c = config("format: table\nimage:\n  format: json\n");
        assertThat(run(Map.of(), "image", ALPINE, "--config", c.toString()).out()).startsWith("{");
        assertThat(run(Map.of(), "digests", ALPINE, "--config", c.toString()).out()).startsWith("alpine:3.10 (docker-archive)");
        // format: json at the top level does not break sbom (cyclonedx or spdx only): it writes its default
        Path json = config("format: json\n");
        Cli.Result sbom = run(Map.of(), "sbom", ALPINE, "--config", json.toString());
        assertThat(sbom.exitCode()).as(sbom.toString()).isZero();
        assertThat(sbom.json().path("bomFormat").asText()).isEqualTo("CycloneDX");
        // on the command line the same mismatch is still an error
        assertThat(error(run(Map.of(), "sbom", ALPINE, "--format", "json"))).contains("--format json is not available for sbom");
    }

    @Test
    void ignoreRulesInTheConfigAreAppliedAfterTheIgnoreFile() throws IOException {
        Path c = config("format: json\nignore:\n  - id: CFG-ROOT-USER\n    reason: the entrypoint drops privileges\n"
                + "  - id: CVE-1999-0001\n");
        JsonNode r = run(Map.of(), "image", ALPINE, "--config", c.toString()).json();
        assertThat(ids(r)).doesNotContain("CFG-ROOT-USER").contains("CFG-NO-HEALTHCHECK");
        List<String> notes = new ArrayList<>();
        r.path("notes").forEach(n -> notes.add(n.asText()));
        assertThat(notes).anySatisfy(n -> assertThat(n).startsWith("suppressed 1 finding: " + c + ":3"))
                .anySatisfy(n -> assertThat(n).startsWith(c + ":5: the entry for CVE-1999-0001 matched no finding"));
        Path ignoreFile = dir.resolve("ignore.yaml");
        Files.writeString(ignoreFile, "- id: CFG-NO-HEALTHCHECK\n");
        JsonNode both = run(Map.of(), "image", ALPINE, "--config", c.toString(), "--ignore-file", ignoreFile.toString()).json();
        assertThat(ids(both)).doesNotContain("CFG-ROOT-USER", "CFG-NO-HEALTHCHECK");
        Cli.Result table = run(Map.of(), "image", ALPINE, "--config", config("ignore:\n  - id: CFG-ROOT-USER\n").toString(), "-q");
        assertThat(table.out()).contains("(14 packages, 1 ignored)");
    }

    @Test
    void mistakesNameTheKeyAndLine() throws IOException {
        assertThat(error(run(Map.of(), "image", ALPINE, "--config", config("# defaults\nformat: table\nfial-on: HIGH\n").toString())))
                .isEqualTo("dockaudit: error: " + dir.resolve("dockaudit.yaml") + " line 3: unknown key 'fial-on' (did you mean fail-on?)");
        assertThat(error(run(Map.of(), "image", ALPINE, "--config",
                config("format: table\n\n\n\nfail-on: SEVERE\n").toString())))
                .endsWith("line 5: fail-on: 'SEVERE' is not a severity; use CRITICAL, HIGH, MEDIUM, LOW, INFO or UNKNOWN");
        assertThat(error(run(Map.of(), "image", ALPINE, "--config", config("fail-on: [HIGH, LOW]\n").toString())))
                .endsWith("line 1: fail-on: expects one value, not a list");
        assertThat(error(run(Map.of(), "image", ALPINE, "--config", config("quiet: maybe\n").toString())))
                .endsWith("line 1: quiet: 'maybe' is not true or false");
        assertThat(error(run(Map.of(), "image", ALPINE, "--config", config("color: sometimes\n").toString())))
                .endsWith("line 1: color: 'sometimes' is not a colour mode; use auto, always or never");
        assertThat(error(run(Map.of(), "image", ALPINE, "--config", config("format: xml\n").toString())))
                .contains("line 1: format: unknown format 'xml'").contains("table, json");
        assertThat(error(run(Map.of(), "image", ALPINE, "--config", config("imgae:\n  format: json\n").toString())))
                .contains("line 1: 'imgae' is not a command");
        assertThat(error(run(Map.of(), "image", ALPINE, "--config", config("vulns:\n  remote: true\n").toString())))
                .endsWith("line 2: unknown key 'remote'");
        assertThat(error(run(Map.of(), "image", ALPINE, "--config", config("fail-on: HIGH\nseverity: [HIGH\n").toString())))
                .containsPattern("line \\d: not valid YAML");
        assertThat(error(run(Map.of(), "image", ALPINE, "--config", config("ignore:\n  - reason: no id\n").toString())))
                .contains(":2:").contains("no id and no path");
        // a key another command has is fine at the top level (wasted-files is history's)
        assertThat(run(Map.of(), "image", ALPINE, "-q", "--config", config("wasted-files: 5\n").toString()).exitCode()).isZero();
        assertThat(error(run(Map.of(), "image", ALPINE, "--config", config("wasted-files: many\n").toString())))
                .endsWith("line 1: wasted-files: 'many' is not a number");
    }

    @Test
    void badEnvironmentValuesNameTheVariable() {
        assertThat(error(run(Map.of("DOCKAUDIT_FAIL_ON", "SEVERE"), "image", ALPINE)))
                .startsWith("dockaudit: error: DOCKAUDIT_FAIL_ON: 'SEVERE' is not a severity");
        assertThat(error(run(Map.of("DOCKAUDIT_OFFLINE", "yes please"), "digests", ALPINE)))
                .contains("DOCKAUDIT_OFFLINE: 'yes please' is not true or false");
        // variables that are not options, and options of other commands, are left alone
        assertThat(run(Map.of("DOCKAUDIT_DEBUG", "1", "DOCKAUDIT_WASTED_FILES", "x"), "digests", ALPINE, "-q").exitCode()).isZero();
    }

    @Test
    void aMissingOrUnreadableConfigIsAnError() throws IOException {
        assertThat(error(run(Map.of(), "image", ALPINE, "--config", dir.resolve("none.yaml").toString())))
                .contains("config file " + dir.resolve("none.yaml") + " does not exist");
        assertThat(error(run(Map.of(), "--config", dir.toString(), "image", ALPINE))).contains("is a directory");
        assertThat(error(run(Map.of("DOCKAUDIT_CONFIG", dir.resolve("gone.yaml").toString()), "digests", ALPINE)))
                .contains("gone.yaml does not exist");
    }

    @Test
    void theWorkingDirectorysFileIsFoundAndNothingIsLoadedWithoutOne() throws IOException {
        assertThat(ConfigDefaults.load(null, Map.of("PATH", "/bin"), dir, null, Map::of)).isNull();
        config("fail-on: HIGH\n");
        ConfigDefaults d = ConfigDefaults.load(null, Map.of(), dir, null, Map::of);
        assertThat(d).isNotNull();
        picocli.CommandLine cl = Main.fullCommandLine();
        picocli.CommandLine.Model.OptionSpec failOn = cl.getSubcommands().get("image").getCommandSpec().findOption("--fail-on");
        assertThat(d.defaultValue(failOn)).isEqualTo("HIGH");
        assertThat(ConfigDefaults.load(null, Map.of("DOCKAUDIT_FAIL_ON", "LOW"), dir, null, Map::of).defaultValue(failOn))
                .isEqualTo("LOW");
    }

    @Test
    void helpDocumentsThePrecedence() {
        assertThat(run(Map.of(), "--help").out()).contains("Precedence: command line > environment > config")
                .contains("DOCKAUDIT_FAIL_ON=HIGH").contains("dockaudit.yaml");
        assertThat(run(Map.of(), "image", "--help").out()).contains("--config=FILE")
                .contains("Defaults: command line > DOCKAUDIT_<OPTION> > dockaudit.yaml > built-in");
    }
}
