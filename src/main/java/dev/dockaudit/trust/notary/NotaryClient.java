package dev.dockaudit.trust.notary;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.registry.AuthChallenge;
import dev.dockaudit.registry.Credentials;
import dev.dockaudit.util.IdleTimeoutInputStream;
import dev.dockaudit.util.Json;
import dev.dockaudit.util.Pem;
import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Fetches a repository's TUF metadata from a notary server as the docker CLI does:
 * {@code GET SERVER/v2/GUN/_trust/tuf/ROLE.json}, TLS trusting the system CAs plus
 * {@code $DOCKER_CONFIG/tls/HOST[:PORT]/ca.crt} (and {@code client.cert}/{@code client.key} there for mutual TLS)
 * and any {@code --ca-cert}, and a bearer token from the server's token service when it asks for one
 * (Docker Hub's notary does), with the registry's docker login if there is one.
 */
public final class NotaryClient implements MetadataSource {
    private final URI server;
    private final String gun;
    private final String registry;
    private final Credentials credentials;
    private final long timeoutMillis;
    private final HttpClient http;
    private final Path certDir;
    private String token;

    /**
     * @param server        the notary server's base URL (https://HOST[:PORT])
     * @param gun           the trust repository: the image name as docker spells it, e.g. docker.io/library/alpine
     * @param registry      the image's registry, whose login the token service may want
     * @param dockerConfig  the docker CLI's config folder ($DOCKER_CONFIG, else ~/.docker)
     * @param extraCas      --ca-cert files
     */
    public NotaryClient(URI server, String gun, String registry, Path dockerConfig, List<Path> extraCas,
                        Credentials credentials, long timeoutMillis) {
        this.server = server;
        this.gun = gun;
        this.registry = registry;
        this.credentials = credentials;
        this.timeoutMillis = timeoutMillis;
        this.certDir = dockerConfig.resolve("tls").resolve(server.getRawAuthority());
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(Math.min(timeoutMillis, 10_000)))
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls(extraCas))
                .build();
    }

    @Override
    public String describe() {
        return server.toString();
    }

    private SSLContext tls(List<Path> extraCas) {
        List<Path> cas = new ArrayList<>(extraCas);
        Path ca = certDir.resolve("ca.crt");
        if (Files.isRegularFile(ca)) {
            cas.add(ca);
        }
        Path cert = certDir.resolve("client.cert");
        Path key = certDir.resolve("client.key");
        boolean client = Files.isRegularFile(cert) && Files.isRegularFile(key);
        if (cas.isEmpty() && !client) {
            try {
                return SSLContext.getDefault();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        Path bundle = null;
        try {
            if (!cas.isEmpty()) {
                bundle = Files.createTempFile("dockaudit-notary-ca", ".pem");
                StringBuilder pem = new StringBuilder();
                for (Path p : cas) {
                    for (X509Certificate c : Pem.certificates(p)) {
                        pem.append("-----BEGIN CERTIFICATE-----\n")
                                .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded()))
                                .append("\n-----END CERTIFICATE-----\n");
                    }
                }
                Files.writeString(bundle, pem);
            }
            return Pem.tlsContext(bundle, true, client ? cert : null, client ? key : null);
        } catch (IOException e) {
            throw new UserError("cannot read the CA certificates for the notary server " + server.getRawAuthority() + ": "
                    + e.getMessage());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new UserError("a CA certificate for the notary server could not be re-encoded: " + e.getMessage());
        } finally {
            if (bundle != null) {
                try {
                    Files.deleteIfExists(bundle);
                } catch (IOException e) {
                    // a temporary file left behind; nothing more to do
                }
            }
        }
    }

    @Override
    public byte[] fetch(String role, long maxBytes) {
        URI uri = URI.create(server.getScheme() + "://" + server.getRawAuthority() + pathPrefix() + "/v2/" + gun
                + "/_trust/tuf/" + role + ".json");
        boolean authTried = false;
        while (true) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(timeoutMillis)).GET()
                    .header("User-Agent", "dockaudit").header("Accept", "application/json");
            if (token != null) {
                rb.header("Authorization", "Bearer " + token);
            }
            HttpResponse<InputStream> r;
            try {
                r = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw transport(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("interrupted");
            }
            int status = r.statusCode();
            if (status == 401 && !authTried) {
                drain(r);
                authTried = true;
                token = fetchToken(r.headers().firstValue("www-authenticate").orElse(null));
                continue;
            }
            if (status == 404) {
                drain(r);
                return null;
            }
            if (status != 200) {
                String body = new String(read(r, 4096, role), StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
                throw new UserError("the notary server " + server + " answered HTTP " + status + " for " + role + ".json of "
                        + gun + (body.isEmpty() ? "" : " (" + (body.length() > 160 ? body.substring(0, 160) + "…" : body) + ")")
                        + (status == 401 || status == 403 ? "; run docker login " + registry + " if the repository is private"
                        : "; check --trust-server (or DOCKER_CONTENT_TRUST_SERVER) and try again later"));
            }
            return read(r, maxBytes + 1, role);
        }
    }

    /** The server URL's own path (a notary behind a path prefix), without a trailing slash. */
    private String pathPrefix() {
        String p = server.getRawPath();
        return p == null ? "" : p.replaceAll("/+$", "");
    }

    private byte[] read(HttpResponse<InputStream> r, long max, String role) {
        try (InputStream in = new IdleTimeoutInputStream(r.body(), timeoutMillis, role + ".json from the notary server "
                + server.getRawAuthority())) {
            return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max));
        } catch (IOException e) {
            throw transport(e);
        }
    }

    private static void drain(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            in.skip(1 << 16);
        } catch (IOException e) {
            // the connection is not reused; nothing to do
        }
    }

    /** Answers a Bearer challenge anonymously, or with the registry's login when docker has one. */
    private String fetchToken(String header) {
        AuthChallenge bearer = null;
        for (AuthChallenge c : AuthChallenge.parse(header)) {
            if (c.scheme().equalsIgnoreCase("bearer") && c.param("realm") != null) {
                bearer = c;
            }
        }
        if (bearer == null) {
            throw new UserError("the notary server " + server + " requires authentication dockaudit does not speak ("
                    + header + "); check --trust-server");
        }
        String realm = bearer.param("realm");
        StringBuilder q = new StringBuilder();
        if (bearer.param("service") != null) {
            q.append("service=").append(URLEncoder.encode(bearer.param("service"), StandardCharsets.UTF_8));
        }
        String scope = bearer.param("scope") != null ? bearer.param("scope") : "repository:" + gun + ":pull";
        q.append(q.length() > 0 ? "&" : "").append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        URI uri;
        try {
            uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + q);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("not http(s)");
            }
        } catch (IllegalArgumentException e) {
            throw new UserError("the notary server " + server + " names a token service '" + realm + "' that is not a URL");
        }
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(timeoutMillis)).GET()
                .header("User-Agent", "dockaudit");
        Credentials.Login login = credentials == null ? null : credentials.lookup(registry);
        if (login != null && login.secret() != null) {
            rb.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (login.username() + ":" + login.secret()).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<InputStream> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] body = read(r, 1 << 20, "the token");
            if (r.statusCode() != 200) {
                throw new UserError("the token service " + realm + " of the notary server answered HTTP " + r.statusCode()
                        + (login == null ? "; run docker login " + registry + " if the repository is private"
                        : "; check the docker login for " + registry));
            }
            JsonNode n = Json.parse(body, "the token reply of " + realm);
            String t = Json.text(n, "token");
            if (t == null || t.isEmpty()) {
                t = Json.text(n, "access_token");
            }
            if (t == null || t.isEmpty()) {
                throw new UserError("the token service " + realm + " sent no token; the notary server is misconfigured");
            }
            return t;
        } catch (IOException e) {
            throw new UserError("cannot reach the token service " + realm + " of the notary server (" + e.getMessage()
                    + "); check the network");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
    }

    private UserError transport(IOException e) {
        String host = server.getRawAuthority();
        String fix = "check --trust-server (or DOCKER_CONTENT_TRUST_SERVER)";
        if (e instanceof SSLHandshakeException && String.valueOf(e.getMessage()).contains("PKIX")
                || e.getCause() instanceof java.security.cert.CertificateException) {
            return new UserError("the notary server " + host + " presents a certificate from an unknown authority; put"
                    + " its CA in " + certDir.resolve("ca.crt") + " (where the docker CLI looks) or pass --ca-cert FILE");
        }
        if (e instanceof SSLException) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("plaintext") || m.contains("Unrecognized SSL message") || m.contains("unrecognized")) {
                return new UserError("the server at " + server + " answers in plain HTTP, so it is no notary server (they"
                        + " speak HTTPS); point --trust-server (or DOCKER_CONTENT_TRUST_SERVER) at the registry's notary server");
            }
            return new UserError("TLS to the notary server " + host + " failed (" + m + "); " + fix);
        }
        if (e instanceof HttpTimeoutException || e instanceof java.net.SocketTimeoutException) {
            return new UserError("the notary server " + host + " did not answer in time; " + fix + " and retry");
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
                return new UserError("cannot resolve the notary server " + host + "; " + fix);
            }
        }
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            return new UserError("cannot connect to the notary server " + server + " (connection refused); is it running? "
                    + fix);
        }
        return new UserError("talking to the notary server " + host + " failed (" + (e.getMessage() == null
                ? e.getClass().getSimpleName() : e.getMessage()) + "); " + fix);
    }
}
