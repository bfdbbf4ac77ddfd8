package dev.dockaudit.trust.notary;

import dev.dockaudit.image.DockerName;
import dev.dockaudit.registry.NotFoundError;
import dev.dockaudit.registry.RegistryClient;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;
import dev.dockaudit.trust.model.NotaryResult;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.UserError;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Docker Content Trust for one image name, as {@code docker trust inspect} reports it and more: the repository's
 * TUF metadata verified ({@link NotaryVerifier}), the signed tags with their digests and signers, the signers and
 * administrative keys, and, for each signed tag shown, whether the registry serves the signed digest now.
 */
public final class NotaryAudit {
    public static final String DOCKER_HUB_NOTARY = "https://notary.docker.io";
    public static final String REPO_ADMIN = "Repo Admin";

    public static final String UNSIGNED = "TRUST-NOTARY-UNSIGNED";
    public static final String TAG_UNSIGNED = "TRUST-NOTARY-TAG-UNSIGNED";
    public static final String DIGEST_UNSIGNED = "TRUST-NOTARY-DIGEST-UNSIGNED";
    public static final String MISMATCH = "TRUST-NOTARY-DIGEST-MISMATCH";
    public static final String CONFLICT = "TRUST-NOTARY-CONFLICTING-SIGNATURES";
    public static final String TAG_MISSING = "TRUST-NOTARY-TAG-NOT-IN-REGISTRY";
    public static final String VERIFIED = "TRUST-NOTARY-VERIFIED";

    /** How many signed tags are compared with the registry when the whole repository is shown. */
    static final int MAX_COMPARED = 500;

    /**
     * What the audit found: the result for the report (null when the repository has no trust data), findings and
     * notes.
     */
    public record Result(NotaryResult notary, List<Finding> findings, List<String> notes) {
    }

    /** Where the registry's digests come from; the registry client in production, a map in tests. */
    public interface Registry {
        /** The digest the registry serves for the tag now, or null when it has no such tag. */
        Digest digest(DockerName name, String tag);

        static Registry of(RegistryClient client) {
            return (name, tag) -> {
                try {
                    return client.headManifestDigest(new DockerName(name.registry(), name.repository(), tag, null), tag);
                } catch (NotFoundError e) {
                    return null;
                }
            };
        }
    }

    private NotaryAudit() {
    }

    /**
     * The trust server for an image as docker picks it: DOCKER_CONTENT_TRUST_SERVER, else notary.docker.io for
     * Docker Hub, else https://REGISTRY; {@code --trust-server} wins over all.
     */
    public static URI server(DockerName name, String option, Map<String, String> env) {
        String s = option;
        String from = "--trust-server";
        if (s == null || s.isBlank()) {
            s = env.get("DOCKER_CONTENT_TRUST_SERVER");
            from = "DOCKER_CONTENT_TRUST_SERVER";
        }
        if (s == null || s.isBlank()) {
            return URI.create(name.registry().equals(DockerName.DOCKER_HUB) ? DOCKER_HUB_NOTARY : "https://" + name.registry());
        }
        return serverUrl(s, from);
    }

    /** A notary server URL the user gave ({@code from} names where): https with a host, else a UserError. */
    public static URI serverUrl(String s, String from) {
        URI u;
        try {
            u = URI.create(s.strip());
        } catch (IllegalArgumentException e) {
            throw new UserError(from + " '" + s + "' is not a URL; give the notary server as https://HOST[:PORT]");
        }
        if (!"https".equalsIgnoreCase(u.getScheme()) || u.getRawAuthority() == null || u.getRawAuthority().isEmpty()) {
            throw new UserError(from + " '" + s + "' is not an https:// URL; notary servers speak HTTPS (as the docker"
                    + " CLI requires), e.g. https://notary.example.com:4443");
        }
        return u;
    }

    /** True when DOCKER_CONTENT_TRUST is set to a true value, as docker reads it (Go's strconv.ParseBool). */
    public static boolean contentTrustEnabled(Map<String, String> env) {
        String v = env.get("DOCKER_CONTENT_TRUST");
        return v != null && List.of("1", "t", "T", "true", "TRUE", "True").contains(v.strip());
    }

