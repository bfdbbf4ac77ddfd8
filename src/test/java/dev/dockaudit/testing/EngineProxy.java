package dev.dockaudit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Docker Engine API endpoint on a unix socket for fault tests: it forwards each request to a real daemon's socket
 * (or, without one, answers only what the test's handler answers), records every request line, and lets a test
 * answer a request itself, act before forwarding it (remove a container, say), or rewrite the daemon's reply (drop
 * fields, change a header). One request per connection, as dockaudit's client sends them.
 */
public final class EngineProxy implements AutoCloseable {
    /** A request as received: method, path (with query) and headers. */
    public record Request(String method, String path, Map<String, String> headers) {
        /** The path without the /vX.Y version prefix. */
        public String unversioned() {
            return path.replaceFirst("^/v[0-9][0-9A-Za-z.-]*/", "/");
        }

        /** The API version in the path ("1.41"), or null. */
        public String version() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^/v([0-9][0-9A-Za-z.-]*)/").matcher(path);
            return m.find() ? m.group(1) : null;
        }
    }

    /** A complete reply (body de-chunked); headers keep their case. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public static Response json(int status, String json) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", "application/json");
            h.put("Api-Version", "1.41");
            return new Response(status, h, json.getBytes(StandardCharsets.UTF_8));
        }

        public JsonNode jsonBody() {
            return Json.parse(body, "the daemon's reply");
        }

        public Response withBody(JsonNode node) {
            return new Response(status, headers, node.toString().getBytes(StandardCharsets.UTF_8));
        }

        public Response withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>();
            headers.forEach((k, v) -> {
                if (!k.equalsIgnoreCase(name)) {
                    h.put(k, v);
                }
            });
            if (value != null) {
                h.put(name, value);
            }
            return new Response(status, h, body);
        }
    }

    /** Answers a request itself (non-null) or lets it through (null); may act before it is forwarded. */
    @FunctionalInterface
    public interface Handler {
        Response handle(Request r) throws Exception;
    }

    /** Rewrites a forwarded reply (null: pass it through as the daemon sent it). */
    @FunctionalInterface
    public interface Filter {
        Response filter(Request r, Response daemon) throws Exception;
    }

    private final Path path;
    private final Path upstream;
    private final ServerSocketChannel server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private volatile Handler handler = r -> null;
    private volatile Filter filter = null;

    private EngineProxy(Path path, Path upstream) throws IOException {
        this.path = path;
        this.upstream = upstream;
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path), 64);
        Thread t = new Thread(this::acceptLoop, "engine-proxy " + path.getFileName());
        t.setDaemon(true);
        t.start();
    }

    /** A proxy in front of the daemon listening on {@code upstream} (a unix socket path). */
    public static EngineProxy forward(Path path, Path upstream) throws IOException {
        return new EngineProxy(path, upstream);
    }

    /** A daemon of the test's own: every request goes to the handler; what it does not answer gets a 404. */
    public static EngineProxy fake(Path path, Handler handler) throws IOException {
        EngineProxy p = new EngineProxy(path, null);
        p.handler = handler;
        return p;
    }

    /** The upstream path of a {@code unix://} DOCKER_HOST. */
    public static Path socketOf(String dockerHost) {
        return Path.of(dockerHost.replaceFirst("^unix://", ""));
    }

    public EngineProxy handler(Handler h) {
        this.handler = h;
        return this;
    }

    public EngineProxy filter(Filter f) {
        this.filter = f;
        return this;
    }

    public String dockerHost() {
        return "unix://" + path;
    }

    public Path path() {
        return path;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** How many requests had this unversioned path prefix. */
    public long count(String unversionedPrefix) {
        return requests.stream().filter(r -> r.unversioned().startsWith(unversionedPrefix)).count();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                open.add(c);
                Thread t = new Thread(() -> serve(c), "engine-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            InputStream in = Channels.newInputStream(client);
            OutputStream out = Channels.newOutputStream(client);
            byte[] head = readHead(in);
            if (head == null) {
                return;
            }
            List<String> lines = new ArrayList<>(List.of(new String(head, StandardCharsets.ISO_8859_1).split("\r\n")));
            String[] requestLine = lines.get(0).split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            for (String l : lines.subList(1, lines.size())) {
                int colon = l.indexOf(':');
                if (colon > 0) {
                    headers.put(l.substring(0, colon).trim(), l.substring(colon + 1).trim());
                }
            }
            Request req = new Request(requestLine[0], requestLine.length > 1 ? requestLine[1] : "/", headers);
            requests.add(req);
            Response own = handler.handle(req);
            if (own != null) {
                write(out, own);
                return;
            }
            if (upstream == null) {
                write(out, Response.json(404, "{\"message\":\"page not found\"}"));
                return;
            }
            try (SocketChannel daemon = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                daemon.connect(UnixDomainSocketAddress.of(upstream));
                OutputStream toDaemon = Channels.newOutputStream(daemon);
                toDaemon.write(head);
                toDaemon.flush();
                InputStream fromDaemon = Channels.newInputStream(daemon);
                Filter f = filter;
                if (f == null) {
                    fromDaemon.transferTo(out);
                    return;
                }
                Response reply = read(fromDaemon);
                Response changed = f.filter(req, reply);
                write(out, changed == null ? reply : changed);
            }
        } catch (Exception e) {
            // the client went away, or the test is over
        } finally {
            open.remove(client);
        }
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            b.write(c);
            matched = c == end[matched] ? matched + 1 : c == end[0] ? 1 : 0;
        }
        return b.toByteArray();
    }

    /** Reads a whole reply (the client asked for Connection: close, so the daemon ends it by closing). */
    private static Response read(InputStream in) throws IOException {
        byte[] head = readHead(in);
        if (head == null) {
            throw new IOException("the daemon closed the connection without replying");
        }
        String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body;
        String te = header(headers, "Transfer-Encoding");
        String cl = header(headers, "Content-Length");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                String size = line(in).split(";")[0].trim();
                int n = Integer.parseInt(size, 16);
                if (n == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers
                    }
                    break;
                }
                b.write(in.readNBytes(n));
                line(in);
            }
            body = b.toByteArray();
        } else if (cl != null) {
            body = in.readNBytes(Integer.parseInt(cl));
        } else {
            body = in.readAllBytes();
        }
        Map<String, String> clean = new LinkedHashMap<>();
        headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Transfer-Encoding") && !k.equalsIgnoreCase("Content-Length")
                    && !k.equalsIgnoreCase("Connection")) {
                clean.put(k, v);
            }
        });
        return new Response(status, clean, body);
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static void write(OutputStream out, Response r) throws IOException {
        StringBuilder b = new StringBuilder("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status())).append("\r\n");
        r.headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Content-Length") && !k.equalsIgnoreCase("Connection")) {
                b.append(k).append(": ").append(v).append("\r\n");
            }
        });
        b.append("Content-Length: ").append(r.body().length).append("\r\nConnection: close\r\n\r\n");
        out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(r.body());
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 500 -> "Internal Server Error";
            default -> "Status";
        };
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel c : open) {
            c.close();
        }
        Files.deleteIfExists(path);
    }
}
