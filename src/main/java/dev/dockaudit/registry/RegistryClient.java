package dev.dockaudit.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.image.DockerName;
import dev.dockaudit.image.MediaTypes;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.IdleTimeoutInputStream;
import dev.dockaudit.util.Json;
import dev.dockaudit.util.Pem;
import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * An OCI distribution client: manifests and blobs, anonymous, basic and bearer-token auth following the
 * {@code WWW-Authenticate} challenge with a token per repository scope, HTTP only for loopback and
 * {@code --insecure-registry} hosts, extra CAs, retries with backoff on 429 and 5xx honouring
 * {@code Retry-After}, and redirects (to blob storage) followed without leaking credentials to other hosts.
 */
public final class RegistryClient {
    /** The distribution spec lets registries refuse manifests over 4 MiB; we read no more. */
    public static final int MAX_MANIFEST = 4 << 20;
    private static final int MAX_REDIRECTS = 5;
    private static final long MAX_RETRY_AFTER_MILLIS = 60_000;

    private final RegistryOptions options;
    private final Map<String, Endpoint> endpoints = new HashMap<>();

    public RegistryClient(RegistryOptions options) {
        this.options = options;
    }

    /** A manifest or index as the registry served it. */
    public record Manifest(byte[] bytes, String mediaType, Digest headerDigest, Digest digest) {
        public JsonNode json(String what) {
            return Json.parse(bytes, what);
        }
    }

    /** Per-host state: the scheme and TLS policy that worked, and the auth we have. */
    private final class Endpoint {
        final String host;
        final boolean insecure;
        HttpClient client;
        String scheme;
        AuthChallenge challenge;
        final Map<String, String> tokens = new HashMap<>();
        String basic;

        Endpoint(String host) {
            this.host = host;
            this.insecure = options.insecureHosts().contains(host)
                    || options.insecureHosts().contains(host.replaceFirst(":\\d+$", ""));
        }

        URI uri(String path) {
            return URI.create(scheme + "://" + host + path);
        }
    }

    public Manifest getManifest(DockerName name, String reference) {
        String path = "/v2/" + name.repository() + "/manifests/" + reference;
        return readManifest(name, send(name, "GET", path, MediaTypes.ACCEPT_MANIFESTS, true));
    }

    private Manifest readManifest(DockerName name, HttpResponse<InputStream> r) {
        // Under the idle timeout like blobs: the request timeout ends with the headers, and a registry that
        // stalled inside a manifest body used to hang the audit for good.
        try (InputStream body = new IdleTimeoutInputStream(r.body(), options.timeoutMillis(), "the manifest of "
                + name.familiar() + " from " + name.registry())) {
            byte[] bytes = body.readNBytes(MAX_MANIFEST + 1);
            if (bytes.length > MAX_MANIFEST) {
                throw new UserError(name.registry() + " served a manifest over 4 MiB for " + name.familiar()
                        + "; that is not a sane image");
            }
            String contentType = r.headers().firstValue("content-type").map(RegistryClient::stripParams).orElse(null);
            String mediaType = contentType;
            // Not parsed strictly here: bytes that fail their digest may not even be JSON, and that must reach the
            // caller as a digest mismatch (an integrity finding), not end the audit as corrupt input. Callers parse
            // with Manifest.json() once the digest is checked.
            JsonNode json;
            try {
                json = Json.MAPPER.readTree(bytes);
            } catch (IOException notJson) {
                json = null;
            }
            String declared = json == null ? null : Json.text(json, "mediaType");
            if (declared != null) {
                mediaType = declared;
            } else if (json != null && (mediaType == null || mediaType.equals("application/json")
                    || mediaType.equals("text/plain"))) {
                mediaType = json.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
            }
            Digest header = r.headers().firstValue("docker-content-digest").map(Digest::parseOrNull).orElse(null);
            return new Manifest(bytes, mediaType, header, Digest.sha256(bytes));
        } catch (IOException e) {
            throw network(name.registry(), e);
        }
    }

