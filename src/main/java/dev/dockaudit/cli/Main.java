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
        subcommands = {ImageCommand.class, DigestsCommand.class, PackagesCommand.class, SbomCommand.class, DbCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 done; 1 a finding at or above --fail-on, or a failed verification (digests);"
                + " 2 usage or input error."})
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FINDINGS = 1;
    public static final int EXIT_ERROR = 2;

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
        CommandLine cl = new CommandLine(new Main());
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
            return new String[] {ToolInfo.NAME + " " + ToolInfo.VERSION};
        }
    }
}
