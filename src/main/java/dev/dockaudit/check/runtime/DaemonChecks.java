package dev.dockaudit.check.runtime;

import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * Facts about the daemon that change how every container's settings read (GET /info): swarm mode (CIS 5.1), user
 * namespace remapping (2.9), rootless mode (2.1), live restore (2.15), and whether seccomp, AppArmor and SELinux are
 * in use at all.
 */
public final class DaemonChecks {
    private DaemonChecks() {
    }

    public static final String SWARM = "RT-SWARM-ACTIVE";
    public static final String NO_USERNS = "RT-DAEMON-NO-USERNS";
    public static final String ROOTFUL = "RT-DAEMON-ROOTFUL";
    public static final String NO_LIVE_RESTORE = "RT-DAEMON-NO-LIVE-RESTORE";
    public static final String NO_SECCOMP = "RT-DAEMON-NO-SECCOMP";

    /** The daemon's findings; what limits the container checks goes to {@code notes}. */
    public static List<Finding> check(DaemonFacts d, List<String> notes) {
        List<Finding> out = new ArrayList<>();
        if (!d.known()) {
            notes.add("the daemon's GET /info gave nothing to judge: daemon checks (5.1, 2.1, 2.9, 2.15) not decided");
            return out;
        }
        String engine = d.engine();
        if (d.swarm() != null && !d.swarm().equalsIgnoreCase("inactive") && !d.swarm().isEmpty()) {
            out.add(finding(SWARM, "5.1", Severity.LOW, "Swarm mode is enabled",
                    "The daemon is part of a swarm: it listens on the swarm ports and keeps the swarm's secrets and"
                            + " certificates. Leave swarm mode off on hosts that do not run swarm services.",
                    "Swarm.LocalNodeState=" + d.swarm(), "docker swarm leave (on a node that does not need it)."));
        }
        if (!d.usernsRemap() && !d.rootless()) {
            out.add(finding(NO_USERNS, "2.9", Severity.INFO, "No user-namespace remapping",
                    "The " + engine + " daemon does not remap user namespaces: root in a container is root on the host,"
                            + " held back only by capabilities and security profiles.",
                    "SecurityOptions=" + d.securityOptions(), d.podman()
                            ? "Run containers with --userns auto (or rootless Podman)."
                            : "Start dockerd with --userns-remap=default (or run Docker rootless)."));
        }
        if (!d.rootless()) {
            out.add(finding(ROOTFUL, "2.1", Severity.INFO, engine + " runs as root",
                    "The " + engine + " daemon runs as root (not rootless), so a container escape lands as root.",
                    "SecurityOptions=" + d.securityOptions() + " (no name=rootless)", d.podman()
                            ? "Run containers with rootless Podman where possible."
                            : "Run Docker in rootless mode where possible (dockerd-rootless-setuptool.sh)."));
        }
        if (!d.podman() && Boolean.FALSE.equals(d.liveRestore())
                && (d.swarm() == null || d.swarm().equalsIgnoreCase("inactive"))) {
            out.add(finding(NO_LIVE_RESTORE, "2.15", Severity.INFO, "Live restore is disabled",
                    "Containers stop when dockerd stops or restarts (for an upgrade, say), an availability risk.",
                    "LiveRestoreEnabled=false", "Set \"live-restore\": true in daemon.json."));
        }
        if (!d.securityOption("seccomp")) {
            out.add(finding(NO_SECCOMP, null, Severity.MEDIUM, "No seccomp support in the daemon",
                    "The daemon lists no seccomp profile: every container runs with all system calls open.",
                    "SecurityOptions=" + d.securityOptions(), "Use an engine built with seccomp and a kernel that has it."));
        }
        if (!d.appArmor()) {
            notes.add("AppArmor is not active on the daemon: CIS 5.2 checks only explicit apparmor=unconfined opt-outs");
        }
        if (!d.selinux()) {
            notes.add("SELinux is not enabled on the daemon: CIS 5.3 does not apply");
        }
        return out;
    }

    private static Finding finding(String id, String cis, Severity s, String title, String description, String evidence,
                                   String remediation) {
        return Finding.builder(id, Category.RUNTIME, s, title)
                .description(description)
                .cis(cis)
                .evidence(evidence)
                .remediation(remediation)
                .references(cis == null ? List.of() : List.of("CIS Docker Benchmark v1.6.0, " + cis))
                .build();
    }
}