    /**
     * A manifest by tag or digest, or empty when the registry answers 404 (no such tag: how cosign's
     * {@code sha256-<hex>.sig} tags and the referrers tag schema say "nothing attached"). Other failures throw.
     */
    public Optional<Manifest> findManifest(DockerName name, String reference) {
        String path = "/v2/" + name.repository() + "/manifests/" + reference;
        HttpResponse<InputStream> r = send(name, "GET", path, MediaTypes.ACCEPT_MANIFESTS, true, status -> status == 404);
        if (r.statusCode() == 404) {
            closeQuietly(r.body());
            return Optional.empty();
        }
        return Optional.of(readManifest(name, r));
    }

    /**
     * One page of the OCI 1.1 referrers API ({@code GET /v2/<name>/referrers/<digest>}).
     *
     * @param body           the image index as served (at most {@link #MAX_MANIFEST} bytes; not parsed here)
     * @param filtersApplied the filters the registry says it applied ({@code OCI-Filters-Applied}), e.g. artifactType
     * @param next           the path and query of the next page from the {@code Link: <…>; rel="next"} header, or null
     */
    public record ReferrersPage(byte[] body, String contentType, Set<String> filtersApplied, String next) {
    }

    /**
     * Fetches a page of referrers of {@code subject}: the first page when {@code pagePath} is null, else the page a
     * previous {@link ReferrersPage#next()} named. {@code artifactType} (may be null) asks the registry to filter.
     * Returns null when the registry does not implement the API (404, or 405/501 from some proxies); the
     * caller then falls back to the {@code <alg>-<hex>} tag.
     */
    public ReferrersPage referrers(DockerName name, Digest subject, String artifactType, String pagePath) {
        String path = pagePath != null ? pagePath : "/v2/" + name.repository() + "/referrers/" + subject
                + (artifactType == null ? "" : "?artifactType=" + enc(artifactType));
        if (!path.startsWith("/v2/" + name.repository() + "/referrers/")) {
            throw new UserError(name.registry() + " pointed the next page of referrers to " + path
                    + ", outside the referrers API of " + name.familiar() + "; the registry is misconfigured");
        }
        HttpResponse<InputStream> r = send(name, "GET", path, MediaTypes.OCI_INDEX, true,
                status -> status == 404 || status == 405 || status == 501);
        int status = r.statusCode();
        if (status == 404 || status == 405 || status == 501) {
            closeQuietly(r.body());
            return null;
        }
        byte[] bytes;
        try (InputStream body = new IdleTimeoutInputStream(r.body(), options.timeoutMillis(), "the referrers of "
                + name.familiar() + "@" + subject + " from " + name.registry())) {
            bytes = body.readNBytes(MAX_MANIFEST + 1);
        } catch (IOException e) {
            throw network(name.registry(), e);
        }
        if (bytes.length > MAX_MANIFEST) {
            throw new UserError(name.registry() + " served a referrers list over 4 MiB for " + name.familiar() + "@"
                    + subject + "; that is not a sane registry reply");
        }
        Set<String> filters = new java.util.TreeSet<>();
        for (String v : r.headers().allValues("oci-filters-applied")) {
            for (String f : v.split(",")) {
                if (!f.isBlank()) {
                    filters.add(f.trim());
                }
            }
        }
        String next = null;
        for (String link : r.headers().allValues("link")) {
            next = next != null ? next : nextLink(link, baseUri(name), name);
        }
        String contentType = r.headers().firstValue("content-type").map(RegistryClient::stripParams).orElse(null);
        return new ReferrersPage(bytes, contentType, Set.copyOf(filters), next);
    }

    private URI baseUri(DockerName name) {
        return endpoint(name.registry()).uri("/");
    }

