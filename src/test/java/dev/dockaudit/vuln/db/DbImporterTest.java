package dev.dockaudit.vuln.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.util.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code db import}: zips and folders of the real records, and every way an import can go wrong. */
class DbImporterTest {
    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("cache").resolve("vuln.db");
    }

    private Path zipFile(String name, Map<String, byte[]> records) throws IOException {
        return Files.write(dir.resolve(name), OsvFixtures.zip(records));
    }

    private static DbImporter.Result importPath(Path db, Path in) {
        return DbImporter.importPath(db, in, false, DbImporter.Progress.NONE);
    }

    @Test
    void zipOfRealRecords() throws IOException {
        Map<String, byte[]> debian = OsvFixtures.records("debian-dsa-dla-converted");
        DbImporter.Result r = importPath(db(), zipFile("Debian-all.zip", debian));
        assertThat(r.records()).isEqualTo(1095);
        assertThat(r.entries()).isEqualTo(1095);
        assertThat(r.skipped()).isZero();
        assertThat(r.ecosystem()).isEqualTo("Debian");
        assertThat(r.dataDate()).isEqualTo(OsvFixtures.newestModified(debian));
        assertThat(r.kept()).isZero();
        try (VulnDatabase v = VulnDatabase.open(db())) {
            assertThat(v.ecosystems()).containsExactly("Debian:10", "Debian:11", "Debian:3.0", "Debian:3.1", "Debian:4.0",
                    "Debian:5.0", "Debian:6.0", "Debian:7", "Debian:8", "Debian:9");
            assertThat(v.candidates(List.of("Debian:11"), "openssl")).isNotEmpty()
                    .allSatisfy(c -> assertThat(c.record().id()).matches("D[SL]A-\\d+-\\d+"));
        }
        try (Stream<Path> s = Files.list(db().getParent())) {
            // the database and its lock file; no temporary file left behind
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("vuln.db", "vuln.db.lock");
        }
    }

    @Test
    void folderIsReadRecursively() throws IOException {
        OsvFixtures.folder(dir.resolve("in/a/b"), OsvFixtures.records("alpine-secdb-converted"));
        OsvFixtures.folder(dir.resolve("in/c"), OsvFixtures.records("ubuntu"));
        Files.writeString(dir.resolve("in/README.txt"), "not json, ignored");
        DbImporter.Result r = importPath(db(), dir.resolve("in"));
        assertThat(r.records()).isEqualTo(426);
        assertThat(r.ecosystem()).isEqualTo("Alpine, Ubuntu");
        assertThat(r.dataDate()).isEqualTo("2024-08-23T16:30:36Z");
    }

    @Test
    void aSingleJsonFile() throws IOException {
        Path one = Files.write(dir.resolve("CVE-2023-0286.json"), OsvFixtures.records("ubuntu").get("CVE-2023-0286.json"));
        DbImporter.Result r = importPath(db(), one);
        assertThat(r.records()).isEqualTo(1);
        assertThat(r.ecosystem()).isEqualTo("Ubuntu");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"id\": 3}");
        assertThatThrownBy(() -> importPath(db(), bad)).isInstanceOf(UserError.class)
                .hasMessageContaining("none of the 1 JSON files in " + bad + " is a usable OSV record (bad.json: id: not a string");
    }

    @Test
    void malformedRecordsAreSkippedCountedAndReported() throws IOException {
        Map<String, byte[]> in = new TreeMap<>(OsvFixtures.records("ghsa-github-advisory-database"));
        in.put("broken-json.json", "{\"id\": \"X-1\", ".getBytes(StandardCharsets.UTF_8));
        in.put("no-id.json", "{\"modified\": \"2024-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8));
        in.put("bad-event.json", ("{\"id\":\"X-2\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},"
                + "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"fixed\":3}]}]}]}").getBytes(StandardCharsets.UTF_8));
        DbImporter.Result r = importPath(db(), zipFile("mixed.zip", in));
        assertThat(r.records()).isEqualTo(6);
        assertThat(r.skipped()).isEqualTo(3);
        assertThat(r.problems()).extracting(SourceInfo.Problem::entry).containsExactly("bad-event.json", "broken-json.json",
                "no-id.json");
        assertThat(r.problems()).extracting(SourceInfo.Problem::reason).satisfiesExactly(
                x -> assertThat(x).isEqualTo("affected[0].ranges[0].events[0].fixed: not a version string but a number"),
                x -> assertThat(x).startsWith("not valid JSON (Unexpected end-of-input"),
                x -> assertThat(x).isEqualTo("no id"));
        try (VulnDatabase v = VulnDatabase.open(db())) {
            assertThat(v.sources().get(0).skipped()).isEqualTo(3);
            assertThat(v.sources().get(0).problems()).hasSize(3);
            assertThat(v.candidates(List.of("npm"), "lodash")).isNotEmpty();
        }
    }

    @Test
    void unknownEcosystemsAreStoredAndCounted() throws IOException {
        DbImporter.Result r = importPath(db(), zipFile("maven.zip", OsvFixtures.records("ghsa-maven-osvdev")));
        assertThat(r.records()).isEqualTo(364);
        assertThat(r.unknownEcosystem()).isEqualTo(1);
        assertThat(r.unknownEcosystems()).containsExactly(Map.entry("SwiftURL", 1));
        try (VulnDatabase v = VulnDatabase.open(db())) {
            assertThat(v.sources().get(0).unknownEcosystem()).isEqualTo(1);
            assertThat(v.ecosystemInfo()).filteredOn(e -> !e.known()).extracting(EcosystemInfo::ecosystem)
                    .containsExactly("SwiftURL");
            String name = v.ecosystemInfo().stream().filter(e -> e.ecosystem().equals("SwiftURL")).count() == 1 ? "ok" : "";
            assertThat(name).isEqualTo("ok");
        }
    }

    @Test
    void withdrawnRecordsAreKeptAndFlagged() throws IOException {
        Map<String, byte[]> in = new LinkedHashMap<>();
        byte[] lodash = OsvFixtures.records("ghsa-github-advisory-database").get("GHSA-35jh-r3h4-6jhm.json");
        in.put("w.json", OsvFixtures.with(lodash, Map.of("withdrawn", "2024-05-01T00:00:00Z")));
        DbImporter.Result r = importPath(db(), zipFile("w.zip", in));
        assertThat(r.withdrawn()).isEqualTo(1);
        try (VulnDatabase v = VulnDatabase.open(db())) {
            assertThat(v.candidates(List.of("npm"), "lodash")).singleElement()
                    .satisfies(c -> assertThat(c.record().isWithdrawn()).isTrue());
            assertThat(v.sources().get(0).withdrawn()).isEqualTo(1);
        }
    }

    @Test
    void theNewestCopyOfARepeatedIdWins() throws IOException {
        byte[] rec = OsvFixtures.records("debian-dsa-dla-converted").get("DLA-0001-1.json");
        OsvFixtures.folder(dir.resolve("dup/a"), Map.of("x.json", OsvFixtures.with(rec, Map.of("modified", "2020-01-01T00:00:00Z",
                "summary", "newer"))));
        OsvFixtures.folder(dir.resolve("dup/b"), Map.of("x.json", OsvFixtures.with(rec, Map.of("summary", "older"))));
        OsvFixtures.folder(dir.resolve("dup/c"), Map.of("y.json", OsvFixtures.records("debian-dsa-dla-converted").get("DLA-0003-1.json")));
        DbImporter.Result r = importPath(db(), dir.resolve("dup"));
        assertThat(r.records()).isEqualTo(2);
        assertThat(r.duplicates()).isEqualTo(1);
        try (VulnDatabase v = VulnDatabase.open(db())) {
            assertThat(v.records("DLA-0001-1")).singleElement().satisfies(x -> assertThat(x.summary()).isEqualTo("newer"));
            assertThat(v.candidates(List.of("Debian:6.0"), "gnutls26")).singleElement()
                    .satisfies(c -> assertThat(c.record().summary()).isEqualTo("newer"));
        }
    }

    @Test
    void importsAddUpReimportReplacesAndReplaceDropsTheRest() throws IOException {
        Path debian = zipFile("debian.zip", OsvFixtures.records("debian-dsa-dla-converted"));
        Path alpine = zipFile("alpine.zip", OsvFixtures.records("alpine-secdb-converted"));
        importPath(db(), debian);
        DbImporter.Result second = importPath(db(), alpine);
        assertThat(second.kept()).isEqualTo(1);
        DbImporter.Result again = importPath(db(), debian);
        assertThat(again.kept()).isEqualTo(1);
        try (VulnDatabase v = VulnDatabase.open(db())) {
            assertThat(v.sources()).extracting(SourceInfo::records).containsExactly(425, 1095);
            assertThat(v.candidates(List.of("Debian:9"), "openssl")).isNotEmpty();
            assertThat(v.candidates(List.of("Alpine:v3.10"), "openssl")).hasSize(14);
            // carried archives keep every look-up: the same answers as a fresh import
            assertThat(v.candidates(List.of("Debian:9"), "openssl")).extracting(c -> c.record().id())
                    .isEqualTo(freshCandidates(debian, "Debian:9", "openssl"));
        }
        DbImporter.Result only = DbImporter.importPath(db(), alpine, true, DbImporter.Progress.NONE);
        assertThat(only.kept()).isZero();
        try (VulnDatabase v = VulnDatabase.open(db())) {
            assertThat(v.sources()).singleElement().extracting(SourceInfo::records).isEqualTo(425);
            assertThat(v.candidates(List.of("Debian:9"), "openssl")).isEmpty();
        }
    }

    private List<String> freshCandidates(Path zip, String eco, String name) {
        Path other = dir.resolve("fresh").resolve("v.db");
        importPath(other, zip);
        try (VulnDatabase v = VulnDatabase.open(other)) {
            return v.candidates(List.of(eco), name).stream().map(c -> c.record().id()).toList();
        }
    }

    // ---- broken input: the old database is untouched ----

    private byte[] goodDatabase() throws IOException {
        importPath(db(), zipFile("good.zip", OsvFixtures.records("ubuntu")));
        return Files.readAllBytes(db());
    }

    private void assertUnchanged(byte[] before) throws IOException {
        assertThat(Files.readAllBytes(db())).isEqualTo(before);
        try (VulnDatabase v = VulnDatabase.open(db())) {
            assertThat(v.candidates(List.of("Ubuntu:22.04:LTS"), "openssl")).hasSize(1);
        }
        try (Stream<Path> s = Files.list(db().getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("vuln.db", "vuln.db.lock");
        }
    }

    @Test
    void truncatedZipIsAnErrorAndTheOldDatabaseStays() throws IOException {
        byte[] before = goodDatabase();
        byte[] zip = OsvFixtures.zip(OsvFixtures.records("debian-dsa-dla-converted"));
        for (int len : new int[] {zip.length / 2, zip.length - 10, 30}) {
            Path cut = Files.write(dir.resolve("cut-" + len + ".zip"), Arrays.copyOf(zip, len));
            assertThatThrownBy(() -> importPath(db(), cut)).isInstanceOf(UserError.class)
                    .hasMessageContaining(cut.toString())
                    .hasMessageContaining("not a complete zip archive")
                    .hasMessageContaining("truncated or damaged")
                    .hasMessageContaining("the database is unchanged");
            assertUnchanged(before);
        }
    }

    @Test
    void damagedEntryIsAnErrorAndTheOldDatabaseStays() throws IOException {
        byte[] before = goodDatabase();
        byte[] zip = OsvFixtures.zip(OsvFixtures.records("debian-dsa-dla-converted"));
        // flip bytes inside the compressed data of the first entries: inflate or the CRC check catches it
        for (int i = 200; i < 600; i += 7) {
            zip[i] ^= 0x5a;
        }
        Path bad = Files.write(dir.resolve("bad.zip"), zip);
        assertThatThrownBy(() -> importPath(db(), bad)).isInstanceOf(UserError.class)
                .hasMessageContaining("damaged").hasMessageContaining("the database is unchanged");
        assertUnchanged(before);
    }

    @Test
    void notAZipIsAnError() throws IOException {
        byte[] before = goodDatabase();
        Path text = Files.writeString(dir.resolve("notes.zip"), "hello");
        assertThatThrownBy(() -> importPath(db(), text)).isInstanceOf(UserError.class)
                .hasMessageContaining("is not a zip archive");
        Path empty = Files.write(dir.resolve("empty.zip"), new byte[0]);
        assertThatThrownBy(() -> importPath(db(), empty)).isInstanceOf(UserError.class).hasMessageContaining("is empty");
        Path gz = Files.write(dir.resolve("x.json.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0});
        assertThatThrownBy(() -> importPath(db(), gz)).isInstanceOf(UserError.class).hasMessageContaining("is not a zip archive");
        Path missing = dir.resolve("missing.zip");
        assertThatThrownBy(() -> importPath(db(), missing)).isInstanceOf(UserError.class).hasMessageContaining("does not exist");
        Files.createDirectories(dir.resolve("nojson"));
        Files.writeString(dir.resolve("nojson/a.txt"), "x");
        assertThatThrownBy(() -> importPath(db(), dir.resolve("nojson"))).isInstanceOf(UserError.class)
                .hasMessageContaining("has no *.json OSV records");
        Path allBad = zipFile("allbad.zip", new TreeMap<>(Map.of("a.json", "[]".getBytes(), "b.json", "{}".getBytes())));
        assertThatThrownBy(() -> importPath(db(), allBad)).isInstanceOf(UserError.class)
                .hasMessageContaining("none of the 2 JSON files").hasMessageContaining("a.json: not a JSON object")
                .hasMessageContaining("the database is unchanged");
        assertUnchanged(before);
    }

    @Test
    void aDamagedOldDatabaseIsReplacedWithANote() throws IOException {
        Files.createDirectories(db().getParent());
        Files.writeString(db(), "garbage, not sqlite");
        DbImporter.Result r = importPath(db(), zipFile("u.zip", OsvFixtures.records("ubuntu")));
        assertThat(r.notes()).singleElement().asString().contains("cannot be used and is replaced").contains("damaged");
        try (VulnDatabase v = VulnDatabase.open(db())) {
            assertThat(v.sources()).hasSize(1);
        }
    }

    @Test
    void aNewerDatabaseIsNotDowngraded() throws Exception {
        byte[] before = goodDatabase();
        VulnDbOpenTest.sql(db(), "UPDATE meta SET value = '7' WHERE key = 'schema_version'");
        byte[] newer = Files.readAllBytes(db());
        assertThat(newer).isNotEqualTo(before);
        assertThatThrownBy(() -> importPath(db(), zipFile("u.zip", OsvFixtures.records("ubuntu"))))
                .isInstanceOf(UserError.class).hasMessageContaining("newer dockaudit");
        assertThat(Files.readAllBytes(db())).isEqualTo(newer);
    }

    @Test
    void leftoversOfAnInterruptedImportAreRemoved() throws IOException {
        goodDatabase();
        Path stale = Files.writeString(db().resolveSibling(".vuln.db.tmp-0000"), "half a database");
        Path staleDownload = Files.writeString(db().resolveSibling(".vuln.db.download-0000.zip"), "half a zip");
        importPath(db(), zipFile("u2.zip", OsvFixtures.records("ubuntu")));
        assertThat(stale).doesNotExist();
        assertThat(staleDownload).doesNotExist();
    }

    @Test
    @SuppressWarnings("try")
    void aSecondWriterInThisProcessFailsFast() throws IOException {
        byte[] before = goodDatabase();
        try (DbLock held = DbLock.acquire(db())) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> importPath(db(), zipFile("u.zip", OsvFixtures.records("ubuntu"))))
                    .isInstanceOf(UserError.class)
                    .hasMessageContaining("another dockaudit is updating the vulnerability database " + db())
                    .hasMessageContaining("vuln.db.lock is locked").hasMessageContaining("wait for it to finish");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000);
        }
        assertThat(Files.readAllBytes(db())).isEqualTo(before);
    }

    @Test
    void aSecondWriterInAnotherProcessFailsFast() throws Exception {
        byte[] before = goodDatabase();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), db().toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(r.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> importPath(db(), zipFile("u.zip", OsvFixtures.records("ubuntu"))))
                    .isInstanceOf(UserError.class).hasMessageContaining("another dockaudit is updating");
            assertThat(Files.readAllBytes(db())).isEqualTo(before);
        } finally {
            p.getOutputStream().close();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        // released: the next import goes through
        assertThat(importPath(db(), zipFile("u.zip", OsvFixtures.records("ubuntu"))).records()).isEqualTo(1);
    }

    @Test
    void importRateOfTheRealRecords() throws IOException {
        // every real record, ten times under new ids: a figure for the log; bench/db-bench.sh measures at full size
        Map<String, byte[]> all = OsvFixtures.allRecords();
        Map<String, byte[]> many = new TreeMap<>();
        for (int i = 0; i < 10; i++) {
            for (Map.Entry<String, byte[]> e : all.entrySet()) {
                String id = e.getKey().replace(".json", "") + "-v" + i;
                many.put(id + ".json", OsvFixtures.with(e.getValue(), Map.of("id", id)));
            }
        }
        DbImporter.Result r = importPath(db(), zipFile("many.zip", many));
        assertThat(r.records()).isEqualTo(18910);
        System.out.printf("imported %,d records in %d ms: %,.0f records/s%n", r.records(), r.millis(), r.recordsPerSecond());
    }
}
