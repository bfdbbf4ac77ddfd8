package dev.dockaudit.inventory.pkg.rpm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Reads rpm's sqlite package database {@code rpmdb.sqlite} (Fedora 33+, RHEL 9, CBL-Mariner/Azure Linux, Amazon
 * Linux 2023): table {@code Packages(hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)}, read with the
 * query rpm 4.18's lib/backend/sqlite.c uses, so rows come in {@code rpm -qa} order (hnum).
 *
 * <p>The file is a private copy in the tool's temporary folder, opened read-only and immutable: sqlite writes
 * nothing (no journal, no -wal/-shm files) and takes no locks. A write-ahead log shipped next to the database
 * in the image is not read (rpm checkpoints it when it closes the database, so images normally have none).
 */
public final class SqliteRpmdb {
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private SqliteRpmdb() {
    }

    public static void forEach(Path file, long maxBlob, BlobVisitor visitor) throws IOException {
        long size = Files.size(file);
        if (size == 0) {
            throw new IOException("is empty (0 bytes), not an sqlite database");
        }
        byte[] head = new byte[100];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, head.length);
            if (n < MAGIC.length || !Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                throw new IOException("is not an sqlite database (no \"SQLite format 3\" header)");
            }
            if (n < head.length) {
                throw new IOException("is " + n + " bytes, shorter than the sqlite header (truncated?)");
            }
        }
        // sqlite reads past the end of a short file as zeros; the header's page count (valid when its
        // version-valid-for number equals the change counter) tells a truncated copy apart
        ByteBuffer h = ByteBuffer.wrap(head);
        int ps = h.getShort(16) & 0xffff;
        long pageSize = ps == 1 ? 65536 : ps;
        long pages = Integer.toUnsignedLong(h.getInt(28));
        if (h.getInt(24) == h.getInt(92) && pages > 0 && pages * pageSize > size) {
            throw new IOException("is " + size + " bytes but its header says " + pages + " pages of " + pageSize
                    + " bytes (truncated?)");
        }
        String url = "jdbc:sqlite:file:" + file.toAbsolutePath() + "?mode=ro&immutable=1";
        try (Connection c = DriverManager.getConnection(url)) {
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'Packages'");
                 ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new IOException("is an sqlite database without a Packages table, not an rpm database");
                }
            }
            try (PreparedStatement st = c.prepareStatement("SELECT hnum, length(blob), blob FROM 'Packages'");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long hnum = rs.getLong(1);
                    long len = rs.getLong(2);
                    if (len > maxBlob) {
                        throw new IOException("package " + hnum + " has a " + len + "-byte header, over the " + maxBlob
                                + "-byte limit");
                    }
                    byte[] blob = rs.getBytes(3);
                    visitor.visit(hnum, blob == null ? new byte[0] : blob);
                }
            }
        } catch (SQLException e) {
            throw new IOException("sqlite: " + e.getMessage(), e);
        }
    }
}
