package dev.dockaudit.report.html;

import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Report;
import dev.dockaudit.report.ReportWriter;
import dev.dockaudit.report.ToolInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;

/**
 * {@code --format html}: the report as one self-contained page (styles, script and charts inline, nothing fetched) that
 * opens offline from a mail attachment or a CI artifact. Without scripts every finding is visible, most severe first;
 * with them the findings table can be filtered and sorted. The same report always gives the same bytes.
 */
public final class HtmlReportWriter implements ReportWriter {
    private final dev.dockaudit.check.history.HistoryReport history;
    private final int wastedFiles;

    public HtmlReportWriter() {
        this(null, 0);
    }

    /** The page with the build history section ({@code dockaudit history}): every step, efficiency, wasted files. */
    public HtmlReportWriter(dev.dockaudit.check.history.HistoryReport history, int wastedFiles) {
        this.history = history;
        this.wastedFiles = wastedFiles;
    }

    @Override
    public void write(Report report, OutputStream out) throws IOException {
        out.write(render(report, history, wastedFiles).getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public static String render(Report report) {
        return render(report, null, 0);
    }

    static String render(Report report, dev.dockaudit.check.history.HistoryReport history, int wastedFiles) {
        HtmlOut o = new HtmlOut();
        String ref = report.image().reference().original();
        HtmlPage.begin(o, "dockaudit " + report.command() + " " + ref, ref,
                "dockaudit " + report.command() + " report · " + ToolInfo.NAME + " " + ToolInfo.VERSION);
        List<Finding> findings = report.findings();
        ReportSections.summary(o, "summary", report.bySeverity(), report.byCategory(), findings.size());
        ReportSections.identity(o, "image", report, 2);
        ReportSections.trust(o, "trust", report, 2);
        ReportSections.layers(o, "layers", report, findings, 2);
        if (history != null) {
            HistorySection.render(o, history, findings, wastedFiles);
        }
        o.open("section", "id", "findings").nl();
        o.el("h2", "Findings");
        EnumSet<dev.dockaudit.report.Category> categories = EnumSet.noneOf(dev.dockaudit.report.Category.class);
        findings.forEach(f -> categories.add(f.category()));
        if (!findings.isEmpty()) {
            ReportSections.controls(o, categories, findings.size());
        }
        ReportSections.findings(o, findings, ReportSections.layerIndex(report.image()));
        o.close("section").nl();
        ReportSections.packages(o, "packages", report, 2);
        ReportSections.notes(o, "notes", report.notes(), 2);
        HtmlPage.end(o);
        return o.toString();
    }
}
