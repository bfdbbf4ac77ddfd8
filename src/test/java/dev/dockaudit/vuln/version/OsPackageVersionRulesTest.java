package dev.dockaudit.vuln.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Targeted rules of the dpkg, apk and rpm comparators (beyond the vector files). */
class OsPackageVersionRulesTest {

    private static void lt(VersionComparator c, String a, String b) {
        assertThat(c.compare(a, b)).as("%s < %s", a, b).isNegative();
        assertThat(c.compare(b, a)).as("%s > %s", b, a).isPositive();
    }

    private static void eq(VersionComparator c, String a, String b) {
        assertThat(c.compare(a, b)).as("%s = %s", a, b).isZero();
        assertThat(c.compare(b, a)).as("%s = %s", b, a).isZero();
    }

    private static void invalid(VersionComparator c, String v, String reasonPart) {
        assertThat(c.isValid(v)).as("isValid(%s)", v).isFalse();
        assertThatThrownBy(() -> c.compare(v, "1")).isInstanceOf(InvalidVersionException.class)
                .hasMessageContaining(c.scheme()).hasMessageContaining(reasonPart);
        assertThatThrownBy(() -> c.compare("1", v)).isInstanceOf(InvalidVersionException.class);
    }

    @Test
    void dpkgTildeSortsBeforeEverythingAndLettersBeforeOtherCharacters() {
        DpkgVersion d = DpkgVersion.INSTANCE;
        lt(d, "1.0~~", "1.0~");
        lt(d, "1.0~", "1.0");
        lt(d, "1.0", "1.0a");
        lt(d, "1.0a", "1.0+");
        lt(d, "1.0+", "1.0.");
        lt(d, "1.0z", "1.0+");
        lt(d, "1.0A", "1.0a"); // letters compare as ASCII
        lt(d, "9:1.0", "10:0.1"); // epochs as numbers
        lt(d, "0.9", "1:0.1");
        eq(d, "0:1.0", "1.0");
        eq(d, "1.0-0", "1.0"); // absent revision = "0"
        eq(d, "1.00010", "1.10");
        lt(d, "2.36-9+deb12u4", "2.36-9+deb12u10");
        lt(d, "1.2.3-1ubuntu0.1", "1.2.3-1ubuntu0.2"); // Ubuntu SRU
        lt(d, "3.0.2-0ubuntu1.10", "3.0.2-0ubuntu1.15");
        lt(d, "1.2.3-1~bpo11+1", "1.2.3-1");
        // hyphens in the upstream version: the revision is after the last one
        lt(d, "1.2-3-4", "1.2-3-5");
        eq(d, "1:1.2.13.dfsg-1", " 1:1.2.13.dfsg-1 "); // surrounding white space is trimmed like dpkg
        // numbers of any length
        lt(d, "1.99999999999999999999998", "1.99999999999999999999999");
    }

    @Test
    void dpkgValidityFollowsDpkgValidateVersion() {
        DpkgVersion d = DpkgVersion.INSTANCE;
        invalid(d, "", "empty");
        invalid(d, "   ", "empty");
        invalid(d, "1.0 1", "embedded spaces");
        invalid(d, ":1.0", "epoch");
        invalid(d, "a:1.0", "epoch in version is not number");
        invalid(d, "-1:1.0", "negative");
        invalid(d, "99999999999:1.0", "too big");
        invalid(d, "1:", "nothing after colon");
        invalid(d, "1.0-", "revision number is empty");
        invalid(d, "-1", "version number is empty");
        invalid(d, "abc", "does not start with digit");
        invalid(d, "1.0_1", "invalid character '_'");
        invalid(d, "1.0-1=2", "in revision number");
        invalid(d, "1.0-1:2", "epoch in version is not number"); // dpkg reads the first colon as the epoch end
        invalid(d, "1.0é", "non-ASCII");
        assertThat(d.isValid("2147483647:1")).isTrue();
        // warning-level problems are ordered by compareLenient like dpkg --compare-versions does...
        assertThat(d.compareLenient("abc", "abd")).isNegative();
        assertThat(d.compareLenient("1.0_1", "1.0+1")).isPositive(); // non-letters by ASCII: '_' (0x5f) > '+' (0x2b)
        assertThat(d.compareLenient("1", "a")).isNegative();
        // ...but errors are refused in both modes
        assertThatThrownBy(() -> d.compareLenient("1:", "1")).isInstanceOf(InvalidVersionException.class);
        assertThatThrownBy(() -> d.compareLenient("1 0", "1")).isInstanceOf(InvalidVersionException.class);
    }

