package dev.dockaudit.trust.referrers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.image.DockerName;
import dev.dockaudit.image.MediaTypes;
import dev.dockaudit.registry.RegistryClient;
import dev.dockaudit.trust.model.Referrer;
import dev.dockaudit.trust.notation.NotationVerifier;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the artifacts attached to an image manifest: the OCI 1.1 referrers API
 * ({@code GET /v2/<name>/referrers/<digest>}, following {@code Link: rel="next"} pages and filtering by
 * artifactType on our side when the registry did not), else the referrers tag schema (the {@code <alg>-<hex>} tag
 * holding an image index) for registries without the API. Each referrer's own manifest is then read
 * (digest-checked, its subject checked against the image) to report its artifact type and annotations, and
 * Notation signatures are verified when a trust store is given.
 */
public final class ReferrersClient {
    /** Referrers read per image; an image with more is reported with a note. */
    public static final int MAX_REFERRERS = 256;
    private static final int MAX_PAGES = 64;
    /** A Notation envelope is a few kilobytes (the payload and a certificate chain). */
    static final int MAX_ENVELOPE = 2 << 20;

    private final RegistryClient registry;

    public ReferrersClient(RegistryClient registry) {
        this.registry = registry;
    }

    /** The referrers of {@code subject} in {@code repo}, only those of {@code artifactType} when it is not null. */
    public ReferrerIndex index(DockerName repo, Digest subject, String artifactType) {
        RegistryClient.ReferrersPage page = registry.referrers(repo, subject, artifactType, null);
        if (page != null) {
            List<ReferrerDescriptor> all = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            int pages = 0;
            boolean truncated = false;
            while (true) {
                List<ReferrerDescriptor> entries;
                try {
                    entries = parseIndex(page.body(), "the referrers API reply of " + repo.registry());
                } catch (Invalid e) {
                    return new ReferrerIndex(List.of(), ReferrerIndex.Source.REFERRERS_API,
                            "the referrers API reply could not be used", e.getMessage());
                }
                boolean filtered = page.filtersApplied().contains("artifactType");
                for (ReferrerDescriptor d : entries) {
                    if (artifactType == null || filtered || artifactType.equals(d.artifactType())) {
                        if (all.size() >= MAX_REFERRERS) {
                            truncated = true;
                        } else {
                            all.add(d);
                        }
                    }
                }
                String next = page.next();
                if (next == null || truncated) {
                    break;
                }
                if (++pages >= MAX_PAGES || !seen.add(next)) {
                    truncated = true;
                    break;
                }
                page = registry.referrers(repo, subject, artifactType, next);
                if (page == null) {
                    return new ReferrerIndex(List.of(), ReferrerIndex.Source.REFERRERS_API,
                            "the referrers API reply could not be used",
                            repo.registry() + " sent a next page of referrers (" + next + ") that it then did not serve");
                }
            }
            return new ReferrerIndex(all, ReferrerIndex.Source.REFERRERS_API,
                    "listed with the OCI referrers API" + (truncated ? "; only the first " + all.size()
                            + " referrers were read" : ""), null);
        }
        String tag = subject.algorithm() + "-" + subject.hex();
        Optional<RegistryClient.Manifest> m = registry.findManifest(repo, tag);
        if (m.isEmpty()) {
            return new ReferrerIndex(List.of(), ReferrerIndex.Source.NONE, repo.registry() + " does not support the OCI"
                    + " referrers API and " + repo.repositoryWithRegistry() + " has no " + tag + " tag (the referrers tag"
                    + " schema): no artifacts are attached to this image that way", null);
        }
        RegistryClient.Manifest index = m.get();
        if (index.headerDigest() != null && !index.headerDigest().equals(index.digest())) {
            return new ReferrerIndex(List.of(), ReferrerIndex.Source.TAG_SCHEMA, "the referrers tag could not be used",
                    "the referrers tag " + tag + " served content whose SHA-256 is " + index.digest() + ", not the "
                            + index.headerDigest() + " the registry announced");
        }
        List<ReferrerDescriptor> entries;
        try {
            entries = parseIndex(index.bytes(), "the referrers tag " + tag);
        } catch (Invalid e) {
            return new ReferrerIndex(List.of(), ReferrerIndex.Source.TAG_SCHEMA, "the referrers tag could not be used",
                    e.getMessage());
        }
        List<ReferrerDescriptor> kept = new ArrayList<>();
        boolean truncated = false;
        for (ReferrerDescriptor d : entries) {
            if (artifactType == null || artifactType.equals(d.artifactType())) {
                if (kept.size() >= MAX_REFERRERS) {
                    truncated = true;
                } else {
                    kept.add(d);
                }
            }
        }
        return new ReferrerIndex(kept, ReferrerIndex.Source.TAG_SCHEMA, repo.registry() + " does not support the OCI"
                + " referrers API; listed from the referrers tag " + tag + (truncated ? "; only the first "
                + kept.size() + " referrers were read" : ""), null);
    }

