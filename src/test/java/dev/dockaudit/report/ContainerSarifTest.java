package dev.dockaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.RecordedEngine;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dockaudit container --format sarif} over the containers recorded from real dockerd: a log the official
 * SARIF schema and GitHub's upload rules accept, one result per finding, each pointing at its container (or the
 * daemon), with fingerprints that tell containers apart.
 */
class ContainerSarifTest {
    @TempDir
    Path tmp;

    @Test
    void containerSarifIsValidForGitHubCodeScanning() throws Exception {
        try (RecordedEngine e = RecordedEngine.start(tmp.resolve("d.sock"), "Docker", RecordedEngine.recorded("Docker"))) {
            Cli.Result json = Cli.run("container", "--docker-host", e.dockerHost(), "--all", "--scanners", "runtime",
                    "--format", "json");
            Cli.Result sarif = Cli.run("container", "--docker-host", e.dockerHost(), "--all", "--scanners", "runtime",
                    "--format", "sarif");
            assertThat(sarif.exitCode()).as(sarif.toString()).isZero();
            JsonNode log = sarif.json();
            SarifSchemas.assertValid(log);
            assertThat(GitHubSarifRules.violations(log)).isEmpty();

            int findings = json.json().at("/daemon/findings").size();
            for (JsonNode c : json.json().path("containers")) {
                findings += c.path("findings").size();
            }
            JsonNode results = log.at("/runs/0/results");
            assertThat(results).hasSize(findings);
            Set<String> uris = new HashSet<>();
            Set<String> fingerprints = new HashSet<>();
            for (JsonNode r : results) {
                String uri = r.at("/locations/0/physicalLocation/artifactLocation/uri").asText();
                uris.add(uri);
                fingerprints.add(r.at("/partialFingerprints/" + SarifWriter.DOCKAUDIT_FINGERPRINT.replace("/", "~1")).asText());
            }
            assertThat(uris).contains("daemon/docker", "container/da-rt-priv", "container/da-rt-sock");
            assertThat(fingerprints).hasSize(results.size()); // same check, two containers: two alerts
            JsonNode priv = null;
            for (JsonNode r : results) {
                if (r.path("ruleId").asText().equals("RT-PRIVILEGED")) {
                    priv = r;
                }
            }
            assertThat(priv).isNotNull();
            assertThat(priv.path("level").asText()).isEqualTo("error");
            assertThat(priv.at("/properties/cis").asText()).isEqualTo("5.5");
            assertThat(priv.at("/message/text").asText()).isEqualTo("Privileged container. Evidence: HostConfig.Privileged=true");
            assertThat(log.at("/runs/0/automationDetails/id").asText()).isEqualTo("dockaudit/containers/daemon/docker/");
            assertThat(log.at("/runs/0/properties/containers")).hasSize(json.json().path("containers").size());
            assertThat(log.toString()).doesNotContain(RecordedEngine.AWS_SECRET).doesNotContain(RecordedEngine.GITHUB_TOKEN);
        }
    }
}
