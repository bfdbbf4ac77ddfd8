package dev.dockaudit.trust.notation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Verifies a Notary Project (Notation) signature envelope in JWS form ({@code application/jose+json}) with the
 * {@code notary.x509} signing scheme, as the Notary Project signature and JWS envelope specifications define it:
 *
 * <ol>
 *   <li>the envelope is flattened JWS JSON: {@code payload}, {@code protected}, {@code header} (with {@code x5c}),
 *       {@code signature}, nothing else;</li>
 *   <li>the protected header has {@code cty} {@code application/vnd.cncf.notary.payload.v1+json}, the signing
 *       scheme {@code notary.x509}, a {@code crit} list naming the signing scheme and every critical header
 *       present, and nothing critical this verifier does not understand (a verification plugin, say);</li>
 *   <li>{@code alg} is the one the signing key's type and size call for (PS256/384/512 for RSA 2048/3072/4096,
 *       ES256/384/512 for P-256/384/521), and the signature over {@code ASCII(protected "." payload)}
 *       verifies with the first {@code x5c} certificate;</li>
 *   <li>the {@code x5c} chain is ordered leaf to root, each certificate signed by the next, ending in a
 *       self-signed root, with the certificate requirements of the specification (code-signing leaf, CA
 *       constraints, key sizes, no SHA-1), all valid now (there is no authentic timestamp), and one of its
 *       certificates is in the user's trust store;</li>
 *   <li>the payload's {@code targetArtifact.digest} is the image manifest's digest;</li>
 *   <li>the signature has not passed its {@code io.cncf.notary.expiry}.</li>
 * </ol>
 */
public final class NotationVerifier {
    public static final String JWS_MEDIA_TYPE = "application/jose+json";
    public static final String COSE_MEDIA_TYPE = "application/cose";
    public static final String PAYLOAD_CONTENT_TYPE = "application/vnd.cncf.notary.payload.v1+json";
    static final String SCHEME = "io.cncf.notary.signingScheme";
    static final String SIGNING_TIME = "io.cncf.notary.signingTime";
    static final String AUTHENTIC_SIGNING_TIME = "io.cncf.notary.authenticSigningTime";
    static final String EXPIRY = "io.cncf.notary.expiry";
    private static final Set<String> UNDERSTOOD_CRITICAL = Set.of(SCHEME, EXPIRY);
    private static final Set<String> ENVELOPE_FIELDS = Set.of("payload", "protected", "header", "signature");
    private static final int MAX_CHAIN = 10;
    private static final ObjectMapper STRICT = Json.MAPPER.copy().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final NotationTrustStore trustStore;
    private final Clock clock;

    public NotationVerifier(NotationTrustStore trustStore, Clock clock) {
        this.trustStore = trustStore;
        this.clock = clock;
    }

