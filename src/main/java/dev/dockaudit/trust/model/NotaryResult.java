package dev.dockaudit.trust.model;

import java.util.List;
import java.util.Map;

/**
 * A repository's Docker Content Trust data, verified, as {@code docker trust inspect} shows it and more.
 *
 * @param repository         the trust repository (GUN): the image name as docker spells it, e.g. docker.io/library/alpine
 * @param verified           true when the TUF metadata verifies (signatures, thresholds, hashes, root certificates,
 *                           expiry) and every tag compared serves its signed digest: no trust finding HIGH or worse
 * @param signedTags         as docker trust inspect lists them: tags signed into targets or targets/releases; only the
 *                           named tag when the reference names one
 * @param administrativeKeys key ids by role: {@code root}, {@code repository} (the targets key)
 * @param expires            expiry (RFC 3339) by role: root, targets, snapshot, timestamp, and each delegation read
 */
public record NotaryResult(String server, String repository, boolean verified, List<SignedTag> signedTags, List<Signer> signers,
                           Map<String, List<String>> administrativeKeys, Map<String, String> expires) {

    /**
     * A signed tag: the signed digest, who signed it, and what the registry serves for it now ({@code registryDigest}
     * null when the registry has no such tag; {@code matches} null when it was not compared).
     */
    public record SignedTag(String tag, String digest, List<String> signers, String registryDigest, Boolean matches) {
    }

    /** A delegated signer ("Repo Admin" for the targets role itself) and its key ids. */
    public record Signer(String name, List<String> keyIds) {
    }
}
