package dev.dockaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.Processes;
import dev.dockaudit.testing.RuntimeContainers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code dockaudit container} on the real dockerd: the risky containers and the hardened one of
 * {@link RuntimeAuditCases}, plus what only dockerd shows: the capability spelled by the docker 28 CLI
 * ("CAP_SYS_ADMIN", made with that CLI when the machine has it, else through the API exactly as it sends it), ports
 * published on every interface, and a health check that fails. {@code --privileged} needs the runc wrapper
 * scripts/test-env installs on hosts whose bounding set lacks capabilities.
 */
class ContainerDockerIT extends RuntimeAuditCases {
    static final String CLI28 = "/usr/local/bin/docker";

    @Override
    RuntimeContainers engine() {
        return RuntimeContainers.docker();
    }

    @Override
    void engineSpecific() throws Exception {
        String name = engine.prefix() + "capadd28";
        if (Files.isExecutable(Path.of(CLI28)) && engine.tryRunWith(CLI28, "version", "--format", "{{.Client.Version}}")
                .out().strip().matches("(2[3-9]|[3-9]\\d)\\..*")) {
            engine.remember(name);
            Cli.Result r = engine.tryRunWith(CLI28, "run", "-d", "--name", name, "--network", "none", "--cap-add", "SYS_ADMIN",
                    base, "sleep", "3600");
            assertThat(r.exitCode()).as(r.toString()).isZero();
        } else {
            // what the 28 CLI sends: POST /containers/create with "CapAdd": ["CAP_SYS_ADMIN"]
            engine.remember(name);
            String body = "{\"Image\":\"" + base + "\",\"Cmd\":[\"sleep\",\"3600\"],\"HostConfig\":{\"NetworkMode\":\"none\","
                    + "\"CapAdd\":[\"CAP_SYS_ADMIN\"]}}";
            Processes.check(List.of("curl", "-sf", "--unix-socket", engine.socket(), "-H", "Content-Type: application/json",
                    "-d", body, "http://d/v1.41/containers/create?name=" + name), Map.of());
            Processes.check(List.of("curl", "-sf", "--unix-socket", engine.socket(), "-X", "POST",
                    "http://d/v1.41/containers/" + name + "/start"), Map.of());
        }
        expect("capadd28", "RT-CAP-DANGEROUS");
        engine.start("ports", List.of("-p", "8080:80", "-p", "0.0.0.0:443:443"), base);
        expect("ports", "RT-PORT-ALL-INTERFACES", "RT-PORT-ALL-INTERFACES", "RT-PRIVILEGED-PORT");
        engine.start("ulimit", flags("--ulimit", "nofile=1000:1000"), base);
        expect("ulimit", "RT-ULIMIT-OVERRIDE");
        engine.start("unhealthy", flags("--health-cmd", "false", "--health-interval", "1s", "--health-retries", "1"), base);
        engine.awaitHealth(engine.prefix() + "unhealthy", "unhealthy", 30);
        expect("unhealthy", "RT-UNHEALTHY");
        engine.awaitHealth(engine.prefix() + "hardened", "healthy", 30);
    }

    @Test
    void bothSpellingsOfACapabilityRaiseTheSameFinding() throws Exception {
        assertThat(engine.inspect(engine.prefix() + "capadd").at("/HostConfig/CapAdd/0").asText()).isEqualTo("SYS_ADMIN");
        assertThat(engine.inspect(engine.prefix() + "capadd28").at("/HostConfig/CapAdd/0").asText()).isEqualTo("CAP_SYS_ADMIN");
        JsonNode a = finding(container("capadd"), "RT-CAP-DANGEROUS");
        JsonNode b = finding(container("capadd28"), "RT-CAP-DANGEROUS");
        assertThat(a.path("title").asText()).isEqualTo(b.path("title").asText()).isEqualTo("Dangerous capability added: SYS_ADMIN");
        assertThat(b.path("evidence").asText()).isEqualTo("HostConfig.CapAdd=[\"CAP_SYS_ADMIN\"]");
    }

    @Test
    void privilegedReallyRuns() throws Exception {
        // the container runs (not only exists): with the runc wrapper where the host lacks CAP_SYS_RESOURCE
        assertThat(container("priv").path("state").asText()).isEqualTo("running");
        assertThat(container("execs").path("state").asText()).isEqualTo("running");
    }

    @Test
    void daemonFacts() {
        assertThat(report.at("/daemon/engine").asText()).isEqualTo("Docker");
        assertThat(report.at("/daemon/swarm").asText()).isEqualTo("inactive");
        assertThat(report.at("/daemon/securityOptions").toString()).contains("name=seccomp");
        assertThat(report.at("/daemon/findings")).extracting(f -> f.path("id").asText()).contains("RT-DAEMON-NO-USERNS")
                .doesNotContain("RT-SWARM-ACTIVE");
        // test-env's dockerd runs with --bridge=none: no docker0, so no container is on the default bridge
        report.path("containers").forEach(c -> assertThat(ids(c)).doesNotContain("RT-DEFAULT-BRIDGE"));
    }
}
