package dev.dockaudit.cli;

import dev.dockaudit.audit.AuditOptions;
import dev.dockaudit.audit.Auditor;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.Platform;
import dev.dockaudit.image.layer.LayerScanner;
import dev.dockaudit.image.source.Sources;
import dev.dockaudit.registry.RegistryOptions;
import dev.dockaudit.report.Report;
import dev.dockaudit.report.Severity;
import dev.dockaudit.util.Sizes;
import dev.dockaudit.util.UserError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** What every command that audits one image shares: parse the options, run the audit, write the report, pick the exit code. */
abstract class ImageCommandBase implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "REF",
            description = "The image: NAME[:TAG|@DIGEST], a path, or docker-archive:PATH, oci:DIR[:REF], oci-archive:PATH[:REF],"
                    + " rootfs:DIR, docker-daemon:NAME|ID, docker://REGISTRY/REPO[:TAG|@DIGEST].")
    String reference;

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** How this run reaches images (the daemon, registries); set when the command runs, for afterAudit hooks. */
    Sources sources;

    /** The command's name in the report. */
    abstract String commandName();

    /** The scanners this command runs beyond reading and verifying the image. */
    abstract java.util.Set<AuditOptions.Scanner> scanners();

    /** Whether to compare with the registry (--remote, where a command offers it). */
    boolean remote() {
        return false;
    }

    /** Checks the command's own options before any image is read; throws a ParameterException for bad ones. */
    void validate() {
    }

    private AuditOptions auditOptions(long maxLayerSize, LayerScanner.ProgressListener progress) {
        AuditOptions.Triage triage = new AuditOptions.Triage(common.ignoreFile, common.vex, common.ignoreUnfixed);
        return new AuditOptions(scanners(), walksLayers(), remote(), maxLayerSize, progress, common.secretConfig,
                common.db, triage);
    }

    /** Whether the layers' tar entries are read even without scanners (history needs the entries). */
    boolean walksLayers() {
        return !scanners().isEmpty();
    }

    /** The formats this command writes; the first is the default. */
    java.util.List<OutputFormat> formats() {
        return java.util.List.of(OutputFormat.TABLE, OutputFormat.JSON);
    }

    /** Whether the table is the package table rather than the image table. */
    boolean packagesView() {
        return false;
    }

    /**
     * Runs after the audit, before --severity filtering and writing: a command that computes more than the audit
     * (history rows, efficiency) adds its findings and notes to the report here.
     */
    void afterAudit(ImageReference ref, Report report) {
    }

    /**
     * Produces the report: the audit pipeline by default; a command that needs no image contents (trust) overrides
     * this to read only what it needs.
     */
    Report audit(ImageReference ref, Sources sources, AuditOptions options) {
        return new Auditor(sources).run(commandName(), ref, options);
    }

    /** The writer for the chosen format; a command with its own view of the report overrides this. */
    dev.dockaudit.report.ReportWriter writer(OutputFormat format) {
        if (format == OutputFormat.JUNIT) {
            java.util.Set<dev.dockaudit.report.Category> checked = checkedCategories(scanners(), false);
            if (commandName().equals("history")) {
                checked.add(dev.dockaudit.report.Category.HISTORY);
            }
            return new dev.dockaudit.report.JUnitWriter(common.failOn, checked);
        }
        return format.writer(packagesView());
    }

    /**
     * The finding categories a run checks, for formats that show a check that found nothing (JUnit): integrity always
     * (every command verifies what it reads), one per scanner, runtime for containers. {@code scanners} null: no image
     * is audited (container --scanners runtime). Trust is added by the writer when the report has trust results.
     */
    static java.util.Set<dev.dockaudit.report.Category> checkedCategories(java.util.Set<AuditOptions.Scanner> scanners,
                                                                          boolean containers) {
        java.util.Set<dev.dockaudit.report.Category> c = EnumSet.noneOf(dev.dockaudit.report.Category.class);
        if (containers) {
            c.add(dev.dockaudit.report.Category.RUNTIME);
        }
        if (scanners != null) {
            c.add(dev.dockaudit.report.Category.INTEGRITY);
            scanners.forEach(s -> {
                switch (s) {
                    case VULNERABILITIES -> c.add(dev.dockaudit.report.Category.VULNERABILITY);
                    case CONFIG -> c.add(dev.dockaudit.report.Category.CONFIG);
                    case SECRETS -> c.add(dev.dockaudit.report.Category.SECRET);
                    case INVENTORY -> { } // packages are not findings
                }
            });
        }
        return c;
    }

    /** Exit 1 for reasons of the command's own (a failed verification), beyond --fail-on. */
    boolean failsOnItsOwn(Report report) {
        return false;
    }

    @Override
    public Integer call() throws IOException {
        PrintStream err = new PrintStream(new FlushingErr(spec.commandLine().getErr()), true);
        OutputFormat format = common.format != null ? common.format : formats().get(0);
        if (!formats().contains(format)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format " + format.label + " is not available for "
                    + commandName() + "; use " + String.join(" or ", formats().stream().map(f -> f.label).toList()));
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
        validate();
        for (Path p : common.vex) {
            if (!Files.isRegularFile(p)) {
                throw new UserError("--vex " + p + " does not exist; pass an OpenVEX JSON file");
            }
        }
        ImageReference ref = ImageReference.parse(reference);
        RegistryOptions registry = RegistryOptions.defaults(new LinkedHashSet<>(common.insecureRegistries), common.caCerts,
                common.offline);
        for (Path ca : common.caCerts) {
            if (!Files.isRegularFile(ca)) {
                throw new UserError("--ca-cert " + ca + " does not exist; pass a PEM certificate file");
            }
        }
        sources = new Sources(new Sources.Options(platform, common.dockerHost, registry, engineTimeoutMillis()));
        LayerScanner.ProgressListener progress = ProgressDisplay.create(err, !common.quiet && !common.noProgress);
        Report report;
        try {
            report = audit(ref, sources, auditOptions(maxLayer, progress));
        } finally {
            ProgressDisplay.finish(progress);
        }
        afterAudit(ref, report);
        boolean ownFailure = failsOnItsOwn(report);
        if (!common.severities.isEmpty()) {
            report.keepOnly(EnumSet.copyOf(common.severities));
        }
        write(report, format);
        if (ownFailure || (common.failOn != null && report.hasAtLeast(common.failOn))) {
            return Main.EXIT_FINDINGS;
        }
        return Main.EXIT_OK;
    }

    /**
     * How long the daemon may stay silent before we give up: 60 s, or the system property
     * {@code dockaudit.engine.timeout.ms} (tests shorten it to prove a hung daemon never hangs the audit).
     */
    static long engineTimeoutMillis() {
        String v = System.getProperty(ENGINE_TIMEOUT_PROPERTY);
        if (v != null) {
            try {
                long ms = Long.parseLong(v.strip());
                if (ms > 0) {
                    return ms;
                }
            } catch (NumberFormatException e) {
                // fall through to the error
            }
            throw new UserError("-D" + ENGINE_TIMEOUT_PROPERTY + "=" + v + " is not a positive number of milliseconds");
        }
        return 60_000;
    }

    static final String ENGINE_TIMEOUT_PROPERTY = "dockaudit.engine.timeout.ms";

    private void write(Report report, OutputFormat format) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        writer(format).write(report, buf);
        if (common.output == null) {
            PrintStream out = new PrintStream(new CommandLineOut(spec.commandLine()), true);
            out.write(buf.toByteArray());
            out.flush();
            return;
        }
        Path target = common.output.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UserError("cannot write " + common.output + ": the folder does not exist");
        }
        if (Files.isDirectory(target)) {
            // the atomic rename below would replace an empty folder with the report, or fail with an I/O error
            throw new UserError("cannot write " + common.output + ": it is a directory; name a file such as "
                    + common.output.resolve("report.json"));
        }
        // Write beside the target and rename, so a reader never sees half a report.
        Path tmp = Files.createTempFile(dir, ".dockaudit-", ".tmp");
        try {
            Files.write(tmp, buf.toByteArray());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** picocli's out is a PrintWriter; the report is bytes (UTF-8). */
    private static final class CommandLineOut extends OutputStream {
        private final CommandLine cl;

        CommandLineOut(CommandLine cl) {
            this.cl = cl;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            cl.getOut().write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            cl.getOut().flush();
        }
    }

    private static final class FlushingErr extends OutputStream {
        private final java.io.PrintWriter w;

        FlushingErr(java.io.PrintWriter w) {
            this.w = w;
        }

        @Override
        public void write(int b) {
            w.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            w.write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            w.flush();
        }
    }

}
