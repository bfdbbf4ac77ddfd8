package dev.dockaudit.it;

import static dev.dockaudit.testing.Reports.assertUserError;
import static dev.dockaudit.testing.Reports.finding;
import static dev.dockaudit.testing.Reports.findingIds;
import static dev.dockaudit.testing.Reports.json;
import static dev.dockaudit.testing.Reports.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.Docker;
import dev.dockaudit.testing.ItEnv;
import dev.dockaudit.testing.Oci;
import dev.dockaudit.testing.Oci.Blob;
import dev.dockaudit.testing.Oci.IndexEntry;
import dev.dockaudit.testing.Oci.LayerBlob;
import dev.dockaudit.testing.RegistryPush;
import dev.dockaudit.testing.RegistryPush.Pushed;
import dev.dockaudit.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image formats docker does not build but registries serve: OCI indexes and Docker manifest lists with
 * genuine amd64 and arm64 images, and layers stored gzip, zstd and uncompressed. The test pushes them to the
 * real plain registry with the distribution API ({@link RegistryPush}), audits them with dockaudit and checks
 * the answers against the digests computed here and against what {@code docker pull} makes of them.
 */
class RegistryFormatsIT {
    @TempDir
    static Path tmp;

    static String plain;
    static String run;
    static Docker docker;
    static RegistryPush push;
    static final List<String> localTags = new ArrayList<>();

    /** The real Alpine minirootfs, a gzip layer kept byte for byte. */
    static LayerBlob alpine;
    static Pushed ociAmd64;
    static Pushed ociArm64;
    static Blob ociIndex;
    static Pushed dockerAmd64;
    static Pushed dockerArm64;
    static Blob dockerList;
    static Pushed mixed;
    static Pushed dockerUncompressed;

