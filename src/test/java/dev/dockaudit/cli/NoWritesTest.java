package dev.dockaudit.cli;

import static dev.dockaudit.testing.TarBuilder.gzip;
import static dev.dockaudit.testing.TarBuilder.tar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.ImageArchives;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auditing hostile layers must not write anything: the scanner streams, it never extracts. Layers name
 * files with a unique token under {@code ..}, {@code /tmp}, {@code /etc} and through symlinks, and afterwards
 * no file with that token exists anywhere we can look, and the working directory is unchanged.
 */
class NoWritesTest {
    @TempDir
    Path dir;

    private static Set<String> list(Path d) {
        try (Stream<Path> s = Files.list(d)) {
            Set<String> out = new TreeSet<>();
            s.forEach(p -> out.add(p.getFileName().toString()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every path under {@code root} (a few levels deep) whose name contains {@code token}. */
    private static List<Path> find(Path root, String token, int depth) {
        List<Path> hits = new ArrayList<>();
        try {
            Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), depth, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
                    if (file.getFileName() != null && file.getFileName().toString().contains(token)) {
                        hits.add(file);
                    }
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult preVisitDirectory(Path d, java.nio.file.attribute.BasicFileAttributes a) {
                    if (d.getFileName() != null && d.getFileName().toString().contains(token)) {
                        hits.add(d);
                    }
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hits;
    }

    @Test
    void hostileLayersLeaveNoFilesBehind() throws IOException {
        String token = "dockaudit-nowrite-" + UUID.randomUUID();
        Path cwd = Path.of("").toAbsolutePath();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Set<String> cwdBefore = list(cwd);

        byte[] absolute = tar().file("/tmp/" + token + "-abs", "a").file("/etc/" + token + "-etc", "e")
                .symlink(token + "-link", "/tmp/" + token + "-via-link").file(token + "-link/through", "t")
                .hardlink(token + "-hard", "/etc/" + token + "-etc").dir("/" + token + "-dir").bytes();
        byte[] climbing = tar().file("ok", "ok").file("../../../../tmp/" + token + "-climb", "c").bytes();

        List<Path> inputs = List.of(
                Files.write(dir.resolve("abs.tar"), ImageArchives.dockerSave(absolute).bytes()),
                Files.write(dir.resolve("abs-oci.tar"), ImageArchives.oci(gzip(absolute)).bytes()),
                Files.write(dir.resolve("abs.tar.gz"), gzip(ImageArchives.dockerSave(absolute).bytes())),
                Files.write(dir.resolve("climb.tar"), ImageArchives.dockerSave(climbing).bytes()),
                Files.write(dir.resolve("climb-oci.tar"), ImageArchives.oci(gzip(climbing)).bytes()));
        List<Integer> codes = new ArrayList<>();
        for (Path in : inputs) {
            for (String cmd : new String[] {"image", "digests"}) {
                codes.add(Cli.run(cmd, in.toString(), "--format", "json").exitCode());
            }
        }
        // absolute names are fine; '..' is refused by image (2), digests only hashes (0)
        assertThat(codes).containsExactly(0, 0, 0, 0, 0, 0, 2, 0, 2, 0);

        assertThat(find(tmp, token, 3)).isEmpty();
        assertThat(find(Path.of("/tmp"), token, 3)).isEmpty();
        assertThat(find(cwd, token, 4)).isEmpty();
        assertThat(find(dir, token, 5)).isEmpty();
        assertThat(Path.of("/etc/" + token + "-etc")).doesNotExist();
        assertThat(Path.of("/" + token + "-dir")).doesNotExist();
        assertThat(cwd.getParent() == null ? List.of() : find(cwd.getParent(), token, 1)).isEmpty();
        assertThat(list(cwd)).isEqualTo(cwdBefore);
        // the only files in the test's folder are the inputs
        assertThat(list(dir)).containsExactlyInAnyOrder("abs.tar", "abs-oci.tar", "abs.tar.gz", "climb.tar", "climb-oci.tar");
    }
}
