package dev.dockaudit.check.secret;

import com.google.re2j.Matcher;
import dev.dockaudit.report.Severity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds secrets in text. One pass of the keyword automaton over the bytes finds where a rule could match; each
 * rule's re2j regex then runs only over the line around its keyword (or, for multi-line rules such as private
 * keys, a bounded window after it). Files without any keyword are never regex-scanned. Every regex is linear
 * time and every window is bounded, so no rule and no file (a 50 MB one-line minified script included) can make
 * a scan slow beyond linear. Immutable and thread-safe.
 */
public final class SecretScanner {
    public static final int DEFAULT_MAX_FILE_SIZE = 10 << 20;
    /** A file with more candidate matches than this is reported with the first ones only. */
    static final int MAX_MATCHES_PER_FILE = 100;
    /** How far a line window reaches from the keyword when lines are long (minified files). */
    static final int LINE_BACK = 256;
    static final int LINE_FORWARD = 2048;
    /** How far an anchored attempt ({@code starts-at-keyword}) may reach past its keyword. */
    static final int ANCHORED_FORWARD = 256;
    static final int CONTEXT_BEFORE = 40;
    static final int CONTEXT_AFTER = 20;
    private static final int BINARY_SAMPLE = 8192;

    private final SecretRuleSet ruleSet;
    private final int maxFileSize;

    public SecretScanner(SecretRuleSet ruleSet, int maxFileSize) {
        if (maxFileSize <= 0) {
            throw new IllegalArgumentException("maxFileSize must be positive");
        }
        this.ruleSet = ruleSet;
        this.maxFileSize = maxFileSize;
    }

    /** The built-in rules with the default 10 MiB file size limit. */
    public static SecretScanner builtIn() {
        return new SecretScanner(SecretRuleSet.builtIn(), DEFAULT_MAX_FILE_SIZE);
    }

    public SecretRuleSet ruleSet() {
        return ruleSet;
    }

    public int maxFileSize() {
        return maxFileSize;
    }

    /**
     * Scans a file's content. {@code location} is its path in the image (root-relative, as layers name files); path
     * filters and allow rules match against it. Binary content, content over the size limit and files an allow
     * rule skips give no matches.
     */
    public List<SecretMatch> scan(byte[] content, String location) {
        if (content.length == 0 || content.length > maxFileSize || looksBinary(content, content.length)) {
            return List.of();
        }
        if (location != null && ruleSet.skipsPath(location)) {
            return List.of();
        }
        return scanBytes(content, content.length, location);
    }

