package dev.dockaudit.vuln.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

/**
 * A child JVM for {@link DbSqliteLoadTest}: uses SQLite the way the rpm reader does (plain DriverManager) and through
 * the vulnerability database, in the order given by args[1] ("plain-first" or "db-first"), and prints "ok".
 */
public final class SqliteOrderMain {
    private SqliteOrderMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        boolean plainFirst = args[1].equals("plain-first");
        if (plainFirst) {
            plain(dir);
        }
        Path in = OsvFixtures.folder(dir.resolve("in"), OsvFixtures.records("ubuntu"));
        DbImporter.importPath(dir.resolve("v.db"), in, false, DbImporter.Progress.NONE);
        try (VulnDatabase v = VulnDatabase.open(dir.resolve("v.db"))) {
            if (v.candidates(List.of("Ubuntu:22.04:LTS"), "openssl").size() != 1) {
                throw new IllegalStateException("wrong answer");
            }
        }
        if (!plainFirst) {
            plain(dir);
        }
        System.out.println("ok " + System.getProperty("org.sqlite.lib.path"));
    }

    private static void plain(Path dir) throws Exception {
        Path f = dir.resolve("plain.db");
        Files.deleteIfExists(f);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (x)");
            for (int i = 0; i < 100; i++) {
                st.execute("INSERT INTO t VALUES (" + i + ")");
            }
        }
    }
}
