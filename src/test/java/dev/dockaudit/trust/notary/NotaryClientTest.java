package dev.dockaudit.trust.notary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.registry.Credentials;
import dev.dockaudit.testing.TestCerts;
import dev.dockaudit.testing.TufServer;
import dev.dockaudit.util.UserError;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP side of talking to a notary server: paths, size limits, token auth, TLS trust as the docker CLI sets it up. */
class NotaryClientTest {
    static final String GUN = "registry.test:5000/team/app";

    @TempDir
    Path tmp;

    NotaryClient client(String url, List<Path> cas) {
        return new NotaryClient(URI.create(url), GUN, "registry.test:5000", tmp, cas, new Credentials(tmp.resolve("config.json")), 5_000);
    }

    @Test
    void fetchesRolesAndSaysWhenThereAreNone() throws Exception {
        try (TufServer s = TufServer.http(GUN)) {
            s.files.put("root", "{\"signed\":{}}".getBytes(StandardCharsets.UTF_8));
            s.files.put("targets/releases", "{}".getBytes(StandardCharsets.UTF_8));
            NotaryClient c = client(s.url(), List.of());
            assertThat(new String(c.fetch("root", 1000), StandardCharsets.UTF_8)).isEqualTo("{\"signed\":{}}");
            assertThat(c.fetch("targets/releases", 1000)).hasSize(2);
            assertThat(c.fetch("timestamp", 1000)).isNull();
            assertThat(s.requests).containsExactly("GET /v2/" + GUN + "/_trust/tuf/root.json",
                    "GET /v2/" + GUN + "/_trust/tuf/targets/releases.json", "GET /v2/" + GUN + "/_trust/tuf/timestamp.json");
        }
    }

    @Test
    void readsNoMoreThanTheLimitAndOneByte() throws Exception {
        try (TufServer s = TufServer.http(GUN)) {
            s.files.put("root", new byte[5 << 20]);
            assertThat(client(s.url(), List.of()).fetch("root", 1000)).hasSize(1001);
        }
    }

    @Test
    void aServerBehindAPathPrefix() throws Exception {
        try (TufServer s = TufServer.http(GUN)) {
            s.handler = ex -> {
                try {
                    TufServer.send(ex, 200, ex.getRequestURI().getRawPath().getBytes(StandardCharsets.UTF_8));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                return true;
            };
            assertThat(new String(client(s.url() + "/notary/", List.of()).fetch("root", 1000), StandardCharsets.UTF_8))
                    .isEqualTo("/notary/v2/" + GUN + "/_trust/tuf/root.json");
        }
    }

    @Test
    void answersABearerChallengeWithTheRegistrysLogin() throws Exception {
        Files.writeString(tmp.resolve("config.json"), "{\"auths\":{\"registry.test:5000\":{\"auth\":\""
                + Base64.getEncoder().encodeToString("user:pw".getBytes(StandardCharsets.UTF_8)) + "\"}}}");
        try (TufServer s = TufServer.http(GUN)) {
            s.files.put("root", "{}".getBytes(StandardCharsets.UTF_8));
            StringBuilder tokenAuth = new StringBuilder();
            s.handler = ex -> {
                try {
                    String path = ex.getRequestURI().getRawPath();
                    if (path.equals("/token")) {
                        tokenAuth.append(ex.getRequestHeaders().getFirst("Authorization"));
                        TufServer.send(ex, 200, "{\"token\":\"T0K3N\"}".getBytes(StandardCharsets.UTF_8));
                        return true;
                    }
                    if (!"Bearer T0K3N".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"http://" + ex.getLocalAddress().getHostString()
                                + ":" + ex.getLocalAddress().getPort() + "/token\",service=\"notary.test\",scope=\"repository:" + GUN + ":pull\"");
                        TufServer.send(ex, 401, new byte[0]);
                        return true;
                    }
                    return false;
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            };
            assertThat(client(s.url(), List.of()).fetch("root", 1000)).hasSize(2);
            assertThat(tokenAuth.toString()).isEqualTo("Basic " + Base64.getEncoder().encodeToString("user:pw".getBytes(StandardCharsets.UTF_8)));
            assertThat(s.requests).anySatisfy(r -> assertThat(r).startsWith("GET /token?service=notary.test&scope=repository%3A"));
        }
    }

    @Test
    void serverErrorsAreUserErrors() throws Exception {
        try (TufServer s = TufServer.http(GUN)) {
            s.handler = ex -> {
                try {
                    TufServer.send(ex, 503, "down for maintenance".getBytes(StandardCharsets.UTF_8));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                return true;
            };
            assertThatThrownBy(() -> client(s.url(), List.of()).fetch("root", 1000)).isInstanceOf(UserError.class)
                    .hasMessageContaining("answered HTTP 503 for root.json of " + GUN + " (down for maintenance)");
        }
    }

    @Test
    void aServerThatIsDown() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        assertThatThrownBy(() -> client("https://127.0.0.1:" + port, List.of()).fetch("root", 1000)).isInstanceOf(UserError.class)
                .hasMessage("cannot connect to the notary server https://127.0.0.1:" + port + " (connection refused); is it running?"
                        + " check --trust-server (or DOCKER_CONTENT_TRUST_SERVER)");
    }

    @Test
    void plainHttpWhereHttpsIsExpected() throws Exception {
        // Like Go's HTTP servers (a registry at its default trust server address), answer a TLS hello with a 400 in clear.
        try (ServerSocket ss = new ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
            Thread t = new Thread(() -> {
                try (java.net.Socket c = ss.accept()) {
                    c.getInputStream().read(new byte[1024]);
                    c.getOutputStream().write("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException e) {
                    // the test fails on the client side then
                }
            });
            t.setDaemon(true);
            t.start();
            assertThatThrownBy(() -> client("https://127.0.0.1:" + ss.getLocalPort(), List.of()).fetch("root", 1000))
                    .isInstanceOf(UserError.class).hasMessageContaining("answers in plain HTTP, so it is no notary server");
        }
    }

    @Test
    void tlsTrustsTheCaTheDockerCliWouldTrust() throws Exception {
        KeyPair caKey = TestCerts.ec();
        Instant now = Instant.now();
        X509Certificate ca = TestCerts.selfSigned(caKey, "notary test CA", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(2)), true, null);
        KeyPair serverKey = TestCerts.ec();
        X509Certificate cert = TestCerts.issued(serverKey, "localhost", caKey.getPrivate(), "notary test CA",
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(2)), false, "127.0.0.1");
        try (TufServer s = TufServer.https(GUN, serverKey.getPrivate(), cert, ca)) {
            s.files.put("root", "{}".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> client(s.url(), List.of()).fetch("root", 1000)).isInstanceOf(UserError.class)
                    .hasMessage("the notary server " + s.authority() + " presents a certificate from an unknown authority; put its CA"
                            + " in " + tmp.resolve("tls").resolve(s.authority()).resolve("ca.crt") + " (where the docker CLI looks) or"
                            + " pass --ca-cert FILE");

            Path caFile = tmp.resolve("ca.pem");
            Files.writeString(caFile, TestCerts.pem(ca));
            assertThat(client(s.url(), List.of(caFile)).fetch("root", 1000)).hasSize(2);

            Path dockerTls = Files.createDirectories(tmp.resolve("tls").resolve(s.authority()));
            Files.writeString(dockerTls.resolve("ca.crt"), TestCerts.pem(ca));
            assertThat(client(s.url(), List.of()).fetch("root", 1000)).hasSize(2);
        }
    }
}
