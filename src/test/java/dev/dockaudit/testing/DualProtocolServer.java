package dev.dockaudit.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One port that speaks both HTTPS and plain HTTP (it looks at the first byte: 0x16 starts a TLS handshake), with
 * a tiny HTTP/1.1 responder. It lets a test see what a client sends after a redirect from https://HOST:PORT to
 * http://HOST:PORT, the same authority without TLS, which no pair of ordinary servers can show.
 */
public final class DualProtocolServer implements AutoCloseable {
    /** One request: whether it came over TLS, its request line and headers. */
    public record Request(boolean tls, String method, String target, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    /** A reply: status, headers, body. */
    public record Reply(int status, Map<String, String> headers, byte[] body) {
    }

    /** Decides the reply to a request. */
    @FunctionalInterface
    public interface Handler {
        Reply handle(Request r);
    }

    private final ServerSocket server;
    private final SSLContext tls;
    private final Handler handler;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Thread acceptor;

    /** {@code tls} null: plain HTTP only, a TLS hello answered with an HTTP 400 as Go's servers answer it. */
    public DualProtocolServer(SSLContext tls, Handler handler) throws IOException {
        this.tls = tls;
        this.handler = handler;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "dual-protocol-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "dual-protocol-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket raw) {
        try (Socket s = raw) {
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            int first = in.read();
            if (first < 0) {
                return;
            }
            if (first == 0x16 && tls == null) {
                // Plain HTTP only: answer a TLS hello as Go's servers (a registry) do, so a client falls back at once.
                s.getOutputStream().write("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            if (first == 0x16) {
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s,
                        new ByteArrayInputStream(new byte[] {(byte) first}), true);
                ssl.setUseClientMode(false);
                ssl.startHandshake();
                exchange(true, ssl.getInputStream(), ssl.getOutputStream(), -1);
            } else {
                exchange(false, in, s.getOutputStream(), first);
            }
        } catch (IOException e) {
            // the client went away or refused the handshake
        }
    }

    private void exchange(boolean overTls, InputStream in, OutputStream out, int firstByte) throws IOException {
        StringBuilder head = new StringBuilder();
        if (firstByte >= 0) {
            head.append((char) firstByte);
        }
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
            if (head.length() > 65536) {
                return;
            }
        }
        String[] lines = head.toString().split("\r\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length < 2) {
            return;
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
        }
        Request r = new Request(overTls, requestLine[0], requestLine[1], headers);
        requests.add(r);
        Reply reply = handler.handle(r);
        StringBuilder resp = new StringBuilder("HTTP/1.1 " + reply.status() + " X\r\n");
        reply.headers().forEach((k, v) -> resp.append(k).append(": ").append(v).append("\r\n"));
        resp.append("Content-Length: ").append(reply.body().length).append("\r\nConnection: close\r\n\r\n");
        out.write(resp.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!r.method().equals("HEAD")) {
            out.write(reply.body());
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
