package dev.dockaudit.image.layer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.Layer;
import dev.dockaudit.image.source.Sources;
import dev.dockaudit.registry.RegistryOptions;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The layer walker and the merge over the real realdata images (see src/test/resources/realdata/PROVENANCE.md). */
class RealLayersTest {
    private static final String IMAGES = "src/test/resources/realdata/images/";

    private static Image read(String path) throws IOException {
        Sources sources = new Sources(new Sources.Options(null, null, RegistryOptions.defaults(Set.of(), List.of(), true), 1000));
        return sources.open(ImageReference.parse(Cli.project(path).toString()))
                .read(new LayerScanner(true, List::of, LayerScanner.DEFAULT_MAX_LAYER_SIZE, null));
    }

    private static List<List<LayerFile>> entries(Image image) {
        List<List<LayerFile>> out = new ArrayList<>();
        for (Layer l : image.layers()) {
            assertThat(l.scan().error()).isNull();
            out.add(l.scan().files());
        }
        return out;
    }

    @Test
    void debianSecondLayerWhiteoutsAreAppliedToTheFirst() throws Exception {
        JsonNode expected = Json.parse(Files.readAllBytes(Cli.project(IMAGES + "expected/debian12-slim-like-docker-archive.expected.json")), "x");
        Image image = read(IMAGES + "debian12-slim-like-docker-archive.tar.gz");
        List<List<LayerFile>> layers = entries(image);
        assertThat(layers).hasSize(2);

        // the whiteouts the realdata README lists, as the scanner sees them
        List<String> whiteouts = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            for (LayerFile f : layers.get(i)) {
                if (f.isWhiteout()) {
                    whiteouts.add(i + " " + f.type() + " " + f.path());
                }
            }
        }
        assertThat(whiteouts).containsExactlyInAnyOrder(
                "1 WHITEOUT etc/motd-does-not-exist-example",
                "1 OPAQUE_WHITEOUT usr/share/doc/tzdata");
        assertThat(expected.get("whiteouts")).hasSize(2);

        MergedFilesystem fs = MergedFilesystem.of(layers);
        // the opaque directory lost the four files layer 0 put in it, and stays as a directory of layer 1
        List<String> deletedTz = new ArrayList<>();
        for (MergedFilesystem.Deleted d : fs.deleted()) {
            assertThat(d.deletedIn()).isEqualTo(1);
            assertThat(d.layer()).isEqualTo(0);
            if (d.file().path().startsWith("usr/share/doc/tzdata/")) {
                deletedTz.add(d.file().path());
            }
        }
        assertThat(deletedTz).containsExactlyInAnyOrder("usr/share/doc/tzdata/README.Debian",
                "usr/share/doc/tzdata/changelog.Debian.gz", "usr/share/doc/tzdata/changelog.gz",
                "usr/share/doc/tzdata/copyright");
        assertThat(fs.get("usr/share/doc/tzdata").layer()).isEqualTo(1);
        assertThat(fs.get("usr/share/doc/tzdata/copyright")).isNull();
        // the plain whiteout names a file that never existed: nothing else is deleted by it
        assertThat(fs.deleted()).extracting(d -> d.file().path()).noneMatch(p -> p.startsWith("etc/motd"));
        // layer 1 rewrites the dpkg status file: the merged one is layer 1's, layer 0's still ships
        assertThat(fs.get("var/lib/dpkg/status").layer()).isEqualTo(1);
        assertThat(fs.get("var/lib/dpkg/status").file().size()).isEqualTo(6038);
        assertThat(fs.deleted()).anyMatch(d -> d.file().path().equals("var/lib/dpkg/status") && d.file().size() == 4620);
        // /etc/os-release is a relative symlink into /usr/lib, as in real Debian images
        assertThat(fs.get("etc/os-release").file().linkTarget()).isEqualTo("../usr/lib/os-release");
        MergedFilesystem.Node osRelease = fs.resolve("/etc/os-release");
        assertThat(osRelease.file().path()).isEqualTo("usr/lib/os-release");
        assertThat(osRelease.file().size()).isEqualTo(267);
        assertThat(osRelease.layer()).isZero();
        // counts match what the JSON report shows as entries
        assertThat(layers.get(0)).hasSize(1719);
        assertThat(layers.get(1)).hasSize(202);
    }

    @Test
    void alpineLayerEntriesAndSymlinks() throws Exception {
        Image image = read("examples/alpine-3.10.4-docker-archive.tar.gz");
        MergedFilesystem fs = MergedFilesystem.of(entries(image));
        assertThat(fs.deleted()).isEmpty();
        assertThat(fs.size()).isEqualTo(482);
        assertThat(fs.get("etc/alpine-release").file().type()).isEqualTo(LayerFile.Type.FILE);
        // busybox applets are symlinks to /bin/busybox
        assertThat(fs.get("bin/sh").file().type()).isEqualTo(LayerFile.Type.SYMLINK);
        assertThat(fs.resolve("bin/sh").file().path()).isEqualTo("bin/busybox");
        assertThat(fs.resolve("usr/bin/wget").file().size()).isEqualTo(833_104);
        assertThat(fs.resolve("bin/busybox").file().mode()).isEqualTo(0755);
        // a relative library symlink
        assertThat(fs.resolve("lib/libc.musl-x86_64.so.1").file().path()).isEqualTo("lib/ld-musl-x86_64.so.1");
        assertThat(fs.resolve("etc/os-release").file().size()).isEqualTo(164);
        // 70 files, 88 directories (the root among them is not an entry of its own here), 324 symlinks
        assertThat(fs.nodes()).filteredOn(n -> n.file().type() == LayerFile.Type.SYMLINK).hasSize(324);
        assertThat(fs.nodes()).filteredOn(n -> n.file().type() == LayerFile.Type.FILE).hasSize(70);
        assertThat(fs.nodes()).filteredOn(n -> n.file().type() == LayerFile.Type.DIR).hasSize(88);
    }

    @Test
    void ociLayoutLayerIsTheMinirootfs() throws Exception {
        Image image = read(IMAGES + "alpine-3.18.9-oci-layout.tar");
        MergedFilesystem fs = MergedFilesystem.of(entries(image));
        assertThat(fs.resolve("etc/os-release").file().size()).isEqualTo(188);
        assertThat(fs.resolve("/bin/sh").file().path()).isEqualTo("bin/busybox");
        assertThat(image.layers().get(0).scan().compression()).isEqualTo(dev.dockaudit.image.Compression.GZIP);
    }
}
