package dev.dockaudit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.image.ImageReference.Transport;
import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageReferenceTest {
    @TempDir
    Path dir;

    private static ImageReference parse(String s) {
        return ImageReference.parse(s);
    }

    @Test
    void registryAndDaemonTransports() {
        ImageReference r = parse("docker://registry.example.com:5000/team/app:1.2");
        assertThat(r.transport()).isEqualTo(Transport.DOCKER);
        assertThat(r.name()).isEqualTo("registry.example.com:5000/team/app:1.2");
        assertThat(r.path()).isNull();
        assertThat(r.original()).isEqualTo("docker://registry.example.com:5000/team/app:1.2");
        assertThat(r).hasToString("docker://registry.example.com:5000/team/app:1.2");

        ImageReference d = parse("docker-daemon:alpine:3.10");
        assertThat(d.transport()).isEqualTo(Transport.DOCKER_DAEMON);
        assertThat(d.name()).isEqualTo("alpine:3.10");
        // image IDs are accepted for the daemon, short or long, with or without sha256:
        assertThat(parse("docker-daemon:657d910b7392").name()).isEqualTo("657d910b7392");
        String id = "sha256:657d910b7392bc6320e0a3bd39f14ee72cc5608e41f3ab8d4797344e5a3d01f2";
        assertThat(parse("docker-daemon:" + id).name()).isEqualTo(id);
    }

    @Test
    void pathTransportsWithoutRef() throws IOException {
        Path tar = Files.createFile(dir.resolve("image.tar"));
        for (Transport t : new Transport[] {Transport.DOCKER_ARCHIVE, Transport.OCI_ARCHIVE, Transport.OCI, Transport.ROOTFS}) {
            ImageReference r = parse(t.label + ":" + tar);
            assertThat(r.transport()).isEqualTo(t);
            assertThat(r.path()).isEqualTo(tar);
            assertThat(r.ref()).isNull();
            assertThat(r.name()).isNull();
        }
    }

    @Test
    void pathColonRefSplitsAtTheLongestExistingPath() throws IOException {
        Path tar = Files.createFile(dir.resolve("image.tar"));
        ImageReference r = parse("docker-archive:" + tar + ":alpine:3.10");
        assertThat(r.path()).isEqualTo(tar);
        assertThat(r.ref()).isEqualTo("alpine:3.10");
        assertThat(parse("oci-archive:" + tar + ":@1").ref()).isEqualTo("@1");
        assertThat(parse("docker-archive:" + tar + ":").ref()).isNull();

        // a path that itself contains colons
        Path colons = Files.createFile(dir.resolve("app:v1:amd64.tar"));
        ImageReference c = parse("docker-archive:" + colons);
        assertThat(c.path()).isEqualTo(colons);
        assertThat(c.ref()).isNull();
        ImageReference cr = parse("oci-archive:" + colons + ":latest");
        assertThat(cr.path()).isEqualTo(colons);
        assertThat(cr.ref()).isEqualTo("latest");

        // the longest existing prefix wins when both a.tar and a.tar:x exist
        Path shortOne = Files.createFile(dir.resolve("a.tar"));
        Path longOne = Files.createFile(dir.resolve("a.tar:x"));
        assertThat(parse("docker-archive:" + longOne + ":tag").path()).isEqualTo(longOne);
        assertThat(parse("docker-archive:" + shortOne + ":y").path()).isEqualTo(shortOne);

        Path layout = Files.createDirectory(dir.resolve("layout"));
        ImageReference o = parse("oci:" + layout + ":3.18.9");
        assertThat(o.transport()).isEqualTo(Transport.OCI);
        assertThat(o.path()).isEqualTo(layout);
        assertThat(o.ref()).isEqualTo("3.18.9");
    }

    @Test
    void missingPathKeepsTheWholeTextSoTheErrorNamesIt() {
        ImageReference r = parse("docker-archive:" + dir.resolve("nope.tar") + ":tag");
        assertThat(r.path()).isEqualTo(dir.resolve("nope.tar:tag"));
        assertThat(r.ref()).isNull();
    }

    @Test
    void rootfsNeverSplitsItsPath() {
        ImageReference r = parse("rootfs:/srv/roots/app:v1");
        assertThat(r.transport()).isEqualTo(Transport.ROOTFS);
        assertThat(r.path()).isEqualTo(Path.of("/srv/roots/app:v1"));
        assertThat(r.ref()).isNull();
    }

    @Test
    void barePathsAndBareNames() throws IOException {
        Path tar = Files.createFile(dir.resolve("saved.tar"));
        assertThat(parse(tar.toString()).transport()).isEqualTo(Transport.PATH);
        assertThat(parse(tar.toString()).path()).isEqualTo(tar);
        // absolute and ./ ../ paths are paths even when missing, so the error says "does not exist"
        assertThat(parse("/no/such/file.tar").transport()).isEqualTo(Transport.PATH);
        assertThat(parse("./missing.tar").transport()).isEqualTo(Transport.PATH);
        assertThat(parse("../missing.tar").transport()).isEqualTo(Transport.PATH);
        // anything else is a name for the daemon or the registry
        ImageReference n = parse("nginx:1.25");
        assertThat(n.transport()).isEqualTo(Transport.NAME);
        assertThat(n.name()).isEqualTo("nginx:1.25");
        assertThat(n.path()).isNull();
        assertThat(parse("ghcr.io/org/app@sha256:" + "a".repeat(64)).transport()).isEqualTo(Transport.NAME);
    }

    @Test
    void aBrokenOrLoopingSymlinkIsAPathNotAnImageName() throws IOException {
        // relative, as users type it: "save.tar" pointing at a file that is gone must not be sent to the
        // daemon or Docker Hub as the image "save.tar"; target/ is the build's own scratch space
        Path scratch = Files.createTempDirectory(Files.createDirectories(Path.of("target", "ref-test")), "links");
        try {
            Path link = Files.createSymbolicLink(scratch.resolve("save.tar"), Path.of("gone-for-good.tar"));
            Path relative = Path.of("").toAbsolutePath().relativize(link.toAbsolutePath());
            assertThat(relative.toString()).doesNotStartWith("/").doesNotStartWith(".");
            ImageReference r = parse(relative.toString());
            assertThat(r.transport()).isEqualTo(Transport.PATH);
            assertThat(r.path()).isEqualTo(relative);

            Path loop = scratch.resolve("loop");
            Files.createSymbolicLink(loop, loop.getFileName());
            assertThat(parse(Path.of("").toAbsolutePath().relativize(loop.toAbsolutePath()).toString()).transport())
                    .isEqualTo(Transport.PATH);
        } finally {
            try (var s = Files.list(scratch)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(scratch);
        }
    }

    @Test
    void emptyAndInvalidReferencesAreUserErrors() {
        assertThatThrownBy(() -> parse("")).isInstanceOf(UserError.class).hasMessageContaining("no image reference");
        assertThatThrownBy(() -> parse("  ")).isInstanceOf(UserError.class);
        assertThatThrownBy(() -> parse(null)).isInstanceOf(UserError.class);
        assertThatThrownBy(() -> parse("docker://")).isInstanceOf(UserError.class).hasMessageContaining("names no image");
        assertThatThrownBy(() -> parse("docker-daemon:")).isInstanceOf(UserError.class).hasMessageContaining("names no image");
        assertThatThrownBy(() -> parse("docker-archive:")).isInstanceOf(UserError.class)
                .hasMessageContaining("names no path").hasMessageContaining("docker-archive:PATH");
        assertThatThrownBy(() -> parse("docker://Upper/Case")).isInstanceOf(UserError.class)
                .hasMessageContaining("not a valid image name");
        assertThatThrownBy(() -> parse("NotAName")).isInstanceOf(UserError.class);
        assertThatThrownBy(() -> parse("docker-daemon:nginx@sha256:short")).isInstanceOf(UserError.class)
                .hasMessageContaining("malformed sha256 digest");
    }
}
