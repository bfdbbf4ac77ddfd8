package dev.dockaudit.check.secret;

import dev.dockaudit.util.Glob;
import com.google.re2j.Pattern;
import dev.dockaudit.report.Severity;
import java.util.List;

/**
 * One secret rule: a re2j regex (linear time, whatever the pattern or the input) with a group that holds the
 * secret, the keywords that must occur near a match (the fast pre-filter), an optional entropy minimum for the
 * secret, optional path globs the rule is limited to, and regexes that allow (ignore) particular secret values.
 *
 * @param secretGroup the capturing group that holds the secret; -1 means the first group that took part in the
 *                    match, or the whole match when the regex has no group
 * @param window      0 for a rule matched within the line of its keyword; otherwise how many bytes after the
 *                    keyword a match may reach (multi-line rules such as private keys)
 * @param anchored    when the rule's matches start where its keyword starts ({@code starts-at-keyword}): the
 *                    regex, anchored at the keyword (one character of left context allowed for {@code \b}), so
 *                    a keyword that occurs on every line costs one short anchored attempt, not a search of the line;
 *                    null for rules searched over their window
 * @param requires    strings (lower-case ASCII, matched case-insensitively) that must all occur in the window
 *                    before the regex runs there: a cheap test that spares the regex most windows ({@code @} for
 *                    URLs with credentials)
 */
public record SecretRule(String id, String category, String title, Severity severity, String description,
                         String remediation, Pattern regex, int secretGroup, List<String> keywords, double minEntropy,
                         List<Glob> paths, List<Pattern> allow, int window, Pattern anchored, List<byte[]> requires,
                         boolean builtIn) {

    /** Generic rules (assignments of password=, secret=, api_key=) give way to a specific rule on the same value. */
    public boolean generic() {
        return category.equalsIgnoreCase("generic");
    }

    boolean appliesTo(String path) {
        if (paths.isEmpty()) {
            return true;
        }
        if (path == null) {
            return false;
        }
        for (Glob g : paths) {
            if (g.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every {@link #requires} string occurs in {@code data[from..to)}, ASCII case-insensitively. */
    boolean requirementsMet(byte[] data, int from, int to) {
        for (byte[] r : requires) {
            if (!containsIgnoreCase(data, from, to, r)) {
                return false;
            }
        }
        return true;
    }

    static boolean containsIgnoreCase(byte[] data, int from, int to, byte[] lowerNeedle) {
        int n = lowerNeedle.length;
        byte first = lowerNeedle[0];
        for (int i = from; i <= to - n; i++) {
            if (lower(data[i]) != first) {
                continue;
            }
            int j = 1;
            while (j < n && lower(data[i + j]) == lowerNeedle[j]) {
                j++;
            }
            if (j == n) {
                return true;
            }
        }
        return false;
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }

    boolean allowed(String secret) {
        for (Pattern p : allow) {
            if (p.matcher(secret).find()) {
                return true;
            }
        }
        return false;
    }
}
