package dev.dockaudit.vuln.cvss;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Thousands of vectors with the scores of the FIRST reference calculators (resource {@code cvss/reference-calculator-scores.tsv},
 * provenance in its header): every version, every v4.0 x.x5 tie, and v4.0 vectors mixing threat, environmental and
 * supplemental metrics.
 */
class CvssReferenceScoresTest {

    @Test
    void everyVectorScoresAsTheReferenceCalculatorDoes() throws IOException {
        List<String> mismatches = new ArrayList<>();
        Map<String, Integer> perVersion = new TreeMap<>();
        try (InputStream in = getClass().getResourceAsStream("/cvss/reference-calculator-scores.tsv")) {
            assertThat(in).as("test resource").isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t");
                double expected = Double.parseDouble(cols[1]);
                CvssScore s = CvssScore.parse(cols[0]);
                perVersion.merge(s.version(), 1, Integer::sum);
                if (s.baseScore() != expected) {
                    mismatches.add(cols[0] + " expected " + expected + " got " + s.baseScore());
                }
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(perVersion).containsOnlyKeys("2.0", "3.0", "3.1", "4.0");
        assertThat(perVersion.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(4500);
        assertThat(perVersion.get("4.0")).isGreaterThan(3400);
    }
}
