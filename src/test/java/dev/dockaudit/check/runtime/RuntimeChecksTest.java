package dev.dockaudit.check.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.check.secret.SecretScanner;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every runtime check against the inspect data of real containers (recorded from dockerd 20.10 and Podman 4.3, one
 * risky setting each, see runtime/PROVENANCE.md): each raises exactly its own checks beyond what every default
 * container has, and the hardened container raises none at all.
 */
class RuntimeChecksTest {
    private static final RuntimeChecks CHECKS = RuntimeChecks.all(SecretScanner.builtIn());

    /** What a container started with defaults raises on dockerd (root, writable, no limits, default capabilities). */
    static final Set<String> DOCKER_DEFAULTS = Set.of("RT-NO-MEMORY-LIMIT", "RT-NO-NEW-PRIVILEGES", "RT-NO-PIDS-LIMIT",
            "RT-ROOT-USER", "RT-CAP-NOT-DROPPED", "RT-NO-CPU-LIMIT", "RT-NO-HEALTHCHECK", "RT-ROOTFS-WRITABLE");
    /** Podman's defaults: the same, but Podman sets a PIDs limit (2048) and puts containers on its "podman" bridge. */
    static final Set<String> PODMAN_DEFAULTS = Set.of("RT-NO-MEMORY-LIMIT", "RT-NO-NEW-PRIVILEGES", "RT-ROOT-USER",
            "RT-CAP-NOT-DROPPED", "RT-NO-CPU-LIMIT", "RT-NO-HEALTHCHECK", "RT-ROOTFS-WRITABLE", "RT-DEFAULT-BRIDGE");

    static Results run(String engine, String name) {
        return CHECKS.run(RuntimeFixtures.container(engine, name), RuntimeFixtures.daemon(engine));
    }

    static List<String> ids(Results r) {
        List<String> out = new ArrayList<>();
        r.findings().forEach(f -> out.add(f.id()));
        return out;
    }

