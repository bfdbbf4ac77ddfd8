package dev.dockaudit.vuln.version;

/**
 * Alpine (apk-tools) package versions, {@code number{.number}...{letter}{_suffix{number}}...{~hash}{-rN}}, ordered as
 * apk-tools 3 does (its {@code version.c} token walk; Alpine 3.23 and later, Wolfi and Chainguard).
 *
 * <p>Tokens are compared left to right while both sides have the same kind of token:
 * <ul>
 * <li>the first number, suffix numbers and the revision {@code -rN} compare by value;</li>
 * <li>a later number compares by value, unless either side starts with '0': then both compare as text (Gentoo's
 * rule), so {@code 8.2.0 < 8.2.001} and {@code 8.2.0015 < 8.2.002};</li>
 * <li>a letter compares as ASCII; suffixes by rank: {@code _alpha < _beta < _pre < _rc < (none) < _cvs < _svn <
 * _git < _hg < _p}; a commit hash {@code ~hex} as text.</li>
 * </ul>
 * When one side runs out of tokens of that kind, a following pre-release suffix makes it lower; otherwise the side
 * whose next token kind comes earlier (more version components, a letter, a suffix, a hash, a revision) is higher.
 *
 * <p>Differences from apk-tools 2.x (Alpine up to 3.22): 2.x knows no {@code ~hash} (such versions are invalid
 * there and never occur in its repositories). apk-tools 2.10 and older gave a leading-zero component a negative
 * weight, which ordered {@code 8.2.0 > 8.2.001} and {@code 6.0_pre1 > 6.0}; upstream treated that as a bug (apk-tools
 * issue 10882) and replaced it with the rule above. For every version that 2.x accepts and that has no such
 * leading-zero component, 2.x and 3.x agree, so one comparator serves every Alpine release.
 *
 * <p>{@link #isValid} is apk's {@code apk_version_validate}. {@link #compare} rejects invalid versions;
 * {@link #compareLenient} walks them as apk-tools does (an invalid token ends the walk and sorts after every valid
 * token kind).
 */
public final class ApkVersion implements VersionComparator {

    public static final ApkVersion INSTANCE = new ApkVersion();
    private static final String SCHEME = "apk";

    // token kinds, in apk-tools' order
    static final int INITIAL_DIGIT = 0;
    static final int DIGIT = 1;
    static final int LETTER = 2;
    static final int SUFFIX = 3;
    static final int SUFFIX_NO = 4;
    static final int COMMIT_HASH = 5;
    static final int REVISION_NO = 6;
    static final int END = 7;
    static final int INVALID = 8;

    // suffix ranks; NONE is the pivot between pre-release and post-release suffixes
    private static final int SUFFIX_INVALID = 0;
    private static final int SUFFIX_ALPHA = 1;
    private static final int SUFFIX_BETA = 2;
    private static final int SUFFIX_PRE = 3;
    private static final int SUFFIX_RC = 4;
    private static final int SUFFIX_NONE = 5;
    private static final int SUFFIX_CVS = 6;
    private static final int SUFFIX_SVN = 7;
    private static final int SUFFIX_GIT = 8;
    private static final int SUFFIX_HG = 9;
    private static final int SUFFIX_P = 10;

    private static final int LESS = -1;
    private static final int EQUAL = 0;
    private static final int GREATER = 1;

