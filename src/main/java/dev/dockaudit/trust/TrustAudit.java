package dev.dockaudit.trust;

import dev.dockaudit.image.DockerName;
import dev.dockaudit.registry.Credentials;
import dev.dockaudit.registry.RegistryClient;
import dev.dockaudit.report.Finding;
import dev.dockaudit.trust.cosign.CosignOptions;
import dev.dockaudit.trust.cosign.CosignVerifier;
import dev.dockaudit.trust.cosign.PublicKeys;
import dev.dockaudit.trust.cosign.TrustRoot;
import dev.dockaudit.trust.model.CosignSignature;
import dev.dockaudit.trust.model.Referrer;
import dev.dockaudit.trust.model.TrustResults;
import dev.dockaudit.trust.notary.NotaryAudit;
import dev.dockaudit.trust.notary.NotaryClient;
import dev.dockaudit.trust.notary.NotaryVerifier;
import dev.dockaudit.trust.notation.NotationTrustStore;
import dev.dockaudit.trust.notation.NotationVerifier;
import dev.dockaudit.trust.referrers.ReferrerListing;
import dev.dockaudit.trust.referrers.ReferrersClient;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.UserError;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole trust audit of one image name: Docker Content Trust (Notary v1, verified as TUF), cosign signatures
 * (keyed or keyless, offline), Notation signatures and the other referrers, and whether any verified signature
 * covers the image. Used by {@code dockaudit trust} and by {@code dockaudit image} for registry images.
 */
public final class TrustAudit {
    /** Results, findings and notes for the report. */
    public record Result(TrustResults trust, List<Finding> findings, List<String> notes) {
    }

    private TrustAudit() {
    }

    /**
     * @param explicitTag  whether the user named a tag (docker trust inspect then shows only that tag)
     * @param namedDigest  the manifest digest the name resolves to in the registry, or null (then signatures
     *                     of one image cannot be checked)
     * @param digests      the registry's digest for each tag, for the signed-versus-served comparison
     */
    public static Result run(DockerName name, boolean explicitTag, Digest namedDigest, RegistryClient registry,
                             NotaryAudit.Registry digests, TrustSettings settings, Map<String, String> env) {
        return run(name, explicitTag, namedDigest, registry, digests, settings, env, true);
    }

    /**
     * @param notaryErrorsFatal whether an unreachable notary server the user chose is an error (dockaudit trust) or
     *                          a note (dockaudit image, where trust is one scanner of many)
     */
    public static Result run(DockerName name, boolean explicitTag, Digest namedDigest, RegistryClient registry,
                             NotaryAudit.Registry digests, TrustSettings settings, Map<String, String> env,
                             boolean notaryErrorsFatal) {
        List<Finding> findings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        URI server = NotaryAudit.server(name, settings.trustServer(), env);
        String dockerConfig = env.get("DOCKER_CONFIG");
        Path configDir = dockerConfig != null && !dockerConfig.isEmpty() ? Path.of(dockerConfig)
                : Path.of(System.getProperty("user.home"), ".docker");
        NotaryClient client = new NotaryClient(server, name.repositoryWithRegistry(), name.registry(), configDir,
                settings.caCerts(), new Credentials(configDir.resolve("config.json")),
                Long.getLong("dockaudit.registry.timeoutMillis", 30_000));
        boolean serverChosen = settings.trustServer() != null || (env.get("DOCKER_CONTENT_TRUST_SERVER") != null
                && !env.get("DOCKER_CONTENT_TRUST_SERVER").isEmpty()) || name.registry().equals(DockerName.DOCKER_HUB);
        NotaryAudit.Result notary;
        try {
            // DOCKER_CONTENT_TRUST=1 means docker itself refuses unsigned tags: a Notary fact. --require-signature asks
            // for a verified signature of any kind (Notary, cosign, Notation), judged below.
            notary = NotaryAudit.run(name, explicitTag, client, new NotaryVerifier(Clock.systemUTC()), digests,
                    NotaryAudit.contentTrustEnabled(env));
        } catch (UserError e) {
            if (serverChosen && notaryErrorsFatal) {
                throw e;
            }
            // Most registries run no notary server; the guessed default being unreachable is not an error when the
            // user did not ask for one — cosign and Notation signatures are still checked.
            notary = new NotaryAudit.Result(null, List.of(), List.of("Docker Content Trust not checked: no notary"
                    + " server answers at the default " + server + " (" + e.getMessage() + "); pass --trust-server"
                    + " if the registry has one"));
        }
        findings.addAll(notary.findings());
        notes.addAll(notary.notes());
        List<CosignSignature> cosign = List.of();
        List<Referrer> referrers = List.of();
        CosignOptions cosignOptions = cosignOptions(settings);
        if (namedDigest != null) {
            cosign = new CosignVerifier(registry, cosignOptions).verify(name, namedDigest);
            NotationVerifier notation = settings.notationTrustStore() == null ? null
                    : new NotationVerifier(NotationTrustStore.load(settings.notationTrustStore()), Clock.systemUTC());
            ReferrerListing listing = new ReferrersClient(registry).list(name, namedDigest, notation);
            referrers = listing.referrers();
            if (listing.note() != null) {
                notes.add("referrers: " + listing.note());
            }
            if (listing.error() != null) {
                notes.add("referrers: " + listing.error());
            }
            findings.addAll(SignatureFindings.of(cosign, referrers, cosignOptions.mode() != CosignOptions.Mode.NONE,
                    notation != null));
        } else if (cosignOptions.mode() != CosignOptions.Mode.NONE || settings.notationTrustStore() != null) {
            notes.add("cosign and Notation signatures are checked for one image: name a tag or digest (REPO:TAG)");
        }
        if (settings.requireSignature() && !SignatureFindings.anyVerified(notary.notary(), cosign, referrers)) {
            findings.add(SignatureFindings.missing(name.familiar()));
        }
        return new Result(new TrustResults(notary.notary(), cosign, referrers), findings, notes);
    }

    static CosignOptions cosignOptions(TrustSettings s) {
        if (s.cosignKey() != null) {
            return CosignOptions.keyed(PublicKeys.read(s.cosignKey())).withIgnoreReference(s.ignoreDockerReference());
        }
        if (s.fulcioRoot() != null || s.certificateIdentity() != null || s.certificateIssuer() != null) {
            if (s.fulcioRoot() == null || s.certificateIdentity() == null || s.certificateIssuer() == null
                    || s.rekorKey() == null) {
                throw new UserError("keyless cosign verification needs --trust-root, --certificate-identity,"
                        + " --certificate-oidc-issuer and --rekor-key together");
            }
            return CosignOptions.keyless(TrustRoot.load(s.fulcioRoot()), s.certificateIdentity(), s.certificateIssuer(),
                    PublicKeys.read(s.rekorKey())).withIgnoreReference(s.ignoreDockerReference());
        }
        return CosignOptions.none();
    }
}