    /** The ids beyond the engine's defaults, sorted, with repeats. */
    static List<String> beyondDefaults(String engine, Results r) {
        Set<String> defaults = engine.equals("Podman") ? PODMAN_DEFAULTS : DOCKER_DEFAULTS;
        List<String> out = new ArrayList<>();
        for (String id : ids(r)) {
            if (!defaults.contains(id)) {
                out.add(id);
            }
        }
        out.sort(null);
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "Docker|priv|RT-EXEC-PRIVILEGED RT-EXEC-ROOT RT-PRIVILEGED",
        "Docker|capcli20|RT-CAP-DANGEROUS",
        "Docker|capcli28|RT-CAP-DANGEROUS",
        "Docker|sock|RT-DOCKER-SOCKET",
        "Docker|root|RT-SENSITIVE-MOUNT",
        "Docker|hostnet|RT-HOST-NETWORK",
        "Docker|hostpid|RT-HOST-PID",
        "Docker|hostipc|RT-HOST-IPC",
        "Docker|hostuts|RT-HOST-UTS",
        "Docker|userns|RT-HOST-USERNS",
        "Docker|seccomp|RT-SECCOMP-UNCONFINED",
        "Docker|apparmor|RT-APPARMOR-UNCONFINED",
        "Docker|device|RT-HOST-DEVICE",
        "Docker|user0|",
        "Docker|secret|RT-ENV-SECRET RT-ENV-SECRET",
        "Docker|ports|RT-PORT-ALL-INTERFACES RT-PORT-ALL-INTERFACES RT-PRIVILEGED-PORT",
        "Docker|ports2|RT-PORT-ALL-INTERFACES",
        "Docker|shared|RT-SHARED-PROPAGATION",
        "Docker|restart|RT-RESTART-POLICY",
        "Docker|ulimit|RT-ULIMIT-OVERRIDE",
        "Docker|cgroup|RT-CGROUP-PARENT",
        "Docker|sshd|RT-SSHD",
        "Podman|priv|RT-PRIVILEGED",
        "Podman|cap|RT-CAP-DANGEROUS",
        "Podman|capp|RT-CAP-DANGEROUS",
        "Podman|sock|RT-DOCKER-SOCKET",
        "Podman|root|RT-SENSITIVE-MOUNT",
        "Podman|hostpid|RT-HOST-PID",
        "Podman|hostipc|RT-HOST-IPC",
        "Podman|hostuts|RT-HOST-UTS",
        "Podman|userns|RT-HOST-USERNS",
        "Podman|seccomp|RT-SECCOMP-UNCONFINED",
        "Podman|apparmor|RT-APPARMOR-UNCONFINED",
        "Podman|device|RT-HOST-DEVICE",
        "Podman|user0|RT-EXEC-PRIVILEGED RT-EXEC-ROOT",
        "Podman|secret|RT-ENV-SECRET",
        "Podman|nolimit|RT-NO-PIDS-LIMIT",
        "Podman|ulimit|RT-ULIMIT-OVERRIDE",
        "Podman|restart|RT-RESTART-POLICY",
        "Podman|cgroup|RT-CGROUP-PARENT",
        "Podman|sshd|RT-SSHD",
        "Podman|ports|RT-PORT-ALL-INTERFACES RT-PORT-ALL-INTERFACES RT-PRIVILEGED-PORT",
        "Podman|shared|RT-SHARED-PROPAGATION",
    })
    void eachRiskySettingRaisesItsCheck(String engine, String name, String expected) {
        Results r = run(engine, name);
        List<String> want = expected == null ? new ArrayList<>() : new ArrayList<>(List.of(expected.split(" ")));
        want.sort(null);
        assertThat(beyondDefaults(engine, r)).as("%s %s: %s", engine, name, r.findings()).isEqualTo(want);
        for (Finding f : r.findings()) {
            assertThat(f.category()).isEqualTo(Category.RUNTIME);
            assertThat(f.evidence()).as(f.id()).isNotBlank();
            assertThat(f.remediation()).as(f.id()).isNotBlank();
            if (!f.id().equals("RT-ENV-SECRET")) {
                assertThat(f.cis()).as(f.id()).matches("[45]\\.\\d+");
            }
        }
    }

    @Test
    void hostNetworkLeavesTheDefaultBridgeOnPodman() {
        List<String> ids = ids(run("Podman", "hostnet"));
        assertThat(ids).contains("RT-HOST-NETWORK").doesNotContain("RT-DEFAULT-BRIDGE");
    }

    @ParameterizedTest
    @CsvSource({"Docker", "Podman"})
    void theHardenedContainerRaisesNothing(String engine) {
        Results r = run(engine, "hardened");
        assertThat(r.findings()).isEmpty();
        assertThat(r.notes()).isEmpty();
    }

    @Test
    void capabilityNamesAreComparedWithoutTheirCapPrefix() {
        // the docker 28 CLI stores what it sends, "CAP_SYS_ADMIN"; the 20.10 CLI "SYS_ADMIN": the same finding
        JsonNode cli28 = RuntimeFixtures.json("docker/capcli28.json");
        JsonNode cli20 = RuntimeFixtures.json("docker/capcli20.json");
        assertThat(cli28.path("HostConfig").path("CapAdd").get(0).asText()).isEqualTo("CAP_SYS_ADMIN");
        assertThat(cli20.path("HostConfig").path("CapAdd").get(0).asText()).isEqualTo("SYS_ADMIN");
        Finding a = only(run("Docker", "capcli28"), "RT-CAP-DANGEROUS");
        Finding b = only(run("Docker", "capcli20"), "RT-CAP-DANGEROUS");
        assertThat(a.title()).isEqualTo(b.title()).isEqualTo("Dangerous capability added: SYS_ADMIN");
        assertThat(a.severity()).isEqualTo(Severity.HIGH);
        assertThat(a.evidence()).isEqualTo("HostConfig.CapAdd=[\"CAP_SYS_ADMIN\"]");
        assertThat(PrivilegeChecks.capability(" cap_net_admin ")).isEqualTo("NET_ADMIN");
        assertThat(PrivilegeChecks.capability("ALL")).isEqualTo("ALL");
    }

    @Test
    void addingAllCapabilitiesIsCriticalAndHarmlessOnesAreLow() {
        ObjectNode inspect = RuntimeFixtures.json("docker/capcli20.json").deepCopy();
        ((ObjectNode) inspect.get("HostConfig")).putArray("CapAdd").add("CAP_ALL").add("CHOWN").add("cap_net_bind_service");
        Results r = CHECKS.run(ContainerFacts.of(inspect, "Docker"), RuntimeFixtures.daemon("Docker"));
        assertThat(only(r, "RT-CAP-DANGEROUS").severity()).isEqualTo(Severity.CRITICAL);
        assertThat(only(r, "RT-CAP-ADDED").title()).isEqualTo("Capabilities added: CHOWN, NET_BIND_SERVICE");
    }

    @Test
    void evidenceNamesTheInspectFieldAndValue() {
        assertThat(only(run("Docker", "priv"), "RT-PRIVILEGED").evidence()).isEqualTo("HostConfig.Privileged=true");
        assertThat(only(run("Docker", "hostpid"), "RT-HOST-PID").evidence()).isEqualTo("HostConfig.PidMode=host");
        assertThat(only(run("Docker", "seccomp"), "RT-SECCOMP-UNCONFINED").evidence())
                .isEqualTo("HostConfig.SecurityOpt=[\"seccomp=unconfined\"]");
        assertThat(only(run("Docker", "sock"), "RT-DOCKER-SOCKET").evidence())
                .isEqualTo("Mounts: /tmp/da-rt/docker.sock:/var/run/docker.sock (propagation rslave)");
        Finding root = only(run("Docker", "root"), "RT-SENSITIVE-MOUNT");
        assertThat(root.evidence()).isEqualTo("Mounts: /:/host:ro (propagation rslave)");
        assertThat(root.severity()).isEqualTo(Severity.HIGH);
        assertThat(only(run("Podman", "device"), "RT-HOST-DEVICE").title()).isEqualTo("Host device exposed: /dev/null:/dev/xnull");
        assertThat(only(run("Docker", "sshd"), "RT-SSHD").evidence())
                .isEqualTo("processes (GET /containers/{id}/top): /usr/sbin/sshd");
        assertThat(only(run("Podman", "sshd"), "RT-SSHD").evidence())
                .isEqualTo("processes (GET /containers/{id}/top): /usr/sbin/sshd");
        // Podman 4.3 reports --ipc host as "shareable"; the container does share the host's IPC namespace
        assertThat(only(run("Podman", "hostipc"), "RT-HOST-IPC").evidence())
                .isEqualTo("Config.CreateCommand: --ipc host (HostConfig.IpcMode=shareable)");
        assertThat(only(run("Podman", "userns"), "RT-HOST-USERNS").evidence())
                .startsWith("Config.CreateCommand: --userns host");
        assertThat(only(run("Docker", "priv"), "RT-EXEC-PRIVILEGED").evidence())
                .isEqualTo("exec b26e8993ba6a: sleep 3000 (ProcessConfig.privileged=true, user=\"\", Running=true)");
        assertThat(only(run("Podman", "user0"), "RT-EXEC-ROOT").evidence())
                .isEqualTo("exec 4b8c73c4d351: sleep 3001 (ProcessConfig.privileged=false, user=\"0\", Running=true)");
    }

    @Test
    void secretsInTheEnvironmentAreMaskedAndImageVariablesAreLeftToTheImageAudit() {
        Results r = run("Docker", "secret");
        List<Finding> secrets = r.findings().stream().filter(f -> f.id().equals("RT-ENV-SECRET")).toList();
        assertThat(secrets).hasSize(2);
        for (Finding f : secrets) {
            assertThat(f.evidence()).startsWith("Config.Env: ").doesNotContain(RuntimeFixtures.AWS_SECRET)
                    .doesNotContain(RuntimeFixtures.GITHUB_TOKEN).contains("chars");
            assertThat(f.severity()).isIn(Severity.CRITICAL, Severity.HIGH);
        }
        assertThat(secrets).extracting(Finding::title).anySatisfy(t -> assertThat(t).contains("GITHUB_TOKEN"))
                .anySatisfy(t -> assertThat(t).contains("AWS_SECRET_ACCESS_KEY"));
        // the same variables set in the image are the image audit's findings, not the container's
        ContainerFacts c = RuntimeFixtures.container("Docker", "secret");
        ContainerFacts inherited = new ContainerFacts(c.inspect(), "Docker", c.processes(), c.execs(), null,
                c.strings("Config.Env"));
        assertThat(ids(CHECKS.run(inherited, RuntimeFixtures.daemon("Docker")))).doesNotContain("RT-ENV-SECRET");
    }

    @Test
    void apparmorOptOutIsMediumWhereAppArmorIsActive() {
        DaemonFacts plain = RuntimeFixtures.daemon("Docker");
        assertThat(only(run("Docker", "apparmor"), "RT-APPARMOR-UNCONFINED").severity()).isEqualTo(Severity.LOW);
        DaemonFacts withAppArmor = new DaemonFacts("Docker", plain.version(), "1.41", plain.host(), plain.os(), "inactive",
                List.of("name=apparmor", "name=seccomp,profile=default"), false, Set.of());
        Results r = CHECKS.run(RuntimeFixtures.container("Docker", "apparmor"), withAppArmor);
        assertThat(only(r, "RT-APPARMOR-UNCONFINED").severity()).isEqualTo(Severity.MEDIUM);
        // every other container on an AppArmor host runs without a profile in these recordings
        assertThat(ids(CHECKS.run(RuntimeFixtures.container("Docker", "capcli20"), withAppArmor))).contains("RT-APPARMOR-NONE");
        assertThat(ids(CHECKS.run(RuntimeFixtures.container("Docker", "priv"), withAppArmor))).doesNotContain("RT-APPARMOR-NONE");
    }

    @Test
    void selinuxChecksApplyWhereTheDaemonEnforcesIt() {
        // docker adds label=disable to --privileged, --pid host and --ipc host containers
        assertThat(ids(run("Docker", "hostipc"))).doesNotContain("RT-SELINUX-DISABLED");
        DaemonFacts selinux = new DaemonFacts("Docker", "20.10", "1.41", "unix:///x", null, "inactive",
                List.of("name=selinux", "name=seccomp,profile=default"), false, Set.of());
        assertThat(ids(CHECKS.run(RuntimeFixtures.container("Docker", "hostipc"), selinux))).contains("RT-SELINUX-DISABLED");
        assertThat(ids(CHECKS.run(RuntimeFixtures.container("Docker", "capcli20"), selinux))).contains("RT-SELINUX-NONE");
    }

    @Test
    void podmanUlimitsAndUsernsNeedItsCreateCommand() {
        // Podman lists containers.conf's default ulimits on every container and shows --userns host as ""
        ContainerFacts hardened = RuntimeFixtures.container("Podman", "hardened");
        assertThat(hardened.objects("HostConfig.Ulimits")).isNotEmpty();
        ContainerFacts viaCompatApi = new ContainerFacts(hardened.inspect(), "Podman", hardened.processes(), List.of(),
                null, null);
        Results r = CHECKS.run(viaCompatApi, RuntimeFixtures.daemon("Podman"));
        assertThat(ids(r)).doesNotContain("RT-ULIMIT-OVERRIDE", "RT-HOST-USERNS");
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).startsWith("RT-ULIMIT-OVERRIDE (CIS 5.19) not decided:"))
                .anySatisfy(n -> assertThat(n).startsWith("RT-HOST-USERNS (CIS 5.31) not decided:"));
        Finding u = only(run("Podman", "ulimit"), "RT-ULIMIT-OVERRIDE");
        assertThat(u.title()).isEqualTo("Default ulimits overridden: nofile=1000:1000");
    }

    @Test
    void restartPolicies() {
        for (Map.Entry<String, Boolean> e : Map.of("no", false, "", false, "always", true, "unless-stopped", true,
                "on-failure:5", false, "on-failure:0", true, "on-failure:10", true).entrySet()) {
            ObjectNode inspect = RuntimeFixtures.json("docker/hardened.json").deepCopy();
            String[] p = e.getKey().split(":");
            ObjectNode policy = ((ObjectNode) inspect.get("HostConfig")).putObject("RestartPolicy");
            policy.put("Name", p[0]);
            policy.put("MaximumRetryCount", p.length > 1 ? Integer.parseInt(p[1]) : 0);
            Results r = CHECKS.run(ContainerFacts.of(inspect, "Docker"), RuntimeFixtures.daemon("Docker"));
            assertThat(ids(r).contains("RT-RESTART-POLICY")).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void sensitivePathsAndSockets() {
        assertThat(MountChecks.sensitive("/etc")).isEqualTo("/etc");
        assertThat(MountChecks.sensitive("/etc/ssl/certs/")).isEqualTo("/etc");
        assertThat(MountChecks.sensitive("//")).isEqualTo("/");
        assertThat(MountChecks.sensitive("/var/lib/docker/volumes/x/_data")).isEqualTo("/var/lib/docker");
        assertThat(MountChecks.sensitive("/srv/app")).isNull();
        assertThat(MountChecks.sensitive("/etcetera")).isNull();
        assertThat(MountChecks.sensitive("/home/user")).isNull();
        DaemonFacts d = RuntimeFixtures.daemon("Docker");
        assertThat(MountChecks.socket(new MountChecks.Mount("bind", "/run/docker.sock", "/x.sock", true, "", "Mounts"), d)).isTrue();
        assertThat(MountChecks.socket(new MountChecks.Mount("bind", "/var/run", "/host-run", true, "", "Mounts"), d)).isTrue();
        assertThat(MountChecks.socket(new MountChecks.Mount("bind", "/tmp/da-rt", "/x", true, "", "Mounts"), d)).isTrue();
        assertThat(MountChecks.socket(new MountChecks.Mount("bind", "/srv/data", "/data", true, "", "Mounts"), d)).isFalse();
    }

    @Test
    void sshdIsTheProgramNotAnArgument() {
        assertThat(ProcessChecks.sshd("/usr/sbin/sshd -D")).isTrue();
        assertThat(ProcessChecks.sshd("sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups")).isTrue();
        assertThat(ProcessChecks.sshd("sshd: root@pts/0")).isTrue();
        assertThat(ProcessChecks.sshd("sh -c cp /usr/bin/iconv /usr/sbin/sshd && sleep 100000 | /usr/sbin/sshd")).isFalse();
        assertThat(ProcessChecks.sshd("/usr/bin/ssh-agent")).isFalse();
    }

    @Test
    void podmanTopRowsAreSplitAtTheCommandColumn() {
        List<String> commands = ContainerFacts.commands(RuntimeFixtures.json("podman/sshd.top.json"));
        assertThat(commands).containsExactly("sh -c cp /usr/bin/iconv /usr/sbin/sshd && sleep 100000 | /usr/sbin/sshd",
                "sleep 100000", "/usr/sbin/sshd");
        assertThat(ContainerFacts.commands(RuntimeFixtures.json("docker/sshd.top.json"))).containsExactly(
                "sh -c cp /usr/bin/iconv /usr/sbin/sshd && sleep 100000 | /usr/sbin/sshd", "sleep 100000", "/usr/sbin/sshd");
    }

    @Test
    void missingFieldsAreNotedNotGuessed() {
        // a Podman-like answer with most of HostConfig and Mounts left out: no finding is invented from a missing field
        ObjectNode inspect = RuntimeFixtures.json("podman/capp.json").deepCopy();
        inspect.remove("Mounts");
        inspect.putNull("HostConfig");
        inspect.remove("AppArmorProfile");
        Results r = CHECKS.run(ContainerFacts.of(inspect, "Podman"), RuntimeFixtures.daemon("Podman"));
        Set<String> undecided = new TreeSet<>();
        r.notes().forEach(n -> undecided.add(n.substring(0, n.indexOf(' '))));
        assertThat(undecided).contains("RT-PRIVILEGED", "RT-HOST-NETWORK", "RT-HOST-PID", "RT-SENSITIVE-MOUNT",
                "RT-DOCKER-SOCKET", "RT-NO-MEMORY-LIMIT", "RT-ROOTFS-WRITABLE", "RT-CAP-NOT-DROPPED", "RT-NO-PIDS-LIMIT");
        assertThat(ids(r)).doesNotContain("RT-PRIVILEGED", "RT-NO-MEMORY-LIMIT", "RT-NO-PIDS-LIMIT", "RT-CAP-NOT-DROPPED",
                "RT-CAP-DANGEROUS", "RT-ROOTFS-WRITABLE");
        // what the inspect still has is checked: root user, health check
        assertThat(ids(r)).contains("RT-ROOT-USER", "RT-NO-HEALTHCHECK");
    }

    @Test
    void daemonFacts() {
        List<String> notes = new ArrayList<>();
        List<Finding> docker = DaemonChecks.check(RuntimeFixtures.daemon("Docker"), notes);
        assertThat(docker).extracting(Finding::id).containsExactlyInAnyOrder("RT-DAEMON-NO-USERNS", "RT-DAEMON-ROOTFUL",
                "RT-DAEMON-NO-LIVE-RESTORE");
        assertThat(docker).allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.INFO));
        assertThat(notes).anySatisfy(n -> assertThat(n).contains("AppArmor is not active"))
                .anySatisfy(n -> assertThat(n).contains("SELinux is not enabled"));
        List<Finding> podman = DaemonChecks.check(RuntimeFixtures.daemon("Podman"), new ArrayList<>());
        assertThat(podman).extracting(Finding::id).containsExactlyInAnyOrder("RT-DAEMON-NO-USERNS", "RT-DAEMON-ROOTFUL");

        ObjectNode info = RuntimeFixtures.json("docker/info.json").deepCopy();
        ((ObjectNode) info.get("Swarm")).put("LocalNodeState", "active");
        info.putArray("SecurityOptions").add("name=seccomp,profile=default").add("name=userns").add("name=rootless");
        info.put("LiveRestoreEnabled", false);
        DaemonFacts swarm = DaemonFacts.of("Docker", "1.41", "unix:///x", info, null, Set.of());
        List<Finding> f = DaemonChecks.check(swarm, new ArrayList<>());
        assertThat(f).extracting(Finding::id).containsExactly("RT-SWARM-ACTIVE");
        assertThat(f.get(0).cis()).isEqualTo("5.1");
        assertThat(f.get(0).evidence()).isEqualTo("Swarm.LocalNodeState=active");
    }

    static Finding only(Results r, String id) {
        List<Finding> f = r.findings().stream().filter(x -> x.id().equals(id)).toList();
        assertThat(f).as("%s in %s", id, r.findings()).hasSize(1);
        return f.get(0);
    }
}
