package dev.dockaudit.image.source;

import static dev.dockaudit.testing.TarBuilder.gzip;
import static dev.dockaudit.testing.TarBuilder.sha256;
import static dev.dockaudit.testing.TarBuilder.tar;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.image.Platform;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.ImageArchives;
import dev.dockaudit.testing.TarBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which image of an archive or layout is audited: tags, @N, ref names, platforms, Docker 25+ archives. */
class LayoutSelectionTest {
    @TempDir
    Path dir;

    private static final byte[] LAYER_A = tar().file("etc/a", "a").bytes();
    private static final byte[] LAYER_B = tar().file("etc/b", "b").bytes();

    private static String config(String arch, byte[] layer) {
        return ImageArchives.config(List.of(sha256(ImageArchives.uncompressed(layer)))).replace("\"amd64\"", "\"" + arch + "\"");
    }

    private static String hex(byte[] b) {
        return sha256(b).substring(7);
    }

    private Path twoImageSave() throws IOException {
        String ca = config("amd64", LAYER_A);
        String cb = config("arm64", LAYER_B);
        byte[] cab = ca.getBytes(StandardCharsets.UTF_8);
        byte[] cbb = cb.getBytes(StandardCharsets.UTF_8);
        TarBuilder t = tar().file("a/layer.tar", LAYER_A).file("b/layer.tar", LAYER_B)
                .file(hex(cab) + ".json", cab).file(hex(cbb) + ".json", cbb)
                .file("manifest.json", "[{\"Config\":\"" + hex(cab) + ".json\",\"RepoTags\":[\"test/a:1\"],\"Layers\":[\"a/layer.tar\"]},"
                        + "{\"Config\":\"" + hex(cbb) + ".json\",\"RepoTags\":[\"test/b:2\",\"localhost:5000/b:2\"],"
                        + "\"Layers\":[\"b/layer.tar\"]}]");
        return Files.write(dir.resolve("two.tar"), t.bytes());
    }

    private static JsonNode ok(String... args) {
        Cli.Result r = Cli.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.json();
    }

