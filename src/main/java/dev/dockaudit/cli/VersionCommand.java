package dev.dockaudit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.report.ToolInfo;
import dev.dockaudit.util.Json;
import dev.dockaudit.util.UserError;
import dev.dockaudit.vuln.db.SourceInfo;
import dev.dockaudit.vuln.db.VulnDatabase;
import dev.dockaudit.vuln.db.VulnDbPaths;
import dev.dockaudit.vuln.db.VulnDbSeed;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dockaudit version}: the tool's version and how old the vulnerability data is, which decides what a scan can find. */
@Command(name = "version", mixinStandardHelpOptions = true,
        header = "Print the version and the vulnerability database's age.",
        description = {"Print dockaudit's version and the vulnerability database a scan would use: its path, when it was",
                "built and last updated, how many days old its data is, and how many records it holds."},
        footerHeading = "%nExamples:%n",
        footer = {"  dockaudit version",
                "  dockaudit version --db /srv/dockaudit/vuln.db",
                "  dockaudit version --format json | jq .database.ageDays"})
final class VersionCommand implements Callable<Integer> {
    @Option(names = "--db", paramLabel = "PATH",
            description = "The vulnerability database file (default: $XDG_CACHE_HOME/dockaudit/vuln.db, else ~/.cache/dockaudit/vuln.db).")
    Path db;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table (default) or json.")
    String format = "table";

    @Option(names = "--config", paramLabel = "FILE", description = "Option defaults (YAML; default ./dockaudit.yaml if present).")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Console console = Console.NONE;

    /** What we know of the database; nulls where it has no such fact. */
    record DbFacts(Path path, boolean exists, String built, String updated, String dataDate, Long ageDays, Integer records,
                   String error) {
    }

    @Override
    public Integer call() throws IOException {
        String f = format.toLowerCase(Locale.ROOT);
        if (!f.equals("table") && !f.equals("json")) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--format")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--format " + format
                        + " is not available for version; use table or json");
            }
            f = "table"; // a config-wide format (sarif, html) does not apply here
        }
        Path path = (db != null ? db : VulnDbPaths.defaultPath(console.env(), System.getProperty("user.home")))
                .toAbsolutePath().normalize();
        DbFacts facts = facts(path);
        VulnDbSeed.Info seed = facts.exists() ? null : VulnDbSeed.info();
        PrintWriter out = spec.commandLine().getOut();
        if (f.equals("json")) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("name", ToolInfo.NAME);
            root.put("version", ToolInfo.VERSION);
            ObjectNode d = root.putObject("database");
            d.put("path", path.toString());
            d.put("exists", facts.exists());
            d.put("built", facts.built());
            d.put("updated", facts.updated());
            d.put("dataDate", facts.dataDate());
            if (facts.ageDays() == null) {
                d.putNull("ageDays");
            } else {
                d.put("ageDays", facts.ageDays());
            }
            if (facts.records() == null) {
                d.putNull("records");
            } else {
                d.put("records", facts.records());
            }
            d.put("error", facts.error());
            if (seed == null) {
                root.putNull("seed");
            } else {
                root.putObject("seed").put("date", seed.date()).put("ecosystems", seed.ecosystems())
                        .put("records", seed.records());
            }
            out.println(Json.MAPPER.writeValueAsString(root));
            out.flush();
            return Main.EXIT_OK;
        }
        out.println(ToolInfo.NAME + " " + ToolInfo.VERSION);
        if (!facts.exists()) {
            out.println("vulnerability database  none at " + path);
            out.println("no database: run dockaudit db update" + (seed == null ? ""
                    : " (until then scans use the bundled seed: " + seed.ecosystems() + ", dated " + seed.date() + ")"));
        } else if (facts.error() != null) {
            out.println("vulnerability database  " + path + " cannot be read (" + Main.oneLine(facts.error()) + ")");
        } else {
            out.println("vulnerability database  " + path);
            out.println("  built      " + nz(facts.built()));
            out.println("  updated    " + nz(facts.updated()));
            out.println("  data date  " + (facts.dataDate() == null ? "unknown (no record says when it was modified)"
                    + sinceUpdate(facts.updated()) : facts.dataDate() + " (" + days(facts.ageDays()) + " old)"));
            out.println(String.format(Locale.ROOT, "  records    %,d", facts.records()));
            if (facts.ageDays() != null && facts.ageDays() > DbCommand.STALE.toDays()) {
                out.println("warning: the data is more than " + DbCommand.STALE.toDays() + " days old; run dockaudit db update");
            }
        }
        out.flush();
        return Main.EXIT_OK;
    }

    static DbFacts facts(Path path) {
        if (!Files.exists(path)) {
            return new DbFacts(path, false, null, null, null, null, null, null);
        }
        try (VulnDatabase v = VulnDatabase.open(path)) {
            List<SourceInfo> sources = v.sources();
            String updated = null;
            int records = 0;
            for (SourceInfo s : sources) {
                records += s.records();
                String when = s.checkedAt() != null ? s.checkedAt() : s.fetchedAt();
                if (when != null && (updated == null || when.compareTo(updated) > 0)) {
                    updated = when;
                }
            }
            String dataDate = v.dataDate();
            Long age = null;
            if (dataDate != null) {
                try {
                    age = Math.max(0, Duration.between(OffsetDateTime.parse(dataDate).toInstant(), Instant.now()).toDays());
                } catch (DateTimeParseException e) {
                    age = null;
                }
            }
            return new DbFacts(path, true, v.meta().get("created"), updated,
                    dataDate == null ? null : dataDate.length() >= 10 ? dataDate.substring(0, 10) : dataDate, age, records, null);
        } catch (UserError e) {
            return new DbFacts(path, true, null, null, null, null, null, e.getMessage());
        }
    }

    private static String days(long n) {
        return n + (n == 1 ? " day" : " days");
    }

    /** How long ago the last update ran, when the data itself carries no date to age it by. */
    private static String sinceUpdate(String updated) {
        try {
            return updated == null ? "" : "; last updated " + days(Math.max(0,
                    Duration.between(OffsetDateTime.parse(updated).toInstant(), Instant.now()).toDays())) + " ago";
        } catch (DateTimeParseException e) {
            return "";
        }
    }

    private static String nz(String s) {
        return s == null ? "unknown" : s;
    }
}
