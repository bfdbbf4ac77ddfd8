package dev.dockaudit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A daemon that answers with the Engine API replies recorded from real dockerd and Podman
 * (src/test/resources/runtime, see its PROVENANCE.md), on a unix socket of the test's: /_ping, /info, /version,
 * /networks, /containers/json, each container's inspect, /top, exec sessions and Podman's libpod inspect. Tests
 * change what it says (the API version, a container that is gone, fields left out) to play daemons in trouble.
 */
public final class RecordedEngine implements AutoCloseable {
    public static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final Random RANDOM = new Random(6);
    /** A fake AWS secret access key and GitHub token, assembled at run time so no source file holds one. */
    public static final String AWS_SECRET = random(ALNUM + "/+", 40);
    public static final String GITHUB_TOKEN = "ghp" + "_" + random(ALNUM, 36);

    private final String engine;
    private final String dir;
    private final Map<String, String> nameById = new LinkedHashMap<>();
    private final Map<String, JsonNode> inspectById = new LinkedHashMap<>();
    private final Set<String> gone = ConcurrentHashMap.newKeySet();
    private final EngineProxy server;
    private volatile String pingVersion = "1.41";
    private volatile String maxVersion = null;
    private volatile boolean libpod = true;
    private volatile UnaryOperator<JsonNode> listFilter = UnaryOperator.identity();
    private final Map<String, UnaryOperator<JsonNode>> inspectFilters = new ConcurrentHashMap<>();
    private final Map<String, Integer> inspectStatus = new ConcurrentHashMap<>();

    private RecordedEngine(Path socket, String engine, List<String> names) throws IOException {
        this.engine = engine;
        this.dir = engine.equals("Podman") ? "podman/" : "docker/";
        for (String n : names) {
            JsonNode inspect = json(dir + n + ".json");
            String id = inspect.path("Id").asText();
            nameById.put(id, n);
            inspectById.put(id, inspect);
        }
        server = EngineProxy.fake(socket, this::answer);
    }

    /** A daemon ("Docker" or "Podman") with the recorded containers {@code names} (e.g. "priv", "hardened"). */
    public static RecordedEngine start(Path socket, String engine, List<String> names) throws IOException {
        return new RecordedEngine(socket, engine, names);
    }

    public static String random(String alphabet, int n) {
        StringBuilder b = new StringBuilder();
        synchronized (RANDOM) {
            for (int i = 0; i < n; i++) {
                b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
            }
        }
        return b.toString();
    }

