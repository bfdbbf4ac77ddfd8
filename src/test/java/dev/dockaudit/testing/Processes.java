package dev.dockaudit.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs external programs (docker, podman, skopeo, the jar) with a timeout, capturing their output. */
public final class Processes {
    private Processes() {
    }

    public static Cli.Result run(List<String> cmd, Map<String, String> env, long timeout, TimeUnit unit)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread to = pump(p.getInputStream(), out);
        Thread te = pump(p.getErrorStream(), err);
        if (!p.waitFor(timeout, unit)) {
            p.destroyForcibly();
            throw new AssertionError("timed out after " + timeout + " " + unit + ": " + String.join(" ", cmd)
                    + "\nstdout so far: " + out + "\nstderr so far: " + err);
        }
        to.join();
        te.join();
        return new Cli.Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs and fails the test when the command fails. */
    public static String check(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        Cli.Result r = run(cmd, env, 300, TimeUnit.SECONDS);
        if (r.exitCode() != 0) {
            throw new AssertionError("command failed: " + String.join(" ", cmd) + "\n" + r);
        }
        return r.out();
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(sink);
            } catch (IOException e) {
                // process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }
}
