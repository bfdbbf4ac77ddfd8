package dev.dockaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.ImageArchives;
import dev.dockaudit.testing.TarBuilder;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON report contract (DESIGN.md) checked on real images against the realdata expected answers. */
class JsonReportTest {
    private static final Path ALPINE = Cli.project("examples/alpine-3.10.4-docker-archive.tar.gz");
    private static final Path OCI = Cli.project("src/test/resources/realdata/images/alpine-3.18.9-oci-layout.tar");
    private static final Path DEBIAN = Cli.project("src/test/resources/realdata/images/debian12-slim-like-docker-archive.tar.gz");

    @TempDir
    Path dir;

    private static JsonNode expected(String name) throws IOException {
        return Json.parse(Files.readAllBytes(Cli.project("src/test/resources/realdata/images/expected/" + name
                + ".expected.json")), name).get("structure");
    }

    private static JsonNode imageJson(String... args) {
        Cli.Result r = Cli.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.json();
    }

    private static List<String> texts(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void assertContractShape(JsonNode root) {
        assertThat(root.fieldNames()).toIterable()
                .contains("schemaVersion", "tool", "target", "image", "packages", "findings", "summary");
        assertThat(root.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(root.at("/tool/name").asText()).isEqualTo("dockaudit");
        assertThat(root.at("/tool/version").asText()).isEqualTo(ToolInfo.VERSION).isNotBlank();
        assertThat(root.get("target").fieldNames()).toIterable().contains("reference", "source");
        JsonNode image = root.get("image");
        assertThat(image.fieldNames()).toIterable()
                .contains("id", "manifestDigest", "repoDigests", "repoTags", "os", "config", "layers");
        assertThat(image.get("repoDigests").isArray()).isTrue();
        assertThat(image.get("repoTags").isArray()).isTrue();
        assertThat(image.get("layers").isArray()).isTrue();
        for (JsonNode l : image.get("layers")) {
            assertThat(l.fieldNames()).toIterable().contains("index", "digest", "diffId", "size", "createdBy", "verified");
            assertThat(l.get("digest").asText()).matches("sha256:[0-9a-f]{64}");
            assertThat(l.get("diffId").asText()).matches("sha256:[0-9a-f]{64}");
            assertThat(l.get("size").isIntegralNumber()).isTrue();
        }
        assertThat(root.get("packages").isArray()).isTrue();
        assertThat(root.get("findings").isArray()).isTrue();
        JsonNode bySeverity = root.at("/summary/bySeverity");
        assertThat(bySeverity.fieldNames()).toIterable()
                .containsExactly("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO", "UNKNOWN");
        assertThat(root.at("/summary/byCategory").isObject()).isTrue();
        int total = 0;
        for (JsonNode n : bySeverity) {
            total += n.asInt();
        }
        assertThat(total).isEqualTo(root.get("findings").size());
    }

    /** os is in the contract; until an OS analyzer fills it, it is null, and when it is filled it must be right. */
    private static void assertOsFamily(JsonNode image, String family) {
        assertThat(image.has("os")).isTrue();
        if (!image.get("os").isNull()) {
            assertThat(image.at("/os/family").asText()).isEqualTo(family);
        }
    }

    @Test
    void alpineDockerArchiveReport() throws IOException {
        JsonNode exp = expected("alpine-3.10.4-docker-archive");
        JsonNode root = imageJson("image", ALPINE.toString(), "--format", "json");
        assertContractShape(root);
        assertThat(root.at("/target/reference").asText()).isEqualTo(ALPINE.toString());
        assertThat(root.at("/target/source").asText()).isEqualTo("docker-archive");
        JsonNode image = root.get("image");
        assertThat(image.get("id").asText()).isEqualTo(exp.get("config_digest").asText());
        assertThat(image.get("manifestDigest").isNull()).isTrue(); // a legacy docker save has no manifest
        assertThat(texts(image.get("repoTags"))).isEqualTo(texts(exp.get("repo_tags")));
        assertThat(image.get("repoDigests")).isEmpty();
        assertThat(image.get("platform").asText()).isEqualTo(exp.get("os").asText() + "/" + exp.get("architecture").asText());
        assertThat(image.get("created").asText()).isEqualTo(exp.get("created").asText());
        assertThat(image.at("/config/Cmd/0").asText()).isEqualTo("/bin/sh");
        assertThat(image.at("/config/Env/0").asText()).startsWith("PATH=");
        assertOsFamily(image, "alpine");
        assertThat(image.get("layers")).hasSize(exp.get("layers").asInt());
        JsonNode l0 = image.at("/layers/0");
        assertThat(l0.get("index").asInt()).isZero();
        assertThat(l0.get("diffId").asText()).isEqualTo(exp.at("/diff_ids/0").asText());
        // the layer is stored uncompressed, so its blob digest is its diff_id
        assertThat(l0.get("digest").asText()).isEqualTo(exp.at("/diff_ids/0").asText());
        assertThat(l0.get("size").asLong()).isEqualTo(5_826_560L);
        assertThat(l0.get("createdBy").asText()).contains("ADD file:d48cac34fac3");
        assertThat(l0.get("verified").asBoolean()).isTrue();
        assertThat(l0.at("/computed/diffId").asText()).isEqualTo(exp.at("/diff_ids/0").asText());
        assertThat(image.at("/verification/configDigest").asText()).isEqualTo("verified");
        assertThat(integrityFindings(root)).isEmpty();
    }

    @Test
    void ociLayoutTarReport() throws IOException {
        JsonNode exp = expected("alpine-3.18.9-oci-layout");
        JsonNode root = imageJson("image", OCI.toString(), "--format", "json");
        assertContractShape(root);
        assertThat(root.at("/target/source").asText()).isEqualTo("oci-archive");
        JsonNode image = root.get("image");
        assertThat(image.get("id").asText()).isEqualTo(exp.get("config_digest").asText());
        assertThat(image.get("manifestDigest").asText()).isEqualTo(exp.get("manifest_digest").asText());
        assertThat(image.at("/verification/manifestDigest").asText()).isEqualTo("verified");
        assertThat(image.get("platform").asText()).isEqualTo("linux/amd64");
        assertOsFamily(image, "alpine");
        assertThat(image.get("layers")).hasSize(1);
        JsonNode l0 = image.at("/layers/0");
        assertThat(l0.get("digest").asText()).isEqualTo(exp.at("/layer_digests/0").asText());
        assertThat(l0.get("diffId").asText()).isEqualTo(exp.at("/diff_ids/0").asText());
        assertThat(l0.get("size").asLong()).isEqualTo(3_290_780L);
        assertThat(l0.get("compression").asText()).isEqualTo("gzip");
        assertThat(l0.get("verified").asBoolean()).isTrue();
        // the minirootfs tarball is this layer byte for byte
        JsonNode rootfs = expected("alpine-minirootfs-3.18.9-x86_64");
        assertThat(l0.get("digest").asText()).isEqualTo("sha256:" + rootfs.get("sha256").asText());
        assertThat(l0.at("/computed/diffId").asText()).isEqualTo("sha256:" + rootfs.get("uncompressed_sha256").asText());
        assertThat(integrityFindings(root)).isEmpty();
    }

    @Test
    void debianTwoLayerReport() throws IOException {
        JsonNode exp = expected("debian12-slim-like-docker-archive");
        JsonNode root = imageJson("image", DEBIAN.toString(), "--format", "json");
        assertContractShape(root);
        JsonNode image = root.get("image");
        assertThat(image.get("id").asText()).isEqualTo(exp.get("config_digest").asText());
        assertThat(texts(image.get("repoTags"))).isEqualTo(texts(exp.get("repo_tags")));
        assertThat(image.get("created").asText()).isEqualTo(exp.get("created").asText());
        assertOsFamily(image, "debian");
        assertThat(image.get("layers")).hasSize(exp.get("layers").asInt());
        for (int i = 0; i < 2; i++) {
            JsonNode l = image.get("layers").get(i);
            assertThat(l.get("index").asInt()).isEqualTo(i);
            assertThat(l.get("diffId").asText()).isEqualTo(exp.get("diff_ids").get(i).asText());
            assertThat(l.at("/computed/diffId").asText()).isEqualTo(exp.get("diff_ids").get(i).asText());
            assertThat(l.get("verified").asBoolean()).isTrue();
        }
        assertThat(image.at("/layers/1/createdBy").asText()).contains("whiteouts");
    }

    @Test
    void digestsCommandGivesTheSameImageSection() {
        JsonNode image = imageJson("image", DEBIAN.toString(), "--format", "json").get("image");
        JsonNode digests = imageJson("digests", DEBIAN.toString(), "--format", "json").get("image");
        assertThat(digests.get("id")).isEqualTo(image.get("id"));
        for (int i = 0; i < 2; i++) {
            for (String k : List.of("digest", "diffId", "size", "verified")) {
                assertThat(digests.at("/layers/" + i + "/" + k)).isEqualTo(image.at("/layers/" + i + "/" + k));
            }
        }
    }

    @Test
    void outputFileGetsTheReportAndStdoutStaysEmpty() throws IOException {
        Path out = dir.resolve("report.json");
        Cli.Result r = Cli.run("image", ALPINE.toString(), "--format", "json", "--output", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEmpty();
        JsonNode written = Json.parse(Files.readAllBytes(out), "report");
        JsonNode printed = imageJson("image", ALPINE.toString(), "--format", "json");
        assertThat(written).isEqualTo(printed);
        // no temporary file is left beside it
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("report.json");
        }
        // an existing file is replaced; table format goes to the file too
        Cli.Result t = Cli.run("digests", ALPINE.toString(), "-o", out.toString());
        assertThat(t.exitCode()).isZero();
        assertThat(t.out()).isEmpty();
        assertThat(Files.readString(out)).startsWith("alpine:3.10 (docker-archive)").contains("Image ID")
                .contains(expectedConfig());
    }

    private static String expectedConfig() {
        return "sha256:657d910b7392bc6320e0a3bd39f14ee72cc5608e41f3ab8d4797344e5a3d01f2";
    }

    @Test
    void outputIntoAMissingFolderIsAnInputError() {
        Path out = dir.resolve("no/such/folder/report.json");
        Cli.Result r = Cli.run("image", ALPINE.toString(), "--format", "json", "--output", out.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errorLine()).isEqualTo("dockaudit: error: cannot write " + out + ": the folder does not exist");
    }

    @Test
    void outputOntoADirectoryIsRefused() throws IOException {
        Path target = Files.createDirectory(dir.resolve("a-folder"));
        Cli.Result r = Cli.run("image", ALPINE.toString(), "--format", "json", "--output", target.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errorLine()).isEqualTo("dockaudit: error: cannot write " + target
                + ": it is a directory; name a file such as " + target.resolve("report.json"));
        assertThat(target).isEmptyDirectory();
    }

    /** An OCI layout whose plain-tar layer is declared as gzip: one MEDIUM INT-MEDIA-TYPE finding. */
    private Path mediumFindingImage() throws IOException {
        byte[] layer = TarBuilder.tar().file("etc/hostname", "x").bytes();
        return Files.write(dir.resolve("medium.tar"), ImageArchives.oci(layer).mediaType(0, ImageArchives.LAYER_GZIP).bytes());
    }

    @Test
    void failOnComparesWithTheMostSevereFinding() throws IOException {
        String img = mediumFindingImage().toString();
        Cli.Result plain = Cli.run("digests", img, "--format", "json");
        assertThat(plain.exitCode()).isZero();
        JsonNode f = plain.json().at("/findings/0");
        assertThat(plain.json().get("findings")).hasSize(1);
        assertThat(f.get("id").asText()).isEqualTo("INT-MEDIA-TYPE");
        assertThat(f.get("severity").asText()).isEqualTo("MEDIUM");
        assertThat(f.get("category").asText()).isEqualTo("integrity");
        assertThat(f.get("layer").asText()).matches("sha256:[0-9a-f]{64}");
        assertThat(f.fieldNames()).toIterable().contains("id", "category", "severity", "title", "description", "cis",
                "references", "aliases", "package", "installedVersion", "fixedVersion", "status", "layer", "path",
                "evidence", "remediation");
        assertThat(plain.json().at("/summary/bySeverity/MEDIUM").asInt()).isEqualTo(1);
        assertThat(plain.json().at("/summary/byCategory/integrity").asInt()).isEqualTo(1);

        assertThat(Cli.run("digests", img, "--fail-on", "LOW").exitCode()).isEqualTo(1);
        assertThat(Cli.run("digests", img, "--fail-on", "low").exitCode()).isEqualTo(1);
        assertThat(Cli.run("digests", img, "--fail-on", "MEDIUM").exitCode()).isEqualTo(1);
        assertThat(Cli.run("digests", img, "--fail-on", "HIGH").exitCode()).isZero();
        assertThat(Cli.run("digests", img, "--fail-on", "CRITICAL").exitCode()).isZero();
        // a MEDIUM integrity finding is not a failed verification for digests
        assertThat(Cli.run("digests", img).exitCode()).isZero();
    }

    @Test
    void failOnInfoAndLowOnARootfsWithOneInfoFinding() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root/etc"));
        Files.writeString(root.resolve("hostname"), "x\n");
        String ref = "rootfs:" + dir.resolve("root");
        Cli.Result r = Cli.run("image", ref, "--format", "json");
        assertThat(r.exitCode()).isZero();
        assertThat(r.json().at("/findings/0/severity").asText()).isEqualTo("INFO");
        assertThat(Cli.run("image", ref, "--fail-on", "INFO").exitCode()).isEqualTo(1);
        assertThat(Cli.run("image", ref, "--fail-on", "LOW").exitCode()).isZero();
    }

    @Test
    void severityFiltersTheReportedFindings() throws IOException {
        String img = mediumFindingImage().toString();
        JsonNode kept = imageJson("digests", img, "--format", "json", "--severity", "MEDIUM,LOW");
        assertThat(kept.get("findings")).hasSize(1);
        JsonNode dropped = imageJson("digests", img, "--format", "json", "--severity", "critical,HIGH");
        assertThat(dropped.get("findings")).isEmpty();
        assertThat(dropped.at("/summary/bySeverity/MEDIUM").asInt()).isZero();
        assertThat(dropped.at("/summary/byCategory").isEmpty()).isTrue();
        // --fail-on looks at what is reported
        assertThat(Cli.run("digests", img, "--severity", "HIGH", "--fail-on", "LOW").exitCode()).isZero();
        Cli.Result table = Cli.run("digests", img, "--severity", "HIGH");
        assertThat(table.out()).contains("Findings: none").doesNotContain("INT-MEDIA-TYPE");
        assertThat(Cli.run("digests", img).out()).contains("Findings: 1 (1 MEDIUM)").contains("INT-MEDIA-TYPE");
    }

    private static java.util.List<JsonNode> integrityFindings(JsonNode root) {
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        root.get("findings").forEach(f -> {
            if (f.get("category").asText().equals("integrity")) {
                out.add(f);
            }
        });
        return out;
    }
}
