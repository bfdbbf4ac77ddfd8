package dev.dockaudit.check.config;

import dev.dockaudit.util.Redact;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.image.DockerName;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.report.Severity;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Checks on the run configuration ({@code config.config}) and on how the image was referenced. */
final class ImageSettingsChecks {
    /** Remote-administration ports: what listens there, and how bad exposing it is. */
    private static final Map<Integer, Port> ADMIN_PORTS = Map.ofEntries(
            Map.entry(22, new Port("SSH", Severity.MEDIUM)),
            Map.entry(23, new Port("Telnet (cleartext)", Severity.HIGH)),
            Map.entry(512, new Port("rexec (cleartext)", Severity.HIGH)),
            Map.entry(513, new Port("rlogin (cleartext)", Severity.HIGH)),
            Map.entry(514, new Port("rsh (cleartext)", Severity.HIGH)),
            Map.entry(2375, new Port("Docker API without TLS", Severity.HIGH)),
            Map.entry(2376, new Port("Docker API", Severity.MEDIUM)),
            Map.entry(3389, new Port("RDP", Severity.MEDIUM)),
            Map.entry(5900, new Port("VNC", Severity.MEDIUM)),
            Map.entry(5901, new Port("VNC", Severity.MEDIUM)),
            Map.entry(5902, new Port("VNC", Severity.MEDIUM)),
            Map.entry(5903, new Port("VNC", Severity.MEDIUM)),
            Map.entry(5985, new Port("WinRM over HTTP", Severity.HIGH)),
            Map.entry(5986, new Port("WinRM", Severity.MEDIUM)));
    private static final List<String> SENSITIVE_DIRS = List.of("/dev", "/proc", "/sys");

    private record Port(String service, Severity severity) {
    }

    private ImageSettingsChecks() {
    }

    static void run(CheckContext c) {
        if (c.hasConfig()) {
            user(c);
            healthcheck(c);
            volumes(c);
            ports(c);
        } else {
            c.note("config checks: the image has no config (a root filesystem); USER, HEALTHCHECK, VOLUME and EXPOSE"
                    + " were not checked");
        }
        latestTag(c);
        contentTrust(c);
    }

    // ---- 4.1 --------------------------------------------------------------------------------------------------------

    static void user(CheckContext c) {
        JsonNode u = c.runConfig.get("User");
        String user = u == null || u.isNull() ? "" : u.asText().strip();
        int step = lastStep(c, "USER");
        String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        if (user.isEmpty()) {
            c.add(ConfigRule.ROOT_USER.finding()
                    .description("The image sets no USER, so its processes run as root (UID 0) unless the user"
                            + " overrides it at run time; a process escaping the container starts as root.")
                    .evidence("config.User is not set (the default user is root)"), step);
            return;
        }
        if (name.equals("root") || name.equals("0")) {
            c.add(ConfigRule.ROOT_USER.finding()
                    .description("The image's USER is root (UID 0).")
                    .evidence("config.User = \"" + Redact.evidence(user, 100) + "\""), step);
            return;
        }
        if (AccountFiles.id(name) < 0) {
            CheckContext.FileContent passwd = c.content("etc/passwd");
            if (passwd != null) {
                for (AccountFiles.Entry e : AccountFiles.parse(passwd.data(), 3)) {
                    if (e.name().equals(name) && AccountFiles.id(e.field(2)) == 0) {
                        c.add(ConfigRule.ROOT_USER.finding()
                                .description("The image's USER '" + name + "' has UID 0 in /etc/passwd: it is root under"
                                        + " another name.")
                                .path("/etc/passwd")
                                .layer(c.diffId(passwd.layer()))
                                .evidence("config.User = \"" + Redact.evidence(user, 100) + "\"; /etc/passwd line "
                                        + e.line() + ": " + name + " has UID 0"), step);
                        return;
                    }
                }
            }
        }
    }

    // ---- 4.6 --------------------------------------------------------------------------------------------------------

    static void healthcheck(CheckContext c) {
        JsonNode hc = c.runConfig.get("Healthcheck");
        JsonNode test = hc == null ? null : hc.get("Test");
        if (test != null && test.isArray() && test.size() > 0 && !test.get(0).asText().equals("NONE")) {
            return;
        }
        boolean disabled = test != null && test.isArray() && test.size() > 0;
        c.add(ConfigRule.NO_HEALTHCHECK.finding()
                .description(disabled ? "The image disables health checking (HEALTHCHECK NONE), so docker cannot tell"
                        + " a hung service from a healthy one." : "The image declares no HEALTHCHECK, so docker cannot"
                        + " tell a hung service from a healthy one and restart policies see only crashes.")
                .evidence(disabled ? "config.Healthcheck.Test = [\"NONE\"]" : "config.Healthcheck is not set"),
                disabled ? lastStep(c, "HEALTHCHECK") : -1);
    }

    // ---- VOLUME over system directories -------------------------------------------------------------------------

