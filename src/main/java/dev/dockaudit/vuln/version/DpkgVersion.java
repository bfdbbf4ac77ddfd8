package dev.dockaudit.vuln.version;

/**
 * Debian and Ubuntu package versions, {@code [epoch:]upstream_version[-debian_revision]}, ordered as dpkg does
 * (deb-version(7), libdpkg's {@code parseversion} and {@code verrevcmp}).
 *
 * <ul>
 * <li>The epoch is the digits before the first colon (missing = 0); the revision is what follows the last hyphen
 * (missing = empty, which equals "0").</li>
 * <li>Epochs compare as numbers, then upstream versions, then revisions. Each part alternates runs of non-digits and
 * digits: non-digit runs compare character by character with '~' before everything (even the end of the part),
 * then the end, then letters, then all other characters; digit runs compare as numbers.</li>
 * </ul>
 *
 * Validity follows {@code dpkg --validate-version}: errors (empty version, bad epoch, nothing after the colon,
 * empty revision, embedded spaces) and the warnings dpkg also rejects there (upstream not starting with a digit,
 * a character outside {@code [A-Za-z0-9.+~-:]} in the upstream version or outside {@code [A-Za-z0-9.+~]} in the
 * revision). {@link #compareLenient} orders warning-level strings the way {@code dpkg --compare-versions} still
 * does; errors are rejected in both modes. Non-ASCII characters are rejected in both modes (dpkg would compare their
 * UTF-8 bytes; no Debian archive version contains one).
 */
public final class DpkgVersion implements VersionComparator {

    public static final DpkgVersion INSTANCE = new DpkgVersion();
    private static final String SCHEME = "dpkg";

