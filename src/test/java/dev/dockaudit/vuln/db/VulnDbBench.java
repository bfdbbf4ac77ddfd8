package dev.dockaudit.vuln.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.util.Json;
import dev.dockaudit.vuln.osv.OsvEcosystems;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The database benchmark behind {@code bench/db-bench.sh} (issue 4: a benchmark, not a timed test). Modes:
 * <ul>
 *   <li>{@code generate DIR RECORDS}: a bucket ({@code DIR/ECOSYSTEM/all.zip}) as large as the real OSV data, made
 *       from the real records of src/test/resources/osv: copy {@code i} of each record gets the id {@code ID-bI} and
 *       every package name {@code NAME-bI} (copy 0 keeps the real names), so each name has the real data's density
 *       of advisories; prints records and affected entries.</li>
 *   <li>{@code import DB DIR}: {@code db update} from that folder (one import per archive, all of them new): records/s.</li>
 *   <li>{@code open DB}: one cold open and first query in this fresh JVM (the script runs it many times).</li>
 *   <li>{@code in-run DB IMAGE [async]}: what opening adds to a real run: {@code dockaudit image} on the example image
 *       in this JVM, then open + first query; with {@code async} the open starts in the background first.</li>
 *   <li>{@code lookups DB ROUNDS}: 1,000 candidate look-ups as an image with 1,000 packages makes them (Debian
 *       source packages, Alpine origins, Maven, npm, PyPI, Go; most exist, some do not), repeated.</li>
 * </ul>
 */
public final class VulnDbBench {
    private VulnDbBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "generate" -> generate(Path.of(args[1]), Integer.parseInt(args[2]));
            case "import" -> importAll(Path.of(args[1]), Path.of(args[2]));
            case "open" -> open(Path.of(args[1]));
            case "in-run" -> inRun(Path.of(args[1]), args[2], args.length > 3 && args[3].equals("async"));
            case "lookups" -> lookups(Path.of(args[1]), Integer.parseInt(args[2]), args.length > 3 && args[3].equals("async"));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static void generate(Path dir, int target) throws IOException {
        Map<String, byte[]> real = OsvFixtures.allRecords();
        List<ObjectNode> records = new ArrayList<>();
        for (byte[] b : real.values()) {
            records.add((ObjectNode) Json.parse(b, "fixture"));
        }
        Map<String, ZipOutputStream> zips = new LinkedHashMap<>();
        Files.createDirectories(dir);
        long entries = 0;
        int n = 0;
        try {
            for (int copy = 0; n < target; copy++) {
                for (ObjectNode r : records) {
                    if (n >= target) {
                        break;
                    }
                    ObjectNode v = r.deepCopy();
                    String id = copy == 0 ? r.path("id").asText() : r.path("id").asText() + "-b" + copy;
                    v.put("id", id);
                    List<String> bases = new ArrayList<>();
                    for (JsonNode a : (ArrayNode) v.path("affected")) {
                        ObjectNode pkg = (ObjectNode) a.path("package");
                        if (copy > 0) {
                            pkg.put("name", pkg.path("name").asText() + "-b" + copy);
                        }
                        String base = OsvEcosystems.base(pkg.path("ecosystem").asText());
                        if (!bases.contains(base)) {
                            bases.add(base);
                        }
                        entries++;
                    }
                    byte[] json = Json.MAPPER.writeValueAsBytes(v);
                    for (String base : bases) {
                        ZipOutputStream z = zips.get(base);
                        if (z == null) {
                            Files.createDirectories(dir.resolve(base));
                            z = new ZipOutputStream(Files.newOutputStream(dir.resolve(base).resolve("all.zip")));
                            zips.put(base, z);
                        }
                        z.putNextEntry(new ZipEntry(id + ".json"));
                        z.write(json);
                        z.closeEntry();
                    }
                    n++;
                }
            }
        } finally {
            for (ZipOutputStream z : zips.values()) {
                z.close();
            }
        }
        System.out.printf("generated %,d records with %,d affected entries in %d archives (%s) under %s%n", n, entries,
                zips.size(), String.join(", ", zips.keySet()), dir);
    }

