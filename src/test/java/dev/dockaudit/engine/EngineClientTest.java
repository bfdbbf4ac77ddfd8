package dev.dockaudit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.UnixSockets;
import dev.dockaudit.util.UserError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's side of API version negotiation and its handling of replies, against a scripted server on a real
 * unix socket (the integration tests negotiate with the real dockerd and Podman, which both say 1.41).
 */
class EngineClientTest {
    @TempDir
    Path dir;

    private Scripted server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private EngineClient client(Function<String, String> replies) throws IOException {
        stop();
        server = new Scripted(dir.resolve("engine.sock"), replies);
        return new EngineClient(DockerHost.parse("unix://" + server.path, false, false, null), 5_000);
    }

    private static String ping(String... headers) {
        return "HTTP/1.1 200 OK\r\n" + String.join("", headers) + "Content-Length: 2\r\n\r\nOK";
    }

    private static String json(int status, String body) {
        return "HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static Function<String, String> daemon(String pingReply) {
        return line -> line.startsWith("GET /_ping ") ? pingReply : json(200, "{\"path\":\"" + line.split(" ")[1] + "\"}");
    }

    @Test
    void usesTheDaemonsVersionWhenItIsOlder() throws IOException {
        EngineClient c = client(daemon(ping("Api-Version: 1.41\r\n", "Server: Docker/20.10.24 (linux)\r\n")));
        assertThat(c.negotiate()).isEqualTo("1.41");
        assertThat(c.serverName()).isEqualTo("Docker");
        JsonNode r = c.getJson("/images/x/json");
        assertThat(r.path("path").asText()).isEqualTo("/v1.41/images/x/json");
    }

    @Test
    void capsANewerDaemonAtTheNewestVersionWeRead() throws IOException {
        EngineClient c = client(daemon(ping("Api-Version: 1.47\r\n")));
        assertThat(c.negotiate()).isEqualTo(EngineClient.MAX_API).isEqualTo("1.43");
        assertThat(c.getJson("/version").path("path").asText()).isEqualTo("/v1.43/version");
    }

    @Test
    void versionsCompareAsNumbersNotText() throws IOException {
        assertThat(EngineClient.compare("1.9", "1.10")).isNegative();
        assertThat(EngineClient.compare("1.41", "1.41.0")).isZero();
        assertThat(EngineClient.compare("2.0", "1.43")).isPositive();
        // a daemon at 1.100 is newer than 1.43, so we stay at ours
        assertThat(client(daemon(ping("Api-Version: 1.100\r\n"))).negotiate()).isEqualTo("1.43");
    }

    @Test
    void withoutAnApiVersionHeaderTheOldestSupportedIsUsed() throws IOException {
        EngineClient c = client(daemon(ping()));
        assertThat(c.negotiate()).isEqualTo(EngineClient.MIN_API);
        assertThat(c.getJson("/images/x/json").path("path").asText()).isEqualTo("/v1.24/images/x/json");
    }

    @Test
    void tooOldADaemonIsAUserError() throws IOException {
        EngineClient c = client(daemon(ping("Api-Version: 1.12\r\n")));
        assertThatThrownBy(c::negotiate).isInstanceOf(UserError.class)
                .hasMessageContaining("speaks Engine API 1.12").hasMessageContaining("needs 1.24 or later");
    }

    @Test
    void podmanIsRecognisedByItsServerHeader() throws IOException {
        EngineClient c = client(daemon(ping("Api-Version: 1.41\r\n", "Libpod-Api-Version: 4.3.1\r\n",
                "Server: Libpod/4.3.1 (linux)\r\n")));
        c.negotiate();
        assertThat(c.serverName()).isEqualTo("Podman");
    }

    @Test
    void negotiatesOnceForManyRequests() throws IOException {
        EngineClient c = client(daemon(ping("Api-Version: 1.41\r\n")));
        c.getJson("/images/a/json");
        c.getJson("/images/b/json");
        c.getJson("/images/c/history");
        assertThat(server.requests).filteredOn(l -> l.startsWith("GET /_ping ")).hasSize(1);
        assertThat(server.requests).hasSize(4);
    }

    @Test
    void requestsAreOneShotHttp11() throws IOException {
        EngineClient c = client(daemon(ping("Api-Version: 1.41\r\n")));
        c.getJson("/images/" + EngineClient.encode("da-dmn/app:1") + "/json");
        assertThat(server.heads).allSatisfy(h -> assertThat(h).contains("\r\nHost: docker\r\n").contains("\r\nConnection: close\r\n"));
        assertThat(server.requests.get(1)).isEqualTo("GET /v1.41/images/da-dmn%2Fapp%3A1/json HTTP/1.1");
    }

