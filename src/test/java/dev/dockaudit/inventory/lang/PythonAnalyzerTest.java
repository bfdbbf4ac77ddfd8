package dev.dockaudit.inventory.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.inventory.FileResult;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Real metadata from Debian's and pip's site-packages (see PROVENANCE.md). */
class PythonAnalyzerTest {
    private final PythonAnalyzer analyzer = new PythonAnalyzer();

    private Package run(String path, String fixture) throws IOException {
        FileResult r = LangFixtures.analyze(analyzer, LangFixtures.input(path, LangFixtures.resource("python/" + fixture)));
        assertThat(r.warnings()).isEmpty();
        assertThat(r.packages()).hasSize(1);
        Package p = r.packages().get(0);
        assertThat(p.type()).isEqualTo(PackageType.PYPI);
        assertThat(p.path()).isEqualTo("/" + path);
        return p;
    }

    @Test
    void distInfoWithLicenseField() throws IOException {
        Package p = run("usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA", "PyYAML-6.0.dist-info/METADATA");
        assertThat(p.name()).isEqualTo("PyYAML");
        assertThat(p.version()).isEqualTo("6.0");
        assertThat(p.purl()).isEqualTo("pkg:pypi/pyyaml@6.0");
        assertThat(p.licenses()).containsExactly("MIT");
    }

    @Test
    void eggInfoDirectoryWithADottedNameIsNormalisedInThePurl() throws IOException {
        Package p = run("usr/lib/python3/dist-packages/lazr.restfulclient-0.14.5.egg-info/PKG-INFO",
                "lazr.restfulclient-0.14.5.egg-info/PKG-INFO");
        assertThat(p.name()).isEqualTo("lazr.restfulclient");
        assertThat(p.purl()).isEqualTo("pkg:pypi/lazr-restfulclient@0.14.5");
        assertThat(p.licenses()).containsExactly("LGPL v3");
    }

    @Test
    void licenseExpressionWins() throws IOException {
        Package p = run("opt/venv/lib/python3.11/site-packages/attrs-26.1.0.dist-info/METADATA",
                "attrs-26.1.0.dist-info/METADATA");
        assertThat(p.purl()).isEqualTo("pkg:pypi/attrs@26.1.0");
        assertThat(p.licenses()).containsExactly("MIT");
        assertThat(p.metadata()).containsEntry("metadataVersion", "2.4");
    }

    @Test
    void classifierLicenceWhenNoField() throws IOException {
        Package p = run("usr/local/lib/python3.11/site-packages/blinker-1.9.0.dist-info/METADATA",
                "blinker-1.9.0.dist-info/METADATA");
        assertThat(p.licenses()).containsExactly("MIT License");
    }

    @Test
    void singleFileEggInfo() throws IOException {
        Package p = run("usr/lib/python2.7/wsgiref.egg-info", "wsgiref.egg-info");
        assertThat(p.name()).isEqualTo("wsgiref");
        assertThat(p.version()).isEqualTo("0.1.2");
        assertThat(p.purl()).isEqualTo("pkg:pypi/wsgiref@0.1.2");
        assertThat(p.licenses()).containsExactly("PSF or ZPL");
    }

    @Test
    void truncatedMetadataGivesAWarning() throws IOException {
        byte[] real = LangFixtures.resource("python/PyYAML-6.0.dist-info/METADATA");
        FileResult r = analyzer.analyze(LangFixtures.input("x/PyYAML-6.0.dist-info/METADATA", Arrays.copyOf(real, 30)));
        assertThat(r.packages()).isEmpty();
        assertThat(r.warnings()).singleElement().asString().contains("no Name and Version");
        r = analyzer.analyze(LangFixtures.input("x/y.dist-info/METADATA", new byte[] {0, 1, 2, (byte) 0xff}));
        assertThat(r.packages()).isEmpty();
    }

    @Test
    void pep503() {
        assertThat(PythonAnalyzer.normalise("Foo.Bar__baz-Qux")).isEqualTo("foo-bar-baz-qux");
    }

    @Test
    void wantsMetadataFilesOnly() {
        assertThat(analyzer.wants(LangFixtures.file("a/b-1.dist-info/METADATA", 10, 0644))).isTrue();
        assertThat(analyzer.wants(LangFixtures.file("a/b-1.egg-info/PKG-INFO", 10, 0644))).isTrue();
        assertThat(analyzer.wants(LangFixtures.file("a/b-1.egg-info", 10, 0644))).isTrue();
        assertThat(analyzer.wants(LangFixtures.file("a/b-1.dist-info/RECORD", 10, 0644))).isFalse();
        assertThat(analyzer.wants(LangFixtures.file("a/METADATA", 10, 0644))).isFalse();
        assertThat(analyzer.wants(LangFixtures.file("a/b-1.dist-info/METADATA", PythonAnalyzer.MAX_FILE + 1, 0644))).isFalse();
    }
}
