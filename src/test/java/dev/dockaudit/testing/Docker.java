package dev.dockaudit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The real docker CLI against the test daemon: builds the tests' images and gives the reference answers. */
public final class Docker {
    private final String host;
    private final Map<String, String> env = new HashMap<>();

    public Docker(String host, Path dockerConfig) {
        this.host = host;
        env.put("DOCKER_HOST", host);
        env.put("DOCKER_BUILDKIT", "0");
        if (dockerConfig != null) {
            env.put("DOCKER_CONFIG", dockerConfig.toString());
        }
    }

    /** The test daemon, with the caller's own docker config folder (logins). */
    public static Docker testDaemon(Path dockerConfig) {
        return new Docker(ItEnv.dockerHost(), dockerConfig);
    }

    public String host() {
        return host;
    }

    public String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ItEnv.dockerCli());
        cmd.addAll(List.of(args));
        return Processes.check(cmd, env);
    }

    public Cli.Result tryRun(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ItEnv.dockerCli());
        cmd.addAll(List.of(args));
        return Processes.run(cmd, env, 300, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** {@code docker image inspect NAME} as JSON (the first element). */
    public JsonNode inspectImage(String name) throws IOException, InterruptedException {
        return Json.parse(run("image", "inspect", name).getBytes(StandardCharsets.UTF_8), "docker inspect").get(0);
    }

    /** Logs in to a registry with --password-stdin avoided: the CLI reads the password from the argument. */
    public void login(String registry, String user, String password) throws IOException, InterruptedException {
        run("login", "-u", user, "-p", password, registry);
    }
}
