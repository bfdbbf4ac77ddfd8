package dev.dockaudit.cli;

import dev.dockaudit.audit.AuditOptions;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;

/** {@code dockaudit inspect REF}: what docker inspect reveals, judged — configuration, environment and secrets. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        header = "Check an image's configuration (CIS 4.x) and look for secrets.",
        description = {"Judge an image's configuration (CIS Docker Benchmark 4.x: user, healthcheck, ADD, setuid files,",
                "ports, volumes, accounts, leftovers) and look for secrets in its env, labels, history and files."},
        footerHeading = "%nExamples:%n",
        footer = {"  dockaudit inspect app:latest",
                "  dockaudit inspect docker-archive:app.tar --secret-config secrets.yaml",
                "  dockaudit inspect rootfs:./unpacked --format sarif -o inspect.sarif",
                "", "Defaults: command line > DOCKAUDIT_<OPTION> > dockaudit.yaml > built-in", "(see dockaudit --help)."})
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
