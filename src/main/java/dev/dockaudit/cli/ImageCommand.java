package dev.dockaudit.cli;

import dev.dockaudit.audit.AuditOptions;
import dev.dockaudit.image.layer.LayerScanner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dockaudit image REF}: every scanner this build has, in one pass over the image. */
@Command(name = "image", mixinStandardHelpOptions = true,
        description = {"Audit an image with every scanner: digests and integrity, the OS and its packages, known",
                "vulnerabilities, configuration checks and secrets, all from one pass over each layer."})
final class ImageCommand extends ImageCommandBase {
    @Option(names = "--remote", description = "Also compare the image with what the registry serves for its tags now.")
    boolean remote;

    @Override
    java.util.List<OutputFormat> formats() {
        return java.util.List.of(OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.SARIF, OutputFormat.CYCLONEDX,
                OutputFormat.SPDX);
    }

    @Override
    String commandName() {
        return "image";
    }

    @Override
    java.util.Set<dev.dockaudit.audit.AuditOptions.Scanner> scanners() {
        return java.util.EnumSet.allOf(dev.dockaudit.audit.AuditOptions.Scanner.class);
    }

    @Override
    boolean remote() {
        return remote;
    }
}
