package dev.dockaudit.trust.notary;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Locale;

/**
 * Checks one TUF signature the way Notary's verifiers do. Every method hashes the message with SHA-256.
 *
 * <ul>
 *   <li>{@code ecdsa}: keys {@code ecdsa} and {@code ecdsa-x509}; the signature is r||s, each half the curve's
 *       byte size (64 bytes for P-256), as Notary writes it, or an ASN.1 DER signature, which newer Notary also
 *       accepts;</li>
 *   <li>{@code eddsa}: {@code ed25519} keys, 64-byte signatures;</li>
 *   <li>{@code rsapss} (salt length 32, MGF1 with SHA-256) and {@code rsapkcs1v15}: {@code rsa} and {@code rsa-x509}
 *       keys of at least 2048 bits, signatures as long as the modulus.</li>
 * </ul>
 */
public final class SignatureVerifier {
    private static final int MIN_RSA_BITS = 2048;

    private SignatureVerifier() {
    }

    /** What checking a signature found. */
    public enum Outcome {
        VALID, INVALID, WRONG_LENGTH, UNSUPPORTED_METHOD, KEY_MISMATCH, WEAK_KEY, BAD_KEY
    }

    /** The outcome and, when not valid, why, in words for a finding. */
    public record Result(Outcome outcome, String reason) {
        public boolean valid() {
            return outcome == Outcome.VALID;
        }

        static Result ok() {
            return new Result(Outcome.VALID, null);
        }
    }

    public static Result verify(String method, TufKey key, byte[] signature, byte[] message) {
        String m = method == null ? "" : method.toLowerCase(Locale.ROOT);
        PublicKey pub;
        try {
            pub = key.publicKey();
        } catch (GeneralSecurityException | RuntimeException e) {
            return new Result(Outcome.BAD_KEY, "key " + TufKey.shortId(key.id()) + " is not a usable " + key.type()
                    + " key (" + e.getMessage() + ")");
        }
        try {
            return switch (m) {
                case "ecdsa" -> ecdsa(key, pub, signature, message);
                case "eddsa" -> eddsa(key, signature, message, pub);
                case "rsapss", "rsapkcs1v15" -> rsa(m, key, pub, signature, message);
                default -> new Result(Outcome.UNSUPPORTED_METHOD, "signature method '" + method + "' is not one Notary"
                        + " verifies (ecdsa, eddsa, rsapss, rsapkcs1v15)");
            };
        } catch (GeneralSecurityException | RuntimeException e) {
            return new Result(Outcome.INVALID, "the " + m + " signature does not verify (" + e.getMessage() + ")");
        }
    }

    private static Result ecdsa(TufKey key, PublicKey pub, byte[] sig, byte[] msg) throws GeneralSecurityException {
        if (!(pub instanceof ECPublicKey ec)) {
            return mismatch("ecdsa", key);
        }
        if (isDerSignature(sig)) {
            return check(Signature.getInstance("SHA256withECDSA"), pub, sig, msg, "ecdsa");
        }
        int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
        if (sig.length != 2 * size) {
            return new Result(Outcome.WRONG_LENGTH, "the ecdsa signature is " + sig.length + " bytes; r||s for this "
                    + ec.getParams().getCurve().getField().getFieldSize() + "-bit curve is " + 2 * size);
        }
        return check(Signature.getInstance("SHA256withECDSAinP1363Format"), pub, sig, msg, "ecdsa");
    }

    private static Result eddsa(TufKey key, byte[] sig, byte[] msg, PublicKey pub) throws GeneralSecurityException {
        if (!key.type().equals(TufKey.ED25519)) {
            return mismatch("eddsa", key);
        }
        if (sig.length != 64) {
            return new Result(Outcome.WRONG_LENGTH, "the ed25519 signature is " + sig.length + " bytes; it must be 64");
        }
        return check(Signature.getInstance("Ed25519"), pub, sig, msg, "eddsa");
    }

    private static Result rsa(String method, TufKey key, PublicKey pub, byte[] sig, byte[] msg) throws GeneralSecurityException {
        if (!(pub instanceof RSAPublicKey rsa) || !(key.type().equals(TufKey.RSA) || key.type().equals(TufKey.RSA_X509))) {
            return mismatch(method, key);
        }
        int bits = rsa.getModulus().bitLength();
        if (bits < MIN_RSA_BITS) {
            return new Result(Outcome.WEAK_KEY, "key " + TufKey.shortId(key.id()) + " is a " + bits
                    + "-bit RSA key; Notary refuses keys under " + MIN_RSA_BITS + " bits");
        }
        int size = (bits + 7) / 8;
        if (sig.length != size) {
            return new Result(Outcome.WRONG_LENGTH, "the " + method + " signature is " + sig.length + " bytes; this "
                    + bits + "-bit key signs " + size);
        }
        Signature s;
        if (method.equals("rsapss")) {
            s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        } else {
            s = Signature.getInstance("SHA256withRSA");
        }
        return check(s, pub, sig, msg, method);
    }

    private static Result check(Signature s, PublicKey pub, byte[] sig, byte[] msg, String method) throws GeneralSecurityException {
        s.initVerify(pub);
        s.update(msg);
        boolean ok;
        try {
            ok = s.verify(sig);
        } catch (java.security.SignatureException e) {
            ok = false;
        }
        return ok ? Result.ok() : new Result(Outcome.INVALID, "the " + method + " signature does not match the signed content");
    }

    private static Result mismatch(String method, TufKey key) {
        return new Result(Outcome.KEY_MISMATCH, "a " + method + " signature cannot come from the " + key.type() + " key "
                + TufKey.shortId(key.id()));
    }

    /** True for a DER ECDSA-Sig-Value: SEQUENCE { INTEGER r, INTEGER s } filling the whole signature. */
    static boolean isDerSignature(byte[] sig) {
        try {
            int[] pos = {0};
            if (sig.length < 8 || (sig[pos[0]++] & 0xff) != 0x30) {
                return false;
            }
            int len = length(sig, pos);
            if (pos[0] + len != sig.length) {
                return false;
            }
            for (int i = 0; i < 2; i++) {
                if ((sig[pos[0]++] & 0xff) != 0x02) {
                    return false;
                }
                int il = length(sig, pos);
                if (il < 1 || pos[0] + il > sig.length) {
                    return false;
                }
                new BigInteger(1, java.util.Arrays.copyOfRange(sig, pos[0], pos[0] + il));
                pos[0] += il;
            }
            return pos[0] == sig.length;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static int length(byte[] der, int[] pos) {
        int b = der[pos[0]++] & 0xff;
        if (b < 0x80) {
            return b;
        }
        int n = b & 0x7f;
        if (n > 2) {
            throw new IllegalArgumentException("DER length too long");
        }
        int len = 0;
        for (int i = 0; i < n; i++) {
            len = (len << 8) | (der[pos[0]++] & 0xff);
        }
        return len;
    }
}
