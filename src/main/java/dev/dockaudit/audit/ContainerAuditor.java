package dev.dockaudit.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.check.runtime.ContainerFacts;
import dev.dockaudit.check.runtime.DaemonChecks;
import dev.dockaudit.check.runtime.DaemonFacts;
import dev.dockaudit.check.runtime.Results;
import dev.dockaudit.check.runtime.RuntimeChecks;
import dev.dockaudit.check.secret.SecretRuleSet;
import dev.dockaudit.check.secret.SecretScanner;
import dev.dockaudit.engine.EngineClient;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.source.Sources;
import dev.dockaudit.report.ContainerReport;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Report;
import dev.dockaudit.util.UserError;
import dev.dockaudit.vuln.triage.IgnoreFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code dockaudit container}: lists or looks up the containers, inspects each (with its process list, exec
 * sessions and, on Podman, its create command) over a few parallel connections, runs the runtime checks, then
 * audits each distinct image the containers run once, through the same daemon, with every scanner
 * {@code dockaudit image} has.
 *
 * <p>A container that goes away while it is audited is noted and skipped; a name that matches nothing is reported
 * back to the caller; the other containers are audited either way. Only a daemon that cannot be reached at all
 * stops the run.
 */
public final class ContainerAuditor {
    /** Which containers: the names or IDs given, else every container ({@code all}) or the running ones. */
    public record Selection(List<String> names, boolean all) {
        public Selection {
            names = List.copyOf(names);
        }
    }

    /** The report, and the names that matched no container (each with the reason). */
    public record Result(ContainerReport report, Map<String, String> missing) {
    }

    /** Connections to the daemon at a time: enough to hide its latency, few enough not to crowd it. */
    static final int PARALLELISM = 8;

    private final Sources sources;

    public ContainerAuditor(Sources sources) {
        this.sources = sources;
    }

    /**
     * Runs the audit. {@code imageOptions} says how each image is audited; null audits no image (runtime checks only).
     */
    public Result run(Selection selection, AuditOptions imageOptions, AuditOptions.Triage triage) {
        long started = System.nanoTime();
        SecretRuleSet.preloadInBackground();
        EngineClient engine = sources.engine();
        engine.negotiate();
        String engineName = engine.serverName();
        List<String> notes = new ArrayList<>();

        // the daemon's own facts (three requests) are read while the containers are inspected, then the images' env
        ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM, r -> {
            Thread t = new Thread(r, "dockaudit-inspect");
            t.setDaemon(true);
            return t;
        });
        DaemonFacts daemon;
        List<Fetched> fetched;
        Map<String, List<String>> imageEnv = new HashMap<>();
        Map<String, String> missing = new LinkedHashMap<>();
        try {
            List<String> daemonNotes = new ArrayList<>();
            Future<DaemonFacts> daemonFuture = pool.submit(() -> daemonFacts(engine, engineName, daemonNotes));
            fetched = fetchAll(pool, engine, engineName, selection, missing, notes);
            Map<String, Future<List<String>>> envFutures = new LinkedHashMap<>();
            for (Fetched f : fetched) {
                String id = f.facts == null ? null : f.facts.imageId();
                if (id != null && !envFutures.containsKey(id)) {
                    envFutures.put(id, pool.submit(() -> imageEnv(engine, id)));
                }
            }
            for (Map.Entry<String, Future<List<String>>> e : envFutures.entrySet()) {
                imageEnv.put(e.getKey(), await(e.getValue()));
            }
            daemon = await(daemonFuture);
            notes.addAll(0, daemonNotes);
        } finally {
            pool.shutdownNow();
        }
        List<Finding> daemonFindings = new ArrayList<>(DaemonChecks.check(daemon, notes));

        Path secretConfig = imageOptions == null ? null : imageOptions.secretConfig();
        SecretScanner scanner = new SecretScanner(secretConfig == null ? SecretRuleSet.builtIn()
                : SecretRuleSet.withUserConfig(secretConfig), SecretScanner.DEFAULT_MAX_FILE_SIZE);
        RuntimeChecks checks = RuntimeChecks.all(scanner);
        IgnoreFile ignore = TriageStep.ignoreFile(triage == null ? AuditOptions.Triage.NONE : triage);
        Map<String, Integer> suppressed = new HashMap<>();
        daemonFindings = TriageStep.ignore(daemonFindings, ignore, suppressed);

