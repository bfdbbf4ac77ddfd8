package dev.dockaudit.check.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.report.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What of the host the container's filesystem reaches: bind mounts, the engine's socket, propagation, devices. */
final class MountChecks {
    private MountChecks() {
    }

    /** Host directories whose contents (or writes to them) give away the host (5.6). */
    static final List<String> SENSITIVE = List.of("/", "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/proc",
            "/root", "/sbin", "/sys", "/usr", "/var/lib/docker", "/var/lib/containers");
    static final Set<String> SOCKETS = Set.of("docker.sock", "podman.sock", "containerd.sock");

    /** One mount, from Mounts[] or, when an engine leaves that out, parsed from HostConfig.Binds. */
    record Mount(String type, String source, String destination, boolean rw, String propagation, String field) {
        String describe() {
            return source + ":" + destination + (rw ? "" : ":ro") + (propagation == null || propagation.isEmpty() ? ""
                    : " (propagation " + propagation + ")");
        }
    }

    /** The container's mounts; null when the engine reported neither Mounts nor HostConfig.Binds. */
    static List<Mount> mounts(ContainerFacts c) {
        if (c.node("Mounts").isArray()) {
            List<Mount> out = new ArrayList<>();
            for (JsonNode m : c.objects("Mounts")) {
                String type = m.path("Type").asText("");
                String source = m.path("Source").asText("");
                boolean rw = !m.has("RW") || m.path("RW").asBoolean(true);
                out.add(new Mount(type, source, m.path("Destination").asText(""), rw, m.path("Propagation").asText(""),
                        "Mounts"));
            }
            return out;
        }
        if (c.node("HostConfig.Binds").isArray()) {
            List<Mount> out = new ArrayList<>();
            for (String b : c.strings("HostConfig.Binds")) {
                String[] parts = b.split(":", 3);
                if (parts.length < 2) {
                    continue;
                }
                String opts = parts.length > 2 ? parts[2] : "";
                String propagation = "";
                for (String o : opts.split(",")) {
                    if (o.matches("r?(shared|slave|private)")) {
                        propagation = o;
                    }
                }
                boolean rw = !List.of(opts.split(",")).contains("ro");
                out.add(new Mount(parts[0].startsWith("/") ? "bind" : "volume", parts[0], parts[1], rw, propagation,
                        "HostConfig.Binds"));
            }
            return out;
        }
        return null;
    }

    static String normalise(String path) {
        String p = path.replaceAll("/{2,}", "/");
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** The sensitive directory {@code source} is or lies under, or null. */
    static String sensitive(String source) {
        String s = normalise(source);
        for (String dir : SENSITIVE) {
            if (s.equals(dir) || (!dir.equals("/") && s.startsWith(dir + "/"))) {
                return dir;
            }
        }
        return null;
    }

    private static String basename(String p) {
        String n = normalise(p);
        int slash = n.lastIndexOf('/');
        return slash < 0 ? n : n.substring(slash + 1);
    }

    /** Whether a mount brings an engine's API socket into the container. */
    static boolean socket(Mount m, DaemonFacts d) {
        if (SOCKETS.contains(basename(m.source()).toLowerCase(Locale.ROOT))
                || SOCKETS.contains(basename(m.destination()).toLowerCase(Locale.ROOT))) {
            return true;
        }
        String daemonSocket = d.host() != null && d.host().startsWith("unix://") ? normalise(d.host().substring(7)) : null;
        String src = normalise(m.source());
        if (daemonSocket != null && (src.equals(daemonSocket) || daemonSocket.startsWith(src + "/"))) {
            return !src.equals("/"); // "/" is reported as a sensitive mount
        }
        return src.equals("/run") || src.equals("/var/run") || src.equals("/run/docker") || src.equals("/var/run/docker");
    }

    static final RuntimeCheck SENSITIVE_MOUNT = new RuntimeCheck("RT-SENSITIVE-MOUNT", "5.6", Severity.HIGH,
            "Sensitive host directory mounted",
            "A host system directory (/, /etc, /boot, /dev, /lib, /proc, /sys, /usr, /var/lib/docker …) is bind-mounted"
                    + " into the container. Read-only it leaks the host's secrets (/etc/shadow, keys); writable it lets the"
                    + " container change the host.",
            "Mount only the application's own data directories, read-only where possible.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            List<Mount> mounts = mounts(c);
            if (mounts == null) {
                undecidable(out, "neither Mounts nor HostConfig.Binds is reported");
                return;
            }
            for (Mount m : mounts) {
                if (!m.type().equals("bind") || socket(m, d)) {
                    continue;
                }
                String dir = sensitive(m.source());
                if (dir == null) {
                    continue;
                }
                Severity s = dir.equals("/") ? (m.rw() ? Severity.CRITICAL : Severity.HIGH)
                        : m.rw() ? Severity.HIGH : Severity.MEDIUM;
                out.add(finding(s, "Sensitive host directory mounted: " + normalise(m.source())
                        + (m.rw() ? " (writable)" : " (read-only)"), m.field() + ": " + m.describe()));
            }
        }
    };

