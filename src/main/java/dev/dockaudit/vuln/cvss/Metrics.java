package dev.dockaudit.vuln.cvss;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits a CVSS vector body ({@code AV:N/AC:L/...}, prefix already removed) into metric values and checks them
 * against a version's table of metrics. Order is not enforced (the score does not depend on it, and real advisories
 * sometimes list metrics out of the preferred order); a metric given twice, a metric or value the version does not
 * define, and a missing mandatory metric are errors.
 */
final class Metrics {
    private Metrics() {
    }

    /**
     * @param allowed   every metric the version defines, with its values
     * @param mandatory the metrics that must be present
     */
    static Map<String, String> parse(String vector, String body, Map<String, Set<String>> allowed, List<String> mandatory) {
        if (body.isEmpty()) {
            throw new InvalidCvssException(vector, "no metrics");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String part : body.split("/", -1)) {
            if (part.isEmpty()) {
                throw new InvalidCvssException(vector, "empty metric (two '/' in a row, or a trailing '/')");
            }
            int colon = part.indexOf(':');
            if (colon <= 0 || colon == part.length() - 1 || part.indexOf(':', colon + 1) >= 0) {
                throw new InvalidCvssException(vector, "'" + part + "' is not METRIC:VALUE");
            }
            String key = part.substring(0, colon);
            String value = part.substring(colon + 1);
            Set<String> legal = allowed.get(key);
            if (legal == null) {
                throw new InvalidCvssException(vector, "unknown metric '" + key + "'");
            }
            if (!legal.contains(value)) {
                throw new InvalidCvssException(vector, "'" + value + "' is not a value of " + key + " (one of "
                        + String.join(", ", legal) + ")");
            }
            if (values.put(key, value) != null) {
                throw new InvalidCvssException(vector, "metric " + key + " appears more than once");
            }
        }
        for (String m : mandatory) {
            if (!values.containsKey(m)) {
                throw new InvalidCvssException(vector, "missing mandatory metric " + m);
            }
        }
        return values;
    }

    /** An ordered value set, for readable messages. */
    static Set<String> values(String... v) {
        return new java.util.LinkedHashSet<>(List.of(v));
    }
}
