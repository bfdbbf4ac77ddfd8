package dev.dockaudit.vuln.db;

import dev.dockaudit.report.ToolInfo;
import dev.dockaudit.util.IdleTimeoutInputStream;
import dev.dockaudit.util.UserError;
import dev.dockaudit.vuln.osv.OsvEcosystems;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code dockaudit db update}: downloads {@code SOURCE/ECOSYSTEM/all.zip} for each ecosystem (the layout of the
 * osv.dev bucket) and builds a new database from them, which then replaces the old one atomically.
 *
 * <ul>
 *   <li>Requests are conditional (If-None-Match / If-Modified-Since from the stored ETag / Last-Modified, when the
 *       stored archive came from the same URL): a 304 carries that ecosystem's records from the old file into the
 *       new one. When every archive is unchanged the old file is left as it is.</li>
 *   <li>A 404 is a note (a mirror may carry only some ecosystems); any data the database had for that ecosystem is
 *       kept. 429 and 5xx answers, connection failures and downloads cut short are retried with exponential backoff
 *       (honouring Retry-After); when the attempts run out the update fails and the old database stays.</li>
 *   <li>Ecosystems not asked for with {@code --ecosystem}, and imported archives, are carried over unchanged.</li>
 *   <li>A source that is a folder ({@code file:} URL or an absolute path) in the bucket's layout works the same way
 *       offline; its "ETag" is the archive's size and modification time.</li>
 * </ul>
 * Each archive is downloaded beside the database (not into /tmp, which is often small and in memory), imported, and
 * deleted; a full disk fails the update with the old database intact.
 */
public final class DbUpdater {
    public static final String DEFAULT_SOURCE = "https://osv-vulnerabilities.storage.googleapis.com";
    public static final String SOURCE_ENV = "DOCKAUDIT_DB_SOURCE";

    private DbUpdater() {
    }

    /**
     * {@code source} the base URL; {@code ecosystems} the base names to fetch (default: every one dockaudit matches);
     * {@code attempts} per archive; {@code backoff} the first retry delay (doubled each time).
     */
    public record Options(String source, List<String> ecosystems, Duration connectTimeout, Duration headerTimeout,
            Duration idleTimeout, int attempts, Duration backoff) {
        public Options {
            ecosystems = List.copyOf(ecosystems);
        }

        public static Options of(String source, List<String> ecosystems) {
            return new Options(source, ecosystems, Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofSeconds(60),
                    4, Duration.ofSeconds(1));
        }

        public Options withRetry(int attempts, Duration backoff) {
            return new Options(source, ecosystems, connectTimeout, headerTimeout, idleTimeout, attempts, backoff);
        }

        public Options withIdleTimeout(Duration idle) {
            return new Options(source, ecosystems, connectTimeout, headerTimeout, idle, attempts, backoff);
        }
    }

    /** What happened to one ecosystem. */
    public enum Outcome { DOWNLOADED, UNCHANGED, MISSING }

    public record EcosystemResult(String ecosystem, Outcome outcome, String url, long bytes, int records, int skipped,
            int withdrawn, int unknownEcosystem, Map<String, Integer> unknownEcosystems, List<SourceInfo.Problem> problems,
            String fetchedAt) {
    }

    /** {@code written} is false when nothing changed and the old file was left in place. */
    public record Result(Path database, String source, boolean written, List<EcosystemResult> ecosystems,
            List<String> notes, long millis) {
    }

    /** Progress and notes, called on the updating thread. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default void note(String message) {
        }

        /** {@code total} is -1 when the server sent no length. */
        default void downloading(String ecosystem, long bytes, long total) {
        }

