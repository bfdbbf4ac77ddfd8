package dev.dockaudit.vuln.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk during an import or an update: the database lives on a 2 MB tmpfs, the new data does not fit, and
 * the old database must stay as it was and keep answering. Needs root to mount (tests run as root in CI); when the
 * mount fails the test fails and says why rather than skipping.
 */
class DbFullDiskTest {
    @TempDir
    Path dir;

    Path small;

    @BeforeEach
    void mount() throws Exception {
        small = Files.createDirectories(dir.resolve("small"));
        String out = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", small.toString());
        if (out != null) {
            fail("cannot mount a 2 MB tmpfs at " + small + " for the full-disk test (it needs root, as the tests have in CI): " + out);
        }
    }

    @AfterEach
    void unmount() throws Exception {
        String out = run("umount", small.toString());
        if (out != null) {
            fail("cannot unmount " + small + ": " + out);
        }
    }

    /** Null on success, else the output. */
    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    }

    /** Every real record, {@code copies} times under new ids: several MB, more than the tmpfs holds. */
    private static Map<String, byte[]> big(int copies) {
        Map<String, byte[]> out = new TreeMap<>();
        for (int i = 0; i < copies; i++) {
            for (Map.Entry<String, byte[]> e : OsvFixtures.allRecords().entrySet()) {
                String id = e.getKey().replace(".json", "") + "-copy" + i;
                out.put(id + ".json", OsvFixtures.with(e.getValue(), Map.of("id", id)));
            }
        }
        return out;
    }

    private byte[] oldDatabase(Path db) throws IOException {
        DbImporter.importPath(db, Files.write(dir.resolve("u.zip"), OsvFixtures.zip(OsvFixtures.records("ubuntu"))), false,
                DbImporter.Progress.NONE);
        return Files.readAllBytes(db);
    }

    private static void assertOldDatabaseStays(Path db, byte[] before) throws IOException {
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
        try (VulnDatabase v = VulnDatabase.open(db)) {
            assertThat(v.candidates(List.of("Ubuntu:22.04:LTS"), "openssl")).hasSize(1);
        }
        try (Stream<Path> s = Files.list(db.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("vuln.db", "vuln.db.lock");
        }
    }

    @Test
    void importOntoAFullDisk() throws IOException {
        Path db = small.resolve("vuln.db");
        byte[] before = oldDatabase(db);
        Path input = OsvFixtures.folder(dir.resolve("big"), big(3));
        assertThatThrownBy(() -> DbImporter.importPath(db, input, false, DbImporter.Progress.NONE))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("not enough free space in " + small + " to write the new vulnerability database")
                .hasMessageContaining("the old database is unchanged");
        assertOldDatabaseStays(db, before);
        // and the next import that fits works
        assertThat(DbImporter.importPath(db, OsvFixtures.folder(dir.resolve("alpine"), OsvFixtures.records("alpine-secdb-converted")),
                false, DbImporter.Progress.NONE).records()).isEqualTo(425);
    }

    @Test
    void updateOntoAFullDisk() throws IOException {
        Path db = small.resolve("vuln.db");
        byte[] before = oldDatabase(db);
        try (OsvBucketServer server = new OsvBucketServer()) {
            byte[] zip = OsvFixtures.zip(big(4));
            assertThat(zip.length).isGreaterThan(2 << 20);
            server.put("Debian", zip);
            DbUpdater.Options o = DbUpdater.Options.of(server.url(), List.of("Debian")).withRetry(3, Duration.ofMillis(10));
            assertThatThrownBy(() -> DbUpdater.update(db, o, DbUpdater.Listener.NONE))
                    .isInstanceOf(UserError.class)
                    .hasMessageStartingWith("not enough free space in " + small)
                    .hasMessageContaining("the old database is unchanged");
            // a full disk is not retried
            assertThat(server.arrivals()).isEqualTo(1);
        }
        assertOldDatabaseStays(db, before);
    }

    @Test
    void archiveFitsButTheNewDatabaseDoesNot() throws IOException {
        Path db = small.resolve("vuln.db");
        byte[] before = oldDatabase(db);
        try (OsvBucketServer server = new OsvBucketServer()) {
            // about 1 MB of zip, which expands to more than the remaining space once imported
            server.put("Debian", OsvFixtures.zip(big(2)));
            DbUpdater.Options o = DbUpdater.Options.of(server.url(), List.of("Debian")).withRetry(3, Duration.ofMillis(10));
            assertThatThrownBy(() -> DbUpdater.update(db, o, DbUpdater.Listener.NONE))
                    .isInstanceOf(UserError.class)
                    .hasMessageStartingWith("not enough free space in " + small)
                    .hasMessageContaining("the old database is unchanged");
        }
        assertOldDatabaseStays(db, before);
    }
}
