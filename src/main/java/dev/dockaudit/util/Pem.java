package dev.dockaudit.util;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * PEM certificates and keys as docker keeps them ({@code ca.pem}, {@code cert.pem}, {@code key.pem}), and
 * TLS contexts built from them. Keys may be PKCS#8, PKCS#1 RSA or SEC1 EC: openssl writes all three.
 */
public final class Pem {
    // The body may carry RFC 1421 headers (Proc-Type, DEK-Info: AES-256-CBC,…) whose dashes a [^-]+ body would refuse.
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final byte[] RSA_OID = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] EC_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private Pem() {
    }

    public static List<X509Certificate> certificates(Path file) throws IOException {
        byte[] data = Files.readAllBytes(file);
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(data));
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : certs) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new UserError(file + " holds no certificate; it must be a PEM file");
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new UserError(file + " is not a PEM certificate file (" + e.getMessage() + ")");
        }
    }

    public static PrivateKey privateKey(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = BLOCK.matcher(text);
        String skipped = null;
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("ENCRYPTED PRIVATE KEY") || (type.endsWith("PRIVATE KEY") && m.group(2).contains("ENCRYPTED"))) {
                throw new UserError(file + " holds a private key encrypted with a passphrase; docker and dockaudit need it"
                        + " unencrypted: openssl pkey -in " + file + " -out key.pem");
            }
            if (!type.endsWith("PRIVATE KEY")) {
                // Like Go's tls.X509KeyPair (so docker), pass over other blocks (a certificate, EC PARAMETERS) to the key.
                skipped = skipped == null ? type : skipped;
                continue;
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new UserError(file + " holds a private key dockaudit cannot read (" + e.getMessage() + ")");
            }
            try {
                switch (type) {
                    case "PRIVATE KEY":
                        return fromPkcs8(der);
                    case "RSA PRIVATE KEY":
                        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(wrap(der, seq(RSA_OID, new byte[] {0x05, 0x00}))));
                    case "EC PRIVATE KEY":
                        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(wrap(der, seq(EC_OID, ecCurve(der)))));
                    default:
                        throw new UserError(file + " holds a " + type + ", a kind of key dockaudit cannot read; convert it"
                                + " to PKCS#8 with openssl pkey -in " + file + " -out key.pem");
                }
            } catch (GeneralSecurityException | IllegalArgumentException | IndexOutOfBoundsException e) {
                // (the small DER reader runs off the end of a truncated SEC1 key)
                throw new UserError(file + " holds a private key dockaudit cannot read (" + e.getMessage() + ")");
            }
        }
        if (skipped != null) {
            throw new UserError(file + " holds a " + skipped.toLowerCase(java.util.Locale.ROOT)
                    + ", not a private key; key.pem must hold the key that goes with cert.pem");
        }
        throw new UserError(file + " holds no PEM private key");
    }

    private static PrivateKey fromPkcs8(byte[] der) throws GeneralSecurityException {
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("unsupported PKCS#8 key algorithm");
    }

    /** A TLS context trusting {@code caFile} (system CAs too when {@code alsoSystem}), presenting an optional client certificate. */
    public static SSLContext tlsContext(Path caFile, boolean alsoSystem, Path certFile, Path keyFile) throws IOException {
        try {
            TrustManager[] trust = null;
            if (caFile != null) {
                KeyStore ts = KeyStore.getInstance(KeyStore.getDefaultType());
                ts.load(null, null);
                int i = 0;
                for (X509Certificate c : certificates(caFile)) {
                    ts.setCertificateEntry("ca" + i++, c);
                }
                if (alsoSystem) {
                    TrustManagerFactory sys = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                    sys.init((KeyStore) null);
                    for (TrustManager tm : sys.getTrustManagers()) {
                        if (tm instanceof javax.net.ssl.X509TrustManager x) {
                            for (X509Certificate c : x.getAcceptedIssuers()) {
                                ts.setCertificateEntry("sys" + i++, c);
                            }
                        }
                    }
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
                trust = tmf.getTrustManagers();
            }
            javax.net.ssl.KeyManager[] keys = null;
            if (certFile != null && keyFile != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                List<X509Certificate> chain = certificates(certFile);
                ks.setKeyEntry("client", privateKey(keyFile), new char[0], chain.toArray(new Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
                keys = kmf.getKeyManagers();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, trust, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new UserError("cannot set up TLS with " + caFile + " (" + e.getMessage() + ")");
        }
    }

    // --- minimal DER, just enough to wrap PKCS#1 and SEC1 keys in PKCS#8 ---

    private static byte[] ecCurve(byte[] sec1) {
        // ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING, [0] parameters (the curve OID), [1] publicKey }
        int[] pos = {0};
        expect(sec1, pos, 0x30);
        readLength(sec1, pos);
        while (pos[0] < sec1.length) {
            int tag = sec1[pos[0]] & 0xff;
            pos[0]++;
            int len = readLength(sec1, pos);
            if (tag == 0xa0) {
                byte[] oid = new byte[len];
                System.arraycopy(sec1, pos[0], oid, 0, len);
                return oid;
            }
            pos[0] += len;
        }
        throw new IllegalArgumentException("EC key without curve parameters");
    }

    private static void expect(byte[] der, int[] pos, int tag) {
        if ((der[pos[0]++] & 0xff) != tag) {
            throw new IllegalArgumentException("malformed DER");
        }
    }

    private static int readLength(byte[] der, int[] pos) {
        int b = der[pos[0]++] & 0xff;
        if (b < 0x80) {
            return b;
        }
        int n = b & 0x7f;
        int len = 0;
        for (int i = 0; i < n; i++) {
            len = (len << 8) | (der[pos[0]++] & 0xff);
        }
        return len;
    }

    private static byte[] wrap(byte[] key, byte[] algorithm) {
        return tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, key)));
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
