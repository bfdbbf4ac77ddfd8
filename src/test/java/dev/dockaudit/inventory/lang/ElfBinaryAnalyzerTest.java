package dev.dockaudit.inventory.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dockaudit.inventory.FileResult;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Go build info and cargo-auditable data, from real binaries (see src/test/resources/lang/PROVENANCE.md). */
class ElfBinaryAnalyzerTest {
    private final ElfBinaryAnalyzer analyzer = new ElfBinaryAnalyzer();

    @Test
    void goModulesReplacementsAndStdlibFromARealGo119Binary() throws IOException {
        Path bin = LangFixtures.gunzip("go/gofixture-go1.19.8-linux-amd64.gz");
        FileResult r = LangFixtures.analyze(analyzer, LangFixtures.input("usr/local/bin/gofixture", bin, 0755));
        assertThat(r.warnings()).isEmpty();
        List<Package> ps = r.packages();
        // what `go version -m` prints for this file
        assertThat(ps).extracting(Package::name, Package::version).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("example.com/dockaudit/gofixture", "(devel)"),
                org.assertj.core.groups.Tuple.tuple("example.com/dockaudit/local", "v0.0.0"),
                org.assertj.core.groups.Tuple.tuple("github.com/google/uuid", "v1.3.0"),
                org.assertj.core.groups.Tuple.tuple("github.com/pkg/errors", "v0.9.1"),
                org.assertj.core.groups.Tuple.tuple("stdlib", "1.19.8"));
        assertThat(ps).allSatisfy(p -> {
            assertThat(p.type()).isEqualTo(PackageType.GOLANG);
            assertThat(p.path()).isEqualTo("/usr/local/bin/gofixture");
            assertThat(p.metadata()).containsEntry("goVersion", "go1.19.8")
                    .containsEntry("mainModule", "example.com/dockaudit/gofixture");
        });
        Package main = LangFixtures.only(ps, "example.com/dockaudit/gofixture");
        assertThat(main.purl()).isEqualTo("pkg:golang/example.com/dockaudit/gofixture");
        assertThat(main.metadata()).containsEntry("main", "true").containsEntry("mainPackage", "example.com/dockaudit/gofixture");
        Package uuid = LangFixtures.only(ps, "github.com/google/uuid");
        assertThat(uuid.purl()).isEqualTo("pkg:golang/github.com/google/uuid@v1.3.0");
        assertThat(uuid.metadata()).containsEntry("replaces", "github.com/google/uuid@v1.2.0");
        assertThat(LangFixtures.only(ps, "example.com/dockaudit/local").metadata()).containsEntry("replacedBy", "./local");
        assertThat(LangFixtures.only(ps, "github.com/pkg/errors").purl()).isEqualTo("pkg:golang/github.com/pkg/errors@v0.9.1");
        assertThat(LangFixtures.only(ps, "stdlib").purl()).isEqualTo("pkg:golang/stdlib@1.19.8");
    }

    @Test
    void pointerFormatBuildInfoOfGo116AndGo117() throws IOException {
        // real esbuild binaries with everything but the build-info bytes zeroed; `go version -m` reads them as the originals
        for (String[] c : new String[][] {
                {"go/esbuild-0.8.57-go1.16-buildinfo-only.gz", "go1.16", "1.16.0", "v0.0.0-20200501145240-bc7a7d42d5c3"},
                {"go/esbuild-0.13.15-go1.17.2-buildinfo-only.gz", "go1.17.2", "1.17.2", "v0.0.0-20210908233432-aa78b53d3365"}}) {
            Path bin = LangFixtures.gunzip(c[0]);
            FileResult r = LangFixtures.analyze(analyzer, LangFixtures.input("node_modules/esbuild-linux-64/bin/esbuild", bin, 0755));
            assertThat(r.warnings()).as(c[0]).isEmpty();
            assertThat(r.packages()).extracting(Package::name, Package::version).as(c[0]).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("github.com/evanw/esbuild", "(devel)"),
                    org.assertj.core.groups.Tuple.tuple("golang.org/x/sys", c[3]),
                    org.assertj.core.groups.Tuple.tuple("stdlib", c[2]));
            assertThat(r.packages()).allSatisfy(p -> assertThat(p.metadata()).containsEntry("goVersion", c[1])
                    .containsEntry("mainPackage", "github.com/evanw/esbuild/cmd/esbuild"));
            assertThat(LangFixtures.only(r.packages(), "golang.org/x/sys").purl()).isEqualTo("pkg:golang/golang.org/x/sys@" + c[3]);
        }
    }

    @Test
    void goBinariesInstalledOnThisMachineWhenPresent() throws IOException {
        // Real, big Go binaries: Debian's GOPATH-mode builds (path only, no modules), a PIE externally linked
        // docker CLI, and terraform with many modules. Structural facts only, so newer builds still pass.
        int seen = 0;
        for (String p : new String[] {"/usr/bin/docker-registry", "/usr/bin/podman", "/usr/bin/skopeo",
                "/usr/local/bin/docker", "/usr/local/bin/terraform"}) {
            Path bin = Path.of(p);
            if (!Files.isRegularFile(bin)) {
                continue;
            }
            seen++;
            FileResult r = analyzer.analyze(LangFixtures.input(p.substring(1), bin, 0755));
            assertThat(r.warnings()).as(p).isEmpty();
            Package std = LangFixtures.only(r.packages(), "stdlib");
            assertThat(std.metadata().get("goVersion")).as(p).startsWith("go1.");
            assertThat(std.metadata().get("mainPackage")).as(p).startsWith("github.com/");
            if (p.endsWith("terraform")) {
                assertThat(r.packages().size()).isGreaterThan(50);
                assertThat(r.packages()).anySatisfy(q -> assertThat(q.name()).isEqualTo("github.com/hashicorp/terraform"));
                assertThat(r.packages()).allSatisfy(q -> assertThat(q.purl()).startsWith("pkg:golang/"));
            }
        }
        assumeTrue(seen > 0, "no Go binaries installed here");
    }

    @Test
    void rustBinaryWithCargoAuditableData() throws IOException {
        Path bin = LangFixtures.gunzip("rust/rustfixture-auditable-linux-amd64.gz");
        FileResult r = LangFixtures.analyze(analyzer, LangFixtures.input("usr/bin/rustfixture", bin, 0755));
        assertThat(r.warnings()).isEmpty();
        // autocfg is a build dependency: not in the binary
        assertThat(r.packages()).extracting(Package::name, Package::version, Package::purl).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("cfg-if", "1.0.0", "pkg:cargo/cfg-if@1.0.0"),
                org.assertj.core.groups.Tuple.tuple("itoa", "1.0.1", "pkg:cargo/itoa@1.0.1"),
                org.assertj.core.groups.Tuple.tuple("rustfixture", "0.1.0", "pkg:cargo/rustfixture@0.1.0"));
        assertThat(LangFixtures.only(r.packages(), "rustfixture").metadata()).containsEntry("root", "true")
                .containsEntry("source", "local");
        assertThat(LangFixtures.only(r.packages(), "itoa").metadata()).containsEntry("source", "crates.io");
        assertThat(r.packages()).allSatisfy(p -> assertThat(p.type()).isEqualTo(PackageType.CARGO));
    }

    @Test
    void anElfWithoutBuildInfoHasNoPackages() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assumeTrue(Files.isRegularFile(java));
        FileResult r = LangFixtures.analyze(analyzer, LangFixtures.input("usr/bin/java", java, 0755));
        assertThat(r.packages()).isEmpty();
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void somethingThatLooksLikeGoButIsNotGivesNoPackagesAndNoCrash() throws IOException {
        byte[] magic = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
        // 1. a shell script that mentions the magic
        byte[] script = ("#!/bin/sh\n# pretends to be a Go binary, which it is not, to test the binary analyzer\n"
                + "echo '" + new String(magic, StandardCharsets.ISO_8859_1) + "'\n").getBytes(StandardCharsets.ISO_8859_1);
        FileResult r = LangFixtures.analyze(analyzer, LangFixtures.input("usr/bin/fake", script.length, 0755,
                () -> new ByteArrayInputStream(script)));
        assertThat(r.packages()).isEmpty();
        // 2. a real Go binary's header with its build info overwritten by garbage after the magic
        byte[] go = Files.readAllBytes(LangFixtures.gunzip("go/gofixture-go1.19.8-linux-amd64.gz"));
        int at = indexOf(go, magic);
        byte[] corrupt = go.clone();
        Random rnd = new Random(1);
        for (int i = at + 14; i < at + 4096; i++) {
            corrupt[i] = (byte) rnd.nextInt();
        }
        r = analyzer.analyze(LangFixtures.input("usr/bin/corrupt", corrupt.length, 0755, () -> new ByteArrayInputStream(corrupt)));
        assertThat(r.packages()).isEmpty();
        assertThat(r.warnings()).isNotEmpty();
        // 3. a varint length pointing far past the end (inline flag set, length 2^40)
        byte[] huge = go.clone();
        huge[at + 15] = 2;
        byte[] len = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x20};
        System.arraycopy(len, 0, huge, at + 32, len.length);
        r = analyzer.analyze(LangFixtures.input("usr/bin/huge", huge.length, 0755, () -> new ByteArrayInputStream(huge)));
        assertThat(r.packages()).isEmpty();
        // 4. truncated in the middle of the module text
        byte[] cut = Arrays.copyOf(go, at + 100);
        r = analyzer.analyze(LangFixtures.input("usr/bin/cut", cut.length, 0755, () -> new ByteArrayInputStream(cut)));
        assertThat(r.packages()).isEmpty();
        assertThat(r.warnings()).singleElement().asString().contains("cut short");
        // 5. random bytes behind a valid ELF header, and an ELF header alone
        byte[] noise = new byte[300_000];
        rnd.nextBytes(noise);
        System.arraycopy(go, 0, noise, 0, 4096);
        r = analyzer.analyze(LangFixtures.input("usr/bin/noise", noise.length, 0755, () -> new ByteArrayInputStream(noise)));
        assertThat(r.packages()).isEmpty();
        byte[] headerOnly = Arrays.copyOf(go, 64);
        r = analyzer.analyze(LangFixtures.input("usr/bin/h", headerOnly.length, 0755, () -> new ByteArrayInputStream(headerOnly)));
        assertThat(r.packages()).isEmpty();
    }

    @Test
    void corruptCargoAuditableDataIsIgnored() throws IOException {
        byte[] rust = Files.readAllBytes(LangFixtures.gunzip("rust/rustfixture-auditable-linux-amd64.gz"));
        // the zlib stream starts after the loaded segments; flip bytes in its middle
        int start = -1;
        for (int i = 0x40000; i < rust.length - 1; i++) {
            if (rust[i] == 0x78 && (rust[i + 1] & 0xff) == 0xda) {
                start = i;
                break;
            }
        }
        assertThat(start).isPositive();
        byte[] bad = rust.clone();
        for (int i = start + 20; i < start + 60; i++) {
            bad[i] ^= 0x5a;
        }
        FileResult r = analyzer.analyze(LangFixtures.input("usr/bin/bad", bad.length, 0755, () -> new ByteArrayInputStream(bad)));
        assertThat(r.packages()).isEmpty();
    }

    @Test
    void wantsOnlyExecutablesWithinTheSizeLimit() {
        assertThat(analyzer.wants(LangFixtures.file("usr/bin/x", 1 << 20, 0755))).isTrue();
        assertThat(analyzer.wants(LangFixtures.file("usr/lib/libx.so", 1 << 20, 0644))).isFalse();
        assertThat(analyzer.wants(LangFixtures.file("usr/bin/huge", ElfBinaryAnalyzer.MAX_FILE + 1, 0755))).isFalse();
        assertThat(analyzer.wants(LangFixtures.file("usr/bin/tiny", 10, 0755))).isFalse();
    }

    @Test
    void stdlibVersionsAreSpelledAsTheGoVulnerabilityDatabaseDoes() {
        assertThat(GoBuildInfo.stdlibVersion("go1.19.8")).isEqualTo("1.19.8");
        assertThat(GoBuildInfo.stdlibVersion("go1.20")).isEqualTo("1.20.0");
        assertThat(GoBuildInfo.stdlibVersion("go1.22rc1")).isEqualTo("1.22.0-rc.1");
        assertThat(GoBuildInfo.stdlibVersion("go1.21.0 X:boringcrypto")).isEqualTo("1.21.0");
        assertThat(GoBuildInfo.stdlibVersion("devel +abc")).isNull();
    }

    @Test
    void streamsTheFileAndReadsItOnlyOnce() throws IOException {
        Path bin = LangFixtures.gunzip("go/gofixture-go1.19.8-linux-amd64.gz");
        long[] read = {0};
        InputStream counting = new java.io.FilterInputStream(Files.newInputStream(bin)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                read[0] += Math.max(n, 0);
                return n;
            }
        };
        FileResult r = analyzer.analyze(LangFixtures.input("usr/bin/g", Files.size(bin), 0755, () -> counting));
        assertThat(r.packages()).isNotEmpty();
        assertThat(read[0]).isLessThanOrEqualTo(Files.size(bin));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            if (i % 16 == 0) {
                return i;
            }
        }
        return -1;
    }
}
