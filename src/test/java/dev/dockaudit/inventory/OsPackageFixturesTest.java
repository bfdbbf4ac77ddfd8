package dev.dockaudit.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.inventory.pkg.ApkAnalyzer;
import dev.dockaudit.inventory.pkg.DpkgAnalyzer;
import dev.dockaudit.testing.AnalyzerInputs;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dpkg and apk analyzers against real databases (osv-scalibr fixtures) and the answers APT's own parser and
 * apk's rules give (realdata pkgdb-fixtures, expected.json): exactly the same installed packages, nothing else.
 */
class OsPackageFixturesTest {
    private static final Path ROOT = Path.of("src/test/resources/pkgdb");

    static Stream<Path> dpkgFixtures() throws IOException {
        return Files.list(ROOT.resolve("dpkg")).sorted();
    }

    static Stream<Path> apkFixtures() throws IOException {
        return Files.list(ROOT.resolve("apk")).sorted();
    }

    @ParameterizedTest
    @MethodSource("dpkgFixtures")
    void dpkgMatchesApt(Path dir) throws IOException {
        JsonNode expected = Json.parse(Files.readAllBytes(dir.resolve("expected.json")), "expected");
        String input = expected.get("input").asText();
        String path = expected.get("kind").asText().equals("dpkg-statusd")
                ? "var/lib/dpkg/status.d/" + input : "var/lib/dpkg/status";
        FileResult r = new DpkgAnalyzer().analyze(AnalyzerInputs.of(path, Files.readAllBytes(dir.resolve(input)), null));
        if (expected.path("expect_error").asBoolean(false)) {
            assertThat(r.packages()).isEmpty();
            assertThat(r.warnings()).isNotEmpty();
            return;
        }
        List<String> want = new ArrayList<>();
        for (JsonNode p : expected.path("installed_packages")) {
            want.add(p.get("package").asText() + " " + p.get("version").asText() + " " + p.path("architecture").asText(null)
                    + " " + p.get("source").asText() + " " + p.get("source_version").asText());
        }
        List<String> got = new ArrayList<>();
        for (Package p : r.packages()) {
            got.add(p.name() + " " + p.version() + " " + p.arch() + " " + p.sourceName() + " " + p.sourceVersion());
            assertThat(p.type()).isEqualTo(PackageType.DEB);
            assertThat(p.path()).isEqualTo("/" + path);
        }
        assertThat(got).containsExactlyElementsOf(want);
    }

    @ParameterizedTest
    @MethodSource("apkFixtures")
    void apkMatchesApkTools(Path dir) throws IOException {
        JsonNode expected = Json.parse(Files.readAllBytes(dir.resolve("expected.json")), "expected");
        FileResult r = new ApkAnalyzer().analyze(AnalyzerInputs.of("lib/apk/db/installed",
                Files.readAllBytes(dir.resolve("installed")), null));
        List<String> want = new ArrayList<>();
        for (JsonNode p : expected.path("installed_packages")) {
            want.add(p.get("package").asText() + " " + p.get("version").asText() + " " + p.get("architecture").asText()
                    + " " + p.path("origin").asText(null) + " " + p.path("license").asText(null));
        }
        List<String> got = new ArrayList<>();
        for (Package p : r.packages()) {
            got.add(p.name() + " " + p.version() + " " + p.arch() + " " + p.sourceName() + " "
                    + (p.licenses().isEmpty() ? null : p.licenses().get(0)));
        }
        assertThat(got).containsExactlyElementsOf(want);
        if (dir.endsWith("scalibr-invalid")) {
            assertThat(r.warnings()).isNotEmpty();
        }
    }
}
