package dev.dockaudit.inventory.pkg.rpm;

import static dev.dockaudit.inventory.pkg.rpm.RpmFixtures.printed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.inventory.FileResult;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every package of every fixture database, field by field and in order, against what the real rpm 4.18 printed
 * for the same file ({@code rpm -qa --qf}, in rpm-qa.tsv next to each database), and the file lists against
 * {@code rpm -qa --qf '[%{FILENAMES}]'} (rpm-ql.tsv).
 */
class RpmDatabaseExactTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> fixtures() {
        return Stream.of(
                Arguments.of("built-sqlite", "rpmdb.sqlite", RpmAnalyzer.Format.SQLITE, 9),
                Arguments.of("built-bdb", "Packages", RpmAnalyzer.Format.BDB, 9),
                Arguments.of("built-bdb-bigendian", "Packages", RpmAnalyzer.Format.BDB, 9),
                Arguments.of("built-ndb", "Packages.db", RpmAnalyzer.Format.NDB, 8),
                Arguments.of("rhel8-libuuid-bdb", "Packages", RpmAnalyzer.Format.BDB, 1),
                Arguments.of("mariner-sqlite", "rpmdb.sqlite.gz", RpmAnalyzer.Format.SQLITE, 129),
                Arguments.of("mariner-bdb", "Packages.gz", RpmAnalyzer.Format.BDB, 129),
                Arguments.of("mariner-ndb", "Packages.db.gz", RpmAnalyzer.Format.NDB, 129),
                Arguments.of("empty-sqlite", "rpmdb.sqlite", RpmAnalyzer.Format.SQLITE, 0),
                Arguments.of("empty-bdb", "Packages", RpmAnalyzer.Format.BDB, 0),
                Arguments.of("empty-ndb", "Packages.db", RpmAnalyzer.Format.NDB, 0));
    }

    private FileResult read(String dir, String file, RpmAnalyzer.Format format) throws IOException {
        Path db = RpmFixtures.copy(dir + "/" + file, tmp, format.fileName);
        return RpmAnalyzer.read(db, format, "/var/lib/rpm/" + format.fileName);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyPackageEqualsRpmQa(String dir, String file, RpmAnalyzer.Format format, int count) throws IOException {
        FileResult r = read(dir, file, format);
        List<RpmFixtures.Expected> want = RpmFixtures.expected(dir);
        assertThat(want).hasSize(count);
        assertThat(r.warnings()).isEmpty();
        List<Package> got = r.packages();
        assertThat(got).hasSize(want.size());
        for (int i = 0; i < want.size(); i++) {
            RpmFixtures.Expected e = want.get(i);
            Package p = got.get(i);
            String at = dir + " #" + i + " " + e.nevra();
            assertThat(p.name()).as(at).isEqualTo(e.name());
            assertThat(p.version()).as(at + " version is rpm's %{EVR}").isEqualTo(e.evr());
            assertThat(p.version()).as(at).isEqualTo((e.epoch().equals("(none)") ? "" : e.epoch() + ":") + e.version()
                    + "-" + e.release());
            assertThat(printed(p.arch())).as(at).isEqualTo(e.arch());
            assertThat(p.type()).isEqualTo(PackageType.RPM);
            assertThat(printed(p.metadata().get("sourceRpm"))).as(at).isEqualTo(e.sourceRpm());
            assertThat(printed(p.licenses().isEmpty() ? null : String.join(" ", p.licenses()))).as(at).isEqualTo(e.license());
            assertThat(p.licenses()).hasSizeLessThanOrEqualTo(1);
            assertThat(printed(p.metadata().get("vendor"))).as(at).isEqualTo(e.vendor());
            assertThat(printed(p.metadata().get("sigmd5"))).as(at).isEqualTo(e.sigmd5());
            assertThat(printed(p.metadata().get("modularitylabel"))).as(at).isEqualTo(e.modularityLabel());
            assertThat(p.path()).isEqualTo("/var/lib/rpm/" + format.fileName);
            assertThat(p.layer()).isNull();
            assertThat(p.purl()).isNull();
            if (!e.sourceRpm().endsWith(".src.rpm")) {
                assertThat(p.sourceName()).as(at).isNull();
                assertThat(p.sourceVersion()).as(at).isNull();
            } else {
                // name-version-release.src.rpm, with the package's epoch on the version
                String src = e.sourceRpm().replaceFirst("\\.src\\.rpm$", "");
                assertThat(p.sourceName() + "-" + p.sourceVersion().replaceFirst("^\\d+:", "")).as(at).isEqualTo(src);
                assertThat(p.sourceVersion()).as(at).startsWith(e.epoch().equals("(none)") ? "" : e.epoch() + ":");
                assertThat(p.sourceVersion().matches("^\\d+:.*")).as(at).isEqualTo(!e.epoch().equals("(none)"));
            }
        }
    }

    static Stream<Arguments> fileListFixtures() {
        return Stream.of(
                Arguments.of("built-sqlite", "rpmdb.sqlite", RpmAnalyzer.Format.SQLITE, "rpm-ql.tsv"),
                Arguments.of("built-bdb", "Packages", RpmAnalyzer.Format.BDB, "rpm-ql.tsv"),
                Arguments.of("built-bdb-bigendian", "Packages", RpmAnalyzer.Format.BDB, "rpm-ql.tsv"),
                Arguments.of("built-ndb", "Packages.db", RpmAnalyzer.Format.NDB, "rpm-ql.tsv"),
                Arguments.of("rhel8-libuuid-bdb", "Packages", RpmAnalyzer.Format.BDB, "rpm-ql.tsv"),
                Arguments.of("mariner-sqlite", "rpmdb.sqlite.gz", RpmAnalyzer.Format.SQLITE, "rpm-ql.tsv.gz"),
                Arguments.of("mariner-bdb", "Packages.gz", RpmAnalyzer.Format.BDB, "rpm-ql.tsv.gz"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileListFixtures")
    void fileListsEqualRpm(String dir, String file, RpmAnalyzer.Format format, String ql) throws IOException {
        Map<String, List<String>> want = new LinkedHashMap<>();
        for (String l : RpmFixtures.lines(dir + "/" + ql)) {
            int tab = l.indexOf('\t');
            want.computeIfAbsent(l.substring(0, tab), k -> new ArrayList<>()).add(l.substring(tab + 1));
        }
        Map<String, List<String>> got = new LinkedHashMap<>();
        for (Package p : read(dir, file, format).packages()) {
            List<String> files = new ArrayList<>();
            p.files().forEach(f -> files.add("/" + f));
            if (!files.isEmpty()) {
                got.put(p.name() + "-" + p.version() + "." + (p.arch() == null ? "(none)" : p.arch()), files);
            }
        }
        assertThat(got).isEqualTo(want);
        assertThat(got).isNotEmpty();
    }

    @Test
    void builtPackagesCarryWhatTheirSpecsSay() throws IOException {
        Map<String, Package> byName = new LinkedHashMap<>();
        for (Package p : read("built-sqlite", "rpmdb.sqlite", RpmAnalyzer.Format.SQLITE).packages()) {
            byName.put(p.name() + "-" + p.version(), p);
        }
        Package hello = byName.get("hello-dockaudit-1.2.3-1");
        assertThat(hello.files()).containsExactly("etc/hello-dockaudit.conf", "usr/bin/hello-dockaudit",
                "usr/share/doc/hello-dockaudit/README", "usr/share/hello-dockaudit",
                "usr/share/hello-dockaudit/café.txt", "usr/share/hello-dockaudit/empty",
                "usr/share/hello-dockaudit/with space.txt");
        assertThat(hello.licenses()).containsExactly("MIT");
        assertThat(hello.sourceName()).isEqualTo("hello-dockaudit");
        assertThat(hello.sourceVersion()).isEqualTo("1.2.3-1");

        Package ssl = byName.get("openssl-fake-1:1.0.2k-19.el7");
        assertThat(ssl.arch()).isEqualTo("x86_64");
        assertThat(ssl.sourceName()).isEqualTo("openssl-fake");
        assertThat(ssl.sourceVersion()).isEqualTo("1:1.0.2k-19.el7");
        assertThat(ssl.metadata()).containsEntry("vendor", "CentOS");

        Package libs = byName.get("toolkit-libs-2.5-3.fc39");
        assertThat(libs.sourceName()).isEqualTo("toolkit");
        assertThat(libs.sourceVersion()).isEqualTo("2.5-3.fc39");
        assertThat(libs.metadata()).containsEntry("vendor", "Tëst Vendör");
        assertThat(libs.files()).containsExactly("usr/lib64/toolkit", "usr/lib64/toolkit/libtoolkit.so.2");

        Package nofiles = byName.get("nofiles-0:0.1-0");
        assertThat(nofiles.files()).isEmpty();
        assertThat(nofiles.sourceVersion()).isEqualTo("0:0.1-0");
        assertThat(nofiles.metadata()).doesNotContainKey("vendor");

        assertThat(byName.get("modperl-5.30.1-452.module+el8.3.0+6961+31ca2d7a").metadata())
                .containsEntry("modularitylabel", "perl:5.30:8030020200101000000:a3f2b1c4");
        assertThat(byName).containsKeys("multiver-1.0-1", "multiver-2.0-1");

        Package key = byName.values().stream().filter(p -> p.name().equals("gpg-pubkey")).findFirst().orElseThrow();
        assertThat(key.arch()).isNull();
        assertThat(key.sourceName()).isNull();
        assertThat(key.licenses()).containsExactly("pubkey");
    }

    @Test
    void realRhel8PackageMatchesItsExpectedAnswer() throws IOException {
        Package p = read("rhel8-libuuid-bdb", "Packages", RpmAnalyzer.Format.BDB).packages().get(0);
        assertThat(p.name()).isEqualTo("libuuid");
        assertThat(p.version()).isEqualTo("2.32.1-42.el8_8");
        assertThat(p.arch()).isEqualTo("x86_64");
        assertThat(p.sourceName()).isEqualTo("util-linux");
        assertThat(p.sourceVersion()).isEqualTo("2.32.1-42.el8_8");
        assertThat(p.licenses()).containsExactly("BSD");
        assertThat(p.metadata()).containsEntry("vendor", "Red Hat, Inc.")
                .containsEntry("sigmd5", "c1e561f13d39aee443a1f00258fba000");
    }
}
