package dev.dockaudit.inventory.pkg;

import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.image.layer.LayerPaths;
import dev.dockaudit.inventory.AnalyzerInput;
import dev.dockaudit.inventory.FileAnalyzer;
import dev.dockaudit.inventory.FileResult;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dpkg's database: {@code /var/lib/dpkg/status} (and distroless {@code status.d/*}), the file lists in
 * {@code info/*.list}, and licences from machine-readable {@code /usr/share/doc/NAME/copyright}. A package
 * counts as installed when its stanza has Package and Version and its Status, if any, ends in "installed" —
 * what {@code dpkg-query -W} lists.
 */
public final class DpkgAnalyzer implements FileAnalyzer {
    static final String STATUS = "var/lib/dpkg/status";
    static final String STATUS_D = "var/lib/dpkg/status.d/";
    static final String INFO = "var/lib/dpkg/info/";
    static final String DOC = "usr/share/doc/";
    private static final int MAX_STATUS = 64 << 20;
    private static final Pattern SOURCE = Pattern.compile("^(\\S+)(?:\\s+\\(([^)]+)\\))?\\s*$");
    private static final Pattern LICENSE = Pattern.compile("(?m)^License:[ \\t]*(\\S[^\\n]*)$");
    private static final Pattern COMMON_LICENSE = Pattern.compile("/usr/share/common-licenses/([A-Za-z0-9][A-Za-z0-9.+_-]*[A-Za-z0-9+])");

    @Override
    public String name() {
        return "dpkg";
    }

    @Override
    public boolean wants(LayerFile f) {
        String p = f.path();
        if (p.equals(STATUS)) {
            return true;
        }
        if (p.startsWith(STATUS_D)) {
            return !p.endsWith(".md5sums") && p.indexOf('/', STATUS_D.length()) < 0;
        }
        if (p.startsWith(INFO)) {
            return p.endsWith(".list") && p.indexOf('/', INFO.length()) < 0 && f.size() < MAX_STATUS;
        }
        return p.startsWith(DOC) && p.endsWith("/copyright") && p.indexOf('/', DOC.length()) == p.length() - "/copyright".length()
                && f.size() < (1 << 20);
    }

    @Override
    public boolean isDatabase() {
        return true;
    }

    @Override
    public FileResult analyze(AnalyzerInput in) throws IOException {
        String p = in.path();
        if (p.startsWith(INFO)) {
            String name = LayerPaths.baseName(p);
            name = name.substring(0, name.length() - ".list".length());
            List<String> files = new ArrayList<>();
            for (String line : new String(in.bytes(MAX_STATUS), StandardCharsets.UTF_8).split("\n")) {
                String f = line.strip();
                if (!f.isEmpty() && !f.equals("/.")) {
                    files.add(f.startsWith("/") ? f.substring(1) : f);
                }
            }
            return FileResult.facts(name, new FileResult.PackageFacts(files, List.of()));
        }
        if (p.startsWith(DOC)) {
            String name = p.substring(DOC.length(), p.length() - "/copyright".length());
            return FileResult.facts(name, new FileResult.PackageFacts(List.of(), copyrightLicenses(
                    new String(in.bytes(1 << 20), StandardCharsets.UTF_8))));
        }
        if (in.file().size() > MAX_STATUS) {
            throw new IOException("is " + in.file().size() + " bytes, over the " + MAX_STATUS + "-byte limit for a dpkg status file");
        }
        boolean statusD = p.startsWith(STATUS_D);
        String text = new String(in.bytes(MAX_STATUS), StandardCharsets.UTF_8);
        List<String> warnings = new ArrayList<>();
        List<Map<String, String>> stanzas = parseStanzas(text, warnings);
        List<Package> out = new ArrayList<>();
        for (Map<String, String> s : stanzas) {
            Package pkg = toPackage(s, "/" + p, statusD);
            if (pkg != null) {
                out.add(pkg);
            } else if (s.containsKey("package") && !s.containsKey("version") && installed(s, statusD)) {
                warnings.add("package '" + s.get("package") + "' has no Version; skipped");
            }
        }
        if (out.isEmpty() && !text.isBlank() && stanzas.stream().noneMatch(s -> s.containsKey("package"))) {
            warnings.add("not a dpkg status file (no Package: stanzas)");
        }
        return FileResult.of(out, warnings);
    }

    static Package toPackage(Map<String, String> s, String path, boolean statusD) {
        String name = s.get("package");
        String version = s.get("version");
        if (name == null || version == null || name.isEmpty() || version.isEmpty() || !installed(s, statusD)) {
            return null;
        }
        String source = name;
        String sourceVersion = version;
        String src = s.get("source");
        if (src != null) {
            Matcher m = SOURCE.matcher(src.trim());
            if (m.matches()) {
                source = m.group(1);
                if (m.group(2) != null) {
                    sourceVersion = m.group(2).trim();
                }
            }
        }
        Map<String, String> meta = new TreeMap<>();
        if (s.get("maintainer") != null) {
            meta.put("maintainer", s.get("maintainer"));
        }
        return new Package(name, version, PackageType.DEB, s.get("architecture"), source, sourceVersion, null, List.of(),
                List.of(), path, null, meta);
    }

    /**
     * The third word of "want flag status" must be "installed". Distroless status.d files carry no Status at all
     * and list only installed packages; in the real status file a stanza without Status is not installed.
     */
    static boolean installed(Map<String, String> s, boolean statusD) {
        String status = s.get("status");
        if (status == null) {
            return statusD;
        }
        String[] words = status.trim().split("\\s+");
        return words.length == 3 && words[2].equals("installed");
    }

    /** deb822 stanzas: "Field: value" with continuation lines starting with a space or tab; field names are case-insensitive. */
    static List<Map<String, String>> parseStanzas(String text, List<String> warnings) {
        List<Map<String, String>> out = new ArrayList<>();
        Map<String, String> cur = new LinkedHashMap<>();
        String lastField = null;
        int lineNo = 0;
        int bad = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isBlank()) {
                if (!cur.isEmpty()) {
                    out.add(cur);
                    cur = new LinkedHashMap<>();
                }
                lastField = null;
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (lastField != null) {
                    cur.merge(lastField, "\n" + line.substring(1), String::concat);
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                if (bad++ == 0) {
                    warnings.add("line " + lineNo + " is not a 'Field: value' line; ignored");
                }
                continue;
            }
            lastField = line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
            cur.put(lastField, line.substring(colon + 1).trim());
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    /**
     * Licences a copyright file declares: the distinct License: values of a machine-readable (DEP-5) file, else
     * the licences it points at in /usr/share/common-licenses (how most older Debian copyright files name them).
     */
    static List<String> copyrightLicenses(String text) {
        List<String> out = new ArrayList<>();
        boolean dep5 = text.startsWith("Format:") || text.contains("\nFiles:");
        Matcher m = (dep5 ? LICENSE : COMMON_LICENSE).matcher(text);
        while (m.find()) {
            String l = m.group(1).trim();
            if (!l.isEmpty() && !out.contains(l) && l.length() < 200) {
                out.add(l);
            }
        }
        return out;
    }
}
