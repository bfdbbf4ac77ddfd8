package dev.dockaudit.vuln.version;

import java.util.ArrayList;
import java.util.List;

/**
 * Python package versions (PyPI) per PEP 440, parsed and ordered as the {@code packaging} library does.
 *
 * <ul>
 * <li>Accepted spelling (normalisation): case-insensitive, surrounding white space and a leading 'v' ignored;
 * {@code alpha/a}, {@code beta/b}, {@code c/pre/preview/rc} pre-releases, {@code post/rev/r} or {@code -N}
 * post-releases, {@code dev} releases, each optionally preceded and followed by '-', '_' or '.', with an optional
 * number (missing = 0); {@code N!} epochs; {@code +local} labels.</li>
 * <li>Order: epoch; release (trailing zeros ignored); then a dev release of a final version (1.0.dev1) before any
 * pre-release, pre-releases {@code a < b < rc} before the final release; post-releases after it; a dev release before
 * the release it belongs to; finally the local label (none is lowest; numeric parts compare as numbers and above
 * alphanumeric parts).</li>
 * </ul>
 *
 * {@link #compareLenient} also orders "legacy" versions that are not PEP 440 (such as {@code 0.1-bulbasaur}) as pip
 * did before packaging 22 ({@code LegacyVersion}): always below every PEP 440 version, and among themselves by
 * setuptools' old {@code parse_version} key.
 */
public final class Pep440Version implements VersionComparator {

    public static final Pep440Version INSTANCE = new Pep440Version();
    private static final String SCHEME = "pep440";

