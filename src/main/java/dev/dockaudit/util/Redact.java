package dev.dockaudit.util;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks what looks like a secret in text that goes into evidence (build commands, config values). Detecting secrets
 * is the secret scanner's job; this only makes sure config and history evidence never prints one in full:
 * values of secret-named variables and build args, passwords in URLs, {@code curl -u user:pass},
 * {@code --password …}, and authorization headers. A masked value keeps at most its first 4 characters (a third of
 * it for short ones), then stars and its length.
 */
public final class Redact {
    /** Names that announce a secret: PASSWORD, DB_PASS, API_KEY, GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY, … */
    static final Pattern SECRET_NAME = Pattern.compile(
            "(?i)(?:pass(?:wd|word|phrase)?|pwd|secret|token|api_?key|access_?key|private_?key|credential|auth"
                    + "|session_?key|signing_?key|client_?key|encryption_?key|_key|key_)");
    /** A narrower reading for findings (a masked word costs nothing; a wrong HIGH finding does). */
    private static final Pattern STRICT_SECRET_NAME = Pattern.compile(
            "(?i)(?:password|passwd|passphrase|(?:^|_)pass(?:$|_)|(?:^|_)pwd(?:$|_)|secret|token|credential"
                    + "|(?:api|access|private|secret|ssh|signing|encryption|master|license|client|app)_?key(?:$|_)"
                    + "|(?:^|_)auth(?:$|_))");
    private static final Pattern NOT_SECRET_NAME = Pattern.compile("(?i)(?:gpg|pgp|fingerprint|public|_file$|_path$|_url$|_id$)");
    /** Bounded quantifiers everywhere: created_by is the image author's text, and no input may make this slow. */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?<![\\w-])([A-Za-z_][A-Za-z0-9_]{0,127})=(\"[^\"]{0,2048}\"|'[^']{0,2048}'|[^\\s;&|]{0,2048})");
    private static final Pattern URL_PASSWORD = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]{0,20}://[^/\\s:@]{1,256}:)([^@\\s/]{1,256})@");
    private static final Pattern USER_OPTION = Pattern.compile("((?:^|\\s)(?:-u|--user|--proxy-user)\\s+['\"]?[^:\\s'\"]{1,256}:)([^\\s'\"]{1,512})");
    private static final Pattern PASSWORD_OPTION = Pattern.compile(
            "((?:^|\\s)--?(?:password|passwd|pass|token|secret|api-key|apikey|access-token|auth-token)(?:=|\\s+)['\"]?)([^\\s'\"]{1,512})",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern AUTH_HEADER = Pattern.compile(
            "((?i:authorization|proxy-authorization|x-api-key|private-token|x-auth-token|x-access-token)\\s*:\\s*"
                    + "(?:(?i:bearer|basic|token)\\s+)?)([^\\s'\"]{1,2048})");

    private Redact() {
    }

    /** Whether a variable or build-arg name says its value is a secret. */
    public static boolean secretName(String name) {
        return name != null && SECRET_NAME.matcher(name).find();
    }

    /**
     * Whether a build-arg or variable name almost surely holds a secret (NPM_TOKEN, DB_PASSWORD, AWS_SECRET_ACCESS_KEY),
     * and not a fingerprint, a file name or an id (GPG_KEY, TOKEN_FILE, CLIENT_ID).
     */
    public static boolean strictSecretName(String name) {
        return name != null && STRICT_SECRET_NAME.matcher(name).find() && !NOT_SECRET_NAME.matcher(name).find();
    }

    /** Masks one secret value. */
    public static String mask(String secret) {
        if (secret == null || secret.isEmpty()) {
            return secret;
        }
        int len = secret.codePointCount(0, secret.length());
        int keep = Math.min(4, len / 3);
        StringBuilder b = new StringBuilder();
        String shown = secret.substring(0, secret.offsetByCodePoints(0, keep));
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        b.append("*".repeat(Math.max(1, Math.min(12, len - keep))));
        return b.append(" (").append(len).append(len == 1 ? " char)" : " chars)").toString();
    }

    /** {@code text} with every secret-looking value masked. */
    public static String text(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String t = replace(URL_PASSWORD, text);
        t = replace(USER_OPTION, t);
        t = replace(PASSWORD_OPTION, t);
        t = replace(AUTH_HEADER, t);
        Matcher m = ASSIGNMENT.matcher(t);
        StringBuilder b = new StringBuilder(t.length());
        int last = 0;
        while (m.find()) {
            String value = m.group(2);
            if (!secretName(m.group(1)) || value.isEmpty() || value.startsWith("$") || value.contains("****")) {
                continue;
            }
            b.append(t, last, m.start(2));
            String inner = value;
            String quote = "";
            if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')) {
                quote = value.substring(0, 1);
                inner = value.substring(1, value.length() - 1);
            }
            b.append(quote).append(inner.isEmpty() || inner.startsWith("$") ? inner : mask(inner)).append(quote);
            last = m.end(2);
        }
        b.append(t, last, t.length());
        return b.toString();
    }

    /** Masks group 2 of every match (group 1 is the context kept). */
    private static String replace(Pattern p, String text) {
        Matcher m = p.matcher(text);
        StringBuilder b = new StringBuilder(text.length());
        int last = 0;
        while (m.find()) {
            String secret = m.group(2);
            if (secret.startsWith("$") || secret.contains("****")) {
                continue;
            }
            b.append(text, last, m.start(2)).append(mask(secret));
            last = m.end(2);
        }
        b.append(text, last, text.length());
        return b.toString();
    }

    /** Text for evidence: masked, control characters replaced, and cut to {@code max} characters. */
    public static String evidence(String text, int max) {
        if (text == null) {
            return null;
        }
        String t = text(text);
        StringBuilder b = new StringBuilder(Math.min(t.length(), max + 1));
        for (int i = 0; i < t.length() && b.length() < max; i++) {
            char c = t.charAt(i);
            b.append(c == '\n' || c == '\t' ? ' ' : Character.isISOControl(c) ? '?' : c);
        }
        if (t.length() > max) {
            b.append('…');
        }
        return b.toString();
    }
}
