package dev.dockaudit.check.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.report.Severity;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What runs in the container: sshd, exec sessions, health. */
final class ProcessChecks {
    private ProcessChecks() {
    }

    /** Whether a process's command line is an sshd: the program's base name is sshd, or sshd's own title "sshd: …". */
    static boolean sshd(String command) {
        String c = command.strip();
        if (c.startsWith("sshd:") || c.startsWith("sshd ") || c.equals("sshd")) {
            return true;
        }
        String program = c.split("\\s+", 2)[0];
        int slash = program.lastIndexOf('/');
        String base = slash < 0 ? program : program.substring(slash + 1);
        return base.equals("sshd") || base.equals("sshd:");
    }

    static final RuntimeCheck SSHD = new RuntimeCheck("RT-SSHD", "5.7", Severity.MEDIUM,
            "sshd running in the container",
            "An SSH daemon runs in the container: one more service with credentials and keys to manage and patch, and a"
                    + " way in that bypasses the engine's access control and audit log.",
            "Remove sshd from the image; use docker exec (or podman exec) to get a shell in the container.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if (!c.running()) {
                return; // only a running container has processes
            }
            if (c.podman() && "host".equalsIgnoreCase(c.text("HostConfig.PidMode"))) {
                // Podman lists the processes of the container's PID namespace, here the host's: every sshd on the host
                undecidable(out, "Podman's process list of a --pid host container is the host's");
                return;
            }
            List<String> processes = c.processes();
            if (processes == null) {
                undecidable(out, "the daemon did not give the process list (GET /containers/{id}/top)");
                return;
            }
            Set<String> found = new LinkedHashSet<>();
            for (String p : processes) {
                if (sshd(p)) {
                    found.add(p.strip());
                }
            }
            if (!found.isEmpty()) {
                out.add(finding("processes (GET /containers/{id}/top): " + String.join("; ", found)));
            }
        }
    };

    private static String describeExec(JsonNode exec) {
        JsonNode pc = exec.path("ProcessConfig");
        StringBuilder b = new StringBuilder("exec ");
        String id = exec.path("ID").asText("");
        b.append(id.length() > 12 ? id.substring(0, 12) : id).append(": ");
        b.append(pc.path("entrypoint").asText(""));
        pc.path("arguments").forEach(a -> b.append(' ').append(a.asText()));
        b.append(" (ProcessConfig.privileged=").append(pc.path("privileged").asBoolean(false));
        b.append(", user=\"").append(pc.path("user").asText("")).append("\"");
        b.append(", Running=").append(exec.path("Running").asBoolean(false)).append(')');
        return b.toString();
    }

    static final RuntimeCheck EXEC_PRIVILEGED = new RuntimeCheck("RT-EXEC-PRIVILEGED", "5.23", Severity.HIGH,
            "Privileged exec session",
            "A command was run in the container with docker exec --privileged: it got every capability and no"
                    + " confinement, whatever the container itself was limited to.",
            "Do not use exec --privileged; if a maintenance task needs more rights, run it in a separate, short-lived"
                    + " container made for it.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            for (JsonNode exec : c.execs()) {
                if (exec.path("ProcessConfig").path("privileged").asBoolean(false)) {
                    out.add(finding(describeExec(exec)));
                }
            }
        }
    };

    static final RuntimeCheck EXEC_ROOT = new RuntimeCheck("RT-EXEC-ROOT", "5.24", Severity.MEDIUM,
            "Exec session as root",
            "A command was run in the container with docker exec --user root (or 0): it runs as root whatever user the"
                    + " container runs as.",
            "Run exec sessions as the container's own user; do maintenance as root in a separate container.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            for (JsonNode exec : c.execs()) {
                String user = exec.path("ProcessConfig").path("user").asText("");
                if (!user.isBlank() && PrivilegeChecks.rootUser(user)) {
                    out.add(finding(describeExec(exec)));
                }
            }
        }
    };

    static final RuntimeCheck NO_HEALTHCHECK = new RuntimeCheck("RT-NO-HEALTHCHECK", "5.27", Severity.LOW,
            "No health check",
            "Neither the image nor the container defines a health check, so the engine (and an orchestrator) cannot"
                    + " tell a hung or broken service from a healthy one.",
            "Add a HEALTHCHECK to the image or start the container with --health-cmd.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if (!c.node("Config").isObject()) {
                undecidable(out, "Config is missing");
                return;
            }
            List<String> test = c.strings("Config.Healthcheck.Test");
            if (test.isEmpty() || test.get(0).equalsIgnoreCase("NONE")) {
                out.add(finding(evidence(c, "Config.Healthcheck")));
            }
        }
    };

    static final RuntimeCheck UNHEALTHY = new RuntimeCheck("RT-UNHEALTHY", "5.27", Severity.MEDIUM,
            "Container is unhealthy",
            "The container's health check is failing.",
            "Look at the health log (docker inspect --format '{{json .State.Health}}') and fix or restart the service.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if ("unhealthy".equalsIgnoreCase(c.text("State.Health.Status"))) {
                String last = "";
                JsonNode log = c.node("State.Health.Log");
                if (log.isArray() && log.size() > 0) {
                    last = ", last output: " + log.get(log.size() - 1).path("Output").asText("").strip();
                }
                out.add(finding("State.Health.Status=unhealthy, FailingStreak=" + c.text("State.Health.FailingStreak")
                        + last));
            }
        }
    };

    static List<RuntimeCheck> all() {
        return List.of(SSHD, EXEC_PRIVILEGED, EXEC_ROOT, NO_HEALTHCHECK, UNHEALTHY);
    }
}
