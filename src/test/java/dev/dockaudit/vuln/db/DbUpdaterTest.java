package dev.dockaudit.vuln.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.util.UserError;
import dev.dockaudit.vuln.osv.OsvEcosystems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code db update} against a real HTTP server holding the real records in the bucket's layout
 * ({@code /ECOSYSTEM/all.zip}): first download, 304s, changed archives, missing ones, failures and retries.
 */
class DbUpdaterTest {
    private static final Map<String, byte[]> RECORDS = OsvFixtures.allRecords();
    private static final Map<String, Map<String, byte[]>> BY_ECOSYSTEM = OsvFixtures.byEcosystem(RECORDS);

    @TempDir
    Path dir;

    OsvBucketServer server;
    final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    final DbUpdater.Listener listener = new DbUpdater.Listener() {
        @Override
        public void note(String message) {
            notes.add(message);
        }
    };

    @BeforeEach
    void start() throws IOException {
        server = new OsvBucketServer().putAll(OsvFixtures.bucket(RECORDS));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Path db() {
        return dir.resolve("vuln.db");
    }

    private DbUpdater.Options options(String... ecosystems) {
        return DbUpdater.Options.of(server.url(), ecosystems.length == 0 ? OsvEcosystems.DEFAULT : List.of(ecosystems))
                .withRetry(3, Duration.ofMillis(20));
    }

    private DbUpdater.Result update(DbUpdater.Options o) {
        return DbUpdater.update(db(), o, listener);
    }

    private static DbUpdater.EcosystemResult of(DbUpdater.Result r, String eco) {
        return r.ecosystems().stream().filter(e -> e.ecosystem().equals(eco)).findFirst().orElseThrow();
    }

    @Test
    void firstDownloadThenNotModifiedThenOneArchiveChanged() throws Exception {
        DbUpdater.Result first = update(options());
        assertThat(first.written()).isTrue();
        assertThat(first.ecosystems()).extracting(DbUpdater.EcosystemResult::ecosystem).isEqualTo(OsvEcosystems.DEFAULT);
        // what the server has: the bucket built from the fixtures
        for (Map.Entry<String, Map<String, byte[]>> e : BY_ECOSYSTEM.entrySet()) {
            if (!OsvEcosystems.DEFAULT.contains(e.getKey())) {
                continue;
            }
            DbUpdater.EcosystemResult r = of(first, e.getKey());
            assertThat(r.outcome()).as(e.getKey()).isEqualTo(DbUpdater.Outcome.DOWNLOADED);
            assertThat(r.records()).as(e.getKey()).isEqualTo(e.getValue().size());
            assertThat(r.skipped()).isZero();
            assertThat(r.url()).isEqualTo(server.url() + "/" + e.getKey() + "/all.zip");
        }
        assertThat(of(first, "Debian").records()).isEqualTo(1095);
        assertThat(of(first, "Alpine").records()).isEqualTo(425);
        assertThat(of(first, "Ubuntu").records()).isEqualTo(1);
        // the ecosystems this server lacks: a note each, nothing else
        List<String> missing = List.of("Red Hat", "AlmaLinux", "Rocky Linux", "SUSE", "openSUSE", "Wolfi", "Chainguard", "crates.io");
        for (String m : missing) {
            assertThat(of(first, m).outcome()).isEqualTo(DbUpdater.Outcome.MISSING);
        }
        assertThat(notes).hasSize(missing.size()).allMatch(n -> n.contains("(404)"));
        assertThat(notes).anyMatch(n -> n.startsWith("Red Hat: the source has no " + server.url() + "/Red%20Hat/all.zip"));
        assertThat(server.requests()).extracting(OsvBucketServer.Request::rawPath)
                .contains("/Red%20Hat/all.zip", "/Rocky%20Linux/all.zip", "/crates.io/all.zip", "/Debian/all.zip");
        assertThat(server.requests()).allMatch(r -> r.ifNoneMatch() == null && r.ifModifiedSince() == null);

        byte[] firstBytes = Files.readAllBytes(db());
        try (VulnDatabase v = VulnDatabase.open(db())) {
            assertThat(v.sources()).hasSize(BY_ECOSYSTEM.size() - 1); // SwiftURL has no archive of its own here
            assertThat(v.sources()).allMatch(s -> s.kind().equals("download") && s.etag() != null && s.lastModified() != null);
            assertThat(v.candidates(List.of("Alpine:v3.10"), "openssl")).hasSize(14);
            assertThat(v.candidates(List.of("Ubuntu:22.04:LTS"), "openssl")).hasSize(1);
            assertThat(v.candidates(List.of("Debian:11"), "openssl")).isNotEmpty();
            // a GHSA in the Maven and NuGet archives is stored twice and found once
            String both = BY_ECOSYSTEM.get("NuGet").keySet().stream().filter(BY_ECOSYSTEM.get("Maven")::containsKey)
                    .findFirst().orElseThrow().replace(".json", "");
            assertThat(v.records(both)).hasSize(2);
            String nugetName = v.records(both).get(0).affected().stream().filter(a -> a.ecosystem().equals("NuGet"))
                    .findFirst().orElseThrow().name();
            assertThat(v.candidates(List.of("NuGet"), nugetName)).extracting(c -> c.record().id()).containsOnlyOnce(both);
            assertThat(v.dataDate()).isEqualTo(OsvFixtures.newestModified(RECORDS));
        }

        // second run: conditional requests, 304 everywhere, the file is left as it was
        server.clearRequests();
        notes.clear();
        DbUpdater.Result second = update(options());
        assertThat(second.written()).isFalse();
        for (String eco : BY_ECOSYSTEM.keySet()) {
            if (OsvEcosystems.DEFAULT.contains(eco)) {
                assertThat(of(second, eco).outcome()).isEqualTo(DbUpdater.Outcome.UNCHANGED);
                assertThat(of(second, eco).records()).isEqualTo(BY_ECOSYSTEM.get(eco).size());
                OsvBucketServer.Request req = server.requests().stream().filter(r -> r.path().equals("/" + eco + "/all.zip"))
                        .findFirst().orElseThrow();
                assertThat(req.ifNoneMatch()).isEqualTo(server.etag(eco));
                assertThat(req.ifModifiedSince()).isEqualTo(server.lastModified(eco));
                assertThat(req.status()).isEqualTo(304);
            }
        }
        assertThat(Files.readAllBytes(db())).isEqualTo(firstBytes);

        // third run: Alpine changed on the server (one record fewer, one updated): only Alpine is downloaded
        Map<String, byte[]> alpine = new TreeMap<>(BY_ECOSYSTEM.get("Alpine"));
        alpine.remove("ALPINE-CVE-2012-6702.json");
        alpine.put("ALPINE-CVE-2021-36159.json", OsvFixtures.with(alpine.get("ALPINE-CVE-2021-36159.json"),
                Map.of("modified", "2026-02-01T00:00:00Z", "summary", "changed upstream")));
        server.put("Alpine", OsvFixtures.zip(alpine));
        server.clearRequests();
        DbUpdater.Result third = update(options());
        assertThat(third.written()).isTrue();
        assertThat(of(third, "Alpine").outcome()).isEqualTo(DbUpdater.Outcome.DOWNLOADED);
        assertThat(of(third, "Alpine").records()).isEqualTo(424);
        assertThat(of(third, "Debian").outcome()).isEqualTo(DbUpdater.Outcome.UNCHANGED);
        assertThat(server.requests()).filteredOn(r -> r.path().equals("/Alpine/all.zip")).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(200));
        try (VulnDatabase v = VulnDatabase.open(db())) {
            assertThat(v.records("ALPINE-CVE-2012-6702")).isEmpty();
            assertThat(v.records("ALPINE-CVE-2021-36159")).singleElement()
                    .satisfies(x -> assertThat(x.summary()).isEqualTo("changed upstream"));
            assertThat(v.dataDate()).isEqualTo("2026-02-01T00:00:00Z");
            // carried archives answer exactly as before
            assertThat(v.candidates(List.of("Debian:11"), "openssl")).hasSize(
                    countEntries("Debian:11", "openssl"));
            SourceInfo debian = v.sources().stream().filter(s -> s.ecosystem().equals("Debian")).findFirst().orElseThrow();
            assertThat(debian.records()).isEqualTo(1095);
            assertThat(debian.checkedAt().compareTo(debian.fetchedAt())).isGreaterThanOrEqualTo(0);
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("vuln.db", "vuln.db.lock");
        }
    }

