package dev.dockaudit.report;

import java.util.List;

/**
 * What a vulnerability finding knows beyond the fields every finding has: the CVSS ratings its advisories carry and
 * the weaknesses (CWE) they name. SARIF ranks alerts by {@code score}; CycloneDX lists every rating.
 *
 * @param score        the CVSS base score the finding's severity was taken from; null when the severity came from
 *                     a distribution's rating or an advisory's word (a score would then contradict the severity)
 * @param ratingSource where the severity came from ({@code CVSS 3.1}, {@code Debian urgency}); null when unknown
 * @param cvss         every distinct CVSS vector of the finding's advisories, newest CVSS version first
 * @param cwes         CWE numbers, ascending
 */
public record VulnDetails(Double score, String ratingSource, List<Cvss> cvss, List<Integer> cwes) {
    public VulnDetails {
        cvss = List.copyOf(cvss);
        cwes = List.copyOf(cwes);
    }

    /**
     * One CVSS rating as an advisory states it.
     *
     * @param version  {@code 2.0}, {@code 3.0}, {@code 3.1} or {@code 4.0}
     * @param advisory the id of the advisory that carries the vector
     */
    public record Cvss(String version, String vector, double score, Severity severity, String advisory) {
    }
}
