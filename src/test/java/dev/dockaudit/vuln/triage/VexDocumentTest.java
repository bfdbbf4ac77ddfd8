package dev.dockaudit.vuln.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VexDocumentTest {
    private static final String IMAGE_ID = "sha256:657d910b7392bc6320e0a3bd39f14ee72cc5608e41f3ab8d4797344e5a3d01f2";
    /** The real alpine:3.10 image (../shared/realdata/images/alpine-3.10.4-docker-archive.tar.gz). */
    private static final ImageIdentity ALPINE = new ImageIdentity(Set.of(IMAGE_ID), Set.of("docker.io/library/alpine"),
            Set.of("3.10"));
    private static final ImageIdentity OTHER = new ImageIdentity(Set.of("sha256:" + "0".repeat(64)),
            Set.of("docker.io/library/debian"), Set.of("12"));

    private static final FindingLike APK_TOOLS_36159 = finding("CVE-2021-36159", "apk-tools", "2.10.4-r2");
    private static final FindingLike APK_TOOLS_30139 = finding("CVE-2021-30139", "apk-tools", "2.10.4-r2");
    private static final FindingLike MUSL = finding("CVE-2020-28928", "musl", "1.1.22-r3");
    private static final FindingLike LIBCRYPTO = finding("CVE-2020-1967", "libcrypto1.1", "1.1.1d-r2");
    private static final FindingLike BUSYBOX = finding("CVE-2021-28831", "busybox", "1.30.1-r3");

    static FindingLike finding(String id, String name, String version) {
        return FindingLike.of(id, List.of(), name, version,
                "pkg:apk/alpine/" + name + "@" + version + "?arch=x86_64&distro=3.10.4");
    }

    static VexDocument load(String resource) {
        try {
            return VexDocument.load(Path.of(VexDocumentTest.class.getResource("/vex/" + resource).toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theSpecificationsMinimalDocumentMarksAPackageFixed() {
        VexDocument vex = load("openvex-spec-minimal.json");
        assertThat(vex.statements()).hasSize(1);
        assertThat(vex.warnings()).isEmpty();
        FindingLike x86 = FindingLike.of("CVE-2023-12345", List.of(), "git", "2.39.0-r1",
                "pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64&distro=20230201");
        Decision d = vex.apply(x86, OTHER);
        assertThat(d.suppressed()).isTrue();
        assertThat(d.status()).isEqualTo("fixed");
        assertThat(d.source()).endsWith("openvex-spec-minimal.json statement 1");
        // qualifiers that disagree (arch) do not match; a different version does not either
        assertThat(vex.apply(FindingLike.of("CVE-2023-12345", List.of(), "git", "2.39.0-r1",
                "pkg:apk/wolfi/git@2.39.0-r1?arch=aarch64"), OTHER)).isEqualTo(Decision.KEEP);
        assertThat(vex.apply(FindingLike.of("CVE-2023-12345", List.of(), "git", "2.39.1-r0",
                "pkg:apk/wolfi/git@2.39.1-r0?arch=x86_64"), OTHER)).isEqualTo(Decision.KEEP);
        // another vulnerability in the same package
        assertThat(vex.apply(FindingLike.of("CVE-2023-99999", List.of(), "git", "2.39.0-r1",
                "pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64"), OTHER)).isEqualTo(Decision.KEEP);
    }

    @Test
    void theLatestStatementWinsAndStatementsInheritTheDocumentTimestamp() {
        FindingLike git = FindingLike.of("CVE-2023-12345", List.of(), "git", "2.39.0-r1", "pkg:apk/wolfi/git@2.39.0-r1?arch=armv7");
        VexDocument first = load("openvex-spec-inheritance-1.json");
        Decision investigating = first.apply(git, OTHER);
        assertThat(investigating.suppressed()).isFalse();
        assertThat(investigating.status()).isEqualTo("under_investigation");
        assertThat(investigating.describe("CVE-2023-12345")).contains(": kept, ").contains("(under_investigation)");

        // the second document keeps the first statement's time and adds a fixed statement at the document's time
        VexDocument second = load("openvex-spec-inheritance-2.json");
        assertThat(second.statements().get(0).timestamp()).isBefore(second.statements().get(1).timestamp());
        assertThat(second.apply(git, OTHER).status()).isEqualTo("fixed");
        assertThat(second.apply(git, OTHER).source()).endsWith("statement 2");
        // both documents, either order: the fixed statement is the latest
        assertThat(VexDocument.merge(List.of(first, second)).apply(git, OTHER).status()).isEqualTo("fixed");
        assertThat(VexDocument.merge(List.of(second, first)).apply(git, OTHER).status()).isEqualTo("fixed");
    }

    @Test
    void springBootIsNotAffectedByLog4ShellButLog4jCoreStillIs() {
        VexDocument vex = load("openvex-spec-spring-boot-log4shell.json");
        // the finding's id is the GitHub advisory; the statement names the CVE and lists the advisory as an alias
        FindingLike springBoot = FindingLike.of("GHSA-jfh8-c2jp-5v3q", List.of("CVE-2021-44228"), "org.springframework.boot:spring-boot",
                "2.6.0-M3", "pkg:maven/org.springframework.boot/spring-boot@2.6.0-M3");
        Decision d = vex.apply(springBoot, OTHER);
        assertThat(d.suppressed()).isTrue();
        assertThat(d.status()).isEqualTo("not_affected");
        assertThat(d.justification()).isEqualTo("vulnerable_code_not_in_execute_path");
        assertThat(d.detail()).startsWith("Spring Boot users are only affected");
        assertThat(d.describe("GHSA-jfh8-c2jp-5v3q")).startsWith("GHSA-jfh8-c2jp-5v3q: suppressed by ")
                .contains("(not_affected, vulnerable_code_not_in_execute_path): Spring Boot users");
        // matched by the alias alone too
        FindingLike byGhsaOnly = FindingLike.of("GHSA-jfh8-c2jp-5v3q", List.of(), "spring-boot", "2.6.0-M3",
                "pkg:maven/org.springframework.boot/spring-boot@2.6.0-M3");
        assertThat(vex.apply(byGhsaOnly, OTHER).suppressed()).isTrue();
        FindingLike log4jCore = FindingLike.of("GHSA-jfh8-c2jp-5v3q", List.of("CVE-2021-44228"),
                "org.apache.logging.log4j:log4j-core", "2.14.1", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
        assertThat(vex.apply(log4jCore, OTHER)).isEqualTo(Decision.KEEP);
    }

    @Test
    void imageProductsMatchByDigestNameAndSubcomponents() {
        VexDocument vex = load("alpine-3.10-image.json");
        assertThat(vex.warnings()).isEmpty();

        // pkg:oci with the image ID as version, apk-tools as subcomponent (x86_64 agrees, distro only on one side)
        Decision apk = vex.apply(APK_TOOLS_36159, ALPINE);
        assertThat(apk.suppressed()).isTrue();
        assertThat(apk.justification()).isEqualTo("vulnerable_code_not_in_execute_path");
        assertThat(apk.detail()).isEqualTo("apk is never run in containers started from this image");
        // same statement, another image: no
        assertThat(vex.apply(APK_TOOLS_36159, OTHER)).isEqualTo(Decision.KEEP);
        // same image, a package that is not the subcomponent: no
        assertThat(vex.apply(finding("CVE-2021-36159", "apk-tools-doc", "2.10.4-r2"), ALPINE)).isEqualTo(Decision.KEEP);

        // pkg:oci without a version, by repository_url and tag, no subcomponents: every package in the image
        assertThat(vex.apply(MUSL, ALPINE).status()).isEqualTo("fixed");
        assertThat(vex.apply(finding("CVE-2020-28928", "musl-utils", "1.1.22-r3"), ALPINE).suppressed()).isTrue();
        assertThat(vex.apply(MUSL, new ImageIdentity(Set.of(IMAGE_ID), Set.of("docker.io/library/alpine"), Set.of("3.11"))))
                .isEqualTo(Decision.KEEP);

        // the package itself as product, the statement's name an alias of the finding's CVE
        Decision crypto = vex.apply(LIBCRYPTO, OTHER);
        assertThat(crypto.suppressed()).isFalse();
        assertThat(crypto.status()).isEqualTo("affected");
        assertThat(crypto.detail()).isEqualTo("Rebuild on alpine:3.10.5 or later");

        // @id digest (under_investigation, document time) beats the older hashes statement (not_affected)
        Decision busybox = vex.apply(BUSYBOX, ALPINE);
        assertThat(busybox.status()).isEqualTo("under_investigation");
        assertThat(busybox.suppressed()).isFalse();

        // pkg:docker/library/alpine@3.10 with an aarch64 subcomponent: the x86_64 package does not match
        assertThat(vex.apply(APK_TOOLS_30139, ALPINE)).isEqualTo(Decision.KEEP);
    }

    @Test
    void aLaterDocumentOverridesAnEarlierOne() {
        VexDocument both = VexDocument.merge(List.of(load("alpine-3.10-image.json"), load("alpine-3.10-image-later.json")));
        Decision apk = both.apply(APK_TOOLS_36159, ALPINE);
        assertThat(apk.suppressed()).isFalse();
        assertThat(apk.status()).isEqualTo("affected");
        assertThat(apk.detail()).isEqualTo("apk turned out to run in the entrypoint; upgrade apk-tools");
        assertThat(apk.source()).endsWith("alpine-3.10-image-later.json statement 1");
        // pkg:docker/alpine (Docker Hub short name) matches docker.io/library/alpine:3.10
        assertThat(both.apply(APK_TOOLS_30139, ALPINE).status()).isEqualTo("fixed");
        assertThat(both.apply(MUSL, ALPINE).status()).isEqualTo("fixed");
    }

    @Test
    void theImageIdentityComesFromTheImage() {
        Image image = new Image.Builder(ImageReference.parse("docker://example.com/team/app:1.0"), "docker")
                .repoTags(List.of("example.com/team/app:1.0", "alpine:3.10"))
                .repoDigests(List.of("example.com/team/app@sha256:" + "a".repeat(64)))
                .build();
        ImageIdentity id = ImageIdentity.of(image);
        assertThat(id.digests()).containsExactly("sha256:" + "a".repeat(64));
        assertThat(id.repositories()).containsExactlyInAnyOrder("example.com/team/app", "docker.io/library/alpine");
        assertThat(id.tags()).containsExactlyInAnyOrder("1.0", "3.10");
        assertThat(VexDocument.isImage(new VexDocument.Component(
                List.of("pkg:oci/app@sha256%3A" + "a".repeat(64) + "?repository_url=example.com/team/app"), List.of(),
                java.util.Map.of()), id)).isTrue();
        assertThat(VexDocument.isImage(new VexDocument.Component(List.of("pkg:oci/app?repository_url=example.com/other/app"),
                List.of(), java.util.Map.of()), id)).isFalse();
    }

    @Test
    void earlierDraftsStringFormsAreRead(@TempDir Path dir) throws IOException {
        // OpenVEX v0.0.1 (the specification's first draft): vulnerability, products and subcomponents as strings
        Path f = dir.resolve("v0.0.1.json");
        Files.writeString(f, """
                {
                  "@context": "https://openvex.dev/ns",
                  "@id": "https://openvex.dev/docs/example/vex-9fb3463de1b57",
                  "author": "Wolfi J Inkinson",
                  "role": "Document Creator",
                  "timestamp": "2023-01-08T18:02:03.647787998-06:00",
                  "version": "1",
                  "statements": [
                    {
                      "vulnerability": "CVE-2021-36159",
                      "products": ["pkg:oci/alpine@sha256%3A657d910b7392bc6320e0a3bd39f14ee72cc5608e41f3ab8d4797344e5a3d01f2"],
                      "subcomponents": ["pkg:apk/alpine/apk-tools@2.10.4-r2"],
                      "status": "not_affected",
                      "justification": "vulnerable_code_not_present"
                    }
                  ]
                }
                """);
        assertThat(VexDocument.load(f).apply(APK_TOOLS_36159, ALPINE).suppressed()).isTrue();
    }

    @Test
    void incompleteStatementsAreWarnedAbout() {
        VexDocument vex = parse("""
                {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "a", "version": 1,
                 "timestamp": "2024-01-01T00:00:00Z",
                 "statements": [
                   {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:apk/alpine/musl"}], "status": "not_affected"},
                   {"vulnerability": {"name": "CVE-2"}, "status": "fixed"},
                   {"vulnerability": {"name": "CVE-3"}, "products": [{"@id": "pkg:apk/alpine/musl"}], "status": "not_affected",
                    "justification": "it_is_fine"}
                 ]}
                """);
        assertThat(vex.warnings()).containsExactly(
                "t.json statement 1: not_affected without a justification or impact statement (OpenVEX requires one); applied anyway",
                "t.json statement 2 names no product dockaudit can read; it cannot apply to a finding",
                "t.json statement 3: 'it_is_fine' is not an OpenVEX justification label; kept as text");
        // a purl without a version names every version
        assertThat(vex.apply(FindingLike.of("CVE-1", List.of(), "musl", "1.1.22-r3", "pkg:apk/alpine/musl@1.1.22-r3"), ALPINE)
                .suppressed()).isTrue();
    }

    @Test
    void badDocumentsAreUserErrors(@TempDir Path dir) {
        assertThatThrownBy(() -> parse("{not json")).isInstanceOf(UserError.class).hasMessageStartingWith("VEX file t.json is not valid JSON");
        assertThatThrownBy(() -> parse("[]")).hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> parse("{\"bomFormat\": \"CycloneDX\"}"))
                .hasMessage("VEX file t.json is not an OpenVEX document (its @context is missing, not https://openvex.dev/ns/…);"
                        + " dockaudit reads OpenVEX");
        assertThatThrownBy(() -> parse("{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"timestamp\": \"2024-01-01T00:00:00Z\"}"))
                .hasMessage("VEX file t.json has no statements array");
        String head = "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"timestamp\": \"2024-01-01T00:00:00Z\", \"statements\": [";
        assertThatThrownBy(() -> parse(head + "{\"status\": \"fixed\"}]}"))
                .hasMessage("t.json statement 1 has no vulnerability name; OpenVEX requires vulnerability.name");
        assertThatThrownBy(() -> parse(head + "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"false_positive\"}]}"))
                .hasMessage("t.json statement 1 has status 'false_positive'; OpenVEX statuses are not_affected, affected, fixed"
                        + " and under_investigation");
        assertThatThrownBy(() -> parse(head + "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"fixed\","
                + " \"timestamp\": \"yesterday\"}]}"))
                .hasMessageContaining("statement 1 has timestamp 'yesterday', not an RFC 3339 time");
        assertThatThrownBy(() -> parse("{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": ["
                + "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"fixed\"}]}"))
                .hasMessageContaining("has no timestamp and neither has the document");
        assertThatThrownBy(() -> VexDocument.load(dir.resolve("nope.json")))
                .isInstanceOf(UserError.class).hasMessageContaining("does not exist; check the path given to --vex");
    }

    @Test
    void noDocumentsNoDecisions() {
        assertThat(VexDocument.none().apply(APK_TOOLS_36159, ALPINE)).isEqualTo(Decision.KEEP);
        assertThat(VexDocument.loadAll(List.of()).statements()).isEmpty();
    }

    private static VexDocument parse(String json) {
        return VexDocument.parse(json.getBytes(StandardCharsets.UTF_8), "t.json");
    }
}
