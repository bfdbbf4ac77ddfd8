package dev.dockaudit.cli;

import dev.dockaudit.trust.SignatureFindings;
import dev.dockaudit.trust.cosign.CosignOptions;
import dev.dockaudit.trust.cosign.CosignVerifier;
import dev.dockaudit.trust.cosign.PublicKeys;
import dev.dockaudit.trust.cosign.TrustRoot;
import dev.dockaudit.trust.model.CosignSignature;
import dev.dockaudit.trust.model.Referrer;
import dev.dockaudit.trust.notation.NotationTrustStore;
import dev.dockaudit.trust.notation.NotationVerifier;
import dev.dockaudit.trust.referrers.ReferrerListing;
import dev.dockaudit.trust.referrers.ReferrersClient;

import dev.dockaudit.audit.AuditOptions;
import dev.dockaudit.image.DockerName;
import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.source.Sources;
import dev.dockaudit.registry.Credentials;
import dev.dockaudit.registry.NotFoundError;
import dev.dockaudit.registry.RegistryClient;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Report;
import dev.dockaudit.report.Severity;
import dev.dockaudit.report.TrustTableWriter;
import dev.dockaudit.trust.model.TrustResults;
import dev.dockaudit.trust.notary.NotaryAudit;
import dev.dockaudit.trust.notary.NotaryClient;
import dev.dockaudit.trust.notary.NotaryVerifier;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.UserError;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dockaudit trust REF}: Docker Content Trust (Notary v1) verified as a TUF client would, reported like
 * {@code docker trust inspect --pretty}, with the registry's digest for each signed tag compared with the signed one.
 * Reads only metadata: the notary server's TUF files and the registry's manifests, never the layers.
 */
@Command(name = "trust", mixinStandardHelpOptions = true,
        description = {"Verify an image's Docker Content Trust (Notary v1) data as a TUF client does - root certificates,",
                "signatures and thresholds, timestamp/snapshot hashes, delegations, versions, expiry - and show signed tags,",
                "signers and keys like docker trust inspect --pretty, with whether the registry serves each signed digest.",
                "REF is an image name: REGISTRY/REPO[:TAG|@DIGEST]; with a tag only that tag's signatures are shown.",
                "Exits 1 when verification fails (a finding HIGH or worse)."})
final class TrustCommand extends ImageCommandBase {
    @Option(names = "--require-signature",
            description = "An unsigned repository or tag is a failing finding (also when DOCKER_CONTENT_TRUST=1).")
    boolean requireSignature;

    @Option(names = "--trust-server", paramLabel = "URL",
            description = "Notary server (default: $DOCKER_CONTENT_TRUST_SERVER, else https://notary.docker.io for Docker Hub,"
                    + " else https://REGISTRY). Its CA is read from $DOCKER_CONFIG/tls/HOST:PORT/ca.crt, as the docker CLI"
                    + " does, and from --ca-cert.")
    String trustServer;

    @Option(names = "--key", paramLabel = "FILE",
            description = "cosign public key (PEM: ECDSA, RSA or Ed25519) to verify cosign signatures with.")
    Path cosignKey;

    @Option(names = "--certificate-identity", paramLabel = "ID",
            description = "Keyless cosign: the signer identity the Fulcio certificate must carry (email or URI).")
    String certificateIdentity;

    @Option(names = "--certificate-oidc-issuer", paramLabel = "URL",
            description = "Keyless cosign: the OIDC issuer the Fulcio certificate must name.")
    String certificateIssuer;

    @Option(names = "--trust-root", paramLabel = "FILE",
            description = "Keyless cosign: the Fulcio root (and intermediate) certificates, PEM, for offline verification.")
    Path fulcioRoot;

    @Option(names = "--rekor-key", paramLabel = "FILE",
            description = "Rekor's public key (PEM): checks the signed entry timestamp of cosign bundles.")
    Path rekorKey;

