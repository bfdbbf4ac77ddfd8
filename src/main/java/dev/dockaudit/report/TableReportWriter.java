package dev.dockaudit.report;

import dev.dockaudit.image.Image;
import dev.dockaudit.image.Layer;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Sizes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The human report: the image's identity and layers (what docker images --digests and docker history show), then findings. */
public final class TableReportWriter implements ReportWriter {

    @Override
    public void write(Report report, OutputStream os) throws IOException {
        PrintStream out = new PrintStream(os, false, StandardCharsets.UTF_8);
        Image image = report.image();
        out.println(clean(image.displayName()) + " (" + image.source() + ")");
        out.println();
        row(out, "Image ID", describe(image.configDigest(), image.expectedConfigDigest(), "config"));
        row(out, "Manifest", image.manifestDigest() == null ? "none (this source has no registry manifest)"
                : describe(image.manifestDigest(), image.expectedManifestDigest(), image.expectedManifestSource()));
        if (image.platform() != null) {
            row(out, "Platform", image.platform().toString());
        }
        row(out, "Repo tags", image.repoTags().isEmpty() ? "<none>" : String.join(", ", image.repoTags()));
        row(out, "Repo digests", image.repoDigests().isEmpty() ? "<none>" : String.join(", ", image.repoDigests()));
        if (report.inventory() != null) {
            row(out, "OS", PackagesTableWriter.describe(report.inventory().os()));
            java.util.Map<String, Integer> byType = new java.util.TreeMap<>();
            report.inventory().packages().forEach(p -> byType.merge(p.type().label, 1, Integer::sum));
            row(out, "Packages", report.inventory().packages().size() + (byType.isEmpty() ? ""
                    : " (" + byType.toString().replaceAll("[{}]", "").replace("=", ": ") + ")"));
        }
        out.println();
        layers(out, image.layers(), report);
        out.println();
        findings(out, report);
        for (String n : report.notes()) {
            out.println("note: " + clean(n));
        }
        out.flush();
    }

    private static void row(PrintStream out, String key, String value) {
        out.printf("%-13s %s%n", key, clean(value));
    }

    private static String describe(Digest actual, Digest expected, String from) {
        if (actual == null) {
            return "<none>";
        }
        if (expected == null) {
            return actual + "  (computed; nothing declared to check it against)";
        }
        return expected.equals(actual) ? actual + "  verified" : actual + "  MISMATCH: expected " + expected
                + (from == null ? "" : " from " + from);
    }

    private static void layers(PrintStream out, List<Layer> layers, Report report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "DIGEST", "DIFF ID", "SIZE", "VERIFIED", "CREATED BY"});
        for (Layer l : layers) {
            Boolean v = l.verified();
            long size = l.scan() != null && l.scan().rawDigest() != null ? l.scan().rawSize() : l.declaredSize();
            Digest diff = l.diffId() != null ? l.diffId() : l.scan() == null ? null : l.scan().diffId();
            rows.add(new String[] {String.valueOf(l.index()), str(l.blobDigest()), str(diff),
                    size < 0 ? "-" : Sizes.human(size), v == null ? "n/a" : v ? "yes" : "NO", oneLine(report.redact(l.createdBy()), 70)});
        }
        printTable(out, rows);
    }

    static void findings(PrintStream out, Report report) {
        List<Finding> fs = report.findings();
        StringBuilder counts = new StringBuilder();
        for (Map.Entry<Severity, Integer> e : report.bySeverity().entrySet()) {
            if (e.getValue() > 0) {
                counts.append(counts.length() == 0 ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey());
            }
        }
        out.println("Findings: " + (fs.isEmpty() ? "none" : fs.size() + " (" + counts + ")"));
        for (Finding f : fs) {
            out.println();
            out.printf("  %-8s %s  %s%n", f.severity(), clean(f.id()), clean(f.title()));
            if (f.description() != null) {
                out.println("           " + clean(f.description()));
            }
            if (f.evidence() != null) {
                out.println("           evidence: " + clean(f.evidence()));
            }
            if (f.remediation() != null) {
                out.println("           fix: " + clean(f.remediation()));
            }
        }
        out.println();
    }

    static void printTable(PrintStream out, List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                b.append(i == cols - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
            }
            out.println(b.toString().stripTrailing());
        }
    }

    /**
     * Tags, history, paths and messages come from the image, which an attacker may have written: control
     * characters (ESC sequences, C1 CSI, CR, BEL) would let it redraw or retitle the user's terminal.
     */
    static String clean(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || (c >= 0x7f && c <= 0x9f) ? '?' : c);
        }
        return b.toString();
    }

    private static String str(Object o) {
        return o == null ? "-" : o.toString();
    }

    private static String oneLine(String s, int max) {
        if (s == null) {
            return "";
        }
        String t = clean(s.replaceAll("\\s+", " ").trim());
        return t.length() > max ? t.substring(0, max - 1) + "…" : t;
    }
}
