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
        description = {"Audit containers: their runtime settings against the CIS Docker Benchmark v1.6 section 5 (privileged,",
                "capabilities, host namespaces, mounts, the engine socket, limits, seccomp, AppArmor, exec sessions …), the",
                "daemon's own settings, secrets in their environment, and each distinct image they run, audited once with",
                "every scanner of dockaudit image. Works with dockerd and Podman's Docker-compatible API.",
                "Without names: every running container."})
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

    @Override
    public Integer call() throws IOException {
        OutputFormat format = common.format != null ? common.format : OutputFormat.TABLE;
        if (!FORMATS.contains(format)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format " + format.label
                    + " is not available for container; use " + String.join(", ", FORMATS.stream().map(f -> f.label).toList()));
        }
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
        for (Path p : common.vex) {
            if (!Files.isRegularFile(p)) {
                throw new UserError("--vex " + p + " does not exist; pass an OpenVEX JSON file");
            }
        }
        RegistryOptions registry = RegistryOptions.defaults(new LinkedHashSet<>(common.insecureRegistries), common.caCerts,
                common.offline);
        Sources sources = new Sources(new Sources.Options(platform, common.dockerHost, registry,
                ImageCommandBase.engineTimeoutMillis()));
        AuditOptions.Triage triage = new AuditOptions.Triage(common.ignoreFile, common.vex, common.ignoreUnfixed);

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
        write(report, format);
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

    private void write(ContainerReport report, OutputFormat format) throws IOException {
        ContainerReportWriter writer = switch (format) {
            case JSON -> new ContainerJsonWriter();
            case SARIF -> new ContainerSarifWriter();
            case JUNIT -> new ContainerJUnitWriter(common.failOn, ImageCommandBase.checkedCategories(scanners(), true));
            case HTML -> new dev.dockaudit.report.html.HtmlContainerWriter();
            default -> new ContainerTableWriter();
        };
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        writer.write(report, buf);
        if (common.output == null) {
            spec.commandLine().getOut().write(buf.toString(StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
            return;
        }
        Path target = common.output.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UserError("cannot write " + common.output + ": the folder does not exist");
        }
        if (Files.isDirectory(target)) {
            throw new UserError("cannot write " + common.output + ": it is a directory; name a file such as "
                    + common.output.resolve("report.json"));
        }
        Path tmp = Files.createTempFile(dir, ".dockaudit-", ".tmp");
        try {
            Files.write(tmp, buf.toByteArray());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
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