    static void volumes(CheckContext c) {
        JsonNode v = c.runConfig.get("Volumes");
        if (v == null || !v.isObject()) {
            return;
        }
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String raw = it.next();
            String p = normalise(raw);
            String hit = null;
            if (p.equals("/")) {
                hit = "/";
            } else {
                for (String d : SENSITIVE_DIRS) {
                    if (p.equals(d) || p.startsWith(d + "/")) {
                        hit = d;
                    }
                }
            }
            if (hit == null) {
                continue;
            }
            c.add(ConfigRule.SENSITIVE_VOLUME.finding(ConfigRule.SENSITIVE_VOLUME.severity,
                            "VOLUME over " + p)
                    .description("The image declares a volume at " + p + (p.equals(hit) ? "" : ", inside " + hit)
                            + ". Docker mounts an anonymous volume there, hiding what the kernel provides (" + hit
                            + (hit.equals("/") ? " is the whole root filesystem" : " is a kernel filesystem")
                            + "), and it invites binding the host's own directory at the same place.")
                    .path(p)
                    .evidence("config.Volumes contains \"" + Redact.evidence(raw, 200) + "\""),
                    stepMentioning(c, "VOLUME", raw));
        }
    }

    private static String normalise(String p) {
        String s = p.strip().replaceAll("/+", "/");
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.startsWith("/") ? s : "/" + s;
    }

    // ---- remote-admin ports -----------------------------------------------------------------------------------

    static void ports(CheckContext c) {
        JsonNode p = c.runConfig.get("ExposedPorts");
        if (p == null || !p.isObject()) {
            return;
        }
        for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            String num = key.contains("/") ? key.substring(0, key.indexOf('/')) : key;
            long port = AccountFiles.id(num);
            Port admin = port < 0 || port > 65535 ? null : ADMIN_PORTS.get((int) port);
            if (admin == null) {
                continue;
            }
            c.add(ConfigRule.REMOTE_ADMIN_PORT.finding(admin.severity(), "Remote administration port " + key + " ("
                            + admin.service() + ") exposed")
                    .description("The image exposes port " + key + ", where " + admin.service() + " listens. Remote"
                            + " administration inside a container bypasses docker's own access control and logging;"
                            + " containers are entered with docker exec (CIS Docker Benchmark 5.7: do not run sshd in"
                            + " containers).")
                    .evidence("config.ExposedPorts contains \"" + Redact.evidence(key, 50) + "\""),
                    stepMentioning(c, "EXPOSE", num));
        }
    }

    // ---- latest tag ------------------------------------------------------------------------------------------

    static void latestTag(CheckContext c) {
        ImageReference ref = c.reference;
        ImageReference.Transport t = ref == null ? null : ref.transport();
        boolean named = t == ImageReference.Transport.DOCKER || t == ImageReference.Transport.NAME
                || t == ImageReference.Transport.DOCKER_DAEMON;
        String evidence = null;
        if (named && ref.name() != null && !ref.name().matches("(sha256:)?[a-f0-9]{12,64}")) {
            DockerName n;
            try {
                n = DockerName.parse(ref.name());
            } catch (IllegalArgumentException e) {
                return;
            }
            if (n.pinned()) {
                return;
            }
            String raw = ref.name();
            boolean explicit = raw.lastIndexOf(':') > raw.lastIndexOf('/');
            if (!"latest".equals(n.tag())) {
                return;
            }
            evidence = explicit ? "reference \"" + ref.original() + "\" uses the tag latest"
                    : "reference \"" + ref.original() + "\" has no tag, which means latest";
        } else if (!named) {
            List<String> tags = c.image.repoTags();
            if (tags.isEmpty() || !tags.stream().allMatch(x -> x.endsWith(":latest"))) {
                return;
            }
            evidence = "the image's only tags are " + String.join(", ", tags);
        }
        if (evidence == null) {
            return;
        }
        c.add(ConfigRule.LATEST_TAG.finding()
                .description("'latest' moves with every push: deployments and rebuilds from it are not reproducible,"
                        + " and a rollback may silently get a different image.")
                .evidence(evidence), -1);
    }

    // ---- 4.5 --------------------------------------------------------------------------------------------------------

    static void contentTrust(CheckContext c) {
        String v = c.environment.get("DOCKER_CONTENT_TRUST");
        if (contentTrustEnabled(v)) {
            return;
        }
        c.add(ConfigRule.CONTENT_TRUST.finding()
                .description("DOCKER_CONTENT_TRUST is not enabled in the environment dockaudit runs in, so the docker"
                        + " CLI here pulls, builds from and runs unsigned tags. This describes the host, not the image.")
                .evidence(v == null ? "DOCKER_CONTENT_TRUST is not set" : "DOCKER_CONTENT_TRUST=\""
                        + Redact.evidence(v, 20) + "\""), -1);
    }

    /** The docker CLI's rule: set, and not a false boolean (any other value enables it). */
    static boolean contentTrustEnabled(String v) {
        if (v == null || v.isEmpty()) {
            return false;
        }
        return !List.of("0", "f", "F", "false", "FALSE", "False").contains(v);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** The last step with this instruction keyword, or -1. */
    static int lastStep(CheckContext c, String keyword) {
        int found = -1;
        for (BuildStep s : c.steps) {
            if (keyword.equals(s.instruction().keyword())) {
                found = s.index();
            }
        }
        return found;
    }

    /** The last step with this keyword whose arguments mention {@code text}, else the last with the keyword. */
    static int stepMentioning(CheckContext c, String keyword, String text) {
        int last = -1;
        int mentioning = -1;
        String t = text.toLowerCase(Locale.ROOT);
        for (BuildStep s : c.steps) {
            if (!keyword.equals(s.instruction().keyword())) {
                continue;
            }
            last = s.index();
            String args = s.instruction().arguments().toLowerCase(Locale.ROOT);
            for (int at = args.indexOf(t); at >= 0 && !t.isEmpty(); at = args.indexOf(t, at + 1)) {
                boolean before = at == 0 || !Character.isDigit(args.charAt(at - 1));
                int end = at + t.length();
                boolean after = end >= args.length() || !Character.isDigit(args.charAt(end));
                if (before && after) {
                    mentioning = s.index();
                    break;
                }
            }
        }
        return mentioning >= 0 ? mentioning : last;
    }
}
