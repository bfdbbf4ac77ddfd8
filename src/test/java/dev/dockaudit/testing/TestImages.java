package dev.dockaudit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The images the daemon, Podman and archive integration tests share, built once per test JVM on the real test
 * daemon: the official Alpine minirootfs imported with {@code docker import}, and a multi-layer image built on it
 * with RUN, COPY, ENV and a file deleted in a later layer. Every name starts with {@code da-dmn/} (other suites use
 * the same daemon) and carries this JVM's run tag; everything created is removed when the JVM exits.
 */
public final class TestImages {
    /** Unique per test JVM, so two runs never see each other's tags. */
    public static final String RUN = "r" + ProcessHandle.current().pid() + "x" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);

    private static final List<String> created = new ArrayList<>();
    private static final List<Path> tempDirs = new ArrayList<>();
    private static Docker docker;
    private static String base;
    private static String app;
    private static String bracket;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestImages::cleanUp));
    }

    private TestImages() {
    }

    public static synchronized Docker docker() {
        if (docker == null) {
            docker = Docker.testDaemon(tempDir("docker-config"));
        }
        return docker;
    }

    /** The Alpine 3.18.9 minirootfs, {@code docker import}ed: one layer. */
    public static synchronized String base() throws IOException, InterruptedException {
        if (base == null) {
            String name = "da-dmn/base:" + RUN;
            Path tarball = Cli.project("src/test/resources/realdata/images/alpine-minirootfs-3.18.9-x86_64.tar.gz");
            docker().run("import", tarball.toString(), name);
            remember(name);
            base = name;
        }
        return base;
    }

    /** Four layers: the base, a RUN that writes two files, a COPY, and a RUN that deletes one of the first files. */
    public static synchronized String app() throws IOException, InterruptedException {
        if (app == null) {
            String name = "da-dmn/app:" + RUN;
            Path ctx = tempDir("app-context");
            Files.writeString(ctx.resolve("hello.txt"), "hello from " + RUN + "\n");
            Files.writeString(ctx.resolve("Dockerfile"), String.join("\n",
                    "FROM " + base(),
                    "ENV APP_HOME=/opt/app GREETING=\"hi there\"",
                    "RUN mkdir -p /opt/app && echo not-a-real-secret > /opt/app/tmp.key && echo keep > /opt/app/keep.txt",
                    "COPY hello.txt /opt/app/hello.txt",
                    "RUN rm /opt/app/tmp.key",
                    "LABEL org.example.suite=da-dmn",
                    "CMD [\"/bin/sh\"]", ""));
            build(ctx, name);
            app = name;
        }
        return app;
    }

    /**
     * A layer whose tar starts with the entry {@code [data]/} and is larger than 16 MiB: real content that
     * once made the archive reader take the layer for a JSON document and refuse it.
     */
    public static synchronized String bracket() throws IOException, InterruptedException {
        if (bracket == null) {
            String name = "da-dmn/bracket:" + RUN;
            Path ctx = tempDir("bracket-context");
            byte[] big = new byte[17 << 20];
            new java.util.Random(42).nextBytes(big);
            Files.write(ctx.resolve("big.bin"), big);
            Files.writeString(ctx.resolve("Dockerfile"), "FROM " + base() + "\nCOPY big.bin /[data]/big.bin\n");
            build(ctx, name);
            bracket = name;
        }
        return bracket;
    }

    /** Builds {@code ctx} with the legacy builder (the test daemon has no BuildKit) and tags it {@code name}. */
    public static void build(Path ctx, String name) throws IOException, InterruptedException {
        docker().run("build", "-q", "-t", name, ctx.toString());
        remember(name);
    }

    /** {@code docker image inspect}. */
    public static JsonNode inspect(String name) throws IOException, InterruptedException {
        return docker().inspectImage(name);
    }

    /** Registers a docker image reference for removal when the JVM exits. */
    public static synchronized void remember(String name) {
        created.add(name);
    }

    /** A fresh temporary folder, removed when the JVM exits. */
    public static synchronized Path tempDir(String what) {
        try {
            Path d = Files.createTempDirectory("da-dmn-" + what + "-");
            tempDirs.add(d);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code RootFS.Layers} of an inspect answer (docker's and Podman's alike). */
    public static List<String> diffIds(JsonNode inspect) {
        List<String> out = new ArrayList<>();
        inspect.path("RootFS").path("Layers").forEach(n -> out.add(n.asText()));
        return out;
    }

    public static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    /** The diffId of every layer in a dockaudit JSON report. */
    public static List<String> reportDiffIds(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.path("image").path("layers").forEach(l -> out.add(l.path("diffId").asText()));
        return out;
    }

    public static String text(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static synchronized void cleanUp() {
        if (docker != null && !created.isEmpty()) {
            // By ID as well as by name: an image that was pushed keeps its repo digest, and removing only its tags
            // would leave it behind as <none>.
            List<String> cmd = new ArrayList<>(List.of("rmi", "-f"));
            cmd.addAll(created);
            try {
                for (String name : created) {
                    Cli.Result id = docker.tryRun("image", "inspect", "--format", "{{.Id}}", name);
                    if (id.exitCode() == 0 && !id.out().isBlank()) {
                        cmd.add(id.out().strip());
                    }
                }
                docker.tryRun(cmd.toArray(new String[0]));
            } catch (Exception | AssertionError e) {
                // best effort: leftover da-dmn/ images are harmless
            }
        }
        for (Path d : tempDirs) {
            try (Stream<Path> s = Files.walk(d)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
