package dev.dockaudit.image;

import dev.dockaudit.util.Digest;
import java.util.regex.Pattern;

/**
 * A registry image name, normalised with Docker Hub's rules: {@code nginx} is
 * {@code docker.io/library/nginx:latest}; a first component with a dot, a colon or {@code localhost}
 * is a registry host.
 */
public record DockerName(String registry, String repository, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern HOST = Pattern.compile("(?:[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?");

    public static DockerName parse(String s) {
        String rest = s;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + s + "': " + e.getMessage());
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > slash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("'" + s + "' has an invalid tag '" + tag + "'");
            }
        }
        String registry = DOCKER_HUB;
        int first = rest.indexOf('/');
        if (first > 0) {
            String head = rest.substring(0, first);
            if (head.contains(".") || head.contains(":") || head.equals("localhost") || !head.equals(head.toLowerCase())) {
                if (!HOST.matcher(head).matches()) {
                    throw new IllegalArgumentException("'" + s + "' has an invalid registry host '" + head + "'");
                }
                registry = head;
                rest = rest.substring(first + 1);
            }
        }
        if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
            registry = DOCKER_HUB;
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        for (String component : rest.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("'" + s + "' is not a valid image name (repository names are lower case:"
                        + " letters, digits and . _ - separators)");
            }
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new DockerName(registry, rest, tag, digest);
    }

    /** The reference as the registry API addresses it: a digest wins over a tag. */
    public String reference() {
        return digest != null ? digest.toString() : tag;
    }

    /** Host to connect to; Docker Hub's API lives at registry-1.docker.io. */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
    }

    public boolean pinned() {
        return digest != null;
    }

    /** The familiar short form docker prints: {@code nginx:latest}, {@code localhost:5000/x:1}. */
    public String familiar() {
        String repo = registry.equals(DOCKER_HUB)
                ? (repository.startsWith("library/") ? repository.substring(8) : repository)
                : registry + "/" + repository;
        return repo + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    public String repositoryWithRegistry() {
        return registry + "/" + repository;
    }

    public DockerName withDigest(Digest d) {
        return new DockerName(registry, repository, tag, d);
    }

    @Override
    public String toString() {
        return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
