package dev.dockaudit.vuln.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;
import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IgnoreFileTest {
    private static final LocalDate TODAY = LocalDate.of(2024, 6, 1);

    /** Findings the real alpine:3.10.4 image has against the Alpine v3.10 secdb (../shared/realdata/images/expected). */
    private static final FindingLike APK_TOOLS = FindingLike.of("CVE-2021-36159", List.of(), "apk-tools", "2.10.4-r2",
            "pkg:apk/alpine/apk-tools@2.10.4-r2?arch=x86_64&distro=3.10.4");
    private static final FindingLike MUSL = FindingLike.of("CVE-2020-28928", List.of(), "musl", "1.1.22-r3", null);
    private static final FindingLike MUSL_UTILS = FindingLike.of("CVE-2020-28928", List.of(), "musl-utils", "1.1.22-r3", null);
    private static final FindingLike LIBCRYPTO = FindingLike.of("CVE-2020-1967", List.of(), "libcrypto1.1", "1.1.1d-r2", null);
    /** log4shell as a GitHub advisory (realdata GHSA-jfh8-c2jp-5v3q, alias CVE-2021-44228). */
    private static final FindingLike LOG4J = FindingLike.of("GHSA-jfh8-c2jp-5v3q", List.of("CVE-2021-44228"),
            "org.apache.logging.log4j:log4j-core", "2.14.1", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");

    static IgnoreFile parse(String yaml) {
        return IgnoreFile.parse(yaml.getBytes(StandardCharsets.UTF_8), ".dockauditignore", TODAY);
    }

    @Test
    void theDocumentedExampleSuppressesWhatItNames() {
        IgnoreFile f = parse("""
                # findings we accept
                - id: CVE-2021-36159
                  package: apk-tools@2.10.4-r2
                  expires: 2025-06-30
                  reason: apk is not run in production containers
                - id: cve-2021-44228
                  reason: "log4j-core is on the class path but no logger is configured"
                - id: CVE-2020-28928
                  package: musl
                """);
        assertThat(f.entries()).hasSize(3);
        IgnoreFile.Entry first = f.entries().get(0);
        assertThat(first).isEqualTo(new IgnoreFile.Entry("CVE-2021-36159", "apk-tools", "2.10.4-r2", LocalDate.of(2025, 6, 30),
                "apk is not run in production containers", 2, 3));

        Decision d = f.apply(APK_TOOLS);
        assertThat(d.suppressed()).isTrue();
        assertThat(d.source()).isEqualTo(".dockauditignore:2");
        assertThat(d.status()).isEqualTo("ignored");
        assertThat(d.detail()).isEqualTo("apk is not run in production containers");
        assertThat(d.describe("CVE-2021-36159")).isEqualTo(
                "CVE-2021-36159: suppressed by .dockauditignore:2: apk is not run in production containers");

        // an alias matches, case-insensitively
        assertThat(f.apply(LOG4J).source()).isEqualTo(".dockauditignore:6");
        // package by name: musl yes, musl-utils (same CVE, same source package) no
        assertThat(f.apply(MUSL).suppressed()).isTrue();
        assertThat(f.apply(MUSL_UTILS)).isEqualTo(Decision.KEEP);
        assertThat(f.apply(LIBCRYPTO)).isEqualTo(Decision.KEEP);
        assertThat(f.notes()).isEmpty();
    }

    @Test
    void packageVersionMustMatchExactly() {
        IgnoreFile f = parse("- id: CVE-2021-36159\n  package: apk-tools@2.10.4-r3\n");
        assertThat(f.apply(APK_TOOLS).suppressed()).isFalse();
        assertThat(parse("- id: CVE-2021-36159\n  package: APK-Tools\n").apply(APK_TOOLS).suppressed()).isTrue();
        // a finding that is not about a package never matches an entry that names one
        FindingLike config = FindingLike.of("CVE-2021-36159", List.of(), null, null, null);
        assertThat(f.apply(config).suppressed()).isFalse();
        assertThat(parse("- id: CVE-2021-36159\n").apply(config).suppressed()).isTrue();
    }

    @Test
    void scopedNpmPackagesKeepTheirAtSign() {
        IgnoreFile f = parse("""
                - id: GHSA-67hx-6x53-jw92
                  package: "@babel/traverse@7.22.0"
                - id: GHSA-67hx-6x53-jw92
                  package: "@babel/core"
                """);
        assertThat(f.entries().get(0).packageName()).isEqualTo("@babel/traverse");
        assertThat(f.entries().get(0).packageVersion()).isEqualTo("7.22.0");
        assertThat(f.entries().get(1).packageName()).isEqualTo("@babel/core");
        assertThat(f.entries().get(1).packageVersion()).isNull();
        assertThat(f.apply(FindingLike.of("GHSA-67hx-6x53-jw92", List.of(), "@babel/traverse", "7.22.0", null)).source())
                .isEqualTo(".dockauditignore:1");
    }

    @Test
    void theFirstMatchingEntryWins() {
        IgnoreFile f = parse("""
                - id: CVE-2021-36159
                  package: apk-tools
                  reason: first
                - id: CVE-2021-36159
                  reason: second
                """);
        assertThat(f.apply(APK_TOOLS).detail()).isEqualTo("first");
        assertThat(f.notes()).containsExactly(".dockauditignore:4: the entry for CVE-2021-36159 matched no finding; remove it if"
                + " the vulnerability is gone");
    }

    @Test
    void expiredEntriesStopApplyingAndAreReported() {
        IgnoreFile f = parse("""
                - id: CVE-2021-36159
                  expires: 2024-06-01
                  reason: until the base image moves to 3.14
                - id: CVE-2020-28928
                  expires: 2024-06-02
                - id: CVE-2020-1967
                  expires: 2020-01-01
                """);
        // expires on the date itself
        assertThat(f.apply(APK_TOOLS).suppressed()).isFalse();
        assertThat(f.apply(MUSL).suppressed()).isTrue();
        assertThat(f.apply(MUSL_UTILS).suppressed()).isTrue();
        assertThat(f.expired()).extracting(IgnoreFile.Entry::id).containsExactly("CVE-2021-36159", "CVE-2020-1967");
        assertThat(f.suppressedBy(f.entries().get(1))).isEqualTo(2);
        assertThat(f.notes()).containsExactly(
                ".dockauditignore:1: the entry for CVE-2021-36159 expired on 2024-06-01 and no longer applies (it matches 1"
                        + " finding, reported again); review it, then renew or remove it",
                ".dockauditignore:6: the entry for CVE-2020-1967 expired on 2020-01-01 and no longer applies; review it,"
                        + " then renew or remove it");
        assertThat(f.unused()).isEmpty();
    }

    @Test
    void emptyFilesAndCommentOnlyFilesHaveNoEntries() {
        assertThat(parse("").entries()).isEmpty();
        assertThat(parse("# nothing ignored yet\n").entries()).isEmpty();
        assertThat(parse("---\n").entries()).isEmpty();
        assertThat(parse("[]").entries()).isEmpty();
        assertThat(parse("").apply(APK_TOOLS)).isEqualTo(Decision.KEEP);
    }

    @Test
    void badYamlIsAUserErrorWithLineAndColumn() {
        assertThatThrownBy(() -> parse("- id: CVE-2021-36159\n  reason: \"never closed\n"))
                .isInstanceOf(UserError.class).hasMessageStartingWith(".dockauditignore:").hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> parse("- id: CVE-1\n\t- id: CVE-2\n"))
                .isInstanceOf(UserError.class).hasMessageMatching("\\.dockauditignore:2:\\d+: not valid YAML.*");
        assertThatThrownBy(() -> parse("- id: CVE-1\n  reason: a: b\n"))
                .isInstanceOf(UserError.class).hasMessage(".dockauditignore:2:12: not valid YAML: mapping values are not allowed here");
    }

    @Test
    void badEntriesSayWhereAndWhat() {
        assertThatThrownBy(() -> parse("- id: CVE-2021-36159\n  expiry: 2025-01-01\n"))
                .isInstanceOf(UserError.class)
                .hasMessage(".dockauditignore:2:3: unknown key 'expiry'; an entry has id, package, expires and reason");
        assertThatThrownBy(() -> parse("- id: CVE-2021-36159\n  expires: 2025-13-01\n"))
                .hasMessage(".dockauditignore:2:12: expires must be a date written as YYYY-MM-DD (e.g. 2025-06-30), not '2025-13-01'");
        assertThatThrownBy(() -> parse("- id: CVE-2021-36159\n  expires: next year\n"))
                .hasMessageStartingWith(".dockauditignore:2:12: expires must be a date");
        assertThatThrownBy(() -> parse("- id: CVE-2021-36159\n- package: musl\n  reason: no id\n"))
                .hasMessage(".dockauditignore:2:3: the entry has no id; give the finding's id or one of its aliases, e.g."
                        + " 'id: CVE-2021-36159'");
        assertThatThrownBy(() -> parse("id: CVE-2021-36159\n"))
                .hasMessageStartingWith(".dockauditignore:1:1: the ignore file must be a list of entries");
        assertThatThrownBy(() -> parse("- CVE-2021-36159\n"))
                .hasMessageStartingWith(".dockauditignore:1:3: an entry must be a mapping");
        assertThatThrownBy(() -> parse("- id: [CVE-1, CVE-2]\n"))
                .hasMessage(".dockauditignore:1:7: 'id' must be a single value, not a list");
        assertThatThrownBy(() -> parse("- id: CVE-1\n  id: CVE-2\n"))
                .hasMessageContaining(":2:3: ").hasMessageContaining("'id' is given twice");
        assertThatThrownBy(() -> parse("- id: CVE-1\n  package: musl@\n"))
                .hasMessage(".dockauditignore:2:12: package must be a name or name@version, not 'musl@'");
        assertThatThrownBy(() -> parse("- id: CVE-1\n---\n- id: CVE-2\n"))
                .hasMessageContaining("only one YAML document");
    }

    @Test
    void filesOnDisk(@TempDir Path dir) throws IOException {
        assertThat(IgnoreFile.loadDefault(dir, TODAY).entries()).isEmpty();
        Path file = dir.resolve(IgnoreFile.DEFAULT_NAME);
        Files.writeString(file, "- id: CVE-2021-36159\n  reason: accepted\n");
        IgnoreFile f = IgnoreFile.loadDefault(dir, TODAY);
        assertThat(f.name()).isEqualTo(file.toString());
        assertThat(f.apply(APK_TOOLS).source()).isEqualTo(file + ":1");
        assertThat(IgnoreFile.load(file).entries()).hasSize(1);
        assertThatThrownBy(() -> IgnoreFile.load(dir.resolve("missing.yaml")))
                .isInstanceOf(UserError.class).hasMessageContaining("does not exist; check the path given to --ignore-file");
        Files.writeString(file, "- id: CVE-1\n  reason: ok\n- id: CVE-2\n  expires: tomorrow\n");
        assertThatThrownBy(() -> IgnoreFile.load(file, TODAY)).hasMessageStartingWith(file + ":4:12: expires must be a date");
    }

    @Test
    void aReportFindingIsReadThroughItsPackage() {
        Package p = new Package("apk-tools", "2.10.4-r2", PackageType.APK, "x86_64", "apk-tools", "2.10.4-r2",
                "pkg:apk/alpine/apk-tools@2.10.4-r2?arch=x86_64", null, null, "lib/apk/db/installed", null, null);
        Finding finding = new Finding("ALPINE-CVE-2021-36159", Category.VULNERABILITY, Severity.HIGH, "t", null, null, List.of(),
                List.of("CVE-2021-36159"), p, null, "2.10.7-r0", "fixed", null, null, null, null, null);
        FindingLike like = FindingLike.of(finding);
        assertThat(like.packageName()).isEqualTo("apk-tools");
        assertThat(like.packageVersion()).isEqualTo("2.10.4-r2");
        assertThat(like.packagePurl()).startsWith("pkg:apk/alpine/apk-tools@2.10.4-r2");
        assertThat(like.allIds()).containsExactly("ALPINE-CVE-2021-36159", "CVE-2021-36159");
        assertThat(parse("- id: CVE-2021-36159\n  package: apk-tools@2.10.4-r2\n").apply(like).suppressed()).isTrue();

        Finding withMap = new Finding("CVE-1", Category.VULNERABILITY, Severity.LOW, "t", null, null, List.of(), List.of(),
                Map.of("name", "zlib1g", "version", "1:1.2.13.dfsg-1"), "1:1.2.13.dfsg-1", null, null, null, null, null, null, null);
        assertThat(FindingLike.of(withMap).packageVersion()).isEqualTo("1:1.2.13.dfsg-1");
        Finding config = Finding.builder("CFG-USER-ROOT", Category.CONFIG, Severity.MEDIUM, "root").build();
        assertThat(FindingLike.of(config).packageName()).isNull();
        assertThat(parse("- id: cfg-user-root\n  reason: this image needs root\n").apply(FindingLike.of(config)).suppressed()).isTrue();
    }
}
