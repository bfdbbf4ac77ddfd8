package dev.dockaudit.trust.notary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.util.Json;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A public key as Notary's TUF metadata carries it: {@code {"keytype": …, "keyval": {"public": base64, "private": null}}}.
 * Key types: {@code ed25519} (32 raw bytes), {@code ecdsa} and {@code rsa} (DER SubjectPublicKeyInfo), and
 * {@code ecdsa-x509} and {@code rsa-x509} (a PEM certificate, or a bundle whose first certificate is the key's).
 *
 * <p>The key's ID is the SHA-256 of its canonical JSON with the private part null; the "canonical" ID docker
 * shows for signers is the ID of the bare public key inside a certificate.
 */
public final class TufKey {
    public static final String ED25519 = "ed25519";
    public static final String ECDSA = "ecdsa";
    public static final String ECDSA_X509 = "ecdsa-x509";
    public static final String RSA = "rsa";
    public static final String RSA_X509 = "rsa-x509";

    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final String type;
    private final byte[] publicBytes;
    private final String id;

    public TufKey(String type, byte[] publicBytes) {
        this.type = type.toLowerCase(Locale.ROOT); // Notary lower-cases key types when it reads them
        this.publicBytes = publicBytes.clone();
        this.id = idOf(this.type, this.publicBytes);
    }

    /** Reads a key object; throws IllegalArgumentException with a reason when it is not one. */
    public static TufKey fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a key is not a JSON object");
        }
        JsonNode type = n.get("keytype");
        JsonNode pub = n.path("keyval").get("public");
        if (type == null || !type.isTextual() || pub == null || !pub.isTextual()) {
            throw new IllegalArgumentException("a key lacks keytype or keyval.public");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(pub.textValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a key's public part is not base64");
        }
        return new TufKey(type.textValue(), bytes);
    }

    public String type() {
        return type;
    }

    public byte[] publicBytes() {
        return publicBytes.clone();
    }

    /** The key ID: hex SHA-256 of the canonical key object with a null private part. */
    public String id() {
        return id;
    }

    public boolean isX509() {
        return type.equals(ECDSA_X509) || type.equals(RSA_X509);
    }

    static String idOf(String type, byte[] publicBytes) {
        ObjectNode key = Json.MAPPER.createObjectNode();
        key.put("keytype", type);
        ObjectNode val = key.putObject("keyval");
        val.putNull("private");
        val.put("public", Base64.getEncoder().encodeToString(publicBytes));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(CanonicalJson.encode(key)));
        } catch (GeneralSecurityException | CanonicalJson.NotCanonical e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The ID docker shows for a signer's key: for a certificate, the ID of the {@code ecdsa} or {@code rsa} key it
     * holds; otherwise the key's own ID.
     */
    public String canonicalId() {
        if (!isX509()) {
            return id;
        }
        try {
            X509Certificate c = certificates().get(0);
            return idOf(type.equals(ECDSA_X509) ? ECDSA : RSA, c.getPublicKey().getEncoded());
        } catch (GeneralSecurityException | RuntimeException e) {
            return id;
        }
    }

    /** The certificates of an x509 key, the key's own first. */
    public List<X509Certificate> certificates() throws GeneralSecurityException {
        if (!isX509()) {
            throw new GeneralSecurityException("a " + type + " key holds no certificate");
        }
        String pem = new String(publicBytes, StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new GeneralSecurityException("the key's public part is not a PEM certificate");
        }
        List<X509Certificate> out = new ArrayList<>();
        for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(publicBytes))) {
            out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException("the key's PEM holds no certificate");
        }
        return out;
    }

    /** The Java public key; throws when the bytes are not a key of the declared type. */
    public PublicKey publicKey() throws GeneralSecurityException {
        switch (type) {
            case ED25519 -> {
                if (publicBytes.length != 32) {
                    throw new GeneralSecurityException("an ed25519 public key is 32 bytes, this one " + publicBytes.length);
                }
                byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
                System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
                System.arraycopy(publicBytes, 0, spki, ED25519_SPKI_PREFIX.length, 32);
                return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            }
            case ECDSA -> {
                return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(publicBytes));
            }
            case RSA -> {
                return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(publicBytes));
            }
            case ECDSA_X509, RSA_X509 -> {
                PublicKey k = certificates().get(0).getPublicKey();
                String want = type.equals(ECDSA_X509) ? "EC" : "RSA";
                if (!k.getAlgorithm().equals(want)) {
                    throw new GeneralSecurityException("a " + type + " certificate holds a " + k.getAlgorithm() + " key");
                }
                return k;
            }
            default -> throw new GeneralSecurityException("unknown key type " + type);
        }
    }

    /** The first 12 characters of the ID, as docker trust inspect --pretty shows signer keys. */
    public static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    @Override
    public String toString() {
        return type + " " + id;
    }
}