    @BeforeAll
    static void pushImages() throws Exception {
        plain = ItEnv.registryPlain();
        run = "run-" + UUID.randomUUID().toString().substring(0, 8);
        docker = Docker.testDaemon(Files.createDirectories(tmp.resolve("docker-cli-config")));
        push = RegistryPush.anonymous(plain);
        byte[] gz = Files.readAllBytes(Cli.project("src/test/resources/realdata/images/alpine-minirootfs-3.18.9-x86_64.tar.gz"));

        // --- multi-platform, OCI: the same real layer, an amd64 config and a genuine arm64/v8 config ---
        alpine = LayerBlob.ofGzipFile(gz, Oci.OCI_LAYER_GZIP);
        Map<String, String> labels = Map.of("dev.dockaudit.test.run", run);
        Blob amd64Config = Oci.config(Oci.OCI_CONFIG, "linux", "amd64", null, List.of(alpine), List.of("ADD rootfs / # amd64"), labels);
        Blob arm64Config = Oci.config(Oci.OCI_CONFIG, "linux", "arm64", "v8", List.of(alpine), List.of("ADD rootfs / # arm64"), labels);
        ociAmd64 = push.image("da-reg/multi", null, Oci.manifest(Oci.OCI_MANIFEST, amd64Config, List.of(alpine)), amd64Config,
                List.of(alpine));
        ociArm64 = push.image("da-reg/multi", null, Oci.manifest(Oci.OCI_MANIFEST, arm64Config, List.of(alpine)), arm64Config,
                List.of(alpine));
        ociIndex = Oci.index(Oci.OCI_INDEX, List.of(new IndexEntry(ociAmd64.manifest(), "linux", "amd64", null),
                new IndexEntry(ociArm64.manifest(), "linux", "arm64", "v8")));
        push.manifest("da-reg/multi", "oci-" + run, ociIndex);

        // --- multi-platform, Docker manifest list (schema 2 manifests and configs) ---
        LayerBlob alpineDocker = LayerBlob.ofGzipFile(gz, Oci.DOCKER_LAYER_GZIP);
        Blob amd64D = amd64Config.withMediaType(Oci.DOCKER_CONFIG);
        Blob arm64D = arm64Config.withMediaType(Oci.DOCKER_CONFIG);
        dockerAmd64 = push.image("da-reg/multi", null, Oci.manifest(Oci.DOCKER_MANIFEST, amd64D, List.of(alpineDocker)), amd64D,
                List.of(alpineDocker));
        dockerArm64 = push.image("da-reg/multi", null, Oci.manifest(Oci.DOCKER_MANIFEST, arm64D, List.of(alpineDocker)), arm64D,
                List.of(alpineDocker));
        dockerList = Oci.index(Oci.DOCKER_LIST, List.of(new IndexEntry(dockerAmd64.manifest(), "linux", "amd64", null),
                new IndexEntry(dockerArm64.manifest(), "linux", "arm64", "v8")));
        push.manifest("da-reg/multi", "list-" + run, dockerList);

        // --- one image, three compressions: gzip (Alpine), zstd, and a plain tar that deletes a base file ---
        LayerBlob zstd = LayerBlob.zstd(Oci.tar(Oci.files("etc/zstd-layer.txt", "stored with zstd " + run,
                "usr/share/da-reg/big.txt", "zstd ".repeat(20_000)), List.of()), Oci.OCI_LAYER_ZSTD);
        LayerBlob tar = LayerBlob.plain(Oci.tar(Oci.files("etc/plain-layer.txt", "stored uncompressed " + run),
                List.of("etc/motd")), Oci.OCI_LAYER_TAR);
        List<LayerBlob> three = List.of(alpine, zstd, tar);
        Blob mixedConfig = Oci.config(Oci.OCI_CONFIG, "linux", "amd64", null, three,
                List.of("ADD rootfs /", "ADD zstd-layer", "RUN rm /etc/motd"), labels);
        mixed = push.image("da-reg/layers", "oci-" + run, Oci.manifest(Oci.OCI_MANIFEST, mixedConfig, three), mixedConfig, three);

        // --- Docker schema 2 with an uncompressed rootfs.diff.tar layer ---
        LayerBlob dockerTar = LayerBlob.plain(Oci.tar(Oci.files("etc/docker-tar.txt", "docker tar " + run), List.of()),
                Oci.DOCKER_LAYER_TAR);
        List<LayerBlob> two = List.of(alpineDocker, dockerTar);
        Blob twoConfig = Oci.config(Oci.DOCKER_CONFIG, "linux", "amd64", null, two, List.of("ADD rootfs /", "ADD docker-tar"),
                labels);
        dockerUncompressed = push.image("da-reg/layers", "docker-" + run, Oci.manifest(Oci.DOCKER_MANIFEST, twoConfig, two),
                twoConfig, two);
    }

