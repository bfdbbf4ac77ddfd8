package dev.dockaudit.check.history;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.util.Redact;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.JsonReportWriter;
import dev.dockaudit.report.Report;
import dev.dockaudit.report.ReportWriter;
import dev.dockaudit.report.Severity;
import dev.dockaudit.report.TableReportWriter;
import dev.dockaudit.report.TextStyle;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code dockaudit history} views. Both show only findings the report still holds (after {@code --severity}).
 * CREATED BY is docker's text except that secret-looking values in it (secret-named build args and variables,
 * URL passwords, {@code -u user:pass}, {@code --password}, authorization headers) are masked: a CI log of an audit
 * must not re-publish what the audit warns about.
 * <ul>
 * <li>table: one row per step, newest first, as {@code docker history --no-trunc} prints it (CREATED BY in full,
 *     SIZE in docker's units), each step's findings under it; then the efficiency, the largest wasted files and
 *     every finding in full;</li>
 * <li>json: the JSON report of the contract plus {@code "history": {"steps": […], "efficiency": {…}}}.</li>
 * </ul>
 */
public final class HistoryWriters {
    private HistoryWriters() {
    }

    public static ReportWriter table(HistoryReport history, int wastedFiles) {
        return new Table(history, wastedFiles);
    }

    /** The table view, laid out for the terminal it goes to. */
    private static final class Table implements ReportWriter, dev.dockaudit.report.Styled {
        private final HistoryReport history;
        private final int wastedFiles;
        private TextStyle style = TextStyle.PLAIN;

        Table(HistoryReport history, int wastedFiles) {
            this.history = history;
            this.wastedFiles = wastedFiles;
        }

        @Override
        public void style(TextStyle s) {
            style = s;
        }

        @Override
        public void write(Report report, OutputStream out) {
            writeTable(report, history, wastedFiles, out, style);
        }
    }

    public static ReportWriter json(HistoryReport history, int wastedFiles) {
        return (report, out) -> {
            ObjectNode root = JsonReportWriter.toJson(report);
            // the contract's image.layers[].createdBy is docker's text: mask it like the steps
            for (com.fasterxml.jackson.databind.JsonNode l : root.path("image").path("layers")) {
                if (l.isObject() && l.path("createdBy").isTextual()) {
                    ((ObjectNode) l).put("createdBy", Redact.text(l.path("createdBy").asText()));
                }
            }
            root.set("history", toJson(history, kept(report), wastedFiles));
            Json.MAPPER.writeValue(new NonClosing(out), root);
            out.write('\n');
            out.flush();
        };
    }

    /** The {@code "history"} object: steps oldest first, each with its findings (id, severity, title), and efficiency. */
    public static ObjectNode toJson(HistoryReport history, Set<Finding> kept, int wastedFiles) {
        ObjectNode h = Json.MAPPER.createObjectNode();
        ArrayNode steps = h.putArray("steps");
        for (HistoryRow r : history.rows()) {
            ObjectNode s = steps.addObject();
            s.put("index", r.step());
            s.put("created", r.created());
            s.put("createdBy", Redact.text(r.createdBy()));
            s.put("comment", r.comment());
            s.put("emptyLayer", r.emptyLayer());
            s.put("historyEntry", r.historyEntry());
            if (r.layer() == null) {
                s.putNull("layer");
            } else {
                s.put("layer", r.layer());
            }
            s.put("diffId", r.diffId());
            if (r.size() == null) {
                s.putNull("size");
            } else {
                s.put("size", r.size());
            }
            s.put("sizeHuman", r.size() == null ? null : DockerUnits.humanSize(r.size()));
            s.put("removedLaterBytes", r.removedLaterBytes());
            s.put("layerMissing", r.layerMissing());
            ArrayNode fs = s.putArray("findings");
            for (Finding f : r.findings()) {
                if (kept.contains(f)) {
                    ObjectNode fn = fs.addObject();
                    fn.put("id", f.id());
                    fn.put("severity", f.severity().name());
                    fn.put("title", f.title());
                    fn.put("cis", f.cis());
                    fn.put("path", f.path());
                }
            }
        }
        Efficiency.Result e = history.efficiency();
        h.put("removedLaterBytes", history.removedLaterBytes());
        if (e == null) {
            h.putNull("efficiency");
        } else {
            ObjectNode en = h.putObject("efficiency");
            en.put("definition", "dive");
            en.put("score", e.score());
            en.put("wastedBytes", e.wastedBytes());
            en.put("imageBytes", e.imageBytes());
            en.put("userBytes", e.userBytes());
            Double ratio = e.wastedUserRatio();
            if (ratio == null) {
                en.putNull("wastedUserRatio");
            } else {
                en.put("wastedUserRatio", ratio);
            }
            en.put("wastedFileCount", e.files().size());
            ArrayNode files = en.putArray("largestWastedFiles");
            for (Efficiency.WastedFile w : e.files().subList(0, Math.min(wastedFiles, e.files().size()))) {
                ObjectNode wn = files.addObject();
                wn.put("path", w.path());
                wn.put("wastedBytes", w.wastedBytes());
                wn.put("count", w.count());
                ArrayNode occ = wn.putArray("occurrences");
                for (Efficiency.Occurrence o : w.occurrences()) {
                    ObjectNode on = occ.addObject();
                    on.put("layer", o.layer());
                    on.put("size", o.size());
                    on.put("removed", o.whiteout());
                }
            }
        }
        return h;
    }

    private static Set<Finding> kept(Report report) {
        Set<Finding> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(report.findings());
        return s;
    }

    private static void writeTable(Report report, HistoryReport history, int wastedFiles, OutputStream os, TextStyle style) {
        PrintStream out = new PrintStream(os, false, StandardCharsets.UTF_8);
        Set<Finding> kept = kept(report);
        out.println(style.bold(style.fit(clean(report.image().displayName()) + " (" + report.image().source() + ")")));
        out.println();
        List<HistoryRow> newestFirst = new ArrayList<>(history.rows());
        Collections.reverse(newestFirst);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"STEP", "CREATED", "CREATED BY", "SIZE", "COMMENT"});
        for (HistoryRow r : newestFirst) {
            rows.add(new String[] {String.valueOf(r.step()), created(r), createdBy(r), size(r),
                    r.comment() == null ? "" : clean(r.comment())});
        }
        // the command gives up width first: the step, date and size are what a reader scans for
        int[] cols = style.columns(rows, 0);
        out.println(style.bold(style.row(rows.get(0), cols, 0)));
        for (int i = 0; i < newestFirst.size(); i++) {
            HistoryRow r = newestFirst.get(i);
            out.println(style.row(rows.get(i + 1), cols, 0));
            for (Finding f : r.findings()) {
                if (kept.contains(f)) {
                    String line = style.fit("  └ " + f.severity() + "  " + clean(f.id()) + "  " + clean(f.title())
                            + (f.cis() == null ? "" : " (CIS " + f.cis() + ")"));
                    String name = f.severity().name();
                    out.println(line.length() >= 4 + name.length() ? line.substring(0, 4) + style.paint(f.severity(), name)
                            + line.substring(4 + name.length()) : line);
                }
            }
        }
        out.println();
        Efficiency.Result e = history.efficiency();
        if (e != null) {
            out.println("Layer efficiency (as dive computes it)");
            out.printf(Locale.ROOT, "  Efficiency score:  %.2f %%%n", e.score() * 100);
            out.printf(Locale.ROOT, "  Wasted bytes:      %s (%d bytes)%n", DockerUnits.humanSize(e.wastedBytes()), e.wastedBytes());
            out.printf(Locale.ROOT, "  Image file bytes:  %s (%d bytes; user layers %d)%n", DockerUnits.humanSize(e.imageBytes()),
                    e.imageBytes(), e.userBytes());
            Double ratio = e.wastedUserRatio();
            out.println("  Wasted / user:     " + (ratio == null ? "n/a" : String.format(Locale.ROOT, "%.2f %%", ratio * 100)));
            out.printf(Locale.ROOT, "  Removed later:     %s (%d bytes of files a later layer deletes or replaces, each"
                    + " copy once; dive does not count deleted directories)%n", DockerUnits.humanSize(history.removedLaterBytes()),
                    history.removedLaterBytes());
            if (!e.files().isEmpty()) {
                out.println();
                out.println("Largest wasted files" + (e.files().size() > wastedFiles ? " (" + wastedFiles + " of "
                        + e.files().size() + ")" : ""));
                List<String[]> wasted = new ArrayList<>();
                wasted.add(new String[] {"COUNT", "WASTED", "LAYERS", "PATH"});
                for (Efficiency.WastedFile w : e.files().subList(0, Math.min(wastedFiles, e.files().size()))) {
                    StringBuilder layers = new StringBuilder();
                    for (Efficiency.Occurrence o : w.occurrences()) {
                        layers.append(layers.length() == 0 ? "" : ",").append(o.layer()).append(o.whiteout() ? "(rm)" : "");
                    }
                    wasted.add(new String[] {String.valueOf(w.count()), DockerUnits.humanSize(w.wastedBytes()),
                            layers.toString(), clean(w.path())});
                }
                style.table(out, wasted, 2);
            }
            out.println();
        }
        TableReportWriter.findings(out, report, style);
        TableReportWriter.notes(out, style, report.notes());
        out.flush();
    }

    private static String created(HistoryRow r) {
        if (r.created() == null) {
            return r.historyEntry() ? "" : "<no history entry>";
        }
        try {
            return Instant.parse(r.created()).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return clean(r.created());
        }
    }

    private static String createdBy(HistoryRow r) {
        return r.createdBy() == null ? "" : clean(Redact.text(r.createdBy()).replace('\n', ' ').replace('\t', ' '));
    }

    private static String size(HistoryRow r) {
        if (r.layerMissing()) {
            return "<missing layer>";
        }
        return r.size() == null ? "?" : DockerUnits.humanSize(r.size());
    }

    /** Names, commands and comments come from the image: no control characters reach the terminal. */
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

    /** Jackson closes what it writes to; stdout must stay open. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
