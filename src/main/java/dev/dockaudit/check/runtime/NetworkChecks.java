package dev.dockaudit.check.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.report.Severity;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Published ports and networks: privileged host ports, ports on every interface, the default bridge. */
final class NetworkChecks {
    private NetworkChecks() {
    }

    /** One published port: the container's port ("80/tcp"), the host address ("" is every interface) and host port. */
    record Published(String containerPort, String hostIp, String hostPort) {
        String describe() {
            String ip = hostIp.isEmpty() ? "0.0.0.0" : hostIp;
            return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + (hostPort.isEmpty() ? "(random)" : hostPort) + "->"
                    + containerPort;
        }

        boolean allInterfaces() {
            return hostIp.isEmpty() || hostIp.equals("0.0.0.0") || hostIp.equals("::") || hostIp.equals("[::]");
        }

        /** The lowest host port of the binding (a range "80-90" counts from its start); -1 when random. */
        int lowestHostPort() {
            String p = hostPort.strip();
            int dash = p.indexOf('-');
            try {
                return Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }

    /**
     * The published ports: what the daemon bound (NetworkSettings.Ports, with the ports it picked for -P) and what
     * was asked for (HostConfig.PortBindings, which a created or stopped container still has).
     */
    static List<Published> published(ContainerFacts c) {
        Set<Published> out = new LinkedHashSet<>();
        for (String field : new String[] {"NetworkSettings.Ports", "HostConfig.PortBindings"}) {
            JsonNode ports = c.node(field);
            if (!ports.isObject()) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = ports.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isArray()) {
                    continue; // an exposed port that is not published: "80/tcp": null
                }
                for (JsonNode b : e.getValue()) {
                    String hostPort = b.path("HostPort").asText("");
                    if (field.equals("HostConfig.PortBindings") && hostPort.isEmpty()) {
                        continue; // -P asks for a random port; NetworkSettings.Ports has the real one when it runs
                    }
                    out.add(new Published(e.getKey(), b.path("HostIp").asText(""), hostPort));
                }
            }
        }
        return new ArrayList<>(out);
    }

    private static boolean hostNetwork(ContainerFacts c) {
        return "host".equalsIgnoreCase(c.text("HostConfig.NetworkMode"));
    }

    private static boolean portsKnown(ContainerFacts c) {
        return c.has("HostConfig.PortBindings") || c.has("NetworkSettings.Ports")
                || c.node("HostConfig").isObject() && c.node("NetworkSettings").isObject();
    }

    static final RuntimeCheck PRIVILEGED_PORT = new RuntimeCheck("RT-PRIVILEGED-PORT", "5.8", Severity.LOW,
            "Privileged host port mapped",
            "A container port is published on a host port below 1024, a range the host reserves for services run by"
                    + " root.",
            "Publish the service on a host port of 1024 or above, or put a reverse proxy in front of it.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if (hostNetwork(c)) {
                return; // published ports do not apply; RT-HOST-NETWORK says more
            }
            if (!portsKnown(c)) {
                undecidable(out, "neither HostConfig.PortBindings nor NetworkSettings.Ports is reported");
                return;
            }
            for (Published p : published(c)) {
                int port = p.lowestHostPort();
                if (port > 0 && port < 1024) {
                    out.add(finding(Severity.LOW, "Privileged host port mapped: " + port, "port " + p.describe()));
                }
            }
        }
    };

    static final RuntimeCheck ALL_INTERFACES = new RuntimeCheck("RT-PORT-ALL-INTERFACES", "5.14", Severity.MEDIUM,
            "Port published on every host interface",
            "A port is published on 0.0.0.0 (every interface of the host, the public ones included), where it is"
                    + " usually meant for one.",
            "Bind the port to the interface it serves: -p 127.0.0.1:8080:80 or -p 10.0.0.5:8080:80.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            if (hostNetwork(c)) {
                return;
            }
            if (!portsKnown(c)) {
                undecidable(out, "neither HostConfig.PortBindings nor NetworkSettings.Ports is reported");
                return;
            }
            Set<String> seen = new LinkedHashSet<>();
            for (Published p : published(c)) {
                if (p.allInterfaces() && seen.add(p.hostPort() + "->" + p.containerPort())) {
                    out.add(finding(Severity.MEDIUM, "Port published on every host interface: " + p.describe(),
                            "port " + p.describe() + " (HostIp=\"" + p.hostIp() + "\")"));
                }
            }
        }
    };

    static final RuntimeCheck DEFAULT_BRIDGE = new RuntimeCheck("RT-DEFAULT-BRIDGE", "5.30", Severity.LOW,
            "Container on the default bridge network",
            "The container is attached to the engine's default bridge (docker0, or Podman's \"podman\" network), where"
                    + " every container can reach every other one unfiltered.",
            "Attach the container to a user-defined network shared only with the containers it talks to.") {
        @Override
        public void check(ContainerFacts c, DaemonFacts d, Results out) {
            JsonNode networks = c.node("NetworkSettings.Networks");
            if (!networks.isObject()) {
                String mode = c.text("HostConfig.NetworkMode");
                if (mode == null || mode.equals("default") || mode.equals("bridge")) {
                    undecidable(out, "NetworkSettings.Networks is missing");
                }
                return;
            }
            for (Iterator<String> it = networks.fieldNames(); it.hasNext();) {
                String name = it.next();
                if (d.defaultBridges().contains(name)) {
                    out.add(finding("NetworkSettings.Networks: " + name + " (HostConfig.NetworkMode="
                            + c.text("HostConfig.NetworkMode") + ")"));
                }
            }
        }
    };

    static List<RuntimeCheck> all() {
        return List.of(PRIVILEGED_PORT, ALL_INTERFACES, DEFAULT_BRIDGE);
    }
}
