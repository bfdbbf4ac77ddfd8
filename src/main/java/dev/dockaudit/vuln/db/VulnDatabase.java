package dev.dockaudit.vuln.db;

import dev.dockaudit.util.UserError;
import dev.dockaudit.vuln.osv.OsvNames;
import dev.dockaudit.vuln.osv.OsvRecord;
import dev.dockaudit.vuln.osv.Rfc3339;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;

/**
 * The offline OSV database, opened read-only. The file is never changed in place (updates write a new file and
 * rename it over this one), so it is opened {@code immutable}: SQLite takes no locks and writes nothing, and an
 * update running meanwhile does not disturb this reader, which keeps seeing the file it opened.
 *
 * <p>Opening checks the file (exists, is SQLite, is complete, has a schema this code reads) and reads the small
 * {@code meta} table; nothing scans. {@link #candidates} is two indexed look-ups per ecosystem, and records are
 * decompressed and parsed once per instance (a record names many packages). Methods are thread-safe.
 */
public final class VulnDatabase implements AutoCloseable {
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final Path path;
    private final Connection c;
    private final Map<String, String> meta;
    private final PreparedStatement byPackage;
    private final PreparedStatement byRid;
    private final Map<Long, Loaded> cache = new HashMap<>();

    private record Loaded(OsvRecord record, long modified) {
    }

    /** Why a file could not be opened: writers replace a damaged or old file but refuse to downgrade a newer one. */
    enum Problem { MISSING, DAMAGED, NEWER, OLDER, UNREADABLE }

    /** A {@link UserError} from {@link #open} that says which {@link Problem} it is. */
    static final class OpenError extends UserError {
        private static final long serialVersionUID = 1L;
        final Problem problem;

        OpenError(Problem problem, String message) {
            super(message);
            this.problem = problem;
        }
    }

    private VulnDatabase(Path path, Connection c, Map<String, String> meta) throws SQLException {
        this.path = path;
        this.c = c;
        this.meta = meta;
        // one statement per look-up: the covering index gives rid and entry, the primary key the record
        this.byPackage = c.prepareStatement("SELECT a.rid, a.idx, r.data FROM affected a JOIN records r ON r.rid = a.rid"
                + " WHERE a.ecosystem = ? AND a.name = ?");
        this.byRid = c.prepareStatement("SELECT data FROM records WHERE rid = ?");
    }

