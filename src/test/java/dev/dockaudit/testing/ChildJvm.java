package dev.dockaudit.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Like {@link Cli#runJar}, with JVM options (system properties such as
 * {@code -Ddockaudit.registry.timeoutMillis=1500}) for the child. JAVA_TOOL_OPTIONS would do the same but
 * makes the JVM print "Picked up JAVA_TOOL_OPTIONS" on stderr, which breaks the one-error-line checks.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    public static Cli.Result runJar(Map<String, String> env, List<String> jvmOptions, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(Cli.jar().toString());
        cmd.addAll(List.of(args));
        return Processes.run(cmd, env, timeoutSeconds, TimeUnit.SECONDS);
    }
}
