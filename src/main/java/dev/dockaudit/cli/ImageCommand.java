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

    @Option(names = "--scanners", paramLabel = "LIST", split = ",",
            description = "Scanners to run besides digests (default: all): packages, vuln, config, secret.")
    java.util.List<String> scannerNames = new java.util.ArrayList<>();

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
}
