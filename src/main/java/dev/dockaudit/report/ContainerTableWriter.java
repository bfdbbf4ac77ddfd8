package dev.dockaudit.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The human container report: the daemon, then one section per container (its runtime findings and a line on its
 * image's findings), then each distinct image's full report once, then a summary.
 */
public final class ContainerTableWriter implements ContainerReportWriter {

    @Override
    public void write(ContainerReport report, OutputStream os) throws IOException {
        PrintStream out = new PrintStream(os, false, StandardCharsets.UTF_8);
        ContainerReport.Daemon d = report.daemon();
        out.println(clean(d.engine() + " " + nz(d.version()) + " (Engine API " + nz(d.apiVersion()) + ") at " + d.host()));
        out.println();
        row(out, "OS", nz(d.os()));
        row(out, "Security", d.securityOptions().isEmpty() ? "<none>" : String.join("; ", d.securityOptions()));
        row(out, "Swarm", nz(d.swarm()));
        row(out, "User ns", (d.userNamespaceRemap() ? "remapped" : "not remapped") + (d.rootless() ? ", rootless" : ", rootful")
                + (d.liveRestore() == null ? "" : d.liveRestore() ? ", live restore on" : ", live restore off"));
        out.println();
        findings(out, "Daemon findings", d.findings());

        for (ContainerReport.Container c : report.containers()) {
            out.println();
            out.println(clean("Container " + c.name() + " (" + shortId(c.id()) + ", " + nz(c.state()) + ")  image "
                    + nz(c.image()) + (c.imageId() == null ? "" : " (" + shortId(c.imageId()) + ")")));
            out.println("-".repeat(Math.min(100, 10 + nz(c.name()).length() + nz(c.image()).length() + 30)));
            if (c.error() != null) {
                out.println("not audited: " + clean(c.error()));
            } else {
                findings(out, "Runtime findings", c.findings());
            }
            ContainerReport.ImageAudit image = report.image(c.imageId());
            if (image != null && image.report() != null) {
                List<Finding> fs = image.report().findings();
                out.println("Image findings: " + (fs.isEmpty() ? "none" : fs.size() + " (" + counts(fs) + ")")
                        + "; the image is reported once below");
            } else if (image != null && image.error() != null) {
                out.println("Image not audited: " + clean(image.error()));
            }
            for (String n : c.notes()) {
                out.println("note: " + clean(n));
            }
        }

        for (ContainerReport.ImageAudit image : report.images()) {
            if (image.report() == null) {
                continue;
            }
            out.println();
            out.println(clean("Image " + image.id() + ", run by " + image.containerIds().size() + " container"
                    + (image.containerIds().size() == 1 ? "" : "s") + ": " + names(report, image.containerIds())));
            out.println("=".repeat(80));
            out.flush();
            new TableReportWriter().write(image.report(), os);
        }

        out.println();
        List<Finding> all = report.allFindings();
        ContainerReport.Stats s = report.stats();
        out.println("Summary: " + report.containers().size() + " container" + (report.containers().size() == 1 ? "" : "s")
                + ", " + report.images().size() + " distinct image" + (report.images().size() == 1 ? "" : "s")
                + (s == null ? "" : " (" + s.imagesAudited() + " audited)") + "; findings: "
                + (all.isEmpty() ? "none" : all.size() + " (" + counts(all) + ")"));
        for (String n : report.notes()) {
            out.println("note: " + clean(n));
        }
        out.flush();
    }

    private static void findings(PrintStream out, String label, List<Finding> unsorted) {
        List<Finding> fs = unsorted.stream().sorted(ContainerReport.ORDER).toList();
        out.println(label + ": " + (fs.isEmpty() ? "none" : fs.size() + " (" + counts(fs) + ")"));
        for (Finding f : fs) {
            out.printf("  %-8s %-24s %s%s%n", f.severity(), clean(f.id()), clean(f.title()),
                    f.cis() == null ? "" : "  [CIS " + f.cis() + "]");
            if (f.evidence() != null) {
                out.println("           evidence: " + clean(f.evidence()));
            }
            if (f.remediation() != null) {
                out.println("           fix: " + clean(f.remediation()));
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

    private static void row(PrintStream out, String key, String value) {
        out.printf("%-13s %s%n", key, clean(value));
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
