package dev.dockaudit.cli;

import dev.dockaudit.trust.TrustAudit;

import dev.dockaudit.audit.AuditOptions;
import dev.dockaudit.image.DockerName;
import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.source.Sources;
import dev.dockaudit.registry.NotFoundError;
import dev.dockaudit.registry.RegistryClient;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Report;
import dev.dockaudit.report.Severity;
import dev.dockaudit.report.TrustTableWriter;
import dev.dockaudit.trust.notary.NotaryAudit;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.UserError;
import java.nio.file.Path;
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
        header = "Verify signatures: Content Trust, cosign, Notation, referrers.",
        description = {"Verify an image's Docker Content Trust (Notary v1) data as a TUF client does - root certificates,",
                "signatures and thresholds, timestamp/snapshot hashes, delegations, versions, expiry - and show signed tags,",
                "signers and keys like docker trust inspect --pretty, with whether the registry serves each signed digest.",
                "REF is an image name: REGISTRY/REPO[:TAG|@DIGEST]; with a tag only that tag's signatures are shown.",
                "Exits 1 when verification fails (a finding HIGH or worse)."},
        footerHeading = "%nExamples:%n",
        footer = {"  dockaudit trust docker.io/library/alpine:3.20",
                "  dockaudit trust reg.example.com/app:1.4 --key cosign.pub --require-signature",
                "  dockaudit trust reg.example.com/app --trust-server https://notary.example.com",
                "", "Defaults: command line > DOCKAUDIT_<OPTION> > dockaudit.yaml > built-in", "(see dockaudit --help)."})
final class TrustCommand extends ImageCommandBase {
    @picocli.CommandLine.Mixin
    TrustOptions trustOptions;

    @Override
    void validate() {
        trustOptions.validate();
    }

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
        return List.of(OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.SARIF, OutputFormat.HTML, OutputFormat.JUNIT);
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
        TrustAudit.Result result = TrustAudit.run(name, explicitTag, namedDigest, registry, digests,
                trustOptions.settings(common.caCerts), env);
        Report report = new Report(commandName(), b.build());
        report.addAll(result.findings());
        result.notes().forEach(report::note);
        report.trust(result.trust());
        return report;
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
