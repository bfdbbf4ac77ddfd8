package dev.dockaudit.vuln.version;

/** Small ASCII helpers shared by the comparators (no regular expressions, no allocation). */
final class Chars {
    private Chars() {
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    static boolean isAlpha(char c) {
        return isLower(c) || isUpper(c);
    }

    static boolean isAlnum(char c) {
        return isDigit(c) || isAlpha(c);
    }

    static char toLower(char c) {
        return isUpper(c) ? (char) (c + 32) : c;
    }

    /** ASCII whitespace as C's isspace: space, \t, \n, \v, \f, \r. */
    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** Rejects null, empty and over-long strings (the checks every scheme shares); returns v. */
    static String checkCommon(String scheme, String v) {
        if (v == null) {
            throw new InvalidVersionException(scheme, null, "no version (null)");
        }
        if (v.isEmpty()) {
            throw new InvalidVersionException(scheme, v, "empty string");
        }
        if (v.length() > VersionComparator.MAX_LENGTH) {
            throw new InvalidVersionException(scheme, v,
                    "longer than " + VersionComparator.MAX_LENGTH + " characters");
        }
        return v;
    }

    /** Index of the first whitespace or control character, or -1. */
    static int firstSpaceOrControl(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= 0x20 || c == 0x7f || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return i;
            }
        }
        return -1;
    }

    static String describe(char c) {
        if (c < 0x20 || c == 0x7f || c > 0x7e) {
            return String.format("character U+%04X", (int) c);
        }
        return "character '" + c + "'";
    }

    /**
     * Compares two runs of ASCII digits numerically, of any length: leading zeros are ignored, then the longer run is
     * higher, then the first differing digit decides.
     */
    static int compareDigits(CharSequence a, int aStart, int aEnd, CharSequence b, int bStart, int bEnd) {
        while (aStart < aEnd && a.charAt(aStart) == '0') {
            aStart++;
        }
        while (bStart < bEnd && b.charAt(bStart) == '0') {
            bStart++;
        }
        int la = aEnd - aStart;
        int lb = bEnd - bStart;
        if (la != lb) {
            return la < lb ? -1 : 1;
        }
        for (int i = 0; i < la; i++) {
            char ca = a.charAt(aStart + i);
            char cb = b.charAt(bStart + i);
            if (ca != cb) {
                return ca < cb ? -1 : 1;
            }
        }
        return 0;
    }

    static int compareDigits(String a, String b) {
        return compareDigits(a, 0, a.length(), b, 0, b.length());
    }

    /** True when [start, end) is non-empty and all ASCII digits. */
    static boolean allDigits(CharSequence s, int start, int end) {
        if (start >= end) {
            return false;
        }
        for (int i = start; i < end; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static int signum(int x) {
        return Integer.signum(x);
    }
}
