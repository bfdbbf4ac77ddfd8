package dev.dockaudit.engine;

import dev.dockaudit.util.UserError;
import java.net.URI;
import java.nio.file.Path;

/**
 * Where the Docker (or Podman) Engine API listens, as {@code DOCKER_HOST} spells it:
 * {@code unix:///path/docker.sock} or {@code tcp://host:port}. TLS follows {@code DOCKER_TLS_VERIFY} /
 * {@code DOCKER_TLS} and the certificates in {@code DOCKER_CERT_PATH} ({@code ca.pem}, {@code cert.pem},
 * {@code key.pem}), as the docker CLI reads them.
 */
public record DockerHost(String spec, Path socket, String host, int port, boolean tls, boolean verify, Path certPath) {
    public static final String DEFAULT = "unix:///var/run/docker.sock";

    /** From an explicit {@code --docker-host}, else the environment, else the default socket. */
    public static DockerHost resolve(String override) {
        String spec = override != null ? override : System.getenv("DOCKER_HOST");
        if (spec == null || spec.isBlank()) {
            spec = DEFAULT;
        }
        String verifyEnv = System.getenv("DOCKER_TLS_VERIFY");
        // As the docker CLI: any non-empty value turns verification on, even "0".
        boolean verify = verifyEnv != null && !verifyEnv.isEmpty();
        String tlsEnv = System.getenv("DOCKER_TLS");
        boolean tls = verify || (tlsEnv != null && !tlsEnv.isEmpty() && !tlsEnv.equals("0"));
        String certEnv = System.getenv("DOCKER_CERT_PATH");
        String configEnv = System.getenv("DOCKER_CONFIG");
        Path certPath = certEnv != null && !certEnv.isEmpty() ? Path.of(certEnv)
                : configEnv != null && !configEnv.isEmpty() ? Path.of(configEnv)
                : Path.of(System.getProperty("user.home"), ".docker");
        return parse(spec, tls, verify, certPath);
    }

    public static DockerHost parse(String spec, boolean tls, boolean verify, Path certPath) {
        if (spec.startsWith("unix://")) {
            String path = spec.substring("unix://".length());
            if (path.isEmpty()) {
                throw new UserError("DOCKER_HOST '" + spec + "' names no socket; use unix:///var/run/docker.sock");
            }
            return new DockerHost(spec, Path.of(path), null, 0, false, false, null);
        }
        if (spec.startsWith("/")) {
            return new DockerHost("unix://" + spec, Path.of(spec), null, 0, false, false, null);
        }
        if (spec.startsWith("tcp://") || spec.startsWith("http://") || spec.startsWith("https://")) {
            URI uri;
            try {
                uri = URI.create(spec.startsWith("tcp://") ? "http://" + spec.substring(6) : spec);
            } catch (IllegalArgumentException e) {
                throw new UserError("DOCKER_HOST '" + spec + "' is not a valid address; use tcp://HOST:PORT");
            }
            if (uri.getHost() == null) {
                throw new UserError("DOCKER_HOST '" + spec + "' has no host; use tcp://HOST:PORT");
            }
            boolean useTls = tls || spec.startsWith("https://");
            int port = uri.getPort() > 0 ? uri.getPort() : useTls ? 2376 : 2375;
            return new DockerHost(spec, null, uri.getHost(), port, useTls, verify, certPath);
        }
        throw new UserError("DOCKER_HOST '" + spec + "' uses a scheme dockaudit does not speak; use unix:///PATH or tcp://HOST:PORT");
    }

    public boolean isUnix() {
        return socket != null;
    }
}
