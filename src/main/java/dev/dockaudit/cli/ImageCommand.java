package dev.dockaudit.cli;

import dev.dockaudit.audit.AuditOptions;
import dev.dockaudit.image.layer.LayerScanner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dockaudit image REF}: every scanner this build has, in one pass over the image. */
@Command(name = "image", mixinStandardHelpOptions = true,
        header = "Audit an image with every scanner, in one pass over each layer.",
        description = {"Audit an image with every scanner: digests and integrity, the OS and its packages, known",
                "vulnerabilities, configuration checks and secrets, all from one pass over each layer."},
        footerHeading = "%nExamples:%n",
        footer = {"  dockaudit image alpine:3.20",
                "  dockaudit image docker-archive:app.tar --fail-on HIGH --ignore-unfixed",
                "  dockaudit image reg.example.com/app:1.4 --require-signature --key cosign.pub",
                "  dockaudit image oci:build/layout:app --format sarif -o dockaudit.sarif",
                "", "Defaults: command line > DOCKAUDIT_<OPTION> > dockaudit.yaml > built-in", "(see dockaudit --help)."})
final class ImageCommand extends ImageCommandBase {
    @Option(names = "--remote", description = "Also compare the image with what the registry serves for its tags now.")
    boolean remote;

    @picocli.CommandLine.Mixin
    TrustOptions trustOptions;

    @Override
    void validate() {
        trustOptions.validate();
    }

    @Option(names = "--scanners", paramLabel = "LIST", split = ",",
            description = "Scanners to run besides digests (default: all): packages, vuln, config, secret.")
    java.util.List<String> scannerNames = new java.util.ArrayList<>();

    @Override
    java.util.List<OutputFormat> formats() {
        return java.util.List.of(OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.SARIF, OutputFormat.CYCLONEDX,
                OutputFormat.SPDX, OutputFormat.HTML, OutputFormat.JUNIT);
    }

    @Override
    String commandName() {
        return "image";
    }

    @Override
    java.util.Set<dev.dockaudit.audit.AuditOptions.Scanner> scanners() {
        if (scannerNames.isEmpty()) {
            return java.util.EnumSet.allOf(dev.dockaudit.audit.AuditOptions.Scanner.class);
        }
        java.util.Set<dev.dockaudit.audit.AuditOptions.Scanner> set =
                java.util.EnumSet.noneOf(dev.dockaudit.audit.AuditOptions.Scanner.class);
        for (String n : scannerNames) {
            set.add(switch (n.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "packages", "package", "inventory" -> dev.dockaudit.audit.AuditOptions.Scanner.INVENTORY;
                case "vuln", "vulns", "vulnerability", "vulnerabilities" -> dev.dockaudit.audit.AuditOptions.Scanner.VULNERABILITIES;
                case "config", "misconfig" -> dev.dockaudit.audit.AuditOptions.Scanner.CONFIG;
                case "secret", "secrets" -> dev.dockaudit.audit.AuditOptions.Scanner.SECRETS;
                default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--scanners: unknown scanner '"
                        + n + "'; use packages, vuln, config, secret");
            });
        }
        return set;
    }

    @Override
    boolean remote() {
        return remote;
    }

    @Override
    boolean failsOnItsOwn(dev.dockaudit.report.Report report) {
        // --require-signature makes a missing or invalid signature fail the run, as dockaudit trust does
        return trustOptions.requireSignature && report.findings().stream().anyMatch(f ->
                f.category() == dev.dockaudit.report.Category.TRUST && f.severity().atLeast(dev.dockaudit.report.Severity.HIGH));
    }

    /**
     * An image read from a registry also gets the trust audit (Docker Content Trust, cosign, Notation, referrers) for
     * the digest its tag points at; other sources hold no registry signatures, which a note says when asked.
     */
    @Override
    void afterAudit(dev.dockaudit.image.ImageReference ref, dev.dockaudit.report.Report report) {
        dev.dockaudit.image.Image image = report.image();
        if (!image.source().equals("docker") || common.offline) {
            if (trustOptions.anyGiven()) {
                report.note("signatures not checked: " + (common.offline ? "--offline is set"
                        : "they live in a registry, and this image was read from " + image.source())
                        + "; run dockaudit trust REGISTRY/REPO:TAG");
            }
            return;
        }
        dev.dockaudit.image.DockerName name = dev.dockaudit.image.DockerName.parse(ref.name());
        dev.dockaudit.util.Digest top = null;
        for (String rd : image.repoDigests()) {
            top = dev.dockaudit.util.Digest.parseOrNull(rd.substring(rd.indexOf('@') + 1));
        }
        dev.dockaudit.registry.RegistryClient registry = sources.registry();
        dev.dockaudit.trust.TrustAudit.Result result = dev.dockaudit.trust.TrustAudit.run(name, true, top, registry,
                dev.dockaudit.trust.notary.NotaryAudit.Registry.of(registry), trustOptions.settings(common.caCerts),
                System.getenv(), false);
        report.addAll(result.findings());
        result.notes().forEach(report::note);
        report.trust(result.trust());
    }
}
