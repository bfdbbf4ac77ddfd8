package dev.dockaudit.inventory.lang;

import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.inventory.AnalyzerInput;
import dev.dockaudit.inventory.FileAnalyzer;
import dev.dockaudit.inventory.FileResult;
import dev.dockaudit.inventory.PackageType;
import dev.dockaudit.inventory.Purls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Installed Python distributions: {@code *.dist-info/METADATA} (wheels, pip), {@code *.egg-info/PKG-INFO}
 * (setuptools) and single-file {@code *.egg-info} (distutils), wherever they are (site-packages, dist-packages,
 * virtual environments). Only the header block is read (the first {@value #MAX_READ} bytes). Licences: the PEP 639
 * License-Expression, else a one-line License field, else the names in {@code License ::} classifiers. The purl
 * carries the PEP 503 normalised name; the package keeps the name as the metadata spells it.
 */
public final class PythonAnalyzer implements FileAnalyzer {
    static final long MAX_FILE = 64L << 20;
    static final int MAX_READ = 1 << 20;

    @Override
    public String name() {
        return "python";
    }

    @Override
    public boolean wants(LayerFile f) {
        if (!f.isRegular() || f.size() > MAX_FILE) {
            return false;
        }
        String p = f.path();
        if (p.endsWith(".dist-info/METADATA") || p.endsWith(".egg-info/PKG-INFO")) {
            return true;
        }
        return p.endsWith(".egg-info") && LangSupport.lowerBaseName(p).length() > ".egg-info".length();
    }

    @Override
    public FileResult analyze(AnalyzerInput in) throws IOException {
        String text = new String(in.bytes(MAX_READ), StandardCharsets.UTF_8);
        Map<String, List<String>> h = headers(text);
        String name = first(h, "name");
        String version = first(h, "version");
        if (LangSupport.isBlank(name) || LangSupport.isBlank(version)) {
            return FileResult.of(List.of(), List.of("no Name and Version in the metadata headers (truncated or not"
                    + " Python package metadata); skipped"));
        }
        name = name.strip();
        version = version.strip();
        Map<String, String> meta = new LinkedHashMap<>();
        String mv = first(h, "metadata-version");
        if (mv != null) {
            meta.put("metadataVersion", mv.strip());
        }
        return FileResult.of(List.of(LangSupport.pkg(name, version, PackageType.PYPI,
                Purls.of("pypi", null, normalise(name), version, null, null), licenses(h), "/" + in.path(), meta)));
    }

    /** PEP 503: lower case, runs of "-", "_" and "." become one "-". */
    static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    static List<String> licenses(Map<String, List<String>> h) {
        List<String> out = new ArrayList<>();
        String expr = LangSupport.licenseOrNull(first(h, "license-expression"));
        if (expr != null) {
            out.add(expr);
            return out;
        }
        String lic = LangSupport.licenseOrNull(first(h, "license"));
        if (lic != null) {
            out.add(lic);
            return out;
        }
        for (String c : h.getOrDefault("classifier", List.of())) {
            String[] parts = c.split("::");
            if (parts.length >= 2 && parts[0].strip().equals("License")) {
                String l = parts[parts.length - 1].strip();
                if (!l.isEmpty() && !l.equals("OSI Approved") && !out.contains(l)) {
                    out.add(l);
                }
            }
        }
        return out;
    }

    private static String first(Map<String, List<String>> h, String key) {
        List<String> v = h.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /**
     * RFC 822-style headers up to the first blank line: field names case-insensitive, continuation lines start
     * with a space or tab (distutils indents them by eight spaces, or seven and a "|").
     */
    static Map<String, List<String>> headers(String text) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String lastKey = null;
        for (String raw : text.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isEmpty()) {
                break;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (lastKey != null) {
                    List<String> vals = out.get(lastKey);
                    int i = vals.size() - 1;
                    vals.set(i, vals.get(i) + "\n" + line.strip());
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                lastKey = null;
                continue;
            }
            lastKey = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            out.computeIfAbsent(lastKey, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
        }
        return out;
    }
}
