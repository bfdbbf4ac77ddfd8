package dev.dockaudit.report;

import dev.dockaudit.inventory.Inventory;
import dev.dockaudit.inventory.OsInfo;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.util.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** {@code dockaudit packages}: the OS and one row per package with its source and the layer that brought it. */
public final class PackagesTableWriter implements ReportWriter, Styled {
    private TextStyle style = TextStyle.PLAIN;

    @Override
    public void style(TextStyle s) {
        style = s;
    }

    @Override
    public void write(Report report, OutputStream os) throws IOException {
        PrintStream out = new PrintStream(os, false, StandardCharsets.UTF_8);
        TextStyle style = this.style;
        Inventory inv = report.inventory();
        out.println(style.bold(style.fit(TableReportWriter.clean(report.image().displayName()) + " (" + report.image().source() + ")")));
        style.printWrapped(out, "OS: ", 4, TableReportWriter.clean(describe(inv == null ? null : inv.os())));
        out.println();
        List<Package> packages = inv == null ? List.of() : inv.packages();
        if (packages.isEmpty()) {
            out.println("No packages found.");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NAME", "VERSION", "TYPE", "ARCH", "SOURCE", "LAYER"});
            for (Package p : packages) {
                String source = p.sourceName() == null || (p.sourceName().equals(p.name())
                        && String.valueOf(p.sourceVersion()).equals(p.version())) ? ""
                        : p.sourceName() + (p.sourceVersion() == null || p.sourceVersion().equals(p.version())
                        ? "" : " " + p.sourceVersion());
                // names and versions come from databases inside the image: no control characters to the terminal
                rows.add(new String[] {TableReportWriter.clean(p.name()), TableReportWriter.clean(p.version()), p.type().label,
                        p.arch() == null ? "" : TableReportWriter.clean(p.arch()), TableReportWriter.clean(source),
                        layer(report, p.layer())});
            }
            style.table(out, rows, 0);
            out.println();
            out.println(packages.size() + " packages");
        }
        TableReportWriter.notes(out, style, report.notes());
        out.flush();
    }

    static String describe(OsInfo os) {
        if (os == null) {
            return "unknown (no release file found)";
        }
        StringBuilder b = new StringBuilder(os.family());
        if (os.version() != null) {
            b.append(' ').append(os.version());
        }
        if (os.codename() != null) {
            b.append(" (").append(os.codename()).append(')');
        }
        if (Boolean.TRUE.equals(os.eol())) {
            b.append(" — END OF LIFE since ").append(os.eolDate()).append(": no more security fixes");
        } else if (os.eolDate() != null) {
            b.append(" — supported until ").append(os.eolDate());
        }
        return b.toString();
    }

    /** The layer as "#index sha256:abcdef…" so a reader can find it in docker history. */
    private static String layer(Report report, String diffId) {
        if (diffId == null) {
            return "";
        }
        var layers = report.image().layers();
        for (int i = 0; i < layers.size(); i++) {
            Digest d = layers.get(i).diffId() != null ? layers.get(i).diffId()
                    : layers.get(i).scan() == null ? null : layers.get(i).scan().diffId();
            if (d != null && d.toString().equals(diffId)) {
                return "#" + i + " " + d.shortHex();
            }
        }
        return diffId;
    }
}
