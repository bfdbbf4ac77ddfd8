package dev.dockaudit.check.runtime;

import dev.dockaudit.report.Severity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What the container's processes may do: privileged mode, capabilities, seccomp, AppArmor, SELinux, setuid, user. */
final class PrivilegeChecks {
    private PrivilegeChecks() {
    }

    /** Capabilities that give a container a way out or power over the host (5.4). */
    static final Set<String> DANGEROUS_CAPABILITIES = Set.of("ALL", "SYS_ADMIN", "SYS_MODULE", "SYS_RAWIO", "SYS_PTRACE",
            "SYS_BOOT", "SYS_TIME", "DAC_READ_SEARCH", "NET_ADMIN", "MAC_ADMIN", "MAC_OVERRIDE", "BPF", "PERFMON", "SYSLOG");

    /**
     * A capability name as the kernel's list spells it without prefix: clients store what they send, and the docker
     * 28 CLI sends "CAP_SYS_ADMIN" where the 20.10 CLI and podman send "SYS_ADMIN".
     */
    static String capability(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        return n.startsWith("CAP_") ? n.substring(4) : n;
    }

    static List<String> capabilities(ContainerFacts c, String field) {
        Set<String> out = new LinkedHashSet<>();
        c.strings(field).forEach(s -> {
            if (!s.isBlank()) {
                out.add(capability(s));
            }
        });
        return new ArrayList<>(out);
    }

    static boolean privileged(ContainerFacts c) {
        return Boolean.TRUE.equals(c.bool("HostConfig.Privileged"));
    }

