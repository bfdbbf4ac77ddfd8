package dev.dockaudit.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What GitHub code scanning requires of an uploaded SARIF file beyond the schema, as its documentation states it
 * ("SARIF support for code scanning", github/docs content/code-security/reference/code-scanning/sarif-files/
 * sarif-support.md, and the limits in "SARIF results exceed limit"): required properties must be present and not
 * empty; rule name at most 255 characters, descriptions at most 1024; security-severity a number from 0.0 to 10.0
 * written as a string; every result with a message, one to ten locations each with an artifact URI and a region
 * (startLine, startColumn, endLine, endColumn), and the primaryLocationLineHash fingerprint (the only one GitHub reads);
 * at most 25,000 results and 25,000 rules per run, 20 runs per file, 20 tags per rule.
 */
final class GitHubSarifRules {
    private GitHubSarifRules() {
    }

    static List<String> violations(JsonNode log) {
        List<String> v = new ArrayList<>();
        text(log, "$schema", "log", v);
        if (!"2.1.0".equals(log.path("version").asText())) {
            v.add("log: version must be 2.1.0");
        }
        JsonNode runs = log.path("runs");
        if (!runs.isArray() || runs.isEmpty() || runs.size() > 20) {
            v.add("log: runs must be an array of 1 to 20 runs");
            return v;
        }
        for (JsonNode run : runs) {
            JsonNode driver = run.path("tool").path("driver");
            text(driver, "name", "tool.driver", v);
            JsonNode rules = driver.path("rules");
            if (!rules.isArray()) {
                v.add("tool.driver.rules must be an array");
            } else if (rules.size() > 25_000) {
                v.add("more than 25,000 rules");
            }
            Set<String> ruleIds = new HashSet<>();
            for (JsonNode rule : rules) {
                String where = "rule " + rule.path("id").asText("?");
                if (!text(rule, "id", where, v) || !ruleIds.add(rule.get("id").asText())) {
                    v.add(where + ": id missing or not unique");
                }
                if (rule.has("name") && rule.get("name").asText().length() > 255) {
                    v.add(where + ": name longer than 255");
                }
                for (String d : List.of("shortDescription", "fullDescription")) {
                    if (text(rule.path(d), "text", where + "." + d, v) && rule.path(d).path("text").asText().length() > 1024) {
                        v.add(where + "." + d + ".text longer than 1024");
                    }
                }
                text(rule.path("help"), "text", where + ".help", v);
                JsonNode level = rule.path("defaultConfiguration").path("level");
                if (!level.isMissingNode() && !Set.of("note", "warning", "error").contains(level.asText())) {
                    v.add(where + ": defaultConfiguration.level must be note, warning or error");
                }
                JsonNode tags = rule.path("properties").path("tags");
                if (tags.size() > 20) {
                    v.add(where + ": more than 20 tags");
                }
                JsonNode sev = rule.path("properties").path("security-severity");
                if (!sev.isMissingNode()) {
                    if (!sev.isTextual()) {
                        v.add(where + ": security-severity must be a string");
                    } else {
                        try {
                            double d = Double.parseDouble(sev.asText());
                            if (d < 0 || d > 10) {
                                v.add(where + ": security-severity outside 0.0-10.0");
                            }
                        } catch (NumberFormatException e) {
                            v.add(where + ": security-severity is not a number");
                        }
                    }
                }
                if (rule.has("helpUri") && !absolute(rule.get("helpUri").asText())) {
                    v.add(where + ": helpUri is not an absolute URI");
                }
            }
            JsonNode results = run.path("results");
            if (!results.isArray()) {
                v.add("run: results must be an array");
                continue;
            }
            if (results.size() > 25_000) {
                v.add("more than 25,000 results");
            }
            int i = 0;
            for (JsonNode r : results) {
                String where = "result " + i++;
                if (!text(r, "ruleId", where, v) || !ruleIds.contains(r.get("ruleId").asText())) {
                    v.add(where + ": ruleId names no rule");
                }
                if (r.has("ruleIndex") && !rules.path(r.get("ruleIndex").asInt()).path("id").asText().equals(r.path("ruleId").asText())) {
                    v.add(where + ": ruleIndex points at another rule");
                }
                if (r.has("level") && !Set.of("none", "note", "warning", "error").contains(r.get("level").asText())) {
                    v.add(where + ": bad level");
                }
                text(r.path("message"), "text", where + ".message", v);
                JsonNode locations = r.path("locations");
                if (!locations.isArray() || locations.isEmpty() || locations.size() > 10) {
                    v.add(where + ": needs 1 to 10 locations");
                } else {
                    for (JsonNode loc : locations) {
                        JsonNode phys = loc.path("physicalLocation");
                        if (text(phys.path("artifactLocation"), "uri", where + ".artifactLocation", v)) {
                            try {
                                URI u = new URI(phys.path("artifactLocation").path("uri").asText());
                                if (u.isAbsolute()) {
                                    v.add(where + ": artifact URI should be relative to the repository");
                                }
                            } catch (URISyntaxException e) {
                                v.add(where + ": artifact URI is not a URI: " + e.getMessage());
                            }
                        }
                        for (String k : List.of("startLine", "startColumn", "endLine", "endColumn")) {
                            if (phys.path("region").path(k).asInt(0) < 1) {
                                v.add(where + ": region." + k + " missing");
                            }
                        }
                    }
                }
                text(r.path("partialFingerprints"), "primaryLocationLineHash", where + ".partialFingerprints", v);
            }
        }
        return v;
    }

    private static boolean text(JsonNode n, String key, String where, List<String> v) {
        JsonNode t = n.path(key);
        if (!t.isTextual() || t.asText().isBlank()) {
            v.add(where + ": " + key + " is required and must not be empty");
            return false;
        }
        return true;
    }

    private static boolean absolute(String s) {
        try {
            return new URI(s).isAbsolute();
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
