package dev.dockaudit.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes cosign signatures the way cosign's specification (specs/SIGNATURE_SPEC.md) and cosign itself make them,
 * written here independently of dockaudit's verifier: the simple-signing payload, the signature over it, the
 * layer annotations, the {@code .sig} manifest, a hashedrekord Rekor entry and the bundle whose signed entry
 * timestamp a test Rekor key makes over the canonical JSON of {body, integratedTime, logID, logIndex}.
 */
public final class CosignSigning {
    public static final String SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";

    private CosignSigning() {
    }

    /** The payload as cosign writes it: compact JSON, this field order, no trailing newline. */
    public static byte[] payload(String dockerReference, Digest manifestDigest) {
        return ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + dockerReference + "\"},\"image\":{\"docker-manifest-digest\":\""
                + manifestDigest + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** What cosign does with each key type: ECDSA over SHA-256 (ASN.1), RSA PKCS#1 v1.5 SHA-256, pure Ed25519. */
    public static byte[] sign(PrivateKey key, byte[] payload) {
        String alg = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> "Ed25519";
        };
        try {
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(payload);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The base64 hashedrekord entry Rekor would log for this signature, certificate (PEM) or key (PEM). */
    public static String hashedRekord(byte[] signature, byte[] payload, String publicKeyOrCertPem) {
        String json = "{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":{\"algorithm\":\"sha256\","
                + "\"value\":\"" + Digest.sha256(payload).hex() + "\"}},\"signature\":{\"content\":\""
                + Base64.getEncoder().encodeToString(signature) + "\",\"publicKey\":{\"content\":\""
                + Base64.getEncoder().encodeToString(publicKeyOrCertPem.getBytes(StandardCharsets.US_ASCII)) + "\"}}}}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The logID of a Rekor key: SHA-256 of its DER SubjectPublicKeyInfo. */
    public static String logId(PublicKey rekorKey) {
        return Digest.sha256(rekorKey.getEncoded()).hex();
    }

    /** The dev.sigstore.cosign/bundle annotation, its SET made by {@code rekor} over the canonical payload. */
    public static String bundle(KeyPair rekor, String body, long integratedTime, long logIndex) {
        return bundle(rekor.getPrivate(), logId(rekor.getPublic()), body, integratedTime, logIndex);
    }

    public static String bundle(PrivateKey rekor, String logId, String body, long integratedTime, long logIndex) {
        String canonical = "{\"body\":\"" + body + "\",\"integratedTime\":" + integratedTime + ",\"logID\":\"" + logId
                + "\",\"logIndex\":" + logIndex + "}";
        byte[] set;
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(rekor);
            s.update(canonical.getBytes(StandardCharsets.UTF_8));
            set = s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return "{\"SignedEntryTimestamp\":\"" + Base64.getEncoder().encodeToString(set) + "\",\"Payload\":{\"body\":\""
                + body + "\",\"integratedTime\":" + integratedTime + ",\"logIndex\":" + logIndex + ",\"logID\":\"" + logId + "\"}}";
    }

    /** One signature: the payload blob, and the annotations of its layer. */
    public record Layer(Oci.Blob payload, Map<String, String> annotations) {
    }

    public static Layer keyed(byte[] payload, byte[] signature) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("dev.cosignproject.cosign/signature", Base64.getEncoder().encodeToString(signature));
        return new Layer(new Oci.Blob(SIMPLE_SIGNING, payload), a);
    }

    public static Layer keyless(byte[] payload, byte[] signature, X509Certificate cert, List<X509Certificate> chain,
                                String bundle) {
        Layer l = keyed(payload, signature);
        l.annotations().put("dev.sigstore.cosign/certificate", TestPki.pem(cert));
        if (!chain.isEmpty()) {
            l.annotations().put("dev.sigstore.cosign/chain", TestPki.pem(chain.toArray(new X509Certificate[0])));
        }
        if (bundle != null) {
            l.annotations().put("dev.sigstore.cosign/bundle", bundle);
        }
        return l;
    }

    /** cosign's config blob: a small OCI image config (cosign writes one with the layers' diff ids). */
    public static Oci.Blob config(List<Layer> layers) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.put("architecture", "");
        c.put("os", "");
        c.putObject("config");
        ObjectNode rootfs = c.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        layers.forEach(l -> ids.add(l.payload().digest().toString()));
        return new Oci.Blob(Oci.OCI_CONFIG, bytes(c));
    }

    /** The signature manifest: an OCI image manifest whose layers are the payloads, annotated. */
    public static Oci.Blob manifest(Oci.Blob config, List<Layer> layers, Oci.Blob subject, String artifactType) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", Oci.OCI_MANIFEST);
        if (artifactType != null) {
            m.put("artifactType", artifactType);
        }
        m.set("config", Oci.descriptor(config));
        ArrayNode ls = m.putArray("layers");
        for (Layer l : layers) {
            ObjectNode d = Oci.descriptor(l.payload());
            ObjectNode a = d.putObject("annotations");
            l.annotations().forEach(a::put);
            ls.add(d);
        }
        if (subject != null) {
            m.set("subject", Oci.descriptor(subject));
        }
        return new Oci.Blob(Oci.OCI_MANIFEST, bytes(m));
    }

    public static byte[] bytes(ObjectNode n) {
        try {
            return Json.MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
