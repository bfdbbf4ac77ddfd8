package dev.dockaudit.vuln.triage;

import dev.dockaudit.image.DockerName;
import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.util.Digest;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What names the scanned image, for matching VEX products to it.
 *
 * @param digests      {@code sha256:…} digests: the manifest digest and the image ID (config digest) as computed from
 *                     what was read, and every repo digest
 * @param repositories repositories with their registry, Docker Hub names in full ({@code docker.io/library/alpine})
 * @param tags         the tags the image carries
 */
public record ImageIdentity(Set<String> digests, Set<String> repositories, Set<String> tags) {
    public ImageIdentity {
        digests = Set.copyOf(digests);
        repositories = Set.copyOf(repositories);
        tags = Set.copyOf(tags);
    }

    public static ImageIdentity of(Image image) {
        Set<String> digests = new LinkedHashSet<>();
        Set<String> repos = new LinkedHashSet<>();
        Set<String> tags = new LinkedHashSet<>();
        add(digests, image.manifestDigest());
        add(digests, image.configDigest());
        for (String rd : image.repoDigests()) {
            int at = rd.indexOf('@');
            if (at > 0) {
                add(digests, Digest.parseOrNull(rd.substring(at + 1)));
                name(rd.substring(0, at), repos, null); // a repo digest carries no tag (the parser would default one)
            }
        }
        for (String t : image.repoTags()) {
            name(t, repos, tags);
        }
        ImageReference ref = image.reference();
        if (ref.name() != null && ref.transport() != ImageReference.Transport.DOCKER_DAEMON) {
            name(ref.name(), repos, tags);
        }
        return new ImageIdentity(digests, repos, tags);
    }

    private static void add(Set<String> digests, Digest d) {
        if (d != null) {
            digests.add(d.toString().toLowerCase(Locale.ROOT));
        }
    }

    private static void name(String s, Set<String> repos, Set<String> tags) {
        try {
            DockerName n = DockerName.parse(s);
            repos.add(n.registry() + "/" + n.repository());
            if (tags != null && n.tag() != null) {
                tags.add(n.tag());
            }
        } catch (IllegalArgumentException e) {
            // not a name we can read; it names nothing to match
        }
    }
}
