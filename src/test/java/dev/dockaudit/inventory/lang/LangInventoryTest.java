package dev.dockaudit.inventory.lang;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import dev.dockaudit.image.layer.LayerScan;
import dev.dockaudit.image.layer.LayerScanner;
import dev.dockaudit.image.layer.LayerVisitor;
import dev.dockaudit.inventory.Analyzers;
import dev.dockaudit.inventory.FileAnalyzer;
import dev.dockaudit.inventory.Inventory;
import dev.dockaudit.inventory.InventoryVisitor;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/** The language analyzers inside the real layer pass: one layer tar holding a file of every kind. */
class LangInventoryTest {

    private static Map<String, Object[]> layerFiles() throws IOException {
        Map<String, Object[]> files = new LinkedHashMap<>();
        files.put("app/node_modules/ms/package.json", new Object[] {LangFixtures.resource("npm/ms-2.1.3.package.json"), 0644});
        files.put("usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA",
                new Object[] {LangFixtures.resource("python/PyYAML-6.0.dist-info/METADATA"), 0644});
        files.put("usr/share/rubygems-integration/all/specifications/rake-13.0.6.gemspec",
                new Object[] {LangFixtures.resource("ruby/rake-13.0.6.gemspec"), 0644});
        files.put("app/Web.deps.json", new Object[] {LangFixtures.resource("dotnet/Web.deps.json"), 0644});
        files.put("var/www/vendor/composer/installed.json", new Object[] {LangFixtures.resource("composer/installed-v2.json"), 0644});
        // an executable jar must reach the Java analyzer, not the binary one
        files.put("app/run.jar", new Object[] {Files.readAllBytes(JavaArchiveAnalyzerTest.jarOf(JsonFactory.class)), 0755});
        files.put("usr/local/bin/gofixture",
                new Object[] {Files.readAllBytes(LangFixtures.gunzip("go/gofixture-go1.19.8-linux-amd64.gz")), 0755});
        files.put("usr/bin/rustfixture",
                new Object[] {Files.readAllBytes(LangFixtures.gunzip("rust/rustfixture-auditable-linux-amd64.gz")), 0755});
        files.put("usr/src/app/package.json", new Object[] {LangFixtures.resource("npm/ms-2.1.3.package.json"), 0644});
        return files;
    }

    @Test
    void everyEcosystemThroughTheLayerPass() throws IOException {
        Map<String, Object[]> files = layerFiles();
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, Object[]> f : files.entrySet()) {
                byte[] data = (byte[]) f.getValue()[0];
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(data.length);
                e.setMode(0100000 | (int) f.getValue()[1]);
                out.putArchiveEntry(e);
                out.write(data);
                out.closeArchiveEntry();
            }
        }
        InventoryVisitor visitor = new InventoryVisitor(Analyzers.all(), LangFixtures.temp());
        LayerScanner scanner = new LayerScanner(true, () -> List.<LayerVisitor>of(visitor), 1L << 30, LayerScanner.ProgressListener.NONE);
        LayerScan scan = scanner.scan(new ByteArrayInputStream(tar.toByteArray()), "layer 1");
        assertThat(scan.error()).isNull();
        Inventory inv = Inventory.build(List.of(new Inventory.LayerInput("sha256:" + "ab".repeat(32), scan.files(), visitor)));
        assertThat(inv.warnings()).isEmpty();
        assertThat(inv.types()).isEqualTo(EnumSet.of(PackageType.MAVEN, PackageType.NPM, PackageType.PYPI, PackageType.GOLANG,
                PackageType.GEM, PackageType.CARGO, PackageType.NUGET, PackageType.COMPOSER));
        assertThat(inv.packages()).allSatisfy(p -> {
            assertThat(p.layer()).isEqualTo("sha256:" + "ab".repeat(32));
            assertThat(p.path()).startsWith("/");
            assertThat(p.arch()).isNull();
            assertThat(p.sourceName()).isNull();
        });
        // the application's own package.json is not an installed package
        assertThat(inv.packages()).filteredOn(p -> p.type() == PackageType.NPM).extracting(Package::path)
                .containsExactly("/app/node_modules/ms/package.json");
        assertThat(inv.packages()).filteredOn(p -> p.type() == PackageType.MAVEN).extracting(Package::path)
                .containsOnly("/app/run.jar");
    }

    @Test
    void noTwoAnalyzersWantTheSameFile() throws IOException {
        List<FileAnalyzer> all = Analyzers.all();
        for (Map.Entry<String, Object[]> f : layerFiles().entrySet()) {
            var file = LangFixtures.file(f.getKey(), ((byte[]) f.getValue()[0]).length, (int) f.getValue()[1]);
            List<String> wanting = all.stream().filter(a -> a.wants(file)).map(FileAnalyzer::name).toList();
            if (f.getKey().equals("app/run.jar")) {
                // executables go last: the Java analyzer comes first in the list and gets it
                assertThat(wanting).containsExactly("java", "binary");
            } else if (f.getKey().equals("usr/src/app/package.json")) {
                assertThat(wanting).isEmpty();
            } else {
                assertThat(wanting).as(f.getKey()).hasSize(1);
            }
        }
    }
}
