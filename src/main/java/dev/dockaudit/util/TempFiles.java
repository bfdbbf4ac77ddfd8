package dev.dockaudit.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The tool's own temporary folder (mode 0700), the only place anything taken from an image is ever written.
 * Names inside it are generated, never taken from the image, and the folder is removed on close or at exit.
 */
public final class TempFiles implements AutoCloseable {
    private final Path dir;
    private final AtomicInteger counter = new AtomicInteger();
    private final Thread hook;

    public TempFiles() throws IOException {
        Path d;
        try {
            d = Files.createTempDirectory("dockaudit-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            d = Files.createTempDirectory("dockaudit-");
        }
        dir = d;
        hook = new Thread(this::deleteAll, "dockaudit-temp-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public Path dir() {
        return dir;
    }

    /** A new empty file; {@code hint} only shapes a readable suffix and cannot leave the folder. */
    public Path newFile(String hint) throws IOException {
        String safe = hint.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 60) {
            safe = safe.substring(safe.length() - 60);
        }
        return Files.createFile(dir.resolve(counter.incrementAndGet() + "-" + safe));
    }

    private void deleteAll() {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort at exit
                }
            });
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        deleteAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already
        }
    }
}
