package dev.dockaudit.check.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.RecordedEngine;
import dev.dockaudit.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Engine API answers recorded from real dockerd and Podman (src/test/resources/runtime, see PROVENANCE.md) as
 * the facts the checks read. Secret placeholders are filled with values generated at run time.
 */
final class RuntimeFixtures {
    /** The generated secrets the "secret" fixtures carry. */
    static final String AWS_SECRET = RecordedEngine.AWS_SECRET;
    static final String GITHUB_TOKEN = RecordedEngine.GITHUB_TOKEN;

    private RuntimeFixtures() {
    }

    static String text(String path) {
        return RecordedEngine.fixture(path);
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
