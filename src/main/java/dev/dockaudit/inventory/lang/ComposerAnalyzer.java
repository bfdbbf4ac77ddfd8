package dev.dockaudit.inventory.lang;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.inventory.AnalyzerInput;
import dev.dockaudit.inventory.FileAnalyzer;
import dev.dockaudit.inventory.FileResult;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import dev.dockaudit.inventory.Purls;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * PHP packages Composer installed: {@code vendor/composer/installed.json}, Composer 1's array of packages or
 * Composer 2's {@code {"packages": […], "dev-package-names": […]}}. Packages Composer 2 lists as dev-only carry
 * the metadata {@code dev=true}.
 */
public final class ComposerAnalyzer implements FileAnalyzer {
    static final long MAX_FILE = 64L << 20;

    @Override
    public String name() {
        return "composer";
    }

    @Override
    public boolean wants(LayerFile f) {
        String p = f.path();
        return f.isRegular() && f.size() <= MAX_FILE
                && (p.equals("vendor/composer/installed.json") || p.endsWith("/vendor/composer/installed.json"));
    }

    @Override
    public FileResult analyze(AnalyzerInput in) throws IOException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(in.bytes((int) MAX_FILE));
        } catch (IOException e) {
            return FileResult.of(List.of(), List.of("installed.json is not valid JSON (truncated or corrupt); skipped"));
        }
        JsonNode list = root == null ? null : root.isArray() ? root : root.get("packages");
        if (list == null || !list.isArray()) {
            return FileResult.of(List.of(), List.of("installed.json has no package list; skipped"));
        }
        Set<String> dev = new HashSet<>();
        JsonNode devNames = root.isObject() ? root.get("dev-package-names") : null;
        if (devNames != null && devNames.isArray()) {
            devNames.forEach(n -> dev.add(n.asText()));
        }
        List<Package> out = new ArrayList<>();
        for (JsonNode p : list) {
            String name = Json.text(p, "name");
            String version = Json.text(p, "version");
            if (LangSupport.isBlank(name) || LangSupport.isBlank(version)) {
                continue;
            }
            String namespace = null;
            String bare = name;
            int slash = name.indexOf('/');
            if (slash > 0 && slash < name.length() - 1) {
                namespace = name.substring(0, slash);
                bare = name.substring(slash + 1);
            }
            List<String> licenses = new ArrayList<>();
            JsonNode lic = p.get("license");
            if (lic != null) {
                for (JsonNode l : lic.isArray() ? lic : List.of(lic)) {
                    String v = LangSupport.licenseOrNull(l.isTextual() ? l.asText() : null);
                    if (v != null && !licenses.contains(v)) {
                        licenses.add(v);
                    }
                }
            }
            Map<String, String> meta = new TreeMap<>();
            if (dev.contains(name)) {
                meta.put("dev", "true");
            }
            out.add(LangSupport.pkg(name, version, PackageType.COMPOSER,
                    Purls.of("composer", namespace, bare, version, null, null), licenses, "/" + in.path(), meta));
        }
        return FileResult.of(out);
    }
}