    /**
     * The outcome for one signature.
     *
     * @param signer  the signing certificate's subject, when the envelope could be read that far
     * @param problem why it did not verify (null when it did)
     */
    public record Result(boolean verified, String signer, String problem) {
        static Result fail(String signer, String problem) {
            return new Result(false, signer, problem);
        }
    }

    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** Verifies {@code envelope} (of layer media type {@code mediaType}) as a signature of the manifest {@code target}. */
    public Result verify(byte[] envelope, String mediaType, Digest target) {
        if (COSE_MEDIA_TYPE.equals(mediaType)) {
            return Result.fail(null, "the signature envelope is COSE (application/cose); dockaudit verifies the JWS"
                    + " envelope (application/jose+json) only");
        }
        if (!JWS_MEDIA_TYPE.equals(mediaType)) {
            return Result.fail(null, "the signature envelope has media type " + mediaType + ", not " + JWS_MEDIA_TYPE);
        }
        String signer = null;
        try {
            JsonNode env = object(envelope, "the signature envelope");
            for (Iterator<String> it = env.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!ENVELOPE_FIELDS.contains(f)) {
                    throw new Failure(f.equals("signatures")
                            ? "the envelope is JWS general serialization; Notation signatures are flattened JWS with one signature"
                            : "the envelope has a field '" + f + "' the flattened JWS envelope does not have");
                }
            }
            String protectedB64 = text(env, "protected");
            String payloadB64 = text(env, "payload");
            byte[] sig = base64Url(text(env, "signature"), "signature");
            JsonNode header = object(base64Url(protectedB64, "protected header"), "the protected header");
            JsonNode unprotected = env.get("header");
            if (unprotected == null || !unprotected.isObject()) {
                throw new Failure("the envelope has no unprotected header with the certificate chain (x5c)");
            }
            List<X509Certificate> chain = chain(unprotected.get("x5c"));
            X509Certificate leaf = chain.get(0);
            signer = leaf.getSubjectX500Principal().toString();

            Instant expiry = checkProtectedHeader(header);
            checkSignature(header, leaf.getPublicKey(), (protectedB64 + "." + payloadB64).getBytes(StandardCharsets.US_ASCII), sig);
            Instant now = clock.instant();
            checkChain(chain, now);
            checkTrusted(chain);

            JsonNode payload = object(base64Url(payloadB64, "payload"), "the signed payload");
            JsonNode artifact = payload.get("targetArtifact");
            if (artifact == null || !artifact.isObject()) {
                throw new Failure("the signed payload has no targetArtifact");
            }
            Digest signed = Digest.parseOrNull(Json.text(artifact, "digest"));
            if (signed == null || Json.text(artifact, "mediaType") == null || !artifact.path("size").isIntegralNumber()) {
                throw new Failure("the signed payload's targetArtifact lacks a valid mediaType, digest or size");
            }
            if (!signed.equals(target)) {
                throw new Failure("the signature is for " + signed + ", not for this image (" + target + ")");
            }
            if (expiry != null && !now.isBefore(expiry)) {
                throw new Failure("the signature expired at " + expiry + " (io.cncf.notary.expiry)");
            }
            return new Result(true, signer, null);
        } catch (Failure f) {
            return Result.fail(signer, f.getMessage());
        }
    }

    /** Checks the protected header; returns the expiry, if any. */
    private static Instant checkProtectedHeader(JsonNode h) throws Failure {
        if (!PAYLOAD_CONTENT_TYPE.equals(Json.text(h, "cty"))) {
            throw new Failure("the protected header's cty is " + Json.text(h, "cty") + ", not " + PAYLOAD_CONTENT_TYPE);
        }
        String scheme = Json.text(h, SCHEME);
        if (!"notary.x509".equals(scheme)) {
            throw new Failure(scheme == null ? "the protected header names no signing scheme"
                    : "the signing scheme is " + scheme + "; dockaudit verifies notary.x509 signatures only");
        }
        JsonNode crit = h.get("crit");
        if (crit == null || !crit.isArray() || crit.isEmpty()) {
            throw new Failure("the protected header has no crit list");
        }
        List<String> critical = new ArrayList<>();
        for (JsonNode c : crit) {
            if (!c.isTextual()) {
                throw new Failure("the protected header's crit list holds a non-string");
            }
            if (!UNDERSTOOD_CRITICAL.contains(c.asText())) {
                throw new Failure("the signature marks '" + c.asText() + "' critical, which dockaudit does not process"
                        + (c.asText().contains("Plugin") ? " (it needs a Notation verification plugin)" : ""));
            }
            if (!h.has(c.asText())) {
                throw new Failure("the protected header lists '" + c.asText() + "' as critical but does not carry it");
            }
            critical.add(c.asText());
        }
        if (!critical.contains(SCHEME)) {
            throw new Failure("the protected header's crit list does not name " + SCHEME);
        }
        if (h.has(EXPIRY) && !critical.contains(EXPIRY)) {
            throw new Failure("the protected header carries " + EXPIRY + " without marking it critical");
        }
        if (h.has(AUTHENTIC_SIGNING_TIME)) {
            throw new Failure(AUTHENTIC_SIGNING_TIME + " is only valid with the notary.x509.signingAuthority scheme");
        }
        time(h, SIGNING_TIME, true);
        return time(h, EXPIRY, false);
    }

    private static Instant time(JsonNode h, String name, boolean required) throws Failure {
        String v = Json.text(h, name);
        if (v == null) {
            if (required) {
                throw new Failure("the protected header has no " + name);
            }
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new Failure("the protected header's " + name + " '" + v + "' is not an RFC 3339 time");
        }
    }

    private static void checkSignature(JsonNode h, PublicKey key, byte[] signingInput, byte[] sig) throws Failure {
        String alg = Json.text(h, "alg");
        String expected;
        int size;
        if (key instanceof RSAPublicKey rsa) {
            size = rsa.getModulus().bitLength();
            expected = switch (size) {
                case 2048 -> "PS256";
                case 3072 -> "PS384";
                case 4096 -> "PS512";
                default -> null;
            };
        } else if (key instanceof ECPublicKey ec) {
            size = ec.getParams().getOrder().bitLength();
            expected = switch (size) {
                case 256 -> "ES256";
                case 384 -> "ES384";
                case 521 -> "ES512";
                default -> null;
            };
        } else {
            throw new Failure("the signing certificate has a " + key.getAlgorithm() + " key; Notation signs with RSA or ECDSA");
        }
        if (expected == null) {
            throw new Failure("the signing certificate's " + key.getAlgorithm() + "-" + size + " key is not one the"
                    + " Notary Project allows (RSA 2048/3072/4096, ECDSA P-256/384/521)");
        }
        if (!expected.equals(alg)) {
            throw new Failure("the protected header says alg " + alg + ", but the signing key calls for " + expected);
        }
        String bits = alg.substring(2);
        try {
            Signature s;
            if (alg.startsWith("PS")) {
                int len = (size + 7) / 8;
                if (sig.length != len) {
                    throw new Failure("the signature is " + sig.length + " bytes; an RSA-" + size + " signature is " + len);
                }
                s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec("SHA-" + bits, "MGF1", new MGF1ParameterSpec("SHA-" + bits),
                        Integer.parseInt(bits) / 8, 1));
            } else {
                int len = 2 * ((size + 7) / 8);
                if (sig.length != len) {
                    throw new Failure("the signature is " + sig.length + " bytes; a JWS " + alg + " signature is " + len);
                }
                s = Signature.getInstance("SHA" + bits + "withECDSAinP1363Format");
            }
            s.initVerify(key);
            s.update(signingInput);
            if (!s.verify(sig)) {
                throw new Failure("the signature does not match the signed payload and header (altered after signing)");
            }
        } catch (GeneralSecurityException e) {
            throw new Failure("the signature cannot be checked (" + e.getMessage() + ")");
        }
    }

    private static List<X509Certificate> chain(JsonNode x5c) throws Failure {
        if (x5c == null || !x5c.isArray() || x5c.isEmpty()) {
            throw new Failure("the envelope carries no certificate chain (x5c)");
        }
        if (x5c.size() > MAX_CHAIN) {
            throw new Failure("the certificate chain has " + x5c.size() + " certificates; more than " + MAX_CHAIN
                    + " is not a sane chain");
        }
        List<X509Certificate> out = new ArrayList<>();
        for (JsonNode c : x5c) {
            if (!c.isTextual()) {
                throw new Failure("the certificate chain holds a non-string");
            }
            try {
                out.add((X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(c.asText()))));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new Failure("certificate " + (out.size() + 1) + " of the chain cannot be read");
            }
        }
        return out;
    }

    private static void checkChain(List<X509Certificate> chain, Instant now) throws Failure {
        Date at = Date.from(now);
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            String name = i == 0 ? "the signing certificate" : "chain certificate " + (i + 1) + " ("
                    + c.getSubjectX500Principal() + ")";
            if (at.before(c.getNotBefore())) {
                throw new Failure(name + " is not valid before " + c.getNotBefore().toInstant());
            }
            if (at.after(c.getNotAfter())) {
                throw new Failure(name + " expired at " + c.getNotAfter().toInstant());
            }
            if (c.getSigAlgName().toUpperCase(java.util.Locale.ROOT).contains("SHA1")) {
                throw new Failure(name + " is signed with SHA-1, which the Notary Project does not allow");
            }
            PublicKey k = c.getPublicKey();
            if (k instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048
                    || k instanceof ECPublicKey ec && ec.getParams().getOrder().bitLength() < 256) {
                throw new Failure(name + " has a key shorter than the Notary Project allows");
            }
            X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : c;
            if (!c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                throw new Failure(i + 1 < chain.size() ? name + " is not issued by the next certificate in the chain"
                        : "the chain does not end with a root certificate (the last one, " + c.getSubjectX500Principal()
                        + ", is not self-signed)");
            }
            try {
                c.verify(issuer.getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new Failure(name + "'s signature does not verify with "
                        + (issuer == c ? "its own key (the last certificate must be a self-signed root)" : "the next certificate's key"));
            }
            boolean leafRole = i == 0;
            if (leafRole) {
                checkLeaf(c, chain.size() == 1);
            } else {
                checkCa(c, name, i - 1);
            }
        }
    }

    private static void checkLeaf(X509Certificate c, boolean alone) throws Failure {
        if (c.getBasicConstraints() >= 0 && !alone) {
            throw new Failure("the signing certificate is a CA certificate (basicConstraints cA is true)");
        }
        if (c.getBasicConstraints() >= 0) {
            throw new Failure("the signing certificate is a CA certificate; a chain of one certificate must meet the"
                    + " requirements of a signing certificate");
        }
        boolean[] ku = c.getKeyUsage();
        if (ku == null || !c.getCriticalExtensionOIDs().contains("2.5.29.15")) {
            throw new Failure("the signing certificate has no critical keyUsage extension");
        }
        if (!ku[0]) {
            throw new Failure("the signing certificate's keyUsage does not allow digitalSignature");
        }
        for (int bit = 2; bit < ku.length; bit++) {
            if (ku[bit]) {
                throw new Failure("the signing certificate's keyUsage allows more than signing (bit " + bit + ")");
            }
        }
        try {
            List<String> eku = c.getExtendedKeyUsage();
            if (eku != null) {
                for (String forbidden : List.of("2.5.29.37.0", "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2",
                        "1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.8")) {
                    if (eku.contains(forbidden)) {
                        throw new Failure("the signing certificate's extendedKeyUsage (" + eku + ") is not for code signing");
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new Failure("the signing certificate's extendedKeyUsage cannot be read");
        }
    }

    private static void checkCa(X509Certificate c, String name, int casBelow) throws Failure {
        int pathLen = c.getBasicConstraints();
        if (pathLen < 0 || !c.getCriticalExtensionOIDs().contains("2.5.29.19")) {
            throw new Failure(name + " is not a CA (it needs a critical basicConstraints with cA true)");
        }
        if (casBelow > pathLen) {
            throw new Failure(name + " allows " + pathLen + " CA certificates below it, the chain has " + casBelow);
        }
        boolean[] ku = c.getKeyUsage();
        if (ku == null || !c.getCriticalExtensionOIDs().contains("2.5.29.15") || ku.length < 6 || !ku[5]) {
            throw new Failure(name + " has no critical keyUsage allowing keyCertSign");
        }
    }

    private void checkTrusted(List<X509Certificate> chain) throws Failure {
        for (X509Certificate c : chain) {
            for (X509Certificate t : trustStore.certificates()) {
                try {
                    if (Arrays.equals(c.getEncoded(), t.getEncoded())) {
                        return;
                    }
                } catch (GeneralSecurityException e) {
                    // not comparable: not a match
                }
            }
        }
        throw new Failure("the certificate chain (root " + chain.get(chain.size() - 1).getSubjectX500Principal()
                + ") is not in the trust store " + trustStore.dir());
    }

    private static JsonNode object(byte[] json, String what) throws Failure {
        try {
            JsonNode n = STRICT.readTree(json);
            if (n == null || !n.isObject()) {
                throw new Failure(what + " is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new Failure(what + " is not JSON");
        }
    }

    private static String text(JsonNode n, String field) throws Failure {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new Failure("the envelope has no '" + field + "'");
        }
        return v.asText();
    }

    private static byte[] base64Url(String s, String what) throws Failure {
        if (!s.matches("[A-Za-z0-9_-]*")) {
            throw new Failure("the envelope's " + what + " is not unpadded base64url");
        }
        try {
            return Base64.getUrlDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new Failure("the envelope's " + what + " is not base64url");
        }
    }
}
