package dev.dockaudit.vuln.version;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** OSV ecosystem and range-type names to comparators. */
class VersionsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "Debian:12|dpkg", "Debian|dpkg", "Ubuntu:22.04:LTS|dpkg", "Ubuntu:Pro:18.04:LTS|dpkg", "Ubuntu:14.04:LTS|dpkg",
        "Alpine:v3.18|apk", "Alpine:v3.10|apk", "Wolfi|apk", "Chainguard|apk",
        "Red Hat:enterprise_linux:9::appstream|rpm", "AlmaLinux:8|rpm", "Rocky Linux:9|rpm", "SUSE:Linux Enterprise Server 15 SP5|rpm",
        "openSUSE:Tumbleweed|rpm", "Mageia:9|rpm", "Photon OS:5.0|rpm", "CBL-Mariner:2.0|rpm", "Azure Linux:3|rpm",
        "Amazon Linux:2023|rpm", "Oracle Linux:9|rpm", "openEuler:22.03-LTS|rpm",
        "Go|semver", "npm|semver", "crates.io|semver", "Hex|semver",
        "Maven|maven", "PyPI|pep440", "RubyGems|rubygems", "NuGet|nuget", "Packagist|packagist",
        " pypi |pep440", "MAVEN|maven"})
    void knownEcosystems(String ecosystem, String scheme) {
        VersionComparator c = Versions.forEcosystem(ecosystem);
        assertThat(c).as(ecosystem).isNotNull();
        assertThat(c.scheme()).isEqualTo(scheme);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CRAN", "Hackage", "Pub", "GIT", "Linux", "", "Debianish", ":12"})
    void unknownEcosystemsAreNull(String ecosystem) {
        assertThat(Versions.forEcosystem(ecosystem)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SEMVER", "semver", " SEMVER "})
    void semverRangeType(String type) {
        assertThat(Versions.forRangeType(type)).isSameAs(SemverVersion.INSTANCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ECOSYSTEM", "GIT", "", "UNKNOWN"})
    void otherRangeTypesAreNull(String type) {
        assertThat(Versions.forRangeType(type)).isNull();
        assertThat(Versions.forRangeType(null)).isNull();
        assertThat(Versions.forEcosystem(null)).isNull();
    }
}
