package dev.dockaudit.check.secret;

/**
 * One secret found. It never holds the secret itself: {@link #evidence} shows a few characters of context with
 * the secret masked (at most its first 4 characters, then its length), so nothing downstream can print it.
 *
 * @param line     1-based line of the match (for a private key, the BEGIN line)
 * @param length   the secret's length in characters
 */
public record SecretMatch(SecretRule rule, int line, String evidence, int length) {
    public String ruleId() {
        return rule.id();
    }
}