    private static String error(String... args) {
        Cli.Result r = Cli.run(args);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().lines().toList()).hasSize(1);
        return r.errorLine();
    }

    @Test
    void dockerSaveWithTwoImagesNeedsAChoice() throws IOException {
        Path p = twoImageSave();
        assertThat(error("digests", p.toString())).isEqualTo("dockaudit: error: " + p + " holds 2 images (@0 test/a:1,"
                + " @1 test/b:2 localhost:5000/b:2); pick one with docker-archive:PATH:TAG or :@N");
        assertThat(error("digests", "docker-archive:" + p)).contains("pick one with docker-archive:PATH:TAG or :@N");
        // an unpacked docker save folder is read with oci:DIR:REF
        Path unpacked = Files.createDirectory(dir.resolve("unpacked"));
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(p))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path f = unpacked.resolve(e.getName());
                Files.createDirectories(f.getParent());
                Files.copy(in, f);
            }
        }
        assertThat(error("digests", unpacked.toString())).contains("pick one with oci:PATH:TAG or :@N");
        assertThat(ok("digests", "oci:" + unpacked + ":@1", "--format", "json").at("/image/platform").asText())
                .isEqualTo("linux/arm64");
    }

    @Test
    void dockerSaveImageByNumberTagOrNormalisedName() throws IOException {
        Path p = twoImageSave();
        for (String ref : List.of("@1", "test/b:2", "docker.io/test/b:2", "localhost:5000/b:2")) {
            JsonNode image = ok("digests", "docker-archive:" + p + ":" + ref, "--format", "json").get("image");
            assertThat(image.get("platform").asText()).as(ref).isEqualTo("linux/arm64");
            assertThat(image.at("/layers/0/diffId").asText()).isEqualTo(sha256(LAYER_B));
            assertThat(image.at("/layers/0/verified").asBoolean()).isTrue();
        }
        JsonNode first = ok("digests", "docker-archive:" + p + ":@0", "--format", "json").get("image");
        assertThat(first.get("repoTags").get(0).asText()).isEqualTo("test/a:1");
        assertThat(error("digests", "docker-archive:" + p + ":@5")).contains("has no image number 5; it holds 2");
        assertThat(error("digests", "docker-archive:" + p + ":nope")).contains("has no image tagged 'nope'")
                .contains("@0 test/a:1");
    }

    /** An OCI layout tar with one manifest per platform in index.json. */
    private Path multiPlatformOci() throws IOException {
        ImageArchives.OciLayout amd = ImageArchives.oci(gzip(LAYER_A)).config(config("amd64", gzip(LAYER_A)));
        ImageArchives.OciLayout arm = ImageArchives.oci(gzip(LAYER_B)).config(config("arm64", gzip(LAYER_B)));
        byte[] ma = amd.manifestJson().getBytes(StandardCharsets.UTF_8);
        byte[] mb = arm.manifestJson().getBytes(StandardCharsets.UTF_8);
        String index = "{\"schemaVersion\":2,\"manifests\":["
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + sha256(ma) + "\",\"size\":"
                + ma.length + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + sha256(mb) + "\",\"size\":"
                + mb.length + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}}]}";
        TarBuilder t = amd.editIndex(s -> index).tarBuilder();
        byte[] cb = arm.configJson().getBytes(StandardCharsets.UTF_8);
        t.file("blobs/sha256/" + hex(mb), mb).file("blobs/sha256/" + hex(cb), cb)
                .file("blobs/sha256/" + hex(gzip(LAYER_B)), gzip(LAYER_B));
        return Files.write(dir.resolve("multi.tar"), t.bytes());
    }

    @Test
    void ociIndexPicksThePlatform() throws IOException {
        Path p = multiPlatformOci();
        assertThat(ok("digests", p.toString(), "--platform", "linux/arm64", "--format", "json").at("/image/platform").asText())
                .isEqualTo("linux/arm64");
        assertThat(ok("digests", p.toString(), "--platform", "linux/aarch64/v8", "--format", "json")
                .at("/image/layers/0/diffId").asText()).isEqualTo(sha256(LAYER_B));
        assertThat(ok("digests", p.toString(), "--platform", "linux/x86_64", "--format", "json").at("/image/platform").asText())
                .isEqualTo("linux/amd64");
        JsonNode byDefault = ok("digests", p.toString(), "--format", "json");
        if (Platform.host().architecture().equals("amd64") || Platform.host().architecture().equals("arm64")) {
            assertThat(byDefault.at("/image/platform").asText()).isEqualTo("linux/" + Platform.host().architecture());
        }
        assertThat(byDefault.at("/image/verification/manifestDigest").asText()).isEqualTo("verified");
        assertThat(error("digests", p.toString(), "--platform", "linux/s390x")).contains("no image for platform linux/s390x")
                .contains("it has linux/amd64, linux/arm64/v8").contains("--platform");
    }

    @Test
    void ociLayoutWithTwoNamedImagesNeedsAChoice() throws IOException {
        // one manifest listed twice under two ref names
        ImageArchives.OciLayout amd = ImageArchives.oci(gzip(LAYER_A));
        String idx = amd.indexJson().replace("]}", ",{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"digest\":\"" + sha256(amd.manifestJson().getBytes(StandardCharsets.UTF_8)) + "\",\"size\":1,"
                + "\"annotations\":{\"org.opencontainers.image.ref.name\":\"2\"}}]}");
        Path two = Files.write(dir.resolve("two-refs.tar"), amd.editIndex(s -> idx).bytes());
        assertThat(error("digests", two.toString())).contains("holds several images (1, 2)")
                .contains("pick one with oci-archive:PATH:REF");
    }

    @Test
    void ociRefNameSelectsAndUnknownRefIsAnError() throws IOException {
        Path p = Files.write(dir.resolve("one.tar"), ImageArchives.oci(gzip(LAYER_A)).bytes());
        assertThat(ok("digests", "oci-archive:" + p + ":1", "--format", "json").at("/image/layers/0/verified").asBoolean())
                .isTrue();
        assertThat(error("digests", "oci-archive:" + p + ":2")).contains("has no image named '2'; it holds 1");
    }

    @Test
    void docker25ArchiveHasAnOciManifestBesideManifestJson() throws IOException {
        ImageArchives.OciLayout oci = ImageArchives.oci(LAYER_A, gzip(LAYER_B));
        byte[] cfg = oci.configJson().getBytes(StandardCharsets.UTF_8);
        TarBuilder t = oci.tarBuilder().file("manifest.json", "[{\"Config\":\"blobs/sha256/" + hex(cfg) + "\",\"RepoTags\":"
                + "[\"test/new:1\"],\"Layers\":[\"blobs/sha256/" + hex(LAYER_A) + "\",\"blobs/sha256/" + hex(gzip(LAYER_B))
                + "\"]}]");
        Path p = Files.write(dir.resolve("docker25.tar"), t.bytes());
        JsonNode root = ok("digests", p.toString(), "--format", "json");
        JsonNode image = root.get("image");
        assertThat(root.at("/target/source").asText()).isEqualTo("docker-archive");
        assertThat(image.get("manifestDigest").asText()).isEqualTo(sha256(oci.manifestJson().getBytes(StandardCharsets.UTF_8)));
        assertThat(image.at("/verification/manifestDigest").asText()).isEqualTo("verified");
        assertThat(image.at("/layers/0/digest").asText()).isEqualTo(sha256(LAYER_A));
        assertThat(image.at("/layers/1/digest").asText()).isEqualTo(sha256(gzip(LAYER_B)));
        assertThat(image.at("/layers/1/diffId").asText()).isEqualTo(sha256(LAYER_B));
        assertThat(image.at("/layers/1/compression").asText()).isEqualTo("gzip");
        assertThat(image.at("/layers/1/verified").asBoolean()).isTrue();
        assertThat(root.get("findings")).isEmpty();
    }
}
