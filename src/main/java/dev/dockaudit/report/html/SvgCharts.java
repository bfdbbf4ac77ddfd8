package dev.dockaudit.report.html;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts: drawn by the browser from the markup alone, so they show with scripts off, offline and in print.
 * Colours are presentation attributes rather than CSS so the chart keeps them wherever the SVG is copied.
 */
final class SvgCharts {
    /** One bar: its label, value and fill colour. */
    record Bar(String label, long value, String fill) {
    }

    private static final int SLOT = 72;
    private static final int PLOT = 120;
    private static final int TOP = 18;

    private SvgCharts() {
    }

    /** A vertical bar chart with the value above each bar and the label below it. */
    static void columns(HtmlOut o, String title, List<Bar> bars) {
        long max = 1;
        for (Bar b : bars) {
            max = Math.max(max, b.value());
        }
        int width = Math.max(SLOT, bars.size() * SLOT);
        int height = TOP + PLOT + 22;
        o.open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "chart", "role", "img", "aria-label", title,
                "width", Integer.toString(width), "height", Integer.toString(height),
                "viewBox", "0 0 " + width + " " + height);
        o.el("title", title);
        o.empty("line", "x1", "0", "y1", Integer.toString(TOP + PLOT), "x2", Integer.toString(width),
                "y2", Integer.toString(TOP + PLOT), "stroke", "#888", "stroke-width", "1");
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int h = b.value() == 0 ? 0 : (int) Math.max(2, Math.round((double) b.value() / max * PLOT));
            int x = i * SLOT + 12;
            int y = TOP + PLOT - h;
            o.open("g");
            o.el("title", b.label() + ": " + b.value());
            o.empty("rect", "x", Integer.toString(x), "y", Integer.toString(y), "width", Integer.toString(SLOT - 24),
                    "height", Integer.toString(h), "fill", b.fill());
            o.el("text", Long.toString(b.value()), "x", Integer.toString(x + (SLOT - 24) / 2), "y", Integer.toString(y - 4),
                    "text-anchor", "middle", "font-size", "12", "fill", "#222");
            o.el("text", b.label(), "x", Integer.toString(x + (SLOT - 24) / 2), "y", Integer.toString(TOP + PLOT + 15),
                    "text-anchor", "middle", "font-size", "11", "fill", "#222");
            o.close("g");
        }
        o.close("svg");
    }

    /** One horizontal bar {@code value/max} of a fixed width, for a table cell. */
    static void hbar(HtmlOut o, String title, long value, long max, String fill) {
        int width = 220;
        int w = value <= 0 ? 0 : (int) Math.max(1, Math.round((double) value / Math.max(1, max) * width));
        o.open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "hbar", "role", "img", "aria-label", title,
                "width", Integer.toString(width), "height", "14", "viewBox", "0 0 " + width + " 14");
        o.el("title", title);
        o.empty("rect", "x", "0", "y", "0", "width", Integer.toString(width), "height", "14", "fill", "#eef1f5");
        o.empty("rect", "x", "0", "y", "0", "width", Integer.toString(w), "height", "14", "fill", fill);
        o.close("svg");
    }

    static String percent(long part, long whole) {
        return whole <= 0 ? "" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }
}
