package dev.dockaudit.util;

import com.google.re2j.Pattern;

/**
 * Path globs over image paths (root-relative, no leading slash; a leading slash in the glob is ignored):
 * {@code *} matches within one path segment, {@code **} any number of segments (also none, so
 * {@code **}{@code /x} matches {@code x}), {@code ?} one character other than {@code /}, {@code [abc]} a class.
 * A glob that ends in {@code /} or {@code /**} matches everything under that directory.
 */
public final class Glob {
    private final String glob;
    private final Pattern pattern;
    /** The longest run of plain characters in the glob: a path without it cannot match, checked before the regex. */
    private final String literal;

    private Glob(String glob, Pattern pattern, String literal) {
        this.glob = glob;
        this.pattern = pattern;
        this.literal = literal;
    }

    public static Glob compile(String glob) {
        String g = glob.trim();
        while (g.startsWith("/")) {
            g = g.substring(1);
        }
        if (g.endsWith("/")) {
            g = g + "**";
        }
        if (g.isEmpty()) {
            throw new IllegalArgumentException("empty path glob");
        }
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < g.length()) {
            char c = g.charAt(i);
            if (c == '*') {
                boolean twin = i + 1 < g.length() && g.charAt(i + 1) == '*';
                if (twin) {
                    boolean atStart = i == 0 || g.charAt(i - 1) == '/';
                    boolean slashAfter = i + 2 < g.length() && g.charAt(i + 2) == '/';
                    if (atStart && slashAfter) {
                        re.append("(?:[^/]*/)*"); // zero or more whole segments
                        i += 3;
                    } else {
                        re.append(".*");
                        i += 2;
                    }
                } else {
                    re.append("[^/]*");
                    i++;
                }
            } else if (c == '?') {
                re.append("[^/]");
                i++;
            } else if (c == '[') {
                int close = g.indexOf(']', i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed '[' in path glob '" + glob + "'");
                }
                String body = g.substring(i + 1, close);
                if (body.startsWith("!")) {
                    body = "^" + body.substring(1);
                }
                re.append('[').append(body.replace("\\", "\\\\")).append(']');
                i = close + 1;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        try {
            return new Glob(glob, Pattern.compile(re.toString(), Pattern.DOTALL), longestLiteral(g));
        } catch (com.google.re2j.PatternSyntaxException e) {
            throw new IllegalArgumentException("bad path glob '" + glob + "': " + e.getDescription());
        }
    }

    public boolean matches(String path) {
        if (!path.contains(literal)) {
            return false;
        }
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return pattern.matches(p);
    }

    private static String longestLiteral(String g) {
        String best = "";
        int start = 0;
        boolean inClass = false;
        for (int i = 0; i <= g.length(); i++) {
            char c = i < g.length() ? g.charAt(i) : '*';
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                    start = i + 1;
                }
                continue;
            }
            if (c == '*' || c == '?' || c == '[') {
                if (i - start > best.length()) {
                    best = g.substring(start, i);
                }
                inClass = c == '[';
                start = i + 1;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return glob;
    }
}
