package dev.dockaudit.vuln.version;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the version-vector files in src/test/resources/version-vectors (see PROVENANCE.md there). */
final class VectorFile {

    /** How comments are written in a file. */
    enum Format {
        /** osv-scalibr, dpkg and rpm files: whole-line comments starting with '#' or '//'. */
        LINE_COMMENTS,
        /** apk-tools' version.data: '#' starts a comment anywhere on the line. */
        APK_TOOLS
    }

    /** One line: a comparison ({@code a op b}, op possibly negated with '!'), or a validity check. */
    record Line(String file, int number, String text, String a, String op, String b, Boolean valid) {
        boolean isComparison() {
            return op != null;
        }

        @Override
        public String toString() {
            return file + ":" + number + "  " + text;
        }
    }

    private VectorFile() {
    }

    static List<Line> read(String name, Format format) {
        String path = "/version-vectors/" + name;
        String content;
        try (InputStream in = VectorFile.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Line> out = new ArrayList<>();
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i];
            String t = raw;
            if (format == Format.APK_TOOLS) {
                int hash = t.indexOf('#');
                if (hash >= 0) {
                    t = t.substring(0, hash);
                }
                t = t.strip();
            } else {
                t = t.strip();
                if (t.startsWith("#") || t.startsWith("//")) {
                    continue;
                }
            }
            if (t.isEmpty()) {
                continue;
            }
            String[] f = t.split("\\s+");
            int n = i + 1;
            if (f[0].equals("valid") || f[0].equals("invalid")) {
                // dpkg validity line; the version may itself contain a space ("invalid 0:0 0-1")
                out.add(new Line(name, n, t, t.substring(f[0].length() + 1), null, null, f[0].equals("valid")));
            } else if (f.length == 3) {
                out.add(new Line(name, n, t, f[0], f[1], f[2], null));
            } else if (f.length == 1 && format == Format.APK_TOOLS) {
                boolean valid = !f[0].startsWith("!");
                out.add(new Line(name, n, t, valid ? f[0] : f[0].substring(1), null, null, valid));
            } else {
                throw new IllegalStateException(name + ":" + n + ": cannot read vector line '" + raw + "'");
            }
        }
        return out;
    }

    /** The expected sign of compare(a, b) for '<', '=' or '>'. */
    static int sign(String op) {
        return switch (op) {
            case "<" -> -1;
            case "=" -> 0;
            case ">" -> 1;
            default -> throw new IllegalArgumentException("not a plain comparison operator: " + op);
        };
    }
}
