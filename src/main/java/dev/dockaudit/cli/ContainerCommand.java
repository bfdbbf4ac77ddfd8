package dev.dockaudit.cli;

import dev.dockaudit.audit.AuditOptions;
import dev.dockaudit.audit.ContainerAuditor;
import dev.dockaudit.image.Platform;
import dev.dockaudit.image.layer.LayerScanner;
import dev.dockaudit.image.source.Sources;
import dev.dockaudit.registry.RegistryOptions;
import dev.dockaudit.report.ContainerJUnitWriter;
import dev.dockaudit.report.ContainerJsonWriter;
import dev.dockaudit.report.ContainerReport;
import dev.dockaudit.report.ContainerReportWriter;
import dev.dockaudit.report.ContainerSarifWriter;
import dev.dockaudit.report.ContainerTableWriter;
import dev.dockaudit.util.Sizes;
import dev.dockaudit.util.UserError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dockaudit container [NAME|ID …] [--all]}: the CIS Docker Benchmark section 5 runtime audit, plus each image. */
@Command(name = "container", mixinStandardHelpOptions = true,
        header = "Audit containers' runtime settings (CIS 5.x) and their images.",
        description = {"Audit containers: their runtime settings against the CIS Docker Benchmark v1.6 section 5 (privileged,",
                "capabilities, host namespaces, mounts, the engine socket, limits, seccomp, AppArmor, exec sessions …), the",
                "daemon's own settings, secrets in their environment, and each distinct image they run, audited once with",
                "every scanner of dockaudit image. Works with dockerd and Podman's Docker-compatible API.",
                "Without names: every running container."},
        footerHeading = "%nExamples:%n",
        footer = {"  dockaudit container",
                "  dockaudit container web db --fail-on HIGH",
                "  dockaudit container --all --scanners runtime",
                "  dockaudit container --docker-host unix:///run/podman/podman.sock --format json",
                "", "Defaults: command line > DOCKAUDIT_<OPTION> > dockaudit.yaml > built-in", "(see dockaudit --help)."})
