package dev.dockaudit.vuln.cvss;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CVSS v3.0 and v3.1 base score, written from the FIRST specification documents (v3.0 section 8.1, v3.1 section 7.1
 * and Appendix A). The base equations are the same in both; they differ in Roundup: v3.0 defines it as "the smallest
 * number, specified to one decimal place, that is equal to or higher than its input", which a direct implementation
 * computes as ceil(x * 10) / 10 (and so rounds 4.000000000000001 up to 4.1); v3.1 Appendix A replaces it with an
 * integer computation that absorbs such floating-point noise. Temporal and environmental metrics are checked but do
 * not change the base score.
 */
final class Cvss3 {
    static final Map<String, Set<String>> METRICS = new LinkedHashMap<>();
    static final List<String> MANDATORY = List.of("AV", "AC", "PR", "UI", "S", "C", "I", "A");

    static {
        METRICS.put("AV", Metrics.values("N", "A", "L", "P"));
        METRICS.put("AC", Metrics.values("L", "H"));
        METRICS.put("PR", Metrics.values("N", "L", "H"));
        METRICS.put("UI", Metrics.values("N", "R"));
        METRICS.put("S", Metrics.values("U", "C"));
        METRICS.put("C", Metrics.values("H", "L", "N"));
        METRICS.put("I", Metrics.values("H", "L", "N"));
        METRICS.put("A", Metrics.values("H", "L", "N"));
        METRICS.put("E", Metrics.values("X", "H", "F", "P", "U"));
        METRICS.put("RL", Metrics.values("X", "U", "W", "T", "O"));
        METRICS.put("RC", Metrics.values("X", "C", "R", "U"));
        METRICS.put("CR", Metrics.values("X", "H", "M", "L"));
        METRICS.put("IR", Metrics.values("X", "H", "M", "L"));
        METRICS.put("AR", Metrics.values("X", "H", "M", "L"));
        METRICS.put("MAV", Metrics.values("X", "N", "A", "L", "P"));
        METRICS.put("MAC", Metrics.values("X", "L", "H"));
        METRICS.put("MPR", Metrics.values("X", "N", "L", "H"));
        METRICS.put("MUI", Metrics.values("X", "N", "R"));
        METRICS.put("MS", Metrics.values("X", "U", "C"));
        METRICS.put("MC", Metrics.values("X", "H", "L", "N"));
        METRICS.put("MI", Metrics.values("X", "H", "L", "N"));
        METRICS.put("MA", Metrics.values("X", "H", "L", "N"));
    }

    private Cvss3() {
    }

    /**
     * @param minor 0 for v3.0, 1 for v3.1 (selects Roundup)
     * @param body  the vector after the {@code CVSS:3.x/} prefix
     */
    static double score(String vector, String body, int minor) {
        Map<String, String> m = Metrics.parse(vector, body, METRICS, MANDATORY);
        boolean changed = m.get("S").equals("C");
        double av = switch (m.get("AV")) {
            case "N" -> 0.85;
            case "A" -> 0.62;
            case "L" -> 0.55;
            default -> 0.2;
        };
        double ac = m.get("AC").equals("L") ? 0.77 : 0.44;
        double pr = switch (m.get("PR")) {
            case "N" -> 0.85;
            case "L" -> changed ? 0.68 : 0.62;
            default -> changed ? 0.5 : 0.27;
        };
        double ui = m.get("UI").equals("N") ? 0.85 : 0.62;
        double iss = 1 - ((1 - cia(m.get("C"))) * (1 - cia(m.get("I"))) * (1 - cia(m.get("A"))));
        double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
        double exploitability = 8.22 * av * ac * pr * ui;
        if (impact <= 0) {
            return 0.0;
        }
        double sum = changed ? 1.08 * (impact + exploitability) : impact + exploitability;
        return roundup(Math.min(sum, 10), minor);
    }

    private static double cia(String v) {
        return switch (v) {
            case "H" -> 0.56;
            case "L" -> 0.22;
            default -> 0.0;
        };
    }

    static double roundup(double x, int minor) {
        if (minor == 0) {
            return Math.ceil(x * 10) / 10;
        }
        // v3.1 Appendix A: work in integers of 1/100000 so that 4.000000000000001 rounds to 4.0, not 4.1
        long intInput = Math.round(x * 100000);
        if (intInput % 10000 == 0) {
            return intInput / 100000.0;
        }
        return (Math.floor(intInput / 10000.0) + 1) / 10.0;
    }
}
