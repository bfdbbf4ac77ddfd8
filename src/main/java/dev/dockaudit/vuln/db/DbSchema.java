package dev.dockaudit.vuln.db;

import java.util.List;

/**
 * The vulnerability database's SQLite schema (version {@value #VERSION}). Written only by {@link DbWriter} into a
 * new file that then replaces the old one, so the file a reader opens never changes under it.
 *
 * <pre>
 * meta(key, value)            schema_version, created, data_date (newest `modified`), built_by, record_encoding
 * sources(sid, kind, ecosystem, url, etag, last_modified, fetched_at, checked_at,
 *         records, skipped, withdrawn, unknown_ecosystem, data_date)
 *                             one row per archive: a downloaded ECOSYSTEM/all.zip, an imported zip or folder, the seed
 * source_ranges(sid, rid_lo, rid_hi, aff_lo, aff_hi)
 *                             the records and affected rows each source occupies (contiguous by construction), so
 *                             carrying a source into the next file is a range copy, never a scan
 * problems(sid, entry, reason) the first malformed records of each source, for db status
 * records(rid, sid, id, modified, withdrawn, data)
 *                             one row per record per source; data = the parsed record in RecordCodec's binary form, LZ4-compressed
 * affected(ecosystem, name, rid, idx)
 *                             one row per affected entry with a package: the ecosystem exactly as OSV writes it, the
 *                             name through OsvNames.normalise, and the entry's index in the record's affected list
 * ecosystems(ecosystem, records, affected, known)
 *                             distinct ecosystems with counts, so listing them never scans affected
 * </pre>
 * Indexes, created after the bulk load: {@code affected(ecosystem, name, rid, idx)} (covering, for lookups) and
 * {@code records(id)}.
 */
final class DbSchema {
    /** The schema this code writes and reads; a file with a higher number was written by a newer dockaudit. */
    static final int VERSION = 1;
    static final String RECORD_ENCODING = RecordCodec.ENCODING;

    static final List<String> TABLES = List.of(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
            "CREATE TABLE sources (sid INTEGER PRIMARY KEY, kind TEXT NOT NULL, ecosystem TEXT NOT NULL, url TEXT NOT NULL,"
                    + " etag TEXT, last_modified TEXT, fetched_at TEXT NOT NULL, checked_at TEXT NOT NULL,"
                    + " records INTEGER NOT NULL, skipped INTEGER NOT NULL, withdrawn INTEGER NOT NULL,"
                    + " unknown_ecosystem INTEGER NOT NULL, data_date TEXT)",
            "CREATE TABLE source_ranges (sid INTEGER PRIMARY KEY, rid_lo INTEGER NOT NULL, rid_hi INTEGER NOT NULL,"
                    + " aff_lo INTEGER NOT NULL, aff_hi INTEGER NOT NULL)",
            "CREATE TABLE problems (sid INTEGER NOT NULL, entry TEXT NOT NULL, reason TEXT NOT NULL)",
            "CREATE TABLE records (rid INTEGER PRIMARY KEY, sid INTEGER NOT NULL, id TEXT NOT NULL, modified TEXT,"
                    + " withdrawn TEXT, data BLOB NOT NULL)",
            "CREATE TABLE affected (ecosystem TEXT NOT NULL, name TEXT NOT NULL, rid INTEGER NOT NULL, idx INTEGER NOT NULL)",
            "CREATE TABLE ecosystems (ecosystem TEXT PRIMARY KEY, records INTEGER NOT NULL, affected INTEGER NOT NULL,"
                    + " known INTEGER NOT NULL) WITHOUT ROWID");

    static final List<String> INDEXES = List.of(
            "CREATE INDEX affected_by_package ON affected (ecosystem, name, rid, idx)",
            "CREATE INDEX records_by_id ON records (id)");

    /** Sources kept in {@code problems} per archive; the count in {@code sources.skipped} is always complete. */
    static final int MAX_PROBLEMS = 100;

    private DbSchema() {
    }
}
