package dev.dockaudit.trust.model;

/**
 * One cosign signature found for the image (one simple-signing layer of a signature manifest).
 *
 * @param signatureTag    where it was found: the {@code sha256-<hex>.sig} tag, or the digest of the signature
 *                        manifest found through the OCI referrers API
 * @param verified        true when the signature verified against the key or trust root given and the payload
 *                        names this image; false otherwise (see {@code problem})
 * @param keyId           the SHA-256 of the signing public key (DER SubjectPublicKeyInfo, hex), when known
 * @param identity        the signer identity: the certificate's email or URI for keyless, the key id for keyed
 * @param issuer          keyless only: the OIDC issuer Fulcio recorded in the certificate
 * @param dockerReference the repository the signed payload names ({@code critical.identity.docker-reference})
 * @param problem         why it did not verify (null when it did)
 */
public record CosignSignature(String signatureTag, boolean verified, String keyId, String identity, String issuer,
                              String dockerReference, String problem) {
}