    @Option(names = "--notation-trust-store", paramLabel = "DIR",
            description = "Folder of CA certificates (or Notation's x509/ca/NAME layout) that Notation signatures must chain to.")
    Path notationTrustStore;

    @Option(names = "--ignore-docker-reference",
            description = "cosign: accept a payload naming another repository (a mirror of the signed image).")
    boolean ignoreDockerReference;

    /** The environment; a field so that tests can give the command its own. */
    Map<String, String> env = System.getenv();

    @Override
    String commandName() {
        return "trust";
    }

    @Override
    java.util.Set<AuditOptions.Scanner> scanners() {
        return java.util.Set.of();
    }

    @Override
    List<OutputFormat> formats() {
        return List.of(OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.SARIF);
    }

    @Override
    dev.dockaudit.report.ReportWriter writer(OutputFormat format) {
        return format == OutputFormat.TABLE ? new TrustTableWriter() : super.writer(format);
    }

    @Override
    boolean failsOnItsOwn(Report report) {
        return report.findings().stream().anyMatch(f -> f.category() == Category.TRUST && f.severity().atLeast(Severity.HIGH));
    }

    @Override
    Report audit(ImageReference ref, Sources sources, AuditOptions options) {
        String nameText = switch (ref.transport()) {
            case DOCKER, NAME -> ref.name();
            case DOCKER_DAEMON -> {
                if (ref.name().matches("(sha256:)?[a-f0-9]{12,64}")) {
                    throw new UserError("trust needs an image name, not an image ID: Docker Content Trust signs names"
                            + " (docker trust inspect NAME[:TAG])");
                }
                yield ref.name();
            }
            default -> throw new UserError("trust needs an image name (REGISTRY/REPO[:TAG]), not a " + ref.transport().label
                    + " reference: Docker Content Trust signs tags of a registry repository");
        };
        if (common.offline) {
            throw new UserError("--offline is set, but trust asks the notary server and the registry; drop --offline");
        }
        DockerName name = DockerName.parse(nameText);
        boolean explicitTag = hasExplicitTag(nameText);
        URI server = NotaryAudit.server(name, trustServer, env);
        String dockerConfig = env.get("DOCKER_CONFIG");
        Path configDir = dockerConfig != null && !dockerConfig.isEmpty() ? Path.of(dockerConfig)
                : Path.of(System.getProperty("user.home"), ".docker");
        Credentials credentials = new Credentials(configDir.resolve("config.json"));
        NotaryClient client = new NotaryClient(server, name.repositoryWithRegistry(), name.registry(), configDir,
                common.caCerts, credentials, Long.getLong("dockaudit.registry.timeoutMillis", 30_000));

        // The manifest of what the reference names, for the report's image, and the digest compared for its tag.
        RegistryClient registry = sources.registry();
        // Named as typed without a tag: docker trust inspect shows the whole repository then, and so do we.
        Image.Builder b = new Image.Builder(ref, "docker").displayName(explicitTag || name.digest() != null ? name.familiar()
                : name.familiar().replaceFirst(":latest$", ""));
        Digest namedDigest = null;
        if (explicitTag || name.digest() != null) {
            try {
                RegistryClient.Manifest m = registry.getManifest(name, name.reference());
                Digest expected = name.digest() != null ? name.digest() : m.headerDigest();
                b.manifest(m.bytes(), m.mediaType(), expected, name.digest() != null ? "the reference"
                        : "the registry's Docker-Content-Digest header");
                b.repoTags(name.tag() != null ? List.of(name.familiar().replaceFirst("@.*$", "")) : List.of());
                b.repoDigests(List.of(new DockerName(name.registry(), name.repository(), null, m.digest()).familiar()));
                namedDigest = m.digest();
            } catch (NotFoundError e) {
                b.note("the registry has no manifest for " + name.familiar() + " (" + e.getMessage() + ")");
            }
        }
        Digest finalNamedDigest = namedDigest;
        NotaryAudit.Registry digests = (n, tag) -> {
            if (explicitTag && tag.equals(name.tag())) {
                return finalNamedDigest; // read from the manifest bytes, not only a header
            }
            return NotaryAudit.Registry.of(registry).digest(n, tag);
        };
        // DOCKER_CONTENT_TRUST=1 means docker itself refuses unsigned tags: a Notary fact. --require-signature asks
        // for a verified signature of any kind (Notary, cosign, Notation), judged below.
        boolean serverChosen = trustServer != null || (env.get("DOCKER_CONTENT_TRUST_SERVER") != null
                && !env.get("DOCKER_CONTENT_TRUST_SERVER").isEmpty()) || name.registry().equals(DockerName.DOCKER_HUB);
        NotaryAudit.Result result;
        try {
            result = NotaryAudit.run(name, explicitTag, client, new NotaryVerifier(Clock.systemUTC()),
                    digests, NotaryAudit.contentTrustEnabled(env));
        } catch (UserError e) {
            if (serverChosen) {
                throw e;
            }
            // Most registries run no notary server; the guessed default being unreachable is not an error when the
            // user did not ask for one — cosign and Notation signatures are still checked.
            result = new NotaryAudit.Result(null, List.of(), List.of("Docker Content Trust not checked: no notary"
                    + " server answers at the default " + server + " (" + e.getMessage() + "); pass --trust-server"
                    + " if the registry has one"));
        }
        Report report = new Report(commandName(), b.build());
        report.addAll(result.findings());
        result.notes().forEach(report::note);
        List<CosignSignature> cosign = List.of();
        List<Referrer> referrers = List.of();
        if (namedDigest != null) {
            cosign = new CosignVerifier(registry, cosignOptions()).verify(name, namedDigest);
            NotationVerifier notation = notationTrustStore == null ? null
                    : new NotationVerifier(NotationTrustStore.load(notationTrustStore), Clock.systemUTC());
            ReferrerListing listing = new ReferrersClient(registry).list(name, namedDigest, notation);
            referrers = listing.referrers();
            if (listing.note() != null) {
                report.note("referrers: " + listing.note());
            }
            if (listing.error() != null) {
                report.note("referrers: " + listing.error());
            }
            report.addAll(SignatureFindings.of(cosign, referrers, cosignOptions().mode() != CosignOptions.Mode.NONE,
                    notation != null));
        } else if (cosignKey != null || fulcioRoot != null || notationTrustStore != null) {
            report.note("cosign and Notation signatures are checked for one image: name a tag or digest (REPO:TAG)");
        }
        if (requireSignature && !SignatureFindings.anyVerified(result.notary(), cosign, referrers)) {
            report.add(SignatureFindings.missing(name.familiar()));
        }
        report.trust(new TrustResults(result.notary(), cosign, referrers));
        return report;
    }

    private CosignOptions cosignOptions() {
        if (cosignKey != null) {
            return CosignOptions.keyed(PublicKeys.read(cosignKey)).withIgnoreReference(ignoreDockerReference);
        }
        if (fulcioRoot != null || certificateIdentity != null || certificateIssuer != null) {
            if (fulcioRoot == null || certificateIdentity == null || certificateIssuer == null || rekorKey == null) {
                throw new UserError("keyless cosign verification needs --trust-root, --certificate-identity,"
                        + " --certificate-oidc-issuer and --rekor-key together");
            }
            return CosignOptions.keyless(TrustRoot.load(fulcioRoot), certificateIdentity, certificateIssuer,
                    PublicKeys.read(rekorKey)).withIgnoreReference(ignoreDockerReference);
        }
        return CosignOptions.none();
    }

    /** True when the reference names a tag (x:1), not just a repository (x, which docker reads as x:latest). */
    static boolean hasExplicitTag(String name) {
        String s = name;
        int at = s.indexOf('@');
        if (at >= 0) {
            s = s.substring(0, at);
        }
        return s.substring(s.lastIndexOf('/') + 1).contains(":");
    }
}
