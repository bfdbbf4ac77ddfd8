package dev.dockaudit.inventory.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.dockaudit.inventory.FileResult;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Ruby gemspecs, .NET deps.json and Composer installed.json, from real files (see PROVENANCE.md). */
class LangSmallFormatsAnalyzerTest {

    @Test
    void gemspecs() throws IOException {
        RubyGemspecAnalyzer a = new RubyGemspecAnalyzer();
        FileResult r = LangFixtures.analyze(a, LangFixtures.input(
                "usr/share/rubygems-integration/all/specifications/rake-13.0.6.gemspec", LangFixtures.resource("ruby/rake-13.0.6.gemspec")));
        assertThat(r.warnings()).isEmpty();
        assertThat(r.packages()).extracting(Package::name, Package::version, Package::purl, Package::licenses, Package::type)
                .containsExactly(tuple("rake", "13.0.6", "pkg:gem/rake@13.0.6", java.util.List.of("MIT"), PackageType.GEM));
        r = LangFixtures.analyze(a, LangFixtures.input("usr/lib/ruby/gems/3.1.0/specifications/default/digest-3.1.0.gemspec",
                LangFixtures.resource("ruby/digest-3.1.0.gemspec")));
        Package digest = r.packages().get(0);
        assertThat(digest.purl()).isEqualTo("pkg:gem/digest@3.1.0");
        assertThat(digest.licenses()).containsExactly("Ruby", "BSD-2-Clause");
        assertThat(digest.metadata()).containsEntry("defaultGem", "true");
    }

    @Test
    void gemspecPlatformFromTheStubLineAndTruncatedFiles() throws IOException {
        RubyGemspecAnalyzer a = new RubyGemspecAnalyzer();
        // the stub line RubyGems writes for a platform gem (nokogiri-1.15.4-x86_64-linux.gemspec)
        String stub = "# -*- encoding: utf-8 -*-\n# stub: nokogiri 1.15.4 x86_64-linux lib\n";
        FileResult r = a.analyze(LangFixtures.input("usr/local/bundle/specifications/nokogiri-1.15.4-x86_64-linux.gemspec",
                stub.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.packages()).extracting(Package::name, Package::version, Package::purl)
                .containsExactly(tuple("nokogiri", "1.15.4", "pkg:gem/nokogiri@1.15.4?platform=x86_64-linux"));
        byte[] rake = LangFixtures.resource("ruby/rake-13.0.6.gemspec");
        r = a.analyze(LangFixtures.input("specifications/rake-13.0.6.gemspec", Arrays.copyOf(rake, 20)));
        assertThat(r.packages()).isEmpty();
        assertThat(r.warnings()).singleElement().asString().contains("no gem name and version");
        assertThat(a.wants(LangFixtures.file("usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec", 10, 0644))).isTrue();
        assertThat(a.wants(LangFixtures.file("src/app/myapp.gemspec", 10, 0644))).isFalse();
        assertThat(a.wants(LangFixtures.file("specifications/x-1.gemspec", RubyGemspecAnalyzer.MAX_FILE + 1, 0644))).isFalse();
    }

    @Test
    void dotnetDepsJsonKeepsNuGetPackagesOnly() throws IOException {
        DotnetDepsAnalyzer a = new DotnetDepsAnalyzer();
        FileResult r = LangFixtures.analyze(a, LangFixtures.input("app/Web.deps.json", LangFixtures.resource("dotnet/Web.deps.json")));
        assertThat(r.warnings()).isEmpty();
        assertThat(r.packages()).extracting(Package::name, Package::version, Package::purl, Package::type, Package::path)
                .containsExactly(tuple("Newtonsoft.Json", "13.0.3", "pkg:nuget/Newtonsoft.Json@13.0.3", PackageType.NUGET,
                        "/app/Web.deps.json"));
        byte[] real = LangFixtures.resource("dotnet/Web.deps.json");
        r = a.analyze(LangFixtures.input("app/Web.deps.json", Arrays.copyOf(real, 900)));
        assertThat(r.packages()).isEmpty();
        assertThat(r.warnings()).singleElement().asString().contains("not valid JSON");
        assertThat(a.wants(LangFixtures.file("app/.deps.json", 10, 0644))).isFalse();
        assertThat(a.wants(LangFixtures.file("app/Web.deps.json", DotnetDepsAnalyzer.MAX_FILE + 1, 0644))).isFalse();
    }

    @Test
    void composerV2AndV1() throws IOException {
        ComposerAnalyzer a = new ComposerAnalyzer();
        FileResult r = LangFixtures.analyze(a, LangFixtures.input("var/www/html/vendor/composer/installed.json",
                LangFixtures.resource("composer/installed-v2.json")));
        assertThat(r.warnings()).isEmpty();
        assertThat(r.packages()).extracting(Package::name, Package::version, Package::purl, Package::licenses)
                .containsExactly(
                        tuple("pear/log", "1.13.3", "pkg:composer/pear/log@1.13.3", java.util.List.of("MIT")),
                        tuple("pear/pear_exception", "v1.0.2", "pkg:composer/pear/pear_exception@v1.0.2",
                                java.util.List.of("BSD-2-Clause")));
        r = LangFixtures.analyze(a, LangFixtures.input("app/vendor/composer/installed.json",
                LangFixtures.resource("composer/installed-v1-excerpt.json")));
        assertThat(r.packages()).extracting(Package::name, Package::version, Package::type).containsExactly(
                tuple("doctrine/lexer", "v1.0.1", PackageType.COMPOSER), tuple("doctrine/annotations", "v1.2.3", PackageType.COMPOSER));
        byte[] real = LangFixtures.resource("composer/installed-v2.json");
        r = a.analyze(LangFixtures.input("vendor/composer/installed.json", Arrays.copyOf(real, 1000)));
        assertThat(r.packages()).isEmpty();
        assertThat(r.warnings()).singleElement().asString().contains("not valid JSON");
        r = a.analyze(LangFixtures.input("vendor/composer/installed.json", "{\"dev\": true}".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.warnings()).singleElement().asString().contains("no package list");
        assertThat(a.wants(LangFixtures.file("vendor/composer/installed.json", 10, 0644))).isTrue();
        assertThat(a.wants(LangFixtures.file("app/composer/installed.json", 10, 0644))).isFalse();
        assertThat(a.wants(LangFixtures.file("vendor/composer/installed.json", ComposerAnalyzer.MAX_FILE + 1, 0644))).isFalse();
    }
}
