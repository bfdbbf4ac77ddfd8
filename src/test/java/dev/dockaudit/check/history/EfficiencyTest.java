package dev.dockaudit.check.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dockaudit.image.layer.LayerFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** dive's efficiency, computed by hand for small layer stacks. */
class EfficiencyTest {

    static LayerFile file(String path, long size) {
        return new LayerFile(path, LayerFile.Type.FILE, size, 0644, 0, 0, null, 0);
    }

    static LayerFile dir(String path) {
        return new LayerFile(path, LayerFile.Type.DIR, 0, 0755, 0, 0, null, 0);
    }

    static LayerFile whiteout(String path) {
        return new LayerFile(path, LayerFile.Type.WHITEOUT, 0, 0, 0, 0, null, 0);
    }

    static LayerFile opaque(String dir) {
        return new LayerFile(dir, LayerFile.Type.OPAQUE_WHITEOUT, 0, 0, 0, 0, null, 0);
    }

    @Test
    void aFileDeletedInALaterLayerIsWastedWhole() {
        Efficiency.Result r = Efficiency.compute(List.of(
                List.of(dir("a"), file("a/keep", 100), file("a/big", 5000)),
                List.of(dir("a"), whiteout("a/big"))));
        // a/keep: 100 once; a/big: 5000 in layer 0 + 0 for its whiteout -> cumulative 5000, minimum 0
        assertThat(r.wastedBytes()).isEqualTo(5000);
        assertThat(r.score()).isCloseTo(100.0 / 5100.0, within(1e-12));
        assertThat(r.imageBytes()).isEqualTo(5100);
        assertThat(r.userBytes()).isZero();
        assertThat(r.wastedUserRatio()).isNull();
        assertThat(r.files()).hasSize(1);
        Efficiency.WastedFile w = r.files().get(0);
        assertThat(w.path()).isEqualTo("/a/big");
        assertThat(w.count()).isEqualTo(2);
        assertThat(w.occurrences()).containsExactly(new Efficiency.Occurrence(0, 5000, false),
                new Efficiency.Occurrence(1, 0, true));
    }

    @Test
    void anOverwrittenFileCountsEveryCopy() {
        Efficiency.Result r = Efficiency.compute(List.of(
                List.of(file("f", 1000), file("g", 10)),
                List.of(file("f", 400))));
        // f: 1000 + 400 = 1400, smallest 400; g: 10
        assertThat(r.wastedBytes()).isEqualTo(1400);
        assertThat(r.score()).isCloseTo(410.0 / 1410.0, within(1e-12));
        assertThat(r.userBytes()).isEqualTo(400);
        assertThat(r.wastedUserRatio()).isCloseTo(3.5, within(1e-12));

        // chown -R: the same bytes again
        Efficiency.Result chown = Efficiency.compute(List.of(List.of(file("f", 100)), List.of(file("f", 100))));
        assertThat(chown.wastedBytes()).isEqualTo(200);
        assertThat(chown.score()).isEqualTo(0.5);
    }

    @Test
    void aDirectoryWhiteoutCarriesWhatItRemovedButIsNotWasteInDive() {
        Efficiency.Result r = Efficiency.compute(List.of(
                List.of(dir("d"), file("d/x", 300), dir("d/y"), file("d/y/z", 200), file("e", 50)),
                List.of(whiteout("d"))));
        // dive visits leaves only: d was never a leaf below, so /d has one visit (500 bytes removed) and is not
        // "inefficient"; the score counts 500 on both sides
        assertThat(r.wastedBytes()).isZero();
        assertThat(r.score()).isEqualTo(1.0);
        assertThat(r.files()).isEmpty();

        // an empty directory that a later layer removes, then a file there: a leaf both times
        Efficiency.Result leafDir = Efficiency.compute(List.of(List.of(dir("d"), file("z", 1)), List.of(whiteout("d")),
                List.of(file("d", 70))));
        assertThat(leafDir.files()).extracting(Efficiency.WastedFile::path).containsExactly("/d");
        assertThat(leafDir.wastedBytes()).isEqualTo(70); // 0 (dir) + 0 (whiteout of an empty dir) + 70
    }

    @Test
    void whiteoutOfADirectoryThatWasALeafCountsItsSubtree() {
        // layer 1 changes only the directory entry of d (chmod): d is a leaf there; layer 2 removes d
        Efficiency.Result r = Efficiency.compute(List.of(
                List.of(dir("d"), file("d/x", 300)),
                List.of(dir("d")),
                List.of(whiteout("d"))));
        // /d: 0 (layer 1) + 300 (whiteout: d and its subtree in layers 0-1) -> wasted 300, minimum 0
        assertThat(r.wastedBytes()).isEqualTo(300);
        assertThat(r.score()).isCloseTo(300.0 / 600.0, within(1e-12));
    }

    @Test
    void onlyLeavesCountAndOpaqueWhiteoutsAreIgnoredLikeDive() {
        Efficiency.Result chmodDir = Efficiency.compute(List.of(List.of(dir("a"), file("a/f", 10)), List.of(dir("a"))));
        assertThat(chmodDir.wastedBytes()).isZero();
        assertThat(chmodDir.score()).isEqualTo(1.0);

        Efficiency.Result opaque = Efficiency.compute(List.of(List.of(dir("d"), file("d/x", 100)),
                List.of(dir("d"), opaque("d"), file("d/y", 5))));
        assertThat(opaque.wastedBytes()).isZero();
        assertThat(opaque.score()).isEqualTo(1.0);
    }

    @Test
    void oddInputDoesNotStopTheCount() {
        // a whiteout for a path nothing below has: 0 bytes, and the rest of the layer still counts (dive stops there)
        Efficiency.Result r = Efficiency.compute(List.of(List.of(file("f", 10)), List.of(whiteout("nothere"), file("f", 7))));
        assertThat(r.wastedBytes()).isEqualTo(17);
        // a path listed twice in one tar is one node holding the last entry
        Efficiency.Result dup = Efficiency.compute(List.of(List.of(file("f", 10), file("f", 20))));
        assertThat(dup.wastedBytes()).isZero();
        assertThat(dup.score()).isEqualTo(1.0);
        assertThat(dup.imageBytes()).isEqualTo(30); // dive's layer size sums every entry
        // nothing at all
        Efficiency.Result empty = Efficiency.compute(List.of());
        assertThat(empty.score()).isEqualTo(1.0);
        assertThat(empty.wastedUserRatio()).isZero();
        // a directory known only from its children counts as a directory when removed
        Efficiency.Result implied = Efficiency.compute(List.of(List.of(file("p/q/r", 40)), List.of(file("p/q/s", 1)),
                List.of(dir("p"), whiteout("p/q"))));
        assertThat(implied.files()).isEmpty();
        assertThat(implied.score()).isEqualTo(1.0);
    }

    @Test
    void largestWastedFilesFirst() {
        Efficiency.Result r = Efficiency.compute(List.of(List.of(file("a", 10), file("b", 1000), file("c", 100)),
                List.of(whiteout("a"), whiteout("b"), whiteout("c"))));
        assertThat(r.files()).extracting(Efficiency.WastedFile::path).containsExactly("/b", "/c", "/a");
        assertThat(r.wastedBytes()).isEqualTo(1110);
        assertThat(r.score()).isZero();
    }
}
