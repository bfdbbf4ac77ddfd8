package dev.dockaudit.image.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rootfs:} directories walked as one layer: links recorded not followed, content handed to visitors. */
class ScanDirectoryTest {
    @TempDir
    Path root;

    @Test
    void entriesModesLinksAndContent() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=alpine\nVERSION_ID=3.18.9\n");
        Path su = Files.writeString(root.resolve("su"), "binary");
        Files.setAttribute(su, "unix:mode", 04755);
        Files.createSymbolicLink(root.resolve("etc/link"), Path.of("os-release"));
        Files.createSymbolicLink(root.resolve("loop1"), Path.of("loop2"));
        Files.createSymbolicLink(root.resolve("loop2"), Path.of("loop1"));
        Files.createSymbolicLink(root.resolve("outside"), Path.of("/etc"));
        boolean fifo = new ProcessBuilder("mkfifo", root.resolve("pipe").toString()).start().waitFor() == 0;

        Map<String, String> read = new LinkedHashMap<>();
        Map<String, String> streamed = new LinkedHashMap<>();
        List<String> offered = new ArrayList<>();
        LayerVisitor v = new LayerVisitor() {
            @Override
            public boolean wantsContent(LayerFile file) {
                return true;
            }

            @Override
            public void visit(LayerFile file, ContentReader content) throws IOException {
                if (content == null) {
                    return;
                }
                offered.add(file.path());
                read.put(file.path(), new String(content.read(6), StandardCharsets.UTF_8));
                try (InputStream in = content.stream()) {
                    streamed.put(file.path(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        };
        LayerScanner scanner = new LayerScanner(true, () -> List.of(v), 1 << 20, null);
        LayerScan scan = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> scanner.scanDirectory(root, "rootfs"));

        Map<String, LayerFile> f = new LinkedHashMap<>();
        scan.files().forEach(x -> f.put(x.path(), x));
        assertThat(f.keySet()).containsExactlyInAnyOrder("etc", "etc/os-release", "etc/link", "su", "loop1", "loop2", "outside");
        assertThat(f.get("su").mode()).isEqualTo(04755);
        assertThat(f.get("su").size()).isEqualTo(6);
        assertThat(f.get("etc").type()).isEqualTo(LayerFile.Type.DIR);
        assertThat(f.get("etc/link").type()).isEqualTo(LayerFile.Type.SYMLINK);
        assertThat(f.get("etc/link").linkTarget()).isEqualTo("os-release");
        assertThat(f.get("outside").linkTarget()).isEqualTo("/etc");
        assertThat(f.get("loop1").linkTarget()).isEqualTo("loop2");
        // only regular files are read; the fifo (which would block a reader) is not even listed
        assertThat(offered).containsExactlyInAnyOrder("etc/os-release", "su");
        assertThat(read.get("etc/os-release")).isEqualTo("ID=alp");
        assertThat(streamed.get("etc/os-release")).isEqualTo("ID=alpine\nVERSION_ID=3.18.9\n");
        assertThat(streamed.get("su")).isEqualTo("binary");
        if (fifo) {
            assertThat(f).doesNotContainKey("pipe");
        }
        // nothing to verify for a directory
        assertThat(scan.rawDigest()).isNull();
        assertThat(scan.diffId()).isNull();
        assertThat(scan.error()).isNull();

        // the merged view resolves the links inside the root, never on the host
        MergedFilesystem fs = MergedFilesystem.of(List.of(scan.files()));
        assertThat(fs.resolve("etc/link").file().path()).isEqualTo("etc/os-release");
        assertThat(fs.resolve("outside/os-release").file().path()).isEqualTo("etc/os-release");
    }

    @Test
    void unreadableFolderIsSkippedNotFatal() throws IOException {
        Path locked = Files.createDirectories(root.resolve("locked/inner"));
        Files.writeString(locked.resolve("f"), "x");
        Files.setPosixFilePermissions(root.resolve("locked"), PosixFilePermissions.fromString("---------"));
        try {
            LayerScan scan = new LayerScanner(true, List::of, 1 << 20, null).scanDirectory(root, "rootfs");
            // root reads it anyway; anyone else gets the folder without its contents
            assertThat(scan.files()).extracting(LayerFile::path).contains("locked");
            assertThat(scan.error()).isNull();
        } finally {
            Files.setPosixFilePermissions(root.resolve("locked"), PosixFilePermissions.fromString("rwx------"));
        }
    }
}
