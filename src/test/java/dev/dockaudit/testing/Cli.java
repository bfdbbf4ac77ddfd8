package dev.dockaudit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.cli.Main;
import dev.dockaudit.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs dockaudit in-process (fast) or as the real jar in a child JVM (for environment and launcher behaviour). */
public final class Cli {
    private Cli() {
    }

    /** What one run printed and returned. */
    public record Result(int exitCode, String out, String err) {
        public JsonNode json() {
            return Json.parse(out.getBytes(StandardCharsets.UTF_8), "dockaudit's JSON output");
        }

        /** The single error line dockaudit prints for bad input. */
        public String errorLine() {
            return err.strip();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    public static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs the shaded jar in a fresh JVM with extra environment variables; fails the test after {@code timeoutSeconds}. */
    public static Result runJar(Map<String, String> env, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return Processes.run(cmd, env, timeoutSeconds, TimeUnit.SECONDS);
    }

    public static Path jar() {
        String p = System.getProperty("dockaudit.jar");
        if (p == null) {
            p = Path.of(basedir().toString(), "target", "dockaudit.jar").toString();
        }
        return Path.of(p);
    }

    public static Path basedir() {
        return Path.of(System.getProperty("dockaudit.basedir", System.getProperty("user.dir")));
    }

    /** A file under the project (e.g. examples/...). */
    public static Path project(String relative) {
        return basedir().resolve(relative);
    }
}
