package dev.dockaudit.check.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.report.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Limits and lifecycle: memory, CPU, PIDs, ulimits, cgroup parent, restart policy. */
final class ResourceChecks {
    private ResourceChecks() {
    }

    static final RuntimeCheck MEMORY = new RuntimeCheck("RT-NO-MEMORY-LIMIT", "5.11", Severity.MEDIUM,
            "No memory limit",
            "The container may use all of the host's memory; one leak or attack can starve every other container and"
                    + " the host itself.",
            "Set a memory limit (--memory, e.g. --memory 512m).") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            Long memory = c.number("HostConfig.Memory");
            if (memory == null) {
                undecidable(out, "HostConfig.Memory is missing");
            } else if (memory <= 0) {
                out.add(finding(evidence(c, "HostConfig.Memory")));
            }
        }
    };

    static final RuntimeCheck CPU = new RuntimeCheck("RT-NO-CPU-LIMIT", "5.12", Severity.LOW,
            "No CPU limit or priority",
            "The container has neither a CPU limit (--cpus, --cpu-quota, --cpuset-cpus) nor a relative weight"
                    + " (--cpu-shares), so it competes for the CPUs as an equal of everything else on the host.",
            "Set --cpus (a limit) or --cpu-shares (a relative priority) for the container.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            Long shares = c.number("HostConfig.CpuShares");
            Long nano = c.number("HostConfig.NanoCpus");
            Long quota = c.number("HostConfig.CpuQuota");
            String cpuset = c.text("HostConfig.CpusetCpus");
            if (shares == null && nano == null && quota == null && cpuset == null) {
                undecidable(out, "HostConfig has none of CpuShares, NanoCpus, CpuQuota, CpusetCpus");
                return;
            }
            boolean weighted = shares != null && shares != 0 && shares != 1024;
            boolean limited = (nano != null && nano > 0) || (quota != null && quota > 0) || (cpuset != null && !cpuset.isEmpty());
            if (!weighted && !limited) {
                out.add(finding("HostConfig.CpuShares=" + shares + ", NanoCpus=" + nano + ", CpuQuota=" + quota
                        + ", CpusetCpus=\"" + (cpuset == null ? "" : cpuset) + "\""));
            }
        }
    };

    static final RuntimeCheck PIDS = new RuntimeCheck("RT-NO-PIDS-LIMIT", "5.29", Severity.MEDIUM,
            "No PIDs limit",
            "The container may create processes without limit: a fork bomb in it exhausts the host's process table.",
            "Set --pids-limit (e.g. --pids-limit 200).") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if (!c.has("HostConfig") || !c.node("HostConfig").isObject()) {
                undecidable(out, "HostConfig is missing");
                return;
            }
            Long limit = c.number("HostConfig.PidsLimit"); // null (docker's default), 0 and -1 all mean unlimited
            if (limit == null || limit <= 0) {
                out.add(finding(evidence(c, "HostConfig.PidsLimit")));
            }
        }
    };

    static final RuntimeCheck ULIMITS = new RuntimeCheck("RT-ULIMIT-OVERRIDE", "5.19", Severity.LOW,
            "Default ulimits overridden",
            "The container overrides the daemon's default ulimits (--ulimit). CIS recommends overriding them only where"
                    + " needed: a raised limit (open files, processes) weakens the host's protection against one"
                    + " container exhausting it.",
            "Remove --ulimit unless the application needs it, and set the defaults once on the daemon"
                    + " (--default-ulimit).") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if (c.podman()) {
                // Podman copies containers.conf's default_ulimits into every container's HostConfig.Ulimits, so the
                // list cannot tell an override from the defaults; the recorded podman command line can.
                List<String> asked = CommandLines.options(c, "--ulimit");
                if (!asked.isEmpty()) {
                    out.add(finding(Severity.LOW, "Default ulimits overridden: " + String.join(", ", asked),
                            "Config.CreateCommand: --ulimit " + String.join(" --ulimit ", asked) + " ("
                                    + evidence(c, "HostConfig.Ulimits") + ")"));
                } else if (c.createCommand() == null && !c.objects("HostConfig.Ulimits").isEmpty()) {
                    undecidable(out, "Podman lists its default ulimits as the container's own and keeps no create"
                            + " command for containers made through the Docker API");
                }
                return;
            }
            List<String> limits = new ArrayList<>();
            for (JsonNode u : c.objects("HostConfig.Ulimits")) {
                limits.add(u.path("Name").asText("?").toLowerCase(Locale.ROOT) + "=" + u.path("Soft").asText("?") + ":"
                        + u.path("Hard").asText("?"));
            }
            if (!limits.isEmpty()) {
                out.add(finding(Severity.LOW, "Default ulimits overridden: " + String.join(", ", limits),
                        evidence(c, "HostConfig.Ulimits")));
            }
        }
    };

    static final RuntimeCheck CGROUP_PARENT = new RuntimeCheck("RT-CGROUP-PARENT", "5.25", Severity.LOW,
            "Custom cgroup parent",
            "The container is placed under a cgroup parent of its own choosing (--cgroup-parent) instead of the"
                    + " daemon's; the limits that apply to it are those of that cgroup, which may be none.",
            "Confirm the cgroup parent is intended and limited, or remove --cgroup-parent.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            String parent = c.text("HostConfig.CgroupParent");
            if (parent == null) {
                if (!c.has("HostConfig.CgroupParent")) {
                    undecidable(out, "HostConfig.CgroupParent is missing");
                }
            } else if (!parent.isEmpty()) {
                out.add(finding(evidence(c, "HostConfig.CgroupParent")));
            }
        }
    };

    static final RuntimeCheck RESTART = new RuntimeCheck("RT-RESTART-POLICY", "5.15", Severity.LOW,
            "Restart policy without a retry limit",
            "The container restarts without limit (always, unless-stopped, or on-failure with no or a high maximum), so"
                    + " a crashing or attacked container keeps restarting and can tie up the host.",
            "Use --restart on-failure:5 (CIS 5.15), or no restart policy.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if (!c.node("HostConfig.RestartPolicy").isObject()) {
                if (!c.has("HostConfig.RestartPolicy")) {
                    undecidable(out, "HostConfig.RestartPolicy is missing");
                }
                return;
            }
            String name = c.text("HostConfig.RestartPolicy.Name");
            String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
            Long max = c.number("HostConfig.RestartPolicy.MaximumRetryCount");
            boolean unlimited = n.equals("always") || n.equals("unless-stopped")
                    || (n.equals("on-failure") && (max == null || max <= 0 || max > 5));
            if (unlimited) {
                out.add(finding(evidence(c, "HostConfig.RestartPolicy")));
            }
        }
    };

    static List<RuntimeCheck> all() {
        return List.of(MEMORY, CPU, PIDS, ULIMITS, CGROUP_PARENT, RESTART);
    }
}
