package dev.dockaudit.check.runtime;

import dev.dockaudit.report.Severity;
import java.util.List;

/** The host's namespaces shared with the container: network, PID, IPC, UTS, user. */
final class NamespaceChecks {
    private NamespaceChecks() {
    }

    /**
     * A check that a HostConfig mode field is not "host". Podman 4.3 reports {@code --ipc host} as "shareable" (in its
     * own inspect too, while the container does share the host's IPC namespace), so on Podman the podman command
     * line it keeps is read as well.
     */
    private static final class HostMode extends RuntimeCheck {
        private final String field;
        private final List<String> podmanFlags;

        HostMode(String id, String cis, Severity severity, String field, List<String> podmanFlags, String title,
                 String description, String remediation) {
            super(id, cis, severity, title, description, remediation);
            this.field = field;
            this.podmanFlags = podmanFlags;
        }

        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if ("host".equalsIgnoreCase(c.text(field))) {
                out.add(finding(evidence(c, field)));
                return;
            }
            if (c.podman()) {
                for (String flag : podmanFlags) {
                    String v = CommandLines.option(c, flag);
                    if (v != null && v.equalsIgnoreCase("host")) {
                        out.add(finding("Config.CreateCommand: " + flag + " " + v + " (" + evidence(c, field) + ")"));
                        return;
                    }
                }
            }
            if (!c.has(field)) {
                undecidable(out, field + " is missing");
            }
        }
    }

    static final RuntimeCheck HOST_NETWORK = new HostMode("RT-HOST-NETWORK", "5.10", Severity.HIGH,
            "HostConfig.NetworkMode", List.of("--network", "--net"), "Host network namespace shared",
            "The container uses the host's network stack (--network host): it can bind any host port, reach services"
                    + " listening on the host's loopback, and see every interface; no network isolation is left.",
            "Run the container on a bridge or user-defined network and publish only the ports it needs.");

    static final RuntimeCheck HOST_PID = new HostMode("RT-HOST-PID", "5.16", Severity.HIGH,
            "HostConfig.PidMode", List.of("--pid"), "Host PID namespace shared",
            "The container sees every process on the host (--pid host) and, as root, can signal or trace them and read"
                    + " their environment and memory through /proc.",
            "Remove --pid host.");

    static final RuntimeCheck HOST_IPC = new HostMode("RT-HOST-IPC", "5.17", Severity.HIGH,
            "HostConfig.IpcMode", List.of("--ipc"), "Host IPC namespace shared",
            "The container shares the host's System V IPC and POSIX message queues and shared memory (--ipc host), so it"
                    + " can read or corrupt other processes' shared memory.",
            "Remove --ipc host.");

    static final RuntimeCheck HOST_UTS = new HostMode("RT-HOST-UTS", "5.21", Severity.MEDIUM,
            "HostConfig.UTSMode", List.of("--uts"), "Host UTS namespace shared",
            "The container shares the host's UTS namespace (--uts host) and, with CAP_SYS_ADMIN, can change the host's"
                    + " hostname and domain name.",
            "Remove --uts host.");

    static final RuntimeCheck HOST_USERNS = new RuntimeCheck("RT-HOST-USERNS", "5.31", Severity.MEDIUM,
            "Host user namespace shared",
            "The container opted out of user-namespace isolation (--userns host): its root is the host's root even when"
                    + " the engine remaps other containers' users.",
            "Remove --userns host.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            String mode = c.text("HostConfig.UsernsMode");
            if ("host".equalsIgnoreCase(mode)) {
                out.add(finding(evidence(c, "HostConfig.UsernsMode")));
                return;
            }
            if (c.podman()) {
                // Podman's Docker-compatible inspect shows --userns host as "" (the same as its default); the
                // command line Podman keeps for containers the podman CLI created says what was asked for.
                String flag = CommandLines.option(c, "--userns");
                if (flag != null && flag.equalsIgnoreCase("host")) {
                    out.add(finding("Config.CreateCommand: --userns " + flag
                            + " (HostConfig.UsernsMode=\"" + (mode == null ? "" : mode) + "\")"));
                } else if (c.createCommand() == null && (mode == null || mode.isEmpty())) {
                    undecidable(out, "Podman reports HostConfig.UsernsMode \"\" for --userns host too, and it keeps no"
                            + " create command for containers made through the Docker API");
                }
                return;
            }
            if (mode == null && !c.has("HostConfig.UsernsMode")) {
                undecidable(out, "HostConfig.UsernsMode is missing");
            }
        }
    };

    static List<RuntimeCheck> all() {
        return List.of(HOST_NETWORK, HOST_PID, HOST_IPC, HOST_UTS, HOST_USERNS);
    }
}
