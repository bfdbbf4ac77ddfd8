package dev.dockaudit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real containers on the test dockerd or Podman, made with the engine's own CLI, for the runtime audit's
 * integration tests: each name starts with {@code da-rt-RUN-} (other suites share the daemons), every command is a
 * long sleep of the Alpine minirootfs, and {@link #close} removes the containers and images it made.
 */
public final class RuntimeContainers implements AutoCloseable {
    /** The Alpine 3.18.9 minirootfs the images are imported from. */
    public static final String ROOTFS = "src/test/resources/realdata/images/alpine-minirootfs-3.18.9-x86_64.tar.gz";

    private final boolean podman;
    private final String host;
    private final String prefix = "da-rt-" + TestImages.RUN + "-";
    private final Map<String, String> env = new HashMap<>();
    private final List<String> containers = new ArrayList<>();
    private final List<String> images = new ArrayList<>();
    private final List<String> cgroupParents = new ArrayList<>();

    private RuntimeContainers(boolean podman) {
        this.podman = podman;
        if (podman) {
            host = ItEnv.podmanHost();
            env.putAll(Tools.podmanEnv());
        } else {
            host = ItEnv.dockerHost();
            env.put("DOCKER_HOST", host);
            env.put("DOCKER_CONFIG", TestImages.tempDir("rt-docker-config").toString());
        }
    }

    public static RuntimeContainers docker() {
        return new RuntimeContainers(false);
    }

    public static RuntimeContainers podman() {
        return new RuntimeContainers(true);
    }

    /** The engine's API address (what --docker-host gets). */
    public String host() {
        return host;
    }

    public String socket() {
        return host.replaceFirst("^unix://", "");
    }

    public String prefix() {
        return prefix;
    }

    public boolean isPodman() {
        return podman;
    }

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        if (podman) {
            cmd.add("podman");
            // crun refuses cgroup v1 with a cgroup2 mount beside it (this VM); runc works (scripts/test-env sets it too)
            if (Files.isExecutable(Path.of("/usr/sbin/runc")) || Files.isExecutable(Path.of("/usr/bin/runc"))) {
                cmd.add("--runtime");
                cmd.add("runc");
            }
        } else {
            cmd.add(ItEnv.dockerCli());
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    public String run(String... args) throws IOException, InterruptedException {
        return Processes.check(command(args), env);
    }

    public Cli.Result tryRun(String... args) throws IOException, InterruptedException {
        return Processes.run(command(args), env, 300, TimeUnit.SECONDS);
    }

    /** Runs another docker CLI binary (the 28 one) against the same daemon. */
    public Cli.Result tryRunWith(String cli, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(cli));
        cmd.addAll(List.of(args));
        return Processes.run(cmd, env, 300, TimeUnit.SECONDS);
    }

    /** Imports the minirootfs as {@code da-rt-RUN-NAME:1}, with Dockerfile-style changes (e.g. "ENV A=1"). */
    public String image(String name, String... changes) throws IOException, InterruptedException {
        String ref = prefix + name + ":1";
        List<String> args = new ArrayList<>(List.of("import"));
        for (String c : changes) {
            args.add("--change");
            args.add(c);
        }
        args.add(Cli.project(ROOTFS).toString());
        args.add(ref);
        run(args.toArray(new String[0]));
        images.add(ref);
        return ref;
    }

    /** {@code run -d --name da-rt-RUN-NAME FLAGS… IMAGE COMMAND…}; the command defaults to a long sleep. */
    public String start(String name, List<String> flags, String image, String... command) throws IOException, InterruptedException {
        return make("run", name, flags, image, command);
    }

    /** {@code create} instead of {@code run}: a container that exists but never ran. */
    public String create(String name, List<String> flags, String image, String... command) throws IOException, InterruptedException {
        return make("create", name, flags, image, command);
    }

    private String make(String verb, String name, List<String> flags, String image, String... command)
            throws IOException, InterruptedException {
        String full = prefix + name;
        List<String> args = new ArrayList<>(List.of(verb));
        if (verb.equals("run")) {
            args.add("-d");
        }
        args.add("--name");
        args.add(full);
        args.addAll(flags);
        for (int i = 0; i < flags.size(); i++) {
            if (flags.get(i).equals("--cgroup-parent") && i + 1 < flags.size()) {
                cgroupParents.add(flags.get(i + 1));
            }
        }
        args.add(image);
        if (command.length == 0) {
            args.addAll(List.of("sleep", "3600"));
        } else {
            args.addAll(List.of(command));
        }
        containers.add(full);
        Cli.Result r = tryRun(args.toArray(new String[0]));
        if (r.exitCode() != 0) {
            String hint = r.err().contains("unable to apply caps") ? "\nThis daemon cannot give a container capabilities"
                    + " the host's bounding set lacks (/proc/self/status CapBnd) and was started without the runc wrapper"
                    + " scripts/test-env installs for that case: start the test servers with scripts/test-env." : "";
            throw new AssertionError((podman ? "podman " : "docker ") + String.join(" ", args) + " failed:\n" + r + hint);
        }
        return full;
    }

    /** Registers a container made some other way (the API, another CLI) for removal. */
    public void remember(String container) {
        containers.add(container);
    }

    /** {@code inspect NAME} (the first element). */
    public JsonNode inspect(String name) throws IOException, InterruptedException {
        return Json.parse(run("inspect", name).getBytes(StandardCharsets.UTF_8), "inspect").get(0);
    }

    /** Waits until a container's health status is {@code status}; fails after {@code seconds}. */
    public void awaitHealth(String name, String status, int seconds) throws IOException, InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        String now = null;
        while (System.nanoTime() < end) {
            now = inspect(name).path("State").path("Health").path("Status").asText("");
            if (now.equals(status)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " did not become " + status + " in " + seconds + " s (it is " + now + ")");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (!containers.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("rm", "-f"));
            args.addAll(containers);
            tryRun(args.toArray(new String[0]));
        }
        if (!images.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("rmi", "-f"));
            args.addAll(images);
            tryRun(args.toArray(new String[0]));
        }
        // --cgroup-parent leaves its (now empty) cgroup behind in every v1 hierarchy
        for (String parent : cgroupParents) {
            try (var dirs = Files.list(Path.of("/sys/fs/cgroup"))) {
                for (Path hierarchy : dirs.toList()) {
                    Path p = hierarchy.resolve(parent.replaceFirst("^/", ""));
                    if (Files.isDirectory(p)) {
                        try (var children = Files.list(p)) {
                            for (Path c : children.filter(Files::isDirectory).toList()) {
                                c.toFile().delete();
                            }
                        }
                        p.toFile().delete();
                    }
                }
            } catch (IOException e) {
                // best effort: an empty cgroup is harmless
            }
        }
    }
}
