package dev.dockaudit.trust.cosign;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * The Rekor bundle cosign stores in the {@code dev.sigstore.cosign/bundle} annotation: the log's signed entry
 * timestamp (SET) over the entry it logged, for offline verification.
 *
 * <pre>{"SignedEntryTimestamp": base64, "Payload": {"body": base64, "integratedTime": n, "logIndex": n, "logID": hex}}</pre>
 *
 * <p>The SET is Rekor's ECDSA signature (SHA-256) over the RFC 8785 canonical JSON of
 * {@code {body, integratedTime, logID, logIndex}}. The body is the logged entry (hashedrekord or rekord): it must
 * carry this very signature, this very certificate or key, and the SHA-256 of this very payload, or the SET
 * proves nothing about the signature beside it.
 */
public record RekorBundle(byte[] signedEntryTimestamp, String body, long integratedTime, long logIndex, String logId) {
    private static final ObjectMapper STRICT = Json.MAPPER.copy().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** A bundle or entry that cannot be used; the message says why. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    public static RekorBundle parse(String annotation) throws Invalid {
        JsonNode root;
        try {
            root = STRICT.readTree(annotation);
        } catch (IOException e) {
            throw new Invalid("the Rekor bundle is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new Invalid("the Rekor bundle is not a JSON object");
        }
        byte[] set = base64(root.get("SignedEntryTimestamp"), "SignedEntryTimestamp");
        JsonNode p = root.get("Payload");
        if (p == null || !p.isObject()) {
            throw new Invalid("the Rekor bundle has no Payload");
        }
        JsonNode body = p.get("body");
        if (body == null || !body.isTextual()) {
            throw new Invalid("the Rekor bundle's Payload.body is not a string");
        }
        long time = integer(p.get("integratedTime"), "integratedTime");
        long index = integer(p.get("logIndex"), "logIndex");
        JsonNode logId = p.get("logID");
        if (logId == null || !logId.isTextual() || !logId.asText().matches("[0-9a-f]{64}")) {
            throw new Invalid("the Rekor bundle's Payload.logID is not a SHA-256 in hex");
        }
        return new RekorBundle(set, body.asText(), time, index, logId.asText());
    }

    /** The bytes Rekor signed: canonical JSON (RFC 8785) of body, integratedTime, logID, logIndex. */
    public byte[] canonicalPayload() {
        // Keys in code-point order; integers as plain decimals; strings escaped as RFC 8785 says.
        return ("{\"body\":" + canonicalString(body) + ",\"integratedTime\":" + integratedTime + ",\"logID\":"
                + canonicalString(logId) + ",\"logIndex\":" + logIndex + "}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Checks the SET with the Rekor key the user trusts, and that the logged entry is this signature: the same
     * signature bytes, the same certificate (or key), and the payload's SHA-256. Returns null when all hold, else
     * why not.
     */
    public String verify(PublicKey rekorKey, byte[] signature, byte[] payload, X509Certificate cert, PublicKey key) {
        if (!(rekorKey instanceof ECPublicKey)) {
            return "the Rekor public key is " + rekorKey.getAlgorithm() + "; Rekor signs with ECDSA";
        }
        String expectedLog = PublicKeys.keyId(rekorKey);
        if (!expectedLog.equals(logId)) {
            return "the Rekor bundle was logged by the log " + logId + ", not by the Rekor key given (log " + expectedLog + ")";
        }
        String malformed = PublicKeys.checkEcdsaDer(signedEntryTimestamp,
                (((ECPublicKey) rekorKey).getParams().getOrder().bitLength() + 7) / 8);
        if (malformed != null) {
            return "the Rekor signed entry timestamp is malformed: " + malformed;
        }
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initVerify(rekorKey);
            s.update(canonicalPayload());
            if (!s.verify(signedEntryTimestamp)) {
                return "the Rekor signed entry timestamp does not verify with the Rekor key given (the bundle was"
                        + " altered, or comes from another log)";
            }
        } catch (GeneralSecurityException e) {
            return "the Rekor signed entry timestamp cannot be checked (" + e.getMessage() + ")";
        }
        try {
            return checkBody(signature, payload, cert, key);
        } catch (Invalid e) {
            return e.getMessage();
        }
    }

    private String checkBody(byte[] signature, byte[] payload, X509Certificate cert, PublicKey key) throws Invalid {
        JsonNode entry;
        try {
            entry = STRICT.readTree(Base64.getDecoder().decode(body));
        } catch (IOException | IllegalArgumentException e) {
            throw new Invalid("the Rekor entry body is not base64 JSON");
        }
        if (entry == null || !entry.isObject()) {
            throw new Invalid("the Rekor entry body is not a JSON object");
        }
        String kind = Json.text(entry, "kind");
        if (!"hashedrekord".equals(kind) && !"rekord".equals(kind)) {
            throw new Invalid("the Rekor entry is a '" + kind + "'; an image signature is logged as hashedrekord");
        }
        JsonNode spec = entry.path("spec");
        byte[] logged = base64(spec.path("signature").get("content"), "entry's signature content");
        if (!Arrays.equals(logged, signature)) {
            throw new Invalid("the Rekor entry logs a different signature than this one");
        }
        byte[] loggedKey = base64(spec.path("signature").path("publicKey").get("content"), "entry's public key");
        PublicKey loggedPublic;
        byte[] loggedCert = null;
        String pem = new String(loggedKey, StandardCharsets.US_ASCII);
        try {
            if (pem.contains("-----BEGIN CERTIFICATE-----")) {
                X509Certificate c = PublicKeys.certificate(pemBody(pem), "the Rekor entry");
                loggedCert = c.getEncoded();
                loggedPublic = c.getPublicKey();
            } else {
                loggedPublic = PublicKeys.parsePem(pem, "the Rekor entry");
            }
        } catch (RuntimeException | GeneralSecurityException e) {
            throw new Invalid("the Rekor entry's public key cannot be read");
        }
        try {
            if (cert != null ? loggedCert == null || !Arrays.equals(loggedCert, cert.getEncoded())
                    : !Arrays.equals(loggedPublic.getEncoded(), key.getEncoded())) {
                throw new Invalid("the Rekor entry logs a different " + (cert != null ? "certificate" : "key")
                        + " than the one that made this signature");
            }
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new Invalid("the signing certificate cannot be encoded");
        }
        JsonNode hash = spec.path("data").path("hash");
        String alg = Json.text(hash, "algorithm");
        String value = Json.text(hash, "value");
        if (!"sha256".equals(alg) || value == null) {
            throw new Invalid("the Rekor entry does not record the payload's SHA-256");
        }
        if (!Digest.sha256(payload).hex().equals(value)) {
            throw new Invalid("the Rekor entry logs a payload with SHA-256 " + value + ", not this payload ("
                    + Digest.sha256(payload).hex() + ")");
        }
        return null;
    }

    private static byte[] pemBody(String pem) {
        int start = pem.indexOf("-----BEGIN CERTIFICATE-----") + "-----BEGIN CERTIFICATE-----".length();
        int end = pem.indexOf("-----END CERTIFICATE-----", start);
        return Base64.getMimeDecoder().decode(pem.substring(start, end < 0 ? pem.length() : end));
    }

    private static byte[] base64(JsonNode n, String what) throws Invalid {
        if (n == null || !n.isTextual()) {
            throw new Invalid("the Rekor bundle's " + what + " is missing");
        }
        try {
            return Base64.getDecoder().decode(n.asText());
        } catch (IllegalArgumentException e) {
            throw new Invalid("the Rekor bundle's " + what + " is not base64");
        }
    }

    private static long integer(JsonNode n, String what) throws Invalid {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            throw new Invalid("the Rekor bundle's Payload." + what + " is not a non-negative integer");
        }
        return n.asLong();
    }

    /** A JSON string as RFC 8785 writes it. */
    static String canonicalString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
