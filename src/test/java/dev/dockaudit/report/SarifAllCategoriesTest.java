package dev.dockaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * SARIF for every finding category: one rule per check or advisory with help (what and how to fix) and its CIS
 * number, results located at the layer and path, the image, or the container, levels and security-severity from the
 * severity (or the CVSS score), and the same bytes on every write. Then every command's real SARIF output on the
 * example image, validated against both forms of the official schema.
 */
class SarifAllCategoriesTest {
    static final String LAYER = "sha256:1bfeebd65323b8ddf5bd6a51cc7097b72788bc982e9ab3280d53d3c613adffa7";
    static final String EXAMPLE = "examples/alpine-3.10.4-docker-archive.tar.gz";

    /** One finding of every category an image report has, as the detectors shape them. */
    static List<Finding> imageFindings() {
        Map<String, String> pkg = Map.of("name", "apk-tools", "version", "2.10.4-r2",
                "purl", "pkg:apk/alpine/apk-tools@2.10.4-r2?arch=x86_64", "path", "lib/apk/db/installed");
        return List.of(
                Finding.builder("CVE-2021-36159", Category.VULNERABILITY, Severity.CRITICAL, "apk-tools: out-of-bounds read")
                        .description("libfetch in apk-tools before 2.12.6 mishandles numeric strings.")
                        .aliases(List.of("ALPINE-CVE-2021-36159")).references(List.of("https://osv.dev/vulnerability/CVE-2021-36159"))
                        .pkg(pkg).installedVersion("2.10.4-r2").fixedVersion("2.10.7-r0").status("fixed").layer(LAYER)
                        .path("lib/apk/db/installed").remediation("Upgrade apk-tools to 2.10.7-r0 or later")
                        .vuln(new VulnDetails(9.1, "CVSS 3.1", List.of(new VulnDetails.Cvss("3.1",
                                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H", 9.1, Severity.CRITICAL, "CVE-2021-36159")),
                                List.of(125)))
                        .build(),
                Finding.builder("SECRET-aws-access-key-id", Category.SECRET, Severity.CRITICAL, "AWS access key ID")
                        .path("/app/conf/settings.env").layer(LAYER).evidence("3: AKIA************ (20 chars)")
                        .remediation("Revoke the key and remove the file from the layer that adds it").build(),
                Finding.builder("CFG-USER-ROOT", Category.CONFIG, Severity.MEDIUM, "Image runs as root").cis("4.1")
                        .description("The image config has no USER, so containers run as root.")
                        .evidence("Config.User is empty").remediation("Add a USER instruction with a non-root user").build(),
                Finding.builder("HIST-ADD-REMOTE", Category.HISTORY, Severity.LOW, "ADD from a remote URL").cis("4.9")
                        .layer(LAYER).evidence("ADD https://example.com/x.tar.gz /").remediation("Use COPY").build(),
                Finding.builder("INT-TAG-NOT-PINNED", Category.INTEGRITY, Severity.INFO, "Image is referenced by tag, not digest")
                        .remediation("Reference the image by digest").build(),
                Finding.builder("TRUST-NOT-SIGNED", Category.TRUST, Severity.HIGH, "No signature for the image")
                        .cis("4.5").remediation("Sign the image with cosign or Docker Content Trust").build(),
                Finding.builder("VULN-UNKNOWN", Category.VULNERABILITY, Severity.UNKNOWN, "Unrated advisory").build());
    }

    static Report imageReport() {
        Image image = new Image.Builder(ImageReference.parse("docker://example.com/team/app:1.0"), "registry")
                .repoTags(List.of("example.com/team/app:1.0")).build();
        Report r = new Report("image", image);
        r.addAll(imageFindings());
        return r;
    }

    static ContainerReport containerReport() {
        Finding rt = Finding.builder("RT-PRIVILEGED", Category.RUNTIME, Severity.HIGH, "Privileged container").cis("5.5")
                .evidence("HostConfig.Privileged=true").remediation("Run without --privileged").build();
        Finding daemon = Finding.builder("RT-DAEMON-ICC", Category.RUNTIME, Severity.MEDIUM, "Inter-container traffic allowed")
                .cis("2.2").evidence("bridge com.docker.network.bridge.enable_icc=true").build();
        ContainerReport.Daemon d = new ContainerReport.Daemon("Docker", "20.10.24", "1.41", "unix:///run/docker.sock",
                "Debian", "inactive", List.of(), false, false, false, List.of(daemon));
        ContainerReport.Container c = new ContainerReport.Container("0123456789ab", "web", "example.com/team/app:1.0",
                "sha256:" + "a".repeat(64), "running", List.of(rt), List.of(), null);
        ContainerReport.ImageAudit audit = new ContainerReport.ImageAudit("sha256:" + "a".repeat(64), List.of("0123456789ab"),
                imageReport(), null);
        return new ContainerReport(d, List.of(c), List.of(audit), List.of(), new ContainerReport.Stats(1, 1, 1, 10, 20));
    }

    static byte[] write(Report r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SarifWriter().write(r, out);
        return out.toByteArray();
    }

    static byte[] write(ContainerReport r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ContainerSarifWriter().write(r, out);
        return out.toByteArray();
    }

    static JsonNode rule(JsonNode log, String id) {
        for (JsonNode r : log.at("/runs/0/tool/driver/rules")) {
            if (r.path("id").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError("no rule " + id);
    }

    static JsonNode result(JsonNode log, String ruleId) {
        for (JsonNode r : log.at("/runs/0/results")) {
            if (r.path("ruleId").asText().equals(ruleId)) {
                return r;
            }
        }
        throw new AssertionError("no result " + ruleId);
    }

    @Test
    void everyCategoryHasItsRuleLocationLevelAndSecuritySeverity() throws IOException {
        byte[] first = write(imageReport());
        assertThat(write(imageReport())).as("byte-identical on a second write").isEqualTo(first);
        JsonNode log = Json.parse(first, "sarif");
        SarifSchemas.assertValid(log);
        assertThat(GitHubSarifRules.violations(log)).isEmpty();

        Set<Category> seen = EnumSet.noneOf(Category.class);
        for (Finding f : imageFindings()) {
            seen.add(f.category());
            JsonNode rule = rule(log, f.id());
            assertThat(rule.at("/help/text").asText()).as(f.id()).startsWith(f.title());
            assertThat(rule.at("/help/markdown").asText()).as(f.id()).startsWith("**");
            if (f.remediation() != null) {
                assertThat(rule.at("/help/text").asText()).contains("Remediation: " + f.remediation());
                assertThat(rule.at("/help/markdown").asText()).contains("Remediation: ");
            }
            if (f.cis() != null) {
                assertThat(rule.at("/properties/cis").asText()).isEqualTo(f.cis());
                assertThat(rule.at("/properties/tags").toString()).contains("\"CIS-" + f.cis() + "\"");
                assertThat(rule.at("/help/text").asText()).contains("CIS Docker Benchmark " + f.cis());
            } else {
                assertThat(rule.at("/properties").has("cis")).isFalse();
            }
            assertThat(rule.at("/properties/tags/0").asText()).isEqualTo(f.category().label());

            JsonNode r = result(log, f.id());
            assertThat(r.path("level").asText()).as(f.id()).isEqualTo(switch (f.severity()) {
                case CRITICAL, HIGH -> "error";
                case MEDIUM -> "warning";
                default -> "note";
            });
            assertThat(r.at("/properties/category").asText()).isEqualTo(f.category().label());
            JsonNode loc = r.at("/locations/0");
            String uri = loc.at("/physicalLocation/artifactLocation/uri").asText();
            assertThat(loc.at("/logicalLocations/0/name").asText()).isEqualTo("docker://example.com/team/app:1.0");
            assertThat(loc.at("/logicalLocations/0/kind").asText()).isEqualTo("image");
            if (f.path() != null) {
                assertThat(uri).as("the path inside the image").isEqualTo(f.path().replaceFirst("^/", ""));
            } else {
                assertThat(uri).as("image-level findings point at the image").isEqualTo("image/example.com/team/app%3A1.0");
            }
            if (f.layer() != null) {
                assertThat(loc.at("/logicalLocations/1/name").asText()).isEqualTo(LAYER);
                assertThat(loc.at("/logicalLocations/1/kind").asText()).isEqualTo("layer");
                assertThat(r.at("/properties/layer").asText()).isEqualTo(LAYER);
            } else {
                assertThat(loc.at("/logicalLocations")).hasSize(1);
            }
        }
        assertThat(seen).containsAll(EnumSet.complementOf(EnumSet.of(Category.RUNTIME)));

        // the CVSS score where the severity came from one, else the severity's number
        assertThat(rule(log, "CVE-2021-36159").at("/properties/security-severity").asText()).isEqualTo("9.1");
        assertThat(result(log, "CVE-2021-36159").at("/properties/security-severity").asText()).isEqualTo("9.1");
        assertThat(rule(log, "SECRET-aws-access-key-id").at("/properties/security-severity").asText()).isEqualTo("9.5");
        assertThat(rule(log, "TRUST-NOT-SIGNED").at("/properties/security-severity").asText()).isEqualTo("8.0");
        assertThat(rule(log, "CFG-USER-ROOT").at("/properties/security-severity").asText()).isEqualTo("5.5");
        assertThat(rule(log, "HIST-ADD-REMOTE").at("/properties/security-severity").asText()).isEqualTo("2.0");
        assertThat(rule(log, "INT-TAG-NOT-PINNED").at("/properties/security-severity").asText()).isEqualTo("0.0");
        assertThat(rule(log, "VULN-UNKNOWN").at("/properties/security-severity").asText()).isEqualTo("2.0");
        assertThat(result(log, "SECRET-aws-access-key-id").at("/locations/0/physicalLocation/artifactLocation/uri").asText())
                .isEqualTo("app/conf/settings.env");
        assertThat(result(log, "CVE-2021-36159").at("/locations/0/physicalLocation/artifactLocation/uri").asText())
                .isEqualTo("lib/apk/db/installed");
    }

    @Test
    void runtimeFindingsAreLocatedAtTheirContainerAndTheDaemon() throws IOException {
        byte[] first = write(containerReport());
        assertThat(write(containerReport())).isEqualTo(first);
        JsonNode log = Json.parse(first, "sarif");
        SarifSchemas.assertValid(log);
        assertThat(GitHubSarifRules.violations(log)).isEmpty();

        JsonNode priv = result(log, "RT-PRIVILEGED");
        assertThat(priv.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("container/web");
        assertThat(priv.at("/locations/0/logicalLocations/0/name").asText()).isEqualTo("web");
        assertThat(priv.at("/locations/0/logicalLocations/0/kind").asText()).isEqualTo("container");
        assertThat(priv.path("level").asText()).isEqualTo("error");
        assertThat(priv.at("/properties/security-severity").asText()).isEqualTo("8.0");
        JsonNode privRule = rule(log, "RT-PRIVILEGED");
        assertThat(privRule.at("/properties/cis").asText()).isEqualTo("5.5");
        assertThat(privRule.at("/properties/tags").toString()).contains("\"runtime\"", "\"CIS-5.5\"");
        assertThat(privRule.at("/help/text").asText()).contains("Remediation: Run without --privileged");

        JsonNode icc = result(log, "RT-DAEMON-ICC");
        assertThat(icc.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("daemon/docker");
        assertThat(icc.at("/locations/0/logicalLocations/0/kind").asText()).isEqualTo("daemon");
        assertThat(icc.path("level").asText()).isEqualTo("warning");

        // the image's findings once, under the image's URI
        JsonNode secret = result(log, "SECRET-aws-access-key-id");
        assertThat(secret.at("/locations/0/physicalLocation/artifactLocation/uri").asText())
                .isEqualTo("image/example.com/team/app%3A1.0/app/conf/settings.env");
        assertThat(secret.at("/locations/0/logicalLocations/1/name").asText()).isEqualTo(LAYER);
        Set<String> categories = new java.util.TreeSet<>();
        log.at("/runs/0/results").forEach(r -> categories.add(r.at("/properties/category").asText()));
        assertThat(categories).containsExactlyInAnyOrder("vulnerability", "secret", "config", "history", "runtime",
                "integrity", "trust");
    }

    /** {@code trust} needs a registry and a notary: TrustCommandTest validates its SARIF against its servers. */
    @Test
    void everyCommandsSarifOnTheExampleImageIsValidAndDeterministic() {
        String image = Cli.project(EXAMPLE).toString();
        Map<String, JsonNode> logs = new HashMap<>();
        for (String command : List.of("image", "vulns", "inspect", "history", "digests")) {
            Cli.Result a = Cli.run(command, image, "--format", "sarif", "--offline");
            Cli.Result b = Cli.run(command, image, "--format", "sarif", "--offline");
            assertThat(a.exitCode()).as(command + ": " + a).isIn(0, 1);
            assertThat(b.out()).as(command + " twice").isEqualTo(a.out());
            JsonNode log = a.json();
            SarifSchemas.assertValid(log);
            assertThat(GitHubSarifRules.violations(log)).as(command).isEmpty();
            logs.put(command, log);
            for (JsonNode r : log.at("/runs/0/results")) {
                assertThat(r.at("/locations/0/logicalLocations/0/kind").asText()).isEqualTo("image");
                assertThat(r.at("/properties/security-severity").asText()).matches("\\d+\\.\\d");
                JsonNode rule = log.at("/runs/0/tool/driver/rules/" + r.path("ruleIndex").asInt());
                assertThat(rule.at("/help/text").asText()).isNotBlank();
                assertThat(rule.at("/help/markdown").asText()).isNotBlank();
                String cis = r.at("/properties/cis").asText(null);
                if (cis != null) {
                    assertThat(rule.at("/properties/cis").asText()).isEqualTo(cis);
                    assertThat(rule.at("/properties/tags").toString()).contains("CIS-" + cis);
                }
            }
        }
        Set<String> imageCategories = new java.util.TreeSet<>();
        logs.get("image").at("/runs/0/results").forEach(r -> imageCategories.add(r.at("/properties/category").asText()));
        assertThat(imageCategories).contains("vulnerability", "config");
        JsonNode vuln = logs.get("vulns").at("/runs/0/results/0");
        assertThat(vuln.at("/properties/category").asText()).isEqualTo("vulnerability");
        assertThat(vuln.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("lib/apk/db/installed");
        assertThat(vuln.at("/locations/0/logicalLocations/1/kind").asText()).isEqualTo("layer");
        assertThat(vuln.at("/locations/0/logicalLocations/1/name").asText()).startsWith("sha256:");
    }
}
