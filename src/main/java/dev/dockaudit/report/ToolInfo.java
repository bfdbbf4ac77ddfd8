package dev.dockaudit.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The tool's own name and version, from the build. */
public final class ToolInfo {
    public static final String NAME = "dockaudit";
    public static final String VERSION = load("version", "dev");
    /**
     * Where users read about the tool ({@code url} in version.properties, from the pom's {@code <url>}); null while
     * the project has none, and writers that would print it leave it out.
     */
    public static final String INFORMATION_URI = webUri(load("url", null));

    private ToolInfo() {
    }

    private static String load(String key, String fallback) {
        try (InputStream in = ToolInfo.class.getResourceAsStream("/dockaudit/version.properties")) {
            if (in == null) {
                return fallback;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty(key, fallback);
        } catch (IOException e) {
            return fallback;
        }
    }

    /** An absolute http(s) URI, or null (an unfiltered {@code ${project.url}} included). */
    private static String webUri(String s) {
        return s != null && (s.startsWith("https://") || s.startsWith("http://")) && !s.contains("${") ? s : null;
    }
}
