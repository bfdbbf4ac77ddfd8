package dev.dockaudit.vuln.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;

/**
 * Opens SQLite connections through sqlite-jdbc, and makes the first one cheaper. On every JVM start sqlite-jdbc
 * copies its 1 MB native library into the temporary folder, compares it back byte by byte and runs {@code uname}
 * to tell Android from Linux: about 100 ms before the first query. Here the library of this platform is copied
 * once into {@code ~/.cache/dockaudit/native/sqlite-…-SIZE-CRC/} (atomically, checked against the jar entry's
 * CRC) and sqlite-jdbc is pointed at it with its documented {@code org.sqlite.lib.path} / {@code org.sqlite.lib.name}
 * properties, unless sqlite-jdbc has already loaded a library in this process. Anything unusual (properties already
 * set, an unknown platform, an unwritable cache, a library that does not load, a sqlite-jdbc without the field this
 * checks) leaves sqlite-jdbc to its own loader.
 */
final class Sqlite {
    private static boolean prepared;

    static {
        // sqlite-jdbc logs through SLF4J when it is on the class path (the test class path has it); without a
        // provider SLF4J prints a three-line warning on stderr, which would break the one-error-line contract
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    private Sqlite() {
    }

    static Connection connect(String url) throws SQLException {
        return connect(url, new java.util.Properties());
    }

    static Connection connect(String url, java.util.Properties props) throws SQLException {
        prepareNative();
        return DriverManager.getConnection("jdbc:sqlite:" + url, props);
    }

    static synchronized void prepareNative() {
        if (prepared) {
            return;
        }
        prepared = true;
        if (System.getProperty("org.sqlite.lib.path") != null || System.getProperty("org.sqlite.lib.name") != null
                || "false".equals(System.getProperty("dockaudit.sqlite.native-cache"))) {
            return;
        }
        String folder = platformFolder();
        if (folder == null) {
            return;
        }
        String name = folder.startsWith("Mac/") ? "libsqlitejdbc.dylib" : "libsqlitejdbc.so";
        ClassLoader cl = Sqlite.class.getClassLoader();
        URL res = cl == null ? null : cl.getResource("org/sqlite/native/" + folder + "/" + name);
        if (res == null) {
            return;
        }
        try {
            URLConnection conn = res.openConnection();
            if (!(conn instanceof JarURLConnection jar)) {
                return;
            }
            JarEntry entry = jar.getJarEntry();
            long size = entry.getSize();
            long crc = entry.getCrc();
            if (size <= 0 || crc < 0) {
                return;
            }
            Path dir = VulnDbPaths.defaultPath().getParent().resolve("native")
                    .resolve(String.format(Locale.ROOT, "sqlite-%s-%d-%08x", folder.replace('/', '-'), size, crc));
            Path lib = dir.resolve(name);
            if (!Files.isRegularFile(lib) || Files.size(lib) != size) {
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, ".lib-", ".tmp");
                try {
                    CRC32 check = new CRC32();
                    try (InputStream in = res.openStream(); OutputStream out = Files.newOutputStream(tmp)) {
                        byte[] buf = new byte[65536];
                        for (int n; (n = in.read(buf)) > 0;) {
                            check.update(buf, 0, n);
                            out.write(buf, 0, n);
                        }
                    }
                    if (check.getValue() != crc || Files.size(tmp) != size) {
                        return;
                    }
                    Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            useLibrary(dir, lib, name);
        } catch (IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
            // sqlite-jdbc extracts the library itself as usual
        }
    }

    /**
     * Loads the cached library and points sqlite-jdbc at it, but only while sqlite-jdbc has loaded none: two copies
     * of the library in one process (another part of dockaudit, such as the rpm reader, may have opened SQLite
     * first) would split SQLite's state and crash. Holding sqlite-jdbc's loader monitor (its {@code initialize()} is
     * {@code static synchronized}) keeps another thread from loading its own copy in between.
     */
    private static void useLibrary(Path dir, Path lib, String name) throws ReflectiveOperationException {
        Class<?> loader = org.sqlite.SQLiteJDBCLoader.class;
        if (loader.getClassLoader() != Sqlite.class.getClassLoader()) {
            return;
        }
        synchronized (loader) {
            java.lang.reflect.Field extracted = loader.getDeclaredField("extracted");
            extracted.setAccessible(true);
            if (extracted.getBoolean(null) || System.getProperty("org.sqlite.lib.path") != null) {
                return;
            }
            // load it here first: a library that does not load leaves sqlite-jdbc to its own loader, silently;
            // sqlite-jdbc's own System.load of the same file is then a no-op
            System.load(lib.toAbsolutePath().toString());
            System.setProperty("org.sqlite.lib.path", dir.toAbsolutePath().toString());
            System.setProperty("org.sqlite.lib.name", name);
        }
    }

    /** sqlite-jdbc's folder for this platform, for the platforms it is common on; null for the rest. */
    private static String platformFolder() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
        if (arch == null) {
            return null;
        }
        if (os.startsWith("mac")) {
            return "Mac/" + arch;
        }
        if (!os.equals("linux") || System.getProperty("java.vm.vendor", "").toLowerCase(Locale.ROOT).contains("android")) {
            return null;
        }
        // the C library this JVM runs on, not whichever is installed: a glibc system may carry musl's loader too
        try {
            String maps = Files.readString(Path.of("/proc/self/maps"));
            if (maps.contains("/ld-musl-")) {
                return "Linux-Musl/" + arch;
            }
            return maps.contains("libc.so.6") ? "Linux/" + arch : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
