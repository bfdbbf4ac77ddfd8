package dev.dockaudit.testing;

import dev.dockaudit.util.Digest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Makes Notary Project signature envelopes (JWS JSON, flattened) as the JWS envelope specification defines them,
 * written independently of dockaudit's verifier: the protected header, the payload with the target descriptor,
 * the signature over {@code ASCII(BASE64URL(protected) '.' BASE64URL(payload))} and the x5c chain.
 */
public final class NotationSigning {
    public static final String SIGNATURE_ARTIFACT = "application/vnd.cncf.notary.signature";
    public static final String JWS = "application/jose+json";

    private NotationSigning() {
    }

    /** The protected header; {@code extra} is appended raw (e.g. {@code ,"io.cncf.notary.expiry":"…"}). */
    public static String protectedHeader(String alg, List<String> crit, String extra) {
        List<String> quoted = new ArrayList<>();
        crit.forEach(c -> quoted.add("\"" + c + "\""));
        return "{\"alg\":\"" + alg + "\",\"crit\":[" + String.join(",", quoted) + "],\"cty\":\"application/vnd.cncf.notary.payload.v1+json\","
                + "\"io.cncf.notary.signingScheme\":\"notary.x509\",\"io.cncf.notary.signingTime\":\"2025-01-02T03:04:05Z\"" + extra + "}";
    }

    public static String defaultHeader(String alg) {
        return protectedHeader(alg, List.of("io.cncf.notary.signingScheme"), "");
    }

    public static String payload(String mediaType, Digest digest, long size) {
        return "{\"targetArtifact\":{\"digest\":\"" + digest + "\",\"mediaType\":\"" + mediaType + "\",\"size\":" + size + "}}";
    }

    public static String b64url(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String b64url(String s) {
        return b64url(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Signs as JWS alg says: PS256/384/512 (RSASSA-PSS, salt = hash length) or ES256/384/512 (r||s). */
    public static byte[] sign(String alg, PrivateKey key, String signingInput) {
        String bits = alg.substring(2);
        try {
            Signature s;
            if (alg.startsWith("PS")) {
                s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec("SHA-" + bits, "MGF1", new MGF1ParameterSpec("SHA-" + bits),
                        Integer.parseInt(bits) / 8, 1));
            } else {
                s = Signature.getInstance("SHA" + bits + "withECDSAinP1363Format");
            }
            s.initSign(key);
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A complete envelope. */
    public static String envelope(String protectedJson, String payloadJson, String alg, PrivateKey key, List<X509Certificate> x5c) {
        String p = b64url(protectedJson);
        String pl = b64url(payloadJson);
        byte[] sig = sign(alg, key, p + "." + pl);
        return envelope(p, pl, b64url(sig), x5c);
    }

    public static String envelope(String protectedB64, String payloadB64, String signatureB64, List<X509Certificate> x5c) {
        List<String> certs = new ArrayList<>();
        for (X509Certificate c : x5c) {
            try {
                certs.add("\"" + Base64.getEncoder().encodeToString(c.getEncoded()) + "\"");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return "{\"payload\":\"" + payloadB64 + "\",\"protected\":\"" + protectedB64 + "\",\"header\":{\"x5c\":["
                + String.join(",", certs) + "],\"io.cncf.notary.signingAgent\":\"dockaudit-tests\"},\"signature\":\"" + signatureB64 + "\"}";
    }
}
