package dev.dockaudit.vuln.cvss;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class Cvss4MacroVectorsTest {

    @Test
    void theTableHasEveryMacroVectorOnce() {
        Map<String, Integer> all = Cvss4MacroVectors.all();
        assertThat(all).hasSize(270);
        int expected = 0;
        for (int eq1 = 0; eq1 <= 2; eq1++) {
            for (int eq2 = 0; eq2 <= 1; eq2++) {
                for (int eq3 = 0; eq3 <= 2; eq3++) {
                    for (int eq4 = 0; eq4 <= 2; eq4++) {
                        for (int eq5 = 0; eq5 <= 2; eq5++) {
                            for (int eq6 = 0; eq6 <= 1; eq6++) {
                                Integer s = Cvss4MacroVectors.score(eq1, eq2, eq3, eq4, eq5, eq6);
                                if (eq3 == 2 && eq6 == 0) {
                                    // no vector has EQ3 = 2 (no high VC/VI/VA) and EQ6 = 0 (a high requirement on a high impact)
                                    assertThat(s).isNull();
                                } else {
                                    assertThat(s).as("%d%d%d%d%d%d", eq1, eq2, eq3, eq4, eq5, eq6).isBetween(1, 100);
                                    expected++;
                                }
                            }
                        }
                    }
                }
            }
        }
        assertThat(expected).isEqualTo(270);
    }

    @Test
    void spotChecksAgainstTheSpecificationData() {
        assertThat(Cvss4MacroVectors.score(0, 0, 0, 0, 0, 0)).isEqualTo(100);
        assertThat(Cvss4MacroVectors.score(0, 0, 0, 1, 0, 0)).isEqualTo(100);
        assertThat(Cvss4MacroVectors.score(1, 1, 0, 2, 0, 0)).isEqualTo(77);
        assertThat(Cvss4MacroVectors.score(1, 1, 1, 1, 1, 1)).isEqualTo(57);
        assertThat(Cvss4MacroVectors.score(2, 1, 2, 2, 2, 1)).isEqualTo(1);
        assertThat(Cvss4MacroVectors.score(3, 0, 0, 0, 0, 0)).isNull();
        // the sum of the table, a checksum of the transcription
        assertThat(Cvss4MacroVectors.all().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(TABLE_SUM);
    }

    /** Sum of the 270 scores in tenths; the transcription was also compared entry by entry with the table in @pandatix/js-cvss 0.4.4. */
    private static final int TABLE_SUM = 16563;
}
