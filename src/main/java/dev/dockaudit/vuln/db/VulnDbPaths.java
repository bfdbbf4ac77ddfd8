package dev.dockaudit.vuln.db;

import java.nio.file.Path;
import java.util.Map;

/** Where the vulnerability database lives unless {@code --db} says otherwise. */
public final class VulnDbPaths {
    private VulnDbPaths() {
    }

    /** {@code $XDG_CACHE_HOME/dockaudit/vuln.db}, else {@code ~/.cache/dockaudit/vuln.db}. */
    public static Path defaultPath() {
        return defaultPath(System.getenv(), System.getProperty("user.home"));
    }

    /**
     * As {@link #defaultPath()} for a given environment and home folder. The XDG base-directory specification says
     * a relative {@code XDG_CACHE_HOME} is invalid and must be ignored.
     */
    public static Path defaultPath(Map<String, String> env, String userHome) {
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "dockaudit", "vuln.db");
        }
        return Path.of(userHome, ".cache", "dockaudit", "vuln.db");
    }
}
