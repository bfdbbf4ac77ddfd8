package dev.dockaudit.cli;

import dev.dockaudit.util.UserError;
import dev.dockaudit.vuln.triage.IgnoreFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from the environment ({@code DOCKAUDIT_FAIL_ON=HIGH}) and the config file ({@code dockaudit.yaml}
 * in the working directory, {@code --config FILE} or {@code $DOCKAUDIT_CONFIG}), keyed by the option's long name.
 * Precedence: command line &gt; environment &gt; file &gt; built-in default; in the file, a command's section
 * ({@code image:}, {@code container:}, {@code db:} …) &gt; top level. Top-level keys apply to every command that has
 * the option and are ignored by the others, so one file can serve all commands.
 *
 * <pre>
 * fail-on: HIGH
 * severity: [CRITICAL, HIGH, MEDIUM]
 * insecure-registry: [localhost:5000]
 * image:
 *   format: json
 * ignore:                      # same entries as .dockauditignore, applied after it
 *   - id: CVE-2021-36159
 *     reason: apk is not run in production
 * </pre>
 *
 * Every key and value is checked when the file is read, against the options of the command it applies to, so a
 * typo is an error naming the line rather than a default silently not applied. Nothing here runs (and YAML is not
 * loaded) when there is no file and no DOCKAUDIT_* variable for an option: most runs pay nothing.
 */
