package dev.dockaudit.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real Debian and Ubuntu root filesystems made with debootstrap --variant=minbase from this machine's apt
 * mirror (the URIs: line of /etc/apt/sources.list.d/debian.sources), as the infrastructure notes describe.
 * Each suite is built once per test run under the run folder.
 */
public final class Debootstrap {
    private Debootstrap() {
    }

    public static String mirror() throws IOException {
        Path sources = Path.of("/etc/apt/sources.list.d/debian.sources");
        if (Files.isRegularFile(sources)) {
            for (String line : Files.readAllLines(sources)) {
                if (line.startsWith("URIs:")) {
                    return line.substring(5).trim();
                }
            }
        }
        Path list = Path.of("/etc/apt/sources.list");
        for (String line : Files.readAllLines(list)) {
            String[] w = line.trim().split("\\s+");
            if (w.length > 2 && w[0].equals("deb")) {
                return w[1];
            }
        }
        throw new AssertionError("no apt mirror found in /etc/apt");
    }

    /** Builds (or reuses) a minbase root of {@code suite}; Ubuntu suites come from the mirror host's /ubuntu tree. */
    public static synchronized Path root(String suite, Path under) throws IOException, InterruptedException {
        Path dir = under.resolve("rootfs-" + suite);
        if (Files.isRegularFile(dir.resolve("var/lib/dpkg/status")) && Files.exists(dir.resolve(".complete"))) {
            return dir;
        }
        String mirror = mirror();
        boolean ubuntu = suite.equals("jammy") || suite.equals("noble") || suite.equals("focal");
        List<String> cmd = ubuntu
                ? List.of("debootstrap", "--variant=minbase", "--no-check-gpg", "--components=main", suite, dir.toString(),
                mirror.replaceFirst("/debian/?$", "/ubuntu"))
                : List.of("debootstrap", "--variant=minbase", suite, dir.toString(), mirror);
        Cli.Result r = Processes.run(cmd, Map.of(), 15, TimeUnit.MINUTES);
        if (r.exitCode() != 0) {
            throw new AssertionError("debootstrap " + suite + " failed:\n" + r);
        }
        // The apt caches are not part of an image (the infrastructure notes exclude them the same way).
        Processes.check(List.of("sh", "-c", "rm -rf '" + dir + "'/var/cache/apt/archives/*.deb '" + dir
                + "'/var/lib/apt/lists/*_*"), Map.of());
        Files.createFile(dir.resolve(".complete"));
        return dir;
    }
}
