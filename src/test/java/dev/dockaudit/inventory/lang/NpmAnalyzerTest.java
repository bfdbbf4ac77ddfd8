package dev.dockaudit.inventory.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.inventory.FileResult;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real package.json files from npm packs (see PROVENANCE.md). */
class NpmAnalyzerTest {
    private final NpmAnalyzer analyzer = new NpmAnalyzer();

    private FileResult run(String path, String fixture) throws IOException {
        return LangFixtures.analyze(analyzer, LangFixtures.input(path, LangFixtures.resource("npm/" + fixture)));
    }

    @Test
    void plainPackage() throws IOException {
        FileResult r = run("usr/src/app/node_modules/ms/package.json", "ms-2.1.3.package.json");
        assertThat(r.warnings()).isEmpty();
        Package p = r.packages().get(0);
        assertThat(p.name()).isEqualTo("ms");
        assertThat(p.version()).isEqualTo("2.1.3");
        assertThat(p.type()).isEqualTo(PackageType.NPM);
        assertThat(p.purl()).isEqualTo("pkg:npm/ms@2.1.3");
        assertThat(p.licenses()).containsExactly("MIT");
        assertThat(p.path()).isEqualTo("/usr/src/app/node_modules/ms/package.json");
    }

    @Test
    void scopedPackageHasAPercentEncodedNamespace() throws IOException {
        FileResult r = run("app/node_modules/@sindresorhus/is/package.json", "sindresorhus-is-4.6.0.package.json");
        Package p = r.packages().get(0);
        assertThat(p.name()).isEqualTo("@sindresorhus/is");
        assertThat(p.purl()).isEqualTo("pkg:npm/%40sindresorhus/is@4.6.0");
        assertThat(p.licenses()).containsExactly("MIT");
    }

    @Test
    void legacyLicenceForms() throws IOException {
        assertThat(run("app/node_modules/json-schema/package.json", "json-schema-0.2.3.package.json").packages().get(0)
                .licenses()).containsExactly("AFLv2.1", "BSD");
        assertThat(run("app/node_modules/a/node_modules/pause-stream/package.json", "pause-stream-0.0.11.package.json")
                .packages().get(0).licenses()).containsExactly("MIT", "Apache2");
    }

    @Test
    void onlyPackageRootsUnderNodeModules() {
        assertThat(analyzer.wants(LangFixtures.file("app/node_modules/ms/package.json", 700, 0644))).isTrue();
        assertThat(analyzer.wants(LangFixtures.file("node_modules/@types/node/package.json", 700, 0644))).isTrue();
        assertThat(analyzer.wants(LangFixtures.file(
                "app/node_modules/.pnpm/ms@2.1.3/node_modules/ms/package.json", 700, 0644))).isTrue();
        assertThat(analyzer.wants(LangFixtures.file("usr/lib/node_modules/npm/package.json", 700, 0644))).isTrue();
        // the application's own manifest, sub-folder markers, Debian's node packages, pnpm's store folder
        assertThat(analyzer.wants(LangFixtures.file("usr/src/app/package.json", 700, 0644))).isFalse();
        assertThat(analyzer.wants(LangFixtures.file("app/node_modules/x/dist/esm/package.json", 20, 0644))).isFalse();
        assertThat(analyzer.wants(LangFixtures.file("usr/share/nodejs/ms/package.json", 700, 0644))).isFalse();
        assertThat(analyzer.wants(LangFixtures.file("app/node_modules/.pnpm/package.json", 700, 0644))).isFalse();
        assertThat(analyzer.wants(LangFixtures.file("app/node_modules/ms/package.json", NpmAnalyzer.MAX_FILE + 1, 0644))).isFalse();
    }

    @Test
    void truncatedOrOddManifestsGiveAWarningOrNothing() throws IOException {
        byte[] real = LangFixtures.resource("npm/ms-2.1.3.package.json");
        byte[] cut = Arrays.copyOf(real, real.length / 2);
        FileResult r = analyzer.analyze(LangFixtures.input("app/node_modules/ms/package.json", cut));
        assertThat(r.packages()).isEmpty();
        assertThat(r.warnings()).singleElement().asString().contains("not valid JSON");
        for (String odd : List.of("[]", "{\"name\": \"x\"}", "{\"name\": 1, \"version\": {}}", "", "null")) {
            r = analyzer.analyze(LangFixtures.input("app/node_modules/x/package.json", odd.getBytes()));
            assertThat(r.packages()).as(odd).isEmpty();
        }
    }
}
