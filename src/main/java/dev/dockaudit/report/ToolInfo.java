package dev.dockaudit.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The tool's own name and version, from the build. */
public final class ToolInfo {
    public static final String NAME = "dockaudit";
    public static final String VERSION = loadVersion();

    private ToolInfo() {
    }

    private static String loadVersion() {
        try (InputStream in = ToolInfo.class.getResourceAsStream("/dockaudit/version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
