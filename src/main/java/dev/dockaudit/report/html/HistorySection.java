package dev.dockaudit.report.html;

import dev.dockaudit.check.history.Efficiency;
import dev.dockaudit.check.history.HistoryReport;
import dev.dockaudit.check.history.HistoryRow;
import dev.dockaudit.report.Finding;
import dev.dockaudit.util.Redact;
import dev.dockaudit.util.Sizes;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The page's part for {@code dockaudit history --format html}: every build step as {@code docker history --no-trunc}
 * lists it (empty steps such as ENV and CMD too, which the layer chart cannot show), the findings each step holds,
 * the layer efficiency as dive computes it, and the largest wasted files. Commands are masked like the other views:
 * a shared report must not re-publish the build arguments the audit warns about.
 */
final class HistorySection {
    private HistorySection() {
    }

    static void render(HtmlOut o, HistoryReport history, List<Finding> kept, int wastedFiles) {
        Set<Finding> shown = Collections.newSetFromMap(new IdentityHashMap<>());
        shown.addAll(kept);
        o.open("section", "id", "history").nl();
        o.el("h2", "Build history");
        o.open("table", "class", "history sortable").nl();
        o.open("thead").open("tr");
        for (String h : new String[] {"Step", "Created", "Created by", "Size", "Layer", "Findings"}) {
            o.el("th", h, "scope", "col");
        }
        o.close("tr").close("thead").nl().open("tbody").nl();
        for (HistoryRow r : history.rows()) {
            long n = r.findings().stream().filter(shown::contains).count();
            o.open("tr");
            o.el("td", Integer.toString(r.step()), "class", "num");
            o.el("td", r.created());
            o.open("td").open("code").text(Redact.text(r.createdBy())).close("code");
            if (r.comment() != null && !r.comment().isBlank()) {
                o.text(" (" + r.comment() + ")");
            }
            o.close("td");
            long size = r.size() == null ? -1 : r.size();
            o.el("td", size < 0 ? "" : Sizes.human(size), "class", "num", "data-key", Long.toString(size));
            o.el("td", r.emptyLayer() ? "empty" : r.layer() == null ? "missing" : "#" + r.layer());
            o.el("td", Long.toString(n), "class", "num");
            o.close("tr").nl();
        }
        o.close("tbody").close("table").nl();
        Efficiency.Result e = history.efficiency();
        if (e != null) {
            o.el("h3", "Layer efficiency (as dive computes it)");
            o.open("dl", "class", "facts").nl();
            kv(o, "Efficiency score", String.format(Locale.ROOT, "%.2f %%", e.score() * 100));
            kv(o, "Wasted space", Sizes.human(e.wastedBytes()));
            kv(o, "Deleted or replaced later", Sizes.human(history.removedLaterBytes()));
            kv(o, "Image size", Sizes.human(e.imageBytes()));
            o.close("dl").nl();
            List<Efficiency.WastedFile> files = e.files().subList(0, Math.min(wastedFiles, e.files().size()));
            if (!files.isEmpty()) {
                o.el("h3", "Largest wasted files");
                o.open("table", "class", "sortable").nl();
                o.open("thead").open("tr");
                for (String h : new String[] {"Path", "Wasted", "Copies", "Layers"}) {
                    o.el("th", h, "scope", "col");
                }
                o.close("tr").close("thead").nl().open("tbody").nl();
                for (Efficiency.WastedFile w : files) {
                    o.open("tr");
                    o.open("td").open("code").text(w.path()).close("code").close("td");
                    o.el("td", Sizes.human(w.wastedBytes()), "class", "num", "data-key", Long.toString(w.wastedBytes()));
                    o.el("td", Integer.toString(w.count()), "class", "num");
                    StringBuilder layers = new StringBuilder();
                    for (Efficiency.Occurrence oc : w.occurrences()) {
                        layers.append(layers.length() == 0 ? "" : ", ").append('#').append(oc.layer())
                                .append(oc.whiteout() ? " (deleted)" : "");
                    }
                    o.el("td", layers.toString());
                    o.close("tr").nl();
                }
                o.close("tbody").close("table").nl();
            }
        }
        o.close("section").nl();
    }

    private static void kv(HtmlOut o, String key, String value) {
        o.el("dt", key).el("dd", value).nl();
    }
}
