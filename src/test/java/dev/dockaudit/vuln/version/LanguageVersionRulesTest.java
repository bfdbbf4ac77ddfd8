package dev.dockaudit.vuln.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Targeted rules of the SemVer, Maven, PEP 440, RubyGems, NuGet and Composer comparators. */
class LanguageVersionRulesTest {

    private static void lt(VersionComparator c, String a, String b) {
        assertThat(c.compare(a, b)).as("%s < %s", a, b).isNegative();
        assertThat(c.compare(b, a)).as("%s > %s", b, a).isPositive();
    }

    private static void eq(VersionComparator c, String a, String b) {
        assertThat(c.compare(a, b)).as("%s = %s", a, b).isZero();
        assertThat(c.compare(b, a)).as("%s = %s", b, a).isZero();
    }

    private static void invalid(VersionComparator c, String v) {
        assertThat(c.isValid(v)).as("isValid(%s)", v).isFalse();
        assertThatThrownBy(() -> c.compare(v, v)).isInstanceOf(InvalidVersionException.class)
                .hasMessageContaining(c.scheme());
    }

    /** Checks that the list is strictly increasing under c, every pair both ways. */
    private static void ascending(VersionComparator c, String... versions) {
        for (int i = 0; i < versions.length; i++) {
            for (int j = 0; j < versions.length; j++) {
                int r = Integer.signum(c.compare(versions[i], versions[j]));
                assertThat(r).as("%s vs %s", versions[i], versions[j]).isEqualTo(Integer.compare(i, j));
            }
        }
    }

    @Test
    void semverPrecedenceGoAndBuildMetadata() {
        SemverVersion s = SemverVersion.INSTANCE;
        ascending(s, "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0");
        eq(s, "1.2.3+build.5", "1.2.3+other");
        eq(s, "v1.2.3", "1.2.3");
        eq(s, "v2.0.0+incompatible", "v2.0.0"); // Go
        eq(s, "v1", "v1.0.0"); // Go shorthand
        eq(s, "v1.2", "v1.2.0");
        // Go pseudo-versions order by their timestamp and sit below the release they precede
        ascending(s, "v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20200101000000-aaaaaaaaaaaa", "v0.0.1",
                "v1.2.3", "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4");
        lt(s, "1.0.0-rc.9", "1.0.0-rc.10");
        lt(s, "1.0.0-9", "1.0.0-a"); // numeric identifiers below alphanumeric
        lt(s, "1.0.0-Z", "1.0.0-a"); // ASCII
        lt(s, "99999999999999999999.0.0", "100000000000000000000.0.0");
        invalid(s, "1.2.3.4");
        invalid(s, "01.2.3");
        invalid(s, "1.2.3-01");
        invalid(s, "1.2.3-");
        invalid(s, "1.2.3-a..b");
        invalid(s, "1.2.3+");
        invalid(s, "latest");
        invalid(s, " 1.2.3");
    }

    @Test
    void mavenQualifierOrderAndNormalisation() {
        MavenVersion m = MavenVersion.INSTANCE;
        ascending(m, "1-alpha-1", "1-alpha-2", "1-beta-1", "1-milestone-1", "1-rc-1", "1-SNAPSHOT", "1", "1-sp-1",
                "1-abc", "1-1", "1.0.1");
        eq(m, "1-cr-1", "1-rc-1");
        eq(m, "1.0.0", "1");
        eq(m, "1-ga", "1");
        eq(m, "1.final", "1");
        eq(m, "1.RELEASE", "1");
        eq(m, "1a1", "1-alpha-1");
        eq(m, "1m3", "1-milestone-3");
        eq(m, "1X", "1x");
        lt(m, "2.12.7", "2.12.7.1"); // jackson-databind micro patch
        lt(m, "2.9.10.8", "2.10.0");
        lt(m, "9.4.43.v20210629", "9.4.44.v20210927"); // jetty
        lt(m, "1.0.0.x1", "1.0.0-x2"); // maven-artifact 3.9: a qualifier after '.' opens a list like '-'
        lt(m, "31.1-android", "31.1-jre"); // guava flavours compare as qualifiers
        lt(m, "1.2.3", "12345678901234567890");
        invalid(m, "1.0 beta");
        invalid(m, "1.0\n");
    }