        default void importing(String ecosystem, int done, int total) {
        }
    }

    /** The base URL: {@code --source}, else {@value #SOURCE_ENV}, else the public OSV bucket. */
    public static String resolveSource(String flag, Map<String, String> env) {
        String s = flag != null && !flag.isBlank() ? flag : env.get(SOURCE_ENV);
        String from = flag != null && !flag.isBlank() ? "--source" : SOURCE_ENV;
        if (s == null || s.isBlank()) {
            return DEFAULT_SOURCE;
        }
        s = s.strip();
        while (s.endsWith("/") && s.length() > 1 && !s.endsWith("://")) {
            s = s.substring(0, s.length() - 1);
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            try {
                URI u = new URI(s);
                if (u.getHost() == null || u.getRawQuery() != null || u.getRawFragment() != null) {
                    throw new URISyntaxException(s, "needs a host and no query");
                }
            } catch (URISyntaxException e) {
                throw new UserError(from + " " + s + " is not a usable URL (" + e.getReason()
                        + "); give the base URL that has ECOSYSTEM/all.zip below it");
            }
            return s;
        }
        Path dir = folderSource(s);
        if (dir != null) {
            if (!Files.isDirectory(dir)) {
                throw new UserError(from + " " + s + " is not a folder; give a folder in the OSV bucket's layout"
                        + " (ECOSYSTEM/all.zip) or an http(s) URL");
            }
            return dir.toUri().toString().replaceAll("/$", "");
        }
        throw new UserError(from + " " + s + " is neither an http(s) URL nor an absolute folder path");
    }

    private static Path folderSource(String s) {
        if (s.toLowerCase(Locale.ROOT).startsWith("file:")) {
            try {
                return Path.of(new URI(s));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new UserError("--source " + s + " is not a usable file: URL (" + e.getMessage() + ")");
            }
        }
        Path p = Path.of(s);
        return p.isAbsolute() ? p : null;
    }

    /** The canonical names of {@code --ecosystem} values (any case), or every default ecosystem when empty. */
    public static List<String> resolveEcosystems(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            return OsvEcosystems.DEFAULT;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String r : requested) {
            for (String one : r.split(",")) {
                if (one.isBlank()) {
                    continue;
                }
                String c = OsvEcosystems.canonical(one);
                if (c == null) {
                    throw new UserError("--ecosystem " + one.strip() + " is not one dockaudit downloads; choose from "
                            + String.join(", ", OsvEcosystems.DEFAULT));
                }
                out.add(c);
            }
        }
        return List.copyOf(out);
    }

    /** The archive URL of one ecosystem below the base: spaces and other characters percent-encoded. */
    public static String archiveUrl(String source, String ecosystem) {
        StringBuilder b = new StringBuilder(source).append('/');
        for (byte x : ecosystem.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
                    || c == '_' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.append("/all.zip").toString();
    }

    public static Result update(Path db, Options o, Listener listener) {
        long start = System.nanoTime();
        List<String> notes = new ArrayList<>();
        DbLock.createParent(db);
        DbLock lock = DbLock.acquire(db);
        try {
            DbFiles.removeLeftovers(db);
            Path old = DbFiles.usableOld(db, notes);
            for (String n : notes) {
                listener.note(n);
            }
            Fetcher fetcher = o.source().startsWith("file:") ? new FolderFetcher() : new HttpFetcher(o, db, listener);
            List<EcosystemResult> results = new ArrayList<>();
            boolean changed = old == null;
            try (DbWriter w = DbWriter.create(db)) {
                List<DbWriter.OldSource> oldSources = old == null ? List.of() : w.attachOld(old);
                for (String eco : o.ecosystems()) {
                    String url = archiveUrl(o.source(), eco);
                    DbWriter.OldSource prev = null;
                    for (DbWriter.OldSource s : oldSources) {
                        if (s.kind().equals("download") && s.ecosystem().equals(eco)) {
                            prev = s;
                        }
                    }
                    DbWriter.OldSource conditional = prev != null && prev.url().equals(url) ? prev : null;
                    Fetched f = fetcher.fetch(eco, url, conditional);
                    switch (f.outcome()) {
                        case UNCHANGED -> {
                            w.carryOver(conditional, DbWriter.now());
                            results.add(new EcosystemResult(eco, Outcome.UNCHANGED, url, 0, conditional.records(),
                                    conditional.skipped(), conditional.withdrawn(), conditional.unknownEcosystem(), Map.of(),
                                    List.of(), conditional.fetchedAt()));
                        }
                        case MISSING -> {
                            String n = eco + ": the source has no " + url + " (404)";
                            if (prev != null) {
                                w.carryOver(prev, null);
                                n += "; keeping the " + prev.records() + " records fetched " + prev.fetchedAt();
                            }
                            notes.add(n);
                            listener.note(n);
                            results.add(new EcosystemResult(eco, Outcome.MISSING, url, 0, prev == null ? 0 : prev.records(),
                                    0, 0, 0, Map.of(), List.of(), prev == null ? null : prev.fetchedAt()));
                        }
                        case DOWNLOADED -> {
                            changed = true;
                            try (ArchiveInput in = ArchiveInput.open(f.file())) {
                                int total = in.entries().size();
                                DbWriter.ArchiveResult r = w.importArchive(in, new DbWriter.NewSource("download", eco, url,
                                        f.etag(), f.lastModified(), DbWriter.now()), done -> listener.importing(eco, done, total));
                                results.add(new EcosystemResult(eco, Outcome.DOWNLOADED, url, f.bytes(), r.records(),
                                        r.skipped(), r.withdrawn(), r.unknownEcosystem(), r.unknownEcosystems(), r.problems(),
                                        DbWriter.now()));
                            } catch (ArchiveInput.ArchiveException e) {
                                throw new UserError(url + " " + e.getMessage() + "; the database is unchanged");
                            } finally {
                                if (f.temporary()) {
                                    Files.deleteIfExists(f.file());
                                }
                            }
                        }
                        default -> throw new IllegalStateException();
                    }
                }
                for (DbWriter.OldSource s : oldSources) {
                    if (!(s.kind().equals("download") && o.ecosystems().contains(s.ecosystem()))) {
                        w.carryOver(s, null);
                    }
                }
                boolean anyData = results.stream().anyMatch(r -> r.outcome() != Outcome.MISSING || r.records() > 0)
                        || oldSources.stream().anyMatch(s -> !(s.kind().equals("download") && o.ecosystems().contains(s.ecosystem())));
                if (!anyData) {
                    throw new UserError("the source " + o.source() + " has none of the archives asked for (404 for "
                            + archiveUrl(o.source(), o.ecosystems().get(0)) + (o.ecosystems().size() > 1 ? " and the others" : "")
                            + "); check --source (it must have ECOSYSTEM/all.zip below it)");
                }
                if (!changed) {
                    return new Result(db, o.source(), false, results, notes, (System.nanoTime() - start) / 1_000_000);
                }
                w.commit(null);
            }
            return new Result(db, o.source(), true, results, notes, (System.nanoTime() - start) / 1_000_000);
        } catch (SQLException | IOException e) {
            throw DbFiles.writeFailure(db, e);
        } finally {
            lock.close();
        }
    }

    // ---- fetching ----

    private record Fetched(Outcome outcome, Path file, boolean temporary, String etag, String lastModified, long bytes) {
    }

    private interface Fetcher {
        Fetched fetch(String ecosystem, String url, DbWriter.OldSource conditional) throws IOException;
    }

    /** A folder in the bucket's layout: nothing to download; the "ETag" is size and modification time. */
    private static final class FolderFetcher implements Fetcher {
        @Override
        public Fetched fetch(String ecosystem, String url, DbWriter.OldSource conditional) throws IOException {
            Path file;
            try {
                file = Path.of(new URI(url));
            } catch (URISyntaxException e) {
                throw new UserError("cannot use " + url + " (" + e.getMessage() + ")");
            }
            if (!Files.isRegularFile(file)) {
                return new Fetched(Outcome.MISSING, null, false, null, null, 0);
            }
            FileTime mtime = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            String etag = "\"" + size + "-" + mtime.toMillis() + "\"";
            String lastModified = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    ZonedDateTime.ofInstant(mtime.toInstant(), java.time.ZoneOffset.UTC));
            if (conditional != null && etag.equals(conditional.etag())) {
                return new Fetched(Outcome.UNCHANGED, null, false, etag, lastModified, 0);
            }
            return new Fetched(Outcome.DOWNLOADED, file, false, etag, lastModified, size);
        }
    }

    /** The write side of a download failed (a full disk): not worth retrying. */
    private static final class LocalWriteException extends IOException {
        private static final long serialVersionUID = 1L;

        LocalWriteException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static final class HttpFetcher implements Fetcher {
        private final Options o;
        private final Path db;
        private final Listener listener;
        private final HttpClient client;

        HttpFetcher(Options o, Path db, Listener listener) {
            this.o = o;
            this.db = db;
            this.listener = listener;
            this.client = HttpClient.newBuilder()
                    .connectTimeout(o.connectTimeout())
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
        }

        @Override
        public Fetched fetch(String ecosystem, String url, DbWriter.OldSource conditional) throws IOException {
            String last = null;
            for (int attempt = 1; attempt <= o.attempts(); attempt++) {
                long retryAfterMillis = -1;
                Path tmp = db.resolveSibling(DbFiles.downloadPrefix(db) + UUID.randomUUID() + ".zip");
                boolean keep = false;
                try {
                    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(url))
                            .timeout(o.headerTimeout())
                            .header("User-Agent", ToolInfo.NAME + "/" + ToolInfo.VERSION)
                            .GET();
                    if (conditional != null && conditional.etag() != null) {
                        rb.header("If-None-Match", conditional.etag());
                    }
                    if (conditional != null && conditional.lastModified() != null) {
                        rb.header("If-Modified-Since", conditional.lastModified());
                    }
                    HttpResponse<InputStream> resp = client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
                    int status = resp.statusCode();
                    if (status == 200) {
                        long total = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
                        long n = copy(resp.body(), tmp, ecosystem, total);
                        if (total >= 0 && n != total) {
                            throw new IOException("the download ended after " + n + " of " + total + " bytes");
                        }
                        try {
                            // opened through its central directory: a whole zip
                            ArchiveInput.open(tmp).close();
                        } catch (ArchiveInput.ArchiveException e) {
                            throw new IOException("the downloaded file " + e.getMessage(), e);
                        }
                        keep = true;
                        return new Fetched(Outcome.DOWNLOADED, tmp, true, resp.headers().firstValue("ETag").orElse(null),
                                resp.headers().firstValue("Last-Modified").orElse(null), n);
                    }
                    drain(resp.body());
                    if (status == 304 && conditional != null) {
                        return new Fetched(Outcome.UNCHANGED, null, false, null, null, 0);
                    }
                    if (status == 404 || status == 410) {
                        return new Fetched(Outcome.MISSING, null, false, null, null, 0);
                    }
                    if (status == 429 || status >= 500) {
                        last = "the server answered " + status;
                        retryAfterMillis = retryAfter(resp);
                    } else {
                        throw new UserError("the server answered " + status + " for " + url
                                + "; check --source (or " + SOURCE_ENV + "); the database is unchanged");
                    }
                } catch (LocalWriteException e) {
                    throw e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UserError("interrupted while downloading " + url + "; the database is unchanged");
                } catch (IOException | IllegalArgumentException e) {
                    last = describe(e);
                } finally {
                    if (!keep) {
                        Files.deleteIfExists(tmp);
                    }
                }
                if (attempt < o.attempts()) {
                    long delay = o.backoff().toMillis() << (attempt - 1);
                    if (retryAfterMillis >= 0) {
                        delay = Math.max(delay, Math.min(retryAfterMillis, 60_000));
                    }
                    listener.note(ecosystem + ": " + last + "; retrying in "
                            + (delay < 1000 ? delay + " ms" : (delay + 500) / 1000 + " s"));
                    sleep(delay);
                }
            }
            throw new UserError("cannot download " + url + ": " + last + " (tried " + o.attempts()
                    + " times); check the network or --source and retry; the database is unchanged");
        }

        private long copy(InputStream body, Path tmp, String ecosystem, long total) throws IOException {
            long n = 0;
            long lastReport = 0;
            try (InputStream in = new IdleTimeoutInputStream(body, o.idleTimeout().toMillis(), "the download");
                 OutputStream out = newOutput(tmp)) {
                byte[] buf = new byte[1 << 16];
                for (int r; (r = in.read(buf)) > 0;) {
                    try {
                        out.write(buf, 0, r);
                    } catch (IOException e) {
                        throw new LocalWriteException(e);
                    }
                    n += r;
                    if (n - lastReport >= 1 << 20) {
                        lastReport = n;
                        listener.downloading(ecosystem, n, total);
                    }
                }
                listener.downloading(ecosystem, n, total);
                try {
                    out.flush();
                } catch (IOException e) {
                    throw new LocalWriteException(e);
                }
            } catch (LocalWriteException e) {
                throw e;
            } catch (IOException e) {
                if (DbFiles.isDiskFull(e, tmp.toAbsolutePath().getParent())) {
                    throw new LocalWriteException(e);
                }
                throw new IOException("the download broke off after " + n + (total >= 0 ? " of " + total : "")
                        + " bytes (" + e.getMessage() + ")", e);
            }
            return n;
        }

        private static OutputStream newOutput(Path tmp) throws LocalWriteException {
            try {
                return Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new LocalWriteException(e);
            }
        }

        private static void drain(InputStream body) {
            try (InputStream in = body) {
                in.skip(1 << 20);
            } catch (IOException e) {
                // the connection is discarded
            }
        }

        private static long retryAfter(HttpResponse<?> resp) {
            String v = resp.headers().firstValue("Retry-After").orElse(null);
            if (v == null) {
                return -1;
            }
            try {
                return Long.parseLong(v.strip()) * 1000;
            } catch (NumberFormatException e) {
                try {
                    ZonedDateTime t = ZonedDateTime.parse(v.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                    return Math.max(0, t.toInstant().toEpochMilli() - System.currentTimeMillis());
                } catch (RuntimeException x) {
                    return -1;
                }
            }
        }

        private static String describe(Exception e) {
            String m = e.getMessage();
            if (e instanceof java.net.ConnectException) {
                return "cannot connect" + (m == null ? "" : " (" + m + ")");
            }
            if (e instanceof java.net.http.HttpTimeoutException) {
                return "the server did not answer in time";
            }
            return m == null ? e.getClass().getSimpleName() : m;
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("interrupted; the database is unchanged");
            }
        }
    }
}
