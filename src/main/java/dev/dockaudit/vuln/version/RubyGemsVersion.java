package dev.dockaudit.vuln.version;

import java.util.ArrayList;
import java.util.List;

/**
 * RubyGems versions ordered as {@code Gem::Version} does.
 *
 * <ul>
 * <li>Valid: {@code N(.X)*} where N is digits and X is letters/digits, optionally followed by
 * {@code -X(.X)*} (X letters, digits or '-'); surrounding white space is ignored. A '-' means ".pre.".</li>
 * <li>The version is cut into segments, each a run of digits (a number) or of letters (a string). Trailing zeros of
 * the numeric part and of the part after the first string are dropped ({@code 1.0 = 1}, {@code 1.0.a = 1.a}).</li>
 * <li>Segments compare left to right, a missing one counting as 0; a string (pre-release) is lower than a number;
 * numbers by value, strings as ASCII (case-sensitive).</li>
 * </ul>
 * RubyGems reads an empty string as "0"; this comparator rejects it, and rejects what {@code Gem::Version} calls a
 * malformed version number string (such as {@code 1beta} or {@code 1..2}).
 */
public final class RubyGemsVersion implements VersionComparator {

    public static final RubyGemsVersion INSTANCE = new RubyGemsVersion();
    private static final String SCHEME = "rubygems";

    private RubyGemsVersion() {
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public int compare(String a, String b) {
        List<Object> sa = segments(a);
        List<Object> sb = segments(b);
        int n = Math.max(sa.size(), sb.size());
        for (int i = 0; i < n; i++) {
            Object l = i < sa.size() ? sa.get(i) : "";
            Object r = i < sb.size() ? sb.get(i) : "";
            boolean ln = isNumber(l);
            boolean rn = isNumber(r);
            if (ln && rn) {
                int c = Chars.compareDigits((String) l, (String) r);
                if (c != 0) {
                    return Integer.signum(c);
                }
            } else if (ln != rn) {
                return ln ? 1 : -1;
            } else {
                int c = ((Text) l).value.compareTo(((Text) r).value);
                if (c != 0) {
                    return Integer.signum(c);
                }
            }
        }
        return 0;
    }

    @Override
    public boolean isValid(String v) {
        try {
            segments(v);
            return true;
        } catch (InvalidVersionException e) {
            return false;
        }
    }

    /** A string segment (numbers are kept as digit strings without leading zeros, "" meaning 0). */
    private record Text(String value) {
    }

    private static boolean isNumber(Object o) {
        return o instanceof String;
    }

    private static boolean isRubySpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    /** Validates and returns the canonical segments: numbers as stripped digit strings, strings as {@link Text}. */
    private static List<Object> segments(String v) {
        Chars.checkCommon(SCHEME, v);
        int start = 0;
        int end = v.length();
        while (start < end && isRubySpace(v.charAt(start))) {
            start++;
        }
        while (end > start && isRubySpace(v.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            throw new InvalidVersionException(SCHEME, v, "blank");
        }
        validate(v, start, end);
        // scan /[0-9]+|[a-z]+/i over the version (a '-' only separates, as ".pre." after gsub)
        List<Object> segs = new ArrayList<>();
        int i = start;
        while (i < end) {
            char c = v.charAt(i);
            if (c == '-') {
                segs.add(new Text("pre"));
                i++;
            } else if (Chars.isDigit(c)) {
                int j = i;
                while (j < end && Chars.isDigit(v.charAt(j))) {
                    j++;
                }
                int k = i;
                while (k < j && v.charAt(k) == '0') {
                    k++;
                }
                segs.add(v.substring(k, j));
                i = j;
            } else if (Chars.isAlpha(c)) {
                int j = i;
                while (j < end && Chars.isAlpha(v.charAt(j))) {
                    j++;
                }
                segs.add(new Text(v.substring(i, j)));
                i = j;
            } else {
                i++;
            }
        }
        // canonical segments: drop trailing zeros of the numeric prefix and of the rest
        int firstString = segs.size();
        for (int k = 0; k < segs.size(); k++) {
            if (!isNumber(segs.get(k))) {
                firstString = k;
                break;
            }
        }
        List<Object> out = new ArrayList<>(segs.size());
        int numEnd = firstString;
        while (numEnd > 0 && ((String) segs.get(numEnd - 1)).isEmpty()) {
            numEnd--;
        }
        out.addAll(segs.subList(0, numEnd));
        int restEnd = segs.size();
        while (restEnd > firstString && isNumber(segs.get(restEnd - 1)) && ((String) segs.get(restEnd - 1)).isEmpty()) {
            restEnd--;
        }
        out.addAll(segs.subList(firstString, restEnd));
        return out;
    }

    /** {@code [0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?} over [start, end). */
    private static void validate(String v, int start, int end) {
        int i = start;
        if (i >= end || !Chars.isDigit(v.charAt(i))) {
            throw malformed(v, "must start with a digit");
        }
        while (i < end && Chars.isDigit(v.charAt(i))) {
            i++;
        }
        while (i < end && v.charAt(i) == '.') {
            int s = ++i;
            while (i < end && Chars.isAlnum(v.charAt(i))) {
                i++;
            }
            if (s == i) {
                throw malformed(v, "empty segment after '.'");
            }
        }
        if (i < end && v.charAt(i) == '-') {
            int s = ++i;
            while (i < end && (Chars.isAlnum(v.charAt(i)) || v.charAt(i) == '-')) {
                i++;
            }
            if (s == i) {
                throw malformed(v, "empty pre-release after '-'");
            }
            while (i < end && v.charAt(i) == '.') {
                s = ++i;
                while (i < end && (Chars.isAlnum(v.charAt(i)) || v.charAt(i) == '-')) {
                    i++;
                }
                if (s == i) {
                    throw malformed(v, "empty segment after '.'");
                }
            }
        }
        if (i < end) {
            throw malformed(v, "unexpected " + Chars.describe(v.charAt(i)) + " at position " + (i + 1));
        }
    }

    private static InvalidVersionException malformed(String v, String why) {
        return new InvalidVersionException(SCHEME, v, "malformed version number string (" + why + ")");
    }
}
