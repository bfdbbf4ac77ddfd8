package dev.dockaudit.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JUnit XML ({@code --format junit}) for CI dashboards that read nothing else: one {@code <testsuite>} per finding
 * category ({@code dockaudit.vulnerability} …), one {@code <testcase>} per finding, and one passing "no findings"
 * testcase for a category that was checked and found nothing, so the dashboard shows the check ran.
 *
 * <p>Which findings fail: with {@code --fail-on}, those at or above it (the findings that make the exit code 1); the
 * others pass with their details in {@code <system-out>}. Without {@code --fail-on}, every finding fails: a dashboard
 * fed this format has no other way to show it. INFO findings never fail (they report, they do not judge).
 *
 * <p>The XML is written by hand: the document is flat, and the escaping must be ours anyway, since image content is
 * attacker-controlled and XML 1.0 cannot carry some characters at all (they are dropped; a stream writer would write
 * them and produce a document no parser accepts). Same report, same bytes: no timestamps, no host names, no durations.
 */
public final class JUnitWriter implements ReportWriter {
    private final Severity failOn;
    private final Set<Category> checked;

    /**
     * @param failOn  the {@code --fail-on} threshold, or null: every finding but INFO fails
     * @param checked the categories the command checked (each gets a suite even when empty); null: only the
     *                categories that have findings
     */
    public JUnitWriter(Severity failOn, Set<Category> checked) {
        this.failOn = failOn;
        this.checked = checked == null || checked.isEmpty() ? EnumSet.noneOf(Category.class) : EnumSet.copyOf(checked);
    }

    /** A finding and what it is about in a report that covers more than one image (a container, the daemon). */
    record Item(Finding finding, String subject) {
    }

    @Override
    public void write(Report report, OutputStream out) throws IOException {
        List<Item> items = new ArrayList<>();
        report.findings().forEach(f -> items.add(new Item(f, null)));
        Set<Category> categories = EnumSet.noneOf(Category.class);
        categories.addAll(checked);
        if (report.trust() != null) {
            categories.add(Category.TRUST);
        }
        write(items, categories, "dockaudit " + report.command() + " " + report.image().reference().original(), out);
    }

    void write(List<Item> items, String name, OutputStream out) throws IOException {
        write(items, checked, name, out);
    }

