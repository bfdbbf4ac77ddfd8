package dev.dockaudit.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The human container report: the daemon, then one section per container (its runtime findings and a line on its
 * image's findings), then each distinct image's full report once, then a summary.
 */
public final class ContainerTableWriter implements ContainerReportWriter, Styled {
    private TextStyle style = TextStyle.PLAIN;

    @Override
    public void style(TextStyle s) {
        style = s;
    }

    @Override
    public void write(ContainerReport report, OutputStream os) throws IOException {
        PrintStream out = new PrintStream(os, false, StandardCharsets.UTF_8);
        TextStyle style = this.style;
        ContainerReport.Daemon d = report.daemon();
        out.println(style.bold(style.fit(clean(d.engine() + " " + nz(d.version()) + " (Engine API " + nz(d.apiVersion()) + ") at "
                + d.host()))));
        out.println();
        TableReportWriter.row(out, style, "OS", nz(d.os()));
        TableReportWriter.row(out, style, "Security", d.securityOptions().isEmpty() ? "<none>" : String.join("; ", d.securityOptions()));
        TableReportWriter.row(out, style, "Swarm", nz(d.swarm()));
        TableReportWriter.row(out, style, "User ns", (d.userNamespaceRemap() ? "remapped" : "not remapped") + (d.rootless() ? ", rootless" : ", rootful")
                + (d.liveRestore() == null ? "" : d.liveRestore() ? ", live restore on" : ", live restore off"));
        out.println();
        findings(out, style, "Daemon findings", d.findings());

        for (ContainerReport.Container c : report.containers()) {
            out.println();
            String title = style.fit(clean("Container " + c.name() + " (" + shortId(c.id()) + ", " + nz(c.state()) + ")  image "
                    + nz(c.image()) + (c.imageId() == null ? "" : " (" + shortId(c.imageId()) + ")")));
            out.println(style.bold(title));
            out.println("-".repeat(Math.min(style.width(), title.length())));
            if (c.error() != null) {
                style.printWrapped(out, "not audited: ", 13, clean(c.error()));
            } else {
                findings(out, style, "Runtime findings", c.findings());
            }
            ContainerReport.ImageAudit image = report.image(c.imageId());
            if (image != null && image.report() != null) {
                List<Finding> fs = image.report().findings();
                out.println(style.fit("Image findings: " + (fs.isEmpty() ? "none" : fs.size() + " (" + counts(fs) + ")")
                        + "; the image is reported once below"));
            } else if (image != null && image.error() != null) {
                style.printWrapped(out, "Image not audited: ", 19, clean(image.error()));
            }
            TableReportWriter.notes(out, style, c.notes());
        }

        for (ContainerReport.ImageAudit image : report.images()) {
            if (image.report() == null) {
                continue;
            }
            out.println();
            out.println(style.bold(style.fit(clean("Image " + image.id() + ", run by " + image.containerIds().size() + " container"
                    + (image.containerIds().size() == 1 ? "" : "s") + ": " + names(report, image.containerIds())))));
            out.println("=".repeat(Math.min(80, style.width())));
            out.flush();
            TableReportWriter images = new TableReportWriter();
            images.style(style);
            images.write(image.report(), os);
        }

        // the one-line summary (counts, exit code) is the command's: it knows --fail-on
        if (!report.notes().isEmpty()) {
            out.println();
        }
        TableReportWriter.notes(out, style, report.notes());
        out.flush();
    }

    private static void findings(PrintStream out, TextStyle style, String label, List<Finding> unsorted) {
        List<Finding> fs = unsorted.stream().sorted(ContainerReport.ORDER).toList();
        out.println(style.bold(label + ": " + (fs.isEmpty() ? "none" : fs.size() + " (" + counts(fs) + ")")));
        List<String[]> rows = new ArrayList<>();
        List<Severity> severities = new ArrayList<>();
        for (Finding f : fs) {
            severities.add(f.severity());
            String[] row = {f.severity().name(), clean(f.id()), clean(f.title()) + (f.cis() == null ? "" : "  [CIS " + f.cis() + "]")};
            rows.add(row);
        }
        // one line per finding with its evidence and fix beneath, so a container's settings read as a checklist
        for (int i = 0; i < fs.size(); i++) {
            Finding f = fs.get(i);
            String line = style.fit(String.format("  %-8s %-24s %s", rows.get(i)[0], rows.get(i)[1], rows.get(i)[2]));
            String name = f.severity().name();
            out.println(style.colour() ? "  " + style.paint(f.severity(), name) + line.substring(2 + name.length()) : line);
            if (f.evidence() != null) {
                style.printWrapped(out, "           evidence: ", 21, clean(f.evidence()));
            }
            if (f.remediation() != null) {
                style.printWrapped(out, "           fix: ", 16, clean(f.remediation()));
            }
        }
    }

    private static String counts(List<Finding> fs) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Severity, Integer> e : ContainerReport.bySeverity(fs).entrySet()) {
            if (e.getValue() > 0) {
                b.append(b.length() == 0 ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey());
            }
        }
        return b.toString();
    }

    private static String names(ContainerReport report, List<String> ids) {
        StringBuilder b = new StringBuilder();
        for (ContainerReport.Container c : report.containers()) {
            if (ids.contains(c.id())) {
                b.append(b.length() == 0 ? "" : ", ").append(c.name());
            }
        }
        return b.toString();
    }

    static String shortId(String id) {
        if (id == null) {
            return "?";
        }
        String s = id.startsWith("sha256:") ? id.substring(7) : id;
        return s.length() > 12 ? s.substring(0, 12) : s;
    }

    private static String nz(String s) {
        return s == null ? "?" : s;
    }

    private static String clean(String s) {
        return TableReportWriter.clean(s);
    }
}
