package dev.dockaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import org.junit.jupiter.api.Test;

/**
 * {@code --format sarif} end to end: the Alpine 3.10 example's real findings (vulnerabilities from the bundled
 * seed, config checks) as a SARIF 2.1.0 log that the official schema and GitHub's upload rules accept.
 */
class SarifCommandTest {
    @Test
    void imageSarifIsValidForGitHubCodeScanning() {
        Cli.Result r = Cli.run("image", Cli.project("examples/alpine-3.10.4-docker-archive.tar.gz").toString(),
                "--format", "sarif", "--db", Cli.project("target/no-such-db-so-the-seed-is-used.db").toString());
        // an explicit --db that does not exist is an error; without --db the seed is used
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errorLine()).startsWith("dockaudit: error:").contains("db update");

        Cli.Result ok = Cli.run("vulns", Cli.project("examples/alpine-3.10.4-docker-archive.tar.gz").toString(),
                "--format", "sarif");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        JsonNode log = ok.json();
        SarifSchemas.assertValid(log);
        assertThat(GitHubSarifRules.violations(log)).isEmpty();
        assertThat(log.at("/runs/0/results")).hasSize(20);
        assertThat(log.at("/runs/0/tool/driver/name").asText()).isEqualTo("dockaudit");
    }
}