    /**
     * Verifies {@code name}'s trust data from {@code source} and compares it with the registry.
     *
     * @param explicitTag true when the user named a tag (then only that tag's signatures are shown, as
     *                    {@code docker trust inspect NAME:TAG} does); false for a bare repository or a digest
     * @param require     --require-signature or DOCKER_CONTENT_TRUST=1: missing signatures are failing findings
     */
    public static Result run(DockerName name, boolean explicitTag, MetadataSource source, NotaryVerifier verifier,
                             Registry registry, boolean require) {
        String gun = name.repositoryWithRegistry();
        NotaryVerifier.Outcome o = verifier.verify(gun, source);
        List<Finding> findings = new ArrayList<>(o.findings());
        List<String> notes = new ArrayList<>(o.notes());
        if (!o.exists()) {
            String msg = source.describe() + " has no trust data for " + gun;
            if (require) {
                findings.add(Finding.builder(UNSIGNED, Category.TRUST, Severity.HIGH, gun + " is not signed (no Docker Content Trust data)")
                        .description("Content trust is required (--require-signature or DOCKER_CONTENT_TRUST=1), but " + msg
                                + "; docker pull with content trust refuses every tag of it.")
                        .evidence(msg).remediation("Sign the image: DOCKER_CONTENT_TRUST=1 docker push " + name.familiar()
                                + " (or docker trust sign), or check --trust-server").build());
            } else {
                notes.add("notary: " + msg + " (the repository is not signed with Docker Content Trust)");
            }
            return new Result(null, findings, notes);
        }

        // Rows as docker trust inspect builds them: a tag and digest signed into targets or targets/releases, with
        // the delegations that signed the same tag and digest as its signers.
        Map<List<String>, List<String>> rows = new LinkedHashMap<>();
        for (NotaryVerifier.Target t : o.targets()) {
            if (released(t.role())) {
                rows.putIfAbsent(key(t), new ArrayList<>());
            }
        }
        for (NotaryVerifier.Target t : o.targets()) {
            List<String> signers = rows.get(key(t));
            if (signers != null && !released(t.role())) {
                String s = signer(t.role());
                if (!signers.contains(s)) {
                    signers.add(s);
                }
            }
        }
        List<Map.Entry<List<String>, List<String>>> sorted = new ArrayList<>(rows.entrySet());
        sorted.sort(Comparator.comparing((Map.Entry<List<String>, List<String>> e) -> e.getKey().get(0), NotaryAudit::naturalCompare)
                .thenComparing(e -> String.valueOf(e.getKey().get(1))));

        String wanted = explicitTag ? name.tag() : null;
        Map<String, Digest> served = new LinkedHashMap<>();
        Map<String, Set<String>> signedByTag = new LinkedHashMap<>();
        for (Map.Entry<List<String>, List<String>> e : sorted) {
            Set<String> set = signedByTag.computeIfAbsent(e.getKey().get(0), k -> new LinkedHashSet<>());
            if (e.getKey().get(1) != null) {
                set.add(e.getKey().get(1));
            }
        }
        int compared = 0;
        List<NotaryResult.SignedTag> signedTags = new ArrayList<>();
        for (Map.Entry<List<String>, List<String>> e : sorted) {
            String tag = e.getKey().get(0);
            String hex = e.getKey().get(1);
            if (wanted != null && !wanted.equals(tag)) {
                continue;
            }
            Digest registryDigest = null;
            boolean known = served.containsKey(tag);
            if (!known && compared < MAX_COMPARED && validTag(tag)) {
                compared++;
                registryDigest = registry.digest(name, tag);
                served.put(tag, registryDigest);
                known = true;
            } else {
                registryDigest = served.get(tag);
            }
            Boolean matches = !known ? null : registryDigest != null && hex != null && registryDigest.toString().equals("sha256:" + hex);
            List<String> signers = e.getValue().isEmpty() ? List.of(REPO_ADMIN) : List.copyOf(e.getValue());
            signedTags.add(new NotaryResult.SignedTag(tag, hex == null ? null : "sha256:" + hex, signers,
                    registryDigest == null ? null : registryDigest.toString(), matches));
        }
        if (compared >= MAX_COMPARED && signedByTag.size() > MAX_COMPARED) {
            notes.add("notary: " + signedByTag.size() + " signed tags; the first " + MAX_COMPARED + " were compared with the"
                    + " registry (name a tag to check another)");
        }

        // The registry comparison: the most important check, the tag must serve a digest someone signed.
        int matching = 0;
        for (Map.Entry<String, Digest> s : served.entrySet()) {
            String tag = s.getKey();
            Digest d = s.getValue();
            Set<String> signed = signedByTag.get(tag);
            String ref = name.registry().equals(DockerName.DOCKER_HUB) ? new DockerName(name.registry(), name.repository(), tag, null)
                    .familiar() : gun + ":" + tag;
            if (signed.size() > 1) {
                findings.add(Finding.builder(CONFLICT, Category.TRUST, Severity.HIGH, ref + " is signed with " + signed.size()
                                + " different digests")
                        .description("targets and targets/releases sign different content for the tag; which one a client"
                                + " accepts depends on its order of lookup.")
                        .evidence(String.join(", ", signed.stream().map(h -> "sha256:" + h).toList()))
                        .remediation("Re-sign the tag (docker trust sign " + ref + ") so that every role agrees").build());
            }
            if (d == null) {
                findings.add(Finding.builder(TAG_MISSING, Category.TRUST, Severity.LOW, ref + " is signed but the registry"
                                + " does not have it")
                        .description("The trust data signs the tag, but " + name.registry() + " serves no manifest for it (the"
                                + " tag was deleted, or the trust data is stale).")
                        .evidence("signed " + String.join(", ", signed.stream().map(h -> "sha256:" + h).toList()))
                        .remediation("Revoke the stale signature: docker trust revoke " + ref).build());
                continue;
            }
            if (!signed.contains(d.toString().replaceFirst("^sha256:", ""))) {
                findings.add(Finding.builder(MISMATCH, Category.TRUST, Severity.CRITICAL, "the registry serves unsigned content"
                                + " for " + ref)
                        .description(name.registry() + " serves " + d + " for the tag, but the signed digest is "
                                + String.join(" or ", signed.stream().map(h -> "sha256:" + h).toList()) + ". Someone pushed"
                                + " to the tag without signing (or the registry was tampered with): docker pull with content"
                                + " trust still fetches the signed digest, but a pull by tag without it, and whatever deploys"
                                + " the tag, gets unsigned content.")
                        .evidence("registry " + d + "; signed " + String.join(", ", signed.stream().map(h -> "sha256:" + h).toList()))
                        .remediation("Pull by the signed digest (" + gun + "@sha256:" + signed.iterator().next() + ") and find out"
                                + " who pushed " + d + "; re-sign the tag only if that content is intended").build());
            } else {
                matching++;
            }
        }

        // The tag or digest the user named.
        if (wanted != null && !signedByTag.containsKey(wanted)) {
            List<String> unreleased = new ArrayList<>();
            for (NotaryVerifier.Target t : o.targets()) {
                if (t.name().equals(wanted) && !released(t.role())) {
                    unreleased.add(signer(t.role()));
                }
            }
            findings.add(Finding.builder(TAG_UNSIGNED, Category.TRUST, require ? Severity.HIGH : Severity.MEDIUM,
                            name.familiar() + " is not signed")
                    .description(gun + " has trust data, but no valid signature of the tag " + wanted + " in targets or"
                            + " targets/releases" + (unreleased.isEmpty() ? "" : " (" + String.join(", ", unreleased)
                            + " signed it, but docker only accepts tags released into targets/releases)")
                            + "; docker pull with content trust refuses it.")
                    .evidence("signed tags: " + (signedByTag.isEmpty() ? "none" : String.join(", ", signedByTag.keySet())))
                    .remediation("Sign it: docker trust sign " + name.familiar()).build());
        }
        if (name.digest() != null) {
            String hex = name.digest().toString().replaceFirst("^sha256:", "");
            List<String> tags = new ArrayList<>();
            signedByTag.forEach((t, hs) -> {
                if (hs.contains(hex)) {
                    tags.add(t);
                }
            });
            if (tags.isEmpty()) {
                findings.add(Finding.builder(DIGEST_UNSIGNED, Category.TRUST, require ? Severity.HIGH : Severity.MEDIUM,
                                name.digest() + " is not a signed digest of " + gun)
                        .description("No signed tag of the repository has this digest.")
                        .evidence("signed tags: " + (signedByTag.isEmpty() ? "none" : String.join(", ", signedByTag.keySet())))
                        .remediation("Use a digest that a signed tag names (dockaudit trust " + gun + ")").build());
            } else {
                notes.add("notary: " + name.digest() + " is signed as " + gun + ":" + String.join(", :", tags));
            }
        }

        boolean verified = o.verified() && findings.stream().noneMatch(f -> f.severity().atLeast(Severity.HIGH));
        if (verified && !served.isEmpty() && matching == served.size()) {
            findings.add(Finding.builder(VERIFIED, Category.TRUST, Severity.INFO, (wanted != null ? name.familiar() + " is"
                            : matching + " signed tag" + (matching == 1 ? " is" : "s are")) + " verified: the registry serves"
                            + " the signed digest" + (matching == 1 ? "" : "s"))
                    .description("The trust data of " + gun + " verifies (root, timestamp, snapshot, targets and delegations:"
                            + " signatures, thresholds, hashes, expiry) and the registry serves exactly what was signed.")
                    .evidence(source.describe()).build());
        }

        List<NotaryResult.Signer> signers = new ArrayList<>();
        for (NotaryVerifier.Delegation d : o.delegations()) {
            if (!d.name().equals(NotaryVerifier.RELEASES)) {
                signers.add(new NotaryResult.Signer(signer(d.name()), d.keyIds()));
            }
        }
        signers.sort(Comparator.comparing(NotaryResult.Signer::name));
        Map<String, List<String>> admin = new LinkedHashMap<>();
        admin.put("root", o.rootKeyIds());
        admin.put("repository", o.targetsKeyIds());
        Map<String, String> expires = new LinkedHashMap<>();
        o.expires().forEach((role, instant) -> expires.put(role, instant.toString()));
        NotaryResult result = new NotaryResult(source.describe(), gun, verified, signedTags, signers, admin, expires);
        return new Result(result, findings, notes);
    }

    private static boolean validTag(String tag) {
        return tag.matches("[\\w][\\w.-]{0,127}");
    }

    private static List<String> key(NotaryVerifier.Target t) {
        return java.util.Arrays.asList(t.name(), t.sha256());
    }

    static boolean released(String role) {
        return role.equals("targets") || role.equals(NotaryVerifier.RELEASES);
    }

    /** A role's signer name as docker shows it: the delegation's name without "targets/". */
    static String signer(String role) {
        return released(role) ? REPO_ADMIN : role.startsWith("targets/") ? role.substring("targets/".length()) : role;
    }

    /** Natural order, as docker sorts signed tags: runs of digits compare as numbers ("2" before "10"). */
    static int naturalCompare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
