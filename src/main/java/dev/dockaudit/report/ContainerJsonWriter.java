package dev.dockaudit.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * The container report as JSON (DESIGN.md: {@code "containers": [{"id", "name", "image", "findings": […]}]}): the
 * daemon with its findings, each container with its runtime findings and a link ({@code imageId}) to its image's
 * audit, and under {@code images} each distinct image's full report (the shape of {@code dockaudit image
 * --format json}) once, with the containers that run it.
 */
public final class ContainerJsonWriter implements ContainerReportWriter {

    @Override
    public void write(ContainerReport report, OutputStream out) throws IOException {
        out.write(Json.MAPPER.writeValueAsBytes(toJson(report)));
        out.write('\n');
        out.flush();
    }

    public static ObjectNode toJson(ContainerReport report) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schemaVersion", JsonReportWriter.SCHEMA_VERSION);
        ObjectNode tool = root.putObject("tool");
        tool.put("name", ToolInfo.NAME);
        tool.put("version", ToolInfo.VERSION);
        ContainerReport.Daemon d = report.daemon();
        ObjectNode target = root.putObject("target");
        target.put("reference", d.host());
        target.put("source", d.engine().equals("Podman") ? "podman" : "docker-engine");

        ObjectNode daemon = root.putObject("daemon");
        daemon.put("engine", d.engine());
        daemon.put("version", d.version());
        daemon.put("apiVersion", d.apiVersion());
        daemon.put("host", d.host());
        daemon.put("os", d.os());
        daemon.put("swarm", d.swarm());
        ArrayNode opts = daemon.putArray("securityOptions");
        d.securityOptions().forEach(opts::add);
        daemon.put("userNamespaceRemap", d.userNamespaceRemap());
        daemon.put("rootless", d.rootless());
        if (d.liveRestore() == null) {
            daemon.putNull("liveRestore");
        } else {
            daemon.put("liveRestore", d.liveRestore());
        }
        findings(daemon.putArray("findings"), d.findings());

        ArrayNode containers = root.putArray("containers");
        for (ContainerReport.Container c : report.containers()) {
            ObjectNode n = containers.addObject();
            n.put("id", c.id());
            n.put("name", c.name());
            n.put("image", c.image());
            n.put("imageId", c.imageId());
            n.put("state", c.state());
            findings(n.putArray("findings"), c.findings());
            ContainerReport.ImageAudit image = report.image(c.imageId());
            if (image != null && image.report() != null) {
                ObjectNode imageFindings = n.putObject("imageFindings");
                imageFindings.put("count", image.report().findings().size());
                counts(imageFindings.putObject("bySeverity"), ContainerReport.bySeverity(image.report().findings()));
            } else {
                n.putNull("imageFindings");
            }
            n.put("error", c.error());
            ArrayNode notes = n.putArray("notes");
            c.notes().forEach(notes::add);
        }

        ArrayNode images = root.putArray("images");
        for (ContainerReport.ImageAudit i : report.images()) {
            ObjectNode n = images.addObject();
            n.put("id", i.id());
            ArrayNode ids = n.putArray("containers");
            i.containerIds().forEach(ids::add);
            n.put("error", i.error());
            n.set("report", i.report() == null ? null : JsonReportWriter.toJson(i.report()));
        }

        List<Finding> all = report.allFindings();
        ObjectNode summary = root.putObject("summary");
        counts(summary.putObject("bySeverity"), ContainerReport.bySeverity(all));
        ObjectNode byCategory = summary.putObject("byCategory");
        ContainerReport.byCategory(all).forEach((k, v) -> byCategory.put(k.label(), v));
        ContainerReport.Stats s = report.stats();
        if (s != null) {
            ObjectNode stats = root.putObject("stats");
            stats.put("containers", s.containers());
            stats.put("distinctImages", s.distinctImages());
            stats.put("imagesAudited", s.imagesAudited());
            stats.put("runtimeMillis", s.runtimeMillis());
            stats.put("imageAuditMillis", s.imageAuditMillis());
        }
        ArrayNode notes = root.putArray("notes");
        report.notes().forEach(notes::add);
        return root;
    }

    private static void findings(ArrayNode arr, List<Finding> findings) {
        findings.stream().sorted(ContainerReport.ORDER).forEach(f -> arr.add(JsonReportWriter.finding(f)));
    }

    private static void counts(ObjectNode n, Map<Severity, Integer> counts) {
        counts.forEach((k, v) -> n.put(k.name(), v));
    }
}
