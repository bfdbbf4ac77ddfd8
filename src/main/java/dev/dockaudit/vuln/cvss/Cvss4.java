package dev.dockaudit.vuln.cvss;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CVSS v4.0 score, written from the FIRST specification document (section 8, "CVSS v4.0 Scoring"): the vector's
 * MacroVector (equivalence classes EQ1..EQ6) is looked up in the table of expert-assigned scores, then the score is
 * interpolated towards the next lower MacroVector in proportion to the vector's severity distance from the highest
 * severity vectors of its MacroVector.
 *
 * <p>Unlike v2 and v3 there is one v4 score for whatever metrics the vector carries: with base metrics only it is the
 * CVSS-B score advisories publish; threat ({@code E}) and environmental metrics (CVSS-BT, -BE, -BTE) take part as the
 * specification says ({@code E:X} counts as {@code E:A}, {@code CR/IR/AR:X} as {@code H}, a modified metric replaces
 * its base metric). Supplemental metrics never change the score.
 *
 * <p>The arithmetic is exact (every quantity is an integer number of tenths, the mean a rational), and the result is
 * rounded half up to one decimal as the specification intends. The FIRST/Red Hat reference calculator computes the
 * same thing in floating point and, since its 2024 rounding fixes, lifts values one ULP below an x.x5 tie, so it
 * agrees with this exact computation.
 */
final class Cvss4 {
    static final Map<String, Set<String>> METRICS = new LinkedHashMap<>();
    static final List<String> MANDATORY = List.of("AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA");

    static {
        METRICS.put("AV", Metrics.values("N", "A", "L", "P"));
        METRICS.put("AC", Metrics.values("L", "H"));
        METRICS.put("AT", Metrics.values("N", "P"));
        METRICS.put("PR", Metrics.values("N", "L", "H"));
        METRICS.put("UI", Metrics.values("N", "P", "A"));
        for (String m : List.of("VC", "VI", "VA", "SC", "SI", "SA")) {
            METRICS.put(m, Metrics.values("H", "L", "N"));
        }
        METRICS.put("E", Metrics.values("X", "A", "P", "U"));
        for (String m : List.of("CR", "IR", "AR")) {
            METRICS.put(m, Metrics.values("X", "H", "M", "L"));
        }
        METRICS.put("MAV", Metrics.values("X", "N", "A", "L", "P"));
        METRICS.put("MAC", Metrics.values("X", "L", "H"));
        METRICS.put("MAT", Metrics.values("X", "N", "P"));
        METRICS.put("MPR", Metrics.values("X", "N", "L", "H"));
        METRICS.put("MUI", Metrics.values("X", "N", "P", "A"));
        for (String m : List.of("MVC", "MVI", "MVA", "MSC")) {
            METRICS.put(m, Metrics.values("X", "H", "L", "N"));
        }
        METRICS.put("MSI", Metrics.values("X", "S", "H", "L", "N"));
        METRICS.put("MSA", Metrics.values("X", "S", "H", "L", "N"));
        METRICS.put("S", Metrics.values("X", "N", "P"));
        METRICS.put("AU", Metrics.values("X", "N", "Y"));
        METRICS.put("R", Metrics.values("X", "A", "U", "I"));
        METRICS.put("V", Metrics.values("X", "D", "C"));
        METRICS.put("RE", Metrics.values("X", "L", "M", "H"));
        METRICS.put("U", Metrics.values("X", "Clear", "Green", "Amber", "Red"));
    }

    /**
     * Severity level of each value, in steps of 0.1 (the specification's "metric levels"); a smaller number is more
     * severe. The distances that drive the interpolation are differences of these levels.
     */
    private static final Map<String, Map<String, Integer>> LEVELS = new LinkedHashMap<>();

    static {
        LEVELS.put("AV", Map.of("N", 0, "A", 1, "L", 2, "P", 3));
        LEVELS.put("PR", Map.of("N", 0, "L", 1, "H", 2));
        LEVELS.put("UI", Map.of("N", 0, "P", 1, "A", 2));
        LEVELS.put("AC", Map.of("L", 0, "H", 1));
        LEVELS.put("AT", Map.of("N", 0, "P", 1));
        for (String m : List.of("VC", "VI", "VA")) {
            LEVELS.put(m, Map.of("H", 0, "L", 1, "N", 2));
        }
        LEVELS.put("SC", Map.of("H", 1, "L", 2, "N", 3));
        LEVELS.put("SI", Map.of("S", 0, "H", 1, "L", 2, "N", 3));
        LEVELS.put("SA", Map.of("S", 0, "H", 1, "L", 2, "N", 3));
        for (String m : List.of("CR", "IR", "AR")) {
            LEVELS.put(m, Map.of("H", 0, "M", 1, "L", 2));
        }
        LEVELS.put("E", Map.of("A", 0, "P", 1, "U", 2));
    }

