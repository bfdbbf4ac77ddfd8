package dev.dockaudit.trust.cosign;

import dev.dockaudit.util.Digest;
import dev.dockaudit.util.UserError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Public keys as cosign users hold them ({@code cosign.pub}: a PEM SubjectPublicKeyInfo; also PKCS#1 RSA keys and
 * certificates), their ids, and cosign's signature schemes: ECDSA (ASN.1 DER signature, SHA-256, or the curve's
 * own hash for P-384 and P-521), RSA PKCS#1 v1.5 with SHA-256, and Ed25519 (the message itself).
 */
public final class PublicKeys {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final int MAX_KEY_FILE = 1 << 20;

    private PublicKeys() {
    }

    /** Reads the first public key (or the key of the first certificate) in a PEM file. */
    public static PublicKey read(Path file) {
        byte[] data;
        try {
            if (Files.size(file) > MAX_KEY_FILE) {
                throw new UserError(file + " is over 1 MiB; a public key file is a few hundred bytes");
            }
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError("cannot read the key file " + file + " (" + e.getMessage() + ")");
        }
        return parsePem(new String(data, StandardCharsets.US_ASCII), file.toString());
    }

    /** Parses a PEM public key or certificate; {@code what} names it in errors. */
    public static PublicKey parsePem(String pem, String what) {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2).replaceAll("(?m)^[A-Za-z-]+:.*$", ""));
            } catch (IllegalArgumentException e) {
                throw new UserError(what + " holds a " + type + " that is not valid base64");
            }
            switch (type) {
                case "PUBLIC KEY":
                    return fromSpki(der, what);
                case "RSA PUBLIC KEY":
                    return fromSpki(rsaSpki(der), what);
                case "CERTIFICATE":
                    return certificate(der, what).getPublicKey();
                default:
                    if (type.contains("PRIVATE KEY")) {
                        throw new UserError(what + " holds a private key; verification needs the public key (cosign.pub,"
                                + " or: cosign public-key --key cosign.key)");
                    }
            }
        }
        throw new UserError(what + " holds no PEM public key (-----BEGIN PUBLIC KEY-----)");
    }

    static X509Certificate certificate(byte[] der, String what) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new UserError(what + " holds a certificate that cannot be read (" + e.getMessage() + ")");
        }
    }

    static PublicKey fromSpki(byte[] der, String what) {
        for (String alg : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next algorithm
            }
        }
        throw new UserError(what + " holds a public key dockaudit cannot use; cosign keys are ECDSA (P-256, P-384,"
                + " P-521), RSA or Ed25519");
    }

    /** The key id cosign and Rekor use: SHA-256 of the DER SubjectPublicKeyInfo, as hex. */
    public static String keyId(PublicKey key) {
        return Digest.sha256(key.getEncoded()).hex();
    }

    /**
     * Checks {@code signature} over {@code message} as cosign makes it. Returns null when it verifies, else a
     * sentence saying why not (a malformed signature is told apart from one that does not match).
     */
    public static String verify(PublicKey key, byte[] message, byte[] signature) {
        try {
            if (key instanceof ECPublicKey ec) {
                int bits = ec.getParams().getOrder().bitLength();
                String malformed = checkEcdsaDer(signature, (bits + 7) / 8);
                if (malformed != null) {
                    return malformed;
                }
                // cosign signs with SHA-256 whatever the curve; sigstore's newer defaults use the curve's hash.
                String[] algs = bits > 384 ? new String[] {"SHA512withECDSA", "SHA256withECDSA"}
                        : bits > 256 ? new String[] {"SHA384withECDSA", "SHA256withECDSA"} : new String[] {"SHA256withECDSA"};
                for (String alg : algs) {
                    if (check(alg, key, message, signature)) {
                        return null;
                    }
                }
                return "the ECDSA signature does not match the payload and key";
            }
            if (key instanceof RSAPublicKey rsa) {
                int len = (rsa.getModulus().bitLength() + 7) / 8;
                if (signature.length != len) {
                    return "the signature is " + signature.length + " bytes, but an RSA-" + rsa.getModulus().bitLength()
                            + " signature is " + len + " bytes";
                }
                return check("SHA256withRSA", key, message, signature) ? null
                        : "the RSA signature does not match the payload and key";
            }
            if (key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA")) {
                if (signature.length != 64) {
                    return "the signature is " + signature.length + " bytes, but an Ed25519 signature is 64 bytes";
                }
                return check("Ed25519", key, message, signature) ? null
                        : "the Ed25519 signature does not match the payload and key";
            }
            return "a " + key.getAlgorithm() + " key cannot verify cosign signatures";
        } catch (GeneralSecurityException e) {
            return "the signature cannot be checked (" + e.getMessage() + ")";
        }
    }

    private static boolean check(String alg, PublicKey key, byte[] message, byte[] signature) throws GeneralSecurityException {
        Signature s = Signature.getInstance(alg);
        s.initVerify(key);
        s.update(message);
        try {
            return s.verify(signature);
        } catch (java.security.SignatureException malformed) {
            return false;
        }
    }

    /** An ECDSA signature must be DER: SEQUENCE { INTEGER r, INTEGER s }, each at most the order's size. */
    static String checkEcdsaDer(byte[] sig, int orderBytes) {
        String bad = "the signature is " + sig.length + " bytes and not an ECDSA signature (a DER SEQUENCE of two"
                + " integers, at most " + (2 * orderBytes + 9) + " bytes for this key)";
        if (sig.length < 8 || sig.length > 2 * orderBytes + 9 || (sig[0] & 0xff) != 0x30) {
            return bad;
        }
        int[] pos = {1};
        int seqLen = length(sig, pos);
        if (seqLen < 0 || pos[0] + seqLen != sig.length) {
            return bad;
        }
        for (int i = 0; i < 2; i++) {
            if (pos[0] >= sig.length || sig[pos[0]++] != 0x02) {
                return bad;
            }
            int len = length(sig, pos);
            if (len <= 0 || len > orderBytes + 1 || pos[0] + len > sig.length) {
                return bad;
            }
            if (new BigInteger(1, java.util.Arrays.copyOfRange(sig, pos[0], pos[0] + len)).signum() == 0) {
                return bad;
            }
            pos[0] += len;
        }
        return pos[0] == sig.length ? null : bad;
    }

    private static int length(byte[] der, int[] pos) {
        if (pos[0] >= der.length) {
            return -1;
        }
        int b = der[pos[0]++] & 0xff;
        if (b < 0x80) {
            return b;
        }
        if (b != 0x81 || pos[0] >= der.length) {
            return -1;
        }
        return der[pos[0]++] & 0xff;
    }

    /** Wraps a PKCS#1 RSAPublicKey in a SubjectPublicKeyInfo. */
    private static byte[] rsaSpki(byte[] pkcs1) {
        byte[] algId = HexFormat.of().parseHex("300d06092a864886f70d0101010500");
        ByteArrayOutputStream bitString = new ByteArrayOutputStream();
        bitString.write(0);
        bitString.writeBytes(pkcs1);
        return tlv(0x30, concat(algId, tlv(0x03, bitString.toByteArray())));
    }

    private static byte[] tlv(int tag, byte[] v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (v.length < 0x80) {
            out.write(v.length);
        } else if (v.length < 0x100) {
            out.write(0x81);
            out.write(v.length);
        } else {
            out.write(0x82);
            out.write(v.length >> 8);
            out.write(v.length);
        }
        out.writeBytes(v);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
