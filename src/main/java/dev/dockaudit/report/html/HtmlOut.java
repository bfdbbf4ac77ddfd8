package dev.dockaudit.report.html;

import java.util.regex.Pattern;

/**
 * Builds HTML text in which every string that can come from an image (labels, paths, commands, advisory texts) goes
 * through {@link #text} or an attribute value and so is escaped; only tag and attribute names, which are ours, are
 * written as they are. The markup is also well-formed XML (void elements closed, attributes quoted) so tests can
 * check its structure with a plain XML parser.
 */
final class HtmlOut {
    private static final Pattern SAFE_URL = Pattern.compile("(?i)https?://[^\\s\"'<>`]{1,2000}");
    private final StringBuilder sb = new StringBuilder(1 << 16);

    /** Escapes for text and for quoted attribute values alike. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                // controls other than tab and newline are not allowed in HTML text and would break an XML check
                default -> c < 0x20 && c != '\t' && c != '\n' || c == 0x7f ? "\uFFFD" : null;
            };
            if (rep != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (rep != null) {
                    b.append(rep);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    /**
     * The URL when it is an absolute http(s) URL a link may point to, else null: advisory references come from
     * databases anyone can contribute to, and a {@code javascript:} link would run on click.
     */
    static String safeUrl(String url) {
        return url != null && SAFE_URL.matcher(url).matches() ? url : null;
    }

    HtmlOut raw(String s) {
        sb.append(s);
        return this;
    }

    HtmlOut text(String s) {
        sb.append(escape(s));
        return this;
    }

    /** Opens a tag; attributes are name/value pairs, a null value leaves the attribute out. */
    HtmlOut open(String tag, String... attrs) {
        sb.append('<').append(tag);
        attributes(attrs);
        sb.append('>');
        return this;
    }

    HtmlOut close(String tag) {
        sb.append("</").append(tag).append('>');
        return this;
    }

    /** A void element such as {@code <meta>} or {@code <input>}. */
    HtmlOut empty(String tag, String... attrs) {
        sb.append('<').append(tag);
        attributes(attrs);
        sb.append(" />");
        return this;
    }

    /** An element holding escaped text. */
    HtmlOut el(String tag, String text, String... attrs) {
        return open(tag, attrs).text(text).close(tag);
    }

    HtmlOut nl() {
        sb.append('\n');
        return this;
    }

    private void attributes(String[] attrs) {
        if (attrs.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name/value pairs");
        }
        for (int i = 0; i < attrs.length; i += 2) {
            if (attrs[i + 1] != null) {
                sb.append(' ').append(attrs[i]).append("=\"").append(escape(attrs[i + 1])).append('"');
            }
        }
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
