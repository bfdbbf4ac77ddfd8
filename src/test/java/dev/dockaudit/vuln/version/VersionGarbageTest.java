package dev.dockaudit.vuln.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Garbage in: every comparator either orders the input or throws {@link InvalidVersionException}, never another
 * exception and never a hang; orders it consistently (reflexive, antisymmetric) when it accepts it.
 */
class VersionGarbageTest {

    static Stream<VersionComparator> comparators() {
        return Stream.of(DpkgVersion.INSTANCE, ApkVersion.INSTANCE, RpmVersion.INSTANCE, SemverVersion.INSTANCE,
                MavenVersion.INSTANCE, Pep440Version.INSTANCE, RubyGemsVersion.INSTANCE, NuGetVersion.INSTANCE,
                PackagistVersion.INSTANCE);
    }

    private static final String ALPHABET = "0123456789.-_+~^:!#abcdefgrpvzABRCZ \t\u00e9\u0663\u2028\uD83D\uDE00";
    private static final List<String> REFERENCE = List.of("1", "1.0", "1.0.0", "0", "2.3.4-r1", "1:1.0-1");

    private static String random(Random rnd, int maxLen) {
        int n = rnd.nextInt(maxLen + 1);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** Runs compare and compareLenient; only InvalidVersionException may escape, and results must be consistent. */
    private static void exercise(VersionComparator c, String a, String b) {
        for (boolean lenient : new boolean[] {false, true}) {
            Integer ab = run(c, a, b, lenient);
            Integer ba = run(c, b, a, lenient);
            if (ab != null && ba != null) {
                assertThat(Integer.signum(ab)).as("%s %s antisymmetry %s / %s", c.scheme(), lenient, a, b)
                        .isEqualTo(-Integer.signum(ba));
            }
            Integer aa = run(c, a, a, lenient);
            if (aa != null) {
                assertThat(aa).as("%s reflexive %s", c.scheme(), a).isZero();
            }
        }
        boolean valid = c.isValid(a);
        Integer strict = run(c, a, a, false);
        assertThat(strict != null).as("%s isValid(%s) agrees with compare", c.scheme(), a).isEqualTo(valid);
    }

    private static Integer run(VersionComparator c, String a, String b, boolean lenient) {
        try {
            return lenient ? c.compareLenient(a, b) : c.compare(a, b);
        } catch (InvalidVersionException e) {
            assertThat(e.getMessage()).contains(c.scheme()).contains("invalid");
            assertThat(e.scheme()).isEqualTo(c.scheme());
            return null;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("comparators")
    void randomStringsOnlyEverThrowInvalidVersionException(VersionComparator c) {
        Random rnd = new Random(20240611L ^ c.scheme().hashCode());
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < 5_000; i++) {
                String a = random(rnd, 24);
                String b = rnd.nextBoolean() ? random(rnd, 24) : REFERENCE.get(rnd.nextInt(REFERENCE.size()));
                exercise(c, a, b);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("comparators")
    void longStringsAreRejectedQuicklyOrOrderedWithoutHanging(VersionComparator c) {
        Random rnd = new Random(7);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < 20; i++) {
                exercise(c, random(rnd, 1500), random(rnd, 1500));
            }
            // a megabyte of digits, of dots, of nested Maven lists: refused by length before any parsing
            for (String huge : List.of("1".repeat(1 << 20), "1.".repeat(1 << 19), "a1".repeat(1 << 19))) {
                assertThatThrownBy(() -> c.compare(huge, "1")).isInstanceOf(InvalidVersionException.class)
                        .hasMessageContaining("longer than 1024 characters")
                        .hasMessageContaining("1048576 characters");
                assertThatThrownBy(() -> c.compareLenient("1", huge)).isInstanceOf(InvalidVersionException.class);
                assertThat(c.isValid(huge)).isFalse();
            }
            // just under the limit: deep Maven nesting, long numbers
            String deep = "a1".repeat(512);
            exercise(c, deep, deep.substring(2) + "b");
            exercise(c, "9".repeat(1024), "9".repeat(1023));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("comparators")
    void nullEmptyAndBlankAreInvalid(VersionComparator c) {
        for (String bad : new String[] {null, "", " ", "\t\n", "\u0000"}) {
            assertThat(c.isValid(bad)).as("%s isValid(%s)", c.scheme(), bad).isFalse();
            assertThatThrownBy(() -> c.compare(bad, "1")).isInstanceOf(InvalidVersionException.class);
            assertThatThrownBy(() -> c.compare("1", bad)).isInstanceOf(InvalidVersionException.class);
            assertThatThrownBy(() -> c.compareLenient(bad, "1")).isInstanceOf(InvalidVersionException.class);
        }
        assertThatThrownBy(() -> c.requireValid(null)).isInstanceOf(InvalidVersionException.class)
                .hasMessageContaining("(null)");
    }

    @Test
    void messageNamesTheStringAndTheReasonAndEscapesControls() {
        InvalidVersionException e = new InvalidVersionException("dpkg", "1.0\u0001x", "because");
        assertThat(e).isInstanceOf(IllegalArgumentException.class);
        assertThat(e.getMessage()).isEqualTo("dpkg version \"1.0\\u0001x\" is invalid: because");
        assertThat(e.version()).isEqualTo("1.0\u0001x");
        assertThat(e.reason()).isEqualTo("because");
    }

    @Test
    void comparisonsAreFastEnoughForThousandsPerImage() {
        // a rough guard, not a benchmark: 200k comparisons of realistic versions per scheme in well under 20 s
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < 200_000; i++) {
                DpkgVersion.INSTANCE.compare("1:1.2.13.dfsg-1+deb12u" + (i % 9), "1:1.2.13.dfsg-1+deb12u5");
                ApkVersion.INSTANCE.compare("1.1.1" + (char) ('a' + i % 26) + "-r" + (i % 5), "1.1.1k-r0");
                RpmVersion.INSTANCE.compare("1:1.1.1k-" + (i % 9) + ".el8_5", "1:1.1.1k-6.el8");
                MavenVersion.INSTANCE.compare("2.12." + (i % 9), "2.12.7.1");
                Pep440Version.INSTANCE.compare("2.31." + (i % 9), "2.31.0rc1");
            }
        });
    }
}
