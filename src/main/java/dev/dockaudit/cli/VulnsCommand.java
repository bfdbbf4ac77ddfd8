package dev.dockaudit.cli;

import dev.dockaudit.audit.AuditOptions;
import dev.dockaudit.report.ReportWriter;
import dev.dockaudit.report.VulnTableWriter;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;

/** {@code dockaudit vulns REF}: known vulnerabilities of every package, from the offline OSV database. */
@Command(name = "vulns", mixinStandardHelpOptions = true,
        header = "Find known vulnerabilities in an image's packages (offline).",
        description = {"Match every package in an image against the offline OSV vulnerability database (dockaudit db",
                "update): OS packages by their source package and release, language packages by ecosystem."},
        footerHeading = "%nExamples:%n",
        footer = {"  dockaudit vulns alpine:3.10",
                "  dockaudit vulns docker-archive:app.tar --severity CRITICAL,HIGH --fail-on HIGH",
                "  dockaudit vulns app:latest --ignore-unfixed --vex app.openvex.json",
                "", "Defaults: command line > DOCKAUDIT_<OPTION> > dockaudit.yaml > built-in", "(see dockaudit --help)."})
final class VulnsCommand extends ImageCommandBase {
    @Override
    String commandName() {
        return "vulns";
    }

    @Override
    Set<AuditOptions.Scanner> scanners() {
        return Set.of(AuditOptions.Scanner.INVENTORY, AuditOptions.Scanner.VULNERABILITIES);
    }

    @Override
    List<OutputFormat> formats() {
        return List.of(OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.SARIF, OutputFormat.CYCLONEDX, OutputFormat.HTML,
                OutputFormat.JUNIT);
    }

    @Override
    ReportWriter writer(OutputFormat format) {
        return format == OutputFormat.TABLE ? new VulnTableWriter() : super.writer(format);
    }
}
