package dev.dockaudit.trust.cosign;

import dev.dockaudit.util.Pem;
import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Fulcio certificate authorities a user trusts, from one PEM file: its self-signed certificates are the
 * roots, the others intermediates. A keyless signing certificate must chain to a root through them (and through
 * intermediates the signature carries in {@code dev.sigstore.cosign/chain}, which are never trusted on their own),
 * every certificate valid at the time Rekor logged the signature.
 */
public final class TrustRoot {
    private final Set<TrustAnchor> roots = new HashSet<>();
    private final List<X509Certificate> intermediates = new ArrayList<>();
    private final Path source;

    private TrustRoot(Path source, List<X509Certificate> certs) {
        this.source = source;
        for (X509Certificate c : certs) {
            if (selfSigned(c)) {
                roots.add(new TrustAnchor(c, null));
            } else {
                intermediates.add(c);
            }
        }
        if (roots.isEmpty()) {
            throw new UserError(source + " holds no root certificate (a self-signed CA); the Fulcio trust root file needs"
                    + " the root, and may add intermediates");
        }
    }

    public static TrustRoot load(Path pemFile) {
        try {
            return new TrustRoot(pemFile, Pem.certificates(pemFile));
        } catch (IOException e) {
            throw new UserError("cannot read the Fulcio trust root " + pemFile + " (" + e.getMessage() + ")");
        }
    }

    /** For tests and callers that have the certificates already. */
    public static TrustRoot of(List<X509Certificate> certs) {
        return new TrustRoot(Path.of("(certificates)"), certs);
    }

    public Path source() {
        return source;
    }

    /**
     * Builds a path from {@code leaf} to a trusted root, valid at {@code at}. Returns null when one exists, else
     * why not.
     */
    public String validate(X509Certificate leaf, List<X509Certificate> carried, Instant at) {
        List<Object> pool = new ArrayList<>(intermediates);
        for (X509Certificate c : carried) {
            if (!selfSigned(c)) {
                pool.add(c);
            }
        }
        pool.add(leaf);
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters params = new PKIXBuilderParameters(roots, target);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
            CertPathBuilder.getInstance("PKIX").build(params);
            return null;
        } catch (CertPathBuilderException e) {
            return "the certificate does not chain to the Fulcio trust root " + source + " at " + at + " ("
                    + reason(leaf, at, e) + ")";
        } catch (InvalidAlgorithmParameterException e) {
            return "the Fulcio trust root " + source + " cannot be used (" + e.getMessage() + ")";
        } catch (GeneralSecurityException e) {
            return "the certificate chain cannot be checked (" + e.getMessage() + ")";
        }
    }

    private static String reason(X509Certificate leaf, Instant at, CertPathBuilderException e) {
        Date d = Date.from(at);
        if (d.before(leaf.getNotBefore())) {
            return "the certificate is valid from " + leaf.getNotBefore().toInstant() + " only";
        }
        if (d.after(leaf.getNotAfter())) {
            return "the certificate expired at " + leaf.getNotAfter().toInstant();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "no path to a trusted root" : m;
    }

    static boolean selfSigned(X509Certificate c) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            return false;
        }
        try {
            c.verify(c.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
