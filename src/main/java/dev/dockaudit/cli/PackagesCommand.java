package dev.dockaudit.cli;

import dev.dockaudit.audit.AuditOptions;
import dev.dockaudit.image.layer.LayerScanner;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code dockaudit packages REF}: the OS and every package, with the layer that last changed it. */
@Command(name = "packages", mixinStandardHelpOptions = true,
        header = "List the OS and every package in an image, with its layer.",
        description = {"List the OS and every package in an image (dpkg, apk, rpm and language packages), with the",
                "layer that installed or last upgraded each. --format dpkg-query prints 'name version arch' lines."},
        footerHeading = "%nExamples:%n",
        footer = {"  dockaudit packages debian:12",
                "  dockaudit packages app.tar --format json | jq '.packages[].purl'",
                "  dockaudit packages ubuntu:24.04 --format dpkg-query",
                "", "Defaults: command line > DOCKAUDIT_<OPTION> > dockaudit.yaml > built-in", "(see dockaudit --help)."})
final class PackagesCommand extends ImageCommandBase {
    @Override
    String commandName() {
        return "packages";
    }

    @Override
    java.util.Set<dev.dockaudit.audit.AuditOptions.Scanner> scanners() {
        return java.util.Set.of(dev.dockaudit.audit.AuditOptions.Scanner.INVENTORY);
    }

    @Override
    List<OutputFormat> formats() {
        return List.of(OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.DPKG_QUERY, OutputFormat.CYCLONEDX,
                OutputFormat.SPDX);
    }

    @Override
    boolean packagesView() {
        return true;
    }
}
