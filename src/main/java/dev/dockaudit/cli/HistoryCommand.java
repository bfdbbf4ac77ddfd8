package dev.dockaudit.cli;

import dev.dockaudit.audit.AuditOptions;
import dev.dockaudit.check.config.ConfigChecks;
import dev.dockaudit.check.config.ConfigResult;
import dev.dockaudit.check.config.StepFinding;
import dev.dockaudit.check.history.HistoryAnalysis;
import dev.dockaudit.check.history.HistoryReport;
import dev.dockaudit.check.history.HistoryWriters;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.layer.LayerScanner;
import dev.dockaudit.image.layer.MergedFilesystem;
import dev.dockaudit.report.Report;
import dev.dockaudit.report.ReportWriter;
import dev.dockaudit.util.Sizes;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dockaudit history REF}: docker history --no-trunc with each step's findings, and the layer efficiency. */
@Command(name = "history", mixinStandardHelpOptions = true,
        header = "Show each build step with its findings, and the wasted space.",
        description = {"Show every build step like docker history --no-trunc (created, full command, size, comment)",
                "with the findings of that step, then the layer efficiency as dive computes it and the largest",
                "wasted files. --max-wasted-bytes and --min-efficiency make the command exit 1 when exceeded."},
        footerHeading = "%nExamples:%n",
        footer = {"  dockaudit history app:latest",
                "  dockaudit history app.tar --max-wasted-bytes 20M --min-efficiency 95%%",
                "  dockaudit history app:latest --format json | jq .history.efficiency",
                "", "Defaults: command line > DOCKAUDIT_<OPTION> > dockaudit.yaml > built-in", "(see dockaudit --help)."})
final class HistoryCommand extends ImageCommandBase {
    @Option(names = "--max-wasted-bytes", paramLabel = "SIZE",
            description = "Fail (exit 1) when more than SIZE bytes are wasted (512K, 20M, 1G: binary multiples).")
    String maxWastedBytes;

    @Option(names = "--min-efficiency", paramLabel = "RATIO",
            description = "Fail (exit 1) when the efficiency score is below RATIO (0.9, or 90%%).")
    String minEfficiency;

    @Option(names = "--wasted-files", paramLabel = "N", defaultValue = "20",
            description = "How many of the largest wasted files to list (default ${DEFAULT-VALUE}).")
    int wastedFiles;

    private HistoryReport history;

    @Override
    String commandName() {
        return "history";
    }

    @Override
    java.util.Set<dev.dockaudit.audit.AuditOptions.Scanner> scanners() {
        return java.util.Set.of();
    }

    @Override
    boolean walksLayers() {
        return true;
    }

    @Override
    void validate() {
        limits(); // bad limits are a usage error before any image is read
    }

    @Override
    void afterAudit(ImageReference ref, Report report) {
        MergedFilesystem fs = ConfigChecks.merged(report.image());
        ConfigResult config = ConfigChecks.check(report.image(), ref, System.getenv(), fs);
        history = HistoryAnalysis.analyze(report.image(), config, limits(), fs);
        // The history shows the findings of its steps; image-wide config findings belong to dockaudit inspect/image.
        List<String> notes = new ArrayList<>(config.notes());
        for (StepFinding f : config.items()) {
            if (f.step() >= 0) {
                report.add(f.finding());
            }
        }
        report.addAll(history.findings());
        notes.addAll(history.notes());
        notes.forEach(report::note);
    }

    @Override
    List<OutputFormat> formats() {
        return List.of(OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.SARIF, OutputFormat.HTML, OutputFormat.JUNIT);
    }

    @Override
    ReportWriter writer(OutputFormat format) {
        return switch (format) {
            case JSON -> HistoryWriters.json(history, wastedFiles);
            case TABLE -> HistoryWriters.table(history, wastedFiles);
            // the page of every image report, with the build steps, efficiency and wasted files
            case HTML -> new dev.dockaudit.report.html.HtmlReportWriter(history, wastedFiles);
            // the machine formats carry the step findings like any report
            default -> super.writer(format);
        };
    }

    @Override
    boolean failsOnItsOwn(Report report) {
        return history != null && history.limitExceeded();
    }

    private HistoryAnalysis.Limits limits() {
        Long max = null;
        Double min = null;
        if (maxWastedBytes != null) {
            try {
                max = Sizes.parse(maxWastedBytes);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--max-wasted-bytes: " + e.getMessage());
            }
        }
        if (minEfficiency != null) {
            String v = minEfficiency.strip();
            try {
                min = v.endsWith("%") ? Double.parseDouble(v.substring(0, v.length() - 1).strip()) / 100
                        : Double.parseDouble(v);
            } catch (NumberFormatException e) {
                min = Double.NaN;
            }
            if (min.isNaN() || min < 0 || min > 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--min-efficiency: '" + minEfficiency
                        + "' is not a ratio between 0 and 1 (examples: 0.9, 90%)");
            }
        }
        if (wastedFiles < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--wasted-files must be 0 or more");
        }
        return new HistoryAnalysis.Limits(max, min);
    }
}
