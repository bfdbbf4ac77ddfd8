package dev.dockaudit.trust.cosign;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.dockaudit.image.DockerName;
import dev.dockaudit.util.UserError;
import java.security.PublicKey;
import java.time.Clock;

/**
 * How to verify cosign signatures: with a public key ({@code --key}), or keyless against a Fulcio trust root with
 * the certificate identity and OIDC issuer the user expects and the Rekor key whose signed entry timestamps are
 * trusted; or neither, to list signatures without verifying them.
 *
 * @param identity         keyless: the exact email or URI the certificate must carry
 * @param identityRegexp   keyless: or a regular expression (RE2, whole value) it must match
 * @param issuer           keyless: the exact OIDC issuer
 * @param issuerRegexp     keyless: or a regular expression for it
 * @param rekorKey         keyless: required; keyed: optional, and when given the signature's Rekor bundle must verify
 * @param ignoreReference  accept a payload whose docker-reference names another repository (cosign itself ignores
 *                         the field; containers/image checks it, and so does dockaudit unless told otherwise)
 * @param signatureRepository where {@code .sig} tags live when not beside the image (cosign's COSIGN_REPOSITORY)
 */
public record CosignOptions(PublicKey key, TrustRoot trustRoot, String identity, String identityRegexp, String issuer,
                            String issuerRegexp, PublicKey rekorKey, boolean ignoreReference,
                            DockerName signatureRepository, Clock clock) {

    /** The kind of verification these options call for. */
    public enum Mode { KEYED, KEYLESS, NONE }

    public CosignOptions {
        clock = clock == null ? Clock.systemUTC() : clock;
        if (key != null && trustRoot != null) {
            throw new UserError("give either a cosign public key (--key) or a keyless trust root, not both");
        }
        if (trustRoot != null) {
            if (identity == null && identityRegexp == null) {
                throw new UserError("keyless cosign verification needs the certificate identity to expect (an email or"
                        + " URI, or a regular expression for it)");
            }
            if (issuer == null && issuerRegexp == null) {
                throw new UserError("keyless cosign verification needs the OIDC issuer to expect (e.g."
                        + " https://token.actions.githubusercontent.com)");
            }
            if (rekorKey == null) {
                throw new UserError("keyless cosign verification offline needs the Rekor public key (it signs the"
                        + " bundle that proves when the short-lived certificate was used)");
            }
        }
        compile(identityRegexp, "certificate identity");
        compile(issuerRegexp, "OIDC issuer");
    }

    public static CosignOptions keyed(PublicKey key) {
        return new CosignOptions(key, null, null, null, null, null, null, false, null, null);
    }

    public static CosignOptions keyless(TrustRoot root, String identity, String issuer, PublicKey rekorKey) {
        return new CosignOptions(null, root, identity, null, issuer, null, rekorKey, false, null, null);
    }

    /** Finds and reports signatures without verifying them. */
    public static CosignOptions none() {
        return new CosignOptions(null, null, null, null, null, null, null, false, null, null);
    }

    public CosignOptions withRekorKey(PublicKey k) {
        return new CosignOptions(key, trustRoot, identity, identityRegexp, issuer, issuerRegexp, k, ignoreReference,
                signatureRepository, clock);
    }

    public CosignOptions withIdentityRegexp(String identityRe, String issuerRe) {
        return new CosignOptions(key, trustRoot, identityRe == null ? identity : null, identityRe,
                issuerRe == null ? issuer : null, issuerRe, rekorKey, ignoreReference, signatureRepository, clock);
    }

    public CosignOptions withIgnoreReference(boolean ignore) {
        return new CosignOptions(key, trustRoot, identity, identityRegexp, issuer, issuerRegexp, rekorKey, ignore,
                signatureRepository, clock);
    }

    public CosignOptions withSignatureRepository(DockerName repo) {
        return new CosignOptions(key, trustRoot, identity, identityRegexp, issuer, issuerRegexp, rekorKey, ignoreReference,
                repo, clock);
    }

    public CosignOptions withClock(Clock c) {
        return new CosignOptions(key, trustRoot, identity, identityRegexp, issuer, issuerRegexp, rekorKey, ignoreReference,
                signatureRepository, c);
    }

    public Mode mode() {
        return key != null ? Mode.KEYED : trustRoot != null ? Mode.KEYLESS : Mode.NONE;
    }

    boolean identityMatches(String value) {
        return identity != null ? identity.equals(value) : compile(identityRegexp, "certificate identity").matches(value);
    }

    boolean issuerMatches(String value) {
        return value != null && (issuer != null ? issuer.equals(value) : compile(issuerRegexp, "OIDC issuer").matches(value));
    }

    String expectedIdentity() {
        return identity != null ? identity : "/" + identityRegexp + "/";
    }

    String expectedIssuer() {
        return issuer != null ? issuer : "/" + issuerRegexp + "/";
    }

    private static Pattern compile(String re, String what) {
        if (re == null) {
            return null;
        }
        try {
            return Pattern.compile(re);
        } catch (PatternSyntaxException e) {
            throw new UserError("the " + what + " pattern '" + re + "' is not a valid regular expression ("
                    + e.getDescription() + ")");
        }
    }
}
