package dev.dockaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.testing.RuntimeContainers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code dockaudit container} on Podman's Docker-compatible API: the risky and hardened containers of
 * {@link RuntimeAuditCases}, plus what Podman does its own way: its list has no HostConfig (every container is
 * inspected), it shows --ipc host and --userns host wrongly and lists its default ulimits as every container's (the
 * create command it keeps tells), it sets a PIDs limit by default, and its default network is "podman". Podman runs
 * no health checks here (no systemd), so the unhealthy case is dockerd's only.
 */
class ContainerPodmanIT extends RuntimeAuditCases {
    @Override
    RuntimeContainers engine() {
        return RuntimeContainers.podman();
    }

    @Override
    void engineSpecific() throws Exception {
        engine.start("capadd28", flags("--cap-add", "CAP_SYS_ADMIN"), base);
        expect("capadd28", "RT-CAP-DANGEROUS");
        // created, not started: starting it would set up Podman's bridge (and its iptables rules) on the host
        engine.create("ports", List.of("-p", "8080:80", "-p", "80:80"), base);
        expect("ports", "RT-PORT-ALL-INTERFACES", "RT-PORT-ALL-INTERFACES", "RT-PRIVILEGED-PORT");
        engine.create("bridge", List.of(), base);
        expect("bridge");
        alsoExpected.put("bridge", List.of("RT-DEFAULT-BRIDGE"));
        // Podman cannot apply --ulimit on this VM (no CAP_SYS_RESOURCE); the setting is what is audited
        engine.create("ulimit", flags("--ulimit", "nofile=1000:1000"), base);
        expect("ulimit", "RT-ULIMIT-OVERRIDE");
        engine.start("nolimit", flags("--pids-limit", "-1"), base);
        expect("nolimit");
        alsoExpected.put("nolimit", List.of("RT-NO-PIDS-LIMIT", "RT-NO-MEMORY-LIMIT", "RT-NO-CPU-LIMIT"));
    }

    @Test
    void podmanSpecifics() throws Exception {
        assertThat(report.at("/daemon/engine").asText()).isEqualTo("Podman");
        assertThat(report.at("/target/source").asText()).isEqualTo("podman");
        // Podman's own default: a PIDs limit, so only the container that lifted it raises the check
        assertThat(ids(container("root"))).doesNotContain("RT-NO-PIDS-LIMIT");
        // what the compat inspect hides, read from the create command
        assertThat(engine.inspect(engine.prefix() + "hostipc").at("/HostConfig/IpcMode").asText()).isNotEqualTo("host");
        assertThat(finding(container("hostipc"), "RT-HOST-IPC").path("evidence").asText())
                .startsWith("Config.CreateCommand: --ipc host");
        assertThat(finding(container("userns"), "RT-HOST-USERNS").path("evidence").asText())
                .startsWith("Config.CreateCommand: --userns host");
        assertThat(finding(container("capadd28"), "RT-CAP-DANGEROUS").path("title").asText())
                .isEqualTo("Dangerous capability added: SYS_ADMIN");
    }
}
