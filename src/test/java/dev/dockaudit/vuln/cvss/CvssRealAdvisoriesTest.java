package dev.dockaudit.vuln.cvss;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.report.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every CVSS vector in the real OSV records of ../shared/realdata/osv (resource {@code cvss/osv-realdata-vectors.tsv})
 * parses, and its rating equals the rating GitHub's reviewers gave the advisory, except where they chose otherwise.
 */
class CvssRealAdvisoriesTest {
    /**
     * Advisories whose GitHub rating is not the one their CVSS score gives (GitHub lets reviewers set the rating by
     * hand): advisory -> the rating the score gives.
     */
    private static final Map<String, Severity> GITHUB_CHOSE_ANOTHER_RATING = Map.of(
            "GHSA-99qr-9cc9-fv2x", Severity.HIGH,   // CVSS:3.0 7.8, rated moderate
            "GHSA-crjg-w57m-rqqf", Severity.HIGH,   // CVSS:4.0 7.7, rated moderate
            "GHSA-mmwx-rj87-vfgr", Severity.HIGH);  // CVSS:4.0 7.1, rated moderate

    @Test
    void realVectorsParseAndRateAsGitHubRatesThem() throws IOException {
        List<String> disagreements = new ArrayList<>();
        int v3 = 0;
        int v4 = 0;
        int rated = 0;
        try (InputStream in = getClass().getResourceAsStream("/cvss/osv-realdata-vectors.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] c = line.split("\t");
                CvssScore s = CvssScore.parse(c[2]);
                if (c[1].equals("CVSS_V4")) {
                    assertThat(s.version()).isEqualTo("4.0");
                    v4++;
                } else {
                    assertThat(s.version()).startsWith("3.");
                    v3++;
                }
                if (c[3].equals("-")) {
                    continue;
                }
                rated++;
                Severity github = c[3].equals("MODERATE") ? Severity.MEDIUM : Severity.valueOf(c[3]);
                if (s.severity() != github) {
                    disagreements.add(c[0]);
                    assertThat(GITHUB_CHOSE_ANOTHER_RATING).containsEntry(c[0], s.severity());
                }
            }
        }
        assertThat(v3).isEqualTo(341);
        assertThat(v4).isEqualTo(8);
        assertThat(rated).isEqualTo(348);
        assertThat(disagreements).containsExactlyInAnyOrderElementsOf(GITHUB_CHOSE_ANOTHER_RATING.keySet());
    }
}
