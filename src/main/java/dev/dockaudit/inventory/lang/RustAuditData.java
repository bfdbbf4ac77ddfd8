package dev.dockaudit.inventory.lang;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import dev.dockaudit.inventory.Purls;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dependency list cargo-auditable embeds in Rust binaries: zlib-compressed JSON
 * ({@code {"packages": [{"name", "version", "source", "kind", "dependencies", "root"}], "format": n}}) in a
 * section named {@code .dep-v0}, which it adds without the ALLOC flag, so the linker places it after the loaded
 * segments. Runtime dependencies and the root crate become packages; build-only ones ({@code "kind": "build"})
 * are not in the binary and are left out.
 */
final class RustAuditData {
    static final byte[] PACKAGES = "{\"packages\":".getBytes(StandardCharsets.US_ASCII);
    static final byte[] FORMAT = "{\"format\":".getBytes(StandardCharsets.US_ASCII);

    private RustAuditData() {
    }

    /** Whether decompressed bytes start like cargo-auditable's JSON. */
    static boolean looksLikeAuditJson(byte[] b, int len) {
        return GoBuildInfo.startsWith(b, 0, len, PACKAGES) || GoBuildInfo.startsWith(b, 0, len, FORMAT);
    }

    /** Packages from the decompressed JSON; null when it is not cargo-auditable data after all. */
    static List<Package> packages(byte[] json, int len, String path) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json, 0, len);
        } catch (IOException e) {
            return null;
        }
        JsonNode list = root == null ? null : root.get("packages");
        if (list == null || !list.isArray()) {
            return null;
        }
        String format = root.has("format") ? root.get("format").asText() : null;
        List<Package> out = new ArrayList<>();
        for (JsonNode p : list) {
            String name = Json.text(p, "name");
            String version = Json.text(p, "version");
            if (LangSupport.isBlank(name) || LangSupport.isBlank(version)) {
                continue;
            }
            if ("build".equals(Json.text(p, "kind"))) {
                continue;
            }
            Map<String, String> meta = new TreeMap<>();
            String source = p.get("source") == null ? null
                    : p.get("source").isTextual() ? p.get("source").asText() : p.get("source").toString();
            if (source != null) {
                meta.put("source", source);
            }
            if (p.path("root").asBoolean(false)) {
                meta.put("root", "true");
            }
            if (format != null) {
                meta.put("auditFormat", format);
            }
            out.add(LangSupport.pkg(name, version, PackageType.CARGO, Purls.of("cargo", null, name, version, null, null),
                    List.of(), path, meta));
        }
        return out;
    }
}