    /**
     * Lists every artifact attached to {@code subject}, each read from its own manifest; Notation signatures are
     * verified with {@code notation} when it is not null (else their {@code verified} is null).
     */
    public ReferrerListing list(DockerName repo, Digest subject, NotationVerifier notation) {
        ReferrerIndex index = index(repo, subject, null);
        List<Referrer> out = new ArrayList<>();
        for (ReferrerDescriptor d : index.descriptors()) {
            out.add(read(repo, subject, d, notation));
        }
        return new ReferrerListing(out, index.source(), index.note(), index.error());
    }

    private Referrer read(DockerName repo, Digest subject, ReferrerDescriptor d, NotationVerifier notation) {
        String artifactType = d.artifactType();
        Map<String, String> annotations = d.annotations();
        String kind = ArtifactTypes.kind(artifactType, null);
        JsonNode manifest;
        try {
            Optional<RegistryClient.Manifest> m = registry.findManifest(repo, d.digest().toString());
            if (m.isEmpty()) {
                return new Referrer(d.digest().toString(), artifactType, d.mediaType(), annotations, kind, null, null,
                        "listed as a referrer, but " + repo.registry() + " has no manifest " + d.digest());
            }
            if (!m.get().digest().equals(d.digest())) {
                return new Referrer(d.digest().toString(), artifactType, d.mediaType(), annotations, kind, null,
                        notation != null && kind.equals("Notation signature") ? false : null,
                        "the registry served a manifest whose SHA-256 is " + m.get().digest() + " for " + d.digest());
            }
            manifest = Json.MAPPER.readTree(m.get().bytes());
            if (manifest == null || !manifest.isObject()) {
                throw new IOException("not an object");
            }
        } catch (IOException e) {
            return new Referrer(d.digest().toString(), artifactType, d.mediaType(), annotations, kind, null, null,
                    "the referrer's manifest is not JSON");
        } catch (UserError e) {
            return new Referrer(d.digest().toString(), artifactType, d.mediaType(), annotations, kind, null, null,
                    "the referrer's manifest could not be read: " + e.getMessage());
        }
        String declared = Json.text(manifest, "artifactType");
        String configType = Json.text(manifest.path("config"), "mediaType");
        if (declared == null && configType != null && !configType.equals(ArtifactTypes.OCI_EMPTY)
                && !configType.equals(MediaTypes.OCI_CONFIG)) {
            declared = configType;
        }
        if (declared != null) {
            artifactType = declared;
        }
        Map<String, String> own = strings(manifest.get("annotations"));
        if (!own.isEmpty()) {
            annotations = own;
        }
        String predicate = null;
        for (JsonNode layer : manifest.path("layers")) {
            Map<String, String> la = strings(layer.get("annotations"));
            predicate = predicate != null ? predicate : la.getOrDefault("in-toto.io/predicate-type", la.get("predicateType"));
        }
        kind = ArtifactTypes.kind(artifactType, predicate);
        String problem = null;
        Digest named = Digest.parseOrNull(Json.text(manifest.path("subject"), "digest"));
        if (named == null) {
            problem = "the referrer's manifest has no subject";
        } else if (!named.equals(subject)) {
            problem = "the referrer's manifest names " + named + " as its subject, not this image";
        }
        String signer = null;
        Boolean verified = null;
        if (kind.equals("Notation signature") && notation != null) {
            verified = false;
            if (problem == null) {
                NotationVerifier.Result r = verifyNotation(repo, subject, manifest, notation);
                verified = r.verified();
                signer = r.signer();
                problem = r.problem();
            }
        }
        return new Referrer(d.digest().toString(), artifactType, d.mediaType(), annotations, kind, signer, verified, problem);
    }

