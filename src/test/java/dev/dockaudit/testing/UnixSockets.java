package dev.dockaudit.testing;

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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Unix sockets that behave like daemons in trouble, for proving that dockaudit gives up with a clear error
 * instead of hanging: one that accepts and never answers, one whose listen backlog is full (a daemon that
 * stopped accepting), a stale socket file nobody listens on, and a proxy to the real daemon that stops
 * forwarding an image export part-way.
 */
public final class UnixSockets {
    private UnixSockets() {
    }

    /** A listener that is closed (and its socket file removed) with the test. */
    public abstract static class Server implements AutoCloseable {
        protected final Path path;
        protected final ServerSocketChannel server;
        protected final List<SocketChannel> held = new CopyOnWriteArrayList<>();

        Server(Path path, int backlog) throws IOException {
            this.path = path;
            Files.deleteIfExists(path);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path), backlog);
        }

        public String dockerHost() {
            return "unix://" + path;
        }

        @Override
        public void close() throws IOException {
            for (SocketChannel c : held) {
                c.close();
            }
            server.close();
            Files.deleteIfExists(path);
        }

        protected void acceptInBackground(java.util.function.Consumer<SocketChannel> handler) {
            Thread t = new Thread(() -> {
                while (server.isOpen()) {
                    try {
                        SocketChannel c = server.accept();
                        held.add(c);
                        handler.accept(c);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "unix-server " + path.getFileName());
            t.setDaemon(true);
            t.start();
        }
    }

    /** Accepts every connection and never sends a byte: a wedged daemon. */
    public static Server silent(Path path) throws IOException {
        Server s = new Server(path, 50) {
        };
        s.acceptInBackground(c -> { });
        return s;
    }

    /** Never accepts, and its backlog is already full: a connect cannot even complete. */
    public static Server backlogFull(Path path) throws IOException {
        Server s = new Server(path, 1) {
        };
        for (int i = 0; i < 16; i++) {
            SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
            c.configureBlocking(false);
            try {
                c.connect(UnixDomainSocketAddress.of(path));
                s.held.add(c);
            } catch (IOException e) {
                c.close();
                return s; // the kernel refused: the backlog is full
            }
        }
        throw new AssertionError("the listen backlog of " + path + " never filled up");
    }

    /** A socket file left behind by a daemon that died: connecting is refused. */
    public static Path stale(Path path) throws IOException {
        Files.deleteIfExists(path);
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(path));
        }
        if (!Files.exists(path)) {
            throw new AssertionError("closing the listener removed " + path);
        }
        return path;
    }

    /**
     * Forwards requests to the real daemon at {@code upstream} unchanged, except that replies to requests whose path
     * contains {@code stallOn} stop after {@code forwardBytes} bytes while the connection stays open.
     */
    public static Server stallingProxy(Path path, Path upstream, String stallOn, long forwardBytes) throws IOException {
        Server s = new Server(path, 50) {
        };
        s.acceptInBackground(client -> {
            Thread t = new Thread(() -> relay(client, upstream, stallOn, forwardBytes, s.held), "proxy");
            t.setDaemon(true);
            t.start();
        });
        return s;
    }

    private static void relay(SocketChannel client, Path upstream, String stallOn, long limit, List<SocketChannel> held) {
        try {
            InputStream fromClient = Channels.newInputStream(client);
            OutputStream toClient = Channels.newOutputStream(client);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            int matched = 0;
            byte[] end = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            while (matched < end.length) {
                int b = fromClient.read();
                if (b < 0) {
                    return;
                }
                request.write(b);
                matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
            }
            String requestLine = request.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
            long max = requestLine.contains(stallOn) ? limit : Long.MAX_VALUE;
            SocketChannel daemon = SocketChannel.open(StandardProtocolFamily.UNIX);
            held.add(daemon);
            daemon.connect(UnixDomainSocketAddress.of(upstream));
            Channels.newOutputStream(daemon).write(request.toByteArray());
            InputStream fromDaemon = Channels.newInputStream(daemon);
            byte[] buf = new byte[8192];
            long sent = 0;
            while (sent < max) {
                int n = fromDaemon.read(buf, 0, (int) Math.min(buf.length, max - sent));
                if (n < 0) {
                    client.close();
                    return;
                }
                toClient.write(buf, 0, n);
                sent += n;
            }
            // Stalled: keep both connections open and send nothing more.
        } catch (IOException e) {
            // the test is over
        }
    }
}
