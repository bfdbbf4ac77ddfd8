package dev.dockaudit.vuln.version;

import java.util.Comparator;

/**
 * Orders the version strings of one ecosystem exactly as that ecosystem's own tool does (dpkg, apk-tools, rpm,
 * Maven, pip/packaging, RubyGems, NuGet, Composer, SemVer).
 *
 * <p>{@link #compare} is strict: it throws {@link InvalidVersionException} for a string that the ecosystem's own
 * validator rejects, so a matcher never silently orders garbage. Where the ecosystem's tool still orders such a
 * string (dpkg only warns about a version that does not start with a digit, apk-tools walks an invalid version token
 * by token, pip before packaging 22 ordered "legacy" versions), {@link #compareLenient} gives that ordering for
 * callers that ask for it explicitly.
 *
 * <p>Implementations are stateless, thread-safe and memoise nothing.
 */
public interface VersionComparator {

    /** Longest version string any comparator accepts; longer input is rejected before it is parsed. */
    int MAX_LENGTH = 1024;

    /** Short name of the scheme, used in messages: "dpkg", "apk", "rpm", "semver", "maven", "pep440", … */
    String scheme();

    /**
     * Negative, zero or positive as {@code a} is lower than, equal to or higher than {@code b}.
     *
     * @throws InvalidVersionException when either string is not {@linkplain #isValid valid}
     */
    int compare(String a, String b);

    /** Whether {@code v} is a well-formed version of this ecosystem (what its own validator accepts). */
    boolean isValid(String v);

    /**
     * The ordering the ecosystem's own tool applies, including to strings that {@link #isValid} rejects but the
     * tool still orders (see the implementation). Equal to {@link #compare} for ecosystems without such a mode.
     *
     * @throws InvalidVersionException for a string even the tool cannot order (empty, embedded spaces, …)
     */
    default int compareLenient(String a, String b) {
        return compare(a, b);
    }

    /** Throws {@link InvalidVersionException} naming the reason when {@code v} is not valid; returns {@code v}. */
    default String requireValid(String v) {
        compare(v, v);
        return v;
    }

    /** This comparator as a {@link Comparator} (strict). */
    default Comparator<String> asComparator() {
        return this::compare;
    }
}
