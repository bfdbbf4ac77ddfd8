package dev.dockaudit.check.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the colon-separated account databases: passwd(5), shadow(5), group(5). Bad lines are skipped. */
public final class AccountFiles {
    private AccountFiles() {
    }

    /** One line: its 1-based line number and its fields. */
    public record Entry(int line, List<String> fields) {
        public String field(int i) {
            return i < fields.size() ? fields.get(i) : null;
        }

        public String name() {
            return field(0);
        }
    }

    /** Entries with at least {@code minFields} fields; comments, blank lines and NIS {@code +}/{@code -} lines skipped. */
    public static List<Entry> parse(byte[] data, int minFields) {
        List<Entry> out = new ArrayList<>();
        if (data == null) {
            return out;
        }
        String text = new String(data, StandardCharsets.UTF_8);
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (l.isBlank() || l.startsWith("#") || l.startsWith("+") || l.startsWith("-")) {
                continue;
            }
            List<String> fields = List.of(l.split(":", -1));
            if (fields.size() >= minFields && !fields.get(0).isEmpty()) {
                out.add(new Entry(n, fields));
            }
        }
        return out;
    }

    /** A numeric id field, or -1. */
    public static long id(String s) {
        if (s == null || s.isEmpty() || s.length() > 10) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(s);
    }
}
