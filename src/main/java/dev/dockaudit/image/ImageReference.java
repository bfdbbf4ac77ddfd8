package dev.dockaudit.image;

import dev.dockaudit.util.UserError;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the user typed, parsed by the containers/image transport names:
 * {@code docker-archive:PATH[:REF]}, {@code oci:DIR[:REF]}, {@code oci-archive:PATH[:REF]}, {@code rootfs:DIR},
 * {@code docker-daemon:NAME|ID}, {@code docker://NAME}. Anything else is either an existing path (detected by
 * content later) or an image name ({@link Transport#NAME}: the daemon if it has it, else the registry).
 *
 * @param path  the file or directory for path transports
 * @param ref   the image within an archive or layout (tag, ref name or {@code @N}); null for the only one
 * @param name  the image name for daemon and registry transports
 */
public record ImageReference(Transport transport, String original, Path path, String ref, String name) {

    public enum Transport {
        DOCKER_ARCHIVE("docker-archive"), OCI("oci"), OCI_ARCHIVE("oci-archive"), ROOTFS("rootfs"),
        DOCKER_DAEMON("docker-daemon"), DOCKER("docker"), PATH("path"), NAME("name");

        public final String label;

        Transport(String label) {
            this.label = label;
        }
    }

    public static ImageReference parse(String s) {
        if (s == null || s.isBlank()) {
            throw new UserError("no image reference given; pass a name (nginx:latest), a path, or a transport such as"
                    + " docker-archive:image.tar");
        }
        if (s.startsWith("docker://")) {
            return named(Transport.DOCKER, s, s.substring("docker://".length()));
        }
        if (s.startsWith("docker-daemon:")) {
            return named(Transport.DOCKER_DAEMON, s, s.substring("docker-daemon:".length()));
        }
        for (Transport t : new Transport[] {Transport.DOCKER_ARCHIVE, Transport.OCI_ARCHIVE, Transport.OCI, Transport.ROOTFS}) {
            String prefix = t.label + ":";
            if (s.startsWith(prefix)) {
                return withPath(t, s, s.substring(prefix.length()));
            }
        }
        Path p = Path.of(s);
        // NOFOLLOW_LINKS: a broken or looping symlink is still a path the user meant (the source then says what
        // is wrong with it), not an image name to look up in the daemon or on Docker Hub.
        if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) || s.startsWith("/") || s.startsWith("./")
                || s.startsWith("../")) {
            return new ImageReference(Transport.PATH, s, p, null, null);
        }
        return named(Transport.NAME, s, s);
    }

    private static ImageReference named(Transport t, String original, String name) {
        if (name.isEmpty()) {
            throw new UserError("'" + original + "' names no image; add one, e.g. " + original + "nginx:latest");
        }
        if (t != Transport.DOCKER_DAEMON || !looksLikeId(name)) {
            try {
                DockerName.parse(name);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
        return new ImageReference(t, original, null, null, name);
    }

    static boolean looksLikeId(String s) {
        String hex = s.startsWith("sha256:") ? s.substring(7) : s;
        return hex.matches("[a-f0-9]{12,64}");
    }

    /** Splits {@code PATH[:REF]}: the longest prefix that exists is the path, so paths may contain colons. */
    private static ImageReference withPath(Transport t, String original, String rest) {
        if (rest.isEmpty()) {
            throw new UserError("'" + original + "' names no path; use " + t.label + ":PATH");
        }
        if (t == Transport.ROOTFS || Files.exists(Path.of(rest))) {
            return new ImageReference(t, original, Path.of(rest), null, null);
        }
        for (int i = rest.lastIndexOf(':'); i > 0; i = rest.lastIndexOf(':', i - 1)) {
            String candidate = rest.substring(0, i);
            if (Files.exists(Path.of(candidate))) {
                String ref = rest.substring(i + 1);
                return new ImageReference(t, original, Path.of(candidate), ref.isEmpty() ? null : ref, null);
            }
        }
        return new ImageReference(t, original, Path.of(rest), null, null);
    }

    @Override
    public String toString() {
        return original;
    }
}