        Map<String, List<String>> containersByImage = new LinkedHashMap<>();
        List<ContainerReport.Container> containers = new ArrayList<>();
        for (Fetched f : fetched) {
            if (f.error != null) {
                containers.add(new ContainerReport.Container(f.id, f.name, f.image, f.imageId, f.state, List.of(),
                        f.notes, f.error));
                continue;
            }
            String imageId = f.facts.imageId();
            List<String> env = imageId == null ? null : imageEnv.get(imageId);
            ContainerFacts facts = new ContainerFacts(f.facts.inspect(), engineName, f.facts.processes(), f.facts.execs(),
                    f.facts.createCommand(), env);
            Results results = checks.run(facts, daemon);
            List<String> cnotes = new ArrayList<>(f.notes);
            cnotes.addAll(results.notes());
            if (imageId != null) {
                containersByImage.computeIfAbsent(imageId, k -> new ArrayList<>()).add(facts.id());
            }
            containers.add(new ContainerReport.Container(facts.id(), facts.name(), facts.imageName(), imageId,
                    facts.state(), TriageStep.ignore(results.findings(), ignore, suppressed), cnotes, null));
        }
        suppressed.forEach((what, n) -> notes.add("suppressed " + n + " runtime finding" + (n == 1 ? "" : "s") + ": "
                + what));
        long runtimeNanos = System.nanoTime() - started;

        long imageStarted = System.nanoTime();
        List<ContainerReport.ImageAudit> images = new ArrayList<>();
        int audited = 0;
        for (Map.Entry<String, List<String>> e : containersByImage.entrySet()) {
            if (imageOptions == null) {
                images.add(new ContainerReport.ImageAudit(e.getKey(), e.getValue(), null, null));
                continue;
            }
            Report report = null;
            String error = null;
            try {
                report = new Auditor(sources).run("container", ImageReference.parse("docker-daemon:" + e.getKey()),
                        imageOptions);
                audited++;
            } catch (UserError ex) {
                error = ex.getMessage();
                notes.add("image " + e.getKey() + " could not be audited: " + ex.getMessage());
            }
            images.add(new ContainerReport.ImageAudit(e.getKey(), e.getValue(), report, error));
        }
        long imageNanos = System.nanoTime() - imageStarted;
        if (imageOptions == null && !containersByImage.isEmpty()) {
            notes.add("images not audited (--scanners runtime): only the containers' runtime settings were checked");
        }
        if (selection.names().isEmpty() && fetched.isEmpty()) {
            notes.add(selection.all() ? "the daemon has no containers"
                    : "no running containers (dockaudit container --all audits created and stopped ones too)");
        }

