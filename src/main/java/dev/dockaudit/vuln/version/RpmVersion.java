package dev.dockaudit.vuln.version;

/**
 * RPM versions as rpm compares them: {@code [epoch:]version[-release]} (EVR) with rpm's {@code rpmvercmp} on each
 * part. Used for Red Hat, AlmaLinux, Rocky Linux, SUSE/openSUSE, Mageia, Photon OS, CBL-Mariner/Azure Linux, Amazon
 * Linux, Oracle Linux and openEuler.
 *
 * <ul>
 * <li>EVR split (rpm's {@code parseEVR}): the epoch is a leading run of digits ended by ':' (an empty epoch, ":1",
 * is 0; a missing epoch is 0); the release is what follows the last '-' after the epoch. A missing release sorts
 * below any release (rpm 4.18 {@code rpm.ver}: {@code 1.0 < 1.0-1}). Epochs compare with rpmvercmp, so "01:2" equals
 * "1:2".</li>
 * <li>rpmvercmp: characters other than ASCII letters, digits, '~' and '^' only separate segments; '~' sorts before
 * everything, even the end; '^' sorts after the end of the other string but before anything else; a numeric
 * segment is newer than an alphabetic one; numbers compare by value (any length), letters as ASCII.</li>
 * </ul>
 *
 * rpm itself accepts any string; this comparator rejects only empty strings and strings with white space or control
 * characters (never part of an RPM header's EVR).
 */
public final class RpmVersion implements VersionComparator {

    public static final RpmVersion INSTANCE = new RpmVersion();
    private static final String SCHEME = "rpm";

    private RpmVersion() {
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public int compare(String a, String b) {
        check(a);
        check(b);
        return compareEvr(a, b);
    }

    @Override
    public boolean isValid(String v) {
        try {
            check(v);
            return true;
        } catch (InvalidVersionException e) {
            return false;
        }
    }

    private static void check(String v) {
        Chars.checkCommon(SCHEME, v);
        int bad = Chars.firstSpaceOrControl(v);
        if (bad >= 0) {
            throw new InvalidVersionException(SCHEME, v, "white space or control " + Chars.describe(v.charAt(bad)));
        }
    }

    /** Full EVR comparison; no validity checks (callers check first). */
    private static int compareEvr(String a, String b) {
        int aColon = epochColon(a);
        int bColon = epochColon(b);
        int aEpochEnd = aColon < 0 ? 0 : aColon;
        int bEpochEnd = bColon < 0 ? 0 : bColon;
        // missing or empty epoch = "0"
        int r = vercmp(aEpochEnd == 0 ? "0" : a, 0, aEpochEnd == 0 ? 1 : aEpochEnd,
                bEpochEnd == 0 ? "0" : b, 0, bEpochEnd == 0 ? 1 : bEpochEnd);
        if (r != 0) {
            return r;
        }
        int aVer = aColon + 1;
        int bVer = bColon + 1;
        int aHyphen = a.lastIndexOf('-');
        int bHyphen = b.lastIndexOf('-');
        if (aHyphen < aVer) {
            aHyphen = -1;
        }
        if (bHyphen < bVer) {
            bHyphen = -1;
        }
        r = vercmp(a, aVer, aHyphen < 0 ? a.length() : aHyphen, b, bVer, bHyphen < 0 ? b.length() : bHyphen);
        if (r != 0) {
            return r;
        }
        if (aHyphen < 0 || bHyphen < 0) {
            return aHyphen < 0 ? (bHyphen < 0 ? 0 : -1) : 1;
        }
        return vercmp(a, aHyphen + 1, a.length(), b, bHyphen + 1, b.length());
    }

    /** Index of the ':' ending a leading run of digits (possibly empty), or -1. */
    private static int epochColon(String s) {
        int i = 0;
        while (i < s.length() && Chars.isDigit(s.charAt(i))) {
            i++;
        }
        return i < s.length() && s.charAt(i) == ':' ? i : -1;
    }

    /**
     * rpm's {@code rpmvercmp} on two whole strings, without the EVR split. Throws only for null.
     */
    public static int rpmvercmp(String a, String b) {
        if (a == null || b == null) {
            throw new InvalidVersionException(SCHEME, null, "no version (null)");
        }
        return vercmp(a, 0, a.length(), b, 0, b.length());
    }

    private static boolean isSegmentChar(char c) {
        return Chars.isAlnum(c) || c == '~' || c == '^';
    }

    static int vercmp(String a, int i, int aEnd, String b, int j, int bEnd) {
        if (aEnd - i == bEnd - j && a.regionMatches(i, b, j, aEnd - i)) {
            return 0;
        }
        while (i < aEnd || j < bEnd) {
            while (i < aEnd && !isSegmentChar(a.charAt(i))) {
                i++;
            }
            while (j < bEnd && !isSegmentChar(b.charAt(j))) {
                j++;
            }
            char ca = i < aEnd ? a.charAt(i) : 0;
            char cb = j < bEnd ? b.charAt(j) : 0;
            // tilde sorts before everything else
            if (ca == '~' || cb == '~') {
                if (ca != '~') {
                    return 1;
                }
                if (cb != '~') {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            // caret: like tilde, except that the end of the other string sorts lower
            if (ca == '^' || cb == '^') {
                if (i >= aEnd) {
                    return -1;
                }
                if (j >= bEnd) {
                    return 1;
                }
                if (ca != '^') {
                    return 1;
                }
                if (cb != '^') {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            if (i >= aEnd || j >= bEnd) {
                break;
            }
            int si = i;
            int sj = j;
            boolean numeric = Chars.isDigit(ca);
            if (numeric) {
                while (i < aEnd && Chars.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < bEnd && Chars.isDigit(b.charAt(j))) {
                    j++;
                }
            } else {
                while (i < aEnd && Chars.isAlpha(a.charAt(i))) {
                    i++;
                }
                while (j < bEnd && Chars.isAlpha(b.charAt(j))) {
                    j++;
                }
            }
            // segments of different types: numeric is newer than alphabetic
            if (sj == j) {
                return numeric ? 1 : -1;
            }
            int r;
            if (numeric) {
                r = Chars.compareDigits(a, si, i, b, sj, j);
            } else {
                r = compareAscii(a, si, i, b, sj, j);
            }
            if (r != 0) {
                return r;
            }
        }
        boolean aDone = i >= aEnd;
        boolean bDone = j >= bEnd;
        if (aDone && bDone) {
            return 0;
        }
        return aDone ? -1 : 1;
    }

    private static int compareAscii(String a, int i, int aEnd, String b, int j, int bEnd) {
        while (i < aEnd && j < bEnd) {
            char x = a.charAt(i++);
            char y = b.charAt(j++);
            if (x != y) {
                return x < y ? -1 : 1;
            }
        }
        int la = aEnd - i;
        int lb = bEnd - j;
        return la == lb ? 0 : (la < lb ? -1 : 1);
    }
}
