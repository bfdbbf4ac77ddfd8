package dev.dockaudit.check.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the daemon says about itself ({@code GET /info}, {@code GET /version}) that changes how a container's
 * settings read: swarm mode, user-namespace remapping, rootless mode, live restore, the security options in use
 * (seccomp, AppArmor, SELinux), and which default bridge networks exist.
 *
 * @param engine          "Docker" or "Podman"
 * @param version         the server version ("20.10.24+dfsg1", "4.3.1"), or null
 * @param apiVersion      the Engine API version in use
 * @param host            where the daemon listens (DOCKER_HOST spelling)
 * @param os              the host's operating system, or null
 * @param swarm           Swarm.LocalNodeState ("inactive", "active", …), or null when not reported
 * @param securityOptions SecurityOptions as /info lists them ("name=seccomp,profile=default", "name=userns", …)
 * @param liveRestore     LiveRestoreEnabled, or null when not reported
 * @param defaultBridges  names of the default bridge networks that exist on the daemon ("bridge", "podman")
 */
public record DaemonFacts(String engine, String version, String apiVersion, String host, String os, String swarm,
                          List<String> securityOptions, Boolean liveRestore, Set<String> defaultBridges) {

    public DaemonFacts {
        securityOptions = securityOptions == null ? List.of() : List.copyOf(securityOptions);
        defaultBridges = defaultBridges == null ? Set.of() : Set.copyOf(defaultBridges);
    }

    /** From the /info and /version documents (either may be null). */
    public static DaemonFacts of(String engine, String apiVersion, String host, JsonNode info, JsonNode version,
                                 Set<String> defaultBridges) {
        List<String> opts = new ArrayList<>();
        if (info != null && info.path("SecurityOptions").isArray()) {
            info.path("SecurityOptions").forEach(o -> opts.add(o.asText()));
        }
        String v = version != null && version.hasNonNull("Version") ? version.get("Version").asText()
                : info != null && info.hasNonNull("ServerVersion") ? info.get("ServerVersion").asText() : null;
        String swarm = info != null && info.path("Swarm").hasNonNull("LocalNodeState")
                ? info.path("Swarm").get("LocalNodeState").asText() : null;
        Boolean live = info != null && info.path("LiveRestoreEnabled").isBoolean() ? info.get("LiveRestoreEnabled").asBoolean() : null;
        String os = info != null && info.hasNonNull("OperatingSystem") ? info.get("OperatingSystem").asText() : null;
        return new DaemonFacts(engine, v, apiVersion, host, os, swarm, opts, live, defaultBridges);
    }

    public boolean podman() {
        return "Podman".equals(engine);
    }

    /** Whether SecurityOptions has {@code name=NAME} (seccomp, apparmor, selinux, userns, rootless, cgroupns). */
    public boolean securityOption(String name) {
        String want = "name=" + name.toLowerCase(Locale.ROOT);
        for (String o : securityOptions) {
            String first = o.split(",", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (first.equals(want)) {
                return true;
            }
        }
        return false;
    }

    public boolean appArmor() {
        return securityOption("apparmor");
    }

    public boolean selinux() {
        return securityOption("selinux");
    }

    /** User-namespace remapping (dockerd --userns-remap). */
    public boolean usernsRemap() {
        return securityOption("userns");
    }

    public boolean rootless() {
        return securityOption("rootless");
    }

    /** Whether /info answered at all (SecurityOptions is a list even when empty). */
    public boolean known() {
        return version != null || swarm != null || !securityOptions.isEmpty();
    }
}