    /** The highest severity vectors of each EQ level ("max composed" in the specification's reference data). */
    private static final List<List<String>> EQ1_MAX = List.of(
            List.of("AV:N/PR:N/UI:N"),
            List.of("AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"),
            List.of("AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"));
    private static final List<List<String>> EQ2_MAX = List.of(
            List.of("AC:L/AT:N"),
            List.of("AC:H/AT:N", "AC:L/AT:P"));
    /** Indexed by EQ3 then EQ6 (the two are scored together); EQ3 = 2 only exists with EQ6 = 1. */
    private static final List<List<List<String>>> EQ3_EQ6_MAX = List.of(
            List.of(List.of("VC:H/VI:H/VA:H/CR:H/IR:H/AR:H"),
                    List.of("VC:H/VI:H/VA:L/CR:M/IR:M/AR:H", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M")),
            List.of(List.of("VC:L/VI:H/VA:H/CR:H/IR:H/AR:H", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H"),
                    List.of("VC:L/VI:H/VA:L/CR:H/IR:M/AR:H", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M",
                            "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M", "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H",
                            "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M")),
            List.of(List.of(), List.of("VC:L/VI:L/VA:L/CR:H/IR:H/AR:H")));
    private static final List<List<String>> EQ4_MAX = List.of(
            List.of("SC:H/SI:S/SA:S"),
            List.of("SC:H/SI:H/SA:H"),
            List.of("SC:L/SI:L/SA:L"));
    private static final List<List<String>> EQ5_MAX = List.of(List.of("E:A"), List.of("E:P"), List.of("E:U"));

    /** Depth of each EQ level in steps ("max severity"), the denominator of the proportional distance. */
    private static final int[] EQ1_DEPTH = {1, 4, 5};
    private static final int[] EQ2_DEPTH = {1, 2};
    private static final int[][] EQ3_EQ6_DEPTH = {{7, 6}, {8, 8}, {0, 10}};
    private static final int[] EQ4_DEPTH = {6, 5, 4};

    private Cvss4() {
    }

    /** @param body the vector after {@code CVSS:4.0/} */
    static double score(String vector, String body) {
        Map<String, String> given = Metrics.parse(vector, body, METRICS, MANDATORY);
        Map<String, String> m = effective(given);
        if (List.of("VC", "VI", "VA", "SC", "SI", "SA").stream().allMatch(k -> m.get(k).equals("N"))) {
            return 0.0;
        }
        int eq1 = eq1(m);
        int eq2 = m.get("AC").equals("L") && m.get("AT").equals("N") ? 0 : 1;
        int eq3 = eq3(m);
        int eq4 = eq4(m);
        int eq5 = m.get("E").equals("A") ? 0 : m.get("E").equals("P") ? 1 : 2;
        boolean cr = m.get("CR").equals("H") && m.get("VC").equals("H");
        boolean ir = m.get("IR").equals("H") && m.get("VI").equals("H");
        boolean ar = m.get("AR").equals("H") && m.get("VA").equals("H");
        int eq6 = cr || ir || ar ? 0 : 1;

        Integer value = Cvss4MacroVectors.score(eq1, eq2, eq3, eq4, eq5, eq6);
        if (value == null) {
            throw new IllegalStateException("MacroVector " + eq1 + eq2 + eq3 + eq4 + eq5 + eq6 + " is not in the table");
        }

        // the next lower MacroVector of each EQ (null where there is none)
        Integer lower1 = Cvss4MacroVectors.score(eq1 + 1, eq2, eq3, eq4, eq5, eq6);
        Integer lower2 = Cvss4MacroVectors.score(eq1, eq2 + 1, eq3, eq4, eq5, eq6);
        Integer lower36;
        if (eq3 == 1 && eq6 == 1) {
            lower36 = Cvss4MacroVectors.score(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
        } else if (eq3 == 0 && eq6 == 1) {
            lower36 = Cvss4MacroVectors.score(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
        } else if (eq3 == 1 && eq6 == 0) {
            lower36 = Cvss4MacroVectors.score(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
        } else if (eq3 == 0 && eq6 == 0) {
            // two ways down: take the higher-scored
            Integer left = Cvss4MacroVectors.score(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
            Integer right = Cvss4MacroVectors.score(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
            lower36 = left == null ? right : right == null ? left : Math.max(left, right);
        } else {
            lower36 = null; // 21 has nothing below it
        }
        Integer lower4 = Cvss4MacroVectors.score(eq1, eq2, eq3, eq4 + 1, eq5, eq6);
        Integer lower5 = Cvss4MacroVectors.score(eq1, eq2, eq3, eq4, eq5 + 1, eq6);

        // severity distance from the first highest-severity vector of the MacroVector that is at least as severe
        Map<String, Integer> distances = null;
        search:
        for (String a : EQ1_MAX.get(eq1)) {
            for (String b : EQ2_MAX.get(eq2)) {
                for (String c : EQ3_EQ6_MAX.get(eq3).get(eq6)) {
                    for (String d : EQ4_MAX.get(eq4)) {
                        for (String e : EQ5_MAX.get(eq5)) {
                            Map<String, String> max = fragments(a, b, c, d, e);
                            distances = distances(m, max);
                            if (distances.values().stream().allMatch(x -> x >= 0)) {
                                break search;
                            }
                        }
                    }
                }
            }
        }
        if (distances == null) {
            throw new IllegalStateException("no highest-severity vector for MacroVector " + eq1 + eq2 + eq3 + eq4 + eq5 + eq6);
        }
        int d1 = distances.get("AV") + distances.get("PR") + distances.get("UI");
        int d2 = distances.get("AC") + distances.get("AT");
        int d36 = distances.get("VC") + distances.get("VI") + distances.get("VA") + distances.get("CR")
                + distances.get("IR") + distances.get("AR");
        int d4 = distances.get("SC") + distances.get("SI") + distances.get("SA");

        // mean of (available distance x proportion of depth), over the EQs that have a lower MacroVector; kept as a
        // fraction num/den of tenths. EQ5's proportion is always 0 but it still counts in the mean.
        List<long[]> terms = new ArrayList<>(); // {numerator, denominator} in tenths
        int n = 0;
        if (lower1 != null) {
            n++;
            terms.add(new long[] {(long) (value - lower1) * d1, EQ1_DEPTH[eq1]});
        }
        if (lower2 != null) {
            n++;
            terms.add(new long[] {(long) (value - lower2) * d2, EQ2_DEPTH[eq2]});
        }
        if (lower36 != null) {
            n++;
            terms.add(new long[] {(long) (value - lower36) * d36, EQ3_EQ6_DEPTH[eq3][eq6]});
        }
        if (lower4 != null) {
            n++;
            terms.add(new long[] {(long) (value - lower4) * d4, EQ4_DEPTH[eq4]});
        }
        if (lower5 != null) {
            n++;
        }
        long den = 1;
        for (long[] t : terms) {
            den *= t[1];
        }
        long num = 0;
        for (long[] t : terms) {
            num += t[0] * (den / t[1]);
        }
        long denominator = den * Math.max(n, 1);
        // score in tenths = value - num / denominator, clamped to [0, 100], rounded half up
        long exactNum = (long) value * denominator - num;
        long tenths;
        if (exactNum <= 0) {
            tenths = 0;
        } else {
            tenths = Math.floorDiv(2 * exactNum + denominator, 2 * denominator);
        }
        tenths = Math.min(100, tenths);
        return tenths / 10.0;
    }

    /** The value each metric has for scoring: modified metrics replace base ones; unset threat/requirements are worst case. */
    private static Map<String, String> effective(Map<String, String> given) {
        Map<String, String> m = new HashMap<>();
        for (String base : List.of("AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA")) {
            String mod = given.get("M" + base);
            m.put(base, mod != null && !mod.equals("X") ? mod : given.get(base));
        }
        m.put("E", given.getOrDefault("E", "X").equals("X") ? "A" : given.get("E"));
        for (String r : List.of("CR", "IR", "AR")) {
            m.put(r, given.getOrDefault(r, "X").equals("X") ? "H" : given.get(r));
        }
        m.put("MSI", given.getOrDefault("MSI", "X"));
        m.put("MSA", given.getOrDefault("MSA", "X"));
        return m;
    }

    private static int eq1(Map<String, String> m) {
        boolean av = m.get("AV").equals("N");
        boolean pr = m.get("PR").equals("N");
        boolean ui = m.get("UI").equals("N");
        if (av && pr && ui) {
            return 0;
        }
        if ((av || pr || ui) && !m.get("AV").equals("P")) {
            return 1;
        }
        return 2;
    }

    private static int eq3(Map<String, String> m) {
        boolean vc = m.get("VC").equals("H");
        boolean vi = m.get("VI").equals("H");
        boolean va = m.get("VA").equals("H");
        if (vc && vi) {
            return 0;
        }
        return vc || vi || va ? 1 : 2;
    }

    private static int eq4(Map<String, String> m) {
        if (m.get("MSI").equals("S") || m.get("MSA").equals("S")) {
            return 0;
        }
        return m.get("SC").equals("H") || m.get("SI").equals("H") || m.get("SA").equals("H") ? 1 : 2;
    }

    private static Map<String, String> fragments(String... parts) {
        Map<String, String> max = new HashMap<>();
        for (String part : parts) {
            for (String kv : part.split("/")) {
                int colon = kv.indexOf(':');
                max.put(kv.substring(0, colon), kv.substring(colon + 1));
            }
        }
        return max;
    }

    private static Map<String, Integer> distances(Map<String, String> m, Map<String, String> max) {
        Map<String, Integer> d = new HashMap<>();
        for (Map.Entry<String, Map<String, Integer>> e : LEVELS.entrySet()) {
            String metric = e.getKey();
            d.put(metric, e.getValue().get(m.get(metric)) - e.getValue().get(max.get(metric)));
        }
        return d;
    }
}
