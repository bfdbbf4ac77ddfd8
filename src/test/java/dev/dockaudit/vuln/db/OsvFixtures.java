package dev.dockaudit.vuln.db;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.util.Json;
import dev.dockaudit.vuln.osv.OsvEcosystems;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The real OSV records of src/test/resources/osv/ (see PROVENANCE.md there): read them, write them as a folder, and
 * arrange them as the osv.dev bucket does, one {@code BASE/all.zip} per ecosystem base with every record that has
 * an affected entry in it (a GHSA affecting Maven and NuGet is in both archives).
 */
public final class OsvFixtures {
    /** The five sets, by resource name. */
    public static final List<String> SETS = List.of("debian-dsa-dla-converted", "alpine-secdb-converted",
            "ghsa-maven-osvdev", "ghsa-github-advisory-database", "ubuntu");

    private OsvFixtures() {
    }

    /** file name → bytes, in name order. */
    public static Map<String, byte[]> records(String set) {
        Map<String, byte[]> out = new TreeMap<>();
        try (InputStream raw = OsvFixtures.class.getResourceAsStream("/osv/" + set + ".zip")) {
            if (raw == null) {
                throw new IllegalStateException("missing test resource /osv/" + set + ".zip");
            }
            try (ZipInputStream z = new ZipInputStream(raw)) {
                for (ZipEntry e; (e = z.getNextEntry()) != null;) {
                    out.put(e.getName(), z.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static Map<String, byte[]> allRecords() {
        Map<String, byte[]> out = new TreeMap<>();
        for (String s : SETS) {
            out.putAll(records(s));
        }
        return out;
    }

    /** Writes the records as files into {@code dir} (created). */
    public static Path folder(Path dir, Map<String, byte[]> records) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> e : records.entrySet()) {
                Files.write(dir.resolve(e.getKey()), e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Ecosystem base → records (id.json → bytes) with an affected entry in it, the bucket's layout. */
    public static Map<String, Map<String, byte[]>> byEcosystem(Map<String, byte[]> records) {
        Map<String, Map<String, byte[]>> out = new LinkedHashMap<>();
        for (byte[] data : records.values()) {
            JsonNode n = Json.parse(data, "fixture");
            for (JsonNode a : n.path("affected")) {
                String base = OsvEcosystems.base(a.path("package").path("ecosystem").asText());
                out.computeIfAbsent(base, k -> new TreeMap<>()).put(n.path("id").asText() + ".json", data);
            }
        }
        return out;
    }

    /** The newest {@code modified} among the records, as written (computed with Jackson, not the parser under test). */
    public static String newestModified(Map<String, byte[]> records) {
        String best = null;
        java.time.Instant bestAt = null;
        for (byte[] data : records.values()) {
            JsonNode m = Json.parse(data, "fixture").get("modified");
            if (m == null) {
                continue;
            }
            java.time.Instant t = java.time.OffsetDateTime.parse(m.asText()).toInstant();
            if (bestAt == null || t.isAfter(bestAt)) {
                bestAt = t;
                best = m.asText();
            }
        }
        return best;
    }

    /** A copy of one record with top-level fields replaced (e.g. a new id, modified or withdrawn time). */
    public static byte[] with(byte[] record, Map<String, String> fields) {
        com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(record, "fixture");
        fields.forEach(n::put);
        try {
            return Json.MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bucket: {@code BASE/all.zip} bytes per ecosystem base. */
    public static Map<String, byte[]> bucket(Map<String, byte[]> records) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        byEcosystem(records).forEach((base, recs) -> out.put(base, zip(recs)));
        return out;
    }
}
