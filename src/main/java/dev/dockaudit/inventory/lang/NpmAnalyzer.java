package dev.dockaudit.inventory.lang;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.inventory.AnalyzerInput;
import dev.dockaudit.inventory.FileAnalyzer;
import dev.dockaudit.inventory.FileResult;
import dev.dockaudit.inventory.PackageType;
import dev.dockaudit.inventory.Purls;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Installed npm packages: the {@code package.json} at the root of each package folder under a
 * {@code node_modules} folder ({@code node_modules/NAME/package.json}, {@code node_modules/@SCOPE/NAME/package.json},
 * at any depth, pnpm's {@code .pnpm/…/node_modules} store included). An application's own package.json outside
 * node_modules is not a package the image installed from the registry and is not counted; nor are the
 * {@code package.json} files some packages keep in sub-folders ({@code dist/esm/package.json}). Debian's node
 * packages in {@code /usr/share/nodejs} are left to dpkg.
 */
public final class NpmAnalyzer implements FileAnalyzer {
    static final long MAX_FILE = 8L << 20;

    @Override
    public String name() {
        return "npm";
    }

    @Override
    public boolean wants(LayerFile f) {
        return f.isRegular() && f.size() <= MAX_FILE && f.path().endsWith("/package.json") && isPackageRoot(f.path());
    }

    static boolean isPackageRoot(String path) {
        String[] s = path.split("/");
        int n = s.length;
        if (n >= 3 && s[n - 3].equals("node_modules") && !s[n - 2].startsWith("@") && !s[n - 2].startsWith(".")) {
            return true;
        }
        return n >= 4 && s[n - 4].equals("node_modules") && s[n - 3].length() > 1 && s[n - 3].startsWith("@")
                && !s[n - 2].startsWith(".");
    }

    @Override
    public FileResult analyze(AnalyzerInput in) throws IOException {
        byte[] data = in.bytes((int) MAX_FILE);
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(data);
        } catch (IOException e) {
            return FileResult.of(List.of(), List.of("package.json is not valid JSON (truncated or corrupt); skipped"));
        }
        if (root == null || !root.isObject()) {
            return FileResult.of(List.of(), List.of("package.json is not a JSON object; skipped"));
        }
        String name = Json.text(root, "name");
        String version = Json.text(root, "version");
        if (LangSupport.isBlank(name) || LangSupport.isBlank(version) || !root.get("name").isTextual()
                || !root.get("version").isTextual()) {
            return FileResult.EMPTY; // e.g. a placeholder or test fixture folder: no installed package
        }
        name = name.strip();
        version = version.strip();
        String namespace = null;
        String bare = name;
        if (name.startsWith("@")) {
            int slash = name.indexOf('/');
            if (slash > 1 && slash < name.length() - 1) {
                namespace = name.substring(0, slash);
                bare = name.substring(slash + 1);
            }
        }
        return FileResult.of(List.of(LangSupport.pkg(name, version, PackageType.NPM,
                Purls.of("npm", namespace, bare, version, null, null), licenses(root), "/" + in.path(), Map.of())));
    }

    /** "license": "MIT", {"type": "MIT"} or ["MIT", "Apache2"]; the legacy "licenses": [{"type": …}, "…"]. */
    static List<String> licenses(JsonNode root) {
        List<String> out = new ArrayList<>();
        for (String field : new String[] {"license", "licenses"}) {
            JsonNode n = root.get(field);
            if (n != null && n.isArray()) {
                for (JsonNode l : n) {
                    addLicense(l, out);
                }
            } else {
                addLicense(n, out);
            }
        }
        return out;
    }

    private static void addLicense(JsonNode n, List<String> out) {
        if (n == null) {
            return;
        }
        String v = n.isTextual() ? n.asText() : n.isObject() ? Json.text(n, "type") : null;
        v = LangSupport.licenseOrNull(v);
        if (v != null && !out.contains(v)) {
            out.add(v);
        }
    }
}