final class ContainerCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME|ID", arity = "0..*", description = "Containers to audit, by name or (short) ID.")
    List<String> names = new ArrayList<>();

    @Option(names = {"-a", "--all"}, description = "Every container, as docker ps -a lists them (created and stopped too).")
    boolean all;

    @Option(names = "--scanners", paramLabel = "LIST", split = ",",
            description = "What to run on each image besides digests (default: all): packages, vuln, config, secret;"
                    + " 'runtime' alone checks the containers only and audits no image.")
    List<String> scannerNames = new ArrayList<>();

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final List<OutputFormat> FORMATS = List.of(OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.SARIF, OutputFormat.HTML,
            OutputFormat.JUNIT);

    /** The environment and terminal; Main sets it (tests give their own). */
    Console console = Console.NONE;

    /** The config file's ignore: rules, or null. */
    dev.dockaudit.vuln.triage.IgnoreFile configIgnore;

    @Override
    public Integer call() throws IOException {
        OutputFormat format = ImageCommandBase.chooseFormat(spec, common.format, FORMATS, "container");
        if (all && !names.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give container names or --all, not both");
        }
        long maxLayer;
        try {
            maxLayer = Sizes.parse(common.maxLayerSize);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-layer-size: " + e.getMessage());
        }
        Platform platform = null;
        if (common.platform != null) {
            try {
                platform = Platform.parse(common.platform);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--platform: " + e.getMessage());
            }
        }
        Set<AuditOptions.Scanner> scanners = scanners();
        ImageCommandBase.checkWritable(common.output);
        for (Path p : common.vex) {
            if (!Files.isRegularFile(p)) {
                throw new UserError("--vex " + p + " does not exist; pass an OpenVEX JSON file");
            }
        }
        RegistryOptions registry = RegistryOptions.defaults(new LinkedHashSet<>(common.insecureRegistries), common.caCerts,
                common.offline);
        Sources sources = new Sources(new Sources.Options(platform, common.dockerHost, registry,
                ImageCommandBase.engineTimeoutMillis()));
        AuditOptions.Triage triage = ImageCommandBase.triage(common, configIgnore);

        java.io.PrintStream err = new java.io.PrintStream(new ErrStream(spec.commandLine().getErr()), true,
                StandardCharsets.UTF_8);
        LayerScanner.ProgressListener progress = ProgressDisplay.create(err, !common.quiet && !common.noProgress);
        ContainerAuditor.Result result;
        try {
            AuditOptions imageOptions = scanners == null ? null : new AuditOptions(scanners, true, false, maxLayer,
                    progress, common.secretConfig, common.db, triage);
            result = new ContainerAuditor(sources).run(new ContainerAuditor.Selection(names, all), imageOptions, triage);
        } finally {
            ProgressDisplay.finish(progress);
        }
        Map<String, String> missing = result.missing();
        ContainerReport report = result.report();
        if (!missing.isEmpty() && report.containers().isEmpty()) {
            throw new UserError(missingMessage(missing, sources) + "; docker ps -a lists the containers there are");
        }
        if (!common.severities.isEmpty()) {
            report.keepOnly(EnumSet.copyOf(common.severities));
        }
        write(report, format, missing.isEmpty() ? null : missingMessage(missing, sources));
        if (!missing.isEmpty()) {
            // the others were audited and reported; the exit code and the one error line say the input was wrong
            throw new UserError(missingMessage(missing, sources) + "; the other " + report.containers().size()
                    + " container" + (report.containers().size() == 1 ? " was" : "s were") + " audited");
        }
        if (common.failOn != null && report.hasAtLeast(common.failOn)) {
            return Main.EXIT_FINDINGS;
        }
        return Main.EXIT_OK;
    }

    private static String missingMessage(Map<String, String> missing, Sources sources) {
        List<String> parts = new ArrayList<>();
        missing.forEach((name, why) -> parts.add("'" + name + "'" + (why.equals("no such container") ? "" : " (" + why + ")")));
        String engine = sources.engine().serverName() == null ? "the" : "the " + sources.engine().serverName();
        return "no container " + String.join(", ", parts) + " on " + engine + " daemon at " + sources.engine().host().spec();
    }

    /** The image scanners, or null for --scanners runtime (no image audit). */
    private Set<AuditOptions.Scanner> scanners() {
        if (scannerNames.isEmpty()) {
            return EnumSet.allOf(AuditOptions.Scanner.class);
        }
        Set<AuditOptions.Scanner> set = EnumSet.noneOf(AuditOptions.Scanner.class);
        boolean runtimeOnly = false;
        for (String n : scannerNames) {
            switch (n.trim().toLowerCase(Locale.ROOT)) {
                case "runtime" -> runtimeOnly = true;
                case "packages", "package", "inventory" -> set.add(AuditOptions.Scanner.INVENTORY);
                case "vuln", "vulns", "vulnerability", "vulnerabilities" -> set.add(AuditOptions.Scanner.VULNERABILITIES);
                case "config", "misconfig" -> set.add(AuditOptions.Scanner.CONFIG);
                case "secret", "secrets" -> set.add(AuditOptions.Scanner.SECRETS);
                default -> throw new CommandLine.ParameterException(spec.commandLine(), "--scanners: unknown scanner '"
                        + n + "'; use runtime, packages, vuln, config, secret");
            }
        }
        if (runtimeOnly && !set.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--scanners: 'runtime' means no image audit; leave it out to audit images with " + scannerNames);
        }
        return runtimeOnly ? null : set;
    }

    private void write(ContainerReport report, OutputFormat format, String missing) throws IOException {
        boolean toStdout = common.output == null;
        dev.dockaudit.report.TextStyle style = console.style(common.color, toStdout);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        if (format == OutputFormat.TABLE) {
            if (!(common.quiet && toStdout)) {
                ContainerTableWriter writer = new ContainerTableWriter();
                writer.style(style);
                writer.write(report, buf);
                buf.write('\n');
            }
            buf.write((summary(report, missing, style) + "\n").getBytes(StandardCharsets.UTF_8));
        } else {
            ContainerReportWriter writer = switch (format) {
                case SARIF -> new ContainerSarifWriter();
                case JUNIT -> new ContainerJUnitWriter(common.failOn, ImageCommandBase.checkedCategories(scanners(), true));
                case HTML -> new dev.dockaudit.report.html.HtmlContainerWriter();
                default -> new ContainerJsonWriter();
            };
            writer.write(report, buf);
        }
        if (toStdout) {
            spec.commandLine().getOut().write(buf.toString(StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
            return;
        }
        ImageCommandBase.writeFile(common.output, buf.toByteArray());
    }

    /** {@code dockaudit: 2 containers, 1 image (1 audited) — 9 findings: … — exit 1 (--fail-on HIGH: 3 at or above)}. */
    private String summary(ContainerReport report, String missing, dev.dockaudit.report.TextStyle style) {
        int n = report.containers().size();
        ContainerReport.Stats s = report.stats();
        String subject = SummaryLine.plural(n, "container", "containers") + ", "
                + SummaryLine.plural(report.images().size(), "image", "images")
                + (s == null ? "" : " (" + s.imagesAudited() + " audited)");
        List<String> extras = new ArrayList<>();
        int ignored = 0;
        for (ContainerReport.ImageAudit i : report.images()) {
            ignored += i.report() == null ? 0 : i.report().suppressedCount();
        }
        if (ignored > 0) {
            extras.add(ignored + " ignored in images");
        }
        String line = SummaryLine.of(subject, report.allFindings(), extras, common.failOn, null, style);
        // a missing container makes the run exit 2 after the report; the summary must not claim otherwise
        return missing == null ? line : line.replaceFirst(" — (\\S*exit \\d\\S*)( \\(.*\\))?$", " — exit 2 (some containers not found)");
    }

    /** picocli's err is a PrintWriter; the progress display writes bytes. */
    private static final class ErrStream extends java.io.OutputStream {
        private final java.io.PrintWriter w;

        ErrStream(java.io.PrintWriter w) {
            this.w = w;
        }

        @Override
        public void write(int b) {
            w.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            w.write(new String(b, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            w.flush();
        }
    }
}
