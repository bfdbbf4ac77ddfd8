package dev.dockaudit.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * How to talk to registries.
 *
 * @param insecureHosts  hosts (host or host:port) that may use plain HTTP or unverified TLS, as dockerd's --insecure-registry
 * @param caFiles        extra CA certificates to trust for every registry
 * @param certsDirs      folders laid out like /etc/docker/certs.d/HOST/ca.crt
 * @param timeoutMillis  connect and idle timeout
 * @param retries        attempts after the first on 429 and 5xx replies and dropped connections
 * @param backoffMillis  first backoff; it doubles each time, unless Retry-After says otherwise
 * @param offline        refuse all network access
 */
public record RegistryOptions(Set<String> insecureHosts, List<Path> caFiles, List<Path> certsDirs, Credentials credentials,
                              long timeoutMillis, int retries, long backoffMillis, boolean offline) {

    public static RegistryOptions defaults(Set<String> insecure, List<Path> caFiles, boolean offline) {
        String dockerConfig = System.getenv("DOCKER_CONFIG");
        Path userDir = dockerConfig != null && !dockerConfig.isEmpty() ? Path.of(dockerConfig)
                : Path.of(System.getProperty("user.home"), ".docker");
        long backoff = Long.getLong("dockaudit.registry.backoffMillis", 500);
        // Like the backoff, a property so that tests of stalling servers need not wait 30 s per case.
        long timeout = Long.getLong("dockaudit.registry.timeoutMillis", 30_000);
        return new RegistryOptions(insecure, caFiles, List.of(Path.of("/etc/docker/certs.d"), userDir.resolve("certs.d")),
                Credentials.fromEnvironment(), timeout, 4, backoff, offline);
    }
}
