package dev.dockaudit.vuln.db;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A real HTTP server (com.sun.net.httpserver) in the layout of the osv.dev bucket: {@code /ECOSYSTEM/all.zip},
 * with ETag and Last-Modified, answering conditional requests with 304 like the bucket does. Tests queue faults per
 * ecosystem (a status, a download cut short, a truncated zip) and read back every request it saw.
 */
final class OsvBucketServer implements AutoCloseable {
    record Request(String rawPath, String path, String ifNoneMatch, String ifModifiedSince, int status) {
    }

    enum Fault { STATUS_500, STATUS_503_RETRY_AFTER, STATUS_429, STATUS_403, CUT_SHORT, TRUNCATED_ZIP, STALL }

    private record Archive(byte[] zip, String etag, String lastModified) {
    }

    private final HttpServer server;
    private final Map<String, Archive> archives = new ConcurrentHashMap<>();
    private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final java.util.concurrent.atomic.AtomicInteger arrivals = new java.util.concurrent.atomic.AtomicInteger();
    private int version;

    OsvBucketServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "osv-bucket");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves (or replaces, with a new ETag and Last-Modified) one ecosystem's archive. */
    synchronized OsvBucketServer put(String ecosystem, byte[] zip) {
        version++;
        String lm = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.parse("2026-01-01T00:00:00Z")
                .plusSeconds(version * 3600L).atOffset(ZoneOffset.UTC));
        archives.put(ecosystem, new Archive(zip, "\"etag-" + ecosystem.replace(' ', '_') + "-" + version + "\"", lm));
        return this;
    }

    OsvBucketServer putAll(Map<String, byte[]> bucket) {
        bucket.forEach(this::put);
        return this;
    }

    void remove(String ecosystem) {
        archives.remove(ecosystem);
    }

    String etag(String ecosystem) {
        return archives.get(ecosystem).etag();
    }

    String lastModified(String ecosystem) {
        return archives.get(ecosystem).lastModified();
    }

    void fault(String ecosystem, Fault f, int times) {
        Deque<Fault> q = faults.computeIfAbsent(ecosystem, k -> new ArrayDeque<>());
        synchronized (q) {
            for (int i = 0; i < times; i++) {
                q.add(f);
            }
        }
    }

    void clearFaults() {
        faults.clear();
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    void clearRequests() {
        requests.clear();
    }

    /** Requests that reached the server, including those whose answer never completed. */
    int arrivals() {
        return arrivals.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        arrivals.incrementAndGet();
        String path = ex.getRequestURI().getPath();
        String inm = ex.getRequestHeaders().getFirst("If-None-Match");
        String ims = ex.getRequestHeaders().getFirst("If-Modified-Since");
        String eco = path.startsWith("/") && path.endsWith("/all.zip") ? path.substring(1, path.length() - "/all.zip".length()) : null;
        Fault fault = null;
        Deque<Fault> q = eco == null ? null : faults.get(eco);
        if (q != null) {
            synchronized (q) {
                fault = q.poll();
            }
        }
        Archive a = eco == null ? null : archives.get(eco);
        int status;
        if (fault == Fault.STATUS_500) {
            status = 500;
        } else if (fault == Fault.STATUS_429) {
            status = 429;
        } else if (fault == Fault.STATUS_403) {
            status = 403;
        } else if (fault == Fault.STATUS_503_RETRY_AFTER) {
            status = 503;
        } else if (a == null) {
            status = 404;
        } else if ((inm != null && inm.equals(a.etag())) || (inm == null && ims != null && ims.equals(a.lastModified()))) {
            status = 304;
        } else {
            status = fault == Fault.CUT_SHORT ? -200 : fault == Fault.STALL ? -1 : 200;
        }
        // recorded before answering, so a client that has its answer finds its request here
        requests.add(new Request(ex.getRequestURI().getRawPath(), path, inm, ims, status));
        try (ex) {
            switch (status) {
                case 500, 429, 403, 503 -> {
                    if (status == 503 || status == 429) {
                        ex.getResponseHeaders().add("Retry-After", "0");
                    }
                    byte[] body = "<html>try later</html>".getBytes();
                    ex.sendResponseHeaders(status, body.length);
                    ex.getResponseBody().write(body);
                }
                case 404 -> ex.sendResponseHeaders(404, -1);
                case 304 -> {
                    ex.getResponseHeaders().add("ETag", a.etag());
                    ex.sendResponseHeaders(304, -1);
                }
                default -> {
                    ex.getResponseHeaders().add("ETag", a.etag());
                    ex.getResponseHeaders().add("Last-Modified", a.lastModified());
                    ex.getResponseHeaders().add("Content-Type", "application/zip");
                    byte[] body = a.zip();
                    if (fault == Fault.TRUNCATED_ZIP) {
                        body = java.util.Arrays.copyOf(body, body.length / 2);
                    }
                    ex.sendResponseHeaders(200, body.length);
                    OutputStream out = ex.getResponseBody();
                    if (fault == Fault.CUT_SHORT) {
                        // declare the whole length, send half; closing the exchange with bytes missing drops the connection
                        out.write(body, 0, body.length / 2);
                        out.flush();
                    } else if (fault == Fault.STALL) {
                        out.write(body, 0, Math.min(1000, body.length));
                        out.flush();
                        try {
                            Thread.sleep(30_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    } else {
                        out.write(body);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
