package dev.dockaudit.vuln.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.util.Json;
import dev.dockaudit.util.TempFiles;
import dev.dockaudit.vuln.osv.OsvEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled seed: what it holds, that it is the real records it says, and that it imports into a private database. */
class DbSeedTest {
    @TempDir
    Path dir;

    private static Map<String, byte[]> seedZip() throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (InputStream in = DbSeedTest.class.getResourceAsStream("/dockaudit/seed/osv-seed.zip");
             ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null;) {
                out.put(e.getName(), z.readAllBytes());
            }
        }
        return out;
    }

    @Test
    void describesItself() throws IOException {
        VulnDbSeed.Info info = VulnDbSeed.info();
        assertThat(info.date()).isEqualTo("2021-08-03");
        assertThat(info.ecosystems()).isEqualTo("Alpine:v3.10");
        assertThat(info.records()).isEqualTo(250).isEqualTo(seedZip().size());
        assertThat(info.source()).contains("alpine-secdb");
    }

    @Test
    void isTheRealAlpineRecordsTrimmedToV310() throws IOException {
        Map<String, byte[]> seed = seedZip();
        Map<String, byte[]> real = OsvFixtures.records("alpine-secdb-converted");
        int withV310 = 0;
        for (Map.Entry<String, byte[]> e : real.entrySet()) {
            var n = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(e.getValue(), e.getKey());
            var kept = Json.MAPPER.createArrayNode();
            n.path("affected").forEach(a -> {
                if (a.path("package").path("ecosystem").asText().equals("Alpine:v3.10")) {
                    kept.add(a);
                }
            });
            if (kept.isEmpty()) {
                assertThat(seed).doesNotContainKey(e.getKey());
                continue;
            }
            withV310++;
            n.set("affected", kept);
            assertThat(Json.parse(seed.get(e.getKey()), "seed")).as(e.getKey()).isEqualTo(n);
        }
        assertThat(withV310).isEqualTo(seed.size());
    }

    @Test
    void rebuildingFromTheTestCopyGivesTheSameBytes() throws Exception {
        // the realdata folder is not part of a clone; its Alpine records are (src/test/resources/osv)
        Path in = OsvFixtures.folder(dir.resolve("alpine"), OsvFixtures.records("alpine-secdb-converted"));
        SeedBuilder.main(new String[] {in.toString(), dir.resolve("out").toString(), "2021-08-03", "Alpine:v3.10"});
        try (InputStream shipped = DbSeedTest.class.getResourceAsStream("/dockaudit/seed/osv-seed.zip");
             InputStream props = DbSeedTest.class.getResourceAsStream("/dockaudit/seed/seed.properties")) {
            assertThat(Files.readAllBytes(dir.resolve("out/osv-seed.zip"))).isEqualTo(shipped.readAllBytes());
            assertThat(Files.readString(dir.resolve("out/seed.properties"))).isEqualTo(new String(props.readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        Properties p = new Properties();
        p.load(Files.newBufferedReader(dir.resolve("out/seed.properties")));
        assertThat(p.getProperty("sha256")).isEqualTo(dev.dockaudit.util.Digest.sha256(
                Files.readAllBytes(dir.resolve("out/osv-seed.zip"))).hex());
    }

    @Test
    void importsIntoAPrivateDatabaseWithTheFindingsTheExampleImageNeeds() throws IOException {
        try (TempFiles temp = new TempFiles(); VulnDatabase v = VulnDbSeed.open(temp.dir().resolve("seed.db"))) {
            assertThat(v.dataDate()).isEqualTo("2021-08-03T00:00:00Z");
            assertThat(v.ecosystems()).containsExactly("Alpine:v3.10");
            assertThat(v.sources()).singleElement().satisfies(s -> {
                assertThat(s.kind()).isEqualTo("seed");
                assertThat(s.url()).isEqualTo(VulnDbSeed.URL);
                assertThat(s.records()).isEqualTo(250);
                assertThat(s.dataDate()).isEqualTo("2021-08-03T00:00:00Z");
            });
            // the findings realdata/images/expected names for alpine-3.10.4 (matching by apk origin)
            assertThat(fixed(v, "openssl", "CVE-2020-1967")).isEqualTo("1.1.1g-r0");
            assertThat(fixed(v, "apk-tools", "CVE-2021-36159")).isEqualTo("2.10.7-r0");
            assertThat(fixed(v, "musl", "CVE-2020-28928")).isEqualTo("1.1.22-r4");
            assertThat(fixed(v, "busybox", "CVE-2021-28831")).isEqualTo("1.30.1-r5");
            try (var s = Files.list(temp.dir())) {
                assertThat(s.map(x -> x.getFileName().toString()).sorted().toList()).containsExactly("seed.db", "seed.db.lock");
            }
        }
    }

    private static String fixed(VulnDatabase v, String pkg, String cve) {
        return v.candidates(List.of("Alpine:v3.10"), pkg).stream()
                .filter(c -> c.record().aliasesAndUpstream().contains(cve))
                .flatMap(c -> c.affected().ranges().stream())
                .flatMap(r -> r.events().stream())
                .filter(e -> e.kind().equals(OsvEvent.FIXED))
                .map(OsvEvent::version).findFirst().orElse(null);
    }
}