    /** The path and query of a {@code rel="next"} link on the registry's own host, or null. */
    static String nextLink(String header, URI base, DockerName name) {
        for (String part : header.split(",(?=\\s*<)")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*<([^>]*)>(.*)$").matcher(part);
            if (!m.matches() || !m.group(2).matches("(?i).*;\\s*rel\\s*=\\s*\"?next\"?.*")) {
                continue;
            }
            URI target;
            try {
                target = base.resolve(m.group(1).trim());
            } catch (IllegalArgumentException bad) {
                throw new UserError(name.registry() + " sent a next-page link '" + m.group(1) + "' that is not a URL;"
                        + " the registry is misconfigured");
            }
            if (target.getAuthority() == null || !target.getAuthority().equalsIgnoreCase(base.getAuthority())) {
                throw new UserError(name.registry() + " sent a next-page link to another host (" + target.getAuthority()
                        + "); dockaudit follows referrers pages on the registry's own host only");
            }
            return target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        }
        return null;
    }

    /** The digest the registry serves for a tag now, from a HEAD request (no pull counted on Docker Hub). */
    public Digest headManifestDigest(DockerName name, String reference) {
        HttpResponse<InputStream> r = send(name, "HEAD", "/v2/" + name.repository() + "/manifests/" + reference,
                MediaTypes.ACCEPT_MANIFESTS, true);
        closeQuietly(r.body());
        Optional<String> d = r.headers().firstValue("docker-content-digest");
        if (d.isPresent() && Digest.parseOrNull(d.get()) != null) {
            return Digest.parse(d.get());
        }
        return getManifest(name, reference).digest();
    }

