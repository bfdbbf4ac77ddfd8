package dev.dockaudit.check.secret;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/**
 * Builds fake credentials for tests: random characters of the right alphabet and length, assembled at run time,
 * so the sources hold no token that looks real (and nothing for a push-protection scanner to object to).
 */
final class Fakes {
    static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    static final String DIGITS = "0123456789";
    static final String ALNUM = UPPER + LOWER + DIGITS;
    static final String HEX = "0123456789abcdef";
    static final String B64 = ALNUM + "+/";
    static final String URLSAFE = ALNUM + "_-";

    private final Random random;

    Fakes(String seed) {
        random = new Random(seed.hashCode() * 31L + 7);
    }

    String of(String alphabet, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    String alnum(int n) {
        return of(ALNUM, n);
    }

    String hex(int n) {
        return of(HEX, n);
    }

    String b64(int n) {
        return of(B64, n);
    }

    String urlsafe(int n) {
        return of(URLSAFE, n);
    }

    String digits(int n) {
        return of("123456789", 1) + of(DIGITS, n - 1);
    }

    String uuid() {
        return hex(8) + "-" + hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(12);
    }

    /** A password-like value: letters, digits and a few symbols. */
    String password(int n) {
        return of(ALNUM + "!#^*", n - 2) + of(DIGITS, 1) + of("!#", 1);
    }

    /** A PEM block of {@code label} (e.g. "RSA PRIVATE KEY") with a random base64 body of {@code bytes} characters. */
    String pem(String label, int bytes, String newline) {
        StringBuilder b = new StringBuilder();
        b.append("-----BEGIN ").append(label).append("-----").append(newline);
        String body = b64(bytes);
        for (int i = 0; i < body.length(); i += 64) {
            b.append(body, i, Math.min(body.length(), i + 64)).append(newline);
        }
        b.append("-----END ").append(label).append("-----").append(newline);
        return b.toString();
    }

    static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String base64Url(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Joins parts: used so that no source line holds a whole token prefix and body together. */
    static String j(String... parts) {
        return String.join("", parts);
    }
}
