package dev.dockaudit.vuln.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.vuln.version.VectorFile.Format;
import dev.dockaudit.vuln.version.VectorFile.Line;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every line of every version-vector file (src/test/resources/version-vectors, see PROVENANCE.md there).
 *
 * <p>A comparison line {@code a OP b} must give the right sign both ways ({@code a < b} exactly when {@code b > a};
 * {@code =} means 0). A line whose version the ecosystem's own validator rejects must be refused by
 * {@link VersionComparator#compare} with {@link InvalidVersionException}, and, for ecosystems whose tool still orders
 * such strings (dpkg, apk-tools, pip's legacy versions), {@link VersionComparator#compareLenient} must give the
 * line's order. The few lines where this project deliberately gives another answer are listed in {@link #EXCLUDED}
 * with the reason, and the test checks that we give the answer stated there.
 */
class VersionVectorsTest {

    /** What we do instead of the line's expectation: "invalid" (compare refuses) or the sign we give. */
    record Exclusion(String ours, String reason) {
    }

    private static final String SCALIBR_APK = "osv-scalibr's own ordering of a version that apk-tools rejects "
            + "(apk version -c); apk-tools 3's token walk (compareLenient) orders it ";

    static final Map<String, Exclusion> EXCLUDED = Map.ofEntries(
            // Maven: the POM reference's prose drops "ga" before a '-', but Maven's ComparableVersion does not
            Map.entry("osv-scalibr-maven-versions.txt:1-1 = 1-ga-1", new Exclusion(">",
                    "maven-artifact ComparableVersion 3.9.6, 3.9.9, 3.9.11 and 4.0.0-rc-4/rc-5 all give "
                            + "1-1 > 1-ga-1 (1-ga-1 parses to [1, [[1]]]); we follow Maven, the line follows the "
                            + "spec's prose")),
            // SemVer: five numbers is not a semantic version (scalibr files the rest as build metadata)
            Map.entry("osv-scalibr-semver-versions.txt:1.1.3.4.5 = 1.1.3.4.5", new Exclusion("invalid",
                    "not SemVer 2.0.0 (MAJOR.MINOR.PATCH); npm, Go and cargo reject it too")),
            // RubyGems: Gem::Version.new raises for these
            Map.entry("osv-scalibr-rubygems-versions.txt:1 > 1beta", new Exclusion("invalid",
                    "RubyGems 3.3.15 Gem::Version.new(\"1beta\") raises 'Malformed version number string 1beta'")),
            Map.entry("osv-scalibr-rubygems-versions.txt:1 > 1gamma", new Exclusion("invalid",
                    "RubyGems 3.3.15 Gem::Version.new(\"1gamma\") raises 'Malformed version number string 1gamma'")),
            // Packagist: '#' is not part of any Composer version; PHP itself disagrees with these lines
            packagist("1.2.3.# = 1.2.3"),
            packagist("1.2.3.# = 1.2.3.#"),
            packagist("1.2.3.# = 1.2.3.1"),
            packagist("1.2.3.#.1 > 1.2.3"),
            packagist("1.2.3.#.p3 > 1.2.3"),
            packagist("1.2.3.#.beta < 1.2.3"),
            // Alpine: invalid versions that osv-scalibr orders with its own heuristic, unlike apk-tools
            scalibrApk("1-r = 1-r0", "<: '-r' without digits is an invalid token"),
            scalibrApk("0..1..0 < 0..1..1", "=: both are invalid at the second '.'"),
            scalibrApk("0...1...0 < 0...1...1", "=: both are invalid at the second '.'"),
            scalibrApk("0...1...0.r1 < 0...1...0.r2", "=: both are invalid at the second '.'"),
            scalibrApk("0...1...0r1 < 0...1...0r2", "=: both are invalid at the second '.'"),
            scalibrApk("0..8 > 0...8", "=: both are invalid at the second '.'"),
            scalibrApk("0.8.21.r2 > 0.8.21.r1", "=: both are invalid at '.r'"),
            scalibrApk("6.6.2p1 < 6.6.2p2", "=: both are invalid at the digit after the letter"),
            scalibrApk("1-r0-1 = 1-r-2", ">: 1-r0 then invalid, against 1-r then invalid"),
            scalibrApk(".2 > .1", "=: both are invalid at the first character"),
            scalibrApk("a < b", "=: both are invalid at the first character"),
            scalibrApk("c > b", "=: both are invalid at the first character"));

    private static Map.Entry<String, Exclusion> packagist(String line) {
        return Map.entry("osv-scalibr-packagist-versions.txt:" + line, new Exclusion("invalid",
                "'#' is not a character of Composer versions (its VersionParser rejects it); PHP 8.2's "
                        + "version_compare orders 1.2.3.# below 1.2.3 and 1.2.3.1, not as the line says"));
    }

    private static Map.Entry<String, Exclusion> scalibrApk(String line, String apkTools) {
        return Map.entry("osv-scalibr-alpine-versions.txt:" + line, new Exclusion("invalid", SCALIBR_APK + apkTools));
    }

    static Stream<Line> dpkg() {
        return VectorFile.read("debian-dpkg.txt", Format.LINE_COMMENTS).stream();
    }

    static Stream<Line> scalibrDebian() {
        return VectorFile.read("osv-scalibr-debian-versions.txt", Format.LINE_COMMENTS).stream();
    }

    static Stream<Line> rpmvercmp() {
        return VectorFile.read("rpm-rpmvercmp.txt", Format.LINE_COMMENTS).stream();
    }

    static Stream<Line> rpmEvr() {
        return VectorFile.read("rpm-evr-generated.txt", Format.LINE_COMMENTS).stream();
    }

    static Stream<Line> scalibrRedhat() {
        return VectorFile.read("osv-scalibr-redhat-versions.txt", Format.LINE_COMMENTS).stream();
    }

    static Stream<Line> apkTools() {
        return VectorFile.read("alpine-apk-tools-version.data.txt", Format.APK_TOOLS).stream();
    }

    static Stream<Line> scalibrAlpine() {
        return VectorFile.read("osv-scalibr-alpine-versions.txt", Format.LINE_COMMENTS).stream();
    }

    static Stream<Line> scalibrMaven() {
        return VectorFile.read("osv-scalibr-maven-versions.txt", Format.LINE_COMMENTS).stream();
    }

    static Stream<Line> scalibrPypi() {
        return VectorFile.read("osv-scalibr-pypi-versions.txt", Format.LINE_COMMENTS).stream();
    }

    static Stream<Line> scalibrSemver() {
        return VectorFile.read("osv-scalibr-semver-versions.txt", Format.LINE_COMMENTS).stream();
    }

    static Stream<Line> scalibrNuget() {
        return VectorFile.read("osv-scalibr-nuget-versions.txt", Format.LINE_COMMENTS).stream();
    }

    static Stream<Line> scalibrPackagist() {
        return VectorFile.read("osv-scalibr-packagist-versions.txt", Format.LINE_COMMENTS).stream();
    }

    static Stream<Line> scalibrRubygems() {
        return VectorFile.read("osv-scalibr-rubygems-versions.txt", Format.LINE_COMMENTS).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dpkg")
    void dpkgUpstreamAndRealDebianVersions(Line line) {
        check(DpkgVersion.INSTANCE, line, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalibrDebian")
    void scalibrDebianVersions(Line line) {
        check(DpkgVersion.INSTANCE, line, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rpmvercmp")
    void rpmUpstreamRpmvercmp(Line line) {
        check(RpmVersion.INSTANCE, line, false);
        // the file is rpmvercmp() on whole strings; none has an epoch or release, so both views agree
        assertThat(Integer.signum(RpmVersion.rpmvercmp(line.a(), line.b()))).as(line.toString())
                .isEqualTo(VectorFile.sign(line.op()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rpmEvr")
    void rpmGeneratedEvr(Line line) {
        check(RpmVersion.INSTANCE, line, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalibrRedhat")
    void scalibrRedhatVersions(Line line) {
        check(RpmVersion.INSTANCE, line, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apkTools")
    void apkToolsVersionData(Line line) {
        check(ApkVersion.INSTANCE, line, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalibrAlpine")
    void scalibrAlpineVersions(Line line) {
        check(ApkVersion.INSTANCE, line, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalibrMaven")
    void scalibrMavenVersions(Line line) {
        check(MavenVersion.INSTANCE, line, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalibrPypi")
    void scalibrPypiVersions(Line line) {
        check(Pep440Version.INSTANCE, line, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalibrSemver")
    void scalibrSemverVersions(Line line) {
        check(SemverVersion.INSTANCE, line, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalibrNuget")
    void scalibrNugetVersions(Line line) {
        check(NuGetVersion.INSTANCE, line, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalibrPackagist")
    void scalibrPackagistVersions(Line line) {
        check(PackagistVersion.INSTANCE, line, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalibrRubygems")
    void scalibrRubygemsVersions(Line line) {
        check(RubyGemsVersion.INSTANCE, line, false);
    }

    /** Every exclusion names a line that exists, so the list cannot go stale silently. */
    @org.junit.jupiter.api.Test
    void everyExclusionNamesARealLine() {
        List<String> files = List.of("osv-scalibr-maven-versions.txt", "osv-scalibr-semver-versions.txt",
                "osv-scalibr-rubygems-versions.txt", "osv-scalibr-packagist-versions.txt",
                "osv-scalibr-alpine-versions.txt");
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (String f : files) {
            for (Line l : VectorFile.read(f, Format.LINE_COMMENTS)) {
                keys.add(f + ":" + l.text());
            }
        }
        assertThat(keys).containsAll(EXCLUDED.keySet());
    }

    private static void check(VersionComparator c, Line line, boolean lenientIsTheTool) {
        if (!line.isComparison()) {
            assertThat(c.isValid(line.a())).as("validity of %s", line).isEqualTo(line.valid());
            if (!line.valid()) {
                assertThatThrownBy(() -> c.compare(line.a(), line.a())).as(line.toString())
                        .isInstanceOf(InvalidVersionException.class);
            }
            return;
        }
        String op = line.op();
        if (op.startsWith("!") || op.contains("~")) {
            // apk-tools fuzzy / negated operators
            boolean negate = op.startsWith("!");
            String plain = negate ? op.substring(1) : op;
            ApkVersion apk = (ApkVersion) c;
            if (apk.isValid(line.a()) && apk.isValid(line.b())) {
                assertThat(apk.matches(line.a(), plain, line.b()) != negate).as(line.toString()).isTrue();
            } else {
                // apk-tools' own test matches an invalid version ("3.6.9_post1": _post is no apk suffix)
                assertThatThrownBy(() -> apk.matches(line.a(), plain, line.b())).as(line.toString())
                        .isInstanceOf(InvalidVersionException.class);
                assertThat(apk.matchesLenient(line.a(), plain, line.b()) != negate).as(line.toString()).isTrue();
            }
            return;
        }
        int expected = VectorFile.sign(op);
        Exclusion ex = EXCLUDED.get(line.file() + ":" + line.text());
        boolean valid = c.isValid(line.a()) && c.isValid(line.b());
        if (ex != null) {
            if (ex.ours().equals("invalid")) {
                assertThat(valid).as("excluded as invalid: %s (%s)", line, ex.reason()).isFalse();
                assertThatThrownBy(() -> c.compare(line.a(), line.b())).as(line.toString())
                        .isInstanceOf(InvalidVersionException.class);
            } else {
                assertThat(Integer.signum(c.compare(line.a(), line.b()))).as("%s (%s)", line, ex.reason())
                        .isEqualTo(VectorFile.sign(ex.ours()));
            }
            return;
        }
        if (valid) {
            assertThat(Integer.signum(c.compare(line.a(), line.b()))).as(line.toString()).isEqualTo(expected);
            assertThat(Integer.signum(c.compare(line.b(), line.a()))).as("reversed: " + line).isEqualTo(-expected);
            assertThat(c.compare(line.a(), line.a())).as("reflexive: " + line).isZero();
            return;
        }
        // a version the ecosystem's validator rejects: strict compare refuses it...
        assertThatThrownBy(() -> c.compare(line.a(), line.b())).as(line.toString())
                .isInstanceOf(InvalidVersionException.class);
        // ...and the tool's own lenient ordering gives the line's answer
        assertThat(lenientIsTheTool).as("%s has an invalid version but %s has no lenient mode; list it in EXCLUDED",
                line, c.scheme()).isTrue();
        assertThat(Integer.signum(c.compareLenient(line.a(), line.b()))).as("lenient: " + line).isEqualTo(expected);
        assertThat(Integer.signum(c.compareLenient(line.b(), line.a()))).as("lenient reversed: " + line)
                .isEqualTo(-expected);
    }
}
