package dev.dockaudit.cli;

import dev.dockaudit.audit.AuditOptions;
import dev.dockaudit.image.layer.LayerScanner;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code dockaudit packages REF}: the OS and every package, with the layer that last changed it. */
@Command(name = "packages", mixinStandardHelpOptions = true,
        description = {"List the OS and every package in an image (dpkg, apk, rpm and language packages), with the",
                "layer that installed or last upgraded each. --format dpkg-query prints 'name version arch' lines."})
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
