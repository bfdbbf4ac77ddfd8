package dev.dockaudit.vuln.triage;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dockaudit.util.Glob;
import dev.dockaudit.util.UserError;
import java.io.IOException;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ignore file ({@code .dockauditignore} in the working directory, or {@code --ignore-file FILE}): a YAML list of
 * findings the user has looked at and accepts.
 *
 * <pre>
 * - id: CVE-2021-36159            # a finding id or any of its aliases (GHSA-…, DSA-…)
 *   package: apk-tools@2.10.4-r2  # optional: only in this package (name, or name@version)
 * - path: opt/app/test/**         # a glob over the finding's file: every finding there (or with an id, that one)
 *   expires: 2025-06-30           # optional: the entry applies before this date, not on or after it
 *   reason: apk is not run in production containers
 * </pre>
 *
 * Ids compare case-insensitively, package names too (ecosystems do not have names differing only in case); versions
 * compare exactly. An expired entry stops applying and is reported; an entry that matched no finding is reported as
 * unused, so the file does not collect stale entries.
 */
public final class IgnoreFile {
    public static final String DEFAULT_NAME = ".dockauditignore";
    private static final Set<String> KEYS = Set.of("id", "package", "path", "expires", "reason");
    private static final long MAX_BYTES = 4 * 1024 * 1024;

    /**
     * One entry, with where it is in the file.
     *
     * @param packageName    null: any package (and findings that are not about a package)
     * @param packageVersion null: any version of the package
     * @param expires        null: never
     */
    public record Entry(String id, String packageName, String packageVersion, Glob path, LocalDate expires, String reason,
                        int line, int column) {
        public boolean expired(LocalDate today) {
            return expires != null && !today.isBefore(expires);
        }

        /** {@code CVE-2021-36159 in apk-tools@2.10.4-r2}, for messages. */
        public String describe() {
            String what = id == null ? "every finding" : id;
            if (path != null) {
                what += " under " + path;
            }
            return packageName == null ? what : what + " in " + packageName + (packageVersion == null ? "" : "@" + packageVersion);
        }
    }

    private final String name;
    private final List<Entry> entries;
    private final LocalDate today;
    private final ConcurrentHashMap<Entry, AtomicInteger> matched = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Entry, AtomicInteger> matchedWhileExpired = new ConcurrentHashMap<>();
    /** Rules consulted when none of ours applies (the config file's after the ignore file's), or null. */
    private final IgnoreFile next;

    private IgnoreFile(String name, List<Entry> entries, LocalDate today) {
        this(name, entries, today, null);
    }

    private IgnoreFile(String name, List<Entry> entries, LocalDate today, IgnoreFile next) {
        this.name = name;
        this.entries = List.copyOf(entries);
        this.today = today;
        this.next = next;
    }

    /**
     * These rules, then {@code other}'s for findings none of ours suppresses; each keeps its own file name in
     * decisions and notes. Only for files not yet applied: match counts start afresh.
     */
    public IgnoreFile then(IgnoreFile other) {
        if (other == null || other.entries.isEmpty() && other.next == null) {
            return this;
        }
        return new IgnoreFile(name, entries, today, next == null ? other : next.then(other));
    }

