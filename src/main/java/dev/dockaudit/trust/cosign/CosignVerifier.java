package dev.dockaudit.trust.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.image.DockerName;
import dev.dockaudit.registry.RegistryClient;
import dev.dockaudit.trust.model.CosignSignature;
import dev.dockaudit.trust.referrers.ArtifactTypes;
import dev.dockaudit.trust.referrers.ReferrerDescriptor;
import dev.dockaudit.trust.referrers.ReferrerIndex;
import dev.dockaudit.trust.referrers.ReferrersClient;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import dev.dockaudit.util.UserError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Finds an image's cosign signatures and verifies them, as the cosign signature specification defines them.
 *
 * <p>Discovery: the {@code sha256-<hex>.sig} tag (beside the image, or in
 * {@link CosignOptions#signatureRepository()}), and signature manifests attached through the OCI referrers API
 * (artifactType {@value ArtifactTypes#COSIGN_SIGNATURE}). Every layer of media type
 * {@value SimpleSigningPayload#MEDIA_TYPE} is one signature: the payload blob (digest-checked) and the base64
 * signature in the {@code dev.cosignproject.cosign/signature} annotation.
 *
 * <p>Keyed: the signature verifies with the user's key; with a Rekor key given, the bundle must verify too.
 * Keyless: the certificate ({@code dev.sigstore.cosign/certificate}) chains to the Fulcio trust root through
 * the intermediates in the root file or {@code dev.sigstore.cosign/chain}, valid at the Rekor bundle's
 * integratedTime; the bundle's signed entry timestamp verifies with the Rekor key and its entry logs this
 * signature, certificate and payload; the certificate is for code signing, carries the expected identity (SAN
 * email or URI) and OIDC issuer; and the signature verifies with its key. Either way the payload must be a cosign
 * simple-signing payload naming this manifest digest and (unless told otherwise) this repository.
 */
public final class CosignVerifier {
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    public static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
    public static final String CHAIN_ANNOTATION = "dev.sigstore.cosign/chain";
    public static final String BUNDLE_ANNOTATION = "dev.sigstore.cosign/bundle";
    /** cosign payloads are a few hundred bytes; optional claims do not make a megabyte. */
    static final int MAX_PAYLOAD = 1 << 20;
    /** cosign appends a layer per signature; more than this in one manifest is not signing. */
    static final int MAX_SIGNATURES = 64;
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final RegistryClient registry;
    private final CosignOptions options;

    public CosignVerifier(RegistryClient registry, CosignOptions options) {
        this.registry = registry;
        this.options = options;
    }

    /** The cosign signatures of the manifest {@code manifestDigest} of {@code image}; empty when it has none. */
    public List<CosignSignature> verify(DockerName image, Digest manifestDigest) {
        List<CosignSignature> out = new ArrayList<>();
        DockerName sigRepo = options.signatureRepository() != null ? options.signatureRepository() : image;
        String tag = manifestDigest.algorithm() + "-" + manifestDigest.hex() + ".sig";
        try {
            Optional<RegistryClient.Manifest> m = registry.findManifest(sigRepo, tag);
            if (m.isPresent()) {
                RegistryClient.Manifest sig = m.get();
                if (sig.headerDigest() != null && !sig.headerDigest().equals(sig.digest())) {
                    out.add(failed(tag, "the registry served content for " + tag + " whose SHA-256 is " + sig.digest()
                            + ", not the " + sig.headerDigest() + " it announced"));
                } else {
                    out.addAll(fromManifest(tag, sig.bytes(), sigRepo, image, manifestDigest, false));
                }
            }
        } catch (UserError e) {
            out.add(failed(tag, "the signature manifest " + tag + " could not be read: " + e.getMessage()));
        }
        ReferrerIndex index;
        try {
            index = new ReferrersClient(registry).index(image, manifestDigest, ArtifactTypes.COSIGN_SIGNATURE);
        } catch (UserError e) {
            return out; // a registry whose referrers cannot be listed: the referrers report says so
        }
        for (ReferrerDescriptor d : index.descriptors()) {
            String where = d.digest().toString();
            try {
                Optional<RegistryClient.Manifest> m = registry.findManifest(image, where);
                if (m.isEmpty()) {
                    out.add(failed(where, "listed as a cosign signature referrer, but the registry has no manifest " + where));
                } else if (!m.get().digest().equals(d.digest())) {
                    out.add(failed(where, "the registry served a manifest whose SHA-256 is " + m.get().digest()
                            + " for " + where));
                } else {
                    out.addAll(fromManifest(where, m.get().bytes(), image, image, manifestDigest, true));
                }
            } catch (UserError e) {
                out.add(failed(where, "the signature manifest " + where + " could not be read: " + e.getMessage()));
            }
        }
        return out;
    }

    private List<CosignSignature> fromManifest(String where, byte[] bytes, DockerName sigRepo, DockerName image,
                                               Digest manifestDigest, boolean referrer) {
        JsonNode manifest;
        try {
            manifest = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            return List.of(failed(where, "the signature manifest " + where + " is not JSON"));
        }
        if (manifest == null || !manifest.isObject() || !manifest.path("layers").isArray()) {
            return List.of(failed(where, "the signature manifest " + where + " is not an image manifest with layers"));
        }
        if (referrer) {
            Digest subject = Digest.parseOrNull(Json.text(manifest.path("subject"), "digest"));
            if (!manifestDigest.equals(subject)) {
                return List.of(failed(where, "the signature manifest " + where + " names " + subject
                        + " as its subject, not this image"));
            }
        }
        List<CosignSignature> out = new ArrayList<>();
        int seen = 0;
        for (JsonNode layer : manifest.path("layers")) {
            if (!SimpleSigningPayload.MEDIA_TYPE.equals(Json.text(layer, "mediaType"))) {
                continue;
            }
            if (++seen > MAX_SIGNATURES) {
                out.add(failed(where, "the signature manifest " + where + " holds more than " + MAX_SIGNATURES
                        + " signatures; the rest were not read"));
                break;
            }
            out.add(layer(where, layer, sigRepo, image, manifestDigest));
        }
        if (seen == 0) {
            out.add(failed(where, "the signature manifest " + where + " holds no " + SimpleSigningPayload.MEDIA_TYPE
                    + " layer, so no cosign signature"));
        }
        return out;
    }

    private CosignSignature layer(String where, JsonNode layer, DockerName sigRepo, DockerName image, Digest manifestDigest) {
        JsonNode annotations = layer.path("annotations");
        String b64 = Json.text(annotations, SIGNATURE_ANNOTATION);
        if (b64 == null || b64.isEmpty()) {
            return failed(where, "a signature layer has no " + SIGNATURE_ANNOTATION + " annotation");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(b64.trim());
        } catch (IllegalArgumentException e) {
            return failed(where, "the " + SIGNATURE_ANNOTATION + " annotation is not base64");
        }
        Digest payloadDigest = Digest.parseOrNull(Json.text(layer, "digest"));
        if (payloadDigest == null) {
            return failed(where, "a signature layer has no valid payload digest");
        }
        if (layer.path("size").asLong(0) > MAX_PAYLOAD) {
            return failed(where, "the signed payload " + payloadDigest + " is " + layer.path("size").asLong()
                    + " bytes; a cosign payload is a few hundred");
        }
        byte[] payload;
        try {
            payload = registry.getSmallBlob(sigRepo, payloadDigest, MAX_PAYLOAD, "the signed payload");
        } catch (UserError e) {
            return failed(where, "the signed payload " + payloadDigest + " could not be read: " + e.getMessage());
        }
        if (!payloadDigest.matches(payload)) {
            return failed(where, "the registry served a signed payload that does not match its digest " + payloadDigest);
        }
        return check(where, signature, payload, annotations, image, manifestDigest);
    }

    /** Verifies one signature (its bytes, the payload blob, the layer's annotations) for {@code manifestDigest}. */
    CosignSignature check(String where, byte[] signature, byte[] payload, JsonNode annotations, DockerName image,
                          Digest manifestDigest) {
        SimpleSigningPayload parsed = null;
        String payloadProblem = null;
        try {
            parsed = SimpleSigningPayload.parse(payload);
        } catch (SimpleSigningPayload.Invalid e) {
            payloadProblem = e.getMessage();
        }
        String ref = parsed == null ? null : parsed.dockerReference();
        String keyId = null;
        String identity = null;
        String issuer = null;
        String problem;
        switch (options.mode()) {
            case KEYED -> {
                keyId = PublicKeys.keyId(options.key());
                identity = keyId;
                problem = PublicKeys.verify(options.key(), payload, signature);
                if (problem == null && options.rekorKey() != null) {
                    problem = bundle(annotations, signature, payload, null, options.key());
                }
            }
            case KEYLESS -> {
                Keyless k = keyless(annotations, signature, payload);
                keyId = k.keyId;
                identity = k.identity;
                issuer = k.issuer;
                problem = k.problem;
            }
            default -> problem = "not verified: no cosign public key or keyless trust root was given";
        }
        if (problem == null && payloadProblem != null) {
            problem = payloadProblem;
        }
        if (problem == null && !parsed.manifestDigest().equals(manifestDigest)) {
            problem = "the signature is for the manifest " + parsed.manifestDigest() + ", not this image ("
                    + manifestDigest + ")";
        }
        if (problem == null && !options.ignoreReference()) {
            problem = referenceProblem(ref, image);
        }
        return new CosignSignature(where, problem == null, keyId, identity, issuer, ref, problem);
    }

    private static String referenceProblem(String ref, DockerName image) {
        if (ref == null) {
            return null; // cosign writes it; its absence names no other repository
        }
        DockerName named;
        try {
            named = DockerName.parse(ref);
        } catch (IllegalArgumentException e) {
            return "the signed payload's docker-reference '" + ref + "' is not an image reference";
        }
        if (named.registry().equals(image.registry()) && named.repository().equals(image.repository())) {
            return null;
        }
        return "the signature was made for " + named.repositoryWithRegistry() + ", and the image is "
                + image.repositoryWithRegistry() + " (to accept signatures copied between repositories, as cosign does,"
                + " ignore the docker-reference)";
    }

    private static final class Keyless {
        String keyId;
        String identity;
        String issuer;
        String problem;
    }

    private Keyless keyless(JsonNode annotations, byte[] signature, byte[] payload) {
        Keyless k = new Keyless();
        String certPem = Json.text(annotations, CERTIFICATE_ANNOTATION);
        if (certPem == null || certPem.isBlank()) {
            k.problem = "the signature carries no certificate (" + CERTIFICATE_ANNOTATION + "), so it is not keyless;"
                    + " verify it with the signer's public key";
            return k;
        }
        X509Certificate cert;
        List<X509Certificate> chain;
        try {
            List<X509Certificate> certs = certificates(certPem);
            if (certs.isEmpty()) {
                throw new GeneralSecurityException("no certificate");
            }
            cert = certs.get(0);
            String chainPem = Json.text(annotations, CHAIN_ANNOTATION);
            chain = chainPem == null ? List.of() : certificates(chainPem);
        } catch (GeneralSecurityException | RuntimeException e) {
            k.problem = "the signature's certificate or chain cannot be read";
            return k;
        }
        k.keyId = PublicKeys.keyId(cert.getPublicKey());
        List<String> identities = Fulcio.identities(cert);
        k.issuer = Fulcio.issuer(cert);
        k.identity = identities.stream().filter(options::identityMatches).findFirst()
                .orElse(identities.isEmpty() ? null : identities.get(0));
        String bundleJson = Json.text(annotations, BUNDLE_ANNOTATION);
        if (bundleJson == null) {
            k.problem = "the signature has no Rekor bundle (" + BUNDLE_ANNOTATION + "); a keyless signature cannot be"
                    + " verified offline without it";
            return k;
        }
        RekorBundle bundle;
        try {
            bundle = RekorBundle.parse(bundleJson);
        } catch (RekorBundle.Invalid e) {
            k.problem = e.getMessage();
            return k;
        }
        String p = bundle.verify(options.rekorKey(), signature, payload, cert, null);
        if (p != null) {
            k.problem = p;
            return k;
        }
        Instant logged = Instant.ofEpochSecond(bundle.integratedTime());
        if (logged.isAfter(options.clock().instant().plus(CLOCK_SKEW))) {
            k.problem = "the Rekor bundle says the signature was logged at " + logged + ", in the future";
            return k;
        }
        p = options.trustRoot().validate(cert, chain, logged);
        if (p != null) {
            k.problem = p;
            return k;
        }
        try {
            List<String> eku = cert.getExtendedKeyUsage();
            if (eku == null || !eku.contains(Fulcio.EKU_CODE_SIGNING)) {
                k.problem = "the certificate is not for code signing (no extendedKeyUsage codeSigning)";
                return k;
            }
        } catch (CertificateParsingException e) {
            k.problem = "the certificate's extendedKeyUsage cannot be read";
            return k;
        }
        p = PublicKeys.verify(cert.getPublicKey(), payload, signature);
        if (p != null) {
            k.problem = p;
            return k;
        }
        if (identities.stream().noneMatch(options::identityMatches)) {
            k.problem = "the certificate is for " + (identities.isEmpty() ? "no email or URI" : String.join(", ", identities))
                    + ", not the expected identity " + options.expectedIdentity();
            return k;
        }
        if (!options.issuerMatches(k.issuer)) {
            k.problem = "the certificate's OIDC issuer is " + (k.issuer == null ? "missing" : k.issuer)
                    + ", not the expected " + options.expectedIssuer();
        }
        return k;
    }

    private String bundle(JsonNode annotations, byte[] signature, byte[] payload, X509Certificate cert, PublicKey key) {
        String json = Json.text(annotations, BUNDLE_ANNOTATION);
        if (json == null) {
            return "the signature has no Rekor bundle (" + BUNDLE_ANNOTATION + "), and a Rekor key was given";
        }
        try {
            return RekorBundle.parse(json).verify(options.rekorKey(), signature, payload, cert, key);
        } catch (RekorBundle.Invalid e) {
            return e.getMessage();
        }
    }

    private static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            out.add((X509Certificate) c);
        }
        return out;
    }

    private static CosignSignature failed(String where, String problem) {
        return new CosignSignature(where, false, null, null, null, null, problem);
    }
}
