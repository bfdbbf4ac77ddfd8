package dev.dockaudit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.util.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformTest {
    private static Platform p(String s) {
        return Platform.parse(s);
    }

    @Test
    void parsesAndNormalisesArchitectureAliases() {
        assertThat(p("linux/amd64")).isEqualTo(new Platform("linux", "amd64", null));
        assertThat(p("linux/x86_64")).isEqualTo(new Platform("linux", "amd64", null));
        assertThat(p("Linux/X86-64")).isEqualTo(new Platform("linux", "amd64", null));
        assertThat(p("linux/aarch64")).isEqualTo(new Platform("linux", "arm64", null));
        assertThat(p("linux/arm64/v8")).isEqualTo(new Platform("linux", "arm64", "v8"));
        assertThat(p("linux/i686")).isEqualTo(new Platform("linux", "386", null));
        assertThat(p("linux/arm/v7")).hasToString("linux/arm/v7");
        assertThat(p(" windows/amd64 ")).hasToString("windows/amd64");
        assertThat(p("linux/riscv64").architecture()).isEqualTo("riscv64");
    }

    @Test
    void arm64WithoutVariantIsV8() {
        Platform imageNoVariant = new Platform("linux", "arm64", null);
        Platform imageV8 = new Platform("linux", "arm64", "v8");
        assertThat(p("linux/arm64/v8").accepts(imageNoVariant)).isTrue();
        assertThat(p("linux/arm64/v8").accepts(imageV8)).isTrue();
        assertThat(p("linux/arm64").accepts(imageV8)).isTrue();
        assertThat(p("linux/arm64").accepts(imageNoVariant)).isTrue();
        assertThat(p("linux/aarch64/v8").accepts(imageNoVariant)).isTrue();
        assertThat(p("linux/arm64/v9").accepts(imageNoVariant)).isFalse();
    }

    @Test
    void variantsOsAndArchMustMatch() {
        Platform armV7 = new Platform("linux", "arm", "v7");
        assertThat(p("linux/arm/v7").accepts(armV7)).isTrue();
        assertThat(p("linux/arm/v6").accepts(armV7)).isFalse();
        assertThat(p("linux/arm").accepts(armV7)).isTrue();
        assertThat(p("linux/arm/v7").accepts(new Platform("linux", "arm", null))).isFalse();
        assertThat(p("linux/amd64").accepts(new Platform("windows", "amd64", null))).isFalse();
        assertThat(p("linux/amd64").accepts(new Platform("linux", "arm64", null))).isFalse();
        assertThat(p("linux/x86_64").accepts(Platform.fromJson(Json.parse(
                "{\"os\":\"linux\",\"architecture\":\"x86_64\"}".getBytes(StandardCharsets.UTF_8), "t")))).isTrue();
        assertThat(p("linux/amd64").accepts(null)).isFalse();
    }

    @Test
    void fromJson() {
        Platform pl = Platform.fromJson(Json.parse(
                "{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"\"}".getBytes(StandardCharsets.UTF_8), "t"));
        assertThat(pl).isEqualTo(new Platform("linux", "arm64", null));
        assertThat(Platform.fromJson(Json.parse("{\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8), "t"))).isNull();
        assertThat(Platform.fromJson(null)).isNull();
    }

    @Test
    void hostIsLinuxWithANormalisedArch() {
        Platform h = Platform.host();
        assertThat(h.os()).isEqualTo("linux");
        assertThat(h.architecture()).isNotEqualTo("x86_64").isNotEqualTo("aarch64");
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "linux", "linux/", "/amd64", "linux//v8", "linux/arm64/v8/extra", "", "a/b/c/d"})
    void garbageIsRefusedWithAnExample(String bad) {
        assertThatThrownBy(() -> p(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a platform").hasMessageContaining("linux/arm64/v8");
    }
}
