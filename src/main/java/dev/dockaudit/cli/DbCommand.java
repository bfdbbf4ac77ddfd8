package dev.dockaudit.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.util.Json;
import dev.dockaudit.util.Sizes;
import dev.dockaudit.util.UserError;
import dev.dockaudit.vuln.db.DbImporter;
import dev.dockaudit.vuln.db.DbUpdater;
import dev.dockaudit.vuln.db.EcosystemInfo;
import dev.dockaudit.vuln.db.SourceInfo;
import dev.dockaudit.vuln.db.VulnDatabase;
import dev.dockaudit.vuln.db.VulnDbPaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dockaudit db update|status|import|path}: the offline OSV vulnerability database. */
@Command(name = "db", mixinStandardHelpOptions = true,
        header = "Manage the offline vulnerability database.",
        description = {"Manage the offline vulnerability database (OSV advisories in an SQLite file).",
                "Default file: $XDG_CACHE_HOME/dockaudit/vuln.db, else ~/.cache/dockaudit/vuln.db; --db PATH to choose."},
            footerHeading = "%nExamples:%n",
            footer = {"  dockaudit db update",
                    "  dockaudit db status",
                    "  dockaudit db import alpine-all.zip --db /srv/dockaudit/vuln.db",
                    "  dockaudit db path"},
        subcommands = {DbCommand.Update.class, DbCommand.Status.class, DbCommand.Import.class, DbCommand.PathCommand.class})
