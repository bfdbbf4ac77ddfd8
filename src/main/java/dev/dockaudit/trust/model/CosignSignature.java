package dev.dockaudit.trust.model;

/**
 * One cosign signature found for the image.
 *
 * @param signatureTag where it was found: the {@code sha256-<digest>.sig} tag, or the referrer's digest
 * @param verified     true when the signature verified against the key or trust root given and the payload
 *                     names this image; false otherwise (see {@code problem})
 * @param identity     the signer identity (certificate subject for keyless, the key's id for keyed)
 */
public record CosignSignature(String signatureTag, boolean verified, String keyId, String identity, String problem) {
}
