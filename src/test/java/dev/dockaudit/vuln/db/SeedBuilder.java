package dev.dockaudit.vuln.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import dev.dockaudit.vuln.osv.OsvFormatException;
import dev.dockaudit.vuln.osv.OsvParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds the bundled seed (run by {@code scripts/build-seed-db}): the real Alpine records of
 * {@code ../shared/realdata/osv/alpine-secdb-converted} that have an {@code Alpine:v3.10} entry, each trimmed to its
 * v3.10 entries (so the seed claims nothing about other releases), as a reproducible zip of OSV JSON
 * ({@code src/main/resources/dockaudit/seed/osv-seed.zip}, fixed entry times, name order) plus
 * {@code seed.properties}. Usage: {@code SeedBuilder INPUT_DIR RESOURCE_DIR DATE [ECOSYSTEM]}.
 */
public final class SeedBuilder {
    private SeedBuilder() {
    }

    public static void main(String[] args) throws IOException, OsvFormatException {
        if (args.length < 3) {
            System.err.println("usage: SeedBuilder INPUT_DIR RESOURCE_DIR DATE [ECOSYSTEM]");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        LocalDate date = LocalDate.parse(args[2]);
        String ecosystem = args.length > 3 ? args[3] : "Alpine:v3.10";
        List<Path> files;
        try (Stream<Path> s = Files.list(in)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        long time = date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        ByteArrayOutputStream zipBytes = new ByteArrayOutputStream();
        int records = 0;
        int entries = 0;
        try (ZipOutputStream zip = new ZipOutputStream(zipBytes)) {
            zip.setLevel(9);
            for (Path f : files) {
                JsonNode n = Json.parse(Files.readAllBytes(f), f.toString());
                ArrayNode kept = Json.MAPPER.createArrayNode();
                for (JsonNode a : n.path("affected")) {
                    if (ecosystem.equals(a.path("package").path("ecosystem").asText())) {
                        kept.add(a);
                    }
                }
                if (kept.isEmpty()) {
                    continue;
                }
                ((ObjectNode) n).set("affected", kept);
                byte[] json = (Json.MAPPER.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
                OsvParser.parse(json); // the seed must import cleanly
                ZipEntry e = new ZipEntry(f.getFileName().toString());
                e.setTime(time);
                zip.putNextEntry(e);
                zip.write(json);
                zip.closeEntry();
                records++;
                entries += kept.size();
            }
        }
        Files.createDirectories(out);
        byte[] z = zipBytes.toByteArray();
        Files.write(out.resolve("osv-seed.zip"), z);
        String props = String.join("\n",
                "# The bundled seed of the vulnerability database: built by scripts/build-seed-db; see VulnDbSeed.",
                "# Provenance: records converted by the dockaudit project from the Alpine secdb (alpinelinux/alpine-secdb",
                "# @ 06f6e960194f, legacy YAML v3.3-v3.11) and aquasecurity/vuln-list alpine/3.10/main (openssl, busybox,",
                "# musl, apk-tools), as ../shared/realdata/osv/alpine-secdb-converted; only the records with an " + ecosystem,
                "# entry, each trimmed to its " + ecosystem + " entries. The records carry no 'modified' time: 'date' is the",
                "# publication date of the newest advisory they contain (CVE-2021-36159, apk-tools 2.10.7-r0).",
                "date=" + date,
                "ecosystems=" + ecosystem,
                "records=" + records,
                "affected=" + entries,
                "sha256=" + Digest.sha256(z).hex(),
                "source=realdata/osv/alpine-secdb-converted (converted from alpinelinux/alpine-secdb@06f6e960194f and aquasecurity/vuln-list alpine/3.10/main)",
                "");
        Files.writeString(out.resolve("seed.properties"), props);
        System.out.println("seed: " + records + " records, " + entries + " affected entries, " + z.length + " bytes -> " + out);
    }
}