    private Pep440Version() {
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public int compare(String a, String b) {
        return compare(parseStrict(a), parseStrict(b));
    }

    @Override
    public boolean isValid(String v) {
        if (v == null || v.isEmpty() || v.length() > MAX_LENGTH) {
            return false;
        }
        return new Parser(v).parse() != null;
    }

    @Override
    public int compareLenient(String a, String b) {
        Chars.checkCommon(SCHEME, a);
        Chars.checkCommon(SCHEME, b);
        Parsed pa = new Parser(a).parse();
        Parsed pb = new Parser(b).parse();
        if (pa != null && pb != null) {
            return compare(pa, pb);
        }
        if (pa == null) {
            checkLegacy(a);
        }
        if (pb == null) {
            checkLegacy(b);
        }
        if (pa != null) {
            return 1; // a legacy version is below every PEP 440 version
        }
        if (pb != null) {
            return -1;
        }
        return compareLegacyKeys(legacyKey(a), legacyKey(b));
    }

    private static void checkLegacy(String v) {
        int bad = Chars.firstSpaceOrControl(v.strip());
        if (bad >= 0 || v.isBlank()) {
            throw new InvalidVersionException(SCHEME, v, "not a version (blank, or white space or control characters)");
        }
    }

    private static Parsed parseStrict(String v) {
        Chars.checkCommon(SCHEME, v);
        Parsed p = new Parser(v).parse();
        if (p == null) {
            throw new InvalidVersionException(SCHEME, v, "not a PEP 440 version (expected [N!]N(.N)*[{a|b|rc}N][.postN]"
                    + "[.devN][+local])");
        }
        return p;
    }

    /** A parsed version; numbers are digit strings with leading zeros stripped (any size). */
    private static final class Parsed {
        String epoch = "";
        final List<String> release = new ArrayList<>(4);
        int preLetter = -1; // 0 a, 1 b, 2 rc; -1 none
        String preNumber = "";
        String post; // null = none
        String dev; // null = none
        List<String> local; // null = none
    }

    private static int compare(Parsed a, Parsed b) {
        int r = Chars.compareDigits(a.epoch, b.epoch);
        if (r != 0) {
            return Integer.signum(r);
        }
        r = compareRelease(a.release, b.release);
        if (r != 0) {
            return r;
        }
        r = Integer.compare(preRank(a), preRank(b));
        if (r != 0) {
            return r;
        }
        if (a.preLetter >= 0) {
            r = Integer.compare(a.preLetter, b.preLetter);
            if (r == 0) {
                r = Chars.compareDigits(a.preNumber, b.preNumber);
            }
            if (r != 0) {
                return Integer.signum(r);
            }
        }
        // post: none lowest
        if (a.post == null || b.post == null) {
            if (a.post != b.post) {
                return a.post == null ? -1 : 1;
            }
        } else {
            r = Chars.compareDigits(a.post, b.post);
            if (r != 0) {
                return Integer.signum(r);
            }
        }
        // dev: none highest
        if (a.dev == null || b.dev == null) {
            if (a.dev != b.dev) {
                return a.dev == null ? 1 : -1;
            }
        } else {
            r = Chars.compareDigits(a.dev, b.dev);
            if (r != 0) {
                return Integer.signum(r);
            }
        }
        return compareLocal(a.local, b.local);
    }

    /** 0: dev release of a final version (sorts first); 1: a pre-release; 2: no pre-release. */
    private static int preRank(Parsed p) {
        if (p.preLetter >= 0) {
            return 1;
        }
        if (p.post == null && p.dev != null) {
            return 0;
        }
        return 2;
    }

    private static int compareRelease(List<String> a, List<String> b) {
        int na = a.size();
        int nb = b.size();
        while (na > 0 && a.get(na - 1).isEmpty()) {
            na--;
        }
        while (nb > 0 && b.get(nb - 1).isEmpty()) {
            nb--;
        }
        int n = Math.min(na, nb);
        for (int i = 0; i < n; i++) {
            int r = Chars.compareDigits(a.get(i), b.get(i));
            if (r != 0) {
                return Integer.signum(r);
            }
        }
        return Integer.compare(na, nb);
    }

    private static int compareLocal(List<String> a, List<String> b) {
        if (a == null || b == null) {
            return a == b ? 0 : (a == null ? -1 : 1);
        }
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            String x = a.get(i);
            String y = b.get(i);
            boolean dx = Chars.allDigits(x, 0, x.length());
            boolean dy = Chars.allDigits(y, 0, y.length());
            int r;
            if (dx && dy) {
                r = Chars.compareDigits(x, y);
            } else if (dx != dy) {
                r = dx ? 1 : -1; // numeric parts sort above alphanumeric ones
            } else {
                r = x.compareTo(y);
            }
            if (r != 0) {
                return Integer.signum(r);
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** Hand-written recogniser for packaging's VERSION_PATTERN; returns null when the string does not match. */
    private static final class Parser {
        private final String s;
        private int pos;
        private final int end;

        Parser(String v) {
            int st = 0;
            int en = v.length();
            while (st < en && Character.isWhitespace(v.charAt(st))) {
                st++;
            }
            while (en > st && Character.isWhitespace(v.charAt(en - 1))) {
                en--;
            }
            this.s = v;
            this.pos = st;
            this.end = en;
        }

        private char at(int i) {
            return i < end ? Chars.toLower(s.charAt(i)) : 0;
        }

        private static boolean isSep(char c) {
            return c == '-' || c == '_' || c == '.';
        }

        /** Length of the digit run at i. */
        private int digitsAt(int i) {
            int j = i;
            while (j < end && Chars.isDigit(s.charAt(j))) {
                j++;
            }
            return j - i;
        }

        private String number(int i, int len) {
            int k = i;
            int e = i + len;
            while (k < e && s.charAt(k) == '0') {
                k++;
            }
            return s.substring(k, e);
        }

        /** The longest of the given words at i (case-insensitive), or null. */
        private String word(int i, String... words) {
            String best = null;
            for (String w : words) {
                if (i + w.length() <= end && (best == null || w.length() > best.length())) {
                    boolean ok = true;
                    for (int k = 0; k < w.length(); k++) {
                        if (at(i + k) != w.charAt(k)) {
                            ok = false;
                            break;
                        }
                    }
                    if (ok) {
                        best = w;
                    }
                }
            }
            return best;
        }

        Parsed parse() {
            Parsed p = new Parsed();
            if (at(pos) == 'v') {
                pos++;
            }
            int d = digitsAt(pos);
            if (d == 0) {
                return null;
            }
            if (at(pos + d) == '!') {
                p.epoch = number(pos, d);
                pos += d + 1;
                d = digitsAt(pos);
                if (d == 0) {
                    return null;
                }
            }
            p.release.add(number(pos, d));
            pos += d;
            while (at(pos) == '.' && digitsAt(pos + 1) > 0) {
                d = digitsAt(pos + 1);
                p.release.add(number(pos + 1, d));
                pos += 1 + d;
            }
            // pre-release: [-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?N?
            {
                int i = pos;
                if (isSep(at(i))) {
                    i++;
                }
                String w = word(i, "alpha", "a", "beta", "b", "preview", "pre", "c", "rc");
                if (w != null) {
                    i += w.length();
                    p.preLetter = switch (w) {
                        case "alpha", "a" -> 0;
                        case "beta", "b" -> 1;
                        default -> 2;
                    };
                    int j = isSep(at(i)) ? i + 1 : i;
                    int n = digitsAt(j);
                    if (n > 0) {
                        p.preNumber = number(j, n);
                        i = j + n;
                    } else {
                        i = j;
                    }
                    pos = i;
                }
            }
            // post-release: -N | [-_.]?(post|rev|r)[-_.]?N?
            {
                int i = pos;
                if (at(i) == '-' && digitsAt(i + 1) > 0) {
                    int n = digitsAt(i + 1);
                    p.post = number(i + 1, n);
                    pos = i + 1 + n;
                } else {
                    if (isSep(at(i))) {
                        i++;
                    }
                    String w = word(i, "post", "rev", "r");
                    if (w != null) {
                        i += w.length();
                        int j = isSep(at(i)) ? i + 1 : i;
                        int n = digitsAt(j);
                        if (n > 0) {
                            p.post = number(j, n);
                            i = j + n;
                        } else {
                            p.post = "";
                            i = j;
                        }
                        pos = i;
                    }
                }
            }
            // dev release: [-_.]?dev[-_.]?N?
            {
                int i = pos;
                if (isSep(at(i))) {
                    i++;
                }
                if (word(i, "dev") != null) {
                    i += 3;
                    int j = isSep(at(i)) ? i + 1 : i;
                    int n = digitsAt(j);
                    if (n > 0) {
                        p.dev = number(j, n);
                        i = j + n;
                    } else {
                        p.dev = "";
                        i = j;
                    }
                    pos = i;
                }
            }
            // local version: +[a-z0-9]+([-_.][a-z0-9]+)*
            if (at(pos) == '+') {
                pos++;
                List<String> local = new ArrayList<>(2);
                while (true) {
                    int st = pos;
                    while (pos < end && Chars.isAlnum(s.charAt(pos))) {
                        pos++;
                    }
                    if (st == pos) {
                        return null;
                    }
                    String part = s.substring(st, pos);
                    local.add(Chars.allDigits(part, 0, part.length())
                            ? number(st, pos - st)
                            : part.toLowerCase(java.util.Locale.ROOT));
                    if (isSep(at(pos)) && pos + 1 < end && Chars.isAlnum(s.charAt(pos + 1))) {
                        pos++;
                    } else {
                        break;
                    }
                }
                p.local = local;
            }
            return pos == end ? p : null;
        }
    }

    // --- legacy versions (packaging < 22 LegacyVersion / setuptools' old parse_version) ---

    private static List<String> legacyKey(String version) {
        List<String> parts = new ArrayList<>();
        String v = version.toLowerCase(java.util.Locale.ROOT);
        int i = 0;
        int n = v.length();
        List<String> raw = new ArrayList<>();
        // split on (\d+ | [a-z]+ | \. | -), keeping the delimiters and the text between them
        int textStart = 0;
        while (i < n) {
            char c = v.charAt(i);
            int j = i;
            if (Chars.isDigit(c)) {
                while (j < n && Chars.isDigit(v.charAt(j))) {
                    j++;
                }
            } else if (Chars.isLower(c)) {
                while (j < n && Chars.isLower(v.charAt(j))) {
                    j++;
                }
            } else if (c == '.' || c == '-') {
                j = i + 1;
            } else {
                i++;
                continue;
            }
            if (textStart < i) {
                raw.add(v.substring(textStart, i));
            }
            raw.add(v.substring(i, j));
            i = j;
            textStart = j;
        }
        if (textStart < n) {
            raw.add(v.substring(textStart));
        }
        for (String part : raw) {
            switch (part) {
                case "pre", "preview", "rc" -> part = "c";
                case "-" -> part = "final-";
                case "dev" -> part = "@";
                default -> {
                }
            }
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            String item;
            if (Chars.isDigit(part.charAt(0))) {
                item = part.length() >= 8 ? part : "0".repeat(8 - part.length()) + part;
            } else {
                item = "*" + part;
            }
            addLegacy(parts, item);
        }
        addLegacy(parts, "*final");
        return parts;
    }

    private static void addLegacy(List<String> parts, String item) {
        if (item.startsWith("*")) {
            if (item.compareTo("*final") < 0) {
                while (!parts.isEmpty() && parts.get(parts.size() - 1).equals("*final-")) {
                    parts.remove(parts.size() - 1);
                }
            }
            while (!parts.isEmpty() && parts.get(parts.size() - 1).equals("00000000")) {
                parts.remove(parts.size() - 1);
            }
        }
        parts.add(item);
    }

    private static int compareLegacyKeys(List<String> a, List<String> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int r = a.get(i).compareTo(b.get(i));
            if (r != 0) {
                return Integer.signum(r);
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
