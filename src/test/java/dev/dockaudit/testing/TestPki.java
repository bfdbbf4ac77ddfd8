package dev.dockaudit.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test certificates made with the JDK alone: a small DER writer for the TBSCertificate (RFC 5280) and the JDK's
 * Signature to sign it, so tests can make CA chains, Fulcio-style leaves (empty subject, critical SAN, the OIDC
 * issuer extensions) and Notation code-signing certificates, including expired and malformed ones.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(1000);

    private TestPki() {
    }

    public static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A certificate under construction. */
    public static final class Cert {
        private String subjectCn;
        private String subjectO;
        private Instant notBefore = Instant.now().minusSeconds(3600);
        private Instant notAfter = Instant.now().plusSeconds(365L * 86400);
        private final List<byte[]> extensions = new ArrayList<>();
        private KeyPair key;
        private X509Certificate issuerCert;
        private PrivateKey issuerKey;
        private String sigAlg;

        public Cert subject(String cn, String o) {
            subjectCn = cn;
            subjectO = o;
            return this;
        }

        public Cert validity(Instant from, Instant to) {
            notBefore = from;
            notAfter = to;
            return this;
        }

        public Cert key(KeyPair k) {
            key = k;
            return this;
        }

        /** Signed by this issuer; without one the certificate is self-signed. */
        public Cert issuer(X509Certificate cert, PrivateKey k) {
            issuerCert = cert;
            issuerKey = k;
            return this;
        }

        /** Signature algorithm, e.g. SHA1withRSA for a refused chain; by default SHA-256 with the issuer key's type. */
        public Cert signatureAlgorithm(String alg) {
            sigAlg = alg;
            return this;
        }

        public Cert ca(int pathLen) {
            byte[] v = seq(bool(true), pathLen >= 0 ? integer(BigInteger.valueOf(pathLen)) : new byte[0]);
            extensions.add(TestPki.extension("2.5.29.19", true, v));
            return this;
        }

        /** Key usage bits: 0 digitalSignature, 5 keyCertSign, 6 cRLSign. */
        public Cert keyUsage(boolean critical, int... bits) {
            int max = 0;
            for (int b : bits) {
                max = Math.max(max, b);
            }
            byte[] bytes = new byte[max / 8 + 1];
            for (int b : bits) {
                bytes[b / 8] |= (byte) (0x80 >> (b % 8));
            }
            int unused = 7 - (max % 8);
            byte[] bs = new byte[bytes.length + 1];
            bs[0] = (byte) unused;
            System.arraycopy(bytes, 0, bs, 1, bytes.length);
            extensions.add(TestPki.extension("2.5.29.15", critical, tlv(0x03, bs)));
            return this;
        }

        public Cert extendedKeyUsage(String... oids) {
            List<byte[]> parts = new ArrayList<>();
            for (String o : oids) {
                parts.add(oid(o));
            }
            extensions.add(TestPki.extension("2.5.29.37", false, seq(parts.toArray(new byte[0][]))));
            return this;
        }

        /** Subject Alternative Names: values with '@' are emails (rfc822Name), others URIs. */
        public Cert san(boolean critical, String... names) {
            List<byte[]> parts = new ArrayList<>();
            for (String n : names) {
                parts.add(tlv(n.contains("@") && !n.contains("://") ? 0x81 : 0x86, n.getBytes(StandardCharsets.US_ASCII)));
            }
            extensions.add(TestPki.extension("2.5.29.17", critical, seq(parts.toArray(new byte[0][]))));
            return this;
        }

        /** Any extension, its extnValue given as is. */
        public Cert extension(String oid, boolean critical, byte[] value) {
            extensions.add(TestPki.extension(oid, critical, value));
            return this;
        }

        /** Fulcio's OIDC issuer as the v1 extension (raw string) and the v2 one (DER UTF8String). */
        public Cert fulcioIssuer(String issuer) {
            extension("1.3.6.1.4.1.57264.1.1", false, issuer.getBytes(StandardCharsets.UTF_8));
            return extension("1.3.6.1.4.1.57264.1.8", false, tlv(0x0c, issuer.getBytes(StandardCharsets.UTF_8)));
        }

        public X509Certificate build() {
            try {
                PrivateKey signer = issuerKey != null ? issuerKey : key.getPrivate();
                String alg = sigAlg != null ? sigAlg : switch (signer.getAlgorithm()) {
                    case "EC" -> "SHA256withECDSA";
                    case "RSA" -> "SHA256withRSA";
                    default -> "Ed25519";
                };
                byte[] algId = algorithmIdentifier(alg);
                byte[] subject = name(subjectCn, subjectO);
                byte[] issuer = issuerCert != null ? issuerCert.getSubjectX500Principal().getEncoded() : subject;
                List<byte[]> tbs = new ArrayList<>();
                tbs.add(tlv(0xa0, integer(BigInteger.TWO)));
                tbs.add(integer(BigInteger.valueOf(SERIAL.incrementAndGet())));
                tbs.add(algId);
                tbs.add(issuer);
                tbs.add(seq(time(notBefore), time(notAfter)));
                tbs.add(subject);
                tbs.add(key.getPublic().getEncoded());
                if (!extensions.isEmpty()) {
                    tbs.add(tlv(0xa3, seq(extensions.toArray(new byte[0][]))));
                }
                byte[] tbsDer = seq(tbs.toArray(new byte[0][]));
                Signature s = Signature.getInstance(alg);
                s.initSign(signer);
                s.update(tbsDer);
                byte[] sig = s.sign();
                byte[] bits = new byte[sig.length + 1];
                System.arraycopy(sig, 0, bits, 1, sig.length);
                byte[] der = seq(tbsDer, algId, tlv(0x03, bits));
                return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static Cert cert() {
        return new Cert();
    }

    /** A self-signed CA: critical basicConstraints cA, critical keyUsage keyCertSign and cRLSign. */
    public static X509Certificate rootCa(String cn, KeyPair key) {
        return cert().subject(cn, "dockaudit tests").key(key).ca(-1).keyUsage(true, 5, 6).build();
    }

    public static X509Certificate intermediateCa(String cn, KeyPair key, X509Certificate issuer, PrivateKey issuerKey) {
        return cert().subject(cn, "dockaudit tests").key(key).issuer(issuer, issuerKey).ca(0).keyUsage(true, 5, 6).build();
    }

    public static String pem(X509Certificate... certs) {
        StringBuilder b = new StringBuilder();
        for (X509Certificate c : certs) {
            try {
                b.append("-----BEGIN CERTIFICATE-----\n")
                        .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return b.toString();
    }

    public static String publicKeyPem(java.security.PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    // ---- DER ----

    static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? seq(oid(oid), bool(true), tlv(0x04, value)) : seq(oid(oid), tlv(0x04, value));
    }

    private static byte[] algorithmIdentifier(String alg) {
        return switch (alg) {
            case "SHA256withECDSA" -> seq(oid("1.2.840.10045.4.3.2"));
            case "SHA384withECDSA" -> seq(oid("1.2.840.10045.4.3.3"));
            case "SHA256withRSA" -> seq(oid("1.2.840.113549.1.1.11"), new byte[] {0x05, 0x00});
            case "SHA1withRSA" -> seq(oid("1.2.840.113549.1.1.5"), new byte[] {0x05, 0x00});
            case "Ed25519" -> seq(oid("1.3.101.112"));
            default -> throw new IllegalArgumentException(alg);
        };
    }

    private static byte[] name(String cn, String o) {
        List<byte[]> rdns = new ArrayList<>();
        if (o != null) {
            rdns.add(tlv(0x31, seq(oid("2.5.4.10"), tlv(0x0c, o.getBytes(StandardCharsets.UTF_8)))));
        }
        if (cn != null) {
            rdns.add(tlv(0x31, seq(oid("2.5.4.3"), tlv(0x0c, cn.getBytes(StandardCharsets.UTF_8)))));
        }
        return seq(rdns.toArray(new byte[0][]));
    }

    private static byte[] time(Instant t) {
        int year = t.atZone(ZoneOffset.UTC).getYear();
        if (year >= 1950 && year < 2050) {
            return tlv(0x17, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC).format(t)
                    .getBytes(StandardCharsets.US_ASCII));
        }
        return tlv(0x18, DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC).format(t)
                .getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] oid(String dotted) {
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

    private static byte[] integer(BigInteger v) {
        return tlv(0x02, v.toByteArray());
    }

    private static byte[] bool(boolean b) {
        return new byte[] {0x01, 0x01, (byte) (b ? 0xff : 0)};
    }

    public static byte[] seq(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return tlv(0x30, out.toByteArray());
    }

    public static byte[] tlv(int tag, byte[] v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = v.length;
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
        out.writeBytes(v);
        return out.toByteArray();
    }
}
