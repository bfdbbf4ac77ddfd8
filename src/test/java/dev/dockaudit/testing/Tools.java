package dev.dockaudit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The other real tools the tests use for reference answers and real layouts: podman, skopeo, umoci, sh. */
public final class Tools {
    private Tools() {
    }

    /** The podman CLI sharing storage with the test Podman API service. */
    public static String podman(String... args) throws IOException, InterruptedException {
        return Processes.check(cmd("podman", args), podmanEnv());
    }

    public static Map<String, String> podmanEnv() {
        return Map.of("CONTAINERS_CONF", ItEnv.get("DOCKAUDIT_IT_PODMAN_CONF"),
                "CONTAINERS_STORAGE_CONF", ItEnv.get("DOCKAUDIT_IT_PODMAN_STORAGE_CONF"));
    }

    /** {@code podman image inspect NAME} (the first element). */
    public static JsonNode podmanInspect(String name) throws IOException, InterruptedException {
        return Json.parse(podman("image", "inspect", name).getBytes(StandardCharsets.UTF_8), "podman inspect").get(0);
    }

    /** skopeo, reading docker-daemon: references from the test daemon. */
    public static String skopeo(String... args) throws IOException, InterruptedException {
        return Processes.check(cmd("skopeo", args), Map.of());
    }

    public static String umoci(String... args) throws IOException, InterruptedException {
        return Processes.check(cmd("umoci", args), Map.of());
    }

    /** A shell pipeline, e.g. {@code docker save x | gzip > f}, with the test daemon as DOCKER_HOST. */
    public static String sh(String script) throws IOException, InterruptedException {
        return Processes.check(List.of("sh", "-ec", script), Map.of("DOCKER_HOST", ItEnv.dockerHost()));
    }

    private static List<String> cmd(String tool, String... args) {
        List<String> c = new ArrayList<>();
        c.add(tool);
        c.addAll(List.of(args));
        return c;
    }
}