    private DpkgVersion() {
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public int compare(String a, String b) {
        return compare(parse(a, true), parse(b, true));
    }

    @Override
    public int compareLenient(String a, String b) {
        return compare(parse(a, false), parse(b, false));
    }

    @Override
    public boolean isValid(String v) {
        try {
            parse(v, true);
            return true;
        } catch (InvalidVersionException e) {
            return false;
        }
    }

    /** A parsed version: offsets into the (trimmed) string, no copies. */
    private static final class Parsed {
        final String s;
        final int epoch;
        final int upStart;
        final int upEnd;
        final int revStart;
        final int revEnd;

        Parsed(String s, int epoch, int upStart, int upEnd, int revStart, int revEnd) {
            this.s = s;
            this.epoch = epoch;
            this.upStart = upStart;
            this.upEnd = upEnd;
            this.revStart = revStart;
            this.revEnd = revEnd;
        }
    }

    private static int compare(Parsed a, Parsed b) {
        if (a.epoch != b.epoch) {
            return a.epoch < b.epoch ? -1 : 1;
        }
        int r = verrevcmp(a.s, a.upStart, a.upEnd, b.s, b.upStart, b.upEnd);
        if (r != 0) {
            return r;
        }
        return verrevcmp(a.s, a.revStart, a.revEnd, b.s, b.revStart, b.revEnd);
    }

    private static Parsed parse(String v, boolean strict) {
        Chars.checkCommon(SCHEME, v);
        // dpkg trims leading and trailing white space, then refuses embedded white space
        int start = 0;
        int end = v.length();
        while (start < end && Chars.isSpace(v.charAt(start))) {
            start++;
        }
        while (end > start && Chars.isSpace(v.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            throw new InvalidVersionException(SCHEME, v, "version string is empty");
        }
        for (int i = start; i < end; i++) {
            char c = v.charAt(i);
            if (Chars.isSpace(c)) {
                throw new InvalidVersionException(SCHEME, v, "version string has embedded spaces");
            }
            if (c == 0 || c > 0x7e) {
                throw new InvalidVersionException(SCHEME, v, "non-ASCII or NUL " + Chars.describe(c));
            }
        }
        int epoch = 0;
        int upStart = start;
        int colon = v.indexOf(':', start);
        if (colon >= 0 && colon < end) {
            if (colon == start) {
                throw new InvalidVersionException(SCHEME, v, "epoch in version is empty");
            }
            long e = 0;
            int i = start;
            boolean negative = false;
            if (v.charAt(i) == '-' || v.charAt(i) == '+') {
                negative = v.charAt(i) == '-';
                i++;
            }
            if (i == colon) {
                throw new InvalidVersionException(SCHEME, v, "epoch in version is not number");
            }
            for (; i < colon; i++) {
                char c = v.charAt(i);
                if (!Chars.isDigit(c)) {
                    throw new InvalidVersionException(SCHEME, v, "epoch in version is not number");
                }
                if (e <= Integer.MAX_VALUE) {
                    e = e * 10 + (c - '0');
                }
            }
            if (negative && e != 0) {
                throw new InvalidVersionException(SCHEME, v, "epoch in version is negative");
            }
            if (e > Integer.MAX_VALUE) {
                throw new InvalidVersionException(SCHEME, v, "epoch in version is too big");
            }
            epoch = (int) e;
            upStart = colon + 1;
            if (upStart == end) {
                throw new InvalidVersionException(SCHEME, v, "nothing after colon in version number");
            }
        }
        int hyphen = v.lastIndexOf('-', end - 1);
        int upEnd = end;
        int revStart = end;
        if (hyphen >= upStart) {
            upEnd = hyphen;
            revStart = hyphen + 1;
            if (revStart == end) {
                throw new InvalidVersionException(SCHEME, v, "revision number is empty");
            }
        }
        if (upStart == upEnd) {
            throw new InvalidVersionException(SCHEME, v, "version number is empty");
        }
        if (strict) {
            if (!Chars.isDigit(v.charAt(upStart))) {
                throw new InvalidVersionException(SCHEME, v, "version number does not start with digit");
            }
            for (int i = upStart; i < upEnd; i++) {
                char c = v.charAt(i);
                if (!Chars.isAlnum(c) && c != '.' && c != '-' && c != '+' && c != '~' && c != ':') {
                    throw new InvalidVersionException(SCHEME, v,
                            "invalid " + Chars.describe(c) + " in version number");
                }
            }
            for (int i = revStart; i < end; i++) {
                char c = v.charAt(i);
                if (!Chars.isAlnum(c) && c != '.' && c != '+' && c != '~') {
                    throw new InvalidVersionException(SCHEME, v,
                            "invalid " + Chars.describe(c) + " in revision number");
                }
            }
        }
        return new Parsed(v, epoch, upStart, upEnd, revStart, end);
    }

    /** dpkg's character weight: digits 0 (they end a non-digit run), '~' lowest, end 0, letters, then the rest. */
    private static int order(char c) {
        if (Chars.isDigit(c)) {
            return 0;
        }
        if (Chars.isAlpha(c)) {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        if (c != 0) {
            return c + 256;
        }
        return 0;
    }

    private static int verrevcmp(String a, int ai, int aEnd, String b, int bi, int bEnd) {
        while (ai < aEnd || bi < bEnd) {
            // non-digit prefix
            while ((ai < aEnd && !Chars.isDigit(a.charAt(ai))) || (bi < bEnd && !Chars.isDigit(b.charAt(bi)))) {
                int ac = ai < aEnd ? order(a.charAt(ai)) : 0;
                int bc = bi < bEnd ? order(b.charAt(bi)) : 0;
                if (ac != bc) {
                    return ac < bc ? -1 : 1;
                }
                ai++;
                bi++;
            }
            // numeric run
            while (ai < aEnd && a.charAt(ai) == '0') {
                ai++;
            }
            while (bi < bEnd && b.charAt(bi) == '0') {
                bi++;
            }
            int firstDiff = 0;
            while (ai < aEnd && bi < bEnd && Chars.isDigit(a.charAt(ai)) && Chars.isDigit(b.charAt(bi))) {
                if (firstDiff == 0) {
                    firstDiff = a.charAt(ai) - b.charAt(bi);
                }
                ai++;
                bi++;
            }
            if (ai < aEnd && Chars.isDigit(a.charAt(ai))) {
                return 1;
            }
            if (bi < bEnd && Chars.isDigit(b.charAt(bi))) {
                return -1;
            }
            if (firstDiff != 0) {
                return firstDiff < 0 ? -1 : 1;
            }
        }
        return 0;
    }
}
