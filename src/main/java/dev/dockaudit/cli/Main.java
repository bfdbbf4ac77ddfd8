package dev.dockaudit.cli;

import dev.dockaudit.report.ToolInfo;
import dev.dockaudit.util.UserError;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The dockaudit command line: parses arguments, runs one command, and maps every failure to exit code 2. */
@Command(name = "dockaudit", versionProvider = Main.Version.class, mixinStandardHelpOptions = true,
        description = "Audits Docker/OCI images and running containers.",
        footerHeading = "%nExamples:%n",
        footer = {"  dockaudit image alpine:3.20 --fail-on HIGH",
                "  dockaudit vulns docker-archive:app.tar --format json -o vulns.json",
                "  dockaudit container --all",
                "  source <(dockaudit completion bash)",
                "",
                "Exit codes: 0 done; 1 a finding at or above --fail-on, or a failed verification",
                "(digests, trust); 2 usage or input error.",
                "",
                "Defaults: any option by its long name in dockaudit.yaml (working directory,",
                "--config FILE or $DOCKAUDIT_CONFIG), at the top level or in a section per",
                "command (image:, container:, db: ...), plus an ignore: list shaped like",
                ".dockauditignore; or in DOCKAUDIT_<NAME> variables (DOCKAUDIT_FAIL_ON=HIGH,",
                "lists comma-separated). Precedence: command line > environment > config",
                "file > built-in default. NO_COLOR (non-empty) turns colour off unless",
                "--color always."})
public final class Main implements Runnable {
    @CommandLine.Option(names = "--config", paramLabel = "FILE",
            description = "Option defaults (YAML; default ./dockaudit.yaml if present, or $DOCKAUDIT_CONFIG).")
    java.nio.file.Path config;

    public static final int EXIT_OK = 0;
    public static final int EXIT_FINDINGS = 1;
    public static final int EXIT_ERROR = 2;

    /** The commands, in the order help lists them. */
    static final java.util.Map<String, Class<?>> COMMANDS = commands();