    /**
     * Opens the database at {@code path}. A missing file, a damaged one and one written by a newer dockaudit are
     * {@link UserError}s that say what to do.
     */
    public static VulnDatabase open(Path path) {
        if (!Files.exists(path)) {
            throw new OpenError(Problem.MISSING, "no vulnerability database at " + path + "; run 'dockaudit db update' to download one,"
                    + " or 'dockaudit db import PATH' to load OSV files offline");
        }
        if (!Files.isRegularFile(path)) {
            throw new OpenError(Problem.UNREADABLE, path + " is not a file; pass the vulnerability database file with --db");
        }
        checkHeader(path);
        Connection c = null;
        try {
            c = Sqlite.connect(uri(path, true));
            Map<String, String> meta = new LinkedHashMap<>();
            try (PreparedStatement st = c.prepareStatement("SELECT key, value FROM meta ORDER BY key");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    meta.put(rs.getString(1), rs.getString(2));
                }
            }
            int version;
            try {
                version = Integer.parseInt(meta.getOrDefault("schema_version", "x"));
            } catch (NumberFormatException e) {
                throw damaged(path, "no schema version");
            }
            if (version > DbSchema.VERSION) {
                throw new OpenError(Problem.NEWER, path + " was written by a newer dockaudit (database schema " + version
                        + "; this dockaudit reads schema " + DbSchema.VERSION + "); upgrade dockaudit,"
                        + " or run 'dockaudit db update' to rebuild the database for this version");
            }
            if (version < DbSchema.VERSION) {
                throw new OpenError(Problem.OLDER, path + " has the old database schema " + version + "; run 'dockaudit db update'"
                        + " to rebuild it");
            }
            VulnDatabase db = new VulnDatabase(path, c, Map.copyOf(meta));
            c = null;
            return db;
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("no such table")) {
                throw new OpenError(Problem.DAMAGED, path + " is an SQLite file but not a dockaudit vulnerability database ("
                        + e.getMessage() + "); pass the right file with --db, or delete it and run 'dockaudit db update'");
            }
            throw damaged(path, e.getMessage());
        } finally {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException e) {
                    // already failing
                }
            }
        }
    }

    /**
     * Starts {@link #open} on a background thread and returns at once. Loading sqlite-jdbc (its native library,
     * its date formatting) costs tens of milliseconds of class loading on a cold JVM; started when a run begins,
     * it overlaps with reading the image and the matcher finds the database open. {@code join()} gives the database
     * or throws the {@link UserError} (wrapped in a {@code CompletionException}; use {@link #await}).
     */
    public static java.util.concurrent.CompletableFuture<VulnDatabase> openAsync(Path path) {
        java.util.concurrent.CompletableFuture<VulnDatabase> f = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                VulnDatabase db = open(path);
                db.warmUp();
                f.complete(db);
            } catch (RuntimeException | Error e) {
                f.completeExceptionally(e);
            }
        }, "dockaudit-vulndb-open");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /**
     * Decodes a few hundred records and discards them, so the JIT has compiled the decoding path before the matcher
     * needs it (done by {@link #openAsync} in the background; a cold JVM otherwise spends the first look-ups in the
     * interpreter).
     */
    void warmUp() {
        try (PreparedStatement st = c.prepareStatement("SELECT data FROM records WHERE rid <= 400");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                RecordCodec.decode(rs.getBytes(1));
            }
        } catch (SQLException | DataFormatException e) {
            // a damaged record is reported when a look-up meets it
        }
    }

    /** The database of {@link #openAsync}, or its {@link UserError} as thrown by {@link #open}. */
    public static VulnDatabase await(java.util.concurrent.CompletableFuture<VulnDatabase> opening) {
        try {
            return opening.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private static void checkHeader(Path path) {
        byte[] head = new byte[100];
        long size;
        try (InputStream in = Files.newInputStream(path)) {
            size = Files.size(path);
            int n = in.readNBytes(head, 0, head.length);
            if (n < head.length || !Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                throw damaged(path, n == 0 ? "the file is empty" : "not an SQLite file");
            }
        } catch (IOException e) {
            throw new OpenError(Problem.UNREADABLE, "cannot read the vulnerability database " + path + " (" + e.getMessage() + ")");
        }
        ByteBuffer h = ByteBuffer.wrap(head);
        int ps = h.getShort(16) & 0xffff;
        long pageSize = ps == 1 ? 65536 : ps;
        long pages = Integer.toUnsignedLong(h.getInt(28));
        if (h.getInt(24) == h.getInt(92) && pages > 0 && pages * pageSize > size) {
            throw damaged(path, "the file is " + size + " bytes but its header says " + pages * pageSize + "; it is truncated");
        }
    }

    static UserError damaged(Path path, String why) {
        return new OpenError(Problem.DAMAGED, "the vulnerability database " + path + " is damaged (" + why + "); delete it and run"
                + " 'dockaudit db update' (or 'dockaudit db import PATH')");
    }

    /** An SQLite URI for the file: read-only, and immutable for readers. */
    static String uri(Path path, boolean immutable) {
        String abs = path.toAbsolutePath().normalize().toString();
        StringBuilder b = new StringBuilder("file:");
        for (byte x : abs.getBytes(StandardCharsets.UTF_8)) {
            int ch = x & 0xff;
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '/'
                    || ch == '.' || ch == '_' || ch == '-' || ch == '~') {
                b.append((char) ch);
            } else {
                b.append('%').append(Character.forDigit(ch >> 4, 16)).append(Character.forDigit(ch & 15, 16));
            }
        }
        return b.append(immutable ? "?mode=ro&immutable=1" : "?mode=ro").toString();
    }

    public Path path() {
        return path;
    }

    /** {@code schema_version}, {@code created}, {@code data_date} (newest {@code modified}), {@code built_by}, … */
    public Map<String, String> meta() {
        return meta;
    }

    /** The newest {@code modified} of any record (RFC 3339), or null when no record has one. */
    public String dataDate() {
        return meta.get("data_date");
    }

    /**
     * Every affected entry in one of {@code ecosystems} (exact OSV spelling, e.g. {@code Alpine:v3.18}) that names
     * {@code name} (compared through {@link OsvNames#normalise}), each with its whole record, ordered by record id
     * and entry. A record present in two archives (a GHSA in Maven's and PyPI's) comes once, the newest copy.
     * Withdrawn records are included with {@link OsvRecord#withdrawn()} set: the matcher skips them.
     */
    public synchronized List<Candidate> candidates(List<String> ecosystems, String name) {
        Map<Long, List<Integer>> hits = new LinkedHashMap<>();
        try {
            for (String eco : ecosystems) {
                byPackage.setString(1, eco);
                byPackage.setString(2, OsvNames.normalise(eco, name));
                try (ResultSet rs = byPackage.executeQuery()) {
                    while (rs.next()) {
                        long rid = rs.getLong(1);
                        List<Integer> idx = hits.computeIfAbsent(rid, k -> new ArrayList<>(1));
                        int i = rs.getInt(2);
                        if (!idx.contains(i)) {
                            idx.add(i);
                        }
                        if (!cache.containsKey(rid)) {
                            cache.put(rid, decode(rid, rs.getBytes(3)));
                        }
                    }
                }
            }
            if (hits.isEmpty()) {
                return List.of();
            }
            Map<String, Long> bestRid = new HashMap<>();
            for (long rid : hits.keySet()) {
                Loaded l = load(rid);
                Long prev = bestRid.get(l.record().id());
                if (prev == null || newer(l, cache.get(prev), rid, prev)) {
                    bestRid.put(l.record().id(), rid);
                }
            }
            List<Candidate> out = new ArrayList<>();
            List<String> ids = new ArrayList<>(bestRid.keySet());
            ids.sort(Comparator.naturalOrder());
            for (String id : ids) {
                long rid = bestRid.get(id);
                OsvRecord r = cache.get(rid).record();
                List<Integer> idx = hits.get(rid);
                idx.sort(Comparator.naturalOrder());
                for (int i : idx) {
                    if (i < r.affected().size()) {
                        out.add(new Candidate(r, r.affected().get(i)));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw damaged(path, e.getMessage());
        }
    }

    /** Every stored copy of the record with this id (usually one). */
    public synchronized List<OsvRecord> records(String id) {
        List<OsvRecord> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT rid FROM records WHERE id = ? ORDER BY rid")) {
            st.setString(1, id);
            List<Long> rids = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rids.add(rs.getLong(1));
                }
            }
            for (long rid : rids) {
                out.add(load(rid).record());
            }
        } catch (SQLException e) {
            throw damaged(path, e.getMessage());
        }
        return out;
    }

    /** The newer copy by {@code modified} (a missing time is oldest); the later import when equal. */
    private static boolean newer(Loaded a, Loaded b, long ridA, long ridB) {
        if (a.modified() != b.modified()) {
            return a.modified() > b.modified();
        }
        return ridA > ridB;
    }

    private Loaded load(long rid) throws SQLException {
        Loaded l = cache.get(rid);
        if (l != null) {
            return l;
        }
        byRid.setLong(1, rid);
        byte[] data;
        try (ResultSet rs = byRid.executeQuery()) {
            if (!rs.next()) {
                throw damaged(path, "affected entry without record " + rid);
            }
            data = rs.getBytes(1);
        }
        l = decode(rid, data);
        cache.put(rid, l);
        return l;
    }

    private Loaded decode(long rid, byte[] data) {
        OsvRecord r;
        try {
            r = RecordCodec.decode(data);
        } catch (DataFormatException e) {
            throw damaged(path, "record " + rid + ": " + e.getMessage());
        }
        return new Loaded(r, r.modified() == null ? Long.MIN_VALUE : Rfc3339.epochNanos(r.modified()));
    }

    /** The distinct ecosystems, exactly as OSV writes them, sorted. */
    public synchronized List<String> ecosystems() {
        List<String> out = new ArrayList<>();
        for (EcosystemInfo e : ecosystemInfo()) {
            out.add(e.ecosystem());
        }
        return out;
    }

    /** The distinct ecosystems with their counts, sorted. */
    public synchronized List<EcosystemInfo> ecosystemInfo() {
        List<EcosystemInfo> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT ecosystem, records, affected, known FROM ecosystems ORDER BY ecosystem");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new EcosystemInfo(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4) != 0));
            }
        } catch (SQLException e) {
            throw damaged(path, e.getMessage());
        }
        return out;
    }

    /** The archives the data came from, in the order they were added. */
    public synchronized List<SourceInfo> sources() {
        List<SourceInfo> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT sid, kind, ecosystem, url, etag, last_modified, fetched_at,"
                + " checked_at, records, skipped, withdrawn, unknown_ecosystem, data_date FROM sources ORDER BY sid");
             PreparedStatement pr = c.prepareStatement("SELECT entry, reason FROM problems WHERE sid = ? ORDER BY rowid");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                List<SourceInfo.Problem> problems = new ArrayList<>();
                if (rs.getInt(10) > 0) {
                    pr.setLong(1, rs.getLong(1));
                    try (ResultSet p = pr.executeQuery()) {
                        while (p.next()) {
                            problems.add(new SourceInfo.Problem(p.getString(1), p.getString(2)));
                        }
                    }
                }
                out.add(new SourceInfo(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getString(7), rs.getString(8), rs.getInt(9), rs.getInt(10), rs.getInt(11), rs.getInt(12),
                        rs.getString(13), problems));
            }
        } catch (SQLException e) {
            throw damaged(path, e.getMessage());
        }
        return out;
    }

    @Override
    public synchronized void close() {
        try {
            c.close();
        } catch (SQLException e) {
            // read-only: nothing to lose
        }
        cache.clear();
    }
}
