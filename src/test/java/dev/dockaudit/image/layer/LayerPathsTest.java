package dev.dockaudit.image.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LayerPathsTest {
    @ParameterizedTest
    @CsvSource(value = {"etc/passwd|etc/passwd", "./etc/passwd|etc/passwd", "/etc/passwd|etc/passwd",
            "//etc///passwd/|etc/passwd", "a/./b/../c|a/c", "./|''", "/|''", ".|''", "a/..|''", "usr/lib/../../etc|etc"},
            delimiter = '|')
    void normalises(String in, String out) {
        assertThat(LayerPaths.normalise(in, "t")).isEqualTo(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../x", "./../x", "/../x", "a/../../x", "a/b/../../../etc/shadow"})
    void refusesClimbingOut(String in) {
        assertThatThrownBy(() -> LayerPaths.normalise(in, "layer 2 of x.tar")).isInstanceOf(UserError.class)
                .hasMessageStartingWith("layer 2 of x.tar has an entry '" + in + "' that climbs out of the image root");
    }

    @Test
    void linkTargetsAreClampedAtTheRoot() {
        assertThat(LayerPaths.resolveLinkTarget("etc/os-release", "../usr/lib/os-release")).isEqualTo("usr/lib/os-release");
        assertThat(LayerPaths.resolveLinkTarget("a/b/c", "/x/y")).isEqualTo("x/y");
        assertThat(LayerPaths.resolveLinkTarget("a/b", "../../../../etc/shadow")).isEqualTo("etc/shadow");
        assertThat(LayerPaths.resolveLinkTarget("top", "sibling")).isEqualTo("sibling");
    }

    @Test
    void printableKeepsOneShortLine() {
        assertThat(LayerPaths.printable("a\nb\u001b[2Jc\u007f")).isEqualTo("a?b?[2Jc?");
        assertThat(LayerPaths.printable("x".repeat(500))).hasSize(200);
        assertThat(LayerPaths.parent("a/b/c")).isEqualTo("a/b");
        assertThat(LayerPaths.parent("a")).isEmpty();
        assertThat(LayerPaths.baseName("a/b/c")).isEqualTo("c");
    }
}
