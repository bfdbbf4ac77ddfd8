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

    /** The environment and terminal; Main sets it (tests give their own). */
    Console console = Console.NONE;

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

    /** The config file's ignore: rules; Main sets them when there is a config file. */
    dev.dockaudit.vuln.triage.IgnoreFile configIgnore;

    static AuditOptions.Triage triage(CommonOptions common, dev.dockaudit.vuln.triage.IgnoreFile configIgnore) {
        return new AuditOptions.Triage(common.ignoreFile, common.vex, common.ignoreUnfixed, configIgnore);
    }

    private AuditOptions auditOptions(long maxLayerSize, LayerScanner.ProgressListener progress, AuditOptions.Triage triage) {
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

    /** Why {@link #failsOnItsOwn} fails the run, for the summary line. */
    String ownFailureReason() {
        return "verification failed";
    }

    @Override
    public Integer call() throws IOException {
        PrintStream err = new PrintStream(new FlushingErr(spec.commandLine().getErr()), true);
        OutputFormat format = chooseFormat(spec, common.format, formats(), commandName());
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
        checkWritable(common.output); // before minutes of reading layers, not after
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
        AuditOptions.Triage triage = triage(common, configIgnore);
        Report report;
        try {
            report = audit(ref, sources, auditOptions(maxLayer, progress, triage));
        } finally {
            ProgressDisplay.finish(progress);
        }
        afterAudit(ref, report);
        boolean ownFailure = failsOnItsOwn(report);
        if (!common.severities.isEmpty()) {
            report.keepOnly(EnumSet.copyOf(common.severities));
        }
        write(report, format, ownFailure);
        if (ownFailure || (common.failOn != null && report.hasAtLeast(common.failOn))) {
            return Main.EXIT_FINDINGS;
        }
        return Main.EXIT_OK;
    }

    /**
     * The format asked for, else the command's default. A format that came from the config file or DOCKAUDIT_FORMAT
     * rather than the command line, and that this command does not write (format: json for sbom), gives way to the
     * command's default: a config applies to every command, and one command's limits should not make it unusable.
     */
    static OutputFormat chooseFormat(CommandLine.Model.CommandSpec spec, OutputFormat given, java.util.List<OutputFormat> formats,
                                     String command) {
        if (given == null) {
            return formats.get(0);
        }
        if (formats.contains(given)) {
            return given;
        }
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if (parsed != null && !parsed.hasMatchedOption("--format")) {
            return formats.get(0);
        }
        throw new CommandLine.ParameterException(spec.commandLine(), "--format " + given.label + " is not available for "
                + command + "; use " + String.join(" or ", formats.stream().map(f -> f.label).toList()));
    }

    /** The summary line for this report (see {@link SummaryLine}). */
    String summary(Report report, boolean ownFailure, dev.dockaudit.report.TextStyle style) {
        java.util.List<String> extras = new java.util.ArrayList<>();
        if (report.inventory() != null) {
            extras.add(SummaryLine.plural(report.inventory().packages().size(), "package", "packages"));
        }
        if (report.suppressedCount() > 0) {
            extras.add(report.suppressedCount() + " ignored");
        }
        return SummaryLine.of(report.image().displayName(), report.findings(), extras, common.failOn,
                ownFailure ? ownFailureReason() : null, style);
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

    /**
     * Writes the report. A table ends with the summary line; with --quiet a table on stdout is only that line
     * (a report written to -o FILE is always whole: the file is what was asked for).
     */
    private void write(Report report, OutputFormat format, boolean ownFailure) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean toStdout = common.output == null;
        dev.dockaudit.report.TextStyle style = console.style(common.color, toStdout);
        if (format == OutputFormat.TABLE) {
            if (!(common.quiet && toStdout)) {
                dev.dockaudit.report.ReportWriter w = writer(format);
                if (w instanceof dev.dockaudit.report.Styled styled) {
                    styled.style(style);
                }
                w.write(report, buf);
                buf.write('\n');
            }
            buf.write((summary(report, ownFailure, style) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else {
            writer(format).write(report, buf);
        }
        if (toStdout) {
            PrintStream out = new PrintStream(new CommandLineOut(spec.commandLine()), true);
            out.write(buf.toByteArray());
            out.flush();
            return;
        }
        writeFile(common.output, buf.toByteArray());
    }

    /**
     * Writes beside the target and renames, so a reader never sees half a report. Every way the target can be
     * unwritable is a one-line error naming the path, checked before the report is produced where possible.
     */
    static void writeFile(Path output, byte[] data) throws IOException {
        Path target = output.toAbsolutePath();
        Path dir = target.getParent();
        checkWritable(output);
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, ".dockaudit-", ".tmp");
        } catch (java.nio.file.FileSystemException e) {
            throw new UserError("cannot write " + output + ": the folder " + dir + " is not writable (" + reason(e)
                    + "); choose another -o path");
        }
        try {
            Files.write(tmp, data);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileSystemException e) {
            throw new UserError("cannot write " + output + ": " + reason(e) + "; choose another -o path");
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Fails when -o cannot be written: a missing folder, a parent that is a file, a directory as target. */
    static void checkWritable(Path output) {
        if (output == null) {
            return;
        }
        Path target = output.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null) {
            throw new UserError("cannot write " + output + ": name a file, not the root folder");
        }
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p)) {
                throw new UserError("cannot write " + output + ": " + p + " is a file, not a folder; choose another -o path");
            }
            if (Files.isDirectory(p)) {
                break;
            }
        }
        if (!Files.isDirectory(dir)) {
            throw new UserError("cannot write " + output + ": the folder does not exist");
        }
        if (Files.isDirectory(target)) {
            // the atomic rename would replace an empty folder with the report, or fail with an I/O error
            throw new UserError("cannot write " + output + ": it is a directory; name a file such as "
                    + output.resolve("report.json"));
        }
        if (!Files.isWritable(dir)) {
            throw new UserError("cannot write " + output + ": the folder " + dir + " is not writable; choose another -o path");
        }
    }

    /** The operating system's words where it gave some; Java's exception names mean nothing to a user. */
    private static String reason(java.nio.file.FileSystemException e) {
        if (e.getReason() != null) {
            return e.getReason();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "it cannot hold new files";
        }
        return "the file system refused";
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