final class DbCommand implements Runnable {
    /** Data older than this gets a warning in {@code db status}. */
    static final Duration STALE = Duration.ofDays(7);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "no db command given; try: dockaudit db status, db update, db import PATH or db path");
    }

    /** {@code --db PATH}, shared by the subcommands. */
    static final class DbOption {
        @Option(names = "--db", paramLabel = "PATH",
                description = "The vulnerability database file (default: $XDG_CACHE_HOME/dockaudit/vuln.db, else ~/.cache/dockaudit/vuln.db).")
        Path db;

        @Option(names = "--config", paramLabel = "FILE",
                description = "Option defaults (YAML; default ./dockaudit.yaml if present, or $DOCKAUDIT_CONFIG).")
        Path config;

        Path path() {
            return (db != null ? db : VulnDbPaths.defaultPath()).toAbsolutePath().normalize();
        }
    }

    /** {@code --quiet} and {@code --no-progress}. */
    static final class Chatter {
        @Option(names = {"-q", "--quiet"}, description = "No progress or notes on stderr; only the summary and errors.")
        boolean quiet;

        @Option(names = "--no-progress", description = "No progress display (it is off anyway when stderr is not a terminal).")
        boolean noProgress;
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = {"Download the OSV archives (SOURCE/ECOSYSTEM/all.zip) and rebuild the database; unchanged archives",
                    "are not downloaded again (ETag / Last-Modified). The new file replaces the old one only when complete."},
            footerHeading = "%nExamples:%n",
            footer = {"  dockaudit db update",
                    "  dockaudit db update --ecosystem Alpine,Debian",
                    "  dockaudit db update --source https://mirror.example.com/osv"})
    static final class Update implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Mixin
        Chatter chatter;

        @Option(names = "--source", paramLabel = "URL",
                description = "Base URL of the archives (default: $" + DbUpdater.SOURCE_ENV + ", else " + DbUpdater.DEFAULT_SOURCE
                        + "); an absolute folder path or file: URL in the same layout works offline.")
        String source;

        @Option(names = "--ecosystem", paramLabel = "NAME", split = ",",
                description = "Only download these ecosystems (repeatable; default: all of Debian, Ubuntu, Alpine, Red Hat,"
                        + " AlmaLinux, Rocky Linux, SUSE, openSUSE, Wolfi, Chainguard, Maven, npm, PyPI, Go, crates.io,"
                        + " RubyGems, NuGet, Packagist). Others already in the database are kept.")
        List<String> ecosystems = new ArrayList<>();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Path path = db.path();
            DbUpdater.Options o = DbUpdater.Options.of(DbUpdater.resolveSource(source, System.getenv()),
                    DbUpdater.resolveEcosystems(ecosystems));
            Progress progress = new Progress(err, !chatter.quiet && !chatter.noProgress && ProgressDisplay.stderrIsTerminal());
            DbUpdater.Result r;
            try {
                r = DbUpdater.update(path, o, new DbUpdater.Listener() {
                    @Override
                    public void note(String message) {
                        progress.clear();
                        if (!chatter.quiet) {
                            err.println("dockaudit: note: " + Main.oneLine(message));
                            err.flush();
                        }
                    }

                    @Override
                    public void downloading(String ecosystem, long bytes, long total) {
                        progress.show("downloading " + ecosystem + ": " + Sizes.human(bytes)
                                + (total >= 0 ? " of " + Sizes.human(total) : ""));
                    }

                    @Override
                    public void importing(String ecosystem, int done, int total) {
                        progress.show("importing " + ecosystem + ": " + String.format(Locale.ROOT, "%,d of %,d records", done, total));
                    }
                });
            } finally {
                progress.clear();
            }
            for (DbUpdater.EcosystemResult e : r.ecosystems()) {
                String what = switch (e.outcome()) {
                    case DOWNLOADED -> String.format(Locale.ROOT, "%,9d records  downloaded %s", e.records(), Sizes.human(e.bytes()));
                    case UNCHANGED -> String.format(Locale.ROOT, "%,9d records  unchanged since %s", e.records(), e.fetchedAt());
                    case MISSING -> e.records() > 0
                            ? String.format(Locale.ROOT, "%,9d records  kept (not on the source)", e.records())
                            : "        -          not on the source";
                };
                out.println(String.format(Locale.ROOT, "%-12s %s", e.ecosystem(), what));
                if (!chatter.quiet) {
                    reportSkipped(err, e.ecosystem(), e.skipped(), e.problems());
                }
            }
            out.println((r.written() ? "updated " : "already up to date: ") + r.database() + " from " + r.source()
                    + String.format(Locale.ROOT, " (%.1f s)", r.millis() / 1000.0));
            out.flush();
            return Main.EXIT_OK;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Load OSV records from a zip (such as the OSV bucket's ECOSYSTEM/all.zip) or a folder of *.json",
                    "files (recursive), for sites without network access. Other archives in the database are kept unless",
                    "--replace; importing the same path again replaces its earlier import."},
            footerHeading = "%nExamples:%n",
            footer = {"  dockaudit db import Alpine-all.zip",
                    "  dockaudit db import ./osv-records/ --replace",
                    "  dockaudit db import Debian-all.zip --db /srv/dockaudit/vuln.db --quiet"})
    static final class Import implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PATH", description = "A zip of OSV JSON records or a folder of *.json files.")
        Path input;

        @Option(names = "--replace", description = "Drop everything else in the database: it holds only this import afterwards.")
        boolean replace;

        @Mixin
        DbOption db;

        @Mixin
        Chatter chatter;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Progress progress = new Progress(err, !chatter.quiet && !chatter.noProgress && ProgressDisplay.stderrIsTerminal());
            DbImporter.Result r;
            try {
                r = DbImporter.importPath(db.path(), input, replace, (done, total) -> progress.show(
                        "importing " + input.getFileName() + ": " + String.format(Locale.ROOT, "%,d of %,d records", done, total)));
            } finally {
                progress.clear();
            }
            if (!chatter.quiet) {
                for (String n : r.notes()) {
                    err.println("dockaudit: note: " + Main.oneLine(n));
                }
                reportSkipped(err, input.toString(), r.skipped(), r.problems());
                if (r.unknownEcosystem() > 0) {
                    err.println("dockaudit: note: " + (r.unknownEcosystem() == 1 ? "1 record names an ecosystem"
                            : r.unknownEcosystem() + " records name ecosystems") + " dockaudit does not match"
                            + " (stored anyway): " + Main.oneLine(counts(r.unknownEcosystems())));
                }
                if (r.duplicates() > 0) {
                    err.println("dockaudit: note: " + r.duplicates() + " records appear more than once; the newest copy of each is kept");
                }
                err.flush();
            }
            // the rate says little for small imports, where starting up and building the indexes dominate
            out.println(String.format(Locale.ROOT, "imported %,d records (%s) from %s into %s; %,d skipped; %.1f s%s",
                    r.records(), r.ecosystem(), input, r.database(), r.skipped(), r.millis() / 1000.0,
                    r.records() >= 10_000 ? String.format(Locale.ROOT, ", %,.0f records/s", r.recordsPerSecond()) : ""));
            out.flush();
            return Main.EXIT_OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show the database: where it is, its schema, the date of its data (a warning when older than",
                    "7 days), and for each archive its records, when and where it was fetched."},
            footerHeading = "%nExamples:%n",
            footer = {"  dockaudit db status",
                    "  dockaudit db status --format json | jq .ageDays",
                    "  dockaudit db status --db /srv/dockaudit/vuln.db"})
    static final class Status implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Option(names = "--format", paramLabel = "FORMAT", description = "table (default) or json.")
        String format = "table";

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (!format.equals("table") && !format.equals("json")
                    && !spec.commandLine().getParseResult().hasMatchedOption("--format")) {
                format = "table"; // a config-wide format (sarif, html) does not apply here
            }
            if (!format.equals("table") && !format.equals("json")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--format " + format
                        + " is not available for db status; use table or json");
            }
            Path path = db.path();
            try (VulnDatabase v = VulnDatabase.open(path)) {
                Map<String, String> meta = v.meta();
                List<SourceInfo> sources = v.sources();
                List<EcosystemInfo> ecosystems = v.ecosystemInfo();
                long size = Files.size(path);
                int records = sources.stream().mapToInt(SourceInfo::records).sum();
                int withdrawn = sources.stream().mapToInt(SourceInfo::withdrawn).sum();
                List<String> warnings = new ArrayList<>();
                Long ageDays = null;
                String dataDate = v.dataDate();
                if (dataDate == null) {
                    warnings.add("no record has a modification date, so the data's age is unknown; run 'dockaudit db update'");
                } else {
                    Duration age = Duration.between(parse(dataDate), Instant.now());
                    ageDays = Math.max(0, age.toDays());
                    if (age.compareTo(STALE) > 0) {
                        warnings.add("the vulnerability data is " + ageDays + " days old (from " + dataDate
                                + "); run 'dockaudit db update'");
                    }
                }
                List<EcosystemInfo> unknown = ecosystems.stream().filter(e -> !e.known()).toList();
                PrintWriter out = spec.commandLine().getOut();
                if (format.equals("json")) {
                    out.print(json(path, size, meta, dataDate, ageDays, records, withdrawn, sources, ecosystems, warnings));
                    out.println();
                    out.flush();
                    return Main.EXIT_OK;
                }
                out.println("database    " + path + " (" + Sizes.human(size) + ")");
                out.println("schema      " + meta.get("schema_version") + " (built " + meta.get("created") + " by "
                        + meta.get("built_by") + ")");
                out.println("data date   " + (dataDate == null ? "unknown" : dataDate + " (" + ageDays + " days old)"));
                out.println(String.format(Locale.ROOT, "records     %,d in %d archive%s, %,d withdrawn, %d ecosystems",
                        records, sources.size(), sources.size() == 1 ? "" : "s", withdrawn, ecosystems.size()));
                out.println();
                int w = Math.max(9, sources.stream().mapToInt(s -> s.ecosystem().length()).max().orElse(0));
                String row = "%-8s %-" + w + "s %,9d %,8d  %-20s  %s";
                out.println(String.format(Locale.ROOT, "%-8s %-" + w + "s %9s %8s  %-20s  %s", "KIND", "ECOSYSTEM", "RECORDS",
                        "SKIPPED", "FETCHED", "FROM"));
                for (SourceInfo s : sources) {
                    out.println(String.format(Locale.ROOT, row, s.kind(), Main.oneLine(s.ecosystem()), s.records(), s.skipped(),
                            s.fetchedAt(), Main.oneLine(s.url())));
                }
                if (!unknown.isEmpty()) {
                    out.println();
                    out.println("ecosystems dockaudit does not match (stored, not used): " + Main.oneLine(String.join(", ",
                            unknown.stream().map(e -> e.ecosystem() + " (" + e.records() + (e.records() == 1 ? " record)"
                                    : " records)")).toList())));
                }
                for (SourceInfo s : sources) {
                    if (s.skipped() > 0) {
                        out.println();
                        out.println(String.format(Locale.ROOT, "skipped in %s (%,d malformed records):", Main.oneLine(s.url()),
                                s.skipped()));
                        for (SourceInfo.Problem p : s.problems().subList(0, Math.min(10, s.problems().size()))) {
                            out.println("  " + Main.oneLine(p.entry()) + ": " + Main.oneLine(p.reason()));
                        }
                    }
                }
                for (String warning : warnings) {
                    out.println();
                    out.println("warning: " + warning);
                }
                out.flush();
            }
            return Main.EXIT_OK;
        }

        private static String json(Path path, long size, Map<String, String> meta, String dataDate, Long ageDays,
                int records, int withdrawn, List<SourceInfo> sources, List<EcosystemInfo> ecosystems, List<String> warnings)
                throws IOException {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("path", path.toString());
            root.put("size", size);
            root.put("schemaVersion", Integer.parseInt(meta.get("schema_version")));
            root.put("created", meta.get("created"));
            root.put("builtBy", meta.get("built_by"));
            root.put("dataDate", dataDate);
            if (ageDays == null) {
                root.putNull("ageDays");
            } else {
                root.put("ageDays", ageDays);
            }
            root.put("records", records);
            root.put("withdrawn", withdrawn);
            ArrayNode src = root.putArray("sources");
            for (SourceInfo s : sources) {
                ObjectNode n = src.addObject();
                n.put("kind", s.kind());
                n.put("ecosystem", s.ecosystem());
                n.put("url", s.url());
                n.put("etag", s.etag());
                n.put("lastModified", s.lastModified());
                n.put("fetchedAt", s.fetchedAt());
                n.put("checkedAt", s.checkedAt());
                n.put("records", s.records());
                n.put("skipped", s.skipped());
                n.put("withdrawn", s.withdrawn());
                n.put("unknownEcosystem", s.unknownEcosystem());
                n.put("dataDate", s.dataDate());
                ArrayNode pr = n.putArray("problems");
                for (SourceInfo.Problem p : s.problems()) {
                    pr.addObject().put("entry", p.entry()).put("reason", p.reason());
                }
            }
            ArrayNode eco = root.putArray("ecosystems");
            for (EcosystemInfo e : ecosystems) {
                eco.addObject().put("ecosystem", e.ecosystem()).put("records", e.records()).put("affected", e.affected())
                        .put("known", e.known());
            }
            ArrayNode w = root.putArray("warnings");
            warnings.forEach(w::add);
            return Json.MAPPER.writeValueAsString(root);
        }

        private static Instant parse(String rfc3339) {
            try {
                return OffsetDateTime.parse(rfc3339, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                throw new UserError("the database's data date '" + rfc3339 + "' is not a timestamp; run 'dockaudit db update'");
            }
        }
    }

    @Command(name = "path", mixinStandardHelpOptions = true,
            description = "Print the database file's path (whether or not it exists yet).",
            footerHeading = "%nExamples:%n",
            footer = {"  dockaudit db path", "  ls -l \"$(dockaudit db path)\"", "  XDG_CACHE_HOME=/srv/cache dockaudit db path"})
    static final class PathCommand implements Callable<Integer> {
        @Mixin
        DbOption db;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(db.path());
            spec.commandLine().getOut().flush();
            return Main.EXIT_OK;
        }
    }

    static void reportSkipped(PrintWriter err, String where, int skipped, List<SourceInfo.Problem> problems) {
        if (skipped == 0) {
            return;
        }
        StringBuilder b = new StringBuilder();
        for (SourceInfo.Problem p : problems.subList(0, Math.min(3, problems.size()))) {
            b.append(b.length() == 0 ? "" : "; ").append(p.entry()).append(": ").append(p.reason());
        }
        err.println("dockaudit: note: " + Main.oneLine(where + ": " + skipped + " malformed record" + (skipped == 1 ? "" : "s")
                + " skipped (" + b + (skipped > 3 ? "; …" : "") + "); see dockaudit db status"));
        err.flush();
    }

    private static String counts(Map<String, Integer> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(k + " (" + v + ")"));
        return String.join(", ", parts);
    }

    /** One status line on stderr, redrawn at most five times a second; nothing when not on a terminal. */
    static final class Progress {
        private final PrintWriter err;
        private final boolean on;
        private long last;
        private boolean shown;

        Progress(PrintWriter err, boolean on) {
            this.err = err;
            this.on = on;
        }

        void show(String line) {
            if (!on) {
                return;
            }
            long now = System.nanoTime();
            if (now - last < 200_000_000L) {
                return;
            }
            last = now;
            err.print("\r\033[K" + Main.oneLine(line));
            err.flush();
            shown = true;
        }

        void clear() {
            if (shown) {
                err.print("\r\033[K");
                err.flush();
                shown = false;
            }
        }
    }
}
