package dev.dockaudit.vuln.version;

/**
 * Composer (Packagist) package versions, ordered as Composer's {@code Comparator} does: PHP's
 * {@code version_compare} on the version with Composer's leading 'v' removed.
 *
 * <ul>
 * <li>The version is canonicalised: '-', '_' and '+' become '.', a '.' is inserted at every change between digits
 * and non-digits, other characters act as '.'.</li>
 * <li>Parts compare left to right: numbers by value (exactly, where PHP would saturate at 2^63-1); words by their
 * PHP rank, matched by prefix: {@code dev < alpha = a < beta = b < RC = rc < (number) < pl = p}, any other word
 * lowest; a number against a word ranks as '#'.</li>
 * <li>When one side has parts left: a number there makes it higher, a word is ranked against a number (so
 * {@code 1.0 < 1.0.0}, {@code 1.0rc1 < 1.0 < 1.0pl1}).</li>
 * </ul>
 * Valid: after surrounding white space and one leading 'v' or 'V', either a digit or a {@code dev-} branch name
 * follows, only ASCII letters, digits, '.', '-', '_' and '+' occur, and the last character is a letter or digit (what
 * Composer's version parser can read; PHP's {@code version_compare} is not even reflexive on a trailing separator).
 */
public final class PackagistVersion implements VersionComparator {

    public static final PackagistVersion INSTANCE = new PackagistVersion();
    private static final String SCHEME = "packagist";
    private static final String NUMBER = "#N#";

    private PackagistVersion() {
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public boolean isValid(String v) {
        try {
            normalize(v);
            return true;
        } catch (InvalidVersionException e) {
            return false;
        }
    }

    @Override
    public int compare(String a, String b) {
        return versionCompare(normalize(a), normalize(b));
    }

    /** Validates; returns the version trimmed and without Composer's optional leading 'v'. */
    private static String normalize(String v) {
        Chars.checkCommon(SCHEME, v);
        String s = v.strip();
        if (s.isEmpty()) {
            throw new InvalidVersionException(SCHEME, v, "blank");
        }
        if ((s.charAt(0) == 'v' || s.charAt(0) == 'V') && s.length() > 1 && Chars.isDigit(s.charAt(1))) {
            s = s.substring(1);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Chars.isAlnum(c) && c != '.' && c != '-' && c != '_' && c != '+') {
                throw new InvalidVersionException(SCHEME, v, "unexpected " + Chars.describe(c));
            }
        }
        if (!Chars.isDigit(s.charAt(0)) && !(s.regionMatches(true, 0, "dev-", 0, 4) && s.length() > 4)) {
            throw new InvalidVersionException(SCHEME, v, "must start with a number or be a dev- branch");
        }
        if (!Chars.isAlnum(s.charAt(s.length() - 1))) {
            // PHP's version_compare is not even reflexive for these ("1.0." < "1.0."); Composer rejects them
            throw new InvalidVersionException(SCHEME, v, "ends with a separator");
        }
        return s;
    }

    private static boolean isSpecial(char c) {
        return c == '-' || c == '_' || c == '+';
    }

    private static boolean isDig(char c) {
        return Chars.isDigit(c);
    }

    private static boolean isNotDig(char c) {
        return !Chars.isDigit(c) && c != '.';
    }

    /** PHP's php_canonicalize_version. */
    static String canonicalize(String version) {
        int len = version.length();
        if (len == 0) {
            return "";
        }
        StringBuilder q = new StringBuilder(len * 2);
        char lp = version.charAt(0);
        q.append(lp);
        for (int p = 1; p < len; p++) {
            char c = version.charAt(p);
            char lq = q.charAt(q.length() - 1);
            if (isSpecial(c)) {
                if (lq != '.') {
                    q.append('.');
                }
            } else if ((isNotDig(lp) && isDig(c)) || (isDig(lp) && isNotDig(c))) {
                if (lq != '.') {
                    q.append('.');
                }
                q.append(c);
            } else if (!Chars.isAlnum(c)) {
                if (lq != '.') {
                    q.append('.');
                }
            } else {
                q.append(c);
            }
            lp = c;
        }
        return q.toString();
    }

    private static final String[] FORMS = {"dev", "alpha", "a", "beta", "b", "RC", "rc", "#", "pl", "p"};
    private static final int[] FORM_ORDER = {0, 1, 1, 2, 2, 3, 3, 4, 5, 5};

    private static int formOrder(String s, int start, int end) {
        for (int k = 0; k < FORMS.length; k++) {
            String f = FORMS[k];
            if (end - start >= f.length() && s.regionMatches(start, f, 0, f.length())) {
                return FORM_ORDER[k];
            }
        }
        return -1;
    }

    private static int compareForms(String a, int as, int ae, String b, int bs, int be) {
        return Integer.signum(formOrder(a, as, ae) - formOrder(b, bs, be));
    }

    /** PHP's php_version_compare, with exact numbers. */
    static int versionCompare(String orig1, String orig2) {
        if (orig1.isEmpty() || orig2.isEmpty()) {
            if (orig1.isEmpty() && orig2.isEmpty()) {
                return 0;
            }
            return orig1.isEmpty() ? -1 : 1;
        }
        String v1 = orig1.charAt(0) == '#' ? orig1 : canonicalize(orig1);
        String v2 = orig2.charAt(0) == '#' ? orig2 : canonicalize(orig2);
        int len1 = v1.length();
        int len2 = v2.length();
        int p1 = 0;
        int p2 = 0;
        boolean n1 = true;
        boolean n2 = true;
        int compare = 0;
        while (p1 < len1 && p2 < len2 && n1 && n2) {
            int e1 = v1.indexOf('.', p1);
            int e2 = v2.indexOf('.', p2);
            n1 = e1 >= 0;
            n2 = e2 >= 0;
            int end1 = n1 ? e1 : len1;
            int end2 = n2 ? e2 : len2;
            boolean d1 = p1 < end1 && isDig(v1.charAt(p1));
            boolean d2 = p2 < end2 && isDig(v2.charAt(p2));
            if (d1 && d2) {
                compare = Integer.signum(Chars.compareDigits(v1, p1, digitEnd(v1, p1, end1), v2, p2,
                        digitEnd(v2, p2, end2)));
            } else if (!d1 && !d2) {
                compare = compareForms(v1, p1, end1, v2, p2, end2);
            } else if (d1) {
                compare = compareForms(NUMBER, 0, NUMBER.length(), v2, p2, end2);
            } else {
                compare = compareForms(v1, p1, end1, NUMBER, 0, NUMBER.length());
            }
            if (compare != 0) {
                break;
            }
            if (n1) {
                p1 = e1 + 1;
            }
            if (n2) {
                p2 = e2 + 1;
            }
        }
        if (compare == 0) {
            if (n1) {
                if (p1 < len1 && isDig(v1.charAt(p1))) {
                    compare = 1;
                } else {
                    compare = versionCompare(v1.substring(p1), NUMBER);
                }
            } else if (n2) {
                if (p2 < len2 && isDig(v2.charAt(p2))) {
                    compare = -1;
                } else {
                    compare = versionCompare(NUMBER, v2.substring(p2));
                }
            }
        }
        return compare;
    }

    private static int digitEnd(String s, int start, int end) {
        int i = start;
        while (i < end && isDig(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
