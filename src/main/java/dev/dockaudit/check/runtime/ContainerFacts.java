package dev.dockaudit.check.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One container as the Engine API describes it ({@code GET /containers/{id}/json}), with what the audit fetched
 * beside it: the process list of a running container ({@code /top}), its exec sessions ({@code /exec/{id}/json}),
 * Podman's own create command (libpod inspect) and the image's environment. Every accessor tolerates missing,
 * null and mistyped fields (Podman and older daemons leave some out): a check asks {@link #has} first and says
 * it could not decide instead of guessing.
 */
public final class ContainerFacts {
    private final JsonNode inspect;
    private final String engine;
    private final List<String> processes;
    private final List<JsonNode> execs;
    private final List<String> createCommand;
    private final List<String> imageEnv;

    /**
     * @param inspect       the container's inspect document
     * @param engine        "Docker" or "Podman"
     * @param processes     the command of each process (from /top), or null when not known (not running, or /top failed)
     * @param execs         the inspect document of each exec session the daemon still knows
     * @param createCommand Podman's {@code Config.CreateCommand} (the podman command line), or null
     * @param imageEnv      the image's {@code Config.Env}, or null when not known
     */
    public ContainerFacts(JsonNode inspect, String engine, List<String> processes, List<JsonNode> execs,
                          List<String> createCommand, List<String> imageEnv) {
        this.inspect = inspect == null ? MissingNode.getInstance() : inspect;
        this.engine = engine == null ? "Docker" : engine;
        this.processes = processes == null ? null : List.copyOf(processes);
        this.execs = execs == null ? List.of() : List.copyOf(execs);
        this.createCommand = createCommand == null ? null : List.copyOf(createCommand);
        this.imageEnv = imageEnv == null ? null : List.copyOf(imageEnv);
    }

    /** Only the inspect document (for tests and callers that fetched nothing else). */
    public static ContainerFacts of(JsonNode inspect, String engine) {
        return new ContainerFacts(inspect, engine, null, List.of(), null, null);
    }

    public JsonNode inspect() {
        return inspect;
    }

    public String engine() {
        return engine;
    }

    public boolean podman() {
        return "Podman".equals(engine);
    }

    public String id() {
        return text("Id");
    }

    /** The name without the leading slash the API gives it. */
    public String name() {
        String n = text("Name");
        return n == null ? null : n.startsWith("/") ? n.substring(1) : n;
    }

    /** The image as the container was created from it (a name, or an ID). */
    public String imageName() {
        return text("Config.Image");
    }

    /** The image ID ({@code sha256:…}); Podman's inspect gives it too. */
    public String imageId() {
        String id = text("Image");
        return id == null || id.isEmpty() ? null : id.startsWith("sha256:") || !id.matches("[0-9a-f]{64}") ? id : "sha256:" + id;
    }

    /** running, created, exited, paused, restarting, removing, dead (lower case), or null. */
    public String state() {
        String s = text("State.Status");
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    public boolean running() {
        return "running".equals(state()) || "paused".equals(state()) || "restarting".equals(state());
    }

    public List<String> processes() {
        return processes;
    }

    public List<JsonNode> execs() {
        return execs;
    }

    public List<String> createCommand() {
        return createCommand;
    }

    public List<String> imageEnv() {
        return imageEnv;
    }

    /**
     * The command of each process in a /top answer: docker gives columns with a CMD title; Podman gives one column
     * whose title is the whole ps header ("PID   USER     TIME  COMMAND") and each row as one line.
     */
    public static List<String> commands(JsonNode top) {
        List<String> titles = new ArrayList<>();
        top.path("Titles").forEach(t -> titles.add(t.asText("")));
        int column = -1;
        for (int i = 0; i < titles.size(); i++) {
            String t = titles.get(i).strip();
            if (t.equals("CMD") || t.equals("COMMAND") || t.equals("ARGS")) {
                column = i;
            }
        }
        int splitAt = -1;
        if (column < 0 && titles.size() == 1) {
            String[] words = titles.get(0).strip().split("\\s+");
            for (int i = 0; i < words.length; i++) {
                if (words[i].equals("COMMAND") || words[i].equals("CMD") || words[i].equals("ARGS")) {
                    splitAt = i;
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (JsonNode row : top.path("Processes")) {
            if (!row.isArray() || row.size() == 0) {
                continue;
            }
            if (column >= 0 && column < row.size()) {
                out.add(row.get(column).asText(""));
            } else if (splitAt >= 0) {
                String[] parts = row.get(0).asText("").strip().split("\\s+", splitAt + 1);
                out.add(parts.length > splitAt ? parts[splitAt] : "");
            } else {
                out.add(row.get(row.size() - 1).asText("")); // ps puts the command last
            }
        }
        return out;
    }

    // ---- fields, by dotted path ("HostConfig.CapAdd") -----------------------------------------------------------

    /** The node at a dotted path; a missing node when any part is absent or null. */
    public JsonNode node(String path) {
        JsonNode n = inspect;
        for (String part : path.split("\\.")) {
            if (n == null || !n.isObject()) {
                return MissingNode.getInstance();
            }
            n = n.get(part);
        }
        return n == null || n.isNull() ? MissingNode.getInstance() : n;
    }

    /** Whether the field is present and not null. */
    public boolean has(String path) {
        return !node(path).isMissingNode();
    }

    public String text(String path) {
        JsonNode n = node(path);
        return n.isValueNode() ? n.asText() : null;
    }

    /** A boolean field; null when absent or not a boolean. */
    public Boolean bool(String path) {
        JsonNode n = node(path);
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isTextual() && (n.asText().equalsIgnoreCase("true") || n.asText().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(n.asText());
        }
        return null;
    }

    /** A number field; null when absent or not a number. */
    public Long number(String path) {
        JsonNode n = node(path);
        if (n.isNumber()) {
            return n.asLong();
        }
        if (n.isTextual()) {
            try {
                return Long.parseLong(n.asText().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A list of strings (an absent or null list is empty; a single string is a list of one). */
    public List<String> strings(String path) {
        JsonNode n = node(path);
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            for (JsonNode e : n) {
                if (e.isValueNode() && !e.isNull()) {
                    out.add(e.asText());
                }
            }
        } else if (n.isValueNode()) {
            out.add(n.asText());
        }
        return out;
    }

    /** The elements of an array field that are objects. */
    public List<JsonNode> objects(String path) {
        JsonNode n = node(path);
        List<JsonNode> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(e -> {
                if (e.isObject()) {
                    out.add(e);
                }
            });
        }
        return out;
    }

    /** {@code HostConfig.SecurityOpt}, each option as given (e.g. "seccomp=unconfined", "label:disable"). */
    public List<String> securityOptions() {
        return strings("HostConfig.SecurityOpt");
    }

    /** Whether a security option with this key has one of the values ("seccomp", "unconfined"); = and : both separate. */
    public String securityOption(String key, String... values) {
        for (String o : securityOptions()) {
            String s = o.strip();
            int sep = indexOfSeparator(s);
            String k = sep < 0 ? s : s.substring(0, sep);
            String v = sep < 0 ? "" : s.substring(sep + 1);
            if (!k.equalsIgnoreCase(key)) {
                continue;
            }
            if (values.length == 0) {
                return o;
            }
            for (String want : values) {
                if (v.equalsIgnoreCase(want)) {
                    return o;
                }
            }
        }
        return null;
    }

    private static int indexOfSeparator(String s) {
        int eq = s.indexOf('=');
        int colon = s.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }
}
