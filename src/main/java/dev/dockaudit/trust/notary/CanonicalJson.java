package dev.dockaudit.trust.notary;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The bytes Notary signs: the {@code signed} object decoded into generic JSON values and written again as
 * "canonical JSON" the way Notary's JSON library (docker/go's canonical/json) writes it.
 *
 * <ul>
 *   <li>object keys sorted by their UTF-8 bytes, no whitespace anywhere;</li>
 *   <li>strings escape only {@code "} and {@code \}; every other character, control characters included, is
 *       written as is, except U+2028 and U+2029 ({@code \u2028}, {@code \u2029}); an unpaired surrogate (which Go's
 *       decoder turns into U+FFFD) is written as U+FFFD;</li>
 *   <li>numbers went through a float64 and must be whole; Go's shortest {@code 'g'} format writes them, so
 *       1000000 becomes {@code 1e+06}. Later Go releases print such numbers in full, so {@link #encodings} also
 *       offers that form when it differs: a signature over either is a signature over the same content.</li>
 * </ul>
 */
public final class CanonicalJson {
    private CanonicalJson() {
    }

    /** Thrown for values canonical JSON cannot hold (fractions, NaN); Notary cannot have signed such a document. */
    public static final class NotCanonical extends Exception {
        private static final long serialVersionUID = 1L;

        NotCanonical(String message) {
            super(message, null, false, false);
        }
    }

    /** The canonical bytes with numbers in Go's {@code 'g'} form, as Notary writes them. */
    public static byte[] encode(JsonNode node) throws NotCanonical {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(node, out, true);
        return out.toByteArray();
    }

    /**
     * Every byte form a Notary release may have signed: the {@code 'g'} form, then, when a number of a million or
     * more makes it differ, the form with numbers written in full.
     */
    public static List<byte[]> encodings(JsonNode node) throws NotCanonical {
        List<byte[]> out = new ArrayList<>(2);
        ByteArrayOutputStream g = new ByteArrayOutputStream();
        write(node, g, true);
        out.add(g.toByteArray());
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        write(node, plain, false);
        if (!java.util.Arrays.equals(out.get(0), plain.toByteArray())) {
            out.add(plain.toByteArray());
        }
        return out;
    }

    private static void write(JsonNode n, ByteArrayOutputStream out, boolean goG) throws NotCanonical {
        switch (n.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<byte[], JsonNode>> entries = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    entries.add(Map.entry(utf8(e.getKey()), e.getValue()));
                }
                entries.sort((a, b) -> java.util.Arrays.compareUnsigned(a.getKey(), b.getKey()));
                out.write('{');
                boolean first = true;
                for (Map.Entry<byte[], JsonNode> e : entries) {
                    if (!first) {
                        out.write(',');
                    }
                    first = false;
                    string(e.getKey(), out);
                    out.write(':');
                    write(e.getValue(), out, goG);
                }
                out.write('}');
            }
            case ARRAY -> {
                out.write('[');
                for (int i = 0; i < n.size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    write(n.get(i), out, goG);
                }
                out.write(']');
            }
            case STRING -> string(utf8(n.textValue()), out);
            case NUMBER -> out.writeBytes(number(n, goG).getBytes(StandardCharsets.US_ASCII));
            case BOOLEAN -> out.writeBytes((n.booleanValue() ? "true" : "false").getBytes(StandardCharsets.US_ASCII));
            case NULL -> out.writeBytes("null".getBytes(StandardCharsets.US_ASCII));
            default -> throw new NotCanonical("a " + n.getNodeType() + " value has no JSON form");
        }
    }

    /** UTF-8 of a Java string, unpaired surrogates becoming U+FFFD as Go's decoder makes them. */
    private static byte[] utf8(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = Character.isHighSurrogate(c) ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
                    : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
            if (bad && b == null) {
                b = new StringBuilder(s.substring(0, i));
            }
            if (b != null) {
                b.append(bad ? '\uFFFD' : c);
            }
        }
        return (b == null ? s : b.toString()).getBytes(StandardCharsets.UTF_8);
    }

    private static void string(byte[] s, ByteArrayOutputStream out) {
        out.write('"');
        for (int i = 0; i < s.length; i++) {
            int b = s[i] & 0xff;
            if (b == '"' || b == '\\') {
                out.write('\\');
                out.write(b);
            } else if (b == 0xe2 && i + 2 < s.length && (s[i + 1] & 0xff) == 0x80 && ((s[i + 2] & 0xff) == 0xa8
                    || (s[i + 2] & 0xff) == 0xa9)) {
                out.writeBytes(((s[i + 2] & 0xff) == 0xa8 ? "\\u2028" : "\\u2029").getBytes(StandardCharsets.US_ASCII));
                i += 2;
            } else {
                out.write(b);
            }
        }
        out.write('"');
    }

    /**
     * A number as Go writes a float64 with {@code strconv.FormatFloat(f, 'g', -1, 64)} (or in full), after checking
     * that it is whole, as Notary's canonical encoder does.
     */
    static String number(JsonNode n, boolean goG) throws NotCanonical {
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d) || Math.floor(d) != d) {
            throw new NotCanonical("the number " + n.asText() + " is not a whole number, which canonical JSON cannot hold");
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        BigDecimal exact = new BigDecimal(d);
        // The shortest digits that read back as the same float64, as Go's shortest formatting finds them.
        BigDecimal shortest = exact;
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == d) {
                shortest = r;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - shortest.scale(); // the decimal exponent of the first digit
        String sign = d < 0 ? "-" : "";
        if (!goG || exp < 6) {
            // Whole numbers only, so the exponent is at least 0 and the plain form is the digits and zeros.
            return sign + digits + "0".repeat(Math.max(0, exp + 1 - digits.length()));
        }
        StringBuilder b = new StringBuilder(sign).append(digits.charAt(0));
        if (digits.length() > 1) {
            b.append('.').append(digits, 1, digits.length());
        }
        b.append("e+");
        if (exp < 10) {
            b.append('0');
        }
        return b.append(exp).toString();
    }
}