    @Test
    void pep440OrderingAndNormalisation() {
        Pep440Version p = Pep440Version.INSTANCE;
        ascending(p, "1.0.dev0", "1.0a1.dev1", "1.0a1", "1.0b2", "1.0rc1", "1.0", "1.0+local.1", "1.0.post1.dev1",
                "1.0.post1", "1.1", "1!0.1");
        eq(p, "1.0", "1.0.0");
        eq(p, "1.0ALPHA1", "1.0a1");
        eq(p, "1.0-preview-2", "1.0rc2");
        eq(p, "1.0c1", "1.0rc1");
        eq(p, "v1.0", "1.0");
        eq(p, " 1.0\n", "1.0");
        eq(p, "1.0-1", "1.0.post1");
        eq(p, "1.0.rev", "1.0.post0");
        eq(p, "1.0+ubuntu-1", "1.0+ubuntu.1");
        lt(p, "1.0+abc", "1.0+1"); // numeric local parts above alphanumeric ones
        lt(p, "1.0+1.2", "1.0+1.10");
        lt(p, "2.0.0a1", "2.0.0rc1");
        invalid(p, "1.0-foo");
        invalid(p, "1..0");
        invalid(p, "1.0+");
        invalid(p, "1.0+a..b");
        invalid(p, "release-1");
        // legacy versions (pip < 24 via packaging < 22): only by explicit request, below every PEP 440 version
        assertThat(p.compareLenient("0.1-bulbasaur", "0.0.1")).isNegative();
        assertThat(p.compareLenient("2013b", "2013c")).isNegative(); // pytz before it was PEP 440
        assertThatThrownBy(() -> p.compareLenient("", "1")).isInstanceOf(InvalidVersionException.class);
    }

    @Test
    void rubygemsSegments() {
        RubyGemsVersion r = RubyGemsVersion.INSTANCE;
        ascending(r, "1.0.a", "1.0.a.1", "1.0.b1", "1.0.rc1", "1.0", "1.0.1", "1.10");
        eq(r, "1.0.0", "1");
        eq(r, "1.0.a2", "1.0.a.2");
        eq(r, "1.0-1", "1.0.pre.1"); // '-' means .pre.
        lt(r, "7.0.8", "7.0.8.1"); // rails patch releases
        lt(r, "1.0.A", "1.0.a"); // strings as ASCII
        eq(r, " 1.2 ", "1.2");
        invalid(r, "1beta");
        invalid(r, "1..2");
        invalid(r, "a");
        invalid(r, "1.2-");
        invalid(r, "");
    }

    @Test
    void nugetLegacyAndSemver2() {
        NuGetVersion n = NuGetVersion.INSTANCE;
        ascending(n, "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-Beta", "1.0.0-beta.2", "1.0.0", "1.0.0.1-alpha",
                "1.0.0.1", "1.0.1", "2.0");
        eq(n, "1.0", "1.0.0.0");
        eq(n, "1.0.0-BETA", "1.0.0-beta");
        eq(n, "1.0.0+meta", "1.0.0");
        eq(n, "1.01", "1.1");
        invalid(n, "1.0.0.0.0");
        invalid(n, "1.0.0-");
        invalid(n, "v1.0.0");
        invalid(n, "1.0.0-beta_1");
    }

    @Test
    void packagistComposerAndPhpRules() {
        PackagistVersion c = PackagistVersion.INSTANCE;
        ascending(c, "1.0.0-dev", "1.0.0-alpha1", "1.0.0-beta1", "1.0.0-RC1", "1.0.0", "1.0.0-pl1", "1.0.1");
        eq(c, "v5.4.3", "5.4.3");
        eq(c, "1.0.0-RC1", "1.0.0rc1");
        eq(c, "1.0.0-b2", "1.0.0-beta2");
        lt(c, "1.0", "1.0.0"); // PHP's version_compare: a trailing number makes it higher
        lt(c, "dev-main", "1.0.0");
        lt(c, "999999999999999999999.0", "1000000000000000000000.0"); // exact, where PHP saturates
        invalid(c, "1.2.3.#");
        invalid(c, "latest");
        invalid(c, "1.0 beta");
    }

    @Test
    void comparatorsSortCollectionsConsistently() {
        List<String> pypi = new ArrayList<>(List.of("2.0", "1.0rc1", "1.0", "1.0.post1", "1.0.dev1"));
        pypi.sort(Pep440Version.INSTANCE.asComparator());
        assertThat(pypi).containsExactly("1.0.dev1", "1.0rc1", "1.0", "1.0.post1", "2.0");
    }
}
