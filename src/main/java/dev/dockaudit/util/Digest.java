package dev.dockaudit.util;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** A content digest in OCI form, {@code algorithm:hex}. Only sha256 and sha512 are accepted, as in the OCI spec. */
public record Digest(String algorithm, String hex) {
    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        Pattern p = switch (algorithm) {
            case "sha256" -> SHA256;
            case "sha512" -> SHA512;
            default -> throw new IllegalArgumentException("unsupported digest algorithm '" + algorithm + "'");
        };
        if (!p.matcher(hex).matches()) {
            throw new IllegalArgumentException("malformed " + algorithm + " digest '" + hex + "'");
        }
    }

    /** Parses {@code sha256:<hex>}; throws {@link IllegalArgumentException} with a readable message otherwise. */
    public static Digest parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("missing digest");
        }
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("malformed digest '" + s + "' (expected sha256:<64 hex digits>)");
        }
        return new Digest(s.substring(0, colon), s.substring(colon + 1));
    }

    /** Like {@link #parse} but returns null for null or malformed input. */
    public static Digest parseOrNull(String s) {
        try {
            return s == null ? null : parse(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public static boolean isSha256Hex(String s) {
        return s != null && SHA256.matcher(s).matches();
    }

    public static Digest sha256(byte[] data) {
        return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(data)));
    }

    public static Digest ofSha256(byte[] rawHash) {
        return new Digest("sha256", HexFormat.of().formatHex(rawHash));
    }

    public static MessageDigest newSha256() {
        return newDigest("sha256");
    }

    public static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.toUpperCase(Locale.ROOT).replace("SHA", "SHA-"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Digest of {@code data} with this digest's algorithm. */
    public boolean matches(byte[] data) {
        return equals(new Digest(algorithm, HexFormat.of().formatHex(newDigest(algorithm).digest(data))));
    }

    /** First 12 hex digits, as docker prints ids. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
