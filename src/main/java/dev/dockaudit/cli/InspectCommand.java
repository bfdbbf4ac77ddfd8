package dev.dockaudit.cli;

import dev.dockaudit.audit.AuditOptions;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;

/** {@code dockaudit inspect REF}: what docker inspect reveals, judged — configuration, environment and secrets. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Judge an image's configuration (CIS Docker Benchmark 4.x: user, healthcheck, ADD, setuid files,",
                "ports, volumes, accounts, leftovers) and look for secrets in its env, labels, history and files."})
final class InspectCommand extends ImageCommandBase {
    @Override
    String commandName() {
        return "inspect";
    }

    @Override
    Set<AuditOptions.Scanner> scanners() {
        return Set.of(AuditOptions.Scanner.CONFIG, AuditOptions.Scanner.SECRETS);
    }

    @Override
    List<OutputFormat> formats() {
        return List.of(OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.SARIF, OutputFormat.HTML, OutputFormat.JUNIT);
    }
}
