package dev.dockaudit.check.secret;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Throughput of {@link SecretScanner} on real text, one thread (so the figure is per core). Run by
 * {@code bench/secrets-bench.sh}; arguments are directories or files of the corpus. Reads every text file into
 * memory first (binary files and names are left out, as the layer visitor leaves them out), then scans the whole
 * corpus {@code -Drounds=5} times after a warm-up and prints MB/s of the best and the median round. Files are
 * scanned with no path, so no allow rule skips a file: the figure is the scanner's own speed on text.
 */
public final class SecretBench {
    public static void main(String[] args) throws IOException {
        long limit = Long.getLong("maxCorpusBytes", 400L << 20);
        int rounds = Integer.getInteger("rounds", 5);
        SecretScanner scanner = SecretScanner.builtIn();
        List<byte[]> files = new ArrayList<>();
        long[] total = {0};
        long[] skipped = {0, 0};
        for (String a : args) {
            Path root = Path.of(a);
            if (!Files.exists(root)) {
                System.err.println("corpus: " + a + " does not exist, skipped");
                continue;
            }
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes at) throws IOException {
                    if (total[0] >= limit || !at.isRegularFile() || at.size() == 0 || at.size() > scanner.maxFileSize()) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (SecretVisitor.binaryByName(f.toString())) {
                        skipped[0]++;
                        return FileVisitResult.CONTINUE;
                    }
                    byte[] b;
                    try {
                        b = Files.readAllBytes(f);
                    } catch (IOException e) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (SecretScanner.looksBinary(b, b.length)) {
                        skipped[1]++;
                        return FileVisitResult.CONTINUE;
                    }
                    files.add(b);
                    total[0] += b.length;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        double mb = total[0] / 1e6;
        System.out.printf(Locale.ROOT, "corpus: %d text files, %.1f MB (left out: %d binary by name, %d binary by content)%n",
                files.size(), mb, skipped[0], skipped[1]);
        Map<String, Integer> byRule = new TreeMap<>();
        // warm-up (JIT), also counts what the corpus holds
        for (byte[] b : files) {
            for (SecretMatch m : scanner.scan(b, null)) {
                byRule.merge(m.ruleId() + " (" + m.rule().severity() + ")", 1, Integer::sum);
            }
        }
        double[] rates = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            int n = 0;
            for (byte[] b : files) {
                n += scanner.scan(b, null).size();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            rates[r] = mb / s;
            System.out.printf(Locale.ROOT, "round %d: %.2f s, %.1f MB/s (%d matches)%n", r + 1, s, rates[r], n);
        }
        java.util.Arrays.sort(rates);
        System.out.printf(Locale.ROOT, "matches in the corpus (no path allow rules): %s%n", byRule);
        System.out.printf(Locale.ROOT, "SecretScanner throughput, one thread: median %.1f MB/s, best %.1f MB/s%n",
                rates[rounds / 2], rates[rounds - 1]);
    }
}
