package dev.dockaudit.inventory.pkg.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.image.layer.LayerVisitor;
import dev.dockaudit.inventory.AnalyzerInput;
import dev.dockaudit.inventory.Analyzers;
import dev.dockaudit.inventory.FileResult;
import dev.dockaudit.inventory.Inventory;
import dev.dockaudit.inventory.InventoryVisitor;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.util.TempFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analyzer as the inventory uses it: which files it takes, and what a layer pass makes of them. */
class RpmAnalyzerTest {
    @TempDir
    Path tmp;
    TempFiles temp;

    @BeforeEach
    void temp() throws IOException {
        temp = new TempFiles();
    }

    @AfterEach
    void close() {
        temp.close();
    }

    private static LayerFile file(String path, long size) {
        return new LayerFile(path, LayerFile.Type.FILE, size, 0644, 0, 0, null, 0);
    }

    /** Content read from a file, as the layer pass hands it over. */
    private static LayerVisitor.ContentReader content(Path p) {
        return new LayerVisitor.ContentReader() {
            @Override
            public byte[] read(int maxBytes) throws IOException {
                try (InputStream in = Files.newInputStream(p)) {
                    return in.readNBytes(maxBytes);
                }
            }

            @Override
            public InputStream stream() throws IOException {
                return Files.newInputStream(p);
            }
        };
    }

    @Test
    void wantsTheThreeDatabasesInBothPlaces() {
        RpmAnalyzer a = new RpmAnalyzer();
        for (String p : List.of("var/lib/rpm/Packages", "var/lib/rpm/rpmdb.sqlite", "var/lib/rpm/Packages.db",
                "usr/lib/sysimage/rpm/Packages", "usr/lib/sysimage/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/Packages.db")) {
            assertThat(a.wants(file(p, 10))).as(p).isTrue();
        }
        for (String p : List.of("var/lib/rpm/Name", "var/lib/rpm/Basenames", "var/lib/rpm/Index.db",
                "var/lib/rpm/rpmdb.sqlite-wal", "var/lib/rpm/rpmdb.sqlite-shm", "var/lib/rpm/.rpm.lock",
                "var/lib/rpmx/Packages", "opt/var/lib/rpm/Packages", "var/lib/rpm/sub/Packages", "Packages",
                "var/lib/dpkg/status")) {
            assertThat(a.wants(file(p, 10))).as(p).isFalse();
        }
        // Fedora's /var/lib/rpm is a symlink to /usr/lib/sysimage/rpm: only the real file is read
        assertThat(a.wants(new LayerFile("var/lib/rpm/rpmdb.sqlite", LayerFile.Type.SYMLINK, 0, 0777, 0, 0,
                "../../../usr/lib/sysimage/rpm/rpmdb.sqlite", 0))).isFalse();
        assertThat(a.isDatabase()).isTrue();
        assertThat(a.name()).isEqualTo("rpm");
        assertThat(Analyzers.all()).anyMatch(x -> x instanceof RpmAnalyzer);
    }

