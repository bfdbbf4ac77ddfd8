package dev.dockaudit.trust.notary;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * One TUF metadata file as served: {@code {"signed": {...}, "signatures": [{"keyid", "method", "sig"}]}}, with the
 * fields every role has ({@code _type}, {@code version}, {@code expires}) read and checked.
 *
 * @param role     the role name it was fetched as (root, targets/releases, …)
 * @param raw      the bytes as served (hashed against the snapshot and timestamp)
 * @param signed   the {@code signed} object
 * @param expires  when it expires
 */
public record SignedMetadata(String role, byte[] raw, JsonNode signed, List<Sig> signatures, int version, Instant expires) {

    /** One signature; {@code sig} is null when its base64 did not decode. */
    public record Sig(String keyId, String method, byte[] sig) {
    }

    /** Metadata that is not what TUF says it must be; the message says what is wrong. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        public Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** Duplicate keys are refused: Go keeps the last and Jackson could differ, and a signature covers one reading. */
    private static final ObjectMapper STRICT = Json.MAPPER.copy()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Parses metadata fetched for {@code role}; the {@code _type} must be the role's (Targets for delegations). */
    public static SignedMetadata parse(String role, byte[] raw) throws Malformed {
        JsonNode root;
        try {
            root = STRICT.readTree(raw);
        } catch (IOException e) {
            String m = String.valueOf(e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage() : e.getMessage());
            int nl = m.indexOf('\n');
            throw new Malformed("is not valid JSON (" + (nl < 0 ? m : m.substring(0, nl)) + ")");
        }
        if (root == null || !root.isObject()) {
            throw new Malformed("is not a JSON object");
        }
        JsonNode signed = root.get("signed");
        if (signed == null || !signed.isObject()) {
            throw new Malformed("has no \"signed\" object");
        }
        JsonNode sigs = root.get("signatures");
        if (sigs == null || !sigs.isArray()) {
            throw new Malformed("has no \"signatures\" list");
        }
        List<Sig> list = new ArrayList<>();
        for (JsonNode s : sigs) {
            String keyId = text(s, "keyid");
            String method = text(s, "method");
            String sig = text(s, "sig");
            if (keyId == null || method == null || sig == null) {
                throw new Malformed("has a signature without keyid, method or sig");
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(sig);
            } catch (IllegalArgumentException e) {
                bytes = null;
            }
            list.add(new Sig(keyId, method, bytes));
        }
        String type = text(signed, "_type");
        String want = role.contains("/") ? "targets" : role;
        if (type == null || !type.toLowerCase(Locale.ROOT).equals(want)) {
            throw new Malformed("has _type " + (type == null ? "missing" : "\"" + type + "\"") + "; " + role
                    + " metadata must have _type \"" + Character.toUpperCase(want.charAt(0)) + want.substring(1) + "\"");
        }
        JsonNode v = signed.get("version");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
            throw new Malformed("has version " + (v == null ? "missing" : v.toString()) + "; it must be a whole number from 1");
        }
        String exp = text(signed, "expires");
        Instant expires;
        try {
            expires = exp == null ? null : OffsetDateTime.parse(exp).toInstant();
        } catch (DateTimeParseException e) {
            expires = null;
        }
        if (expires == null) {
            throw new Malformed("has expires " + (exp == null ? "missing" : "\"" + exp + "\"") + ", not an RFC 3339 time");
        }
        return new SignedMetadata(role, raw, signed, List.copyOf(list), v.intValue(), expires);
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
