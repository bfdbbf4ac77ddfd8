package dev.dockaudit.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The container report as one SARIF run: the daemon's findings point at {@code daemon/ENGINE}, each container's at
 * {@code container/NAME}, and each image's (once per image) at {@code image/NAME}, with paths inside an image under
 * its URI. Container names are unique on a daemon, so every result keeps a stable fingerprint.
 */
public final class ContainerSarifWriter implements ContainerReportWriter {

    @Override
    public void write(ContainerReport report, OutputStream out) throws IOException {
        out.write(Json.MAPPER.writeValueAsBytes(toSarif(report)));
        out.write('\n');
        out.flush();
    }

    public static com.fasterxml.jackson.databind.node.ObjectNode toSarif(ContainerReport report) {
        List<SarifWriter.Located> located = new ArrayList<>();
        String daemonUri = "daemon/" + SarifWriter.encodePath(report.daemon().engine().toLowerCase(java.util.Locale.ROOT),
                "engine");
        String daemonName = report.daemon().engine() + (report.daemon().host() == null ? "" : " at " + report.daemon().host());
        report.daemon().findings().stream().sorted(ContainerReport.ORDER)
                .forEach(f -> located.add(new SarifWriter.Located(f, daemonUri, false, daemonName, "daemon")));
        for (ContainerReport.Container c : report.containers()) {
            String uri = "container/" + SarifWriter.encodePath(c.name() == null ? ContainerTableWriter.shortId(c.id())
                    : c.name(), "container");
            String name = c.name() == null ? c.id() : c.name();
            c.findings().forEach(f -> located.add(new SarifWriter.Located(f, uri, true, name, "container")));
        }
        for (ContainerReport.ImageAudit i : report.images()) {
            if (i.report() != null) {
                String uri = "image/" + SarifWriter.encodePath(SarifWriter.imageName(i.report().image()), "image");
                String name = i.report().image().reference().original();
                i.report().findings().forEach(f -> located.add(new SarifWriter.Located(f, uri, true, name, "image")));
            }
        }
        List<String> notes = new ArrayList<>(report.notes());
        report.containers().forEach(c -> c.notes().forEach(n -> notes.add(c.name() + ": " + n)));
        return SarifWriter.toSarif(located, notes, ToolInfo.NAME + "/containers/" + daemonUri + "/", props -> {
            props.put("engine", report.daemon().engine());
            props.put("engineVersion", report.daemon().version());
            props.put("host", report.daemon().host());
            ArrayNode containers = props.putArray("containers");
            for (ContainerReport.Container c : report.containers()) {
                containers.addObject().put("id", c.id()).put("name", c.name()).put("image", c.image())
                        .put("imageId", c.imageId());
            }
        });
    }
}
