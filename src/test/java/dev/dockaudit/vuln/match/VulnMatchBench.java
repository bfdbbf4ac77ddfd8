package dev.dockaudit.vuln.match;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.inventory.Inventory;
import dev.dockaudit.inventory.OsInfo;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import dev.dockaudit.util.Json;
import dev.dockaudit.vuln.db.OsvFixtures;
import dev.dockaudit.vuln.db.VulnDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Benchmark (bench/db-bench.sh, not a test): the whole vulnerability match — look-ups, range evaluation with
 * each ecosystem's version rules, merging into findings — for an image of 1,000 packages against a database as
 * large as the real OSV data. Prints the time after the database is open: cold (first match in the JVM) and warm.
 */
public final class VulnMatchBench {
    private VulnMatchBench() {
    }

    public static void main(String[] args) {
        Path db = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Inventory inventory = inventory();
        if (args.length > 2 && args[2].equals("run-like")) {
            // as dockaudit runs it: opened and warmed up in the background while the image is read (here, 1 s)
            long t0 = System.nanoTime();
            java.util.concurrent.CompletableFuture<VulnDatabase> opening = VulnDatabase.openAsync(db).thenApply(d -> {
                new VulnMatcher(d).warmUp();
                return d;
            });
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try (VulnDatabase v = VulnDatabase.await(opening)) {
                long s = System.nanoTime();
                VulnMatcher.Result r = new VulnMatcher(v).match(inventory);
                long m = System.nanoTime();
                int findings = VulnFindings.build(r.matches()).size();
                long e = System.nanoTime();
                System.out.printf("run-like: open + warm-up in the background (ready after %.0f ms), then the first real"
                        + " match of 1,000 packages in %.1f ms (matching %.1f, findings %.1f): %,d findings%n",
                        (s - t0) / 1e6 - 1000, (e - s) / 1e6, (m - s) / 1e6, (e - m) / 1e6, findings);
            }
            return;
        }
        try (VulnDatabase v = VulnDatabase.open(db)) {
            v.candidates(List.of("Debian:11"), "openssl"); // the database is open and answering
            for (int round = 0; round < rounds; round++) {
                long s = System.nanoTime();
                VulnMatcher.Result r = new VulnMatcher(v).match(inventory);
                int findings = VulnFindings.build(r.matches()).size();
                long e = System.nanoTime();
                System.out.printf("match round %d: 1,000 packages in %.1f ms: %,d matches, %,d findings (%s)%n", round + 1,
                        (e - s) / 1e6, r.matches().size(), findings, round == 0 ? "first match in this JVM" : "warm");
            }
        }
    }

    /** 1,000 packages of a Debian 11 image: deb packages named by DSA/DLA sources, plus npm, PyPI and Maven ones. */
    static Inventory inventory() {
        Set<String[]> names = new LinkedHashSet<>();
        Set<String> seen = new java.util.HashSet<>();
        for (byte[] b : OsvFixtures.allRecords().values()) {
            for (JsonNode a : Json.parse(b, "fixture").path("affected")) {
                String eco = a.path("package").path("ecosystem").asText();
                String name = a.path("package").path("name").asText();
                if ((eco.equals("Debian:11") || eco.equals("npm") || eco.equals("PyPI") || eco.equals("Maven"))
                        && seen.add(eco + "|" + name)) {
                    names.add(new String[] {eco, name});
                }
            }
        }
        List<String[]> pool = new ArrayList<>(names);
        Random rnd = new Random(7);
        List<Package> packages = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String[] k = pool.get(rnd.nextInt(pool.size()));
            int variant = rnd.nextInt(40);
            String name = variant == 0 ? k[1] : k[1] + "-b" + variant;
            PackageType type = switch (k[0]) {
                case "npm" -> PackageType.NPM;
                case "PyPI" -> PackageType.PYPI;
                case "Maven" -> PackageType.MAVEN;
                default -> PackageType.DEB;
            };
            String version = type == PackageType.DEB ? "1.0-1+deb11u1" : "1.0.0";
            packages.add(new Package(type == PackageType.DEB ? name + "-bin" + i : name, version, type,
                    type == PackageType.DEB ? "amd64" : null, type == PackageType.DEB ? name : null,
                    type == PackageType.DEB ? version : null, null, List.of(), List.of(), "/bench", "sha256:bench", Map.of()));
        }
        return new Inventory(new OsInfo("debian", "11.11", "bullseye", null, false, null, "/etc/os-release"), packages,
                List.of());
    }
}
