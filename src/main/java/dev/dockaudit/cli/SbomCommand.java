package dev.dockaudit.cli;

import dev.dockaudit.audit.AuditOptions;
import dev.dockaudit.image.layer.LayerScanner;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code dockaudit sbom REF}: a software bill of materials, CycloneDX 1.6 (default) or SPDX 2.3 JSON. */
@Command(name = "sbom", mixinStandardHelpOptions = true,
        header = "Write an SBOM of an image: CycloneDX 1.6 or SPDX 2.3.",
        description = {"Write a software bill of materials for an image: CycloneDX 1.6 JSON (default) or SPDX 2.3 JSON,",
                "with the image as the root component and each package's layer of origin."},
        footerHeading = "%nExamples:%n",
        footer = {"  dockaudit sbom app:latest -o app.cdx.json",
                "  dockaudit sbom docker-archive:app.tar --format spdx -o app.spdx.json",
                "  dockaudit sbom registry.example.com/team/app:1.4 --platform linux/arm64",
                "", "Defaults: command line > DOCKAUDIT_<OPTION> > dockaudit.yaml > built-in", "(see dockaudit --help)."})
final class SbomCommand extends ImageCommandBase {
    @Override
    String commandName() {
        return "sbom";
    }

    @Override
    java.util.Set<dev.dockaudit.audit.AuditOptions.Scanner> scanners() {
        return java.util.Set.of(dev.dockaudit.audit.AuditOptions.Scanner.INVENTORY);
    }

    @Override
    List<OutputFormat> formats() {
        return List.of(OutputFormat.CYCLONEDX, OutputFormat.SPDX);
    }
}
