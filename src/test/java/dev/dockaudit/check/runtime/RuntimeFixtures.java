package dev.dockaudit.check.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The Engine API answers recorded from real dockerd and Podman (src/test/resources/runtime, see PROVENANCE.md) as
 * the facts the checks read. Secret placeholders are filled with values generated at run time.
 */
final class RuntimeFixtures {
    static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final Random RANDOM = new Random(6);
    /** A fake AWS secret access key and GitHub token, assembled here so no source file holds one. */
    static final String AWS_SECRET = random(ALNUM + "/+", 40);
    static final String GITHUB_TOKEN = "ghp" + "_" + random(ALNUM, 36);

    private RuntimeFixtures() {
    }

    static String random(String alphabet, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    static String text(String path) {
        try (InputStream in = RuntimeFixtures.class.getResourceAsStream("/runtime/" + path)) {
            if (in == null) {
                return null;
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@AWS_SECRET@", AWS_SECRET)
                    .replace("@GITHUB_TOKEN@", GITHUB_TOKEN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String path) {
        String t = text(path);
        if (t == null) {
            throw new AssertionError("no fixture runtime/" + path);
        }
        return Json.parse(t.getBytes(StandardCharsets.UTF_8), path);
    }

    /** A container as the audit would fetch it: inspect, process list, exec sessions, Podman's create command. */
    static ContainerFacts container(String engine, String name) {
        String dir = engine.equals("Podman") ? "podman/" : "docker/";
        JsonNode inspect = json(dir + name + ".json");
        String top = text(dir + name + ".top.json");
        List<String> processes = top == null ? null
                : ContainerFacts.commands(Json.parse(top.getBytes(StandardCharsets.UTF_8), "top"));
        List<JsonNode> execs = new ArrayList<>();
        inspect.path("ExecIDs").forEach(id -> execs.add(json(dir + "exec-" + id.asText() + ".json")));
        List<String> create = null;
        String libpod = text(dir + "libpod-" + name + ".json");
        if (libpod != null) {
            create = new ArrayList<>();
            for (JsonNode a : Json.parse(libpod.getBytes(StandardCharsets.UTF_8), "libpod").path("Config").path("CreateCommand")) {
                create.add(a.asText());
            }
        }
        List<String> imageEnv = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        return new ContainerFacts(inspect, engine, processes, execs, create, imageEnv);
    }

    static DaemonFacts daemon(String engine) {
        String dir = engine.equals("Podman") ? "podman/" : "docker/";
        Set<String> bridges = engine.equals("Podman") ? Set.of("podman") : Set.of();
        return DaemonFacts.of(engine, "1.41", engine.equals("Podman") ? "unix:///tmp/da-rt/podman.sock"
                : "unix:///tmp/da-rt/docker.sock", json(dir + "info.json"), json(dir + "version.json"), bridges);
    }
}
