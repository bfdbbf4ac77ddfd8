package dev.dockaudit.cli;

import dev.dockaudit.report.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every image command shares (DESIGN.md, the command-line contract). */
public final class CommonOptions {
    @Option(names = "--format", paramLabel = "FORMAT", converter = OutputFormat.Converter.class,
            description = "Output format; the command's --help lists the ones it writes (default: the first, table for most).")
    OutputFormat format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
    Path output;

    @Option(names = "--fail-on", paramLabel = "SEVERITY", converter = SeverityConverter.class,
            description = "Exit 1 when a finding is at or above SEVERITY (CRITICAL, HIGH, MEDIUM, LOW, INFO).")
    Severity failOn;

    @Option(names = "--severity", paramLabel = "LIST", split = ",", converter = SeverityConverter.class,
            description = "Only report findings of these severities, e.g. CRITICAL,HIGH.")
    List<Severity> severities = new ArrayList<>();

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Platform to pick from a multi-platform image (default: this machine's, linux/amd64 here).")
    String platform;

    @Option(names = "--docker-host", paramLabel = "URL",
            description = "Docker or Podman API: unix:///PATH or tcp://HOST:PORT (default: $DOCKER_HOST, else unix:///var/run/docker.sock).")
    String dockerHost;

    @Option(names = "--insecure-registry", paramLabel = "HOST", split = ",",
            description = "Allow plain HTTP or unverified TLS to this registry (repeatable, or comma-separated).")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(names = "--ca-cert", paramLabel = "FILE", split = ",",
            description = "Extra CA certificate (PEM) to trust for registries (repeatable, or comma-separated); /etc/docker/certs.d/HOST/*.crt is read too.")
    List<Path> caCerts = new ArrayList<>();

    @Option(names = "--offline", description = "Never use the network: no registry access.")
    boolean offline;

    @Option(names = {"-q", "--quiet"}, description = "No progress on stderr; a table on stdout is only its one-line summary"
            + " (other formats and -o FILE are written whole).")
    boolean quiet;

    @Option(names = "--color", paramLabel = "WHEN", converter = ColorModeConverter.class,
            description = "Colour severities: auto (default: on a terminal, unless NO_COLOR is set), always, never.")
    ColorMode color;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Defaults for these options (YAML; default ./dockaudit.yaml if present, or $DOCKAUDIT_CONFIG).")
    Path config;

    @Option(names = "--no-progress", description = "No progress display (it is off anyway when stderr is not a terminal).")
    boolean noProgress;

    @Option(names = "--db", paramLabel = "PATH",
            description = "Vulnerability database file (default: $XDG_CACHE_HOME/dockaudit/vuln.db, else ~/.cache/dockaudit/vuln.db).")
    Path db;

    @Option(names = "--ignore-unfixed", description = "Leave out vulnerabilities that have no fixed version yet.")
    boolean ignoreUnfixed;

    @Option(names = "--ignore-file", paramLabel = "FILE",
            description = "Findings to ignore (YAML: id, package, path glob, expires, reason); default ./.dockauditignore if present.")
    Path ignoreFile;

    @Option(names = "--vex", paramLabel = "FILE", split = ",",
            description = "OpenVEX document marking vulnerabilities not_affected or fixed (repeatable, or comma-separated).")
    List<Path> vex = new ArrayList<>();

    @Option(names = "--secret-config", paramLabel = "FILE",
            description = "Secret rules to add, disable or allow-list (YAML, see the README).")
    Path secretConfig;

    @Option(names = "--max-layer-size", paramLabel = "SIZE", defaultValue = "64G",
            description = "Stop reading a layer that expands beyond SIZE (decompression bombs); default ${DEFAULT-VALUE}.")
    String maxLayerSize;
}