    private ApkVersion() {
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public int compare(String a, String b) {
        checkStrict(a);
        checkStrict(b);
        return walk(a, b, false);
    }

    @Override
    public int compareLenient(String a, String b) {
        checkLenient(a);
        checkLenient(b);
        return walk(a, b, false);
    }

    /** Even the lenient walk refuses white space and control characters: no apk database holds them. */
    private static void checkLenient(String v) {
        Chars.checkCommon(SCHEME, v);
        int bad = Chars.firstSpaceOrControl(v);
        if (bad >= 0) {
            throw new InvalidVersionException(SCHEME, v, "white space or control " + Chars.describe(v.charAt(bad)));
        }
    }

    @Override
    public boolean isValid(String v) {
        if (v == null || v.isEmpty() || v.length() > MAX_LENGTH) {
            return false;
        }
        return invalidAt(v) < 0;
    }

    /**
     * apk's dependency match ({@code apk_version_match}) for the operators {@code < <= = >= > ~ <~ >~}: '~' is the fuzzy
     * match, where {@code a ~ b} holds when {@code b}'s tokens are a prefix of {@code a}'s ({@code 3.6.9 ~ 3.6}).
     * Both versions must be valid.
     *
     * @throws IllegalArgumentException for an unknown operator ({@link InvalidVersionException} for an invalid version)
     */
    public boolean matches(String a, String op, String b) {
        checkStrict(a);
        checkStrict(b);
        return match(a, op, b);
    }

    /** {@link #matches} over any version, walking invalid ones as apk-tools does (like {@link #compareLenient}). */
    public boolean matchesLenient(String a, String op, String b) {
        checkLenient(a);
        checkLenient(b);
        return match(a, op, b);
    }

    private static boolean match(String a, String op, String b) {
        boolean less = false;
        boolean equal = false;
        boolean greater = false;
        boolean fuzzy = false;
        if (op == null || op.isEmpty()) {
            throw new IllegalArgumentException("empty apk version operator");
        }
        for (int i = 0; i < op.length(); i++) {
            switch (op.charAt(i)) {
                case '<' -> less = true;
                case '>' -> greater = true;
                case '=' -> equal = true;
                case '~' -> {
                    fuzzy = true;
                    equal = true;
                }
                default -> throw new IllegalArgumentException("unknown apk version operator '" + op + "'");
            }
        }
        int r = walk(a, b, fuzzy);
        return (r < 0 && less) || (r == 0 && equal) || (r > 0 && greater);
    }

    private static void checkStrict(String v) {
        Chars.checkCommon(SCHEME, v);
        int bad = invalidAt(v);
        if (bad >= 0) {
            throw new InvalidVersionException(SCHEME, v, bad >= v.length()
                    ? "incomplete version (ends where a number is needed)"
                    : "unexpected " + Chars.describe(v.charAt(bad)) + " at position " + (bad + 1)
                            + " (expected number{.number}...{letter}{_suffix{number}}...{~hash}{-rN})");
        }
    }

    /** Position where the token walk turns invalid, or -1 when the version is valid. */
    private static int invalidAt(String v) {
        Tokenizer t = new Tokenizer(v);
        t.first();
        while (t.token < END) {
            t.next();
        }
        return t.token == END ? -1 : t.invalidPos;
    }

    /** apk_version_compare with optional fuzzy prefix match. */
    private static int walk(String a, String b, boolean fuzzy) {
        Tokenizer ta = new Tokenizer(a);
        Tokenizer tb = new Tokenizer(b);
        ta.first();
        tb.first();
        while (ta.token == tb.token && ta.token < END) {
            int r = tokenCompare(ta, tb);
            if (r != EQUAL) {
                return r;
            }
            ta.next();
            tb.next();
        }
        if (ta.token == tb.token) {
            return EQUAL;
        }
        if (tb.token == END && fuzzy) {
            return EQUAL;
        }
        if (ta.token == SUFFIX && ta.suffix < SUFFIX_NONE) {
            return LESS;
        }
        if (tb.token == SUFFIX && tb.suffix < SUFFIX_NONE) {
            return GREATER;
        }
        if (ta.token > tb.token) {
            return LESS;
        }
        if (tb.token > ta.token) {
            return GREATER;
        }
        return EQUAL;
    }

    private static int tokenCompare(Tokenizer ta, Tokenizer tb) {
        switch (ta.token) {
            case DIGIT:
                if (ta.s.charAt(ta.vStart) == '0' || tb.s.charAt(tb.vStart) == '0') {
                    return textCompare(ta, tb);
                }
                return Integer.signum(Chars.compareDigits(ta.s, ta.vStart, ta.vEnd, tb.s, tb.vStart, tb.vEnd));
            case INITIAL_DIGIT:
            case SUFFIX_NO:
            case REVISION_NO:
                return Integer.signum(Chars.compareDigits(ta.s, ta.vStart, ta.vEnd, tb.s, tb.vStart, tb.vEnd));
            case LETTER:
                return Integer.signum(ta.s.charAt(ta.vStart) - tb.s.charAt(tb.vStart));
            case SUFFIX:
                return Integer.signum(ta.suffix - tb.suffix);
            default:
                return textCompare(ta, tb);
        }
    }

    /** Byte-wise comparison of the token texts, shorter first on a common prefix (apk_blob_sort). */
    private static int textCompare(Tokenizer ta, Tokenizer tb) {
        int la = ta.vEnd - ta.vStart;
        int lb = tb.vEnd - tb.vStart;
        int n = Math.min(la, lb);
        for (int k = 0; k < n; k++) {
            char x = ta.s.charAt(ta.vStart + k);
            char y = tb.s.charAt(tb.vStart + k);
            if (x != y) {
                return x < y ? LESS : GREATER;
            }
        }
        return la == lb ? EQUAL : (la < lb ? LESS : GREATER);
    }

    /** The apk-tools 3 tokenizer: one token at a time, the value as offsets into the string. */
    private static final class Tokenizer {
        final String s;
        int pos;
        int token;
        int suffix;
        int vStart;
        int vEnd;
        int invalidPos = -1;

        Tokenizer(String s) {
            this.s = s;
        }

        void first() {
            token = INITIAL_DIGIT;
            digits();
        }

        private void digits() {
            int start = pos;
            while (pos < s.length() && Chars.isDigit(s.charAt(pos))) {
                pos++;
            }
            vStart = start;
            vEnd = pos;
            if (start == pos) {
                invalid(pos);
            }
        }

        private void invalid(int at) {
            token = INVALID;
            invalidPos = at;
        }

        void next() {
            if (pos >= s.length()) {
                token = END;
                return;
            }
            int at = pos;
            char c = s.charAt(pos);
            if (Chars.isLower(c)) {
                if (token > DIGIT) {
                    invalid(at);
                    return;
                }
                vStart = pos;
                vEnd = pos + 1;
                token = LETTER;
                pos++;
            } else if (c == '.' || Chars.isDigit(c)) {
                if (c == '.') {
                    if (token > DIGIT) {
                        invalid(at);
                        return;
                    }
                    pos++;
                }
                if (token == INITIAL_DIGIT || token == DIGIT) {
                    token = DIGIT;
                } else if (token == SUFFIX) {
                    token = SUFFIX_NO;
                } else {
                    invalid(at);
                    return;
                }
                digits();
            } else if (c == '_') {
                if (token > SUFFIX_NO) {
                    invalid(at);
                    return;
                }
                pos++;
                int start = pos;
                while (pos < s.length() && Chars.isLower(s.charAt(pos))) {
                    pos++;
                }
                vStart = start;
                vEnd = pos;
                suffix = suffixValue(s, start, pos);
                if (suffix == SUFFIX_INVALID) {
                    invalid(at);
                    return;
                }
                token = SUFFIX;
            } else if (c == '~') {
                if (token >= COMMIT_HASH) {
                    invalid(at);
                    return;
                }
                pos++;
                int start = pos;
                while (pos < s.length() && isHex(s.charAt(pos))) {
                    pos++;
                }
                vStart = start;
                vEnd = pos;
                if (start == pos) {
                    invalid(at);
                    return;
                }
                token = COMMIT_HASH;
            } else if (c == '-') {
                if (token >= REVISION_NO || pos + 1 >= s.length() || s.charAt(pos + 1) != 'r') {
                    invalid(at);
                    return;
                }
                pos += 2;
                token = REVISION_NO;
                digits();
            } else {
                invalid(at);
            }
        }

        private static boolean isHex(char c) {
            return Chars.isDigit(c) || (c >= 'a' && c <= 'f');
        }

        private static int suffixValue(String s, int start, int end) {
            int len = end - start;
            if (len == 0) {
                return SUFFIX_INVALID;
            }
            int val;
            String name;
            switch (s.charAt(start)) {
                case 'a' -> {
                    val = SUFFIX_ALPHA;
                    name = "alpha";
                }
                case 'b' -> {
                    val = SUFFIX_BETA;
                    name = "beta";
                }
                case 'c' -> {
                    val = SUFFIX_CVS;
                    name = "cvs";
                }
                case 'g' -> {
                    val = SUFFIX_GIT;
                    name = "git";
                }
                case 'h' -> {
                    val = SUFFIX_HG;
                    name = "hg";
                }
                case 'p' -> {
                    val = len > 1 ? SUFFIX_PRE : SUFFIX_P;
                    name = len > 1 ? "pre" : "p";
                }
                case 'r' -> {
                    val = SUFFIX_RC;
                    name = "rc";
                }
                case 's' -> {
                    val = SUFFIX_SVN;
                    name = "svn";
                }
                default -> {
                    return SUFFIX_INVALID;
                }
            }
            return len == name.length() && s.regionMatches(start, name, 0, len) ? val : SUFFIX_INVALID;
        }
    }
}
