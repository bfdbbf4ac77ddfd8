package dev.dockaudit.trust.cosign;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What a Fulcio certificate says about its signer: the identity in the Subject Alternative Name (an email or a
 * URI) and the OIDC issuer that vouched for it, in Fulcio's extensions under 1.3.6.1.4.1.57264.1: {@code .8}
 * (a DER UTF8String) and the older {@code .1} (the raw string, no DER around it).
 */
public final class Fulcio {
    public static final String OID_ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
    public static final String OID_ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
    public static final String EKU_CODE_SIGNING = "1.3.6.1.5.5.7.3.3";

    private Fulcio() {
    }

    /** The email addresses and URIs in the certificate's Subject Alternative Name, in order. */
    public static List<String> identities(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return out;
        }
        if (sans == null) {
            return out;
        }
        for (List<?> san : sans) {
            if (san.size() >= 2 && san.get(0) instanceof Integer type && (type == 1 || type == 6)
                    && san.get(1) instanceof String value) {
                out.add(value);
            }
        }
        return out;
    }

    /** The OIDC issuer Fulcio recorded, preferring the DER-encoded extension; null when there is none. */
    public static String issuer(X509Certificate cert) {
        byte[] v2 = extnValue(cert, OID_ISSUER_V2);
        if (v2 != null) {
            // UTF8String (0x0c), also accepting the other string types a hand-made certificate might use
            if (v2.length >= 2 && (v2[0] == 0x0c || v2[0] == 0x16 || v2[0] == 0x13)) {
                int[] pos = {1};
                int len = length(v2, pos);
                if (len >= 0 && pos[0] + len == v2.length) {
                    return new String(v2, pos[0], len, StandardCharsets.UTF_8);
                }
            }
            return null;
        }
        byte[] v1 = extnValue(cert, OID_ISSUER_V1);
        return v1 == null ? null : new String(v1, StandardCharsets.UTF_8);
    }

    /** The extension's extnValue (the contents of the OCTET STRING), or null. */
    static byte[] extnValue(X509Certificate cert, String oid) {
        byte[] der = cert.getExtensionValue(oid);
        if (der == null || der.length < 2 || der[0] != 0x04) {
            return null;
        }
        int[] pos = {1};
        int len = length(der, pos);
        if (len < 0 || pos[0] + len != der.length) {
            return null;
        }
        return java.util.Arrays.copyOfRange(der, pos[0], der.length);
    }

    private static int length(byte[] der, int[] pos) {
        if (pos[0] >= der.length) {
            return -1;
        }
        int b = der[pos[0]++] & 0xff;
        if (b < 0x80) {
            return b;
        }
        int n = b & 0x7f;
        if (n == 0 || n > 3 || pos[0] + n > der.length) {
            return -1;
        }
        int len = 0;
        for (int i = 0; i < n; i++) {
            len = (len << 8) | (der[pos[0]++] & 0xff);
        }
        return len;
    }
}
