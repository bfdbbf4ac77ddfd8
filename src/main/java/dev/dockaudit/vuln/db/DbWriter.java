package dev.dockaudit.vuln.db;

import dev.dockaudit.report.ToolInfo;
import dev.dockaudit.vuln.osv.OsvAffected;
import dev.dockaudit.vuln.osv.OsvEcosystems;
import dev.dockaudit.vuln.osv.OsvFormatException;
import dev.dockaudit.vuln.osv.OsvNames;
import dev.dockaudit.vuln.osv.OsvParser;
import dev.dockaudit.vuln.osv.OsvRecord;
import dev.dockaudit.vuln.osv.Rfc3339;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Builds a new database file beside the target ({@code .NAME.tmp-…}) and, on {@link #commit}, renames it over the
 * target atomically, so a reader sees the old file or the new one and an interrupted build leaves the old one as it
 * was. Each archive is imported in one transaction: worker threads read, parse, validate and compress the records
 * while this thread inserts them; indexes are built once at the end. Sources of the old database that are kept
 * (a 304, an ecosystem not asked for, an earlier import) are copied over with SQL, without parsing.
 */
final class DbWriter implements AutoCloseable {
    /** A source row of the old database with the row ranges it occupies there. */
    record OldSource(long sid, String kind, String ecosystem, String url, String etag, String lastModified,
            String fetchedAt, String checkedAt, int records, int skipped, int withdrawn, int unknownEcosystem,
            String dataDate, long ridLo, long ridHi, long affLo, long affHi) {
    }

    /**
     * Where a new archive comes from; {@code ecosystem} null means "name it after the ecosystems found in it";
     * {@code fallbackDataDate} is its data date when none of its records has a {@code modified} time (the seed).
     */
    record NewSource(String kind, String ecosystem, String url, String etag, String lastModified, String fetchedAt,
            String fallbackDataDate) {
        NewSource(String kind, String ecosystem, String url, String etag, String lastModified, String fetchedAt) {
            this(kind, ecosystem, url, etag, lastModified, fetchedAt, null);
        }
    }

    /** What one archive import did. */
    record ArchiveResult(String ecosystem, int entries, int records, int skipped, int withdrawn, int duplicates,
            int unknownEcosystem, Map<String, Integer> unknownEcosystems, List<SourceInfo.Problem> problems, String dataDate) {
    }

    private static final int BATCH = 256;

    private final Path target;
    private final Path temp;
    private final Connection c;
    private final int threads;
    private ExecutorService pool;
    private boolean attached;
    private boolean committed;
    private long nextRid = 1;
    private long nextSid = 1;

    /** Removes the unfinished file (and any download beside it) when the JVM is stopped mid-build (Ctrl-C). */
    private final Thread cleanup;

    private DbWriter(Path target, Path temp, Connection c) {
        this.target = target;
        this.temp = temp;
        this.c = c;
        this.threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        this.cleanup = new Thread(() -> {
            if (!committed) {
                DbFiles.removeLeftovers(target);
            }
        }, "dockaudit-db-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    static String tempPrefix(Path target) {
        return "." + target.getFileName() + ".tmp-";
    }

    static DbWriter create(Path target) throws SQLException {
        Path temp = target.resolveSibling(tempPrefix(target) + UUID.randomUUID());
        // no generated keys: sqlite-jdbc would run "SELECT last_insert_rowid()" after every insert
        java.util.Properties props = new java.util.Properties();
        props.setProperty("jdbc.get_generated_keys", "false");
        Connection c = Sqlite.connect(temp.toAbsolutePath().toString(), props);
        DbWriter w = new DbWriter(target, temp, c);
        try (Statement st = c.createStatement()) {
            // a private file that is renamed into place only when complete: nothing to recover after a crash
            st.execute("PRAGMA journal_mode=MEMORY");
            st.execute("PRAGMA synchronous=OFF");
            st.execute("PRAGMA locking_mode=EXCLUSIVE");
            st.execute("PRAGMA temp_store=MEMORY");
            st.execute("PRAGMA cache_size=-65536");
            for (String ddl : DbSchema.TABLES) {
                st.execute(ddl);
            }
        } catch (SQLException e) {
            w.close();
            throw e;
        }
        return w;
    }

    Path tempFile() {
        return temp;
    }

    /** Attaches the old database read-only and lists its sources; the caller has checked that it opens. */
    List<OldSource> attachOld(Path old) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("ATTACH DATABASE ? AS old")) {
            st.setString(1, VulnDatabase.uri(old, false));
            st.execute();
        }
        attached = true;
        List<OldSource> out = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT s.sid, kind, ecosystem, url, etag, last_modified, fetched_at, checked_at,"
                     + " records, skipped, withdrawn, unknown_ecosystem, data_date,"
                     + " rid_lo, rid_hi, aff_lo, aff_hi FROM old.sources s JOIN old.source_ranges g ON g.sid = s.sid"
                     + " ORDER BY s.sid")) {
            while (rs.next()) {
                out.add(new OldSource(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9), rs.getInt(10), rs.getInt(11),
                        rs.getInt(12), rs.getString(13), rs.getLong(14), rs.getLong(15), rs.getLong(16), rs.getLong(17)));
            }
        }
        return out;
    }

    /** Copies one source of the old database, with {@code checkedAt} as its new check time (null keeps the old one). */
    void carryOver(OldSource s, String checkedAt) throws SQLException {
        c.setAutoCommit(false);
        long sid = nextSid++;
        try (PreparedStatement st = c.prepareStatement("INSERT INTO sources (kind, ecosystem, url, etag, last_modified,"
                + " fetched_at, checked_at, records, skipped, withdrawn, unknown_ecosystem, data_date, sid)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            st.setLong(13, sid);
            st.setString(1, s.kind());
            st.setString(2, s.ecosystem());
            st.setString(3, s.url());
            st.setString(4, s.etag());
            st.setString(5, s.lastModified());
            st.setString(6, s.fetchedAt());
            st.setString(7, checkedAt != null ? checkedAt : s.checkedAt());
            st.setInt(8, s.records());
            st.setInt(9, s.skipped());
            st.setInt(10, s.withdrawn());
            st.setInt(11, s.unknownEcosystem());
            st.setString(12, s.dataDate());
            st.executeUpdate();
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO problems (sid, entry, reason)"
                + " SELECT ?, entry, reason FROM old.problems WHERE sid = ? ORDER BY rowid")) {
            st.setLong(1, sid);
            st.setLong(2, s.sid());
            st.executeUpdate();
        }
        long ridLo = nextRid;
        long ridHi = nextRid - 1;
        long affLo = maxAffectedRowid() + 1;
        if (s.ridHi() >= s.ridLo()) {
            long off = nextRid - s.ridLo();
            try (PreparedStatement st = c.prepareStatement("INSERT INTO records (rid, sid, id, modified, withdrawn, data)"
                    + " SELECT rid + ?, ?, id, modified, withdrawn, data FROM old.records WHERE rid BETWEEN ? AND ? ORDER BY rid")) {
                st.setLong(1, off);
                st.setLong(2, sid);
                st.setLong(3, s.ridLo());
                st.setLong(4, s.ridHi());
                st.executeUpdate();
            }
            if (s.affHi() >= s.affLo()) {
                try (PreparedStatement st = c.prepareStatement("INSERT INTO affected (ecosystem, name, rid, idx)"
                        + " SELECT ecosystem, name, rid + ?, idx FROM old.affected WHERE rowid BETWEEN ? AND ? ORDER BY rowid")) {
                    st.setLong(1, off);
                    st.setLong(2, s.affLo());
                    st.setLong(3, s.affHi());
                    st.executeUpdate();
                }
            }
            ridLo = s.ridLo() + off;
            ridHi = s.ridHi() + off;
            nextRid = ridHi + 1;
        }
        saveRanges(sid, ridLo, ridHi, affLo, maxAffectedRowid());
        c.commit();
    }

    /** Imports one archive in one transaction. */
    ArchiveResult importArchive(ArchiveInput in, NewSource src, IntConsumer progress)
            throws SQLException, ArchiveInput.ArchiveException {
        List<ArchiveInput.Entry> entries = in.entries();
        c.setAutoCommit(false);
        long sid = nextSid++;
        try (PreparedStatement st = c.prepareStatement("INSERT INTO sources (kind, ecosystem, url, etag, last_modified,"
                + " fetched_at, checked_at, records, skipped, withdrawn, unknown_ecosystem, sid)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?)")) {
            st.setLong(8, sid);
            st.setString(1, src.kind());
            st.setString(2, src.ecosystem() != null ? src.ecosystem() : "");
            st.setString(3, src.url());
            st.setString(4, src.etag());
            st.setString(5, src.lastModified());
            st.setString(6, src.fetchedAt());
            st.setString(7, src.fetchedAt());
            st.executeUpdate();
        }
        long ridLo = nextRid;
        long affLo = maxAffectedRowid() + 1;
        Stats stats = new Stats();
        ExecutorService workers = pool();
        ArrayDeque<Future<List<Prepared>>> inflight = new ArrayDeque<>();
        int next = 0;
        int done = 0;
        try (PreparedStatement rec = c.prepareStatement(
                "INSERT INTO records (rid, sid, id, modified, withdrawn, data) VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement aff = c.prepareStatement(
                     "INSERT INTO affected (ecosystem, name, rid, idx) VALUES (?, ?, ?, ?)");
             PreparedStatement prob = c.prepareStatement("INSERT INTO problems (sid, entry, reason) VALUES (?, ?, ?)")) {
            while (next < entries.size() || !inflight.isEmpty()) {
                while (inflight.size() < 2 * threads + 2 && next < entries.size()) {
                    List<ArchiveInput.Entry> slice = entries.subList(next, Math.min(entries.size(), next + BATCH));
                    inflight.add(workers.submit(() -> prepareAll(slice)));
                    next += slice.size();
                }
                List<Prepared> batch = take(inflight);
                for (Prepared p : batch) {
                    store(p, sid, stats, rec, aff, prob);
                }
                done += batch.size();
                progress.accept(done);
            }
        } finally {
            for (Future<?> f : inflight) {
                f.cancel(true);
            }
        }
        if (!stats.dead.isEmpty()) {
            removeDead(stats.dead, ridLo, affLo);
        }
        String ecosystem = src.ecosystem() != null ? src.ecosystem() : label(stats.bases);
        String dataDate = stats.newestText == null ? src.fallbackDataDate() : stats.newestText;
        try (PreparedStatement st = c.prepareStatement("UPDATE sources SET ecosystem = ?, records = ?, skipped = ?,"
                + " withdrawn = ?, unknown_ecosystem = ?, data_date = ? WHERE sid = ?")) {
            st.setString(1, ecosystem);
            st.setInt(2, stats.records);
            st.setInt(3, stats.skipped);
            st.setInt(4, stats.withdrawn);
            st.setInt(5, stats.unknown);
            st.setString(6, dataDate);
            st.setLong(7, sid);
            st.executeUpdate();
        }
        saveRanges(sid, ridLo, nextRid - 1, affLo, maxAffectedRowid());
        c.commit();
        return new ArchiveResult(ecosystem, entries.size(), stats.records, stats.skipped, stats.withdrawn,
                stats.duplicates, stats.unknown, stats.unknownEcosystems, List.copyOf(stats.problems), dataDate);
    }

    /**
     * Builds the indexes and the ecosystem list, writes {@code meta}, makes the file durable and renames it over
     * the target. {@code fallbackDataDate} is the data date when no record has a {@code modified} time (the seed).
     */
    void commit(String fallbackDataDate) throws SQLException, IOException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            for (String ddl : DbSchema.INDEXES) {
                st.execute(ddl);
            }
            st.execute("INSERT INTO ecosystems (ecosystem, records, affected, known)"
                    + " SELECT ecosystem, count(DISTINCT rid), count(*), 0 FROM affected GROUP BY ecosystem");
        }
        List<String> ecos = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT ecosystem FROM ecosystems")) {
            while (rs.next()) {
                ecos.add(rs.getString(1));
            }
        }
        try (PreparedStatement st = c.prepareStatement("UPDATE ecosystems SET known = 1 WHERE ecosystem = ?")) {
            for (String e : ecos) {
                if (OsvEcosystems.isKnown(e)) {
                    st.setString(1, e);
                    st.executeUpdate();
                }
            }
        }
        String newest = null;
        long newestAt = Long.MIN_VALUE;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT data_date FROM sources WHERE data_date IS NOT NULL")) {
            while (rs.next()) {
                long t = Rfc3339.epochNanos(rs.getString(1));
                if (newest == null || t > newestAt) {
                    newestAt = t;
                    newest = rs.getString(1);
                }
            }
        }
        Map<String, String> meta = new TreeMap<>();
        meta.put("schema_version", Integer.toString(DbSchema.VERSION));
        meta.put("created", now());
        meta.put("built_by", ToolInfo.NAME + " " + ToolInfo.VERSION);
        meta.put("record_encoding", DbSchema.RECORD_ENCODING);
        String dataDate = newest != null ? newest : fallbackDataDate;
        if (dataDate != null) {
            meta.put("data_date", dataDate);
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO meta (key, value) VALUES (?, ?)")) {
            for (Map.Entry<String, String> e : meta.entrySet()) {
                st.setString(1, e.getKey());
                st.setString(2, e.getValue());
                st.executeUpdate();
            }
        }
        c.commit();
        c.setAutoCommit(true);
        if (attached) {
            try (Statement st = c.createStatement()) {
                st.execute("DETACH DATABASE old");
            }
            attached = false;
        }
        c.close();
        // durable before it becomes visible: a crash after the rename must not leave a half-written file in place
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        committed = true;
        try (FileChannel dir = FileChannel.open(target.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a folder; the rename itself is done
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs
        }
        if (pool != null) {
            pool.shutdownNow();
        }
        try {
            if (!c.isClosed()) {
                c.close();
            }
        } catch (SQLException e) {
            // the file is deleted below anyway
        }
        if (!committed) {
            try {
                Files.deleteIfExists(temp);
                Files.deleteIfExists(temp.resolveSibling(temp.getFileName() + "-journal"));
            } catch (IOException e) {
                // a stale temporary file is removed by the next update
            }
        }
    }

    // ---- internals ----

    /** One entry after the workers: a record ready to insert, or a problem. */
    private record Prepared(String entry, String id, String modified, long modifiedAt, String withdrawn, byte[] data,
            List<Key> keys, List<String> unknownEcosystems, List<String> bases, String problem) {
    }

    private record Key(String ecosystem, String name, int idx) {
    }

    private static final class Stats {
        int records;
        int skipped;
        int withdrawn;
        int duplicates;
        int unknown;
        long newest = Long.MIN_VALUE;
        String newestText;
        final Map<String, Integer> unknownEcosystems = new TreeMap<>();
        final TreeSet<String> bases = new TreeSet<>();
        final List<SourceInfo.Problem> problems = new ArrayList<>();
        final Map<String, long[]> seen = new HashMap<>(); // id -> {rid, modified epoch second or MIN}
        final List<Long> dead = new ArrayList<>();
    }

    private static List<Prepared> prepareAll(List<ArchiveInput.Entry> slice) throws ArchiveInput.ArchiveException {
        List<Prepared> out = new ArrayList<>(slice.size());
        for (ArchiveInput.Entry e : slice) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            byte[] data;
            try {
                data = e.read();
            } catch (ArchiveInput.ArchiveException ex) {
                throw ex;
            } catch (IOException ex) {
                throw new ArchiveInput.ArchiveException(e.name() + " cannot be read (" + ex.getMessage() + ")", ex);
            }
            out.add(prepare(e.name(), data));
        }
        return out;
    }

    static Prepared prepare(String entry, byte[] data) {
        if (data == null) {
            return problem(entry, "larger than " + (ArchiveInput.MAX_RECORD_BYTES >> 20) + " MiB");
        }
        OsvRecord r;
        try {
            r = OsvParser.parse(data);
        } catch (OsvFormatException ex) {
            return problem(entry, ex.getMessage());
        }
        List<Key> keys = new ArrayList<>(r.affected().size());
        List<String> unknown = List.of();
        List<String> bases = new ArrayList<>(2);
        for (int i = 0; i < r.affected().size(); i++) {
            OsvAffected a = r.affected().get(i);
            if (a.ecosystem() == null) {
                continue;
            }
            keys.add(new Key(a.ecosystem(), OsvNames.normalise(a.ecosystem(), a.name()), i));
            String base = OsvEcosystems.base(a.ecosystem());
            if (!bases.contains(base)) {
                bases.add(base);
            }
            if (!OsvEcosystems.isKnown(a.ecosystem())) {
                if (unknown.isEmpty()) {
                    unknown = new ArrayList<>(1);
                }
                if (!unknown.contains(a.ecosystem())) {
                    unknown.add(a.ecosystem());
                }
            }
        }
        return new Prepared(entry, r.id(), r.modified(), r.modified() == null ? Long.MIN_VALUE : Rfc3339.epochNanos(r.modified()),
                r.withdrawn(), RecordCodec.encode(r), keys, unknown, bases, null);
    }

    private static Prepared problem(String entry, String reason) {
        return new Prepared(entry, null, null, Long.MIN_VALUE, null, null, List.of(), List.of(), List.of(), reason);
    }

    private void store(Prepared p, long sid, Stats s, PreparedStatement rec, PreparedStatement aff, PreparedStatement prob)
            throws SQLException {
        if (p.problem() != null) {
            s.skipped++;
            if (s.problems.size() < DbSchema.MAX_PROBLEMS) {
                SourceInfo.Problem pr = new SourceInfo.Problem(p.entry(), p.problem());
                s.problems.add(pr);
                prob.setLong(1, sid);
                prob.setString(2, pr.entry());
                prob.setString(3, pr.reason());
                prob.executeUpdate();
            }
            return;
        }
        long modifiedKey = p.modifiedAt();
        long[] prev = s.seen.get(p.id());
        if (prev != null) {
            // the same id twice in one archive (a folder with copies): keep the newer, count the other
            s.duplicates++;
            if (modifiedKey <= prev[1]) {
                return;
            }
            s.dead.add(prev[0]);
            s.records--;
        }
        long rid = nextRid++;
        s.seen.put(p.id(), new long[] {rid, modifiedKey});
        rec.setLong(1, rid);
        rec.setLong(2, sid);
        rec.setString(3, p.id());
        rec.setString(4, p.modified());
        rec.setString(5, p.withdrawn());
        rec.setBytes(6, p.data());
        rec.executeUpdate();
        for (Key k : p.keys()) {
            aff.setString(1, k.ecosystem());
            aff.setString(2, k.name());
            aff.setLong(3, rid);
            aff.setInt(4, k.idx());
            aff.executeUpdate();
        }
        s.records++;
        if (p.withdrawn() != null) {
            s.withdrawn++;
        }
        if (!p.unknownEcosystems().isEmpty()) {
            s.unknown++;
            for (String e : p.unknownEcosystems()) {
                s.unknownEcosystems.merge(e, 1, Integer::sum);
            }
        }
        s.bases.addAll(p.bases());
        if (p.modifiedAt() != Long.MIN_VALUE && (s.newestText == null || p.modifiedAt() > s.newest)) {
            s.newest = p.modifiedAt();
            s.newestText = p.modified();
        }
    }

    private void removeDead(List<Long> dead, long ridLo, long affLo) throws SQLException {
        try (PreparedStatement r = c.prepareStatement("DELETE FROM records WHERE rid = ?");
             PreparedStatement a = c.prepareStatement("DELETE FROM affected WHERE rowid >= ? AND rid = ?")) {
            for (long rid : dead) {
                r.setLong(1, rid);
                r.executeUpdate();
                a.setLong(1, affLo);
                a.setLong(2, rid);
                a.executeUpdate();
            }
        }
    }

    private List<Prepared> take(ArrayDeque<Future<List<Prepared>>> inflight) throws ArchiveInput.ArchiveException {
        Future<List<Prepared>> f = inflight.poll();
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArchiveInput.ArchiveException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ArchiveInput.ArchiveException ae) {
                throw ae;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new ArchiveInput.ArchiveException(String.valueOf(cause), cause);
        }
    }

    private ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "dockaudit-db-import");
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    private void saveRanges(long sid, long ridLo, long ridHi, long affLo, long affHi) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO source_ranges (sid, rid_lo, rid_hi, aff_lo, aff_hi) VALUES (?, ?, ?, ?, ?)")) {
            st.setLong(1, sid);
            st.setLong(2, ridLo);
            st.setLong(3, ridHi);
            st.setLong(4, affLo);
            st.setLong(5, affHi);
            st.executeUpdate();
        }
    }

    private long maxAffectedRowid() throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT coalesce(max(rowid), 0) FROM main.affected")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String label(TreeSet<String> bases) {
        if (bases.isEmpty()) {
            return "-";
        }
        List<String> l = new ArrayList<>(bases);
        if (l.size() <= 4) {
            return String.join(", ", l);
        }
        return String.join(", ", l.subList(0, 3)) + " and " + (l.size() - 3) + " more";
    }

    static String now() {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }
}
