package dev.dockaudit.vuln.version;

/**
 * Semantic Versioning 2.0.0 precedence, for Go modules, npm, crates.io, Hex and OSV's {@code SEMVER} range type.
 *
 * <ul>
 * <li>{@code MAJOR.MINOR.PATCH[-prerelease][+build]}; numbers without leading zeros, of any size. A leading 'v' (Go
 * module versions, git tags) is ignored, and like Go's {@code semver} package the shorthands {@code v1} and
 * {@code v1.2} mean v1.0.0 and v1.2.0.</li>
 * <li>Build metadata is ignored ({@code +incompatible} on Go modules included). A pre-release is lower than its
 * release; pre-release identifiers compare one by one: numeric ones by value and below alphanumeric ones,
 * alphanumeric ones as ASCII; more identifiers is higher when the shared ones are equal.</li>
 * <li>Go pseudo-versions ({@code v0.0.0-20191109021931-daa7c04131f5}, {@code v1.2.4-0.20191109021931-daa7c04131f5})
 * are ordinary pre-releases and order by their timestamp, as Go does.</li>
 * </ul>
 */
public final class SemverVersion implements VersionComparator {

    public static final SemverVersion INSTANCE = new SemverVersion();
    private static final String SCHEME = "semver";

    private SemverVersion() {
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public boolean isValid(String v) {
        try {
            parse(v);
            return true;
        } catch (InvalidVersionException e) {
            return false;
        }
    }

    @Override
    public int compare(String a, String b) {
        int[] pa = parse(a);
        int[] pb = parse(b);
        for (int k = 0; k < 3; k++) {
            int r = Chars.compareDigits(a, pa[2 * k], pa[2 * k + 1], b, pb[2 * k], pb[2 * k + 1]);
            if (r != 0) {
                return Integer.signum(r);
            }
        }
        return comparePrerelease(a, pa[6], pa[7], b, pb[6], pb[7], false);
    }

    /**
     * Parses into offsets: [majorStart, majorEnd, minorStart, minorEnd, patchStart, patchEnd, preStart, preEnd]; a
     * missing minor/patch is an empty range (0); a missing pre-release has preStart = -1.
     */
    private static int[] parse(String v) {
        Chars.checkCommon(SCHEME, v);
        int n = v.length();
        int i = 0;
        if (v.charAt(0) == 'v' || v.charAt(0) == 'V') {
            i = 1;
        }
        int[] p = new int[8];
        int count = 0;
        while (true) {
            int s = i;
            while (i < n && Chars.isDigit(v.charAt(i))) {
                i++;
            }
            if (s == i) {
                throw new InvalidVersionException(SCHEME, v, count == 0
                        ? "must start with a number (MAJOR.MINOR.PATCH)"
                        : "missing number after '.'");
            }
            if (v.charAt(s) == '0' && i - s > 1) {
                throw new InvalidVersionException(SCHEME, v, "number with a leading zero");
            }
            p[2 * count] = s;
            p[2 * count + 1] = i;
            count++;
            if (count < 3 && i < n && v.charAt(i) == '.') {
                i++;
                continue;
            }
            break;
        }
        for (int k = count; k < 3; k++) {
            p[2 * k] = 0;
            p[2 * k + 1] = 0;
        }
        p[6] = -1;
        p[7] = -1;
        if (i < n && v.charAt(i) == '-') {
            p[6] = i + 1;
            i = identifiers(v, i + 1, SCHEME, "pre-release");
            p[7] = i;
            // SemVer: numeric pre-release identifiers have no leading zeros
            int s = p[6];
            for (int k = s; k <= p[7]; k++) {
                if (k == p[7] || v.charAt(k) == '.') {
                    if (k - s > 1 && v.charAt(s) == '0' && Chars.allDigits(v, s, k)) {
                        throw new InvalidVersionException(SCHEME, v,
                                "numeric pre-release identifier with a leading zero");
                    }
                    s = k + 1;
                }
            }
        }
        if (i < n && v.charAt(i) == '+') {
            i = identifiers(v, i + 1, SCHEME, "build metadata");
        }
        if (i < n) {
            if (v.charAt(i) == '.' && count == 3) {
                throw new InvalidVersionException(SCHEME, v, "more than three version numbers");
            }
            throw new InvalidVersionException(SCHEME, v, "unexpected " + Chars.describe(v.charAt(i))
                    + " at position " + (i + 1));
        }
        return p;
    }

    /** Reads dot-separated non-empty identifiers of [0-9A-Za-z-] from i; returns the end. */
    static int identifiers(String v, int i, String scheme, String what) {
        int n = v.length();
        while (true) {
            int s = i;
            while (i < n && (Chars.isAlnum(v.charAt(i)) || v.charAt(i) == '-')) {
                i++;
            }
            if (s == i) {
                throw new InvalidVersionException(scheme, v, "empty " + what + " identifier");
            }
            if (i < n && v.charAt(i) == '.') {
                i++;
                continue;
            }
            return i;
        }
    }

    /**
     * Compares two dot-separated identifier lists given as ranges (start -1 = none: a release, which is higher).
     */
    static int comparePrerelease(String a, int as, int ae, String b, int bs, int be, boolean ignoreCase) {
        if (as < 0 || bs < 0) {
            return as < 0 ? (bs < 0 ? 0 : 1) : -1;
        }
        int i = as;
        int j = bs;
        // identifiers are non-empty, so one starts at i exactly when i < ae
        while (i < ae && j < be) {
            int iEnd = i;
            while (iEnd < ae && a.charAt(iEnd) != '.') {
                iEnd++;
            }
            int jEnd = j;
            while (jEnd < be && b.charAt(jEnd) != '.') {
                jEnd++;
            }
            boolean an = Chars.allDigits(a, i, iEnd);
            boolean bn = Chars.allDigits(b, j, jEnd);
            int r;
            if (an && bn) {
                r = Chars.compareDigits(a, i, iEnd, b, j, jEnd);
            } else if (an != bn) {
                r = an ? -1 : 1;
            } else {
                r = compareText(a, i, iEnd, b, j, jEnd, ignoreCase);
            }
            if (r != 0) {
                return Integer.signum(r);
            }
            i = iEnd + 1;
            j = jEnd + 1;
        }
        boolean aMore = i < ae;
        boolean bMore = j < be;
        return aMore == bMore ? 0 : (aMore ? 1 : -1);
    }

    private static int compareText(String a, int i, int ie, String b, int j, int je, boolean ignoreCase) {
        while (i < ie && j < je) {
            char x = a.charAt(i++);
            char y = b.charAt(j++);
            if (ignoreCase) {
                x = Character.toUpperCase(x);
                y = Character.toUpperCase(y);
            }
            if (x != y) {
                return x < y ? -1 : 1;
            }
        }
        int la = ie - i;
        int lb = je - j;
        return la == lb ? 0 : (la < lb ? -1 : 1);
    }
}