        ContainerReport.Daemon d = new ContainerReport.Daemon(engineName, daemon.version(), engine.apiVersion(),
                engine.host().spec(), daemon.os(), daemon.swarm(), daemon.securityOptions(), daemon.liveRestore(),
                daemon.usernsRemap(), daemon.rootless(), daemonFindings);
        ContainerReport.Stats stats = new ContainerReport.Stats(containers.size(), containersByImage.size(), audited,
                runtimeNanos / 1_000_000, imageNanos / 1_000_000);
        return new Result(new ContainerReport(d, containers, images, notes, stats), missing);
    }

    private static DaemonFacts daemonFacts(EngineClient engine, String engineName, List<String> notes) {
        JsonNode info = tryGet(engine, "/info", notes);
        JsonNode version = tryGet(engine, "/version", notes);
        Set<String> bridges = new LinkedHashSet<>();
        for (String n : engineName.equals("Podman") ? List.of("podman", "bridge") : List.of("bridge")) {
            JsonNode net = tryGet(engine, "/networks/" + n, notes);
            if (net != null && "bridge".equalsIgnoreCase(net.path("Driver").asText(""))) {
                bridges.add(net.path("Name").asText(n));
                bridges.add(n);
            }
        }
        return DaemonFacts.of(engineName, engine.apiVersion(), engine.host().spec(), info, version, bridges);
    }

    private static JsonNode tryGet(EngineClient engine, String path, List<String> notes) {
        try {
            return engine.getJson(path);
        } catch (EngineClient.HttpError e) {
            notes.add("GET " + path + " failed: " + e.getMessage());
            return null;
        }
    }

    /** What was fetched for one container: its facts, or why there are none. */
    private static final class Fetched {
        String id;
        String name;
        String image;
        String imageId;
        String state;
        ContainerFacts facts;
        String error;
        final List<String> notes = new ArrayList<>();
    }

    /** A container that went away (404) between the list and its inspect. */
    private static final class Gone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Gone() {
            super(null, null, false, false);
        }
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while asking the daemon");
        }
    }

    private List<Fetched> fetchAll(ExecutorService pool, EngineClient engine, String engineName, Selection selection,
                                   Map<String, String> missing, List<String> notes) {
        List<String> refs = new ArrayList<>();
        Map<String, String> listedNames = new HashMap<>();
        if (!selection.names().isEmpty()) {
            refs.addAll(new LinkedHashSet<>(selection.names()));
        } else {
            JsonNode list = engine.getJson("/containers/json" + (selection.all() ? "?all=1" : ""));
            if (list == null || !list.isArray()) {
                throw new UserError(engineName + " daemon at " + engine.host().spec()
                        + " gave no container list (GET /containers/json); is it a Docker Engine API?");
            }
            for (JsonNode c : list) {
                String id = c.path("Id").asText("");
                if (!id.isEmpty()) {
                    refs.add(id);
                    String name = c.path("Names").path(0).asText(id);
                    listedNames.put(id, name.startsWith("/") ? name.substring(1) : name);
                }
            }
        }
        if (refs.isEmpty()) {
            return List.of();
        }
        try {
            List<Future<Fetched>> futures = new ArrayList<>();
            for (String ref : refs) {
                futures.add(pool.submit(() -> fetch(engine, engineName, ref)));
            }
            List<Fetched> out = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (int i = 0; i < refs.size(); i++) {
                String ref = refs.get(i);
                try {
                    Fetched f = futures.get(i).get();
                    if (seen.add(f.id == null ? ref : f.id)) {
                        out.add(f);
                    }
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof Gone) {
                        if (selection.names().isEmpty()) {
                            notes.add("container " + listedNames.getOrDefault(ref, ref) + " (" + shortId(ref)
                                    + ") was removed after the daemon listed it; not audited");
                        } else {
                            missing.put(ref, "no such container");
                        }
                    } else if (cause instanceof EngineClient.HttpError h && !selection.names().isEmpty()) {
                        missing.put(ref, h.getMessage());
                    } else if (cause instanceof RuntimeException re) {
                        throw re;
                    } else {
                        throw new IllegalStateException(cause);
                    }
                }
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while inspecting containers");
        }
    }

    /** Inspects one container and fetches what its checks need beside the inspect document. */
    private static Fetched fetch(EngineClient engine, String engineName, String ref) {
        Fetched f = new Fetched();
        JsonNode inspect;
        try {
            inspect = engine.getJson("/containers/" + EngineClient.encode(ref) + "/json");
        } catch (EngineClient.HttpError e) {
            if (e.status() == 400 || e.status() == 409) {
                throw e; // an ambiguous ID prefix or an invalid name: the daemon's message says which
            }
            f.id = ref;
            f.name = ref;
            f.error = "inspect failed: " + e.getMessage();
            return f;
        }
        if (inspect == null) {
            throw new Gone();
        }
        ContainerFacts basic = ContainerFacts.of(inspect, engineName);
        f.id = basic.id();
        f.name = basic.name();
        f.image = basic.imageName();
        f.imageId = basic.imageId();
        f.state = basic.state();
        String id = EngineClient.encode(f.id == null ? ref : f.id);

        List<String> processes = null;
        if (basic.running()) {
            try {
                JsonNode top = engine.getJson("/containers/" + id + "/top");
                if (top == null) {
                    f.notes.add("the container was removed before its process list was read");
                } else {
                    processes = ContainerFacts.commands(top);
                }
            } catch (EngineClient.HttpError e) {
                // 409: it stopped in the meantime; 500: ps failed on the host
                f.notes.add("process list not available: " + e.getMessage());
            }
        }
        List<JsonNode> execs = new ArrayList<>();
        for (String execId : basic.strings("ExecIDs")) {
            try {
                JsonNode exec = engine.getJson("/exec/" + EngineClient.encode(execId) + "/json");
                if (exec != null) {
                    execs.add(exec); // a 404 is an exec session the daemon has forgotten since
                }
            } catch (EngineClient.HttpError e) {
                f.notes.add("exec session " + shortId(execId) + " not readable: " + e.getMessage());
            }
        }
        List<String> createCommand = null;
        if (engineName.equals("Podman")) {
            try {
                JsonNode libpod = engine.getJson("/libpod/containers/" + id + "/json");
                if (libpod == null) {
                    f.notes.add("Podman's own inspect (libpod) not available: GET /libpod/containers/{id}/json answered"
                            + " 404; what its Docker-compatible inspect hides (--ipc host, --userns host, --ulimit) is"
                            + " not seen");
                }
                JsonNode cmd = libpod == null ? null : libpod.path("Config").path("CreateCommand");
                if (cmd != null && cmd.isArray() && cmd.size() > 0) {
                    createCommand = new ArrayList<>();
                    for (JsonNode a : cmd) {
                        createCommand.add(a.asText());
                    }
                }
            } catch (EngineClient.HttpError e) {
                f.notes.add("Podman's own inspect (libpod) not available: " + e.getMessage());
            }
        }
        f.facts = new ContainerFacts(inspect, engineName, processes, execs, createCommand, null);
        return f;
    }

    /** The image's own environment, to tell the container's variables from those it inherits. */
    private static List<String> imageEnv(EngineClient engine, String imageId) {
        try {
            JsonNode image = engine.getJson("/images/" + EngineClient.encode(imageId) + "/json");
            if (image == null || !image.path("Config").isObject()) {
                return null;
            }
            List<String> env = new ArrayList<>();
            image.path("Config").path("Env").forEach(e -> env.add(e.asText()));
            return env;
        } catch (EngineClient.HttpError e) {
            return null;
        }
    }

    private static String shortId(String id) {
        String s = id.startsWith("sha256:") ? id.substring(7) : id;
        return s.length() > 12 ? s.substring(0, 12) : s;
    }
}
