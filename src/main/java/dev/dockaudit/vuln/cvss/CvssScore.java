package dev.dockaudit.vuln.cvss;

import dev.dockaudit.report.Severity;

/**
 * A CVSS base score computed from a vector string, for CVSS v2, v3.0, v3.1 and v4.0.
 *
 * @param version   "2.0", "3.0", "3.1" or "4.0"
 * @param baseScore 0.0 to 10.0, one decimal; for v4.0 the score of every metric the vector carries (CVSS-B when it
 *                  has base metrics only, as advisories publish it)
 * @param vector    the vector as given (trimmed)
 */
public record CvssScore(String version, double baseScore, String vector) {

    /**
     * Scores a vector: {@code CVSS:4.0/AV:N/...}, {@code CVSS:3.1/AV:N/...}, {@code CVSS:3.0/AV:N/...}, or a v2
     * vector {@code AV:N/AC:L/Au:N/C:P/I:P/A:P} (also accepted with NVD's parentheses or a {@code CVSS:2.0/} prefix).
     *
     * @throws InvalidCvssException when the vector is malformed, misses a mandatory metric, or has a metric or value
     *                              the version does not define
     */
    public static CvssScore parse(String vector) {
        if (vector == null || vector.isBlank()) {
            throw new InvalidCvssException(String.valueOf(vector), "empty");
        }
        String v = vector.strip();
        if (v.startsWith("CVSS:4.0/")) {
            return new CvssScore("4.0", Cvss4.score(v, v.substring(9)), v);
        }
        if (v.startsWith("CVSS:3.1/")) {
            return new CvssScore("3.1", Cvss3.score(v, v.substring(9), 1), v);
        }
        if (v.startsWith("CVSS:3.0/")) {
            return new CvssScore("3.0", Cvss3.score(v, v.substring(9), 0), v);
        }
        if (v.startsWith("CVSS:2.0/")) {
            return new CvssScore("2.0", Cvss2.score(v, v.substring(9)), v);
        }
        if (v.matches("CVSS:(2\\.0|3\\.0|3\\.1|4\\.0)")) {
            throw new InvalidCvssException(v, "no metrics after the version prefix");
        }
        if (v.startsWith("CVSS:")) {
            int slash = v.indexOf('/');
            String prefix = slash < 0 ? v : v.substring(0, slash);
            throw new InvalidCvssException(v, "unsupported version prefix '" + prefix + "' (CVSS:2.0, 3.0, 3.1 and 4.0 are known)");
        }
        String body = v.startsWith("(") && v.endsWith(")") ? v.substring(1, v.length() - 1) : v;
        if (!body.startsWith("AV:")) {
            throw new InvalidCvssException(v, "no CVSS:x.y/ prefix, and not a v2 vector (AV:…/AC:…/Au:…/C:…/I:…/A:…)");
        }
        return new CvssScore("2.0", Cvss2.score(v, body), v);
    }

    /** This score's qualitative rating, see {@link #fromScore(String, double)}. */
    public Severity severity() {
        return fromScore(version, baseScore);
    }

    /**
     * The qualitative rating of a score. v3.x and v4.0 (their specifications' rating scales): 0.0 None (reported as
     * INFO: a score of 0 means no impact), 0.1–3.9 LOW, 4.0–6.9 MEDIUM, 7.0–8.9 HIGH, 9.0–10.0 CRITICAL. v2 (NVD's
     * scale; the v2 guide has none): 0.0–3.9 LOW, 4.0–6.9 MEDIUM, 7.0–10.0 HIGH — v2 has no CRITICAL.
     *
     * @throws IllegalArgumentException for a score outside 0–10 or an unknown version
     */
    public static Severity fromScore(String version, double score) {
        if (Double.isNaN(score) || score < 0 || score > 10) {
            throw new IllegalArgumentException("CVSS score " + score + " is outside 0.0–10.0");
        }
        switch (version) {
            case "2.0", "2" -> {
                return score >= 7.0 ? Severity.HIGH : score >= 4.0 ? Severity.MEDIUM : Severity.LOW;
            }
            case "3.0", "3.1", "4.0", "3", "4" -> {
                if (score == 0.0) {
                    return Severity.INFO;
                }
                return score >= 9.0 ? Severity.CRITICAL : score >= 7.0 ? Severity.HIGH
                        : score >= 4.0 ? Severity.MEDIUM : Severity.LOW;
            }
            default -> throw new IllegalArgumentException("unknown CVSS version '" + version + "'");
        }
    }
}
