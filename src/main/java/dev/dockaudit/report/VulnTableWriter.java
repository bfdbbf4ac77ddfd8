package dev.dockaudit.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dockaudit vulns}: vulnerabilities grouped by package — installed version, the layer that brought the
 * package in, then one row per vulnerability with severity, id, fixed version and title.
 */
public final class VulnTableWriter implements ReportWriter, Styled {
    private TextStyle style = TextStyle.PLAIN;

    @Override
    public void style(TextStyle s) {
        style = s;
    }

    @Override
    public void write(Report report, OutputStream os) throws IOException {
        PrintStream out = new PrintStream(os, false, StandardCharsets.UTF_8);
        TextStyle style = this.style;
        out.println(style.bold(style.fit(TableReportWriter.clean(report.image().displayName()) + " (" + report.image().source() + ")")));
        style.printWrapped(out, "OS: ", 4, TableReportWriter.clean(PackagesTableWriter.describe(report.inventory() == null ? null
                : report.inventory().os())));
        out.println();
        Map<String, List<Finding>> byPackage = new LinkedHashMap<>();
        Map<String, Object> packages = new LinkedHashMap<>();
        List<Finding> other = new ArrayList<>();
        for (Finding f : report.findings()) {
            if (f.category() == Category.VULNERABILITY && f.pkg() != null) {
                String key = f.pkg().toString();
                byPackage.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
                packages.putIfAbsent(key, f.pkg());
            } else {
                other.add(f);
            }
        }
        int total = 0;
        for (Map.Entry<String, List<Finding>> e : byPackage.entrySet()) {
            Finding first = e.getValue().get(0);
            out.println(style.bold(style.fit(TableReportWriter.clean(header(first)))));
            List<String[]> rows = new ArrayList<>();
            List<Severity> severities = new ArrayList<>();
            for (Finding f : e.getValue()) {
                rows.add(new String[] {f.severity().name(), TableReportWriter.clean(f.id()),
                        f.fixedVersion() == null ? "(no fix yet)" : TableReportWriter.clean(f.fixedVersion()),
                        TableReportWriter.clean(oneLine(f.title(), 2000))});
                severities.add(f.severity());
                total++;
            }
            style.severityTable(out, rows, severities, 2, false);
            out.println();
        }
        String counts = TableReportWriter.counts(report.bySeverity(), null);
        out.println(style.bold("Vulnerabilities: " + (total == 0 ? "none found" : total + " in " + byPackage.size() + " packages")
                + (counts.length() > 0 ? " (" + counts + ")" : "")));
        // findings that are not about one package (end-of-life OS, database notes) keep the category layout
        if (!other.isEmpty()) {
            TableReportWriter.findingGroups(out, other, style);
        }
        TableReportWriter.notes(out, style, report.notes());
        out.flush();
    }

    private static String header(Finding f) {
        StringBuilder b = new StringBuilder();
        if (f.pkg() instanceof dev.dockaudit.vuln.match.VulnFindings.PackageRef p) {
            b.append(p.name()).append(' ').append(p.version()).append(" (").append(p.type());
            if (p.sourceName() != null && !p.sourceName().equals(p.name())) {
                b.append(", source ").append(p.sourceName());
            }
            b.append(')');
            if (p.layer() != null) {
                b.append("  layer ").append(p.layer().length() > 19 ? p.layer().substring(0, 19) : p.layer());
            }
        } else {
            b.append(f.pkg());
        }
        return b.toString();
    }

    private static String oneLine(String s, int max) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("\\s+", " ").trim();
        return t.length() > max ? t.substring(0, max - 1) + "…" : t;
    }

}
