package dev.dockaudit.cli;

import dev.dockaudit.audit.AuditOptions;
import dev.dockaudit.image.layer.LayerScanner;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Report;
import dev.dockaudit.report.Severity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dockaudit digests REF}: the image ID, manifest and layer digests, recomputed and verified. */
@Command(name = "digests", mixinStandardHelpOptions = true,
        header = "Verify an image's digests: config, manifest, layers, repo digests.",
        description = {"Verify an image's digests: image ID (config), manifest, repo tags and digests, and each layer's",
                "digest, size and diff_id, all recomputed while streaming. Exits 1 when one does not match."},
        footerHeading = "%nExamples:%n",
        footer = {"  dockaudit digests docker-archive:app.tar",
                "  dockaudit digests nginx:1.27 --remote",
                "  dockaudit digests oci-archive:app.oci.tar --format json -o digests.json",
                "", "Defaults: command line > DOCKAUDIT_<OPTION> > dockaudit.yaml > built-in", "(see dockaudit --help)."})
final class DigestsCommand extends ImageCommandBase {
    @Option(names = "--remote", description = "Also ask the registry what each of the image's tags points at now, and report drift.")
    boolean remote;

    @Override
    String commandName() {
        return "digests";
    }

    @Override
    java.util.Set<dev.dockaudit.audit.AuditOptions.Scanner> scanners() {
        return java.util.Set.of();
    }

    @Override
    java.util.List<OutputFormat> formats() {
        return java.util.List.of(OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.SARIF, OutputFormat.JUNIT);
    }

    @Override
    boolean remote() {
        return remote;
    }

    @Override
    boolean failsOnItsOwn(Report report) {
        return report.findings().stream().anyMatch(f -> f.category() == Category.INTEGRITY
                && f.severity().atLeast(Severity.HIGH));
    }
}
