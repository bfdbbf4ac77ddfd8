package dev.dockaudit.testing;

import java.nio.file.Path;

/**
 * The real servers the integration tests use, as scripts/test-env started them (it writes these variables).
 * A missing variable fails the test: integration tests must never pass by skipping.
 */
public final class ItEnv {
    private ItEnv() {
    }

    public static String get(String name) {
        String v = System.getenv(name);
        if (v == null || v.isEmpty()) {
            throw new AssertionError(name + " is not set: run the integration tests through scripts/test (it starts"
                    + " dockerd, podman and the registries), or source RUNDIR/env after scripts/test-env up RUNDIR");
        }
        return v;
    }

    public static String dockerHost() {
        return get("DOCKAUDIT_IT_DOCKER_HOST");
    }

    public static String dockerCli() {
        return get("DOCKAUDIT_IT_DOCKER_CLI");
    }

    public static String podmanHost() {
        return get("DOCKAUDIT_IT_PODMAN_HOST");
    }

    public static String registryPlain() {
        return get("DOCKAUDIT_IT_REGISTRY_PLAIN");
    }

    public static String registryBasic() {
        return get("DOCKAUDIT_IT_REGISTRY_BASIC");
    }

    public static String registryToken() {
        return get("DOCKAUDIT_IT_REGISTRY_TOKEN");
    }

    public static String registryTls() {
        return get("DOCKAUDIT_IT_REGISTRY_TLS");
    }

    /** The notary-server (Docker Content Trust), https://127.0.0.1:PORT, with a certificate from {@link #ca()}. */
    public static String notary() {
        return get("DOCKAUDIT_IT_NOTARY");
    }

    public static Path ca() {
        return Path.of(get("DOCKAUDIT_IT_CA"));
    }

    public static String user() {
        return get("DOCKAUDIT_IT_REGISTRY_USER");
    }

    public static String password() {
        return get("DOCKAUDIT_IT_REGISTRY_PASSWORD");
    }

    public static Path run() {
        return Path.of(get("DOCKAUDIT_IT_RUN"));
    }
}