    private void write(List<Item> items, Set<Category> checked, String name, OutputStream out) throws IOException {
        Map<Category, List<Item>> byCategory = new EnumMap<>(Category.class);
        checked.forEach(c -> byCategory.put(c, new ArrayList<>()));
        items.forEach(i -> byCategory.computeIfAbsent(i.finding().category(), c -> new ArrayList<>()).add(i));

        StringBuilder suites = new StringBuilder();
        int tests = 0;
        int failures = 0;
        for (Map.Entry<Category, List<Item>> e : byCategory.entrySet()) {
            List<Item> list = e.getValue();
            int suiteFailures = (int) list.stream().filter(i -> fails(i.finding())).count();
            int suiteTests = Math.max(1, list.size());
            tests += suiteTests;
            failures += suiteFailures;
            suites.append("  <testsuite name=\"dockaudit.").append(e.getKey().label()).append("\" tests=\"").append(suiteTests)
                    .append("\" failures=\"").append(suiteFailures).append("\" errors=\"0\" skipped=\"0\">\n");
            if (list.isEmpty()) {
                suites.append("    <testcase classname=\"").append(e.getKey().label()).append("\" name=\"no findings\"/>\n");
            }
            for (Item i : list) {
                testcase(suites, i);
            }
            suites.append("  </testsuite>\n");
        }
        StringBuilder doc = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        doc.append("<testsuites name=\"").append(attr(name)).append("\" tests=\"").append(tests).append("\" failures=\"")
                .append(failures).append("\" errors=\"0\">\n");
        doc.append(suites);
        doc.append("</testsuites>\n");
        out.write(doc.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Whether a finding is a failed testcase; see the class comment for the policy. */
    boolean fails(Finding f) {
        if (f.severity() == Severity.INFO) {
            return false;
        }
        return failOn == null || f.severity().atLeast(failOn);
    }

    private void testcase(StringBuilder sb, Item i) {
        Finding f = i.finding();
        SarifWriter.PackageRef pkg = SarifWriter.PackageRef.of(f.pkg());
        sb.append("    <testcase classname=\"").append(attr(classname(f, pkg, i.subject()))).append("\" name=\"")
                .append(attr(name(f, pkg))).append("\">\n");
        String details = details(f, pkg, i.subject());
        if (fails(f)) {
            String title = f.title() == null || f.title().isBlank() ? f.id() : f.title().strip();
            sb.append("      <failure type=\"").append(f.severity().name()).append("\" message=\"")
                    .append(attr(f.severity().name() + " " + f.id() + ": " + firstLine(title))).append("\">")
                    .append(text(details)).append("</failure>\n");
        } else {
            sb.append("      <system-out>").append(text(details)).append("</system-out>\n");
        }
        sb.append("    </testcase>\n");
    }

    /**
     * Where dashboards group the testcase: the category, then the package a vulnerability is in, else the layer that
     * holds the file, else the image (or the container or daemon of a container report).
     */
    static String classname(Finding f, SarifWriter.PackageRef pkg, String subject) {
        String group;
        if (pkg != null && pkg.name() != null && !pkg.name().isBlank()) {
            group = pkg.name();
        } else if (f.layer() != null && !f.layer().isBlank()) {
            String l = f.layer();
            group = "layer " + (l.startsWith("sha256:") && l.length() >= 19 ? l.substring(7, 19) : l);
        } else {
            group = subject == null ? "image" : null;
        }
        String where = subject == null ? group : group == null ? subject : subject + " / " + group;
        return f.category().label() + "." + where;
    }

    /** The finding's id and what it is about: the package and version, else the path, else its title. */
    static String name(Finding f, SarifWriter.PackageRef pkg) {
        StringBuilder sb = new StringBuilder(f.id());
        if (pkg != null && pkg.name() != null && !pkg.name().isBlank()) {
            sb.append(' ').append(pkg.name());
            String v = f.installedVersion() != null ? f.installedVersion() : pkg.version();
            if (v != null && !v.isBlank()) {
                sb.append(' ').append(v);
            }
        } else if (f.path() != null && !f.path().isBlank()) {
            sb.append(' ').append(f.path());
        } else if (f.title() != null && !f.title().isBlank()) {
            sb.append(": ").append(firstLine(f.title().strip()));
        }
        return sb.toString();
    }

    private static String details(Finding f, SarifWriter.PackageRef pkg, String subject) {
        StringBuilder sb = new StringBuilder();
        line(sb, "Severity", f.severity().name());
        line(sb, "Category", f.category().label());
        line(sb, "Title", f.title());
        line(sb, "Subject", subject);
        line(sb, "CIS Docker Benchmark", f.cis());
        if (pkg != null) {
            line(sb, "Package", pkg.name());
            line(sb, "Purl", pkg.purl());
        }
        line(sb, "Installed version", f.installedVersion());
        line(sb, "Fixed version", f.fixedVersion());
        line(sb, "Status", f.status());
        line(sb, "Layer", f.layer());
        line(sb, "Path", f.path());
        line(sb, "Evidence", f.evidence());
        if (!f.aliases().isEmpty()) {
            line(sb, "Aliases", String.join(", ", f.aliases()));
        }
        line(sb, "Description", f.description());
        line(sb, "Remediation", f.remediation());
        for (String r : f.references()) {
            line(sb, "Reference", r);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String label, String value) {
        if (value != null && !value.isBlank()) {
            sb.append(label).append(": ").append(value.strip()).append('\n');
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl).strip() + " …";
    }

    /** Attribute text: markup and quotes escaped; tabs and line breaks as references, so parsers keep them. */
    static String attr(String s) {
        StringBuilder sb = new StringBuilder();
        legal(s).codePoints().forEach(c -> {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                case '\t' -> sb.append("&#9;");
                case '\n' -> sb.append("&#10;");
                case '\r' -> sb.append("&#13;");
                default -> sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }

    /** Element text: markup escaped ({@code >} too, so {@code ]]>} cannot appear); CR as a reference so it survives. */
    static String text(String s) {
        StringBuilder sb = new StringBuilder();
        legal(s).codePoints().forEach(c -> {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '\r' -> sb.append("&#13;");
                default -> sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }

    /**
     * Drops what XML 1.0 cannot carry even as a reference: control characters other than tab, LF and CR, lone
     * surrogates, U+FFFE and U+FFFF.
     */
    static String legal(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