    @AfterAll
    static void removeLocalImages() throws Exception {
        if (docker != null && !localTags.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("rmi", "--force"));
            args.addAll(localTags);
            docker.tryRun(args.toArray(new String[0]));
        }
    }

    /** docker pull (optionally for a platform), then docker image inspect. */
    private static JsonNode dockerPull(String ref, String platform) throws Exception {
        if (platform == null) {
            docker.run("pull", "-q", ref);
        } else {
            docker.run("pull", "-q", "--platform", platform, ref);
        }
        localTags.add(ref);
        return docker.inspectImage(ref);
    }

    private static void assertImage(JsonNode report, Pushed expected, String platform) {
        JsonNode image = report.path("image");
        assertThat(image.path("id").asText()).isEqualTo(expected.imageId().toString());
        assertThat(image.path("manifestDigest").asText()).isEqualTo(expected.manifestDigest().toString());
        assertThat(image.path("manifestMediaType").asText()).isEqualTo(expected.manifest().mediaType());
        assertThat(image.path("platform").asText()).isEqualTo(platform);
        assertThat(image.path("verification").path("configDigest").asText()).isEqualTo("verified");
        assertThat(image.path("verification").path("manifestDigest").asText()).isEqualTo("verified");
        JsonNode layers = image.path("layers");
        assertThat(layers).hasSize(expected.layers().size());
        for (int i = 0; i < layers.size(); i++) {
            LayerBlob want = expected.layers().get(i);
            JsonNode l = layers.get(i);
            assertThat(l.path("digest").asText()).as("layer %d digest", i).isEqualTo(want.blob().digest().toString());
            assertThat(l.path("size").asLong()).as("layer %d size", i).isEqualTo(want.blob().size());
            assertThat(l.path("diffId").asText()).as("layer %d diff_id", i).isEqualTo(want.diffId().toString());
            assertThat(l.path("mediaType").asText()).isEqualTo(want.blob().mediaType());
            assertThat(l.path("computed").path("digest").asText()).isEqualTo(want.blob().digest().toString());
            assertThat(l.path("computed").path("diffId").asText()).isEqualTo(want.diffId().toString());
            assertThat(l.path("verified").asBoolean()).as("layer %d verified", i).isTrue();
        }
        assertThat(findingIds(report, "CRITICAL")).isEmpty();
        assertThat(findingIds(report, "HIGH")).isEmpty();
        assertThat(findingIds(report, "MEDIUM")).isEmpty();
    }

    // ---- 6. multi-platform ----

    @Test
    void ociIndexDefaultsToAmd64LikeDocker() throws Exception {
        String ref = plain + "/da-reg/multi:oci-" + run;
        JsonNode report = json(Cli.run("digests", "docker://" + ref, "--format", "json"), 0);
        assertImage(report, ociAmd64, "linux/amd64");
        JsonNode image = report.path("image");
        // the repo digest is the index's, as docker records it; the manifest is checked against the index entry
        assertThat(texts(image.path("repoDigests"))).containsExactly(plain + "/da-reg/multi@" + ociIndex.digest());
        assertThat(image.path("verification").path("expectedManifestDigestFrom").asText()).isEqualTo("the image index");

        JsonNode pulled = dockerPull(ref, null);
        assertThat(pulled.path("Id").asText()).isEqualTo(image.path("id").asText());
        assertThat(pulled.path("Architecture").asText()).isEqualTo("amd64");
        assertThat(texts(pulled.path("RepoDigests"))).contains(plain + "/da-reg/multi@" + ociIndex.digest());
        assertThat(texts(pulled.path("RootFS").path("Layers"))).containsExactly(alpine.diffId().toString());
    }

    @Test
    void ociIndexArm64LikeDocker() throws Exception {
        String ref = plain + "/da-reg/multi:oci-" + run;
        JsonNode report = json(Cli.run("digests", "docker://" + ref, "--platform", "linux/arm64", "--format", "json"), 0);
        assertImage(report, ociArm64, "linux/arm64/v8");
        assertThat(texts(report.path("image").path("repoDigests"))).containsExactly(plain + "/da-reg/multi@" + ociIndex.digest());
        // the explicit variant picks the same image
        JsonNode v8 = json(Cli.run("digests", "docker://" + ref, "--platform", "linux/arm64/v8", "--format", "json"), 0);
        assertImage(v8, ociArm64, "linux/arm64/v8");

        String arm = plain + "/da-reg/multi:oci-arm-" + run;
        push.manifest("da-reg/multi", "oci-arm-" + run, ociIndex);
        JsonNode pulled = dockerPull(arm, "linux/arm64");
        assertThat(pulled.path("Id").asText()).isEqualTo(report.path("image").path("id").asText());
        assertThat(pulled.path("Architecture").asText()).isEqualTo("arm64");
    }

    @Test
    void ociIndexByDigest() {
        String ref = "docker://" + plain + "/da-reg/multi@" + ociIndex.digest();
        JsonNode report = json(Cli.run("digests", ref, "--platform", "linux/arm64", "--format", "json"), 0);
        assertImage(report, ociArm64, "linux/arm64/v8");
        assertThat(texts(report.path("image").path("repoDigests"))).containsExactly(plain + "/da-reg/multi@" + ociIndex.digest());
    }

    @Test
    void unknownPlatformListsTheAvailableOnes() {
        String line = assertUserError(Cli.run("digests", "docker://" + plain + "/da-reg/multi:oci-" + run, "--platform",
                "linux/s390x"), "has no image for platform linux/s390x", "linux/amd64", "linux/arm64/v8", "--platform");
        assertThat(line).contains("it has linux/amd64, linux/arm64/v8");
        assertUserError(Cli.run("digests", "docker://" + plain + "/da-reg/multi:list-" + run, "--platform",
                "windows/amd64"), "has no image for platform windows/amd64", "linux/amd64, linux/arm64/v8", "--platform");
        assertUserError(Cli.run("digests", "docker://" + plain + "/da-reg/multi:oci-" + run, "--platform", "amd64"),
                "--platform", "is not a platform", "os/arch");
    }

    @Test
    void dockerManifestListBothPlatformsLikeDocker() throws Exception {
        String ref = plain + "/da-reg/multi:list-" + run;
        JsonNode amd = json(Cli.run("digests", "docker://" + ref, "--format", "json"), 0);
        assertImage(amd, dockerAmd64, "linux/amd64");
        assertThat(texts(amd.path("image").path("repoDigests"))).containsExactly(plain + "/da-reg/multi@" + dockerList.digest());
        JsonNode arm = json(Cli.run("digests", "docker://" + ref, "--platform", "linux/arm64", "--format", "json"), 0);
        assertImage(arm, dockerArm64, "linux/arm64/v8");

        JsonNode pulled = dockerPull(ref, null);
        assertThat(pulled.path("Id").asText()).isEqualTo(amd.path("image").path("id").asText());
        assertThat(texts(pulled.path("RepoDigests"))).contains(plain + "/da-reg/multi@" + dockerList.digest());
        String armRef = plain + "/da-reg/multi:list-arm-" + run;
        push.manifest("da-reg/multi", "list-arm-" + run, dockerList);
        JsonNode pulledArm = dockerPull(armRef, "linux/arm64");
        assertThat(pulledArm.path("Id").asText()).isEqualTo(arm.path("image").path("id").asText());
    }

    @Test
    void buildxAttestationEntriesAreNotPlatforms() throws Exception {
        // docker buildx adds an "unknown/unknown" attestation manifest to the index; it is never chosen or listed
        ObjectNode idx = (ObjectNode) Json.MAPPER.readTree(ociIndex.bytes());
        ObjectNode att = ((ArrayNode) idx.get("manifests")).addObject();
        att.put("mediaType", Oci.OCI_MANIFEST);
        att.put("digest", ociArm64.manifestDigest().toString());
        att.put("size", ociArm64.manifest().size());
        att.putObject("annotations").put("vnd.docker.reference.type", "attestation-manifest")
                .put("vnd.docker.reference.digest", ociAmd64.manifestDigest().toString());
        att.putObject("platform").put("architecture", "unknown").put("os", "unknown");
        Blob withAttestation = new Blob(Oci.OCI_INDEX, Json.MAPPER.writeValueAsBytes(idx));
        push.manifest("da-reg/multi", "att-" + run, withAttestation);
        String ref = "docker://" + plain + "/da-reg/multi:att-" + run;
        JsonNode report = json(Cli.run("digests", ref, "--format", "json"), 0);
        assertImage(report, ociAmd64, "linux/amd64");
        assertThat(texts(report.path("image").path("repoDigests"))).containsExactly(plain + "/da-reg/multi@"
                + withAttestation.digest());
        String line = assertUserError(Cli.run("digests", ref, "--platform", "linux/ppc64le"), "it has linux/amd64, linux/arm64/v8 (");
        assertThat(line).doesNotContain("unknown");
    }

    // ---- 7. layer compressions ----

    @Test
    void gzipZstdAndUncompressedLayersAreVerified() throws Exception {
        String ref = plain + "/da-reg/layers:oci-" + run;
        JsonNode report = json(Cli.run("digests", "docker://" + ref, "--format", "json"), 0);
        assertImage(report, mixed, "linux/amd64");
        JsonNode layers = report.path("image").path("layers");
        assertThat(layers.get(0).path("compression").asText()).isEqualTo("gzip");
        assertThat(layers.get(1).path("compression").asText()).isEqualTo("zstd");
        assertThat(layers.get(2).path("compression").asText()).isEqualTo("none");
        // an uncompressed layer's diff_id is its blob digest
        assertThat(layers.get(2).path("diffId").asText()).isEqualTo(layers.get(2).path("digest").asText());
        assertThat(layers.get(1).path("uncompressedSize").asLong()).isGreaterThan(100_000)
                .isGreaterThan(layers.get(1).path("size").asLong() * 10);

        // the image command walks each layer's tar too
        JsonNode walked = json(Cli.run("image", "docker://" + ref, "--scanners", "packages", "--format", "json"), 0);
        assertImage(walked, mixed, "linux/amd64");
        assertThat(walked.path("image").path("layers").get(2).path("computed").path("entries").asInt()).isEqualTo(3);

        // The diff_ids above were computed here from the tars before compression. docker cannot be asked about
        // this image: Debian's dockerd 20.10 has no zstd ("failed to register layer: ... unexpected EOF").
    }

    @Test
    void ociGzipAndUncompressedLayersLikeDocker() throws Exception {
        // The same gzip and uncompressed (whiteout) layers without the zstd one, which docker 20.10 can pull.
        List<LayerBlob> two = List.of(mixed.layers().get(0), mixed.layers().get(2));
        Blob config = Oci.config(Oci.OCI_CONFIG, "linux", "amd64", null, two, List.of("ADD rootfs /", "RUN rm /etc/motd"),
                Map.of("dev.dockaudit.test.run", run));
        Pushed image = push.image("da-reg/layers", "ocitar-" + run, Oci.manifest(Oci.OCI_MANIFEST, config, two), config, two);
        String ref = plain + "/da-reg/layers:ocitar-" + run;
        JsonNode report = json(Cli.run("digests", "docker://" + ref, "--format", "json"), 0);
        assertImage(report, image, "linux/amd64");
        JsonNode pulled = dockerPull(ref, null);
        assertThat(pulled.path("Id").asText()).isEqualTo(report.path("image").path("id").asText());
        assertThat(texts(pulled.path("RootFS").path("Layers"))).containsExactly(
                report.path("image").path("layers").get(0).path("diffId").asText(),
                report.path("image").path("layers").get(1).path("diffId").asText());
        assertThat(texts(pulled.path("RepoDigests"))).contains(plain + "/da-reg/layers@" + report.path("image")
                .path("manifestDigest").asText());
    }

    @Test
    void dockerSchema2UncompressedLayer() throws Exception {
        String ref = plain + "/da-reg/layers:docker-" + run;
        JsonNode report = json(Cli.run("digests", "docker://" + ref, "--format", "json"), 0);
        assertImage(report, dockerUncompressed, "linux/amd64");
        assertThat(report.path("image").path("layers").get(1).path("compression").asText()).isEqualTo("none");
        JsonNode pulled = dockerPull(ref, null);
        assertThat(pulled.path("Id").asText()).isEqualTo(dockerUncompressed.imageId().toString());
        assertThat(texts(pulled.path("RootFS").path("Layers"))).containsExactly(alpine.diffId().toString(),
                dockerUncompressed.layers().get(1).diffId().toString());
    }

    @Test
    void layerBytesThatContradictTheirMediaTypeAreReported() throws Exception {
        // zstd bytes declared as gzip: the digests hold, but runtimes that trust the type will fail to unpack it
        LayerBlob zstd = LayerBlob.zstd(Oci.tar(Oci.files("etc/liar.txt", "zstd says gzip " + run), List.of()),
                Oci.OCI_LAYER_GZIP);
        List<LayerBlob> layers = List.of(alpine, zstd);
        Blob config = Oci.config(Oci.OCI_CONFIG, "linux", "amd64", null, layers, List.of("ADD rootfs /", "ADD liar"), Map.of());
        push.image("da-reg/layers", "liar-" + run, Oci.manifest(Oci.OCI_MANIFEST, config, layers), config, layers);
        JsonNode report = json(Cli.run("digests", "docker://" + plain + "/da-reg/layers:liar-" + run, "--format", "json"), 0);
        JsonNode f = finding(report, "INT-MEDIA-TYPE");
        assertThat(f.path("severity").asText()).isEqualTo("MEDIUM");
        assertThat(f.path("title").asText()).contains("layer 1 is zstd but declared as " + Oci.OCI_LAYER_GZIP);
        JsonNode l = report.path("image").path("layers").get(1);
        assertThat(l.path("verified").asBoolean()).isTrue();
        assertThat(l.path("diffId").asText()).isEqualTo(zstd.diffId().toString());
    }
}
