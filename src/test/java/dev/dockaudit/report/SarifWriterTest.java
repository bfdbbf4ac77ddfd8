package dev.dockaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import dev.dockaudit.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SarifWriterTest {
    private static final String LAYER = "sha256:1bfeebd65323b8ddf5bd6a51cc7097b72788bc982e9ab3280d53d3c613adffa7";

    /** apk-tools and musl as the real alpine:3.10 image has them (../shared/realdata/images/expected). */
    private static final Package APK_TOOLS = new Package("apk-tools", "2.10.4-r2", PackageType.APK, "x86_64", "apk-tools",
            "2.10.4-r2", "pkg:apk/alpine/apk-tools@2.10.4-r2?arch=x86_64&distro=3.10.4", List.of("GPL-2.0-only"), List.of(),
            "lib/apk/db/installed", LAYER, Map.of());
    private static final Package MUSL = new Package("musl", "1.1.22-r3", PackageType.APK, "x86_64", "musl", "1.1.22-r3",
            "pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=3.10.4", List.of("MIT"), List.of(), "lib/apk/db/installed",
            LAYER, Map.of());
    private static final Package MUSL_UTILS = new Package("musl-utils", "1.1.22-r3", PackageType.APK, "x86_64", "musl",
            "1.1.22-r3", "pkg:apk/alpine/musl-utils@1.1.22-r3?arch=x86_64&distro=3.10.4", List.of("MIT"), List.of(),
            "lib/apk/db/installed", LAYER, Map.of());

    static Finding vuln(String id, Severity s, Package p, String fixed, List<String> aliases, List<String> refs) {
        return new Finding(id, Category.VULNERABILITY, s, id + " in " + p.name(), "Description of " + id + ".", null, refs,
                aliases, p, p.version(), fixed, fixed == null ? "affected" : "fixed", p.layer(), null, null,
                fixed == null ? null : "Upgrade " + p.name() + " to " + fixed, null);
    }

    static Report report(String reference, List<String> repoTags, Finding... findings) {
        Image.Builder b = new Image.Builder(ImageReference.parse(reference), "docker");
        if (repoTags != null) {
            b.repoTags(repoTags);
        }
        Report r = new Report("image", b.build());
        r.addAll(List.of(findings));
        return r;
    }

    static JsonNode sarif(Report r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SarifWriter().write(r, out);
        String s = out.toString(StandardCharsets.UTF_8);
        assertThat(s).endsWith("}\n");
        return Json.parse(out.toByteArray(), "sarif");
    }

    static Report mixed() {
        return report("docker://example.com/team/app:1.0", List.of("example.com/team/app:1.0"),
                vuln("CVE-2021-36159", Severity.CRITICAL, APK_TOOLS, "2.10.7-r0", List.of(),
                        List.of("https://nvd.nist.gov/vuln/detail/CVE-2021-36159", "https://gitlab.alpinelinux.org/alpine/apk-tools/-/issues/10749")),
                vuln("CVE-2020-28928", Severity.MEDIUM, MUSL, "1.1.22-r4", List.of("ALPINE-CVE-2020-28928"),
                        List.of("not a url", "https://www.openwall.com/lists/oss-security/2020/11/20/4")),
                vuln("CVE-2020-28928", Severity.HIGH, MUSL_UTILS, "1.1.22-r4", List.of("ALPINE-CVE-2020-28928"), List.of()),
                vuln("CVE-2099-0001", Severity.UNKNOWN, MUSL, null, List.of(), List.of()),
                Finding.builder("CFG-USER-ROOT", Category.CONFIG, Severity.MEDIUM, "Image runs as root").cis("4.1")
                        .description("The image config has no USER, so containers run as root.")
                        .evidence("Config.User is empty").remediation("Add a USER instruction with a non-root user").build(),
                Finding.builder("SECRET-AWS-KEY", Category.SECRET, Severity.HIGH, "AWS access key in a file")
                        .path("/opt/app dir/conf:prod/../settings.env").evidence("AKIA************MPLE").layer(LAYER).build(),
                Finding.builder("INT-TAG-NOT-PINNED", Category.INTEGRITY, Severity.LOW, "Image is referenced by tag, not digest")
                        .build(),
                Finding.builder("HIST-NOTE", Category.HISTORY, Severity.INFO, "Layer adds 0 bytes").build());
    }

    @Test
    void mixedReportIsValidSarifThatGitHubAccepts() throws IOException {
        JsonNode log = sarif(mixed());
        SarifSchemas.assertValid(log);
        assertThat(GitHubSarifRules.violations(log)).isEmpty();
        assertThat(log.path("version").asText()).isEqualTo("2.1.0");
        assertThat(log.path("$schema").asText()).isEqualTo(SarifWriter.SCHEMA_URI);
        JsonNode driver = log.at("/runs/0/tool/driver");
        assertThat(driver.path("name").asText()).isEqualTo("dockaudit");
        assertThat(driver.path("version").asText()).isEqualTo(ToolInfo.VERSION);
    }

    @Test
    void oneRulePerDistinctIdWithTheHighestSeverityOfItsFindings() throws IOException {
        JsonNode log = sarif(mixed());
        JsonNode rules = log.at("/runs/0/tool/driver/rules");
        List<String> ids = new ArrayList<>();
        rules.forEach(r -> ids.add(r.path("id").asText()));
        assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrder("CVE-2021-36159", "CVE-2020-28928",
                "CVE-2099-0001", "CFG-USER-ROOT", "SECRET-AWS-KEY", "INT-TAG-NOT-PINNED", "HIST-NOTE");
        JsonNode musl = rule(log, "CVE-2020-28928");
        assertThat(musl.at("/properties/security-severity").asText()).isEqualTo("8.0"); // HIGH beats MEDIUM
        assertThat(musl.at("/defaultConfiguration/level").asText()).isEqualTo("error");
        assertThat(musl.at("/properties/tags").toString()).isEqualTo("[\"vulnerability\",\"security\"]");
        assertThat(musl.path("helpUri").asText()).isEqualTo("https://www.openwall.com/lists/oss-security/2020/11/20/4");
        assertThat(musl.at("/help/text").asText()).contains("Also known as: ALPINE-CVE-2020-28928").contains("- not a url");
        assertThat(musl.at("/shortDescription/text").asText()).isEqualTo("CVE-2020-28928 in musl-utils"); // texts from the most severe finding
        assertThat(musl.at("/fullDescription/text").asText()).isEqualTo("Description of CVE-2020-28928.");

        JsonNode apk = rule(log, "CVE-2021-36159");
        assertThat(apk.path("helpUri").asText()).isEqualTo("https://nvd.nist.gov/vuln/detail/CVE-2021-36159");
        assertThat(apk.at("/properties/security-severity").asText()).isEqualTo("9.5");
        assertThat(apk.at("/help/markdown").asText()).contains("- <https://nvd.nist.gov/vuln/detail/CVE-2021-36159>")
                .contains("Remediation: Upgrade apk-tools to 2.10.7-r0");

        assertThat(rule(log, "CFG-USER-ROOT").at("/properties/tags").toString()).isEqualTo("[\"config\",\"security\",\"CIS-4.1\"]");
        assertThat(rule(log, "CFG-USER-ROOT").at("/help/text").asText()).contains("CIS Docker Benchmark 4.1");
        assertThat(rule(log, "CFG-USER-ROOT").has("helpUri")).isFalse();
        assertThat(rule(log, "CVE-2099-0001").at("/properties/security-severity").asText()).isEqualTo("2.0");
        assertThat(rule(log, "HIST-NOTE").at("/properties/security-severity").asText()).isEqualTo("0.0");
        assertThat(rule(log, "INT-TAG-NOT-PINNED").at("/properties/security-severity").asText()).isEqualTo("2.0");
    }

    @Test
    void oneResultPerFindingWithLevelMessageAndLocation() throws IOException {
        JsonNode log = sarif(mixed());
        JsonNode results = log.at("/runs/0/results");
        assertThat(results).hasSize(8);
        JsonNode first = results.get(0); // most severe first
        assertThat(first.path("ruleId").asText()).isEqualTo("CVE-2021-36159");
        assertThat(first.path("level").asText()).isEqualTo("error");
        assertThat(first.at("/message/text").asText()).isEqualTo(
                "apk-tools 2.10.4-r2: CVE-2021-36159 (CRITICAL) CVE-2021-36159 in apk-tools. Fixed in 2.10.7-r0. Layer: " + LAYER + ".");
        assertThat(first.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("lib/apk/db/installed");
        assertThat(first.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(1);
        assertThat(first.at("/properties/installedVersion").asText()).isEqualTo("2.10.4-r2");
        assertThat(first.at("/properties/fixedVersion").asText()).isEqualTo("2.10.7-r0");
        assertThat(first.at("/properties/purl").asText()).startsWith("pkg:apk/alpine/apk-tools@2.10.4-r2");

        JsonNode unknown = result(log, "CVE-2099-0001");
        assertThat(unknown.path("level").asText()).isEqualTo("note");
        assertThat(unknown.at("/message/text").asText()).contains("No fixed version yet.");
        assertThat(unknown.at("/properties/status").asText()).isEqualTo("affected");

        JsonNode config = result(log, "CFG-USER-ROOT");
        assertThat(config.path("level").asText()).isEqualTo("warning");
        assertThat(config.at("/message/text").asText()).isEqualTo("Image runs as root. Evidence: Config.User is empty");
        assertThat(config.at("/properties/cis").asText()).isEqualTo("4.1");
        // no path, no package: the image itself
        assertThat(config.at("/locations/0/physicalLocation/artifactLocation/uri").asText())
                .isEqualTo("image/example.com/team/app%3A1.0");

        JsonNode secret = result(log, "SECRET-AWS-KEY");
        assertThat(secret.at("/locations/0/physicalLocation/artifactLocation/uri").asText())
                .isEqualTo("opt/app%20dir/conf%3Aprod/settings.env");
        assertThat(secret.at("/message/text").asText()).contains("Evidence: AKIA************MPLE");
        assertThat(result(log, "HIST-NOTE").path("level").asText()).isEqualTo("note");
    }

    @Test
    void fingerprintsAreStableAcrossRunsAndIgnoreWhatAdvisoryUpdatesChange() throws IOException {
        List<String> first = fingerprints(sarif(mixed()));
        List<String> second = fingerprints(sarif(mixed()));
        assertThat(first).isEqualTo(second).doesNotHaveDuplicates();
        assertThat(first).allMatch(fp -> fp.matches("[0-9a-f]{16}:1"));

        Finding a = vuln("CVE-2021-36159", Severity.CRITICAL, APK_TOOLS, "2.10.7-r0", List.of(), List.of());
        Finding rescored = new Finding(a.id(), a.category(), Severity.MEDIUM, "new title", "new text", null, List.of(),
                List.of("GHSA-xxxx"), a.pkg(), a.installedVersion(), "2.10.8-r0", a.status(), a.layer(), null, null, null, null);
        Package upgraded = new Package("apk-tools", "2.10.5-r0", PackageType.APK, "x86_64", "apk-tools", "2.10.5-r0", null,
                null, null, "lib/apk/db/installed", LAYER, null);
        Finding newer = vuln("CVE-2021-36159", Severity.CRITICAL, upgraded, "2.10.7-r0", List.of(), List.of());
        String fa = fingerprint(a);
        assertThat(fingerprint(rescored)).isEqualTo(fa);
        assertThat(fingerprint(newer)).isNotEqualTo(fa);
        // the full fingerprint is there too
        JsonNode r = sarif(report("docker://example.com/app:1", null, a)).at("/runs/0/results/0/partialFingerprints");
        assertThat(r.path(SarifWriter.DOCKAUDIT_FINGERPRINT).asText()).matches("[0-9a-f]{64}").startsWith(fa.substring(0, 16));
    }

    @Test
    void twoPackagesWithTheSameAdvisoryAreTwoAlerts() throws IOException {
        JsonNode log = sarif(mixed());
        List<JsonNode> musl = new ArrayList<>();
        log.at("/runs/0/results").forEach(r -> {
            if (r.path("ruleId").asText().equals("CVE-2020-28928")) {
                musl.add(r);
            }
        });
        assertThat(musl).hasSize(2);
        assertThat(musl.get(0).at("/partialFingerprints/primaryLocationLineHash").asText())
                .isNotEqualTo(musl.get(1).at("/partialFingerprints/primaryLocationLineHash").asText());
        assertThat(musl.get(0).path("ruleIndex").asInt()).isEqualTo(musl.get(1).path("ruleIndex").asInt());
    }

    @Test
    void emptyReportIsStillAValidRun() throws IOException {
        JsonNode log = sarif(report("docker-archive:/tmp/does-not-exist/alpine.tar", null));
        SarifSchemas.assertValid(log);
        assertThat(GitHubSarifRules.violations(log)).isEmpty();
        assertThat(log.at("/runs/0/results")).isEmpty();
        assertThat(log.at("/runs/0/tool/driver/rules")).isEmpty();
        assertThat(log.at("/runs/0/automationDetails/id").asText()).isEqualTo("dockaudit/image/alpine.tar/");
    }

    @Test
    void notesBecomeToolNotifications() throws IOException {
        Report r = mixed();
        r.note(".dockauditignore:3: the entry for CVE-2021-36159 expired on 2024-01-01 and no longer applies");
        JsonNode log = sarif(r);
        SarifSchemas.assertValid(log);
        JsonNode n = log.at("/runs/0/invocations/0/toolExecutionNotifications/0");
        assertThat(n.at("/message/text").asText()).startsWith(".dockauditignore:3:");
        assertThat(n.path("level").asText()).isEqualTo("note");
        assertThat(log.at("/runs/0/invocations/0/executionSuccessful").asBoolean()).isTrue();
    }

    @Test
    void longTextsAreCutToGitHubsLimits() throws IOException {
        String longTitle = "t".repeat(3000);
        Finding f = Finding.builder("X-LONG", Category.CONFIG, Severity.LOW, longTitle).description("d".repeat(5000)).build();
        JsonNode log = sarif(report("docker://example.com/app:1", null, f));
        SarifSchemas.assertValid(log);
        assertThat(GitHubSarifRules.violations(log)).isEmpty();
        assertThat(rule(log, "X-LONG").at("/shortDescription/text").asText()).hasSize(1024).endsWith("…");
        assertThat(rule(log, "X-LONG").at("/fullDescription/text").asText()).hasSize(1024);
    }

    @Test
    void moreFindingsThanGitHubAcceptsKeepsTheMostSevere() {
        List<Finding> many = new ArrayList<>();
        for (int i = 0; i < SarifWriter.MAX_RESULTS + 5; i++) {
            many.add(Finding.builder("R-" + i, Category.CONFIG, i < 3 ? Severity.CRITICAL : Severity.LOW, "t").build());
        }
        Report r = report("docker://example.com/app:1", null, many.toArray(new Finding[0]));
        ObjectNode log = SarifWriter.toSarif(r);
        assertThat(log.at("/runs/0/results")).hasSize(SarifWriter.MAX_RESULTS);
        assertThat(log.at("/runs/0/results/0/level").asText()).isEqualTo("error");
        assertThat(log.at("/runs/0/invocations/0/toolExecutionNotifications/0/message/text").asText())
                .contains("25000 most severe of 25005");
    }

    @Test
    void theWriterLeavesTheStreamOpen() throws IOException {
        boolean[] closed = {false};
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                sink.write(b);
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        new SarifWriter().write(mixed(), out);
        assertThat(closed[0]).isFalse();
        assertThat(sink.size()).isPositive();
    }

    @Test
    void levelsAndSecuritySeverities() {
        assertThat(SarifWriter.level(Severity.CRITICAL)).isEqualTo("error");
        assertThat(SarifWriter.level(Severity.HIGH)).isEqualTo("error");
        assertThat(SarifWriter.level(Severity.MEDIUM)).isEqualTo("warning");
        assertThat(SarifWriter.level(Severity.LOW)).isEqualTo("note");
        assertThat(SarifWriter.level(Severity.INFO)).isEqualTo("note");
        assertThat(SarifWriter.securitySeverity(Severity.CRITICAL)).isEqualTo("9.5");
        assertThat(SarifWriter.securitySeverity(Severity.HIGH)).isEqualTo("8.0");
        assertThat(SarifWriter.securitySeverity(Severity.MEDIUM)).isEqualTo("5.5");
        assertThat(SarifWriter.securitySeverity(Severity.LOW)).isEqualTo("2.0");
        assertThat(SarifWriter.securitySeverity(Severity.INFO)).isEqualTo("0.0");
    }

    @Test
    void pathsBecomeRelativeUriReferences() {
        assertThat(SarifWriter.encodePath("/usr/lib/libssl.so.1.1", "x")).isEqualTo("usr/lib/libssl.so.1.1");
        assertThat(SarifWriter.encodePath("C:/evil", "x")).isEqualTo("C%3A/evil");
        assertThat(SarifWriter.encodePath("a/../../b", "x")).isEqualTo("a/b");
        assertThat(SarifWriter.encodePath("/", "fallback")).isEqualTo("fallback");
        assertThat(SarifWriter.encodePath("app/ünï code#1?.jar", "x")).isEqualTo("app/%C3%BCn%C3%AF%20code%231%3F.jar");
        assertThat(SarifWriter.isAbsoluteWebUri("https://example.com/a b")).isFalse();
        assertThat(SarifWriter.isAbsoluteWebUri("ftp://example.com/")).isFalse();
        assertThat(SarifWriter.isAbsoluteWebUri("https://github.com/advisories/GHSA-jfh8-c2jp-5v3q")).isTrue();
    }

    @Test
    void packageGivenAsAMapWorksToo() throws IOException {
        Finding f = new Finding("GHSA-jfh8-c2jp-5v3q", Category.VULNERABILITY, Severity.CRITICAL, "Remote code injection in Log4j",
                null, null, List.of(), List.of("CVE-2021-44228"),
                Map.of("name", "org.apache.logging.log4j:log4j-core", "version", "2.14.1", "path", "app/lib/log4j-core-2.14.1.jar"),
                null, "2.15.0", "fixed", null, null, null, null, null);
        JsonNode log = sarif(report("docker://example.com/app:1", null, f));
        SarifSchemas.assertValid(log);
        assertThat(GitHubSarifRules.violations(log)).isEmpty();
        JsonNode r = log.at("/runs/0/results/0");
        assertThat(r.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("app/lib/log4j-core-2.14.1.jar");
        assertThat(r.at("/message/text").asText()).startsWith("org.apache.logging.log4j:log4j-core 2.14.1: GHSA-jfh8-c2jp-5v3q (CRITICAL)");
    }

    @Test
    void theRulesCatchWhatGitHubWouldReject() {
        ObjectNode log = SarifWriter.toSarif(mixed());
        ((ObjectNode) log.at("/runs/0/results/0")).remove("partialFingerprints");
        ((ObjectNode) log.at("/runs/0/tool/driver/rules/0/shortDescription")).put("text", "");
        ((ObjectNode) log.at("/runs/0/tool/driver/rules/0/properties")).put("security-severity", 9.5);
        ((ObjectNode) log.at("/runs/0/results/1/locations/0/physicalLocation/artifactLocation")).put("uri", "file:///etc/passwd");
        assertThat(GitHubSarifRules.violations(log)).hasSize(4);
        assertThat(SarifSchemas.errors(SarifSchemas.OASIS, Json.MAPPER.createObjectNode().put("version", "2.1.0"))).isNotEmpty();
    }

    private static JsonNode rule(JsonNode log, String id) {
        for (JsonNode r : log.at("/runs/0/tool/driver/rules")) {
            if (r.path("id").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError("no rule " + id);
    }

    private static JsonNode result(JsonNode log, String ruleId) {
        for (JsonNode r : log.at("/runs/0/results")) {
            if (r.path("ruleId").asText().equals(ruleId)) {
                return r;
            }
        }
        throw new AssertionError("no result " + ruleId);
    }

    private static List<String> fingerprints(JsonNode log) {
        List<String> fps = new ArrayList<>();
        log.at("/runs/0/results").forEach(r -> fps.add(r.at("/partialFingerprints/primaryLocationLineHash").asText()));
        return fps;
    }

    private static String fingerprint(Finding f) throws IOException {
        return sarif(report("docker://example.com/app:1", null, f)).at("/runs/0/results/0/partialFingerprints/primaryLocationLineHash").asText();
    }
}
