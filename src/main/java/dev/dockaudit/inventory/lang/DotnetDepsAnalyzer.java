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
import java.util.List;
import java.util.Map;

/**
 * .NET applications' {@code *.deps.json}: every entry of {@code libraries} whose {@code type} is {@code package}
 * (a NuGet package; {@code project} entries are the application's own projects, {@code reference} entries plain
 * assemblies, and {@code runtimepack} the runtime itself, which dpkg or the base image accounts for).
 */
public final class DotnetDepsAnalyzer implements FileAnalyzer {
    static final long MAX_FILE = 32L << 20;

    @Override
    public String name() {
        return "dotnet";
    }

    @Override
    public boolean wants(LayerFile f) {
        return f.isRegular() && f.size() <= MAX_FILE && f.path().endsWith(".deps.json")
                && LangSupport.lowerBaseName(f.path()).length() > ".deps.json".length();
    }

    @Override
    public FileResult analyze(AnalyzerInput in) throws IOException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(in.bytes((int) MAX_FILE));
        } catch (IOException e) {
            return FileResult.of(List.of(), List.of("deps.json is not valid JSON (truncated or corrupt); skipped"));
        }
        JsonNode libs = root == null ? null : root.get("libraries");
        if (libs == null || !libs.isObject()) {
            return FileResult.EMPTY;
        }
        List<Package> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : libs.properties()) {
            if (!"package".equals(Json.text(e.getValue(), "type"))) {
                continue;
            }
            int slash = e.getKey().indexOf('/');
            if (slash <= 0 || slash == e.getKey().length() - 1) {
                continue;
            }
            String name = e.getKey().substring(0, slash);
            String version = e.getKey().substring(slash + 1);
            out.add(LangSupport.pkg(name, version, PackageType.NUGET, Purls.of("nuget", null, name, version, null, null),
                    List.of(), "/" + in.path(), Map.of()));
        }
        return FileResult.of(out);
    }
}