    static final RuntimeCheck DOCKER_SOCKET = new RuntimeCheck("RT-DOCKER-SOCKET", "5.32", Severity.CRITICAL,
            "Container engine socket mounted",
            "The Docker (or Podman, containerd) API socket is mounted into the container. Whoever controls the"
                    + " container can start a privileged container with the host's / mounted: it is root on the host.",
            "Do not mount the engine's socket; if a tool needs the API, give it a socket proxy that allows only the"
                    + " calls it needs.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            List<Mount> mounts = mounts(c);
            if (mounts == null) {
                undecidable(out, "neither Mounts nor HostConfig.Binds is reported");
                return;
            }
            for (Mount m : mounts) {
                if (socket(m, d)) {
                    out.add(finding(Severity.CRITICAL, "Container engine socket mounted: " + m.source(),
                            m.field() + ": " + m.describe()));
                }
            }
        }
    };

    static final RuntimeCheck SHARED_PROPAGATION = new RuntimeCheck("RT-SHARED-PROPAGATION", "5.20", Severity.MEDIUM,
            "Mount with shared propagation",
            "A mount is shared with the host (propagation shared or rshared): mounts the container makes under it appear"
                    + " on the host, and the other way round.",
            "Use the default private propagation; use rslave if the container must see the host's new mounts.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            List<Mount> mounts = mounts(c);
            if (mounts == null) {
                undecidable(out, "neither Mounts nor HostConfig.Binds is reported");
                return;
            }
            for (Mount m : mounts) {
                String p = m.propagation() == null ? "" : m.propagation().toLowerCase(Locale.ROOT);
                if (p.equals("shared") || p.equals("rshared")) {
                    out.add(finding(Severity.MEDIUM, "Mount with " + p + " propagation: " + m.destination(),
                            m.field() + ": " + m.describe()));
                }
            }
        }
    };

    static final RuntimeCheck DEVICES = new RuntimeCheck("RT-HOST-DEVICE", "5.18", Severity.MEDIUM,
            "Host device exposed",
            "A host device node is passed into the container (--device) or allowed by a device cgroup rule; with"
                    + " write access the container can read or change the device directly.",
            "Remove the --device (and --device-cgroup-rule) options the container does not need; when it needs one,"
                    + " grant only the permissions it uses (e.g. --device /dev/x:/dev/x:r).") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if (PrivilegeChecks.privileged(c)) {
                return; // every device: RT-PRIVILEGED
            }
            if (!c.has("HostConfig.Devices") && !c.has("HostConfig")) {
                undecidable(out, "HostConfig.Devices is missing");
                return;
            }
            List<String> devices = new ArrayList<>();
            for (JsonNode dev : c.objects("HostConfig.Devices")) {
                String perms = dev.path("CgroupPermissions").asText("");
                devices.add(dev.path("PathOnHost").asText("?") + ":" + dev.path("PathInContainer").asText("?")
                        + (perms.isEmpty() ? "" : ":" + perms));
            }
            if (!devices.isEmpty()) {
                out.add(finding(Severity.MEDIUM, "Host device exposed: " + String.join(", ", devices),
                        evidence(c, "HostConfig.Devices")));
            }
            List<String> rules = c.strings("HostConfig.DeviceCgroupRules");
            if (!rules.isEmpty()) {
                out.add(finding(Severity.MEDIUM, "Device cgroup rules allow host devices: " + String.join(", ", rules),
                        evidence(c, "HostConfig.DeviceCgroupRules")));
            }
        }
    };

    static final RuntimeCheck WRITABLE_ROOTFS = new RuntimeCheck("RT-ROOTFS-WRITABLE", "5.13", Severity.LOW,
            "Root filesystem is writable",
            "The container's root filesystem is writable, so an intruder can change binaries and configuration, and"
                    + " the container's state drifts from its image.",
            "Start the container with --read-only and mount writable volumes or tmpfs only where it writes.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            Boolean ro = c.bool("HostConfig.ReadonlyRootfs");
            if (ro == null) {
                undecidable(out, "HostConfig.ReadonlyRootfs is missing");
            } else if (!ro) {
                out.add(finding(evidence(c, "HostConfig.ReadonlyRootfs")));
            }
        }
    };

    static List<RuntimeCheck> all() {
        return List.of(SENSITIVE_MOUNT, DOCKER_SOCKET, SHARED_PROPAGATION, DEVICES, WRITABLE_ROOTFS);
    }
}