    public byte[] getSmallBlob(DockerName name, Digest digest, int max, String what) {
        try (InputStream in = openBlob(name, digest)) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) {
                throw new UserError(what + " " + digest + " from " + name.registry() + " is larger than " + max
                        + " bytes; that is not a sane image");
            }
            return b;
        } catch (IOException e) {
            throw network(name.registry(), e);
        }
    }

    /** A blob's bytes as a stream; the caller verifies the digest while reading and closes it. */
    public InputStream openBlob(DockerName name, Digest digest) {
        HttpResponse<InputStream> r = send(name, "GET", "/v2/" + name.repository() + "/blobs/" + digest, "*/*", true);
        return new IdleTimeoutInputStream(r.body(), options.timeoutMillis(), "the download of " + digest + " from "
                + name.registry());
    }

    // ---- transport ----

    private synchronized Endpoint endpoint(String registry) {
        if (options.offline()) {
            throw new UserError("--offline is set, so dockaudit will not contact the registry " + registry
                    + "; audit a local archive, a directory or a daemon image instead");
        }
        Endpoint e = endpoints.get(registry);
        if (e == null) {
            e = new Endpoint(registry.equals(DockerName.DOCKER_HUB) ? "registry-1.docker.io" : registry);
            e.client = httpClient(e, false);
            probe(e);
            endpoints.put(registry, e);
        }
        return e;
    }

    /** Finds the scheme: HTTPS first; plain HTTP only where docker allows it (loopback, --insecure-registry). */
    private void probe(Endpoint e) {
        boolean httpAllowed = e.insecure || isLoopback(e.host);
        e.scheme = "https";
        IOException httpsFailure;
        try {
            rememberChallenge(e, probeV2(e));
            return;
        } catch (SSLException ssl) {
            if (!isPlaintextReply(ssl)) {
                throw tlsError(e, ssl);
            }
            if (!httpAllowed) {
                throw plainHttpRefused(e);
            }
            httpsFailure = ssl;
        } catch (HttpConnectTimeoutException timeout) {
            // A plain-HTTP server that waits for a request line (unlike Go's, which answers a TLS ClientHello with
            // a 400 at once) never answers the handshake, so HTTPS times out instead of failing. Docker falls back
            // to HTTP for such hosts after any HTTPS failure; we used to stop here with "did not answer in time".
            httpsFailure = timeout;
        } catch (IOException io) {
            throw network(e.host, io);
        } catch (InterruptedException ie) {
            throw interrupted();
        }
        e.scheme = "http";
        HttpResponse<InputStream> r;
        try {
            r = probeV2(e);
        } catch (IOException io) {
            e.scheme = "https";
            throw network(e.host, httpsFailure instanceof HttpConnectTimeoutException ? httpsFailure : io);
        } catch (InterruptedException ie) {
            throw interrupted();
        }
        if (!httpAllowed) {
            // Only reached after an HTTPS timeout: say why it failed rather than "did not answer in time".
            throw plainHttpRefused(e);
        }
        rememberChallenge(e, r);
    }

    private static UserError plainHttpRefused(Endpoint e) {
        return new UserError("the registry " + e.host + " speaks plain HTTP; if you trust the network to it, pass"
                + " --insecure-registry " + e.host);
    }

    /**
     * GET /v2/ with the body read under the idle timeout (at most 64 KiB): java.net.http's request timeout ends
     * when the headers arrive, so a server that stalls in the body would otherwise hang the probe.
     */
    private HttpResponse<InputStream> probeV2(Endpoint e) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = e.client.send(HttpRequest.newBuilder(e.uri("/v2/")).timeout(timeout()).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = new IdleTimeoutInputStream(r.body(), options.timeoutMillis(), "the reply of " + e.host)) {
            body.readNBytes(64 << 10);
        }
        return r;
    }

    private static boolean isPlaintextReply(SSLException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("plaintext") || m.contains("unrecognized ssl message") || m.contains("unsupported or unrecognized");
    }

    private UserError tlsError(Endpoint e, SSLException ssl) {
        if (ssl instanceof SSLHandshakeException && String.valueOf(ssl.getMessage()).contains("PKIX")) {
            return new UserError("the registry " + e.host + " presents a certificate from an unknown authority; pass its CA"
                    + " with --ca-cert FILE (or put it in /etc/docker/certs.d/" + e.host + "/ca.crt), or, to skip"
                    + " verification, --insecure-registry " + e.host);
        }
        return new UserError("TLS to the registry " + e.host + " failed (" + ssl.getMessage() + "); check its certificate,"
                + " or pass --ca-cert FILE or --insecure-registry " + e.host);
    }

    static boolean isLoopback(String hostPort) {
        String h = hostPort.replaceFirst(":\\d+$", "");
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.startsWith("127.") || h.equals("::1")) {
            return true;
        }
        return false;
    }

    private void rememberChallenge(Endpoint e, HttpResponse<?> r) {
        if (r.statusCode() == 401) {
            // Bearer, else Basic, else whatever the registry asked for. Unknown schemes used to be dropped, which
            // left no challenge and produced "run docker login", advice that cannot help; now authenticate()
            // names the scheme it does not speak.
            AuthChallenge bearer = null;
            AuthChallenge basic = null;
            AuthChallenge other = null;
            for (AuthChallenge c : AuthChallenge.parse(String.join(", ", r.headers().allValues("www-authenticate")))) {
                if (c.scheme().equalsIgnoreCase("bearer")) {
                    bearer = bearer == null ? c : bearer;
                } else if (c.scheme().equalsIgnoreCase("basic")) {
                    basic = basic == null ? c : basic;
                } else if (other == null) {
                    other = c;
                }
            }
            AuthChallenge chosen = bearer != null ? bearer : basic != null ? basic : other;
            if (chosen != null) {
                e.challenge = chosen;
            }
        }
    }

    private HttpClient httpClient(Endpoint e, boolean unused) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(Math.min(options.timeoutMillis(), 10_000)))
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1);
        try {
            if (e.insecure) {
                b.sslContext(InsecureTls.context());
            } else {
                List<Path> cas = new ArrayList<>(options.caFiles());
                for (Path dir : options.certsDirs()) {
                    Path hostDir = dir.resolve(e.host);
                    if (Files.isDirectory(hostDir)) {
                        try (var files = Files.list(hostDir)) {
                            files.filter(f -> f.toString().endsWith(".crt")).sorted().forEach(cas::add);
                        }
                    }
                }
                if (!cas.isEmpty()) {
                    b.sslContext(trusting(cas));
                }
            }
        } catch (IOException io) {
            throw new UserError("cannot read the CA certificates for " + e.host + ": " + io.getMessage());
        }
        return b.build();
    }

    private static SSLContext trusting(List<Path> cas) throws IOException {
        Path bundle = Files.createTempFile("dockaudit-ca", ".pem");
        try {
            StringBuilder pem = new StringBuilder();
            for (Path ca : cas) {
                for (X509Certificate c : Pem.certificates(ca)) {
                    pem.append("-----BEGIN CERTIFICATE-----\n")
                            .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded()))
                            .append("\n-----END CERTIFICATE-----\n");
                }
            }
            Files.writeString(bundle, pem);
            return Pem.tlsContext(bundle, true, null, null);
        } catch (java.security.cert.CertificateEncodingException ce) {
            throw new UserError("a CA certificate could not be re-encoded: " + ce.getMessage());
        } finally {
            Files.deleteIfExists(bundle);
        }
    }

    private Duration timeout() {
        return Duration.ofMillis(options.timeoutMillis());
    }

    /**
     * Sends a request to the registry of {@code name}, authenticating for its repository when challenged,
     * retrying transient failures and following redirects. Returns a 2xx response or throws a user error.
     */
    private HttpResponse<InputStream> send(DockerName name, String method, String path, String accept, boolean pull) {
        return send(name, method, path, accept, pull, status -> false);
    }

    /** Like {@link #send(DockerName, String, String, String, boolean)}, returning replies whose status {@code passThrough} accepts. */
    private HttpResponse<InputStream> send(DockerName name, String method, String path, String accept, boolean pull,
                                           java.util.function.IntPredicate passThrough) {
        Endpoint e = endpoint(name.registry());
        String scope = "repository:" + name.repository() + ":pull";
        boolean authRetried = false;
        int attempt = 0;
        URI uri = e.uri(path);
        int redirects = 0;
        while (true) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout())
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .header("Accept", accept)
                    .header("User-Agent", "dockaudit");
            // The scheme counts too: a redirect from https://HOST:PORT to http://HOST:PORT used to carry the login
            // (a Basic password, or a token) in clear text. Go's client, and so docker, drops it there as well.
            boolean sameHost = uri.getAuthority().equals(e.host) && uri.getScheme().equalsIgnoreCase(e.scheme);
            String auth = sameHost ? authorization(e, scope) : null;
            if (auth != null) {
                rb.header("Authorization", auth);
            }
            HttpResponse<InputStream> r;
            try {
                r = e.client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException io) {
                if (attempt < options.retries() && retryable(io)) {
                    sleep(backoff(attempt++, null));
                    continue;
                }
                throw network(e.host, io);
            } catch (InterruptedException ie) {
                throw interrupted();
            }
            int status = r.statusCode();
            if (status >= 200 && status < 300 || passThrough.test(status)) {
                return r;
            }
            String body = status == 401 || status >= 300 && status < 400 ? "" : readError(r);
            if (status >= 300 && status < 400 && r.headers().firstValue("location").isPresent()) {
                closeQuietly(r.body());
                if (++redirects > MAX_REDIRECTS) {
                    throw new UserError(e.host + " redirected more than " + MAX_REDIRECTS + " times for " + path
                            + "; the registry is misconfigured");
                }
                uri = uri.resolve(r.headers().firstValue("location").get());
                continue;
            }
            if (status == 401 && sameHost) {
                closeQuietly(r.body());
                rememberChallenge(e, r);
                if (!authRetried && e.challenge != null) {
                    authRetried = true;
                    e.tokens.remove(scope);
                    authenticate(e, scope, name);
                    continue;
                }
                Credentials.Login login = options.credentials().lookup(name.registry());
                throw new UserError(login == null
                        ? name.registry() + " requires authentication for " + name.familiar() + "; run docker login "
                        + name.registry() + " (dockaudit reads " + options.credentials().configFile() + ")"
                        : name.registry() + " rejected the credentials of " + login.username() + " for " + name.familiar()
                        + "; check the password (docker login " + name.registry() + ")");
            }
            if ((status == 429 || status >= 500) && attempt < options.retries()) {
                closeQuietly(r.body());
                long wait = backoff(attempt++, r.headers().firstValue("retry-after").orElse(null));
                if (wait < 0) {
                    // The status is named as it was: a 503 with a long Retry-After is maintenance, not a rate limit.
                    String retryAfter = r.headers().firstValue("retry-after").orElse("");
                    throw new UserError(status == 429
                            ? name.registry() + " is rate-limiting requests (HTTP 429) and asks to wait " + retryAfter
                            + "; try again later or log in for a higher limit"
                            : name.registry() + " answered HTTP " + status + " for " + method + " " + path
                            + " and asks to wait " + retryAfter + " before retrying; try again later");
                }
                sleep(wait);
                continue;
            }
            throw statusError(name, method, path, status, body);
        }
    }

    private UserError statusError(DockerName name, String method, String path, int status, String body) {
        String what = path.contains("/manifests/") ? name.familiar() : path.substring(path.lastIndexOf('/') + 1);
        return switch (status) {
            case 404 -> new NotFoundError(name.registry() + " has no " + (path.contains("/manifests/") ? "image " : "blob ")
                    + what + (body.isEmpty() ? "" : " (" + body + ")") + "; check the name and tag");
            case 403 -> new UserError(name.registry() + " denied access to " + name.familiar() + (body.isEmpty() ? "" : " (" + body + ")")
                    + "; check that your login may pull it");
            case 429 -> new UserError(name.registry() + " kept rate-limiting requests (HTTP 429) after "
                    + options.retries() + " retries; try again later or log in for a higher limit");
            default -> status >= 500
                    ? new UserError(name.registry() + " failed with HTTP " + status + " for " + method + " " + path
                    + " after " + options.retries() + " retries" + (body.isEmpty() ? "" : " (" + body + ")") + "; try again later")
                    // This message used to end without advice, unlike every other error.
                    : new UserError(name.registry() + " answered HTTP " + status + " for " + method + " " + path
                    + (body.isEmpty() ? "" : " (" + body + ")") + "; check the image reference, and ask the registry's"
                    + " operator if it persists");
        };
    }

    private static String readError(HttpResponse<InputStream> r) {
        byte[] b;
        try (InputStream in = new IdleTimeoutInputStream(r.body(), 5_000, "an error reply")) {
            b = in.readNBytes(4096);
        } catch (IOException e) {
            return "";
        }
        try {
            JsonNode n = Json.MAPPER.readTree(b);
            if (n != null && n.path("errors").isArray() && !n.path("errors").isEmpty()) {
                JsonNode first = n.path("errors").get(0);
                return (Json.text(first, "code") + ": " + Json.text(first, "message")).replaceAll("\\s+", " ").trim();
            }
        } catch (IOException notJson) {
            // A plain-text or HTML body (a proxy's "502 Bad Gateway"): shown as text below. This used to return ""
            // from here, so the text fallback was unreachable and the server's explanation was lost.
        }
        // One line: the error goes on dockaudit's single stderr line.
        String s = new String(b, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }

    private String authorization(Endpoint e, String scope) {
        String token = e.tokens.get(scope);
        if (token != null) {
            return "Bearer " + token;
        }
        return e.basic;
    }

    /** Answers the registry's challenge: Basic with the stored login, or a bearer token for {@code scope}. */
    private void authenticate(Endpoint e, String scope, DockerName name) {
        Credentials.Login login = options.credentials().lookup(name.registry());
        AuthChallenge c = e.challenge;
        if (c.scheme().equalsIgnoreCase("basic")) {
            if (login == null || login.secret() == null) {
                throw new UserError(name.registry() + " requires a login for " + name.familiar() + "; run docker login "
                        + name.registry() + " (dockaudit reads " + options.credentials().configFile() + ")");
            }
            e.basic = "Basic " + Base64.getEncoder().encodeToString(
                    (login.username() + ":" + login.secret()).getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (!c.scheme().equalsIgnoreCase("bearer") || c.param("realm") == null) {
            throw new UserError(name.registry() + " asks for '" + c.scheme() + "' authentication, which dockaudit does not"
                    + " speak (it speaks Basic and Bearer token auth); pull the image with a client that does and audit it"
                    + " from the daemon or a docker save archive");
        }
        e.tokens.put(scope, fetchToken(e, c, scope, login, name));
    }

    private String fetchToken(Endpoint e, AuthChallenge c, String scope, Credentials.Login login, DockerName name) {
        String realm = c.param("realm");
        URI realmUri;
        try {
            realmUri = URI.create(realm);
            if (realmUri.getScheme() == null || !(realmUri.getScheme().equals("https") || realmUri.getScheme().equals("http"))) {
                throw new IllegalArgumentException("not http(s)");
            }
        } catch (IllegalArgumentException ex) {
            throw new UserError(name.registry() + " sent a token realm '" + realm + "' that is not a URL; the registry is misconfigured");
        }
        StringBuilder q = new StringBuilder();
        if (c.param("service") != null) {
            q.append("service=").append(enc(c.param("service")));
        }
        q.append(q.length() > 0 ? "&" : "").append("scope=").append(enc(scope));
        HttpRequest.Builder rb;
        if (login != null && login.identityToken() != null) {
            String form = "grant_type=refresh_token&client_id=dockaudit&refresh_token=" + enc(login.identityToken())
                    + "&" + q;
            rb = HttpRequest.newBuilder(realmUri).POST(HttpRequest.BodyPublishers.ofString(form))
                    .header("Content-Type", "application/x-www-form-urlencoded");
        } else {
            String sep = realm.contains("?") ? "&" : "?";
            rb = HttpRequest.newBuilder(URI.create(realm + sep + q)).GET();
            if (login != null && login.secret() != null) {
                rb.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (login.username() + ":" + login.secret()).getBytes(StandardCharsets.UTF_8)));
            }
        }
        rb.timeout(timeout()).header("User-Agent", "dockaudit");
        HttpResponse<InputStream> r = null;
        byte[] body = null;
        for (int attempt = 0; ; attempt++) {
            try {
                // Read under the idle timeout: with ofByteArray() a token service that stalled mid-reply hung the
                // audit, because java.net.http's request timeout stops counting once the headers are in.
                r = e.client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = new IdleTimeoutInputStream(r.body(), options.timeoutMillis(),
                        "the reply of the token service " + realm)) {
                    body = in.readNBytes(1 << 20);
                }
            } catch (IOException io) {
                if (attempt < options.retries() && retryable(io)) {
                    sleep(backoff(attempt, null));
                    continue;
                }
                throw new UserError("cannot reach the token service " + realm + " of " + name.registry() + " ("
                        + describe(io) + "); check the network or the registry's auth configuration");
            } catch (InterruptedException ie) {
                throw interrupted();
            }
            if ((r.statusCode() == 429 || r.statusCode() >= 500) && attempt < options.retries()) {
                long wait = backoff(attempt, r.headers().firstValue("retry-after").orElse(null));
                sleep(wait < 0 ? MAX_RETRY_AFTER_MILLIS : wait);
                continue;
            }
            break;
        }
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new UserError(login == null
                    ? "the token service of " + name.registry() + " refused anonymous access to " + name.familiar()
                    + "; run docker login " + name.registry()
                    : "the token service of " + name.registry() + " rejected the credentials of " + login.username()
                    + " (HTTP " + r.statusCode() + "); check the password (docker login " + name.registry() + ")");
        }
        if (r.statusCode() != 200) {
            throw new UserError("the token service " + realm + " answered HTTP " + r.statusCode() + "; try again later");
        }
        JsonNode n = Json.parse(body, "the token reply of " + realm);
        String token = Json.text(n, "token");
        if (token == null || token.isEmpty()) {
            token = Json.text(n, "access_token");
        }
        if (token == null || token.isEmpty()) {
            throw new UserError("the token service " + realm + " sent no token; the registry is misconfigured");
        }
        return token;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static boolean retryable(IOException io) {
        // Timeouts are not retried: each attempt would cost the whole timeout again.
        return !(io instanceof HttpConnectTimeoutException) && !(io instanceof ConnectException)
                && !(io instanceof SSLException) && !unresolved(io)
                && !(io instanceof java.net.http.HttpTimeoutException) && !(io instanceof java.net.SocketTimeoutException);
    }

    /** Milliseconds to wait before the next attempt, or -1 when the server asks for longer than we will wait. */
    long backoff(int attempt, String retryAfter) {
        if (retryAfter != null) {
            long ms = parseRetryAfter(retryAfter.trim());
            if (ms >= 0) {
                return ms > MAX_RETRY_AFTER_MILLIS ? -1 : ms;
            }
        }
        long base = options.backoffMillis() << Math.min(attempt, 10);
        return base + ThreadLocalRandom.current().nextLong(Math.max(1, base / 4));
    }

    static long parseRetryAfter(String v) {
        try {
            long seconds = Long.parseLong(v);
            // Saturate: seconds * 1000 used to overflow to a negative number for huge values, which max(0, …)
            // turned into "retry at once" instead of "longer than we will wait".
            return seconds <= 0 ? 0 : seconds > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : seconds * 1000;
        } catch (NumberFormatException e) {
            if (v.matches("\\+?\\d+")) {
                return Long.MAX_VALUE; // delay-seconds too big even for a long
            }
            try {
                ZonedDateTime when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, Duration.between(ZonedDateTime.now(when.getZone()), when).toMillis());
            } catch (RuntimeException e2) {
                return -1;
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    private static UserError interrupted() {
        Thread.currentThread().interrupt();
        return new UserError("interrupted");
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    static String stripParams(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi >= 0 ? contentType.substring(0, semi) : contentType).trim();
    }

    private static String describe(IOException e) {
        if (unresolved(e)) {
            return "unknown host";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** True when the failure (or one of its causes) is a host name that does not resolve. */
    private static boolean unresolved(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    /** Turns a transport failure into a user error that says what to check. */
    public static UserError network(String host, IOException e) {
        if (e instanceof SSLException ssl) {
            return new UserError("TLS to the registry " + host + " failed (" + ssl.getMessage() + "); pass --ca-cert FILE,"
                    + " or --insecure-registry " + host + " if you trust the network");
        }
        if (e instanceof HttpTimeoutException || e instanceof java.net.SocketTimeoutException) {
            return new UserError("the registry " + host + " did not answer in time (" + describe(e) + "); check the network and retry");
        }
        // Checked before ConnectException: java.net.http reports a name that does not resolve as a ConnectException
        // caused by UnresolvedAddressException, which used to read "connection refused" and sent users to check
        // that a server was running when the host name itself was wrong.
        if (unresolved(e)) {
            return new UserError("cannot resolve the registry host " + host + "; check the name, or audit a local image");
        }
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            return new UserError("cannot connect to the registry " + host + " (connection refused); check the name and that it is running");
        }
        return new UserError("talking to the registry " + host + " failed (" + describe(e) + "); check the network and retry");
    }

    /** True when we can open a TCP connection to a host quickly; used to tell a missing registry from a missing image. */
    static boolean resolvable(String host) {
        try {
            InetAddress.getByName(host.replaceFirst(":\\d+$", ""));
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An SSL context that accepts any certificate, for --insecure-registry hosts only. */
    static final class InsecureTls {
        static SSLContext context() {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509ExtendedTrustManager() {
                    @Override
                    public void checkClientTrusted(X509Certificate[] c, String a, java.net.Socket s) {
                    }

                    @Override
                    public void checkServerTrusted(X509Certificate[] c, String a, java.net.Socket s) {
                    }

                    @Override
                    public void checkClientTrusted(X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) {
                    }

                    @Override
                    public void checkServerTrusted(X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) {
                    }

                    @Override
                    public void checkClientTrusted(X509Certificate[] c, String a) {
                    }

                    @Override
                    public void checkServerTrusted(X509Certificate[] c, String a) {
                    }

                    @Override
                    public X509Certificate[] getAcceptedIssuers() {
                        return new X509Certificate[0];
                    }
                }}, null);
                return ctx;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
