package dev.dockaudit.cli;

import dev.dockaudit.report.TextStyle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the command line runs in: the environment, whether stdout is a terminal and how wide that terminal is.
 * Commands take it from here rather than asking the JVM, so a test can run them as if on a terminal or a pipe.
 *
 * @param env             environment variables (DOCKAUDIT_*, NO_COLOR, COLUMNS, TERM …)
 * @param stdoutTerminal  whether stdout is a terminal
 * @param columns         the terminal's width; {@link #ASK} to ask the terminal (stty) when needed, 0 when unknown
 */
public record Console(Map<String, String> env, boolean stdoutTerminal, int columns) {
    /** The width of a pipe or file: what CI logs show without wrapping. */
    public static final int PIPE_WIDTH = 120;

    /** {@code columns} for the real terminal: asked of stty, and only when a table goes to it. */
    public static final int ASK = -1;

    /** What commands see until Main gives them the real one. No lambdas here: each costs start-up time. */
    static final Console NONE = new Console(Map.of(), false, 0);

    /** The real process: System.getenv(), fd 1, and stty for the size. */
    public static Console system() {
        return new Console(System.getenv(), isTerminal(1), ASK);
    }

    /** A pipe (tests, scripts): no colour unless asked, 120 columns unless COLUMNS says otherwise. */
    public static Console pipe(Map<String, String> env) {
        return new Console(env, false, 0);
    }

    /** A terminal of the given width. */
    public static Console terminal(Map<String, String> env, int columns) {
        return new Console(env, true, columns);
    }

    /**
     * How a table report is laid out. Colour: --color always/never decides; with auto (the default), a non-empty
     * NO_COLOR (no-color.org) or TERM=dumb turns it off, else it is on when the report goes to a terminal.
     * Width: COLUMNS when set, else the terminal's, else 120; a file gets 120.
     */
    public TextStyle style(ColorMode mode, boolean toStdout) {
        boolean terminal = toStdout && stdoutTerminal;
        boolean colour = switch (mode == null ? ColorMode.AUTO : mode) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> terminal && isEmpty(env.get("NO_COLOR")) && !"dumb".equals(env.get("TERM"));
        };
        int width = PIPE_WIDTH;
        if (toStdout) {
            int fromEnv = positive(env.get("COLUMNS"));
            if (fromEnv > 0) {
                width = fromEnv;
            } else if (terminal) {
                int real = columns == ASK ? sttyColumns() : columns;
                width = real > 0 ? real : PIPE_WIDTH;
            }
        }
        return new TextStyle(width, colour);
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    private static int positive(String s) {
        if (s == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(s.strip());
            return Math.max(n, 0);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Linux names a terminal fd's target /dev/pts/N or /dev/ttyN; elsewhere System.console() is the best guess. */
    static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return fd == 1 && System.console() != null;
        }
    }

    /**
     * The terminal's columns from {@code stty size}, reading the controlling terminal. Java has no ioctl, and this
     * costs a process start (~10 ms), so it runs only when stdout is a terminal and COLUMNS is not set; a hung or
     * missing stty gives up after half a second.
     */
    static int sttyColumns() {
        if (!Files.exists(Path.of("/dev/tty"))) {
            return 0;
        }
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new java.io.File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(500, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return 0;
            }
            String[] parts = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
                    .strip().split("\\s+");
            return parts.length == 2 ? positive(parts[1]) : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
