package dev.dockaudit.image.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.dockaudit.testing.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MergedFilesystemTest {

    private static LayerFile file(String path) {
        return file(path, 1);
    }

    private static LayerFile file(String path, long size) {
        return new LayerFile(path, LayerFile.Type.FILE, size, 0644, 0, 0, null, 0);
    }

    private static LayerFile dir(String path) {
        return new LayerFile(path, LayerFile.Type.DIR, 0, 0755, 0, 0, null, 0);
    }

    private static LayerFile symlink(String path, String target) {
        return new LayerFile(path, LayerFile.Type.SYMLINK, 0, 0777, 0, 0, target, 0);
    }

    private static LayerFile hardlink(String path, String target) {
        return new LayerFile(path, LayerFile.Type.HARDLINK, 0, 0644, 0, 0, target, 0);
    }

    private static LayerFile whiteout(String path) {
        return new LayerFile(path, LayerFile.Type.WHITEOUT, 0, 0, 0, 0, null, 0);
    }

    private static LayerFile opaque(String dir) {
        return new LayerFile(dir, LayerFile.Type.OPAQUE_WHITEOUT, 0, 0, 0, 0, null, 0);
    }

    @SafeVarargs
    private static MergedFilesystem fs(List<LayerFile>... layers) {
        return MergedFilesystem.of(List.of(layers));
    }

    private static List<String> paths(MergedFilesystem fs) {
        List<String> out = new ArrayList<>();
        fs.nodes().forEach(n -> out.add(n.file().path()));
        return out;
    }

    /** "path layer→deletedIn" for each deleted file, to compare whole lists. */
    private static List<String> deleted(MergedFilesystem fs) {
        List<String> out = new ArrayList<>();
        fs.deleted().forEach(d -> out.add(d.file().path() + " " + d.layer() + "->" + d.deletedIn()));
        return out;
    }

    // ---- whiteouts ----

    @Test
    void whiteoutOfAFileDeletesItAndRemembersWhoDeletedIt() {
        MergedFilesystem fs = fs(
                List.of(dir("etc"), file("etc/a"), file("etc/b")),
                List.of(file("etc/c")),
                List.of(whiteout("etc/a"), whiteout("etc/never-existed")));
        assertThat(fs.get("etc/a")).isNull();
        assertThat(paths(fs)).containsExactly("etc", "etc/b", "etc/c");
        assertThat(deleted(fs)).containsExactly("etc/a 0->2");
        assertThat(fs.deleted().get(0).file()).isEqualTo(file("etc/a"));
    }

    @Test
    void whiteoutOfADirectoryDeletesItsWholeSubtreeButNotItsNamesakes() {
        MergedFilesystem fs = fs(
                List.of(dir("d"), file("d/x"), dir("d/sub"), file("d/sub/y"), file("dx"), file("d-other"), dir("d.d"),
                        file("d.d/z")),
                List.of(file("d/sub/from-1")),
                List.of(whiteout("d")));
        assertThat(paths(fs)).containsExactly("d-other", "d.d", "d.d/z", "dx");
        assertThat(deleted(fs)).containsExactlyInAnyOrder("d 0->2", "d/x 0->2", "d/sub 0->2", "d/sub/y 0->2",
                "d/sub/from-1 1->2");
    }

    @Test
    void opaqueDirectoryHidesOnlyWhatLowerLayersPutInIt() {
        MergedFilesystem fs = fs(
                List.of(dir("var"), dir("var/cache"), file("var/cache/a"), dir("var/cache/sub"), file("var/cache/sub/b"),
                        file("var/cache-keep")),
                List.of(dir("var/cache"), opaque("var/cache"), file("var/cache/new")));
        assertThat(paths(fs)).containsExactly("var", "var/cache", "var/cache-keep", "var/cache/new");
        assertThat(fs.get("var/cache").layer()).isEqualTo(1);
        assertThat(fs.get("var/cache/new").layer()).isEqualTo(1);
        assertThat(deleted(fs)).containsExactlyInAnyOrder("var/cache/a 0->1", "var/cache/sub 0->1", "var/cache/sub/b 0->1");
    }

    @Test
    void opaqueWhiteoutAfterTheLayersOwnFilesInTarOrderStillKeepsThem() {
        // tar order is not guaranteed: the marker may come after the files the same layer adds
        MergedFilesystem fs = fs(
                List.of(dir("o"), file("o/old")),
                List.of(file("o/new"), opaque("o")));
        assertThat(paths(fs)).containsExactly("o", "o/new");
        assertThat(deleted(fs)).containsExactly("o/old 0->1");
    }

    @Test
    void opaqueRootHidesEverythingBelow() {
        MergedFilesystem fs = fs(List.of(dir("a"), file("a/b"), file("c")), List.of(opaque(""), file("d")));
        assertThat(paths(fs)).containsExactly("d");
        assertThat(deleted(fs)).containsExactlyInAnyOrder("a 0->1", "a/b 0->1", "c 0->1");
    }

    @Test
    void sameLayerWhiteoutAndReAddKeepsTheNewFileWhateverTheTarOrder() {
        MergedFilesystem before = fs(List.of(file("etc/conf", 1)), List.of(whiteout("etc/conf"), file("etc/conf", 2)));
        MergedFilesystem after = fs(List.of(file("etc/conf", 1)), List.of(file("etc/conf", 2), whiteout("etc/conf")));
        for (MergedFilesystem fs : List.of(before, after)) {
            assertThat(fs.get("etc/conf").layer()).isEqualTo(1);
            assertThat(fs.get("etc/conf").file().size()).isEqualTo(2);
            assertThat(deleted(fs)).containsExactly("etc/conf 0->1");
        }
    }

    @Test
    void directoryWhiteoutAndReAddInOneLayerReplacesTheTree() {
        MergedFilesystem fs = fs(
                List.of(dir("app"), file("app/old.jar")),
                List.of(whiteout("app"), dir("app"), file("app/new.jar")));
        assertThat(paths(fs)).containsExactly("app", "app/new.jar");
        assertThat(fs.get("app").layer()).isEqualTo(1);
        assertThat(deleted(fs)).containsExactlyInAnyOrder("app 0->1", "app/old.jar 0->1");
    }

    // ---- replacement ----

    @Test
    void fileReplacedByDirectory() {
        MergedFilesystem fs = fs(List.of(file("x", 5)), List.of(dir("x"), file("x/y")));
        assertThat(fs.get("x").file().type()).isEqualTo(LayerFile.Type.DIR);
        assertThat(fs.get("x").layer()).isEqualTo(1);
        assertThat(fs.get("x/y").layer()).isEqualTo(1);
        assertThat(deleted(fs)).containsExactly("x 0->1");
        assertThat(fs.deleted().get(0).file().size()).isEqualTo(5);
    }

    @Test
    void directoryReplacedByFileTakesItsChildren() {
        MergedFilesystem fs = fs(List.of(dir("x"), file("x/y"), dir("x/z"), file("x/z/w"), file("xy")), List.of(file("x")));
        assertThat(paths(fs)).containsExactly("x", "xy");
        assertThat(fs.get("x").file().type()).isEqualTo(LayerFile.Type.FILE);
        assertThat(deleted(fs)).containsExactlyInAnyOrder("x 0->1", "x/y 0->1", "x/z 0->1", "x/z/w 0->1");
    }

    @Test
    void directoryReplacedBySymlinkTakesItsChildren() {
        MergedFilesystem fs = fs(List.of(dir("lib"), file("lib/libc.so")), List.of(symlink("lib", "usr/lib")));
        assertThat(paths(fs)).containsExactly("lib");
        assertThat(deleted(fs)).containsExactlyInAnyOrder("lib 0->1", "lib/libc.so 0->1");
    }

    @Test
    void layerOfOriginIsTheLastLayerThatWroteThePath() {
        MergedFilesystem fs = fs(
                List.of(dir("etc"), file("etc/a"), file("etc/b")),
                List.of(dir("etc"), file("etc/b", 2)),
                List.of(file("etc/c")));
        assertThat(fs.get("etc/a").layer()).isZero();
        assertThat(fs.get("etc/b").layer()).isEqualTo(1);
        assertThat(fs.get("etc/c").layer()).isEqualTo(2);
        assertThat(fs.get("etc").layer()).isEqualTo(1);
        // an overwritten file still ships in layer 0; re-declaring a directory deletes nothing
        assertThat(deleted(fs)).containsExactly("etc/b 0->1");
        assertThat(fs.size()).isEqualTo(4);
    }

    @Test
    void namesWithHighUnicodeCharactersAreStillInsideTheirDirectory() {
        // U+FFFF sorts after every prefix bound that uses Character.MAX_VALUE; it must not survive a whiteout
        String hidden = "secrets/\uffff\uffffkey";
        MergedFilesystem fs = fs(List.of(dir("secrets"), file(hidden), file("secrets/\ud83d\udd11")),
                List.of(whiteout("secrets")));
        assertThat(paths(fs)).isEmpty();
        assertThat(deleted(fs)).contains(hidden + " 0->1", "secrets/\ud83d\udd11 0->1");
        MergedFilesystem opaque = fs(List.of(dir("secrets"), file(hidden)), List.of(opaque("secrets")));
        assertThat(paths(opaque)).containsExactly("secrets");
    }

    // ---- resolve ----

    private static MergedFilesystem debianLike() {
        return fs(
                List.of(dir("usr"), dir("usr/lib"), file("usr/lib/os-release", 10), dir("usr/bin"), file("usr/bin/busybox", 99),
                        symlink("lib", "usr/lib"), symlink("bin", "/usr/bin"), dir("etc"),
                        symlink("etc/os-release", "../usr/lib/os-release"), file("etc/passwd", 3)),
                List.of(symlink("usr/bin/sh", "busybox"), symlink("etc/alternatives", "/usr/bin"),
                        hardlink("usr/bin/ash", "usr/bin/busybox"), symlink("etc/dangling", "/nowhere"),
                        symlink("etc/escape", "../../../../../etc/passwd")));
    }

    @Test
    void resolveFollowsRelativeAndAbsoluteSymlinks() throws Exception {
        MergedFilesystem fs = debianLike();
        assertThat(fs.resolve("etc/os-release").file().path()).isEqualTo("usr/lib/os-release");
        assertThat(fs.resolve("/etc/os-release").file().size()).isEqualTo(10);
        assertThat(fs.resolve("usr/bin/sh").file().path()).isEqualTo("usr/bin/busybox");
        assertThat(fs.resolve("etc/passwd").file().path()).isEqualTo("etc/passwd");
        assertThat(fs.resolve("etc/dangling")).isNull();
        assertThat(fs.resolve("no/such/file")).isNull();
        // get() does not follow
        assertThat(fs.get("etc/os-release").file().type()).isEqualTo(LayerFile.Type.SYMLINK);
    }

    @Test
    void resolveFollowsSymlinksInParentDirectories() throws Exception {
        MergedFilesystem fs = debianLike();
        assertThat(fs.resolve("lib/os-release").file().path()).isEqualTo("usr/lib/os-release");
        assertThat(fs.resolve("bin/sh").file().path()).isEqualTo("usr/bin/busybox");
        assertThat(fs.resolve("etc/alternatives/sh").file().path()).isEqualTo("usr/bin/busybox");
        assertThat(fs.resolve("./bin/../lib/./os-release").file().path()).isEqualTo("usr/lib/os-release");
        assertThat(fs.resolve("lib").file().path()).isEqualTo("usr/lib");
    }

    @Test
    void dotDotAfterASymlinkIsTheParentOfItsTargetAsInTheKernel() throws Exception {
        MergedFilesystem fs = fs(List.of(dir("opt"), dir("opt/real"), dir("opt/real/dir"), file("opt/real/marker", 1),
                file("marker", 2), symlink("link", "opt/real/dir"), symlink("via", "link/../marker")));
        // the kernel resolves link first, then takes the parent of opt/real/dir
        assertThat(fs.resolve("link/../marker").file().path()).isEqualTo("opt/real/marker");
        assertThat(fs.resolve("via").file().path()).isEqualTo("opt/real/marker");
        assertThat(fs.resolve("opt/../marker").file().path()).isEqualTo("marker");
    }

    @Test
    void emptySymlinkTargetAndPathsThroughFilesNameNothing() throws Exception {
        MergedFilesystem fs = fs(List.of(dir("a"), symlink("a/empty", ""), file("a/f")));
        assertThat(fs.resolve("a/empty")).isNull();
        assertThat(fs.resolve("a/empty/f")).isNull();
        assertThat(fs.resolve("a/f/x")).isNull();
    }

    @Test
    void symlinksCannotClimbAboveTheImageRoot() throws Exception {
        MergedFilesystem fs = debianLike();
        assertThat(fs.resolve("etc/escape").file().path()).isEqualTo("etc/passwd");
        assertThat(fs.resolve("../../etc/passwd").file().path()).isEqualTo("etc/passwd");
    }

    @Test
    void resolveFollowsHardLinksToTheirTarget() throws Exception {
        MergedFilesystem fs = debianLike();
        MergedFilesystem.Node ash = fs.resolve("usr/bin/ash");
        assertThat(ash.file().path()).isEqualTo("usr/bin/busybox");
        assertThat(ash.file().size()).isEqualTo(99);
        assertThat(ash.layer()).isEqualTo(1); // the layer that made the link
        assertThat(fs.resolve("bin/ash").file().path()).isEqualTo("usr/bin/busybox");
        MergedFilesystem broken = fs(List.of(hardlink("a", "gone")));
        assertThat(broken.resolve("a")).isNull();
    }

    @Test
    void symlinkLoopsEndWithEloopQuickly() {
        MergedFilesystem fs = fs(List.of(symlink("a", "b"), symlink("b", "a"), symlink("self", "self"),
                symlink("d", "d/x"), dir("real"), symlink("real/up", ".."), symlink("grow", "grow/grow/grow")));
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            for (String p : List.of("a", "b/c", "self", "d", "grow/x")) {
                assertThatThrownBy(() -> fs.resolve(p)).isInstanceOf(MergedFilesystem.SymlinkLoopException.class)
                        .hasMessageContaining("too many levels of symbolic links");
            }
        });
    }

    @Test
    void fortyLinksResolveAndFortyOneDoNot() throws Exception {
        List<LayerFile> chain = new ArrayList<>();
        chain.add(file("end"));
        for (int i = 0; i < 41; i++) {
            chain.add(symlink("l" + i, i == 0 ? "end" : "l" + (i - 1)));
        }
        MergedFilesystem fs = fs(chain);
        assertThat(fs.resolve("l39").file().path()).isEqualTo("end"); // 40 links
        assertThatThrownBy(() -> fs.resolve("l40")).isInstanceOf(MergedFilesystem.SymlinkLoopException.class);
    }

    @Test
    void manyDirectorySymlinksThatAreNotALoopResolve() throws Exception {
        // real/up -> .. : walking up and down through it is not a loop
        MergedFilesystem fs = fs(List.of(dir("real"), symlink("real/up", ".."), file("real/f")));
        assertThat(fs.resolve("real/up/real/up/real/f").file().path()).isEqualTo("real/f");
    }

    // ---- with scanned tars ----

    @Test
    void mergesLayersAsTheScannerReadsThem() throws Exception {
        byte[] l0 = TarBuilder.tar().dir("etc").file("etc/motd", "hi").dir("var/cache/apk").file("var/cache/apk/x.apk", "apk")
                .file("etc/shadow", "root:$6$secret:::").bytes();
        byte[] l1 = TarBuilder.tar().whiteout("etc/shadow").opaque("var/cache/apk").file("etc/motd", "bye")
                .symlink("etc/mtab", "/proc/mounts").bytes();
        LayerScanner scanner = new LayerScanner(true, List::of, 1 << 20, null);
        List<List<LayerFile>> layers = new ArrayList<>();
        for (byte[] l : List.of(l0, TarBuilder.gzip(l1))) {
            layers.add(scanner.scan(new ByteArrayInputStream(l), "l").files());
        }
        MergedFilesystem fs = MergedFilesystem.of(layers);
        assertThat(paths(fs)).containsExactly("etc", "etc/motd", "etc/mtab", "var/cache/apk");
        assertThat(fs.get("etc/motd").layer()).isEqualTo(1);
        assertThat(deleted(fs)).containsExactlyInAnyOrder("etc/shadow 0->1", "var/cache/apk/x.apk 0->1", "etc/motd 0->1");
        assertThat(fs.resolve("etc/mtab")).isNull();
    }

    @Test
    void emptyImageHasNoFiles() throws IOException, MergedFilesystem.SymlinkLoopException {
        MergedFilesystem fs = MergedFilesystem.of(List.of());
        assertThat(fs.size()).isZero();
        assertThat(fs.resolve("etc/passwd")).isNull();
        assertThat(fs.deleted()).isEmpty();
    }
}
