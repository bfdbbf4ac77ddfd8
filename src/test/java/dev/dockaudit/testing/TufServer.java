package dev.dockaudit.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A notary server stand-in: serves TUF files at {@code /v2/GUN/_trust/tuf/ROLE.json} from a map the test fills (the
 * real server's files with one edit, or a {@link TufFixture}'s), over HTTPS with a given certificate or plain HTTP.
 * A test may replace the whole answer with a handler.
 */
public final class TufServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final String scheme;
    public final Map<String, byte[]> files = new ConcurrentHashMap<>();
    public final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    public volatile Function<HttpExchange, Boolean> handler;
    private final String gun;

    private TufServer(HttpServer server, String scheme, String gun) {
        this.server = server;
        this.scheme = scheme;
        this.gun = gun;
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    public static TufServer http(String gun) throws IOException {
        return new TufServer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), "http", gun);
    }

    /** HTTPS with the certificate chain and key given (the test CA's server certificate, or one made in the test). */
    public static TufServer https(String gun, PrivateKey key, X509Certificate... chain) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, new char[0], chain.clone());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(ctx));
        return new TufServer(s, "https", gun);
    }

    /** HTTPS with a PEM certificate and key from files (scripts/test-env's server certificate). */
    public static TufServer https(String gun, Path certPem, Path keyPem) throws Exception {
        List<X509Certificate> chain = dev.dockaudit.util.Pem.certificates(certPem);
        return https(gun, dev.dockaudit.util.Pem.privateKey(keyPem), chain.toArray(new X509Certificate[0]));
    }

    public TufServer put(Map<String, byte[]> roles) {
        files.putAll(roles);
        return this;
    }

    public String url() {
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    public String authority() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            requests.add(ex.getRequestMethod() + " " + path + (ex.getRequestURI().getRawQuery() == null ? ""
                    : "?" + ex.getRequestURI().getRawQuery()));
            Function<HttpExchange, Boolean> h = handler;
            if (h != null && h.apply(ex)) {
                return;
            }
            String prefix = "/v2/" + gun + "/_trust/tuf/";
            byte[] body = path.startsWith(prefix) && path.endsWith(".json")
                    ? files.get(path.substring(prefix.length(), path.length() - ".json".length())) : null;
            if (body == null) {
                send(ex, 404, "{\"errors\":[{\"code\":\"METADATA_NOT_FOUND\",\"message\":\"You have requested metadata that does not exist.\"}]}"
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(ex, 200, body);
        }
    }

    public static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