    @Test
    void analyzesASpooledCopyAndDeletesIt() throws IOException {
        Path db = RpmFixtures.copy("built-ndb/Packages.db", tmp, "Packages.db");
        LayerFile f = file("usr/lib/sysimage/rpm/Packages.db", Files.size(db));
        FileResult r = new RpmAnalyzer().analyze(new AnalyzerInput(f, content(db), temp));
        assertThat(r.packages()).hasSize(8);
        assertThat(r.packages()).allSatisfy(p -> assertThat(p.path()).isEqualTo("/usr/lib/sysimage/rpm/Packages.db"));
        try (Stream<Path> s = Files.list(temp.dir())) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void aBrokenDatabaseBecomesAWarningNamingTheFile() throws IOException {
        Path junk = tmp.resolve("junk");
        Files.writeString(junk, "not a database\n".repeat(100), StandardCharsets.US_ASCII);
        InventoryVisitor v = new InventoryVisitor(Analyzers.all(), temp);
        LayerFile f = file("var/lib/rpm/Packages", Files.size(junk));
        assertThat(v.wantsContent(f)).isTrue();
        v.visit(f, content(junk));
        assertThat(v.results()).isEmpty();
        assertThat(v.warnings()).singleElement().asString()
                .startsWith("rpm: could not read /var/lib/rpm/Packages: ")
                .contains("not a Berkeley DB hash database");
    }

    @Test
    void eachPackageCarriesTheLayerThatInstalledIt() throws Exception {
        // layer 0: the database without multiver-2.0 and the gpg-pubkey; layer 1: rpm rewrote it with them
        Path before = RpmFixtures.copy("built-sqlite/rpmdb.sqlite", tmp, "before.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + before); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("DELETE FROM Packages WHERE hnum IN (8, 9)")).isEqualTo(2);
        }
        for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
            Files.deleteIfExists(Path.of(before + suffix));
        }
        Path after = RpmFixtures.copy("built-sqlite/rpmdb.sqlite", tmp, "after.sqlite");
        String path = "var/lib/rpm/rpmdb.sqlite";
        Inventory.LayerInput l0 = layer("sha256:aaaa", path, before, "layer 0");
        Inventory.LayerInput l1 = layer("sha256:bbbb", path, after, "layer 1");
        Inventory inv = Inventory.build(List.of(l0, l1));
        assertThat(inv.warnings()).isEmpty();
        Map<String, String> layers = inv.packages().stream()
                .collect(Collectors.toMap(p -> p.name() + "-" + p.version(), Package::layer));
        assertThat(layers).hasSize(9);
        assertThat(layers).containsEntry("multiver-2.0-1", "sha256:bbbb").containsEntry("multiver-1.0-1", "sha256:aaaa")
                .containsEntry("openssl-fake-1:1.0.2k-19.el7", "sha256:aaaa");
        assertThat(layers.entrySet().stream().filter(e -> e.getKey().startsWith("gpg-pubkey")).map(Map.Entry::getValue))
                .containsExactly("sha256:bbbb");
        assertThat(inv.packages()).allSatisfy(p -> assertThat(p.purl()).startsWith("pkg:rpm/"));
    }

    private Inventory.LayerInput layer(String diffId, String path, Path db, String label) throws IOException {
        InventoryVisitor v = new InventoryVisitor(Analyzers.all(), temp);
        LayerFile f = file(path, Files.size(db));
        assertThat(v.wantsContent(f)).isTrue();
        v.visit(f, content(db));
        return new Inventory.LayerInput(diffId, List.of(
                new LayerFile("var", LayerFile.Type.DIR, 0, 0755, 0, 0, null, 0),
                new LayerFile("var/lib", LayerFile.Type.DIR, 0, 0755, 0, 0, null, 0),
                new LayerFile("var/lib/rpm", LayerFile.Type.DIR, 0, 0755, 0, 0, null, 0), f), v);
    }

    @Test
    void sourceRpmNamesAreSplitFromTheRight() {
        assertThat(RpmAnalyzer.splitSourceRpm("util-linux-2.32.1-42.el8_8.src.rpm"))
                .containsExactly("util-linux", "2.32.1", "42.el8_8");
        assertThat(RpmAnalyzer.splitSourceRpm("kernel-5.14.0-70.13.1.el9_0.nosrc.rpm"))
                .containsExactly("kernel", "5.14.0", "70.13.1.el9_0");
        assertThat(RpmAnalyzer.splitSourceRpm("(none)")).isNull();
        assertThat(RpmAnalyzer.splitSourceRpm("nodashes.src.rpm")).isNull();
        assertThat(RpmAnalyzer.splitSourceRpm("one-dash.src.rpm")).isNull();
        assertThat(RpmAnalyzer.splitSourceRpm(null)).isNull();
        assertThat(RpmAnalyzer.evr(null, "1.0", "1")).isEqualTo("1.0-1");
        assertThat(RpmAnalyzer.evr(0L, "1.0", "1")).isEqualTo("0:1.0-1");
        assertThat(RpmAnalyzer.evr(2L, "1.0", null)).isEqualTo("2:1.0");
    }
}
