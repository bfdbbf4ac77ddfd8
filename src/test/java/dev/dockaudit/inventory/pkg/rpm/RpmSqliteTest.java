package dev.dockaudit.inventory.pkg.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.inventory.FileResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sqlite reader ({@code rpmdb.sqlite}) on files that are not, or no longer, good rpm databases. */
class RpmSqliteTest {
    @TempDir
    Path tmp;

    private Path write(byte[] content) throws IOException {
        Path p = tmp.resolve("rpmdb.sqlite");
        Files.write(p, content);
        return p;
    }

    private static FileResult read(Path p) throws IOException {
        return RpmAnalyzer.read(p, RpmAnalyzer.Format.SQLITE, "/var/lib/rpm/rpmdb.sqlite");
    }

    @Test
    void aFileThatIsNotSqliteIsAnIOException() throws IOException {
        assertThatThrownBy(() -> read(write("Packages\n".repeat(1000).getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(IOException.class).hasMessageContaining("not an sqlite database");
        byte[] bdb = Files.readAllBytes(RpmFixtures.resource("built-bdb/Packages"));
        assertThatThrownBy(() -> read(write(bdb))).isInstanceOf(IOException.class).hasMessageContaining("not an sqlite");
        assertThatThrownBy(() -> read(write(new byte[0]))).isInstanceOf(IOException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> read(write("SQLite".getBytes(StandardCharsets.US_ASCII)))).isInstanceOf(IOException.class);
    }

    @Test
    void anSqliteDatabaseWithoutPackagesTableIsAnIOException() throws Exception {
        Path p = tmp.resolve("other.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + p); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
            st.execute("INSERT INTO notes (text) VALUES ('hello')");
        }
        assertThatThrownBy(() -> read(p)).isInstanceOf(IOException.class).hasMessageContaining("without a Packages table");
    }

    @Test
    void aTruncatedDatabaseIsAnIOException() throws IOException {
        byte[] f = Files.readAllBytes(RpmFixtures.resource("built-sqlite/rpmdb.sqlite"));
        for (int len : new int[] {50, 100, 4096, 8192, f.length / 2, f.length - 600}) {
            assertThatThrownBy(() -> read(write(Arrays.copyOf(f, len)))).as("cut to %d bytes", len)
                    .isInstanceOf(IOException.class).hasMessageContaining("truncated");
        }
        // a database whose header does not give its size is left to sqlite's own checks
        byte[] g = Arrays.copyOf(f, 8192);
        g[92] ^= 1;
        assertThatThrownBy(() -> read(write(g))).isInstanceOf(IOException.class).hasMessageContaining("malformed");
    }

    @Test
    void aDamagedHeaderIsSkippedWithAWarningAsRpmDoes() throws IOException, SQLException {
        Path p = RpmFixtures.copy("built-sqlite/rpmdb.sqlite", tmp, "rpmdb.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + p);
             PreparedStatement st = c.prepareStatement("UPDATE Packages SET blob = ? WHERE hnum = 3")) {
            st.setBytes(1, new byte[] {0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3});
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
        for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
            Files.deleteIfExists(Path.of(p + suffix));
        }
        FileResult r = read(p);
        assertThat(r.packages()).hasSize(8);
        assertThat(r.warnings()).singleElement().asString().startsWith("rpm header #3 is damaged");
    }

    @Test
    void readingWritesNothingNextToTheDatabase() throws IOException {
        Path p = RpmFixtures.copy("built-sqlite/rpmdb.sqlite", tmp, "rpmdb.sqlite");
        assertThat(read(p).packages()).hasSize(9);
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(x -> x.getFileName().toString())).containsExactly("rpmdb.sqlite");
        }
    }
}
