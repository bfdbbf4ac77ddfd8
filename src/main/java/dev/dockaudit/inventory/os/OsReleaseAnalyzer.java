package dev.dockaudit.inventory.os;

import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.inventory.AnalyzerInput;
import dev.dockaudit.inventory.FileAnalyzer;
import dev.dockaudit.inventory.FileResult;
import dev.dockaudit.inventory.OsInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the files that name a distribution: os-release, lsb-release, and the per-distro release files. */
public final class OsReleaseAnalyzer implements FileAnalyzer {
    static final String OS_RELEASE = "etc/os-release";
    static final String USR_OS_RELEASE = "usr/lib/os-release";
    static final String ALPINE = "etc/alpine-release";
    static final String DEBIAN = "etc/debian_version";
    static final String LSB = "etc/lsb-release";
    static final Set<String> REDHAT_LIKE = Set.of("etc/redhat-release", "etc/centos-release", "etc/rocky-release",
            "etc/almalinux-release", "etc/fedora-release", "etc/system-release", "etc/oracle-release");
    private static final Set<String> PATHS;

    static {
        java.util.HashSet<String> s = new java.util.HashSet<>(REDHAT_LIKE);
        s.addAll(Set.of(OS_RELEASE, USR_OS_RELEASE, ALPINE, DEBIAN, LSB));
        PATHS = Set.copyOf(s);
    }

    private static final Pattern REDHAT = Pattern.compile(
            "(?i)^(.*?)\\s+(?:linux\\s+)?release\\s+([0-9][0-9.]*)(?:\\s*\\(([^)]*)\\))?");

    @Override
    public String name() {
        return "os-release";
    }

    @Override
    public boolean wants(LayerFile file) {
        return file.size() < 64 * 1024 && PATHS.contains(file.path());
    }

    @Override
    public FileResult analyze(AnalyzerInput input) throws IOException {
        String text = new String(input.bytes(64 * 1024), StandardCharsets.UTF_8);
        String path = input.path();
        String source = "/" + path;
        if (path.equals(OS_RELEASE) || path.equals(USR_OS_RELEASE)) {
            Map<String, String> kv = keyValues(text);
            String id = kv.get("ID");
            if (id == null) {
                return FileResult.EMPTY;
            }
            String codename = kv.get("VERSION_CODENAME");
            if (codename == null && kv.get("VERSION") != null) {
                Matcher m = Pattern.compile("\\(([^)]+)\\)").matcher(kv.get("VERSION"));
                if (m.find()) {
                    codename = m.group(1).toLowerCase(Locale.ROOT).split(" ")[0];
                }
            }
            return FileResult.os(new OsInfo(id.toLowerCase(Locale.ROOT), kv.get("VERSION_ID"), codename,
                    kv.get("PRETTY_NAME"), null, null, source));
        }
        String line = text.lines().findFirst().orElse("").trim();
        if (path.equals(ALPINE)) {
            return line.isEmpty() ? FileResult.EMPTY : FileResult.os(new OsInfo("alpine", line, null, null, null, null, source));
        }
        if (path.equals(DEBIAN)) {
            return line.isEmpty() ? FileResult.EMPTY : FileResult.os(new OsInfo("debian", line, null, null, null, null, source));
        }
        if (path.equals(LSB)) {
            Map<String, String> kv = keyValues(text);
            String id = kv.get("DISTRIB_ID");
            return id == null ? FileResult.EMPTY : FileResult.os(new OsInfo(id.toLowerCase(Locale.ROOT),
                    kv.get("DISTRIB_RELEASE"), kv.get("DISTRIB_CODENAME"), kv.get("DISTRIB_DESCRIPTION"), null, null, source));
        }
        Matcher m = REDHAT.matcher(line);
        if (!m.find()) {
            return FileResult.EMPTY;
        }
        return FileResult.os(new OsInfo(redhatFamily(m.group(1)), m.group(2), m.group(3), line, null, null, source));
    }

    static String redhatFamily(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.contains("centos")) {
            return "centos";
        }
        if (n.contains("rocky")) {
            return "rocky";
        }
        if (n.contains("alma")) {
            return "almalinux";
        }
        if (n.contains("fedora")) {
            return "fedora";
        }
        if (n.contains("oracle")) {
            return "ol";
        }
        if (n.contains("amazon")) {
            return "amzn";
        }
        return "rhel";
    }

    /** KEY=value lines as os-release(5) defines them: optional single or double quotes, # comments. */
    static Map<String, String> keyValues(String text) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.trim();
            int eq = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || eq <= 0) {
                continue;
            }
            String v = line.substring(eq + 1).trim();
            if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
                v = v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\$", "$").replace("\\\\", "\\");
            }
            kv.put(line.substring(0, eq).trim(), v);
        }
        return kv;
    }
}