    /** Scans a piece of text that is not a file: an env value, a label, a history command. */
    public List<SecretMatch> scanText(String text, String location) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length > maxFileSize) {
            return List.of();
        }
        return scanBytes(b, b.length, location);
    }

    /**
     * {@code text} with every secret the rules find in it replaced by its mask, for showing image metadata (env,
     * labels, history) in reports without repeating the secrets the scan reported.
     */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length > maxFileSize) {
            return text;
        }
        Scan scan = new Scan(b, b.length, null);
        ruleSet.keywords().scan(b, b.length, scan::onKeyword);
        for (int ri : ruleSet.keywordlessRules()) {
            if (scan.found.size() < MAX_MATCHES_PER_FILE && scan.applies(ri) && scan.rules.get(ri).requirementsMet(b, 0, b.length)) {
                scan.match(ri, 0, b.length, false);
            }
        }
        String out = text;
        for (Candidate c : scan.found) {
            if (c.secret() != null && !c.secret().isEmpty()) {
                out = out.replace(c.secret(), mask(c.secret()));
            }
        }
        return out;
    }

    /**
     * Whether content is binary rather than text: a NUL byte in the first 8 KiB, or more than 10% of that sample
     * being control characters or invalid UTF-8. Latin-1 text has a few invalid sequences and stays text.
     */
    public static boolean looksBinary(byte[] data, int length) {
        int n = Math.min(length, BINARY_SAMPLE);
        int bad = 0;
        int i = 0;
        while (i < n) {
            int b = data[i] & 0xff;
            if (b == 0) {
                return true;
            }
            if (b < 0x80) {
                if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != 0x0b && b != 0x1b) {
                    bad++;
                }
                i++;
                continue;
            }
            int need = b >= 0xf0 && b <= 0xf4 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 && b <= 0xdf ? 1 : -1;
            if (b >= 0xf5) {
                need = -1;
            }
            if (need < 0) {
                bad++;
                i++;
                continue;
            }
            int j = 1;
            while (j <= need && i + j < n && (data[i + j] & 0xc0) == 0x80) {
                j++;
            }
            if (j <= need && i + j < n) {
                bad++; // truncated sequence inside the sample
                i++;
                continue;
            }
            i += j;
        }
        return bad * 10 > n;
    }

    // ---- the scan ------------------------------------------------------------------------------------------------

    /** A match before evidence is built: byte offsets into the content. */
    private record Candidate(int rule, int matchStart, int secretStart, int secretEnd, String secret) {
    }

    private final class Scan {
        final byte[] data;
        final int length;
        final String path;
        final List<SecretRule> rules = ruleSet.rules();
        final int[] windowEnd;
        final byte[] applies;
        final List<Candidate> found = new ArrayList<>();
        final Set<Long> seen = new HashSet<>();

        Scan(byte[] data, int length, String path) {
            this.data = data;
            this.length = length;
            this.path = path;
            windowEnd = new int[rules.size()];
            applies = new byte[rules.size()];
        }

        boolean applies(int ri) {
            byte a = applies[ri];
            if (a == 0) {
                a = rules.get(ri).appliesTo(path) ? (byte) 1 : (byte) 2;
                applies[ri] = a;
            }
            return a == 1;
        }

        boolean onKeyword(int keyword, int end) {
            int kwStart = end - ruleSet.keywords().keyword(keyword).length();
            for (int ri : ruleSet.rulesForKeyword(keyword)) {
                SecretRule r = rules.get(ri);
                if (r.anchored() != null) {
                    // one anchored attempt per keyword occurrence; windowEnd holds the last start tried
                    if (kwStart + 1 == windowEnd[ri] || !applies(ri)) {
                        continue;
                    }
                    windowEnd[ri] = kwStart + 1;
                    int start = kwStart > 0 && data[kwStart - 1] != '\n' ? kwStart - 1 : kwStart;
                    int stop = lineEnd(data, length, end, ANCHORED_FORWARD);
                    if (r.requirementsMet(data, start, stop)) {
                        match(ri, start, stop, true);
                    }
                    continue;
                }
                if (end <= windowEnd[ri] || !applies(ri)) {
                    continue;
                }
                int start = lineStart(data, kwStart, LINE_BACK);
                int stop = r.window() > 0 ? (int) Math.min(length, (long) end + r.window()) : lineEnd(data, length, end, LINE_FORWARD);
                windowEnd[ri] = stop;
                if (r.requirementsMet(data, start, stop)) {
                    match(ri, start, stop, false);
                }
            }
            return found.size() < MAX_MATCHES_PER_FILE;
        }

        void match(int ri, int start, int stop, boolean anchored) {
            SecretRule r = rules.get(ri);
            // ISO-8859-1 keeps one char per byte, so offsets stay byte offsets; rules are about ASCII tokens anyway.
            String window = new String(data, start, stop - start, StandardCharsets.ISO_8859_1);
            Matcher m = (anchored ? r.anchored() : r.regex()).matcher(window);
            int from = 0;
            boolean first = true;
            while (found.size() < MAX_MATCHES_PER_FILE && from <= window.length()
                    && (anchored ? first && m.lookingAt() : m.find(from))) {
                first = false;
                int g = anchored ? anchoredSecretGroup(r, m) : secretGroup(r, m);
                int s = m.start(g);
                int e = m.end(g);
                from = Math.max(m.end(), m.start() + 1);
                if (s < 0 || e <= s) {
                    continue;
                }
                int bs = start + s;
                int be = start + e;
                if (!seen.add(((long) ri << 32) | bs)) {
                    continue;
                }
                String secret = new String(data, bs, be - bs, StandardCharsets.UTF_8);
                if (r.minEntropy() > 0 && entropy(secret) < r.minEntropy()) {
                    continue;
                }
                if (ruleSet.allowing(r, path, secret, line(bs)) != null) {
                    continue;
                }
                found.add(new Candidate(ri, start + m.start(), bs, be, secret));
            }
        }

        String line(int pos) {
            int s = lineStart(data, pos, LINE_BACK);
            int e = lineEnd(data, length, pos, LINE_FORWARD);
            return new String(data, s, e - s, StandardCharsets.UTF_8);
        }
    }

    private static int secretGroup(SecretRule r, Matcher m) {
        if (r.secretGroup() >= 0) {
            return m.start(r.secretGroup()) >= 0 ? r.secretGroup() : 0;
        }
        for (int g = 1; g <= m.groupCount(); g++) {
            if (m.start(g) >= 0) {
                return g;
            }
        }
        return 0;
    }

    /** In an anchored match, group 1 is the rule's whole regex and the rule's group n is group n + 1. */
    private static int anchoredSecretGroup(SecretRule r, Matcher m) {
        if (r.secretGroup() >= 0) {
            return m.start(r.secretGroup() + 1) >= 0 ? r.secretGroup() + 1 : 1;
        }
        for (int g = 2; g <= m.groupCount(); g++) {
            if (m.start(g) >= 0) {
                return g;
            }
        }
        return 1;
    }

    private List<SecretMatch> scanBytes(byte[] data, int length, String path) {
        Scan scan = new Scan(data, length, path);
        ruleSet.keywords().scan(data, length, scan::onKeyword);
        for (int ri : ruleSet.keywordlessRules()) {
            if (scan.found.size() < MAX_MATCHES_PER_FILE && scan.applies(ri)
                    && scan.rules.get(ri).requirementsMet(data, 0, length)) {
                scan.match(ri, 0, length, false);
            }
        }
        if (scan.found.isEmpty()) {
            return List.of();
        }
        List<Candidate> kept = keepBest(scan.found, scan.rules);
        kept.sort(Comparator.comparingInt(Candidate::matchStart).thenComparingInt(Candidate::secretStart));
        List<SecretMatch> out = new ArrayList<>(kept.size());
        int lineNo = 1;
        int counted = 0;
        for (Candidate c : kept) {
            for (int i = counted; i < c.matchStart(); i++) {
                if (data[i] == '\n') {
                    lineNo++;
                }
            }
            counted = Math.max(counted, c.matchStart());
            SecretRule r = scan.rules.get(c.rule());
            out.add(new SecretMatch(r, lineNo, evidence(data, length, c, kept), c.secret().length()));
        }
        return List.copyOf(out);
    }

    /**
     * Where two matches cover the same characters, keeps the more severe one, and between equals a specific rule
     * over a generic one, then the longer secret: a Stripe key in {@code api_key = "sk_live_…"} is one finding.
     */
    private static List<Candidate> keepBest(List<Candidate> found, List<SecretRule> rules) {
        List<Candidate> order = new ArrayList<>(found);
        order.sort(Comparator.<Candidate>comparingInt(c -> rules.get(c.rule()).severity().ordinal())
                .thenComparing(c -> rules.get(c.rule()).generic())
                .thenComparing(Comparator.comparingInt((Candidate c) -> c.secretEnd() - c.secretStart()).reversed())
                .thenComparingInt(Candidate::secretStart));
        List<Candidate> kept = new ArrayList<>();
        for (Candidate c : order) {
            boolean overlaps = false;
            for (Candidate k : kept) {
                if (c.secretStart() < k.secretEnd() && k.secretStart() < c.secretEnd()) {
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps) {
                kept.add(c);
            }
        }
        return kept;
    }

    // ---- evidence -------------------------------------------------------------------------------------------------

    /** Masks a secret: at most its first 4 characters (fewer for short ones), at most 12 stars, and its length. */
    public static String mask(String secret) {
        int len = secret.codePointCount(0, secret.length());
        int keep = Math.min(4, len / 3);
        String shown = secret.substring(0, secret.offsetByCodePoints(0, keep));
        StringBuilder b = new StringBuilder(shown.length() + 24);
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        b.append("*".repeat(Math.max(1, Math.min(12, len - keep))));
        return b.append(" (").append(len).append(len == 1 ? " char)" : " chars)").toString();
    }

    private static String evidence(byte[] data, int length, Candidate c, List<Candidate> all) {
        int lineOfMatch = lineStart(data, c.matchStart(), LINE_BACK);
        int beforeStart = Math.max(Math.max(lineOfMatch, c.secretStart() - CONTEXT_BEFORE), 0);
        int afterEnd = Math.min(length, c.secretEnd() + CONTEXT_AFTER);
        for (int i = c.secretEnd(); i < afterEnd; i++) {
            if (data[i] == '\n' || data[i] == '\r') {
                afterEnd = i;
                break;
            }
        }
        beforeStart = startOfChar(data, beforeStart);
        afterEnd = startOfChar(data, afterEnd);
        StringBuilder b = new StringBuilder();
        if (beforeStart > lineOfMatch) {
            b.append('…');
        }
        b.append(context(data, beforeStart, c.secretStart(), all, c));
        b.append(mask(c.secret()));
        b.append(context(data, c.secretEnd(), afterEnd, all, c));
        if (afterEnd < length && data[afterEnd] != '\n' && data[afterEnd] != '\r') {
            b.append('…');
        }
        return b.toString().strip();
    }

    /** Context text with any other match inside it masked too, and control characters turned into spaces. */
    private static String context(byte[] data, int from, int to, List<Candidate> all, Candidate self) {
        if (to <= from) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        int pos = from;
        while (pos < to) {
            Candidate other = null;
            for (Candidate o : all) {
                if (o != self && o.secretStart() < to && o.secretEnd() > pos && (other == null || o.secretStart() < other.secretStart())) {
                    other = o;
                }
            }
            int plainEnd = other == null ? to : Math.max(pos, other.secretStart());
            b.append(new String(data, pos, plainEnd - pos, StandardCharsets.UTF_8));
            if (other == null) {
                break;
            }
            b.append("****");
            pos = Math.min(to, other.secretEnd());
        }
        StringBuilder clean = new StringBuilder(b.length());
        for (int i = 0; i < b.length(); i++) {
            char ch = b.charAt(i);
            clean.append(Character.isISOControl(ch) ? ' ' : ch);
        }
        return clean.toString();
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    static int lineStart(byte[] data, int pos, int maxBack) {
        int limit = Math.max(0, pos - maxBack);
        for (int i = pos - 1; i >= limit; i--) {
            if (data[i] == '\n') {
                return i + 1;
            }
        }
        return limit;
    }

    static int lineEnd(byte[] data, int length, int pos, int maxForward) {
        int limit = (int) Math.min(length, (long) pos + maxForward);
        for (int i = pos; i < limit; i++) {
            if (data[i] == '\n') {
                return i;
            }
        }
        return limit;
    }

    private static int startOfChar(byte[] data, int pos) {
        int p = pos;
        while (p > 0 && p < data.length && (data[p] & 0xc0) == 0x80 && pos - p < 3) {
            p--;
        }
        return p;
    }

    /** Shannon entropy of the characters of {@code s}, in bits per character. */
    public static double entropy(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        java.util.Map<Character, Integer> counts = new java.util.HashMap<>();
        for (int i = 0; i < s.length(); i++) {
            counts.merge(s.charAt(i), 1, Integer::sum);
        }
        double h = 0;
        double n = s.length();
        for (int c : counts.values()) {
            double p = c / n;
            h -= p * (Math.log(p) / Math.log(2));
        }
        return h;
    }

    static boolean atLeast(Severity s, Severity min) {
        return s.atLeast(min);
    }
}