    private NotationVerifier.Result verifyNotation(DockerName repo, Digest subject, JsonNode manifest,
                                                   NotationVerifier notation) {
        JsonNode layers = manifest.path("layers");
        if (!layers.isArray() || layers.size() != 1) {
            return new NotationVerifier.Result(false, null, "a Notation signature manifest has exactly one layer, the"
                    + " envelope; this one has " + (layers.isArray() ? layers.size() : 0));
        }
        JsonNode layer = layers.get(0);
        Digest digest = Digest.parseOrNull(Json.text(layer, "digest"));
        if (digest == null) {
            return new NotationVerifier.Result(false, null, "the signature envelope's descriptor has no valid digest");
        }
        byte[] envelope;
        try {
            envelope = registry.getSmallBlob(repo, digest, MAX_ENVELOPE, "the Notation signature envelope");
        } catch (UserError e) {
            return new NotationVerifier.Result(false, null, "the signature envelope could not be read: " + e.getMessage());
        }
        if (!digest.matches(envelope)) {
            return new NotationVerifier.Result(false, null, "the registry served a signature envelope that does not"
                    + " match its digest " + digest);
        }
        return notation.verify(envelope, Json.text(layer, "mediaType"), subject);
    }

    /** A reason an index is refused. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** Reads an image index of referrers; refuses anything else with a sentence saying what is wrong. */
    static List<ReferrerDescriptor> parseIndex(byte[] body, String what) throws Invalid {
        if (body == null || body.length == 0) {
            throw new Invalid(what + " is empty, not an image index");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new Invalid(what + " is not JSON (it starts " + preview(body) + ")");
        }
        if (root == null || !root.isObject()) {
            throw new Invalid(what + " is not a JSON object, so not an image index");
        }
        String mediaType = Json.text(root, "mediaType");
        if (mediaType != null && !mediaType.equals(MediaTypes.OCI_INDEX)) {
            throw new Invalid(what + " is a " + mediaType + ", not an OCI image index");
        }
        JsonNode manifests = root.get("manifests");
        if (manifests == null || !manifests.isArray()) {
            throw new Invalid(what + " has no manifests list, so it is not an image index");
        }
        List<ReferrerDescriptor> out = new ArrayList<>();
        int i = 0;
        for (JsonNode m : manifests) {
            i++;
            if (!m.isObject()) {
                throw new Invalid(what + ": entry " + i + " is not a descriptor");
            }
            Digest d = Digest.parseOrNull(Json.text(m, "digest"));
            if (d == null) {
                throw new Invalid(what + ": entry " + i + " has no valid digest (" + Json.text(m, "digest") + ")");
            }
            JsonNode size = m.get("size");
            if (size == null || !size.isIntegralNumber() || size.asLong() < 0) {
                throw new Invalid(what + ": entry " + i + " (" + d + ") has no valid size");
            }
            String mt = Json.text(m, "mediaType");
            if (mt == null) {
                throw new Invalid(what + ": entry " + i + " (" + d + ") has no mediaType");
            }
            JsonNode at = m.get("artifactType");
            if (at != null && !at.isNull() && !at.isTextual()) {
                throw new Invalid(what + ": entry " + i + " (" + d + ") has an artifactType that is not a string");
            }
            out.add(new ReferrerDescriptor(mt, d, size.asLong(), at == null || at.isNull() ? null : at.asText(),
                    strings(m.get("annotations"))));
        }
        return out;
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isTextual()) {
                    out.put(e.getKey(), e.getValue().asText());
                }
            }
        }
        return out;
    }

    private static String preview(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 40), java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll("\\s+", " ").replaceAll("[^\\x20-\\x7e]", "?");
        return "'" + s + (body.length > 40 ? "…" : "") + "'";
    }
}
