package dev.dockaudit.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * How the human (table) reports are laid out: the line width they must fit and whether severities are coloured.
 * Table rows are truncated with an ellipsis, never wrapped, so a row stays one line a reader (or grep) can follow;
 * free text (descriptions, evidence, fixes) is word-wrapped under its finding instead, because cutting it would
 * lose the content.
 *
 * @param width  columns available; every line written through this style is at most this long
 * @param colour whether to emit ANSI SGR sequences
 */
public record TextStyle(int width, boolean colour) {
    /** A pipe or a file: the width a CI log shows without wrapping, no colour. */
    public static final TextStyle PLAIN = new TextStyle(120, false);

    /** Narrower than this, tables cannot show an id and a title side by side; we lay out for this and let it wrap. */
    public static final int MIN_WIDTH = 40;

    public TextStyle {
        width = Math.max(MIN_WIDTH, width);
    }

    private static final String RESET = "\033[0m";
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("\\s+");

    /** The SGR sequence for a severity: the most urgent loudest, INFO receding. */
    private static String sgr(Severity s) {
        return switch (s) {
            case CRITICAL -> "\033[1;91m";
            case HIGH -> "\033[31m";
            case MEDIUM -> "\033[33m";
            case LOW -> "\033[36m";
            case INFO, UNKNOWN -> "\033[2m";
        };
    }

    /** The text in the severity's colour (when colour is on); {@code text} must already fit. */
    public String paint(Severity s, String text) {
        return colour && s != null ? sgr(s) + text + RESET : text;
    }

    /** The severity name padded to {@code pad} columns, the padding outside the colour. */
    public String severity(Severity s, int pad) {
        String name = s.name();
        return paint(s, name) + " ".repeat(Math.max(0, pad - name.length()));
    }

    public String bold(String text) {
        return colour ? "\033[1m" + text + RESET : text;
    }

    public String dim(String text) {
        return colour ? "\033[2m" + text + RESET : text;
    }

    /** Cuts {@code s} to {@code max} characters, the last one an ellipsis when anything was cut. */
    public static String truncate(String s, int max) {
        if (s == null) {
            return "";
        }
        if (s.length() <= max) {
            return s;
        }
        return max <= 0 ? "" : s.substring(0, max - 1) + "…";
    }

    /** {@code s} cut to the line width. */
    public String fit(String s) {
        return truncate(s, width);
    }

    /**
     * Word-wraps {@code text} to the width: the first line after {@code firstPrefix}, the rest after as many spaces
     * as {@code indent}. A word longer than a line (a digest, a URL) gets a line of its own, whole: cut in two it
     * could no longer be copied or compared, so that one line may exceed a narrow terminal.
     */
    public List<String> wrap(String firstPrefix, int indent, String text) {
        List<String> lines = new ArrayList<>();
        if (firstPrefix.length() + text.length() <= width && text.indexOf('\n') < 0) {
            lines.add(firstPrefix + text); // fits: keep the text's own spacing ("sha256:…  verified")
            return lines;
        }
        StringBuilder line = new StringBuilder(firstPrefix);
        int start = firstPrefix.length();
        String pad = " ".repeat(indent);
        for (String word : SPACES.split(text.strip())) {
            boolean empty = line.length() == start;
            if (line.length() + (empty ? 0 : 1) + word.length() <= width || empty) {
                line.append(empty ? "" : " ").append(word);
            } else {
                lines.add(line.toString());
                line = new StringBuilder(pad).append(word);
                start = indent;
            }
        }
        lines.add(line.toString());
        return lines;
    }

    public void printWrapped(PrintStream out, String firstPrefix, int indent, String text) {
        wrap(firstPrefix, indent, text).forEach(out::println);
    }

    /**
     * Prints rows as columns two spaces apart, the first row a header, all within the width: when the natural
     * widths do not fit, the widest column gives up a character at a time (never below a few characters, so each
     * keeps a recognisable prefix) and its cells end in an ellipsis. {@code indent} spaces start each line.
     */
    public void table(PrintStream out, List<String[]> rows, int indent) {
        int[] w = columns(rows, indent);
        for (String[] r : rows) {
            out.println(row(r, w, indent));
        }
    }

    /** The column widths {@link #table} uses for these rows: natural widths, the widest cut until the line fits. */
    public int[] columns(List<String[]> rows, int indent) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                w[i] = Math.max(w[i], r[i] == null ? 0 : r[i].length());
            }
        }
        int floor = 6;
        int total = indent + 2 * (cols - 1);
        for (int x : w) {
            total += x;
        }
        while (total > width) {
            int widest = 0;
            for (int i = 1; i < cols; i++) {
                if (w[i] > w[widest]) {
                    widest = i;
                }
            }
            if (w[widest] <= floor) {
                break; // cannot shrink further; row() cuts the line to the width
            }
            w[widest]--;
            total--;
        }
        return w;
    }

    /** One row laid out in the given column widths, cells cut with an ellipsis, the line within the width. */
    public String row(String[] r, int[] w, int indent) {
        StringBuilder b = new StringBuilder(" ".repeat(indent));
        for (int i = 0; i < w.length; i++) {
            String cell = truncate(r[i] == null ? "" : r[i], w[i]);
            b.append(cell);
            if (i < w.length - 1) {
                b.append(" ".repeat(w[i] - cell.length() + 2));
            }
        }
        return fit(b.toString().stripTrailing());
    }

    /**
     * Like {@link #table} with a severity column first, coloured: {@code severities.get(i)} is the severity of
     * the i-th row after the header, if {@code header}, else of {@code rows.get(i)}.
     */
    public void severityTable(PrintStream out, List<String[]> rows, List<Severity> severities, int indent, boolean header) {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        PrintStream plain = new PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8);
        table(plain, rows, indent);
        List<String> lines = buf.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean isHeader = header && i == 0;
            Severity s = isHeader ? null : severities.get(header ? i - 1 : i);
            String name = s == null ? null : s.name();
            if (s != null && colour && line.startsWith(name, indent)) {
                line = line.substring(0, indent) + paint(s, name) + line.substring(indent + name.length());
            }
            out.println(isHeader ? bold(line) : line);
        }
    }
}
