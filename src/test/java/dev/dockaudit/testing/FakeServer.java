package dev.dockaudit.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real HTTP server (com.sun.net.httpserver) for registry fault tests: it records every request and either
 * answers through a test's {@link Behaviour} or passes the request on to a real upstream registry, so a test
 * can misbehave on exactly one request (a 429, a 500, a stall, a flipped byte, a redirect) and be a faithful
 * registry otherwise.
 */
public final class FakeServer implements AutoCloseable {
    /** One request as the server saw it. */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, long nanos) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        public String authorization() {
            return header("Authorization");
        }
    }

    /** A reply from the upstream registry, which a behaviour may alter before sending. */
    public record Reply(int status, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        public Reply withBody(byte[] b) {
            return new Reply(status, headers, b);
        }
    }

    /** Handles a request itself and returns true, or returns false to let the default (upstream or 404) answer. */
    @FunctionalInterface
    public interface Behaviour {
        boolean handle(HttpExchange ex, FakeServer server) throws IOException;
    }

    private static final List<String> COPIED = List.of("Content-Type", "Docker-Content-Digest", "WWW-Authenticate",
            "Location", "Retry-After", "Docker-Distribution-Api-Version");

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-registry");
        t.setDaemon(true);
        return t;
    });
    private final String upstream;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Behaviour behaviour = (ex, s) -> false;

    private FakeServer(String bindAddress, String upstream) throws IOException {
        this.upstream = upstream;
        server = HttpServer.create(new InetSocketAddress(bindAddress, 0), 50);
        server.setExecutor(pool);
        server.createContext("/", ex -> {
            try {
                Request r = new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestURI().getRawQuery(),
                        copy(ex.getRequestHeaders()), System.nanoTime());
                requests.add(r);
                if (!behaviour.handle(ex, this)) {
                    if (this.upstream != null) {
                        send(ex, forward(ex));
                    } else {
                        send(ex, 404, Map.of("Content-Type", "application/json"),
                                "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"not here\"}]}".getBytes());
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the client went away (expected in stall tests) or a behaviour failed: drop the connection
            } finally {
                ex.close();
            }
        });
        server.start();
    }

    /** A server on 127.0.0.1 that passes requests on to {@code upstream} (host:port, plain HTTP), or 404s when null. */
    public static FakeServer start(String upstream) throws IOException {
        return new FakeServer("127.0.0.1", upstream);
    }

    /** Like {@link #start(String)}, listening on a given local address. */
    public static FakeServer startOn(String bindAddress, String upstream) throws IOException {
        return new FakeServer(bindAddress, upstream);
    }

    public FakeServer behave(Behaviour b) {
        behaviour = b;
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** host:port as a registry name. */
    public String hostPort() {
        String host = server.getAddress().getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public List<Request> requests(Predicate<Request> p) {
        return requests().stream().filter(p).toList();
    }

    /** Stalling behaviours wait on this; {@link #close()} releases them. */
    public void awaitRelease(long maxSeconds) {
        try {
            released.await(maxSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the upstream registry the same question and returns its full reply. */
    public Reply forward(HttpExchange ex) throws IOException {
        return forward(ex, ex.getRequestURI().toString(), ex.getRequestHeaders().getFirst("Authorization"));
    }

    /** Asks the upstream registry for {@code pathAndQuery} instead, with this Authorization (or none). */
    public Reply forward(HttpExchange ex, String pathAndQuery, String authorization) throws IOException {
        if (upstream == null) {
            throw new IllegalStateException("no upstream");
        }
        URI uri = URI.create("http://" + upstream + pathAndQuery);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(ex.getRequestBody().readAllBytes()));
        for (String h : List.of("Accept", "Content-Type")) {
            String v = ex.getRequestHeaders().getFirst(h);
            if (v != null) {
                b.header(h, v);
            }
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.headers().map(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Sends an upstream reply (possibly altered) with the registry headers that matter. */
    public static void send(HttpExchange ex, Reply r) throws IOException {
        Headers out = ex.getResponseHeaders();
        for (String h : COPIED) {
            String v = r.header(h);
            if (v != null) {
                out.set(h, v);
            }
        }
        body(ex, r.status(), r.body());
    }

    public static void send(HttpExchange ex, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        body(ex, status, body);
    }

    private static void body(HttpExchange ex, int status, byte[] body) throws IOException {
        boolean head = ex.getRequestMethod().equals("HEAD");
        if (head) {
            if (body.length > 0) {
                ex.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
            }
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        }
    }

    private static Map<String, List<String>> copy(Headers h) {
        Map<String, List<String>> m = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.forEach((k, v) -> m.put(k, List.copyOf(v)));
        return m;
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
