package dev.dockaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.vuln.db.OsvFixtures;
import dev.dockaudit.vuln.db.VulnDbPaths;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dockaudit db …} through the command line, in process: output, exit codes, and the one-error-line contract. */
class DbCommandTest {
    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("v.db");
    }

    private static Cli.Result ok(String... args) {
        Cli.Result r = Cli.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void pathPrintsTheDefaultOrTheChosenFile() {
        assertThat(ok("db", "path").out().strip()).isEqualTo(VulnDbPaths.defaultPath().toAbsolutePath().toString());
        assertThat(ok("db", "path", "--db", db().toString()).out().strip()).isEqualTo(db().toString());
    }

    @Test
    void importThenStatus() throws IOException {
        Path in = OsvFixtures.folder(dir.resolve("osv"), OsvFixtures.allRecords());
        Cli.Result imp = ok("db", "import", in.toString(), "--db", db().toString());
        assertThat(imp.out()).startsWith("imported 1,891 records (").contains(" from " + in + " into " + db() + "; 0 skipped;")
                .doesNotContain("records/s");
        assertThat(imp.err()).isEqualTo("dockaudit: note: 1 record names an ecosystem dockaudit does not match (stored anyway):"
                + " SwiftURL (1)\n");

        Cli.Result st = ok("db", "status", "--db", db().toString());
        assertThat(st.err()).isEmpty();
        assertThat(st.out()).contains("database    " + db() + " (")
                .contains("schema      1 (built ")
                .contains("data date   " + OsvFixtures.newestModified(OsvFixtures.allRecords()) + " (")
                .contains("records     1,891 in 1 archive, 0 withdrawn, 33 ecosystems")
                .contains("import   ").contains(in.toUri().toString())
                .contains("ecosystems dockaudit does not match (stored, not used): SwiftURL (1 record)")
                .contains("warning: the vulnerability data is ").contains("run 'dockaudit db update'");

        JsonNode j = ok("db", "status", "--db", db().toString(), "--format", "json").json();
        assertThat(j.path("path").asText()).isEqualTo(db().toString());
        assertThat(j.path("schemaVersion").asInt()).isEqualTo(1);
        assertThat(j.path("records").asInt()).isEqualTo(1891);
        assertThat(j.path("sources").get(0).path("kind").asText()).isEqualTo("import");
        assertThat(j.path("sources").get(0).path("records").asInt()).isEqualTo(1891);
        assertThat(j.path("ecosystems").size()).isEqualTo(33);
        assertThat(j.path("ageDays").asLong()).isGreaterThan(7);
        assertThat(j.path("warnings").get(0).asText()).startsWith("the vulnerability data is ");
    }

    @Test
    void freshDataHasNoWarningAndSkippedRecordsAreShown() throws IOException {
        byte[] rec = OsvFixtures.records("ubuntu").get("CVE-2023-0286.json");
        Map<String, byte[]> in = new TreeMap<>();
        in.put("fresh.json", OsvFixtures.with(rec, Map.of("modified", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())));
        in.put("broken.json", "{\"id\":1}".getBytes());
        Path zip = Files.write(dir.resolve("fresh.zip"), OsvFixtures.zip(in));
        Cli.Result imp = ok("db", "import", zip.toString(), "--db", db().toString());
        assertThat(imp.err()).contains("dockaudit: note: " + zip + ": 1 malformed record skipped (broken.json: id: not a string but a number); see dockaudit db status");
        Cli.Result st = ok("db", "status", "--db", db().toString());
        assertThat(st.out()).doesNotContain("warning:").contains("(0 days old)")
                .contains("skipped in " + zip.toUri() + " (1 malformed records):")
                .contains("  broken.json: id: not a string but a number");
        assertThat(ok("db", "import", "--quiet", zip.toString(), "--db", db().toString()).err()).isEmpty();
    }

    @Test
    void updateFromALocalServer() throws IOException {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] alpine = OsvFixtures.bucket(OsvFixtures.records("alpine-secdb-converted")).get("Alpine");
        server.createContext("/", ex -> {
            try (ex) {
                if (ex.getRequestURI().getPath().equals("/Alpine/all.zip")) {
                    if ("\"a1\"".equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                        ex.sendResponseHeaders(304, -1);
                        return;
                    }
                    ex.getResponseHeaders().add("ETag", "\"a1\"");
                    ex.sendResponseHeaders(200, alpine.length);
                    ex.getResponseBody().write(alpine);
                } else {
                    ex.sendResponseHeaders(404, -1);
                }
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            Cli.Result r = ok("db", "update", "--db", db().toString(), "--source", url, "--ecosystem", "alpine,Debian");
            assertThat(r.out()).contains("Alpine             425 records  downloaded ")
                    .contains("Debian               -          not on the source")
                    .contains("updated " + db() + " from " + url);
            assertThat(r.err()).isEqualTo("dockaudit: note: Debian: the source has no " + url + "/Debian/all.zip (404)\n");
            Cli.Result again = ok("db", "update", "--db", db().toString(), "--source", url, "--ecosystem", "Alpine", "-q");
            assertThat(again.out()).contains("Alpine             425 records  unchanged since ")
                    .contains("already up to date: " + db());
            assertThat(again.err()).isEmpty();
        } finally {
            server.stop(0);
        }
    }

    // ---- bad input: exit 2, one line ----

    @Test
    void badInputIsOneErrorLine() throws IOException {
        assertThat(BadInputTest.badInput("db")).contains("no db command given; try: dockaudit db status");
        assertThat(BadInputTest.badInput("db", "status", "--db", db().toString()))
                .isEqualTo("dockaudit: error: no vulnerability database at " + db() + "; run 'dockaudit db update' to download one,"
                        + " or 'dockaudit db import PATH' to load OSV files offline");
        assertThat(BadInputTest.badInput("db", "status", "--db", db().toString(), "--format", "xml"))
                .contains("--format xml is not available for db status");
        assertThat(BadInputTest.badInput("db", "update", "--db", db().toString(), "--ecosystem", "Haiku"))
                .contains("--ecosystem Haiku is not one dockaudit downloads");
        assertThat(BadInputTest.badInput("db", "update", "--db", db().toString(), "--source", "ftp://x.example"))
                .contains("--source ftp://x.example is neither an http(s) URL nor an absolute folder path");
        assertThat(BadInputTest.badInput("db", "import", dir.resolve("missing.zip").toString(), "--db", db().toString()))
                .contains("does not exist");
        byte[] zip = OsvFixtures.zip(OsvFixtures.records("debian-dsa-dla-converted"));
        Path cut = Files.write(dir.resolve("cut.zip"), Arrays.copyOf(zip, zip.length / 3));
        assertThat(BadInputTest.badInput("db", "import", cut.toString(), "--db", db().toString()))
                .contains(cut + " is not a complete zip archive").contains("the database is unchanged");
        Path garbage = Files.writeString(dir.resolve("garbage.db"), "not a database at all, just text".repeat(10));
        assertThat(BadInputTest.badInput("db", "status", "--db", garbage.toString())).contains("is damaged (not an SQLite file)");
        assertThat(db()).doesNotExist();
    }
}
