package dev.dockaudit.vuln.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VulnDbPathsTest {
    @Test
    void xdgCacheHomeWhenAbsolute() {
        assertThat(VulnDbPaths.defaultPath(Map.of("XDG_CACHE_HOME", "/var/cache/me"), "/home/u"))
                .isEqualTo(Path.of("/var/cache/me/dockaudit/vuln.db"));
    }

    @Test
    void homeCacheOtherwise() {
        assertThat(VulnDbPaths.defaultPath(Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.cache/dockaudit/vuln.db"));
        assertThat(VulnDbPaths.defaultPath(Map.of("XDG_CACHE_HOME", ""), "/home/u"))
                .isEqualTo(Path.of("/home/u/.cache/dockaudit/vuln.db"));
        // the XDG base-directory spec: a relative path is invalid and ignored
        assertThat(VulnDbPaths.defaultPath(Map.of("XDG_CACHE_HOME", "rel/cache"), "/home/u"))
                .isEqualTo(Path.of("/home/u/.cache/dockaudit/vuln.db"));
    }

    @Test
    void thisProcess() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path expected = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg, "dockaudit", "vuln.db")
                : Path.of(System.getProperty("user.home"), ".cache", "dockaudit", "vuln.db");
        assertThat(VulnDbPaths.defaultPath()).isEqualTo(expected);
    }
}
