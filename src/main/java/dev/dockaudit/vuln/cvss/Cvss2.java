package dev.dockaudit.vuln.cvss;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CVSS v2 base score, written from "A Complete Guide to the Common Vulnerability Scoring System Version 2.0"
 * (FIRST, 2007), section 3.2.1 (base equation) and 3.2.4 (metric values). Temporal and environmental metrics are
 * checked but do not change the base score.
 */
final class Cvss2 {
    static final Map<String, Set<String>> METRICS = new LinkedHashMap<>();
    static final List<String> MANDATORY = List.of("AV", "AC", "Au", "C", "I", "A");

    static {
        METRICS.put("AV", Metrics.values("L", "A", "N"));
        METRICS.put("AC", Metrics.values("H", "M", "L"));
        METRICS.put("Au", Metrics.values("M", "S", "N"));
        METRICS.put("C", Metrics.values("N", "P", "C"));
        METRICS.put("I", Metrics.values("N", "P", "C"));
        METRICS.put("A", Metrics.values("N", "P", "C"));
        METRICS.put("E", Metrics.values("U", "POC", "F", "H", "ND"));
        METRICS.put("RL", Metrics.values("OF", "TF", "W", "U", "ND"));
        METRICS.put("RC", Metrics.values("UC", "UR", "C", "ND"));
        METRICS.put("CDP", Metrics.values("N", "L", "LM", "MH", "H", "ND"));
        METRICS.put("TD", Metrics.values("N", "L", "M", "H", "ND"));
        METRICS.put("CR", Metrics.values("L", "M", "H", "ND"));
        METRICS.put("IR", Metrics.values("L", "M", "H", "ND"));
        METRICS.put("AR", Metrics.values("L", "M", "H", "ND"));
    }

    private Cvss2() {
    }

    /** @param body the vector without any {@code CVSS:2.0/} prefix or parentheses */
    static double score(String vector, String body) {
        Map<String, String> m = Metrics.parse(vector, body, METRICS, MANDATORY);
        double av = switch (m.get("AV")) {
            case "L" -> 0.395;
            case "A" -> 0.646;
            default -> 1.0;
        };
        double ac = switch (m.get("AC")) {
            case "H" -> 0.35;
            case "M" -> 0.61;
            default -> 0.71;
        };
        double au = switch (m.get("Au")) {
            case "M" -> 0.45;
            case "S" -> 0.56;
            default -> 0.704;
        };
        double c = impact(m.get("C"));
        double i = impact(m.get("I"));
        double a = impact(m.get("A"));
        double impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
        double exploitability = 20 * av * ac * au;
        double f = impact == 0 ? 0 : 1.176;
        double base = ((0.6 * impact) + (0.4 * exploitability) - 1.5) * f;
        return roundToOneDecimal(base);
    }

    private static double impact(String v) {
        return switch (v) {
            case "N" -> 0.0;
            case "P" -> 0.275;
            default -> 0.660;
        };
    }

    /** The guide's round_to_1_decimal: half up, on the decimal the computation prints as. */
    static double roundToOneDecimal(double x) {
        return BigDecimal.valueOf(x).setScale(1, RoundingMode.HALF_UP).doubleValue();
    }
}
