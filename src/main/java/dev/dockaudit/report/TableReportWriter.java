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
public final class TableReportWriter implements ReportWriter, Styled {
    private TextStyle style = TextStyle.PLAIN;

    @Override
    public void style(TextStyle s) {
        style = s;
    }

    @Override
    public void write(Report report, OutputStream os) throws IOException {
        PrintStream out = new PrintStream(os, false, StandardCharsets.UTF_8);
        TextStyle style = this.style;
        Image image = report.image();
        out.println(style.bold(style.fit(clean(image.displayName()) + " (" + image.source() + ")")));
        out.println();
        row(out, style, "Image ID", describe(image.configDigest(), image.expectedConfigDigest(), "config"));
        row(out, style, "Manifest", image.manifestDigest() == null ? "none (this source has no registry manifest)"
                : describe(image.manifestDigest(), image.expectedManifestDigest(), image.expectedManifestSource()));
        if (image.platform() != null) {
            row(out, style, "Platform", image.platform().toString());
        }
        row(out, style, "Repo tags", image.repoTags().isEmpty() ? "<none>" : String.join(", ", image.repoTags()));
        row(out, style, "Repo digests", image.repoDigests().isEmpty() ? "<none>" : String.join(", ", image.repoDigests()));
        if (report.inventory() != null) {
            row(out, style, "OS", PackagesTableWriter.describe(report.inventory().os()));
            java.util.Map<String, Integer> byType = new java.util.TreeMap<>();
            report.inventory().packages().forEach(p -> byType.merge(p.type().label, 1, Integer::sum));
            row(out, style, "Packages", report.inventory().packages().size() + (byType.isEmpty() ? ""
                    : " (" + byType.toString().replaceAll("[{}]", "").replace("=", ": ") + ")"));
        }
        out.println();
        layers(out, style, image.layers(), report);
        out.println();
        findings(out, report, style);
        notes(out, style, report.notes());
        out.flush();
    }

    /** A key and its value; a long value (digests with their verdict) wraps under itself rather than being cut. */
    static void row(PrintStream out, TextStyle style, String key, String value) {
        style.printWrapped(out, String.format("%-13s ", key), 14, clean(value));
    }

    public static void notes(PrintStream out, TextStyle style, List<String> notes) {
        for (String n : notes) {
            style.printWrapped(out, "note: ", 6, clean(n));
        }
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

    private static void layers(PrintStream out, TextStyle style, List<Layer> layers, Report report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "DIGEST", "DIFF ID", "SIZE", "VERIFIED", "CREATED BY"});
        for (Layer l : layers) {
            Boolean v = l.verified();
            long size = l.scan() != null && l.scan().rawDigest() != null ? l.scan().rawSize() : l.declaredSize();
            Digest diff = l.diffId() != null ? l.diffId() : l.scan() == null ? null : l.scan().diffId();
            rows.add(new String[] {String.valueOf(l.index()), str(l.blobDigest()), str(diff),
                    size < 0 ? "-" : Sizes.human(size), v == null ? "n/a" : v ? "yes" : "NO", oneLine(report.redact(l.createdBy()), 2000)});
        }
        int[] cols = style.columns(rows, 0);
        for (String[] r : rows) {
            out.println(r == rows.get(0) ? style.bold(style.row(r, cols, 0)) : style.row(r, cols, 0));
        }
        // A digest is an identifier: a cut one cannot be compared with docker inspect or a registry. When the table
        // had to cut them, they follow in full, one per line (the only lines that may exceed a narrow terminal).
        boolean cut = false;
        for (String[] r : rows.subList(1, rows.size())) {
            cut |= r[1].length() > cols[1] || r[2].length() > cols[2];
        }
        if (cut) {
            out.println();
            out.println(style.bold("Layer digests"));
            for (String[] r : rows.subList(1, rows.size())) {
                out.println(String.format("%3s  digest   %s", r[0], r[1]));
                out.println("     diff_id  " + r[2]);
            }
        }
    }

    static void findings(PrintStream out, Report report) {
        findings(out, report, TextStyle.PLAIN);
    }

    /**
     * Every finding in full, grouped by category (in the order of {@link Category}) and most severe first within
     * one, each group under a heading with its count.
     */
    public static void findings(PrintStream out, Report report, TextStyle style) {
        List<Finding> fs = report.findings();
        out.println(style.bold("Findings: " + (fs.isEmpty() ? "none" : fs.size() + " (" + counts(report.bySeverity(), null) + ")")));
        findingGroups(out, fs, style);
        out.println();
    }

    /** The category sections of a finding list (already sorted most severe first). */
    public static void findingGroups(PrintStream out, List<Finding> fs, TextStyle style) {
        Map<Category, List<Finding>> byCategory = new java.util.EnumMap<>(Category.class);
        for (Finding f : fs) {
            byCategory.computeIfAbsent(f.category(), k -> new ArrayList<>()).add(f);
        }
        for (Map.Entry<Category, List<Finding>> group : byCategory.entrySet()) {
            List<Finding> list = new ArrayList<>(group.getValue());
            list.sort(java.util.Comparator.comparing(Finding::severity));
            Map<Severity, Integer> sev = new java.util.EnumMap<>(Severity.class);
            list.forEach(f -> sev.merge(f.severity(), 1, Integer::sum));
            out.println();
            out.println(style.bold(style.fit(heading(group.getKey()) + " (" + list.size() + (sev.size() > 1
                    ? ": " + counts(sev, null) : "") + ")")));
            for (Finding f : list) {
                finding(out, f, style);
            }
        }
    }

    /** One finding: severity, id and title on one line (cut to the width), then its text wrapped beneath. */
    public static void finding(PrintStream out, Finding f, TextStyle style) {
        String head = style.fit(String.format("  %-8s %s  %s", f.severity(), clean(f.id()), clean(f.title()))
                + (f.cis() == null ? "" : "  [CIS " + f.cis() + "]"));
        out.println(style.colour() ? "  " + style.paint(f.severity(), f.severity().name()) + head.substring(2 + f.severity().name().length())
                : head);
        if (f.description() != null) {
            style.printWrapped(out, "           ", 11, clean(f.description()));
        }
        if (f.evidence() != null) {
            style.printWrapped(out, "           evidence: ", 21, clean(f.evidence()));
        }
        if (f.remediation() != null) {
            style.printWrapped(out, "           fix: ", 16, clean(f.remediation()));
        }
    }

    /** How the reports name a category. */
    public static String heading(Category c) {
        return switch (c) {
            case INTEGRITY -> "Integrity";
            case TRUST -> "Trust and signatures";
            case VULNERABILITY -> "Vulnerabilities";
            case SECRET -> "Secrets";
            case CONFIG -> "Configuration";
            case HISTORY -> "History";
            case RUNTIME -> "Runtime";
        };
    }

    /** {@code 2 CRITICAL, 5 HIGH}: the non-zero counts, most severe first, each in its colour when style is given. */
    public static String counts(Map<Severity, Integer> bySeverity, TextStyle style) {
        StringBuilder b = new StringBuilder();
        for (Severity s : Severity.values()) {
            Integer n = bySeverity.get(s);
            if (n != null && n > 0) {
                b.append(b.length() == 0 ? "" : ", ").append(n).append(' ')
                        .append(style == null ? s.name() : style.paint(s, s.name()));
            }
        }
        return b.toString();
    }

    /**
     * Tags, history, paths and messages come from the image, which an attacker may have written: control
     * characters (ESC sequences, C1 CSI, CR, BEL) would let it redraw or retitle the user's terminal.
     */
    public static String clean(String s) {
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