    @Test
    void apkSuffixesRevisionsAndLetters() {
        ApkVersion a = ApkVersion.INSTANCE;
        lt(a, "1.0_alpha", "1.0_beta");
        lt(a, "1.0_beta", "1.0_pre");
        lt(a, "1.0_pre", "1.0_rc");
        lt(a, "1.0_rc", "1.0");
        lt(a, "1.0", "1.0_cvs");
        lt(a, "1.0_cvs", "1.0_svn");
        lt(a, "1.0_svn", "1.0_git");
        lt(a, "1.0_git", "1.0_hg");
        lt(a, "1.0_hg", "1.0_p");
        lt(a, "1.0_rc2", "1.0_rc10");
        lt(a, "1.0", "1.0-r1");
        eq(a, "1.0-r0", "1.0-r00");
        lt(a, "1.0-r9", "1.0-r10");
        lt(a, "1.0-r99", "1.0.1-r0");
        lt(a, "1.0", "1.0a");
        lt(a, "1.0a", "1.0b");
        lt(a, "1.0z", "1.0.1");
        lt(a, "1.0_p1", "1.0a"); // a letter comes before suffixes in the version, so it weighs more
        // real Alpine secdb fixes
        lt(a, "1.1.1d-r2", "1.1.1g-r0");
        lt(a, "2.10.4-r2", "2.10.7-r0");
        lt(a, "1.30.1-r3", "1.30.1-r5");
        lt(a, "9.1.0414-r0", "9.1.1105-r0");
        // apk-tools 3: a later number with a leading zero compares as text (Gentoo); the first one by value
        lt(a, "8.2.0", "8.2.001");
        lt(a, "8.2.0015", "8.2.002");
        lt(a, "6.0_pre1", "6.0");
        eq(a, "006", "6");
        lt(a, "1.0~1234", "1.0~2345");
        lt(a, "1.0~abc-r1", "1.0~abd-r0");
        // numbers of any length
        lt(a, "1.99999999999999999999998", "1.99999999999999999999999");
    }

    @Test
    void apkFuzzyMatchAndValidity() {
        ApkVersion a = ApkVersion.INSTANCE;
        assertThat(a.matches("3.6.9", "~", "3.6")).isTrue();
        assertThat(a.matches("3.6", "~", "3.6.9")).isFalse();
        assertThat(a.matches("3.5", "<~", "3.6")).isTrue();
        assertThat(a.matches("3.7", ">~", "3.6")).isTrue();
        assertThat(a.matches("3.6.1", ">=", "3.6")).isTrue();
        assertThatThrownBy(() -> a.matches("1", "?", "1")).isInstanceOf(IllegalArgumentException.class);
        invalid(a, "1.0bc", "unexpected character 'c'");
        invalid(a, "1.0_foo", "unexpected character '_'");
        invalid(a, "1.0-r", "incomplete");
        invalid(a, "1.0-1", "unexpected character '-'");
        invalid(a, "1.0.", "incomplete");
        invalid(a, "v1.0", "unexpected character 'v'");
        invalid(a, "1.0 ", "unexpected character ' '");
        invalid(a, "1.0~XYZ", "unexpected character '~'");
        assertThat(a.isValid("0.1_pre2~1234abcd-r3")).isTrue();
    }

    @Test
    void rpmEvrAndVercmp() {
        RpmVersion r = RpmVersion.INSTANCE;
        eq(r, "1.0-1", "0:1.0-1");
        eq(r, ":1.0-1", "0:1.0-1"); // an empty epoch is 0, as in rpm
        lt(r, "2:1.0-1", "10:0.1-1"); // epochs compare as numbers
        lt(r, "1.0", "1.0-1"); // a missing release sorts below any release (rpm 4.18)
        lt(r, "1.0~rc1-1", "1.0-1");
        lt(r, "1.0-1", "1.0^git1-1");
        lt(r, "1.0-1.el8", "1.0-1.el8_4.1");
        lt(r, "1:1.1.1k-5.el8_5", "1:1.1.1k-6.el8");
        lt(r, "4.18.0-513.5.1.el8_9", "4.18.0-513.24.1.el8_9"); // kernel
        lt(r, "2.28-225.cm2", "2.28-226.cm2"); // Mariner release tag
        lt(r, "1.0a", "1.0.1"); // an alphabetic segment is older than a numeric one
        eq(r, "1.0_1", "1.0.1"); // separators are all alike
        lt(r, "1.0", "1.0a");
        invalid(r, "1.0 -1", "white space");
        invalid(r, "1.0\t", "white space");
        assertThatThrownBy(() -> r.compare(null, "1")).isInstanceOf(InvalidVersionException.class);
    }
}