    private static java.util.Map<String, Class<?>> commands() {
        java.util.Map<String, Class<?>> m = new java.util.LinkedHashMap<>();
        m.put("image", ImageCommand.class);
        m.put("digests", DigestsCommand.class);
        m.put("trust", TrustCommand.class);
        m.put("vulns", VulnsCommand.class);
        m.put("inspect", InspectCommand.class);
        m.put("packages", PackagesCommand.class);
        m.put("sbom", SbomCommand.class);
        m.put("history", HistoryCommand.class);
        m.put("container", ContainerCommand.class);
        m.put("db", DbCommand.class);
        m.put("version", VersionCommand.class);
        m.put("completion", CompletionCommand.class);
        return m;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "no command given; try: dockaudit image REF");
    }

    public static void main(String[] args) {
        warmUpInBackground();
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /**
     * Every report is written with Jackson, whose first use costs tens of milliseconds of class loading and
     * initialisation; doing it on a second core while the main thread parses arguments and reads the image
     * takes it off the critical path of a short CLI run.
     */
    private static void warmUpInBackground() {
        Thread t = new Thread(() -> {
            try {
                dev.dockaudit.util.Json.MAPPER.writeValueAsBytes(dev.dockaudit.util.Json.MAPPER.createObjectNode().put("warm", 1));
            } catch (java.io.IOException | RuntimeException e) {
                // only a warm-up: the real use reports any problem
            }
        }, "dockaudit-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** Runs the CLI with the given streams; the tests call this in-process. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        // whether fd 1 is a terminal says nothing about a stream a caller captures
        return run(args, out, err, out == System.out ? Console.system() : Console.pipe(System.getenv()));
    }

    /** Runs the CLI in a given environment and terminal (tests: a pipe, a terminal of N columns, DOCKAUDIT_* values). */
    public static int run(String[] args, PrintStream out, PrintStream err, Console console) {
        String first = firstWord(args);
        if (first != null && !COMMANDS.containsKey(first) && !first.equals("help")) {
            err.println("dockaudit: error: unknown command '" + first + "'; use one of: " + String.join(", ", COMMANDS.keySet())
                    + " (see dockaudit --help)");
            return EXIT_ERROR;
        }
        CommandLine cl = new CommandLine(new Main());
        addCommands(cl, first, first == null && args.length == 1 && (args[0].equals("--version") || args[0].equals("-V")));
        ConfigDefaults defaults;
        try {
            defaults = ConfigDefaults.load(configPath(args), console.env(), java.nio.file.Path.of("").toAbsolutePath(),
                    running(cl, args, first), ALL_COMMAND_SPECS);
        } catch (UserError e) {
            err.println("dockaudit: error: " + oneLine(e.getMessage()));
            return EXIT_ERROR;
        }
        if (defaults != null) {
            cl.setDefaultValueProvider(defaults);
            cl.setExecutionStrategy(new CommandLine.IExecutionStrategy() {
                @Override
                public int execute(CommandLine.ParseResult parsed) {
                    defaults.applyFlags(parsed);
                    return new CommandLine.RunLast().execute(parsed);
                }
            });
        }
        inject(cl, console, defaults == null ? null : defaults.ignore());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true); // asked of the terminal only when help is printed
        cl.setUsageHelpWidth(helpWidth(System.getenv("COLUMNS"))); // when the terminal cannot be asked (a pipe)
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("dockaudit: error: " + oneLine(ex.getMessage()) + " (see dockaudit "
                    + (ex.getCommandLine().getCommandName().equals("dockaudit") ? "" : ex.getCommandLine().getCommandName() + " ")
                    + "--help)");
            return EXIT_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            err.println("dockaudit: error: " + oneLine(describe(ex)));
            if (System.getenv("DOCKAUDIT_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            return EXIT_ERROR;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("dockaudit: error: out of memory; raise the heap with JAVA_OPTS=-Xmx… and report the image that caused it");
            return EXIT_ERROR;
        }
    }

    /**
     * The contract is one error line; messages quote names from the image (tags, paths, JSON snippets), and a
     * newline or ESC there would break scripts that read the line or let the image drive the terminal.
     */
    static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s == null ? 0 : s.length());
        for (int i = 0; s != null && i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || (c >= 0x7f && c <= 0x9f) ? '?' : c);
        }
        return b.toString();
    }

    /**
     * picocli builds every registered command's model by reflection up front, which costs a CLI's start-up
     * about as much as reading a small image. A run names one command, so only that one is registered; help,
     * no command, or an unknown one gets them all (help lists them; errors suggest them).
     */
    private static String firstWord(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config")) {
                i++; // its value is a file, not the command
            } else if (!args[i].startsWith("-")) {
                return args[i];
            }
        }
        return null;
    }

    /**
     * --config's value, read before picocli parses: the defaults it holds must be in place when parsing starts.
     * picocli still parses the option itself (it is declared on every command), for help and for errors.
     */
    static java.nio.file.Path configPath(String[] args) {
        java.nio.file.Path p = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].equals("--config") && i + 1 < args.length) {
                p = java.nio.file.Path.of(args[++i]);
            } else if (args[i].startsWith("--config=")) {
                p = java.nio.file.Path.of(args[i].substring("--config=".length()));
            }
        }
        return p;
    }

    /** The command the arguments run (db update, not db), whose options env and config values are checked against. */
    private static CommandLine.Model.CommandSpec running(CommandLine root, String[] args, String first) {
        CommandLine c = first == null ? null : root.getSubcommands().get(first);
        if (c == null) {
            return root.getCommandSpec();
        }
        boolean past = false;
        for (String a : args) {
            if (!past) {
                past = a.equals(first);
                continue;
            }
            if (!a.startsWith("-") && c.getSubcommands().containsKey(a)) {
                return c.getSubcommands().get(a).getCommandSpec();
            }
        }
        return c.getCommandSpec();
    }

    /** An anonymous class, not a method reference: bootstrapping the first lambda costs a short run milliseconds. */
    private static final java.util.function.Supplier<java.util.Map<String, CommandLine.Model.CommandSpec>> ALL_COMMAND_SPECS =
            new java.util.function.Supplier<>() {
                @Override
                public java.util.Map<String, CommandLine.Model.CommandSpec> get() {
                    return allCommandSpecs();
                }
            };

    /** Every command's model, for checking a config file's keys; built only when a file needs it. */
    static java.util.Map<String, CommandLine.Model.CommandSpec> allCommandSpecs() {
        CommandLine all = fullCommandLine();
        java.util.Map<String, CommandLine.Model.CommandSpec> m = new java.util.LinkedHashMap<>();
        all.getSubcommands().forEach((name, c) -> {
            if (COMMANDS.containsKey(name)) {
                m.put(name, c.getCommandSpec());
            }
        });
        return m;
    }

    /** The whole command tree (completion scripts and config checks need every command, a normal run only one). */
    static CommandLine fullCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        addCommands(cl, null);
        return cl;
    }

    /** Hands the environment and the config's ignore rules to the commands that use them. */
    private static void inject(CommandLine cl, Console console, dev.dockaudit.vuln.triage.IgnoreFile ignore) {
        Object o = cl.getCommand();
        if (o instanceof ImageCommandBase c) {
            c.console = console;
            c.configIgnore = ignore;
        } else if (o instanceof ContainerCommand c) {
            c.console = console;
            c.configIgnore = ignore;
        } else if (o instanceof VersionCommand c) {
            c.console = console;
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            inject(sub, console, ignore);
        }
    }

    private static void addCommands(CommandLine cl, String first) {
        addCommands(cl, first, false);
    }

    /** {@code versionOnly}: dockaudit --version, which needs no command model at all. */
    private static void addCommands(CommandLine cl, String first, boolean versionOnly) {
        if (versionOnly) {
            return;
        }
        Class<?> only = first == null ? null : COMMANDS.get(first);
        for (java.util.Map.Entry<String, Class<?>> e : COMMANDS.entrySet()) {
            if (only == null || e.getValue() == only) {
                cl.addSubcommand(e.getKey(), e.getValue());
            }
        }
        if (only == null) {
            cl.addSubcommand("help", new CommandLine.HelpCommand());
        }
    }

    /** $COLUMNS as the tables use it, within what picocli lays out well (55 to 160); 80 without it. */
    static int helpWidth(String columns) {
        try {
            return columns == null ? 80 : Math.max(55, Math.min(160, Integer.parseInt(columns.strip())));
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    static String describe(Throwable ex) {
        if (ex instanceof UserError) {
            return ex.getMessage();
        }
        if (ex instanceof OutOfMemoryError) {
            return "out of memory; raise the heap with JAVA_OPTS=-Xmx… and report the image that caused it";
        }
        if (ex instanceof java.io.IOException) {
            return "I/O failure: " + ex.getMessage() + "; check the file or connection and retry";
        }
        return "internal error (" + ex + "); please report it with DOCKAUDIT_DEBUG=1 output";
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {ToolInfo.NAME + " " + ToolInfo.VERSION, VulnDataInfo.describe()};
        }
    }
}