    private static int countEntries(String eco, String name) {
        int n = 0;
        for (byte[] data : RECORDS.values()) {
            for (var a : dev.dockaudit.util.Json.parse(data, "x").path("affected")) {
                if (a.path("package").path("ecosystem").asText().equals(eco) && a.path("package").path("name").asText().equals(name)) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void onlyTheEcosystemsAskedForAreFetchedAndTheRestIsKept() {
        update(options("Debian", "Maven"));
        server.clearRequests();
        DbUpdater.Result r = update(options("Alpine"));
        assertThat(server.requests()).extracting(OsvBucketServer.Request::path).containsExactly("/Alpine/all.zip");
        assertThat(r.ecosystems()).singleElement().satisfies(e -> assertThat(e.outcome()).isEqualTo(DbUpdater.Outcome.DOWNLOADED));
        try (VulnDatabase v = VulnDatabase.open(db())) {
            assertThat(v.sources()).extracting(SourceInfo::ecosystem).containsExactly("Alpine", "Debian", "Maven");
        }
    }

    @Test
    void anArchiveGoneFromTheServerKeepsItsOldData() {
        update(options("Alpine", "Debian"));
        server.remove("Alpine");
        notes.clear();
        DbUpdater.Result r = update(options("Alpine", "Debian"));
        assertThat(of(r, "Alpine").outcome()).isEqualTo(DbUpdater.Outcome.MISSING);
        assertThat(of(r, "Alpine").records()).isEqualTo(425);
        assertThat(notes).singleElement().asString().contains("Alpine: the source has no").contains("(404)")
                .contains("keeping the 425 records fetched");
        try (VulnDatabase v = VulnDatabase.open(db())) {
            assertThat(v.candidates(List.of("Alpine:v3.10"), "openssl")).hasSize(14);
        }
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() {
        server.fault("Debian", OsvBucketServer.Fault.STATUS_500, 1);
        server.fault("Alpine", OsvBucketServer.Fault.STATUS_503_RETRY_AFTER, 2);
        server.fault("Maven", OsvBucketServer.Fault.STATUS_429, 1);
        DbUpdater.Result r = update(options("Debian", "Alpine", "Maven"));
        assertThat(r.ecosystems()).allMatch(e -> e.outcome() == DbUpdater.Outcome.DOWNLOADED);
        assertThat(of(r, "Debian").records()).isEqualTo(1095);
        assertThat(notes).contains("Debian: the server answered 500; retrying in 20 ms",
                "Alpine: the server answered 503; retrying in 20 ms", "Alpine: the server answered 503; retrying in 40 ms",
                "Maven: the server answered 429; retrying in 20 ms");
        assertThat(server.requests()).filteredOn(x -> x.path().equals("/Alpine/all.zip")).extracting(OsvBucketServer.Request::status)
                .containsExactly(503, 503, 200);
    }

    private byte[] goodDatabase() throws IOException {
        update(options("Ubuntu"));
        return Files.readAllBytes(db());
    }

    private void assertUnchanged(byte[] before) throws IOException {
        assertThat(Files.readAllBytes(db())).isEqualTo(before);
        try (VulnDatabase v = VulnDatabase.open(db())) {
            assertThat(v.candidates(List.of("Ubuntu:22.04:LTS"), "openssl")).hasSize(1);
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("vuln.db", "vuln.db.lock");
        }
    }

    @Test
    void persistentServerErrorsFailAndTheOldDatabaseStays() throws IOException {
        byte[] before = goodDatabase();
        server.fault("Alpine", OsvBucketServer.Fault.STATUS_500, 10);
        assertThatThrownBy(() -> update(options("Ubuntu", "Alpine", "Debian"))).isInstanceOf(UserError.class)
                .hasMessage("cannot download " + server.url() + "/Alpine/all.zip: the server answered 500 (tried 3 times);"
                        + " check the network or --source and retry; the database is unchanged");
        assertUnchanged(before);
    }

    @Test
    void aDownloadCutShortIsRetried() throws IOException {
        server.fault("Debian", OsvBucketServer.Fault.CUT_SHORT, 1);
        DbUpdater.Result r = update(options("Debian"));
        assertThat(of(r, "Debian").records()).isEqualTo(1095);
        assertThat(server.requests()).extracting(OsvBucketServer.Request::status).containsExactly(-200, 200);
        assertThat(notes).singleElement().asString().startsWith("Debian: ").contains("retrying");
    }

    @Test
    void downloadsAlwaysCutShortFailAndTheOldDatabaseStays() throws IOException {
        byte[] before = goodDatabase();
        server.fault("Debian", OsvBucketServer.Fault.CUT_SHORT, 10);
        assertThatThrownBy(() -> update(options("Debian"))).isInstanceOf(UserError.class)
                .hasMessageContaining("cannot download " + server.url() + "/Debian/all.zip")
                .hasMessageMatching(".*(broke off after|ended after) \\d+ of \\d+ bytes.*")
                .hasMessageContaining("tried 3 times").hasMessageContaining("the database is unchanged");
        assertUnchanged(before);
    }

    @Test
    void aTruncatedZipServedWholeIsRejected() throws IOException {
        byte[] before = goodDatabase();
        server.fault("Debian", OsvBucketServer.Fault.TRUNCATED_ZIP, 10);
        assertThatThrownBy(() -> update(options("Debian", "Ubuntu"))).isInstanceOf(UserError.class)
                .hasMessageContaining("/Debian/all.zip").hasMessageContaining("not a complete zip archive")
                .hasMessageContaining("the database is unchanged");
        assertUnchanged(before);
        // once the mirror is whole again the update goes through
        server.clearFaults();
        DbUpdater.Result r = update(options("Debian"));
        assertThat(r.written()).isTrue();
    }

    @Test
    void aStalledDownloadTimesOut() throws IOException {
        byte[] before = goodDatabase();
        server.fault("Debian", OsvBucketServer.Fault.STALL, 10);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> DbUpdater.update(db(), options("Debian").withRetry(2, Duration.ofMillis(10))
                .withIdleTimeout(Duration.ofMillis(800)), listener)).isInstanceOf(UserError.class)
                .hasMessageContaining("tried 2 times");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(15_000);
        assertUnchanged(before);
    }

    @Test
    void refusedIsNotRetried() throws IOException {
        byte[] before = goodDatabase();
        server.fault("Debian", OsvBucketServer.Fault.STATUS_403, 1);
        server.clearRequests();
        assertThatThrownBy(() -> update(options("Debian"))).isInstanceOf(UserError.class)
                .hasMessageContaining("the server answered 403 for " + server.url() + "/Debian/all.zip");
        assertThat(server.requests()).hasSize(1);
        assertUnchanged(before);
    }

    @Test
    void aSourceWithNoneOfTheArchivesIsAnError() throws IOException {
        try (OsvBucketServer empty = new OsvBucketServer()) {
            assertThatThrownBy(() -> DbUpdater.update(db(), DbUpdater.Options.of(empty.url(), OsvEcosystems.DEFAULT), listener))
                    .isInstanceOf(UserError.class).hasMessageContaining("has none of the archives asked for")
                    .hasMessageContaining(empty.url() + "/Debian/all.zip");
        }
        assertThat(db()).doesNotExist();
    }

    @Test
    void unreachableServerFails() {
        DbUpdater.Options o = DbUpdater.Options.of("http://127.0.0.1:1", List.of("Debian")).withRetry(2, Duration.ofMillis(10));
        assertThatThrownBy(() -> DbUpdater.update(db(), o, listener)).isInstanceOf(UserError.class)
                .hasMessageContaining("cannot download http://127.0.0.1:1/Debian/all.zip: cannot connect")
                .hasMessageContaining("tried 2 times");
        assertThat(db()).doesNotExist();
    }

    @Test
    void aFolderInTheBucketLayoutWorksOffline() throws IOException {
        Path bucket = dir.resolve("mirror");
        for (Map.Entry<String, byte[]> e : OsvFixtures.bucket(RECORDS).entrySet()) {
            Files.createDirectories(bucket.resolve(e.getKey()));
            Files.write(bucket.resolve(e.getKey()).resolve("all.zip"), e.getValue());
        }
        String source = DbUpdater.resolveSource(bucket.toString(), Map.of());
        assertThat(source).isEqualTo(bucket.toUri().toString().replaceAll("/$", ""));
        DbUpdater.Result first = DbUpdater.update(db(), DbUpdater.Options.of(source, List.of("Alpine", "Debian", "Red Hat")), listener);
        assertThat(of(first, "Alpine").records()).isEqualTo(425);
        assertThat(of(first, "Red Hat").outcome()).isEqualTo(DbUpdater.Outcome.MISSING);
        DbUpdater.Result second = DbUpdater.update(db(), DbUpdater.Options.of(DbUpdater.resolveSource(bucket.toUri().toString(),
                Map.of()), List.of("Alpine", "Debian")), listener);
        assertThat(second.written()).isFalse();
        Files.setLastModifiedTime(bucket.resolve("Alpine/all.zip"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        DbUpdater.Result third = DbUpdater.update(db(), DbUpdater.Options.of(source, List.of("Alpine", "Debian")), listener);
        assertThat(third.written()).isTrue();
        assertThat(of(third, "Alpine").outcome()).isEqualTo(DbUpdater.Outcome.DOWNLOADED);
        assertThat(of(third, "Debian").outcome()).isEqualTo(DbUpdater.Outcome.UNCHANGED);
        assertThat(bucket.resolve("Alpine/all.zip")).exists();
    }

    @Test
    void sourcesEcosystemsAndUrls() {
        assertThat(DbUpdater.resolveSource(null, Map.of())).isEqualTo("https://osv-vulnerabilities.storage.googleapis.com");
        assertThat(DbUpdater.resolveSource(null, Map.of("DOCKAUDIT_DB_SOURCE", "https://mirror.example/osv/")))
                .isEqualTo("https://mirror.example/osv");
        assertThat(DbUpdater.resolveSource("http://127.0.0.1:8080", Map.of("DOCKAUDIT_DB_SOURCE", "https://mirror.example/osv")))
                .isEqualTo("http://127.0.0.1:8080");
        assertThatThrownBy(() -> DbUpdater.resolveSource("ftp://mirror.example/osv", Map.of())).isInstanceOf(UserError.class)
                .hasMessageContaining("--source ftp://mirror.example/osv is neither an http(s) URL nor an absolute folder path");
        assertThatThrownBy(() -> DbUpdater.resolveSource(null, Map.of("DOCKAUDIT_DB_SOURCE", "relative/dir")))
                .isInstanceOf(UserError.class).hasMessageContaining("DOCKAUDIT_DB_SOURCE relative/dir");
        assertThatThrownBy(() -> DbUpdater.resolveSource("https://x.example/osv?token=1", Map.of()))
                .isInstanceOf(UserError.class).hasMessageContaining("not a usable URL");
        assertThatThrownBy(() -> DbUpdater.resolveSource(dir.resolve("nope").toString(), Map.of()))
                .isInstanceOf(UserError.class).hasMessageContaining("is not a folder");
        assertThat(DbUpdater.resolveEcosystems(List.of())).isEqualTo(OsvEcosystems.DEFAULT);
        assertThat(DbUpdater.resolveEcosystems(List.of("pypi", "Red Hat,alpine", "PyPI"))).containsExactly("PyPI", "Red Hat", "Alpine");
        assertThatThrownBy(() -> DbUpdater.resolveEcosystems(List.of("Debian", "Haiku"))).isInstanceOf(UserError.class)
                .hasMessageContaining("--ecosystem Haiku is not one dockaudit downloads; choose from Debian, Ubuntu");
        assertThat(DbUpdater.archiveUrl("https://b.example", "Red Hat")).isEqualTo("https://b.example/Red%20Hat/all.zip");
        assertThat(DbUpdater.archiveUrl("https://b.example", "crates.io")).isEqualTo("https://b.example/crates.io/all.zip");
    }
}