    @Test
    void notFoundIsNullAndOtherErrorsCarryTheDaemonsMessage() throws IOException {
        EngineClient c = client(line -> line.startsWith("GET /_ping ") ? ping("Api-Version: 1.41\r\n")
                : line.contains("/missing/") ? json(404, "{\"message\":\"No such image: missing\"}")
                : json(500, "{\"message\":\"storage driver exploded\"}"));
        assertThat(c.getJson("/images/missing/json")).isNull();
        assertThatThrownBy(() -> c.getJson("/images/x/json")).isInstanceOf(UserError.class)
                .hasMessageContaining("HTTP 500").hasMessageContaining("storage driver exploded");
    }

    @Test
    void chunkedRepliesAreRead() throws IOException {
        EngineClient c = client(line -> line.startsWith("GET /_ping ") ? ping("Api-Version: 1.41\r\n")
                : "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3;ext=1\r\n:42\r\n1\r\n}\r\n0\r\n\r\n");
        assertThat(c.getJson("/x").path("a").asInt()).isEqualTo(42);
    }

    @Test
    void somethingThatIsNotAnEngineApi() throws IOException {
        EngineClient c = client(line -> "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
        assertThatThrownBy(c::negotiate).isInstanceOf(UserError.class)
                .hasMessageContaining("answered /_ping with HTTP 500").hasMessageContaining("Docker Engine API");
        EngineClient tls = client(line -> "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n");
        assertThatThrownBy(tls::negotiate).isInstanceOf(UserError.class).hasMessageContaining("speaks TLS only");
    }

    @Test
    @Timeout(30)
    void silenceAndAFullBacklogTimeOut() throws IOException {
        try (UnixSockets.Server silent = UnixSockets.silent(dir.resolve("silent.sock"))) {
            EngineClient c = new EngineClient(DockerHost.parse(silent.dockerHost(), false, false, null), 300);
            long t0 = System.nanoTime();
            assertThatThrownBy(c::negotiate).isInstanceOf(UserError.class).hasMessageContaining("did not answer in 0.3 s");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
        }
        try (UnixSockets.Server full = UnixSockets.backlogFull(dir.resolve("full.sock"))) {
            EngineClient c = new EngineClient(DockerHost.parse(full.dockerHost(), false, false, null), 300);
            assertThatThrownBy(c::negotiate).isInstanceOf(UserError.class).hasMessageContaining("did not answer in 0.3 s");
        }
    }

    @Test
    void noListenerIsACleanError() throws IOException {
        Path stale = UnixSockets.stale(dir.resolve("stale.sock"));
        EngineClient c = new EngineClient(DockerHost.parse("unix://" + stale, false, false, null), 1_000);
        assertThatThrownBy(c::negotiate).isInstanceOf(UserError.class).hasMessageContaining("cannot reach")
                .hasMessageContaining("Connection refused");
        EngineClient none = new EngineClient(DockerHost.parse("unix://" + dir.resolve("none.sock"), false, false, null), 1_000);
        assertThatThrownBy(none::negotiate).isInstanceOf(UserError.class).hasMessageContaining("does not exist");
    }

    /** Answers each connection's request with {@code replies.apply(requestLine)}, then closes it. */
    private static final class Scripted implements AutoCloseable {
        final Path path;
        final List<String> requests = new CopyOnWriteArrayList<>();
        final List<String> heads = new CopyOnWriteArrayList<>();
        private final ServerSocketChannel server;

        Scripted(Path path, Function<String, String> replies) throws IOException {
            this.path = path;
            Files.deleteIfExists(path);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            Thread t = new Thread(() -> {
                while (server.isOpen()) {
                    try (SocketChannel c = server.accept()) {
                        String head = readHead(Channels.newInputStream(c));
                        heads.add(head);
                        String line = head.lines().findFirst().orElse("");
                        requests.add(line);
                        Channels.newOutputStream(c).write(replies.apply(line).getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "scripted engine");
            t.setDaemon(true);
            t.start();
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int state = 0;
            while (state < 4) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                b.write(c);
                state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1
                        : c == '\r' ? 1 : 0;
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            server.close();
            Files.deleteIfExists(path);
        }
    }
}
