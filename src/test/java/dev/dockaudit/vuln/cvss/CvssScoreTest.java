package dev.dockaudit.vuln.cvss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.report.Severity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CvssScoreTest {

    /** FIRST "CVSS v3.1 Examples" (the vectors and base scores FIRST publishes for real CVEs). */
    @ParameterizedTest(name = "{0}: {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            CVE-2013-1937 phpMyAdmin reflected XSS       | CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N | 6.1
            CVE-2013-0375 MySQL stored SQL injection     | CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N | 6.4
            CVE-2014-3566 SSLv3 POODLE                   | CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N | 3.1
            CVE-2012-1516 VMware guest to host escape    | CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H | 9.9
            CVE-2009-0783 Apache Tomcat XML parser       | CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L | 4.2
            CVE-2012-0384 Cisco IOS command injection    | CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H | 8.8
            CVE-2015-1098 Apple iWork denial of service  | CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H | 7.8
            CVE-2014-0160 OpenSSL Heartbleed             | CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N | 7.5
            CVE-2014-6271 GNU Bash Shellshock            | CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H | 9.8
            CVE-2008-1447 DNS Kaminsky                   | CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N | 6.8
            CVE-2014-2005 Sophos Disk Encryption         | CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H | 6.8
            CVE-2010-0467 Joomla directory traversal     | CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N | 5.8
            CVE-2012-1342 Cisco ASR 9000 ACL bypass      | CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N | 5.8
            CVE-2013-6014 Juniper proxy ARP              | CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H | 9.3
            CVE-2014-9253 DokuWiki stored XSS            | CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N | 5.4
            CVE-2011-1265 Microsoft Bluetooth stack      | CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H | 8.8
            CVE-2014-2019 Apple iOS passcode bypass      | CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N | 4.6
            CVE-2015-0970 SearchBlox CSRF                | CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H | 8.8
            CVE-2014-0224 OpenSSL CCS injection          | CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N | 7.4
            CVE-2012-5376 Chrome IPC sandbox escape      | CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H | 9.6
            CVE-2016-0128 Badlock (SAM/LSAD)             | CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N | 6.8
            CVE-2016-5729 Lenovo BIOS                    | CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H | 8.2
            CVE-2018-3652 Intel Xeon debug interface     | CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H | 7.6
            """)
    void firstV31Examples(String cve, String vector, double expected) {
        CvssScore s = CvssScore.parse(vector);
        assertThat(s.version()).isEqualTo("3.1");
        assertThat(s.baseScore()).isEqualTo(expected);
        assertThat(s.vector()).isEqualTo(vector);
    }

    /** Real advisories: vectors from ../shared/realdata/osv with the scores NVD (and the CNAs) publish for them. */
    @ParameterizedTest(name = "{0}: {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            CVE-2021-44228 log4shell, GHSA-jfh8-c2jp-5v3q (scope changed) | CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H | 10.0
            CVE-2023-0286 OpenSSL X.400, Ubuntu record                  | CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:H | 7.4
            CVE-2017-3291 Oracle MySQL, CNA text "Base Score 6.3"       | CVSS:3.0/AV:L/AC:H/PR:H/UI:R/S:U/C:H/I:H/A:H | 6.3
            CVE-2017-3318 Oracle MySQL, CNA text "Base Score 4.0"       | CVSS:3.0/AV:L/AC:H/PR:H/UI:R/S:U/C:H/I:N/A:N | 4.0
            """)
    void publishedScoresOfRealAdvisories(String what, String vector, double expected) {
        assertThat(CvssScore.parse(vector).baseScore()).isEqualTo(expected);
    }

    /** The v2 guide's own examples (section 3.3) and NVD v2 scores of well-known CVEs. */
    @ParameterizedTest(name = "{0}: {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            CVE-2002-0392 Apache chunked encoding (guide 3.3.1) | AV:N/AC:L/Au:N/C:N/I:N/A:C | 7.8
            CVE-2003-0818 Microsoft ASN.1 (guide 3.3.2)         | AV:N/AC:L/Au:N/C:C/I:C/A:C | 10.0
            CVE-2003-0062 NOD32 buffer overflow (guide 3.3.3)   | AV:L/AC:H/Au:N/C:C/I:C/A:C | 6.2
            CVE-2014-0160 Heartbleed (NVD)                      | AV:N/AC:L/Au:N/C:P/I:N/A:N | 5.0
            CVE-2014-0001 MySQL client (NVD)                    | AV:N/AC:L/Au:N/C:P/I:P/A:P | 7.5
            NVD parentheses form                                | (AV:N/AC:M/Au:N/C:N/I:P/A:N) | 4.3
            CVSS:2.0 prefix                                     | CVSS:2.0/AV:L/AC:L/Au:N/C:C/I:C/A:C | 7.2
            with temporal metrics (base unchanged)              | AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C | 7.8
            with environmental metrics (base unchanged)         | AV:N/AC:L/Au:S/C:C/I:C/A:C/CDP:H/TD:H/CR:M/IR:M/AR:H | 9.0
            no impact                                           | AV:N/AC:L/Au:N/C:N/I:N/A:N | 0.0
            """)
    void v2(String what, String vector, double expected) {
        CvssScore s = CvssScore.parse(vector);
        assertThat(s.version()).isEqualTo("2.0");
        assertThat(s.baseScore()).isEqualTo(expected);
    }

    /**
     * v4.0: the reference calculator's own documented example, scores of well-known CVEs, and the x.x5 ties reported
     * against the reference implementations (RedHatProductSecurity/cvss-v4-calculator issues 48, 66; RedHatProductSecurity/cvss
     * issues 58, 59, 60, 63) with the half-up results the maintainers settled on.
     */
    @ParameterizedTest(name = "{0}: {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            cvss40.js doc example (CVSS-BTE)           | CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:L/SC:N/SI:N/SA:N/E:A/MAV:A | 8.7
            highest MacroVector                        | CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H | 10.0
            network, full vulnerable-system impact     | CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N | 9.3
            Heartbleed re-scored                       | CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N | 8.7
            CVE-2022-41741 nginx mp4 (local, PR:L)     | CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N | 8.5
            low impacts                                | CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N | 6.9
            tie 8.55 (calculator issue 66)             | CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:L/VA:N/SC:H/SI:H/SA:H | 8.6
            tie 0.35 (calculator issue 48)             | CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:A/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/E:U | 0.4
            tie 8.95 (calculator issue 48)             | CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:N/SC:H/SI:H/SA:H/E:P | 9.0
            tie 8.45, MSI:S/MSA:S (cvss issue 60)      | CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:A/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/E:P/CR:L/IR:L/AR:L/MAV:N/MAC:L/MAT:N/MPR:L/MUI:A/MVC:H/MVI:H/MVA:H/MSC:H/MSI:S/MSA:S/S:P/AU:Y/R:I/V:C/RE:H/U:Red | 8.5
            tie, metrics out of order (cvss issue 63)  | CVSS:4.0/AV:L/AC:H/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:N/SA:H/S:N/AU:N/R:I/V:C/RE:M/U:Green/MAV:A/MAC:L/MAT:N/MPR:N/MUI:N/MVC:H/MVI:N/MVA:H/MSC:H/MSI:H/MSA:H/CR:H/IR:M/AR:H/E:A | 8.6
            tie 0.95 (cvss issue 59)                   | CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:P/VC:H/VI:L/VA:H/SC:H/SI:N/SA:N/E:U/CR:H/IR:M/AR:M/MAV:P/MAC:L/MAT:P/MPR:H/MUI:A/MVC:N/MVI:L/MVA:L/MSC:N/MSI:H/MSA:S/S:N/AU:Y/R:A/V:C/RE:H/U:Amber | 1.0
            tie 0.95 (cvss issue 58)                   | CVSS:4.0/AV:P/AC:H/AT:P/PR:L/UI:P/VC:N/VI:L/VA:H/SC:N/SI:L/SA:N/E:U/CR:H/IR:H/AR:H/MAV:L/MAC:H/MAT:P/MPR:L/MUI:P/MVC:L/MVI:L/MVA:L/MSC:L/MSI:L/MSA:S/S:N/AU:N/R:U/V:D/RE:L/U:Clear | 1.0
            no impact on any system                    | CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N | 0.0
            impact only modified away                  | CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N/MVC:N | 0.0
            supplemental metrics never change it       | CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N/S:P/AU:Y/R:I/V:C/RE:H/U:Red | 8.7
            """)
    void v4(String what, String vector, double expected) {
        CvssScore s = CvssScore.parse(vector);
        assertThat(s.version()).isEqualTo("4.0");
        assertThat(s.baseScore()).isEqualTo(expected);
    }

    @Test
    void scopeChangedRaisesTheScoreAndUsesTheChangedPrivilegeWeights() {
        String unchanged = "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H";
        String changed = "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H";
        assertThat(CvssScore.parse(unchanged).baseScore()).isEqualTo(8.8);
        assertThat(CvssScore.parse(changed).baseScore()).isEqualTo(9.9);
        // PR:H weighs 0.27 unchanged, 0.5 changed
        assertThat(CvssScore.parse("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H").baseScore()).isEqualTo(7.2);
        assertThat(CvssScore.parse("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H").baseScore()).isEqualTo(9.1);
        // capped at 10 after the 1.08 factor
        assertThat(CvssScore.parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H").baseScore()).isEqualTo(10.0);
        // no impact scores 0 whatever the scope
        assertThat(CvssScore.parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N").baseScore()).isEqualTo(0.0);
    }

    @Test
    void v31RoundupAbsorbsFloatingPointNoiseWhereTheV30DefinitionDoesNot() {
        // CVSS v3.1 specification, Appendix A: Roundup(4.02) = 4.1, Roundup(4.00) = 4.0
        assertThat(Cvss3.roundup(4.02, 1)).isEqualTo(4.1);
        assertThat(Cvss3.roundup(4.00, 1)).isEqualTo(4.0);
        assertThat(Cvss3.roundup(4.02, 0)).isEqualTo(4.1);
        assertThat(Cvss3.roundup(4.00, 0)).isEqualTo(4.0);
        // the floating-point case Appendix A was written for
        double noisy = 4.000000000000001;
        assertThat(Cvss3.roundup(noisy, 1)).isEqualTo(4.0);
        assertThat(Cvss3.roundup(noisy, 0)).isEqualTo(4.1);
        // 0.1 + 0.2 is 0.30000000000000004 in binary floating point
        assertThat(Cvss3.roundup(0.1 + 0.2, 1)).isEqualTo(0.3);
        assertThat(Cvss3.roundup(0.1 + 0.2, 0)).isEqualTo(0.4);
        assertThat(Cvss3.roundup(9.999, 1)).isEqualTo(10.0);
    }

    @Test
    void v30AndV31ShareTheBaseEquations() {
        assertThat(CvssScore.parse("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"))
                .isEqualTo(new CvssScore("3.0", 9.8, "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
        assertThat(CvssScore.parse("CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N").baseScore()).isEqualTo(6.1);
    }

    @Test
    void temporalAndEnvironmentalMetricsAreCheckedButLeaveTheBaseScore() {
        assertThat(CvssScore.parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C").baseScore()).isEqualTo(9.8);
        assertThat(CvssScore.parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:L/IR:L/AR:L/MAV:P/MAC:H/MPR:H/MUI:R/MS:U/MC:N/MI:N/MA:N")
                .baseScore()).isEqualTo(9.8);
        assertThatThrownBy(() -> CvssScore.parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:Z"))
                .isInstanceOf(InvalidCvssException.class).hasMessageContaining("'Z' is not a value of E");
    }

    @Test
    void metricOrderDoesNotMatterAndSurroundingSpaceIsIgnored() {
        assertThat(CvssScore.parse("CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N").baseScore()).isEqualTo(9.8);
        assertThat(CvssScore.parse("  CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n").vector())
                .isEqualTo("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            NULL                                                      | empty
            '   '                                                     | empty
            CVSS:3.1                                                  | no metrics
            CVSS:3.1/                                                 | no metrics
            CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H                  | missing mandatory metric A
            CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H                  | missing mandatory metric S
            CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:L          | metric A appears more than once
            CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H              | 'X' is not a value of AV
            CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/Au:N         | unknown metric 'Au'
            CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/             | empty metric
            CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H             | empty metric
            CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A                | 'A' is not METRIC:VALUE
            CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H:H            | 'A:H:H' is not METRIC:VALUE
            CVSS:3.1/av:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H              | unknown metric 'av'
            CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H              | unsupported version prefix 'CVSS:3.2'
            CVSS:5.0/AV:N                                             | unsupported version prefix 'CVSS:5.0'
            AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H                       | unknown metric 'PR'
            AV:N/AC:L/Au:N/C:P/I:P                                    | missing mandatory metric A
            AV:N/AC:L/Au:N/C:P/I:P/A:H                                | 'H' is not a value of A
            HIGH                                                      | not a v2 vector
            9.8                                                       | not a v2 vector
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N | missing mandatory metric SA
            CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N | missing mandatory metric AT
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N | 'R' is not a value of UI
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N | 'S' is not a value of SI
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:red | 'red' is not a value of U
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:U | 'U' is not a value of S
            CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/S:U/C:H/I:H/A:H         | 'U' is not a value of S
            """)
    void garbageVectorsAreRejectedWithAReason(String vector, String reason) {
        assertThatThrownBy(() -> CvssScore.parse(vector))
                .isInstanceOf(InvalidCvssException.class)
                .hasMessageContaining(reason)
                .hasMessageStartingWith("invalid CVSS vector '");
    }

    @Test
    void theExceptionKeepsTheVector() {
        try {
            CvssScore.parse("CVSS:3.1/AV:N");
        } catch (InvalidCvssException e) {
            assertThat(e.vector()).isEqualTo("CVSS:3.1/AV:N");
            assertThat(e).isInstanceOf(IllegalArgumentException.class);
            return;
        }
        throw new AssertionError("no exception");
    }

    @ParameterizedTest(name = "v{0} {1} -> {2}")
    @CsvSource(textBlock = """
            3.1, 0.0,  INFO
            3.1, 0.1,  LOW
            3.1, 3.9,  LOW
            3.1, 4.0,  MEDIUM
            3.1, 6.9,  MEDIUM
            3.1, 7.0,  HIGH
            3.1, 8.9,  HIGH
            3.1, 9.0,  CRITICAL
            3.1, 10.0, CRITICAL
            3.0, 9.8,  CRITICAL
            4.0, 0.0,  INFO
            4.0, 0.1,  LOW
            4.0, 6.9,  MEDIUM
            4.0, 8.9,  HIGH
            4.0, 9.0,  CRITICAL
            2.0, 0.0,  LOW
            2.0, 3.9,  LOW
            2.0, 4.0,  MEDIUM
            2.0, 6.9,  MEDIUM
            2.0, 7.0,  HIGH
            2.0, 10.0, HIGH
            """)
    void qualitativeRatings(String version, double score, Severity expected) {
        assertThat(CvssScore.fromScore(version, score)).isEqualTo(expected);
    }

    @Test
    void ratingOfAParsedScore() {
        assertThat(CvssScore.parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H").severity()).isEqualTo(Severity.CRITICAL);
        assertThat(CvssScore.parse("AV:N/AC:L/Au:N/C:C/I:C/A:C").severity()).isEqualTo(Severity.HIGH);
        assertThat(CvssScore.parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N").severity())
                .isEqualTo(Severity.INFO);
    }

    @Test
    void ratingRejectsImpossibleInput() {
        assertThatThrownBy(() -> CvssScore.fromScore("3.1", 10.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CvssScore.fromScore("3.1", -0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CvssScore.fromScore("3.1", Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CvssScore.fromScore("1.0", 5.0)).hasMessageContaining("unknown CVSS version");
    }
}
