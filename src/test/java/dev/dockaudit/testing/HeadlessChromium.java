package dev.dockaudit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A headless Chromium driven over the Chrome DevTools Protocol with the JDK's WebSocket client: a fresh profile per
 * instance, one page target, every wait bounded. {@link #close} kills the browser and its helpers and deletes the
 * profile, so a failing test leaves nothing running.
 */
public final class HeadlessChromium implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Path profile;
    private final Process process;
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private WebSocket socket;

    private HeadlessChromium(Path profile, Process process) {
        this.profile = profile;
        this.process = process;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts the browser on about:blank and attaches to its page. */
    public static HeadlessChromium start() throws Exception {
        Path profile = Files.createTempDirectory("dockaudit-chromium-");
        Process p;
        try {
            p = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--no-first-run", "--no-default-browser-check",
                    "--disable-extensions", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                    "--window-size=1280,1800", "about:blank")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            deleteTree(profile);
            throw e;
        }
        HeadlessChromium c = new HeadlessChromium(profile, p);
        try {
            c.connect();
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    private void connect() throws Exception {
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    stderr.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                // the browser was killed; close() is running
            }
            url.completeExceptionally(new IllegalStateException("chromium exited before DevTools listened"));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        URI browser;
        try {
            browser = URI.create(url.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("chromium printed no DevTools address in " + WAIT + "; stderr: " + stderr);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
        String pageWs = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (pageWs == null && System.nanoTime() < deadline) {
            HttpResponse<byte[]> list = http.send(HttpRequest.newBuilder(
                    URI.create("http://" + browser.getAuthority() + "/json/list")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            for (JsonNode t : Json.parse(list.body(), "DevTools target list")) {
                if ("page".equals(t.path("type").asText())) {
                    pageWs = t.path("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (pageWs == null) {
                Thread.sleep(50);
            }
        }
        if (pageWs == null) {
            throw new IllegalStateException("chromium opened no page target in " + WAIT);
        }
        socket = http.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(URI.create(pageWs), new Listener())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode msg = Json.parse(partial.toString().getBytes(StandardCharsets.UTF_8), "DevTools message");
                partial.setLength(0);
                if (msg.has("id")) {
                    CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                    if (f != null) {
                        f.complete(msg);
                    }
                } else {
                    events.add(msg);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            pending.values().forEach(f -> f.completeExceptionally(error));
        }
    }

    /** Sends a command and returns its {@code result}; a protocol error fails. */
    public JsonNode send(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = Json.MAPPER.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", Json.MAPPER.valueToTree(params));
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(Json.MAPPER.writeValueAsString(msg), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        JsonNode reply;
        try {
            reply = f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(method + ": no reply in " + WAIT);
        }
        if (reply.has("error")) {
            throw new IllegalStateException(method + ": " + reply.get("error"));
        }
        return reply.path("result");
    }

    public JsonNode send(String method) throws Exception {
        return send(method, Map.of());
    }

    /** Evaluates an expression in the page and returns its value (JSON-serialisable results only). */
    public JsonNode eval(String expression) throws Exception {
        JsonNode r = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("evaluating " + expression + ": " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** How many events arrived so far; pass it to {@link #await} to wait for a later one. */
    public int mark() {
        return events.size();
    }

    /** Waits for an event after {@code from} named {@code method} that {@code test} accepts. */
    public JsonNode await(int from, String method, Predicate<JsonNode> test) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = from; i < events.size(); i++) {
                JsonNode e = events.get(i);
                if (method.equals(e.path("method").asText()) && test.test(e.path("params"))) {
                    return e;
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("chromium exited while waiting for " + method + "; stderr: " + stderr);
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no " + method + " event in " + WAIT);
    }

    /** Navigates and waits for the page's load event. */
    public void load(String url) throws Exception {
        int from = mark();
        JsonNode nav = send("Page.navigate", Map.of("url", url));
        if (nav.hasNonNull("errorText")) {
            throw new IllegalStateException("navigating to " + url + ": " + nav.get("errorText"));
        }
        await(from, "Page.loadEventFired", p -> true);
    }

    /** Events received since {@code from} (a copy). */
    public List<JsonNode> events(int from) {
        return new ArrayList<>(events.subList(from, events.size()));
    }

    @Override
    public void close() {
        try {
            if (socket != null) {
                socket.abort();
            }
        } finally {
            List<ProcessHandle> helpers = process.descendants().toList();
            process.destroyForcibly();
            helpers.forEach(ProcessHandle::destroyForcibly);
            try {
                process.waitFor(10, TimeUnit.SECONDS);
                for (ProcessHandle h : helpers) {
                    h.onExit().get(10, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                // best effort: the profile is deleted below either way
            }
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) {
        // helpers that were still exiting may add a file while we walk; a second pass removes those
        for (int attempt = 0; attempt < 3 && Files.exists(dir); attempt++) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | java.io.UncheckedIOException e) {
                // retry
            }
        }
    }
}