    static void importAll(Path db, Path bucket) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        DbUpdater.Result r = DbUpdater.update(db, DbUpdater.Options.of(bucket.toUri().toString().replaceAll("/$", ""),
                OsvEcosystems.DEFAULT), DbUpdater.Listener.NONE);
        long t1 = System.nanoTime();
        long cpu1 = os.getProcessCpuTime();
        int records = r.ecosystems().stream().mapToInt(DbUpdater.EcosystemResult::records).sum();
        double secs = (t1 - t0) / 1e9;
        System.out.printf("import: %,d records (%d archives) in %.2f s = %,.0f records/s (process CPU %.2f s, %d cores)%n",
                records, r.ecosystems().stream().filter(e -> e.outcome() == DbUpdater.Outcome.DOWNLOADED).count(), secs,
                records / secs, (cpu1 - cpu0) / 1e9, Runtime.getRuntime().availableProcessors());
        try (VulnDatabase v = VulnDatabase.open(db)) {
            long affected = v.ecosystemInfo().stream().mapToLong(EcosystemInfo::affected).sum();
            System.out.printf("database: %,d affected entries, %d ecosystems, %.1f MB%n", affected, v.ecosystems().size(),
                    db.toFile().length() / 1e6);
        }
    }

    static void open(Path db) {
        long t0 = System.nanoTime();
        try (VulnDatabase v = VulnDatabase.open(db)) {
            long t1 = System.nanoTime();
            int n = v.candidates(List.of("Debian:11"), "openssl").size();
            long t2 = System.nanoTime();
            System.out.printf("open %.1f ms, first query %.1f ms (%d candidates)%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6, n);
        }
    }

    static void inRun(Path db, String image, boolean async) {
        PrintStream nul = new PrintStream(OutputStream.nullOutputStream());
        long t0 = System.nanoTime();
        var opening = async ? VulnDatabase.openAsync(db) : null;
        int code = dev.dockaudit.cli.Main.run(new String[] {"image", "--format", "json", image}, nul, nul);
        long t1 = System.nanoTime();
        try (VulnDatabase v = async ? VulnDatabase.await(opening) : VulnDatabase.open(db)) {
            long t2 = System.nanoTime();
            int n = v.candidates(List.of("Alpine:v3.10"), "openssl").size();
            long t3 = System.nanoTime();
            System.out.printf("in-run%s: audit %.0f ms (exit %d), then open %.1f ms + first query %.1f ms (%d)%n",
                    async ? " async" : "", (t1 - t0) / 1e6, code, (t2 - t1) / 1e6, (t3 - t2) / 1e6, n);
        }
    }

    static void lookups(Path db, int rounds, boolean async) {
        Map<String, byte[]> real = OsvFixtures.allRecords();
        List<String[]> names = new ArrayList<>();
        for (byte[] b : real.values()) {
            for (JsonNode a : Json.parse(b, "fixture").path("affected")) {
                String[] k = {a.path("package").path("ecosystem").asText(), a.path("package").path("name").asText()};
                if (names.stream().noneMatch(x -> x[0].equals(k[0]) && x[1].equals(k[1]))) {
                    names.add(k);
                }
            }
        }
        Random rnd = new Random(4);
        List<String[]> packages = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String[] k = names.get(rnd.nextInt(names.size()));
            int variant = rnd.nextInt(40);
            String name = i % 5 == 4 ? "no-such-package-" + i : variant == 0 ? k[1] : k[1] + "-b" + variant;
            packages.add(new String[] {k[0], name});
        }
        long t0 = System.nanoTime();
        // async: opened in the background as a run would (while the image is read), then used
        try (VulnDatabase v = async ? VulnDatabase.await(VulnDatabase.openAsync(db)) : VulnDatabase.open(db)) {
            long t1 = System.nanoTime();
            System.out.printf("lookups%s: open %.1f ms%n", async ? " (opened with openAsync, which also warms the decoder)" : "",
                    (t1 - t0) / 1e6);
            var threads = ManagementFactory.getThreadMXBean();
            for (int round = 0; round < rounds; round++) {
                VulnDatabase fresh = round == 0 ? v : VulnDatabase.open(db);
                long c = threads.getCurrentThreadCpuTime();
                long s = System.nanoTime();
                int found = 0;
                java.util.Set<String> records = new java.util.HashSet<>();
                for (String[] p : packages) {
                    for (Candidate x : fresh.candidates(List.of(p[0]), p[1])) {
                        found++;
                        records.add(x.record().id());
                    }
                }
                long e = System.nanoTime();
                long ce = threads.getCurrentThreadCpuTime();
                System.out.printf("lookups round %d: 1,000 packages in %.1f ms (thread CPU %.1f ms), %,d candidates from %,d records (%s)%n",
                        round + 1, (e - s) / 1e6, (ce - c) / 1e6, found, records.size(),
                        round == 0 ? "cold JVM" : "new VulnDatabase, warm JVM");
                if (fresh != v) {
                    fresh.close();
                }
            }
        }
    }
}