final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
    static final String FILE_NAME = "dockaudit.yaml";
    static final String CONFIG_ENV = "DOCKAUDIT_CONFIG";
    private static final String ENV_PREFIX = "DOCKAUDIT_";
    /** DOCKAUDIT_* variables that are not option defaults. */
    private static final Set<String> OTHER_ENV = Set.of("DOCKAUDIT_DEBUG", "DOCKAUDIT_DB_SOURCE", CONFIG_ENV);

    /** A value from the file: scalars as text (a list as its items), with the line it is on. */
    record Value(List<String> items, boolean list, int line) {
        String joined() {
            return String.join(",", items);
        }
    }

    private final Map<String, String> env;
    private final String fileName;
    private final Map<String, Value> top;
    private final Map<String, Map<String, Value>> sections;
    private final IgnoreFile ignore;

    private ConfigDefaults(Map<String, String> env, String fileName, Map<String, Value> top,
                           Map<String, Map<String, Value>> sections, IgnoreFile ignore) {
        this.env = env;
        this.fileName = fileName;
        this.top = top;
        this.sections = sections;
        this.ignore = ignore;
    }

    /**
     * The defaults for this run, or null when there is no config file and no DOCKAUDIT_* variable (the common
     * case, which must stay cheap: a Files.exists and a scan of the environment).
     *
     * @param explicit  --config's value, or null
     * @param running   the command being run (its options are what env and file values are checked against)
     * @param allSpecs  every command by name, built only when a file names something the running command lacks
     */
    static ConfigDefaults load(Path explicit, Map<String, String> env, Path cwd, CommandSpec running,
                               Supplier<Map<String, CommandSpec>> allSpecs) {
        Path file = explicit;
        String name = explicit == null ? null : explicit.toString();
        if (file == null && env.get(CONFIG_ENV) != null && !env.get(CONFIG_ENV).isEmpty()) {
            file = Path.of(env.get(CONFIG_ENV));
            name = file.toString();
        }
        boolean named = file != null;
        if (file == null) {
            Path p = cwd.resolve(FILE_NAME);
            if (Files.exists(p)) {
                file = p;
                name = FILE_NAME;
            }
        }
        boolean anyEnv = false;
        for (String k : env.keySet()) {
            if (k.startsWith(ENV_PREFIX) && !OTHER_ENV.contains(k)) {
                anyEnv = true;
                break;
            }
        }
        if (file == null && !anyEnv) {
            return null;
        }
        Map<String, Value> top = new LinkedHashMap<>();
        Map<String, Map<String, Value>> sections = new LinkedHashMap<>();
        IgnoreFile ignore = null;
        if (file != null) {
            // a class of its own, so that a run without a config file never loads (or verifies against) the YAML parser
            ConfigYaml.Parsed parsed = ConfigYaml.parse(ConfigYaml.read(file, name, named), name);
            top = parsed.top();
            sections = parsed.sections();
            ignore = parsed.ignore();
        }
        ConfigDefaults d = new ConfigDefaults(env, name, top, sections, ignore);
        if (running != null) {
            d.check(running, allSpecs);
        }
        return d;
    }

    /** The config file's {@code ignore:} rules, or null. */
    IgnoreFile ignore() {
        return ignore;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o) || !o.longestName().startsWith("--")) {
            return null;
        }
        // picocli sets a flag to the opposite of its default when given, so a default of true from the file would
        // turn --quiet into "not quiet"; flags are applied after parsing instead (applyFlags)
        return o.arity().max() == 0 ? null : lookup(o);
    }

    /** Sets each flag the command line did not give from the environment or the file (see defaultValue). */
    void applyFlags(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult r = parsed; r != null; r = r.subcommand()) {
            for (OptionSpec o : r.commandSpec().options()) {
                if (o.arity().max() == 0 && !o.usageHelp() && !o.versionHelp() && o.longestName().startsWith("--")
                        && !r.hasMatchedOption(o)) {
                    String v = lookup(o);
                    if (v != null) {
                        o.setValue(Boolean.parseBoolean(v.strip()));
                    }
                }
            }
        }
    }

    /** The option's value from the environment, else the command's section, else the file's top level; or null. */
    private String lookup(OptionSpec o) {
        String key = o.longestName().substring(2);
        if (key.equals("config") || key.equals("help") || key.equals("version")) {
            return null;
        }
        String fromEnv = env.get(envName(key));
        if (fromEnv != null) {
            return fromEnv;
        }
        String section = section(o.command());
        Map<String, Value> s = section == null ? null : sections.get(section);
        Value v = s == null ? null : s.get(key);
        if (v == null) {
            v = top.get(key);
        }
        return v == null ? null : v.joined();
    }

    static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The top-level command a command belongs to ("db" for db update), or null for the root. */
    private static String section(CommandSpec c) {
        if (c == null || c.parent() == null) {
            return null;
        }
        while (c.parent() != null && c.parent().parent() != null) {
            c = c.parent();
        }
        return c.name();
    }

    // ---- checking ----

    /** Checks env values for the running command's options, and every key and value of the file. */
    private void check(CommandSpec running, Supplier<Map<String, CommandSpec>> allSpecs) {
        for (OptionSpec o : running.options()) {
            String key = o.longestName().startsWith("--") ? o.longestName().substring(2) : null;
            String value = key == null ? null : env.get(envName(key));
            if (value != null && !key.equals("config")) {
                String problem = problem(o, List.of(value.split(",", -1)), false, value);
                if (problem != null) {
                    throw new UserError(envName(key) + ": " + problem + " (from the environment; unset it or fix the value)");
                }
            }
        }
        if (top.isEmpty() && sections.isEmpty()) {
            return;
        }
        Map<String, CommandSpec> all = null;
        for (Map.Entry<String, Value> e : top.entrySet()) {
            OptionSpec o = option(running, e.getKey());
            if (o == null) {
                if (all == null) {
                    all = allSpecs.get();
                }
                for (CommandSpec c : all.values()) {
                    o = o != null ? o : deepOption(c, e.getKey());
                }
            }
            // the whole command tree (reflection over every command) is built only for keys the running command lacks
            checkValue(e.getKey(), e.getValue(), o, allSpecs);
        }
        CommandSpec runningTop = running;
        while (runningTop.parent() != null && runningTop.parent().parent() != null) {
            runningTop = runningTop.parent();
        }
        for (Map.Entry<String, Map<String, Value>> s : sections.entrySet()) {
            CommandSpec c;
            if (runningTop.parent() != null && s.getKey().equals(runningTop.name())) {
                c = runningTop; // this run's own section: no need for the other commands
            } else {
                if (all == null) {
                    all = allSpecs.get();
                }
                c = all.get(s.getKey());
            }
            for (Map.Entry<String, Value> e : s.getValue().entrySet()) {
                Map<String, CommandSpec> scope = Map.of(s.getKey(), c);
                checkValue(e.getKey(), e.getValue(), deepOption(c, e.getKey()), () -> scope);
            }
        }
    }

    private void checkValue(String key, Value v, OptionSpec o, Supplier<Map<String, CommandSpec>> scope) {
        if (o == null || key.equals("config")) {
            String hint = suggestion(key, scope.get());
            throw new UserError(where(v.line()) + ": unknown key '" + key + "'" + (hint == null ? ""
                    : " (did you mean " + hint + "?)"));
        }
        String problem = problem(o, v.items(), v.list(), null);
        if (problem != null) {
            throw new UserError(where(v.line()) + ": " + key + ": " + problem);
        }
    }

    private String where(int line) {
        return fileName + " line " + line;
    }

    private static OptionSpec option(CommandSpec c, String key) {
        return c == null ? null : c.findOption("--" + key);
    }

    /** The option in a command or any of its subcommands (a db: section serves db update and db status). */
    private static OptionSpec deepOption(CommandSpec c, String key) {
        if (c == null) {
            return null;
        }
        OptionSpec o = option(c, key);
        for (CommandLine sub : c.subcommands().values()) {
            o = o != null ? o : deepOption(sub.getCommandSpec(), key);
        }
        return o;
    }

    /** Why a value does not suit the option, or null when it does. */
    private static String problem(OptionSpec o, List<String> items, boolean isList, String raw) {
        boolean flag = o.arity().max() == 0;
        if (isList && !o.isMultiValue()) {
            return "expects one value, not a list";
        }
        if (flag) {
            String v = items.size() == 1 ? items.get(0).strip().toLowerCase(Locale.ROOT) : "";
            return v.equals("true") || v.equals("false") ? null : "'" + (raw != null ? raw : String.join(",", items))
                    + "' is not true or false";
        }
        Class<?> type = o.isMultiValue() && o.auxiliaryTypes().length > 0 ? o.auxiliaryTypes()[0] : o.type();
        for (String item : items) {
            try {
                if (o.converters() != null && o.converters().length > 0) {
                    o.converters()[0].convert(item);
                } else if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
                    Long.parseLong(item.strip());
                } else if (type.isEnum()) {
                    boolean found = false;
                    for (Object c : type.getEnumConstants()) {
                        found |= ((Enum<?>) c).name().equalsIgnoreCase(item.strip());
                    }
                    if (!found) {
                        return "'" + item + "' is not one of " + String.join(", ", java.util.Arrays.stream(type.getEnumConstants())
                                .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).toList());
                    }
                } else if (item.isEmpty()) {
                    return "needs a value";
                }
            } catch (NumberFormatException e) {
                return "'" + item + "' is not a number";
            } catch (Exception e) {
                return e.getMessage() == null ? "'" + item + "' is not valid here" : e.getMessage();
            }
        }
        return null;
    }

    /** The closest known name within two edits, for "did you mean". */
    private static String suggestion(String key, Map<String, CommandSpec> scope) {
        Set<String> names = new TreeSet<>();
        names.add("ignore");
        for (Map.Entry<String, CommandSpec> c : scope.entrySet()) {
            names.add(c.getKey());
            collect(c.getValue(), names);
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String n : names) {
            int d = distance(key, n);
            if (d < bestDistance) {
                best = n;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 4) ? best : null;
    }

    private static void collect(CommandSpec c, Set<String> names) {
        if (c == null) {
            return;
        }
        for (OptionSpec o : c.options()) {
            if (o.longestName().startsWith("--") && !o.usageHelp() && !o.versionHelp()) {
                names.add(o.longestName().substring(2));
            }
        }
        for (CommandLine sub : c.subcommands().values()) {
            collect(sub.getCommandSpec(), names);
        }
    }

    /** Optimal string alignment distance: a swapped pair of letters ("fial") counts as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

}
