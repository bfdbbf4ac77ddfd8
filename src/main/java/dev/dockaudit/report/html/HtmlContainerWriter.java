package dev.dockaudit.report.html;

import dev.dockaudit.report.Category;
import dev.dockaudit.report.ContainerReport;
import dev.dockaudit.report.ContainerReportWriter;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Report;
import dev.dockaudit.report.Severity;
import dev.dockaudit.report.ToolInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dockaudit container --format html}: the daemon, then each container with its runtime findings and a summary of
 * its image's, then each distinct image's full audit once (as the JSON report does: many containers of one image do not
 * repeat its vulnerabilities). One filter bar above filters every findings table of the page.
 */
public final class HtmlContainerWriter implements ContainerReportWriter {

    @Override
    public void write(ContainerReport report, OutputStream out) throws IOException {
        out.write(render(report).getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public static String render(ContainerReport report) {
        HtmlOut o = new HtmlOut();
        ContainerReport.Daemon d = report.daemon();
        HtmlPage.begin(o, "dockaudit container " + d.host(), "Containers on " + d.engine() + " at " + d.host(),
                "dockaudit container report · " + ToolInfo.NAME + " " + ToolInfo.VERSION);
        List<Finding> all = report.allFindings();
        ReportSections.summary(o, "summary", ContainerReport.bySeverity(all), ContainerReport.byCategory(all), all.size());
        EnumSet<Category> categories = EnumSet.noneOf(Category.class);
        all.forEach(f -> categories.add(f.category()));
        if (!all.isEmpty()) {
            ReportSections.controls(o, categories, all.size());
        }
        Map<String, String> anchors = imageAnchors(report);

        o.open("section", "id", "daemon").nl();
        o.el("h2", "Daemon");
        o.open("dl", "class", "facts");
        ReportSections.fact(o, "Engine", d.engine() + " " + nz(d.version()) + " (API " + nz(d.apiVersion()) + ")", false);
        ReportSections.fact(o, "Host", d.host(), true);
        ReportSections.fact(o, "OS", d.os(), false);
        ReportSections.fact(o, "Swarm", d.swarm(), false);
        ReportSections.fact(o, "Security options", d.securityOptions().isEmpty() ? "none" : String.join("\n", d.securityOptions()), true);
        ReportSections.fact(o, "Live restore", d.liveRestore() == null ? "unknown" : d.liveRestore() ? "on" : "off", false);
        ReportSections.fact(o, "User namespace remap", d.userNamespaceRemap() ? "on" : "off", false);
        ReportSections.fact(o, "Rootless", d.rootless() ? "yes" : "no", false);
        o.close("dl").nl();
        o.el("h3", "Daemon findings");
        ReportSections.findings(o, sorted(d.findings()), Map.of());
        o.close("section").nl();

        o.open("section", "id", "containers").nl();
        o.el("h2", "Containers (" + report.containers().size() + ")");
        if (report.containers().isEmpty()) {
            o.el("p", "No containers.", "class", "muted");
        }
        for (ContainerReport.Container c : report.containers()) {
            o.open("section", "class", "container-section", "id", "container-" + ReportSections.shortDigest(c.id())).nl();
            o.el("h3", c.name() != null ? c.name() : ReportSections.shortDigest(c.id()));
            o.open("dl", "class", "facts");
            ReportSections.fact(o, "ID", c.id(), true);
            ReportSections.fact(o, "Image", c.image(), true);
            ReportSections.fact(o, "Image ID", c.imageId(), true);
            ReportSections.fact(o, "State", c.state(), false);
            ReportSections.fact(o, "Error", c.error(), false);
            o.close("dl");
            o.el("h4", "Runtime findings");
            ReportSections.findings(o, c.findings(), Map.of());
            o.el("h4", "Image findings");
            ContainerReport.ImageAudit ia = report.image(c.imageId());
            if (ia == null || ia.report() == null) {
                o.el("p", ia == null || ia.error() == null ? "The image was not audited." : "The image could not be audited: "
                        + ia.error(), "class", "muted");
            } else {
                Map<Severity, Integer> counts = ContainerReport.bySeverity(ia.report().findings());
                List<String> parts = new ArrayList<>();
                counts.forEach((s, n) -> {
                    if (n > 0) {
                        parts.add(n + " " + s.name());
                    }
                });
                o.open("p").text(ia.report().findings().size() + " findings" + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")")
                        + ", listed once under ").el("a", "its image", "href", "#" + anchors.get(ia.id())).text(".").close("p");
            }
            ReportSections.notes(o, null, c.notes(), 4);
            o.close("section").nl();
        }
        o.close("section").nl();

        o.open("section", "id", "images").nl();
        o.el("h2", "Images (" + report.images().size() + ")");
        for (ContainerReport.ImageAudit ia : report.images()) {
            String a = anchors.get(ia.id());
            o.open("section", "class", "page", "id", a).nl();
            o.el("h3", ia.report() != null ? ia.report().image().reference().original() : ia.id());
            List<String> names = new ArrayList<>();
            for (ContainerReport.Container c : report.containers()) {
                if (ia.containerIds().contains(c.id())) {
                    names.add(c.name() != null ? c.name() : ReportSections.shortDigest(c.id()));
                }
            }
            o.open("p").text("Run by: " + (names.isEmpty() ? String.join(", ", ia.containerIds()) : String.join(", ", names))).close("p");
            Report r = ia.report();
            if (r == null) {
                o.el("p", ia.error() == null ? "Not audited." : "Not audited: " + ia.error(), "class",
                        ia.error() == null ? "muted" : "bad");
            } else {
                List<Finding> findings = r.findings();
                ReportSections.identity(o, a + "-identity", r, 4);
                ReportSections.trust(o, a + "-trust", r, 4);
                ReportSections.layers(o, a + "-layers", r, findings, 4);
                o.el("h4", "Findings (" + findings.size() + ")");
                ReportSections.findings(o, findings, ReportSections.layerIndex(r.image()));
                ReportSections.packages(o, a + "-packages", r, 4);
                ReportSections.notes(o, a + "-notes", r.notes(), 4);
            }
            o.close("section").nl();
        }
        o.close("section").nl();
        ContainerReport.Stats s = report.stats();
        List<String> notes = new ArrayList<>(report.notes());
        if (s != null) {
            // counts only: the timings would make two runs of the same audit differ
            notes.add(s.containers() + " container(s), " + s.distinctImages() + " distinct image(s), " + s.imagesAudited()
                    + " audited");
        }
        ReportSections.notes(o, "notes", notes, 2);
        HtmlPage.end(o);
        return o.toString();
    }

    private static Map<String, String> imageAnchors(ContainerReport report) {
        Map<String, String> m = new HashMap<>();
        int i = 0;
        for (ContainerReport.ImageAudit ia : report.images()) {
            m.put(ia.id(), "image-" + (ia.id() == null ? Integer.toString(i) : ReportSections.shortDigest(ia.id())));
            i++;
        }
        return m;
    }

    private static List<Finding> sorted(List<Finding> findings) {
        List<Finding> out = new ArrayList<>(findings);
        out.sort(java.util.Comparator.comparing(Finding::severity).thenComparing(Finding::category).thenComparing(Finding::id));
        return out;
    }

    private static String nz(String s) {
        return s == null ? "?" : s;
    }
}
