package dev.dockaudit.trust.model;

import java.util.List;
import java.util.Map;

/**
 * A repository's Docker Content Trust data, verified, as {@code docker trust inspect} shows it and more.
 *
 * @param administrativeKeys key ids by role: {@code root}, {@code repository} (the targets key)
 * @param expires            expiry (RFC 3339) by role: root, targets, snapshot, timestamp
 */
public record NotaryResult(String server, String repository, List<SignedTag> signedTags, List<Signer> signers,
                           Map<String, List<String>> administrativeKeys, Map<String, String> expires) {

    /** A signed tag: the signed digest, who signed it, and what the registry serves for it now. */
    public record SignedTag(String tag, String digest, List<String> signers, String registryDigest, Boolean matches) {
    }

    /** A delegated signer ("Repo Admin" for the targets role itself) and its key ids. */
    public record Signer(String name, List<String> keyIds) {
    }
}
