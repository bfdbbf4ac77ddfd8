package dev.dockaudit.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.util.Json;
import dev.dockaudit.util.Pem;
import dev.dockaudit.util.UserError;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * A small client for the Docker Engine API (and Podman's Docker-compatible API): one HTTP/1.1 request per
 * connection, over a unix socket or TCP with optional TLS. The API version is negotiated once with
 * {@code /_ping}: the lower of the daemon's and ours.
 */
public final class EngineClient {
    /** The newest API version whose replies we read. */
    static final String MAX_API = "1.43";
    /** Docker 1.12; older daemons lack the fields the audit needs. */
    static final String MIN_API = "1.24";

    private final DockerHost host;
    private final long timeoutMillis;
    private SSLContext tls;
    /** Set when TLS is on but DOCKER_CERT_PATH has no cert.pem/key.pem: the daemon's refusal is then explained by that. */
    private Path missingClientCert;
    private String apiVersion;
    private String serverName;

    public EngineClient(DockerHost host, long timeoutMillis) {
        this.host = host;
        this.timeoutMillis = timeoutMillis;
    }

    public DockerHost host() {
        return host;
    }

    /** The API version in use, after {@link #negotiate()}. */
    public String apiVersion() {
        return apiVersion;
    }

    /** "Docker" or "Podman", from the {@code Server} header or /version. */
    public String serverName() {
        return serverName;
    }

    /** Pings the daemon and settles the API version; throws a user error when there is no daemon. */
    public synchronized String negotiate() {
        if (apiVersion != null) {
            return apiVersion;
        }
        try (EngineResponse r = send("GET", "/_ping")) {
            byte[] body = r.body().readNBytes(1024);
            if (r.status() == 400 && new String(body, StandardCharsets.UTF_8).contains("HTTP request to an HTTPS server")) {
                // dockerd's answer to plain HTTP on its TLS port; say which switch is missing instead of "not an Engine API".
                throw new UserError(where() + " speaks TLS only; set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to the folder"
                        + " with ca.pem, cert.pem and key.pem");
            }
            if (r.status() != 200) {
                throw new UserError(where() + " answered /_ping with HTTP " + r.status() + "; is it a Docker Engine API?");
            }
            String server = r.header("api-version");
            apiVersion = server == null ? MIN_API : compare(server, MAX_API) < 0 ? server : MAX_API;
            if (compare(apiVersion, MIN_API) < 0) {
                throw new UserError(where() + " speaks Engine API " + server + "; dockaudit needs " + MIN_API + " or later");
            }
            String s = r.header("server");
            serverName = s != null && s.toLowerCase().contains("libpod") ? "Podman" : "Docker";
        } catch (IOException e) {
            throw unreachable(e);
        }
        return apiVersion;
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int xi = i < x.length ? parse(x[i]) : 0;
            int yi = i < y.length ? parse(y[i]) : 0;
            if (xi != yi) {
                return Integer.compare(xi, yi);
            }
        }
        return 0;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** GET a versioned API path and parse the JSON reply; 404 gives null, another status an {@link HttpError}. */
    public JsonNode getJson(String path) {
        negotiate();
        for (int attempt = 0; ; attempt++) {
            String version = apiVersion;
            try (EngineResponse r = send("GET", "/v" + version + path)) {
                byte[] body = r.readAll(64 << 20);
                if (r.status() == 404) {
                    return null;
                }
                if (r.status() == 400 && attempt == 0 && lowerVersion(version, message(body))) {
                    continue; // the daemon speaks an older API than /_ping claimed: ask again in its version
                }
                if (r.status() != 200) {
                    throw new HttpError(r.status(), where() + " answered GET " + path + " with HTTP " + r.status() + ": "
                            + message(body));
                }
                return Json.parse(body, "the daemon's reply to " + path);
            } catch (IOException e) {
                throw unreachable(e);
            }
        }
    }

    /** dockerd's answer to a too new version: "client version 1.43 is too new. Maximum supported API version is 1.41". */
    private static final java.util.regex.Pattern TOO_NEW = java.util.regex.Pattern.compile(
            "(?i)client version \\S+ is too new\\. Maximum supported API version is (\\d+\\.\\d+)");

    /**
     * A proxy in front of the daemon, or a daemon whose /_ping says more than it serves, makes us ask for a version it
     * refuses; it names its maximum, and we settle on that (once, and never below the minimum we need).
     */
    private synchronized boolean lowerVersion(String asked, String message) {
        java.util.regex.Matcher m = TOO_NEW.matcher(message);
        if (!m.find()) {
            return false;
        }
        String max = m.group(1);
        if (compare(max, asked) >= 0) {
            return false;
        }
        if (compare(max, MIN_API) < 0) {
            throw new UserError(where() + " speaks Engine API " + max + "; dockaudit needs " + MIN_API + " or later");
        }
        if (apiVersion.equals(asked)) {
            apiVersion = max;
        }
        return true;
    }

    /** A reply with an unexpected HTTP status: the daemon answered, so the connection itself is fine. */
    public static final class HttpError extends UserError {
        private static final long serialVersionUID = 1L;
        private final int status;

        public HttpError(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** GET a versioned API path and return the streaming reply; the caller closes it. */
    public EngineResponse stream(String path) {
        negotiate();
        try {
            return send("GET", "/v" + apiVersion + path);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    public static String message(byte[] body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n != null && n.has("message")) {
                return n.get("message").asText();
            }
        } catch (IOException e) {
            // not JSON: show the text
        }
        String s = new String(body, StandardCharsets.UTF_8).strip();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    public static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private EngineResponse send(String method, String path) throws IOException {
        Connection c = connect();
        boolean ok = false;
        try {
            String hostHeader = host.isUnix() ? "docker" : host.host() + ":" + host.port();
            String req = method + " " + path + " HTTP/1.1\r\nHost: " + hostHeader
                    + "\r\nUser-Agent: dockaudit\r\nAccept: application/json, application/x-tar\r\nConnection: close\r\n\r\n";
            c.out.write(req.getBytes(StandardCharsets.ISO_8859_1));
            c.out.flush();
            EngineResponse r = HttpWire.readResponse(c.in, method.equals("HEAD"));
            ok = true;
            return r;
        } finally {
            if (!ok) {
                c.close();
            }
        }
    }

    private record Connection(InputStream in, OutputStream out, AutoCloseable closer) {
        void close() {
            try {
                closer.close();
            } catch (Exception e) {
                // nothing useful to do
            }
        }
    }

    private Connection connect() throws IOException {
        if (host.isUnix()) {
            if (!Files.exists(host.socket())) {
                throw new UserError("cannot reach the Docker daemon: " + host.socket() + " does not exist; start dockerd"
                        + " (or podman system service), or point --docker-host / DOCKER_HOST at its socket");
            }
            SocketChannel ch = connectUnix();
            TimeoutChannelStreams s = new TimeoutChannelStreams(ch, timeoutMillis);
            InputStream in = new BufferedInputStream(s.input(), 1 << 16);
            return new Connection(in, new BufferedOutputStream(s.output()), in);
        }
        Socket socket;
        if (host.tls()) {
            socket = tlsContext().getSocketFactory().createSocket();
        } else {
            socket = new Socket();
        }
        try {
            socket.connect(new InetSocketAddress(host.host(), host.port()), (int) Math.min(timeoutMillis, 10_000));
            socket.setSoTimeout((int) timeoutMillis);
            if (socket instanceof SSLSocket ssl) {
                if (host.verify()) {
                    javax.net.ssl.SSLParameters p = ssl.getSSLParameters();
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    ssl.setSSLParameters(p);
                }
                ssl.startHandshake();
            }
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        return new Connection(in, new BufferedOutputStream(socket.getOutputStream()), socket);
    }

    /**
     * Connects without blocking. A blocking connect() on a unix socket waits for as long as the listener's backlog
     * is full, which is forever when the daemon hangs and stops accepting, and no timeout applies to it. Without
     * blocking, Linux refuses at once with EAGAIN instead; we retry until the engine timeout has passed.
     */
    private SocketChannel connectUnix() throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(host.socket());
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            boolean ok = false;
            try {
                ch.configureBlocking(false);
                boolean connected = ch.connect(address);
                if (!connected) {
                    try (java.nio.channels.Selector sel = java.nio.channels.Selector.open()) {
                        ch.register(sel, java.nio.channels.SelectionKey.OP_CONNECT);
                        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
                        if (sel.select(left) == 0 || !ch.finishConnect()) {
                            throw new SocketTimeoutException("the daemon did not accept the connection in " + seconds());
                        }
                    }
                }
                ok = true;
                return ch;
            } catch (java.net.SocketException e) {
                // The channel is closed by a failed connect; only a full backlog (EAGAIN) is worth another try.
                String m = String.valueOf(e.getMessage());
                boolean backlogFull = m.contains("temporarily unavailable") || m.contains("try again");
                if (!backlogFull) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new SocketTimeoutException("the daemon did not accept the connection in " + seconds());
                }
            } finally {
                if (!ok) {
                    ch.close();
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while connecting to the daemon");
            }
        }
    }

    private String seconds() {
        return timeoutMillis % 1000 == 0 ? timeoutMillis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s",
                timeoutMillis / 1000.0);
    }

    private synchronized SSLContext tlsContext() throws IOException {
        if (tls == null) {
            Path dir = host.certPath();
            Path ca = dir.resolve("ca.pem");
            Path cert = dir.resolve("cert.pem");
            Path key = dir.resolve("key.pem");
            if (host.verify() && !Files.isRegularFile(ca)) {
                throw new UserError("DOCKER_TLS_VERIFY is set but " + ca + " is missing; set DOCKER_CERT_PATH to the"
                        + " folder with ca.pem, cert.pem and key.pem");
            }
            boolean clientCert = Files.isRegularFile(cert) && Files.isRegularFile(key);
            missingClientCert = clientCert ? null : dir;
            tls = host.verify()
                    ? Pem.tlsContext(ca, false, clientCert ? cert : null, clientCert ? key : null)
                    : insecureContext(clientCert ? cert : null, clientCert ? key : null);
        }
        return tls;
    }

    private static SSLContext insecureContext(Path cert, Path key) throws IOException {
        // DOCKER_TLS without verification: encrypt, but accept any server certificate, as the docker CLI's --tls does.
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            javax.net.ssl.KeyManager[] keys = null;
            if (cert != null) {
                java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("client", Pem.privateKey(key), new char[0],
                        Pem.certificates(cert).toArray(new java.security.cert.Certificate[0]));
                javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                        javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
                keys = kmf.getKeyManagers();
            }
            ctx.init(keys, new javax.net.ssl.TrustManager[] {new TrustAll()}, null);
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new UserError("cannot set up TLS to the daemon: " + e.getMessage());
        }
    }

    private static final class TrustAll implements javax.net.ssl.X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }

    /** Why a handshake failed, in words: JSSE's messages name internal classes (sun.security.provider.certpath…). */
    private String tlsReason(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertPathBuilderException
                    || t instanceof java.security.cert.CertPathValidatorException) {
                return "the daemon's certificate is not signed by the CA in "
                        + (host.certPath() == null ? "DOCKER_CERT_PATH" : host.certPath().resolve("ca.pem"));
            }
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("(?:[a-z][a-z0-9_]*\\.)+[A-Za-z0-9_$]*(?:Exception|Error): ", "");
    }

    private String where() {
        return "the Docker daemon at " + host.spec();
    }

    /** The user's view of a failed exchange with the daemon: what went wrong and what to do. */
    public UserError unreachable(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return new UserError(where() + " did not answer in " + seconds() + "; check that it is healthy"
                    + " (docker info) or point --docker-host at another daemon");
        }
        if (host.tls() && missingClientCert != null && !(e instanceof ConnectException)
                && (e instanceof SSLException || e instanceof java.net.SocketException)) {
            // With TLS 1.3 the client's handshake completes before the daemon checks for a client certificate, so a
            // daemon run with --tlsverify refuses us on the first read or write ("Broken pipe", "Connection reset"),
            // which alone reads like a daemon that is not running.
            return new UserError(where() + " closed the TLS connection (" + e.getMessage() + "); it wants a client"
                    + " certificate and " + missingClientCert + " has no cert.pem and key.pem; set DOCKER_CERT_PATH to the"
                    + " folder with ca.pem, cert.pem and key.pem");
        }
        if (e instanceof SSLException) {
            return new UserError("TLS to " + where() + " failed (" + tlsReason(e) + "); check DOCKER_CERT_PATH and"
                    + " DOCKER_TLS_VERIFY");
        }
        if (host.isUnix() && String.valueOf(e.getMessage()).contains("Permission denied")) {
            return new UserError("permission denied on " + host.socket() + ": this user may not use the daemon's socket;"
                    + " run dockaudit as root or as a member of the socket's group (ls -l " + host.socket()
                    + "; usually docker), or point --docker-host at a socket you may use (rootless Podman's)");
        }
        if (e instanceof ConnectException || e instanceof java.net.SocketException) {
            return new UserError("cannot reach " + where() + " (" + e.getMessage() + "); start dockerd (or podman system"
                    + " service), or point --docker-host / DOCKER_HOST at a running daemon");
        }
        return new UserError("talking to " + where() + " failed (" + e.getMessage() + "); retry, or check the daemon's log");
    }
}
