package dev.dockaudit.vuln.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * sqlite-jdbc's native library is loaded once per process whichever part of dockaudit opens SQLite first: the
 * vulnerability database points sqlite-jdbc at a cached copy only when nothing has loaded one yet (two copies in one
 * process crash). Each order runs in a fresh JVM.
 */
class DbSqliteLoadTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"plain-first", "db-first"})
    void eitherOrderWorks(String order) throws Exception {
        Files.createDirectories(dir.resolve(order));
        // (the test class path has slf4j-api, which the jar does not: keep its no-provider warning out of the output)
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dslf4j.internal.verbosity=ERROR", "-cp", System.getProperty("java.class.path"), SqliteOrderMain.class.getName(), dir.resolve(order).toString(), order)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).startsWith("ok ");
        if (order.equals("plain-first")) {
            assertThat(out.strip()).isEqualTo("ok null"); // sqlite-jdbc loaded its own copy first: left alone
        }
        assertThat(out.lines().count()).as(out).isEqualTo(1);
    }
}
