package dev.dockaudit.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.util.Json;
import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Registry credentials the way the docker CLI stores them: {@code $DOCKER_CONFIG/config.json}
 * (default {@code ~/.docker}), with {@code credHelpers} per registry, a {@code credsStore} for all, and
 * base64 {@code auths} entries. Helpers are run as {@code docker-credential-<name> get}.
 */
public final class Credentials {
    /** Docker Hub's credentials are stored under this legacy key. */
    static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

    /** A user name and secret; an identity token is a refresh token for the OAuth2 token endpoint. */
    public record Login(String username, String secret, String identityToken) {
    }

    private final Path configFile;
    private JsonNode config;

    public Credentials(Path configFile) {
        this.configFile = configFile;
    }

    public static Credentials fromEnvironment() {
        String dir = System.getenv("DOCKER_CONFIG");
        Path base = dir != null && !dir.isEmpty() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".docker");
        return new Credentials(base.resolve("config.json"));
    }

    public Path configFile() {
        return configFile;
    }

    private JsonNode config() {
        if (config == null) {
            if (!Files.isRegularFile(configFile)) {
                config = Json.MAPPER.createObjectNode();
            } else {
                try {
                    config = Json.parse(Files.readAllBytes(configFile), "docker config " + configFile);
                } catch (IOException e) {
                    throw new UserError("cannot read " + configFile + ": " + e.getMessage());
                }
            }
        }
        return config;
    }

    /** The login for {@code registry} (as in an image name, e.g. docker.io or localhost:5000), or null. */
    public Login lookup(String registry) {
        String key = registry.equals("docker.io") ? DOCKER_HUB_KEY : registry;
        JsonNode helpers = config().path("credHelpers");
        String helper = helpers.has(key) ? helpers.get(key).asText()
                : helpers.has(registry) ? helpers.get(registry).asText() : null;
        if (helper == null && config().hasNonNull("credsStore")) {
            helper = config().get("credsStore").asText();
        }
        if (helper != null && !helper.isEmpty()) {
            Login l = fromHelper(helper, key);
            if (l != null) {
                return l;
            }
        }
        JsonNode auths = config().path("auths");
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (normalise(e.getKey()).equals(normalise(key))) {
                return fromAuthEntry(e.getValue(), e.getKey());
            }
        }
        return null;
    }

    /** Strips scheme and path so https://localhost:5000/v1/ and localhost:5000 match. */
    static String normalise(String key) {
        String k = key;
        int scheme = k.indexOf("://");
        if (scheme >= 0) {
            k = k.substring(scheme + 3);
        }
        int slash = k.indexOf('/');
        if (slash >= 0) {
            k = k.substring(0, slash);
        }
        return k.equals("index.docker.io") ? "docker.io" : k;
    }

    private Login fromAuthEntry(JsonNode entry, String key) {
        String identity = Json.text(entry, "identitytoken");
        String user = Json.text(entry, "username");
        String pass = Json.text(entry, "password");
        String auth = Json.text(entry, "auth");
        if (auth != null && !auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new UserError("the auth entry for " + key + " in " + configFile + " is not base64; run docker login again");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new UserError("the auth entry for " + key + " in " + configFile + " is not user:password; run docker login again");
            }
            user = decoded.substring(0, colon);
            pass = decoded.substring(colon + 1);
        }
        if (identity != null && !identity.isEmpty()) {
            return new Login(user, null, identity);
        }
        return user == null ? null : new Login(user, pass, null);
    }

    private static CompletableFuture<byte[]> readAsync(InputStream in) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (InputStream i = in) {
                f.complete(i.readNBytes(1 << 20));
                i.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                f.completeExceptionally(e);
            }
        }, "dockaudit-credential-helper");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private Login fromHelper(String helper, String serverUrl) {
        String exe = "docker-credential-" + helper;
        Process p;
        try {
            p = new ProcessBuilder(exe, "get").redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new UserError(configFile + " names the credential helper '" + helper + "' but " + exe
                    + " is not on PATH; install it or remove it from the config");
        }
        try {
            // stdout and stderr are read on their own threads: reading stdout here first blocked until the helper
            // closed it, so a helper stuck at a password prompt hung the audit and the 20 s limit below never
            // applied; an unread stderr could also fill its pipe and stall the helper.
            CompletableFuture<byte[]> stdout = readAsync(p.getInputStream());
            readAsync(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                in.write(serverUrl.getBytes(StandardCharsets.UTF_8));
            } catch (IOException closedEarly) {
                // the helper may exit without reading its input; its answer below tells what happened
            }
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new UserError(exe + " did not answer within 20 s for " + serverUrl + "; check that the helper works"
                        + " (" + exe + " get, with the registry on stdin) or remove it from " + configFile);
            }
            byte[] out;
            try {
                out = stdout.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new UserError("reading the answer of " + exe + " failed; check that the helper works or remove it"
                        + " from " + configFile);
            }
            String text = new String(out, StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                // "credentials not found in native keychain" is the helper protocol's normal miss.
                if (text.toLowerCase().contains("credentials not found")) {
                    return null;
                }
                throw new UserError(exe + " get failed for " + serverUrl + ": " + text);
            }
            JsonNode n = Json.parse(out, "the reply of " + exe);
            String user = Json.text(n, "Username");
            String secret = Json.text(n, "Secret");
            if ("<token>".equals(user)) {
                return new Login(null, null, secret);
            }
            return user == null ? null : new Login(user, secret, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while running " + exe);
        }
    }
}
