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
        footer = {"", "Exit codes: 0 done; 1 a finding at or above --fail-on, or a failed verification (digests, trust);"
                + " 2 usage or input error."})
public final class Main implements Runnable {
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
        String first = firstWord(args);
        if (first != null && !COMMANDS.containsKey(first) && !first.equals("help")) {
            err.println("dockaudit: error: unknown command '" + first + "'; use one of: " + String.join(", ", COMMANDS.keySet())
                    + " (see dockaudit --help)");
            return EXIT_ERROR;
        }
        CommandLine cl = new CommandLine(new Main());
        addCommands(cl, first);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
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
        for (String a : args) {
            if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }

    private static void addCommands(CommandLine cl, String first) {
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