    static final RuntimeCheck PRIVILEGED = new RuntimeCheck("RT-PRIVILEGED", "5.5", Severity.CRITICAL,
            "Privileged container",
            "The container runs with --privileged: every capability, every host device, no seccomp, AppArmor or SELinux"
                    + " confinement and writable /sys. Root in the container is root on the host.",
            "Run the container without --privileged; add only the capabilities (--cap-add) and devices (--device) it"
                    + " really needs.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            Boolean p = c.bool("HostConfig.Privileged");
            if (p == null) {
                undecidable(out, "HostConfig.Privileged is missing");
            } else if (p) {
                out.add(finding(evidence(c, "HostConfig.Privileged")));
            }
        }
    };

    static final RuntimeCheck DANGEROUS_CAPS = new RuntimeCheck("RT-CAP-DANGEROUS", "5.4", Severity.HIGH,
            "Dangerous capability added",
            "The container was given a capability that lets it escape or control the host: SYS_ADMIN (mount, namespaces,"
                    + " most of root), SYS_MODULE (load kernel modules), SYS_PTRACE (trace other processes),"
                    + " DAC_READ_SEARCH (open_by_handle_at escapes), NET_ADMIN (reconfigure networking), ALL, and others.",
            "Remove the capability (--cap-add); start from --cap-drop ALL and add back only what the process needs.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if (privileged(c)) {
                return; // RT-PRIVILEGED says more
            }
            for (String cap : capabilities(c, "HostConfig.CapAdd")) {
                if (DANGEROUS_CAPABILITIES.contains(cap)) {
                    out.add(finding(cap.equals("ALL") ? Severity.CRITICAL : Severity.HIGH,
                            "Dangerous capability added: " + cap, evidence(c, "HostConfig.CapAdd")));
                }
            }
        }
    };

    static final RuntimeCheck ADDED_CAPS = new RuntimeCheck("RT-CAP-ADDED", "5.4", Severity.LOW,
            "Capabilities added",
            "The container was given capabilities beyond the engine's default set. Each one widens what a compromised"
                    + " process can do.",
            "Check that the container needs each added capability; remove the rest from --cap-add.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if (privileged(c)) {
                return;
            }
            List<String> other = new ArrayList<>();
            for (String cap : capabilities(c, "HostConfig.CapAdd")) {
                if (!DANGEROUS_CAPABILITIES.contains(cap)) {
                    other.add(cap);
                }
            }
            if (!other.isEmpty()) {
                out.add(finding(Severity.LOW, "Capabilities added: " + String.join(", ", other),
                        evidence(c, "HostConfig.CapAdd")));
            }
        }
    };

    static final RuntimeCheck NOTHING_DROPPED = new RuntimeCheck("RT-CAP-NOT-DROPPED", "5.4", Severity.LOW,
            "No capability dropped",
            "The container keeps every capability of the engine's default set (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW …),"
                    + " whether it needs them or not.",
            "Start the container with --cap-drop ALL and add back only what it needs with --cap-add.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if (privileged(c)) {
                return;
            }
            if (!c.has("HostConfig") || !c.node("HostConfig").isObject()) {
                undecidable(out, "HostConfig is missing");
                return;
            }
            if (capabilities(c, "HostConfig.CapDrop").isEmpty()) {
                out.add(finding(evidence(c, "HostConfig.CapDrop")));
            }
        }
    };

    static final RuntimeCheck NO_NEW_PRIVILEGES = new RuntimeCheck("RT-NO-NEW-PRIVILEGES", "5.26", Severity.MEDIUM,
            "Container may gain new privileges",
            "Without no-new-privileges, a process in the container can gain privileges through setuid and setgid"
                    + " binaries or file capabilities (su, sudo, ping …).",
            "Start the container with --security-opt no-new-privileges (or set \"no-new-privileges\": true in"
                    + " daemon.json for every container).") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if (!c.has("HostConfig") || !c.node("HostConfig").isObject()) {
                undecidable(out, "HostConfig is missing");
                return;
            }
            String nnp = c.securityOption("no-new-privileges");
            boolean on = nnp != null && (nnp.equalsIgnoreCase("no-new-privileges")
                    || c.securityOption("no-new-privileges", "true") != null);
            if (!on) {
                out.add(finding(evidence(c, "HostConfig.SecurityOpt")));
            }
        }
    };

    static final RuntimeCheck SECCOMP = new RuntimeCheck("RT-SECCOMP-UNCONFINED", "5.22", Severity.HIGH,
            "Seccomp disabled",
            "The container runs without a seccomp profile, so every system call is open to it, including those the"
                    + " default profile blocks because they have been used to escape containers (keyctl, unshare,"
                    + " open_by_handle_at, bpf …).",
            "Remove --security-opt seccomp=unconfined; if the default profile blocks a call the application needs, give"
                    + " it a custom profile that allows only that call.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if (privileged(c)) {
                return;
            }
            String opt = c.securityOption("seccomp", "unconfined");
            if (opt != null) {
                out.add(finding(evidence(c, "HostConfig.SecurityOpt")));
            }
        }
    };

    static final RuntimeCheck APPARMOR_UNCONFINED = new RuntimeCheck("RT-APPARMOR-UNCONFINED", "5.2", Severity.MEDIUM,
            "AppArmor disabled for the container",
            "The container opted out of AppArmor (apparmor=unconfined), which on an AppArmor host removes the"
                    + " docker-default profile that blocks writes to /proc and /sys and mounting.",
            "Remove --security-opt apparmor=unconfined; use the default profile or a custom one.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if (privileged(c)) {
                return;
            }
            boolean byOption = c.securityOption("apparmor", "unconfined") != null;
            boolean byProfile = "unconfined".equals(c.text("AppArmorProfile"));
            if (!byOption && !byProfile) {
                return;
            }
            String ev = byOption ? evidence(c, "HostConfig.SecurityOpt") : evidence(c, "AppArmorProfile");
            if (d.appArmor()) {
                out.add(finding(ev));
            } else {
                // The host has no AppArmor, so the opt-out changes nothing here; it will on any host that has it.
                out.add(finding(Severity.LOW, "AppArmor disabled for the container (AppArmor is not active on this"
                        + " host)", ev));
            }
        }
    };

    static final RuntimeCheck APPARMOR_NONE = new RuntimeCheck("RT-APPARMOR-NONE", "5.2", Severity.LOW,
            "No AppArmor profile",
            "AppArmor is active on the host, but the container runs without a profile.",
            "Run the container with the docker-default profile or a custom one (--security-opt apparmor=PROFILE).") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if (!d.appArmor() || privileged(c) || c.securityOption("apparmor", "unconfined") != null) {
                return;
            }
            if (!c.has("AppArmorProfile")) {
                undecidable(out, "AppArmorProfile is missing");
            } else if (c.text("AppArmorProfile").isEmpty()) {
                out.add(finding(evidence(c, "AppArmorProfile")));
            }
        }
    };

    static final RuntimeCheck SELINUX_DISABLED = new RuntimeCheck("RT-SELINUX-DISABLED", "5.3", Severity.MEDIUM,
            "SELinux labelling disabled",
            "SELinux is enforced by the daemon, but this container runs with label=disable: its processes are not"
                    + " confined by the container policy.",
            "Remove --security-opt label=disable (docker adds it for --privileged, --pid host and --ipc host too).") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if (!d.selinux()) {
                return; // 5.3 applies where SELinux is in use; the daemon report says it is not
            }
            if (c.securityOption("label", "disable") != null) {
                out.add(finding(evidence(c, "HostConfig.SecurityOpt")));
            }
        }
    };

    static final RuntimeCheck SELINUX_NONE = new RuntimeCheck("RT-SELINUX-NONE", "5.3", Severity.LOW,
            "No SELinux label",
            "SELinux is enforced by the daemon, but the container has no process label.",
            "Let the daemon label the container, or set --security-opt label=type:… for a custom type.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if (!d.selinux() || c.securityOption("label", "disable") != null) {
                return;
            }
            String label = c.text("ProcessLabel");
            if (label == null) {
                undecidable(out, "ProcessLabel is missing");
            } else if (label.isEmpty() && c.securityOption("label") == null) {
                out.add(finding(evidence(c, "ProcessLabel")));
            }
        }
    };

    /** Config.User as root: empty (the default), root or 0, with or without a group. */
    static boolean rootUser(String user) {
        if (user == null) {
            return true;
        }
        String u = user.strip();
        int colon = u.indexOf(':');
        String name = colon < 0 ? u : u.substring(0, colon);
        return name.isEmpty() || name.equals("root") || name.equals("0");
    }

    static final RuntimeCheck ROOT_USER = new RuntimeCheck("RT-ROOT-USER", "4.1", Severity.MEDIUM,
            "Container runs as root",
            "The container's main process runs as root (uid 0). Without user-namespace remapping this is the host's"
                    + " root, held back only by capabilities and the security profiles.",
            "Run as an unprivileged user: USER in the image, or --user UID:GID when starting the container.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if (!c.has("Config") || !c.node("Config").isObject()) {
                undecidable(out, "Config is missing");
                return;
            }
            String user = c.text("Config.User");
            if (rootUser(user)) {
                String ev = "Config.User=" + (user == null ? "null" : "\"" + user + "\"");
                if (d.usernsRemap() && !"host".equals(c.text("HostConfig.UsernsMode"))) {
                    out.add(finding(Severity.LOW, "Container runs as root (remapped by the daemon's user namespace)", ev));
                } else {
                    out.add(finding(ev));
                }
            }
        }
    };

    static List<RuntimeCheck> all() {
        return List.of(PRIVILEGED, DANGEROUS_CAPS, ADDED_CAPS, NOTHING_DROPPED, NO_NEW_PRIVILEGES, SECCOMP,
                APPARMOR_UNCONFINED, APPARMOR_NONE, SELINUX_DISABLED, SELINUX_NONE, ROOT_USER);
    }
}