    /** A recorded reply (runtime/PATH), with the secret placeholders filled in; null when there is none. */
    public static String fixture(String path) {
        try (InputStream in = RecordedEngine.class.getResourceAsStream("/runtime/" + path)) {
            if (in == null) {
                return null;
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@AWS_SECRET@", AWS_SECRET)
                    .replace("@GITHUB_TOKEN@", GITHUB_TOKEN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String path) {
        String t = fixture(path);
        if (t == null) {
            throw new AssertionError("no fixture runtime/" + path);
        }
        return Json.parse(t.getBytes(StandardCharsets.UTF_8), path);
    }

    public String dockerHost() {
        return server.dockerHost();
    }

    public EngineProxy server() {
        return server;
    }

    /** The ID of a recorded container. */
    public String id(String name) {
        return nameById.entrySet().stream().filter(e -> e.getValue().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name)).getKey();
    }

    /** What /_ping says the API version is (null: no header, as very old daemons). */
    public RecordedEngine pingVersion(String v) {
        pingVersion = v;
        return this;
    }

    /** Refuse versioned requests above {@code v} as dockerd does ("client version … is too new"). */
    public RecordedEngine maxVersion(String v) {
        maxVersion = v;
        return this;
    }

    /** Whether Podman's /libpod endpoints answer (containers made through the Docker API have no create command). */
    public RecordedEngine libpod(boolean on) {
        libpod = on;
        return this;
    }

    /** The container is gone: its inspect and everything about it answer 404, while the list still has it. */
    public RecordedEngine gone(String name) {
        gone.add(id(name));
        return this;
    }

    public RecordedEngine list(UnaryOperator<JsonNode> f) {
        listFilter = f;
        return this;
    }

    /** Rewrites a container's inspect reply. */
    public RecordedEngine inspect(String name, UnaryOperator<JsonNode> f) {
        inspectFilters.put(id(name), f);
        return this;
    }

    /** Answers a container's inspect with this HTTP status. */
    public RecordedEngine inspectStatus(String name, int status) {
        inspectStatus.put(id(name), status);
        return this;
    }

    private String container(String ref) {
        for (Map.Entry<String, String> e : nameById.entrySet()) {
            if (e.getKey().equals(ref) || e.getValue().equals(ref) || ("da-rt-" + e.getValue()).equals(ref)
                    || (ref.length() >= 6 && e.getKey().startsWith(ref))) {
                return e.getKey();
            }
        }
        return null;
    }

    private EngineProxy.Response answer(EngineProxy.Request r) {
        if (r.path().equals("/_ping")) {
            EngineProxy.Response ok = new EngineProxy.Response(200, new LinkedHashMap<>(), "OK".getBytes(StandardCharsets.UTF_8))
                    .withHeader("Server", engine.equals("Podman") ? "Libpod/4.3.1 (linux)" : "Docker/20.10.24+dfsg1 (linux)");
            return pingVersion == null ? ok : ok.withHeader("Api-Version", pingVersion);
        }
        String v = r.version();
        if (v != null && maxVersion != null && compare(v, maxVersion) > 0) {
            return EngineProxy.Response.json(400, "{\"message\":\"client version " + v
                    + " is too new. Maximum supported API version is " + maxVersion + "\"}");
        }
        String p = r.unversioned();
        String path = p.contains("?") ? p.substring(0, p.indexOf('?')) : p;
        String query = p.contains("?") ? p.substring(p.indexOf('?') + 1) : "";
        if (path.equals("/info")) {
            return ok(json(dir + "info.json"));
        }
        if (path.equals("/version")) {
            return ok(json(dir + "version.json"));
        }
        if (path.equals("/networks/podman") && engine.equals("Podman")) {
            return ok(json("podman/network-podman.json"));
        }
        if (path.equals("/containers/json")) {
            ArrayNode list = Json.MAPPER.createArrayNode();
            for (Map.Entry<String, JsonNode> e : inspectById.entrySet()) {
                JsonNode i = e.getValue();
                String state = i.path("State").path("Status").asText();
                if (!query.contains("all=1") && !state.equals("running")) {
                    continue;
                }
                ObjectNode c = list.addObject();
                c.put("Id", e.getKey());
                c.putArray("Names").add(i.path("Name").asText());
                c.put("Image", i.path("Config").path("Image").asText());
                c.put("ImageID", i.path("Image").asText());
                c.put("State", state);
                if (engine.equals("Podman")) {
                    c.putNull("HostConfig"); // Podman's list leaves it out
                } else {
                    c.putObject("HostConfig").put("NetworkMode", i.path("HostConfig").path("NetworkMode").asText());
                }
            }
            return ok(listFilter.apply(list));
        }
        String[] parts = path.split("/");
        if (parts.length >= 4 && (parts[1].equals("containers") || (parts[1].equals("libpod") && parts[2].equals("containers")))) {
            boolean lib = parts[1].equals("libpod");
            String ref = java.net.URLDecoder.decode(parts[lib ? 3 : 2], StandardCharsets.UTF_8);
            String what = parts[lib ? 4 : 3];
            String id = container(ref);
            if (id == null || gone.contains(id)) {
                return EngineProxy.Response.json(404, "{\"message\":\"No such container: " + ref + "\"}");
            }
            String name = nameById.get(id);
            if (lib) {
                String libpodJson = fixture(dir + "libpod-" + name + ".json");
                return libpod && libpodJson != null ? ok(Json.parse(libpodJson.getBytes(StandardCharsets.UTF_8), "libpod"))
                        : libpod ? ok(inspectById.get(id)) : EngineProxy.Response.json(404, "{\"message\":\"page not found\"}");
            }
            if (what.equals("json")) {
                Integer status = inspectStatus.get(id);
                if (status != null) {
                    return EngineProxy.Response.json(status, "{\"message\":\"recorded failure " + status + "\"}");
                }
                return ok(inspectFilters.getOrDefault(id, UnaryOperator.identity()).apply(inspectById.get(id).deepCopy()));
            }
            if (what.equals("top")) {
                String top = fixture(dir + name + ".top.json");
                return top == null ? EngineProxy.Response.json(409, "{\"message\":\"Container " + id + " is not running\"}")
                        : ok(Json.parse(top.getBytes(StandardCharsets.UTF_8), "top"));
            }
        }
        if (parts.length >= 4 && parts[1].equals("exec")) {
            String exec = fixture(dir + "exec-" + parts[2] + ".json");
            return exec == null ? EngineProxy.Response.json(404, "{\"message\":\"No such exec instance\"}")
                    : ok(Json.parse(exec.getBytes(StandardCharsets.UTF_8), "exec"));
        }
        if (parts.length >= 4 && parts[1].equals("images") && parts[3].equals("json")) {
            ObjectNode image = Json.MAPPER.createObjectNode();
            image.put("Id", java.net.URLDecoder.decode(parts[2], StandardCharsets.UTF_8));
            image.putObject("Config").putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            return ok(image);
        }
        return EngineProxy.Response.json(404, "{\"message\":\"page not found\"}");
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int xi = i < x.length ? Integer.parseInt(x[i].replaceAll("\\D.*", "0")) : 0;
            int yi = i < y.length ? Integer.parseInt(y[i].replaceAll("\\D.*", "0")) : 0;
            if (xi != yi) {
                return Integer.compare(xi, yi);
            }
        }
        return 0;
    }

    private static EngineProxy.Response ok(JsonNode body) {
        return EngineProxy.Response.json(200, body.toString());
    }

    /** Names of the recorded containers of an engine. */
    public static List<String> recorded(String engine) {
        List<String> out = new ArrayList<>();
        String d = engine.equals("Podman") ? "podman/" : "docker/";
        for (String n : List.of("priv", "capcli20", "capcli28", "cap", "capp", "sock", "root", "hostnet", "hostpid", "hostipc",
                "hostuts", "userns", "seccomp", "apparmor", "device", "user0", "secret", "ports", "ports2", "shared",
                "restart", "ulimit", "cgroup", "sshd", "nolimit", "hardened")) {
            if (fixture(d + n + ".json") != null) {
                out.add(n);
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
