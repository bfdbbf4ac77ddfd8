package dev.dockaudit.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * X.509 certificates written in DER by hand, for tests that need exact control (a common name, a validity period
 * in the past, a CA flag, an IP subject alternative name): Notary's root certificates and TLS server certificates.
 */
public final class TestCerts {
    private TestCerts() {
    }

    public static KeyPair ec() {
        return TestPki.ec("secp256r1");
    }

    public static KeyPair rsa(int bits) {
        return TestPki.rsa(bits);
    }

    public static KeyPair ed25519() {
        return TestPki.ed25519();
    }

    /** A self-signed certificate for {@code key} with the common name {@code cn}. */
    public static X509Certificate selfSigned(KeyPair key, String cn, Instant notBefore, Instant notAfter, boolean ca,
                                             String ipSan) {
        return issued(key, cn, key.getPrivate(), cn, notBefore, notAfter, ca, ipSan);
    }

    /** A certificate for {@code subjectKey} issued (signed) by {@code issuerKey} under the name {@code issuerCn}. */
    public static X509Certificate issued(KeyPair subjectKey, String cn, PrivateKey issuerKey, String issuerCn, Instant notBefore,
                                         Instant notAfter, boolean ca, String ipSan) {
        try {
            boolean ecIssuer = issuerKey.getAlgorithm().equals("EC");
            byte[] algId = ecIssuer ? seq(oid("1.2.840.10045.4.3.2"))
                    : seq(oid("1.2.840.113549.1.1.11"), new byte[] {0x05, 0x00});
            ByteArrayOutputStream exts = new ByteArrayOutputStream();
            exts.writeBytes(seq(oid("2.5.29.19"), tlv(0x01, new byte[] {(byte) 0xff}),
                    tlv(0x04, ca ? seq(tlv(0x01, new byte[] {(byte) 0xff})) : seq())));
            if (ipSan != null) {
                byte[] ip = java.net.InetAddress.getByName(ipSan).getAddress();
                exts.writeBytes(seq(oid("2.5.29.17"), tlv(0x04, seq(tlv(0x87, ip), tlv(0x82, "localhost".getBytes(StandardCharsets.US_ASCII))))));
            }
            byte[] tbs = seq(
                    tlv(0xa0, tlv(0x02, new byte[] {2})),
                    tlv(0x02, BigInteger.valueOf(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)).toByteArray()),
                    algId,
                    name(issuerCn),
                    seq(time(notBefore), time(notAfter)),
                    name(cn),
                    subjectKey.getPublic().getEncoded(),
                    tlv(0xa3, seq(exts.toByteArray())));
            Signature s = Signature.getInstance(ecIssuer ? "SHA256withECDSA" : "SHA256withRSA");
            s.initSign(issuerKey);
            s.update(tbs);
            byte[] sig = s.sign();
            byte[] bitString = new byte[sig.length + 1];
            System.arraycopy(sig, 0, bitString, 1, sig.length);
            byte[] der = seq(tbs, algId, tlv(0x03, bitString));
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(PrivateKey k) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(k.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static byte[] name(String cn) {
        return seq(tlv(0x31, seq(oid("2.5.4.3"), tlv(0x0c, cn.getBytes(StandardCharsets.UTF_8)))));
    }

    private static byte[] time(Instant t) {
        var z = t.atZone(ZoneOffset.UTC);
        if (z.getYear() >= 1950 && z.getYear() < 2050) {
            return tlv(0x17, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").format(z).getBytes(StandardCharsets.US_ASCII));
        }
        return tlv(0x18, DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").format(z).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] oid(String dotted) {
        String[] p = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(p[0]) * 40 + Integer.parseInt(p[1]));
        for (int i = 2; i < p.length; i++) {
            long v = Long.parseLong(p[i]);
            byte[] tmp = new byte[10];
            int n = 0;
            do {
                tmp[n++] = (byte) (v & 0x7f);
                v >>= 7;
            } while (v > 0);
            for (int j = n - 1; j >= 0; j--) {
                out.write(tmp[j] | (j > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    static byte[] seq(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return tlv(0x30, out.toByteArray());
    }

    static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