    /**
     * Reads a list of entries where the parser stands on its START_ARRAY (an {@code ignore:} list inside another
     * YAML file); positions in messages are the enclosing file's.
     */
    public static IgnoreFile readList(JsonParser p, String name, LocalDate today) throws IOException {
        List<Entry> entries = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                throw error(name, p.currentTokenLocation(), "an entry must be a mapping of id, package, expires and"
                        + " reason, e.g. '- id: CVE-2021-36159'");
            }
            entries.add(entry(p, name));
        }
        return new IgnoreFile(name, entries, today);
    }

    /** An ignore file with no entries (there is no file). */
    public static IgnoreFile none() {
        return new IgnoreFile(DEFAULT_NAME, List.of(), LocalDate.now());
    }

    /** Reads an ignore file the user named; entries expire against today's date. */
    public static IgnoreFile load(Path file) {
        return load(file, LocalDate.now());
    }

    /**
     * Reads an ignore file.
     *
     * @throws UserError when the file cannot be read, is not valid YAML, or has an entry that is not right; the message
     *                   starts with {@code FILE:LINE:COLUMN:}
     */
    public static IgnoreFile load(Path file, LocalDate today) {
        byte[] data;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new UserError(file + ": the ignore file is larger than 4 MiB; it should list findings, one entry each");
            }
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError("ignore file " + file + " does not exist; check the path given to --ignore-file");
        } catch (IOException e) {
            throw new UserError("cannot read ignore file " + file + " (" + e.getMessage() + ")");
        }
        return parse(data, file.toString(), today);
    }

    /** The default ignore file ({@value #DEFAULT_NAME}) in a directory, or {@link #none()} when there is none. */
    public static IgnoreFile loadDefault(Path dir, LocalDate today) {
        Path p = dir.resolve(DEFAULT_NAME);
        return Files.isRegularFile(p) ? load(p, today) : none();
    }

    /** Parses ignore-file YAML; {@code name} is what messages call the file. */
    public static IgnoreFile parse(byte[] yaml, String name, LocalDate today) {
        List<Entry> entries = new ArrayList<>();
        try (JsonParser p = YAMLFactory.builder().build().createParser(yaml)) {
            JsonToken t = p.nextToken();
            if (t == null || t == JsonToken.VALUE_NULL || t == JsonToken.VALUE_STRING && p.getText().isBlank()) {
                return new IgnoreFile(name, entries, today); // empty, only comments, or an empty document
            }
            if (t != JsonToken.START_ARRAY) {
                throw error(name, p.currentTokenLocation(), "the ignore file must be a list of entries, each starting"
                        + " with '- id: CVE-…' (see the README)");
            }
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_OBJECT) {
                    throw error(name, p.currentTokenLocation(), "an entry must be a mapping of id, package, expires and"
                            + " reason, e.g. '- id: CVE-2021-36159'");
                }
                entries.add(entry(p, name));
            }
            if (p.nextToken() != null) {
                throw error(name, p.currentTokenLocation(), "only one YAML document is allowed; remove the second '---'");
            }
        } catch (JsonProcessingException e) {
            // SnakeYAML knows where the problem is (the problem mark); Jackson reports where the scan started
            if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                throw new UserError(name + ":" + (m.getProblemMark().getLine() + 1) + ":" + (m.getProblemMark().getColumn() + 1)
                        + ": not valid YAML: " + firstLine(m.getProblem()) + (m.getContext() == null ? ""
                        : " (" + firstLine(m.getContext()) + ")"));
            }
            throw error(name, e.getLocation(), "not valid YAML: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UserError("cannot read ignore file " + name + " (" + e.getMessage() + ")");
        }
        return new IgnoreFile(name, entries, today);
    }

    private static Entry entry(JsonParser p, String name) throws IOException {
        JsonLocation at = p.currentTokenLocation();
        String id = null;
        String pkg = null;
        String expires = null;
        String reason = null;
        String path = null;
        JsonLocation pkgAt = null;
        JsonLocation expiresAt = null;
        Set<String> seen = new HashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonLocation keyAt = p.currentTokenLocation();
            if (!KEYS.contains(key)) {
                throw error(name, keyAt, "unknown key '" + key + "'; an entry has id, package, expires and reason");
            }
            if (!seen.add(key)) {
                throw error(name, keyAt, "'" + key + "' is given twice in one entry");
            }
            JsonToken v = p.nextToken();
            JsonLocation valueAt = p.currentTokenLocation();
            if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                throw error(name, valueAt, "'" + key + "' must be a single value, not a "
                        + (v == JsonToken.START_ARRAY ? "list" : "mapping"));
            }
            String text = v == JsonToken.VALUE_NULL ? null : p.getText().strip();
            switch (key) {
                case "id" -> id = text;
                case "package" -> {
                    pkg = text;
                    pkgAt = valueAt;
                }
                case "path" -> path = text;
                case "expires" -> {
                    expires = text;
                    expiresAt = valueAt;
                }
                default -> reason = text;
            }
        }
        if ((id == null || id.isEmpty()) && (path == null || path.isEmpty())) {
            throw error(name, at, "the entry has no id and no path; give the finding's id or one of its aliases, e.g."
                    + " 'id: CVE-2021-36159', or a path glob, e.g. 'path: opt/app/tests/**'");
        }
        String pkgName = null;
        String pkgVersion = null;
        if (pkg != null) {
            int atSign = pkg.lastIndexOf('@');
            if (atSign > 0) { // not at 0: npm scopes start with @
                pkgName = pkg.substring(0, atSign);
                pkgVersion = pkg.substring(atSign + 1);
            } else {
                pkgName = pkg;
            }
            if (pkgName.isEmpty() || pkgVersion != null && pkgVersion.isEmpty()) {
                throw error(name, pkgAt, "package must be a name or name@version, not '" + pkg + "'");
            }
        }
        LocalDate expiry = null;
        if (expires != null) {
            try {
                expiry = LocalDate.parse(expires);
            } catch (DateTimeParseException e) {
                throw error(name, expiresAt, "expires must be a date written as YYYY-MM-DD (e.g. 2025-06-30), not '"
                        + expires + "'");
            }
        }
        return new Entry(id == null || id.isEmpty() ? null : id, pkgName, pkgVersion,
                path == null || path.isEmpty() ? null : Glob.compile(path), expiry,
                reason == null || reason.isEmpty() ? null : reason, at.getLineNr(), at.getColumnNr());
    }

    /**
     * Whether an entry suppresses the finding: the first entry in file order whose id is the finding's id or one of
     * its aliases, whose package (if given) is the finding's, and that has not expired.
     */
    public Decision apply(FindingLike f) {
        Set<String> ids = f.allIds();
        for (Entry e : entries) {
            if ((e.id() != null && !ids.contains(e.id().toUpperCase(Locale.ROOT))) || !packageMatches(e, f)
                    || !pathMatches(e, f)) {
                continue;
            }
            if (e.expired(today)) {
                matchedWhileExpired.computeIfAbsent(e, k -> new AtomicInteger()).incrementAndGet();
                continue;
            }
            matched.computeIfAbsent(e, k -> new AtomicInteger()).incrementAndGet();
            return new Decision(Decision.Outcome.SUPPRESS, name + ":" + e.line(), "ignored", null, e.reason());
        }
        return next == null ? Decision.KEEP : next.apply(f);
    }

    private static boolean pathMatches(Entry e, FindingLike f) {
        return e.path() == null || (f.path() != null && e.path().matches(f.path().startsWith("/") ? f.path().substring(1) : f.path()));
    }

    private static boolean packageMatches(Entry e, FindingLike f) {
        if (e.packageName() == null) {
            return true;
        }
        if (f.packageName() == null || !e.packageName().equalsIgnoreCase(f.packageName())) {
            return false;
        }
        return e.packageVersion() == null || e.packageVersion().equals(f.packageVersion());
    }

    public String name() {
        return name;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Entries whose date has come: they no longer apply. */
    public List<Entry> expired() {
        return entries.stream().filter(e -> e.expired(today)).toList();
    }

    /** Entries in force that have matched no finding so far. */
    public List<Entry> unused() {
        return entries.stream().filter(e -> !e.expired(today) && !matched.containsKey(e)).toList();
    }

    /** How many findings an entry has suppressed so far. */
    public int suppressedBy(Entry e) {
        AtomicInteger n = matched.get(e);
        return n == null ? 0 : n.get();
    }

    /**
     * Notes for the report, once every finding has been through {@link #apply}: one per expired entry (saying how
     * many findings it would still have suppressed) and one per entry that matched nothing.
     */
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        for (Entry e : expired()) {
            AtomicInteger n = matchedWhileExpired.get(e);
            notes.add(name + ":" + e.line() + ": the entry for " + e.describe() + " expired on " + e.expires()
                    + " and no longer applies" + (n == null ? "" : " (it matches " + n.get() + " finding"
                    + (n.get() == 1 ? "" : "s") + ", reported again)") + "; review it, then renew or remove it");
        }
        for (Entry e : unused()) {
            notes.add(name + ":" + e.line() + ": the entry for " + e.describe() + " matched no finding; remove it if the"
                    + " vulnerability is gone");
        }
        if (next != null) {
            notes.addAll(next.notes());
        }
        return notes;
    }

    private static UserError error(String name, JsonLocation at, String problem) {
        String where = at == null || at.getLineNr() < 1 ? name : name + ":" + at.getLineNr() + ":" + at.getColumnNr();
        return new UserError(where + ": " + problem);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
