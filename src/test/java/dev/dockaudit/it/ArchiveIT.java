package dev.dockaudit.it;

import static dev.dockaudit.testing.TestImages.diffIds;
import static dev.dockaudit.testing.TestImages.reportDiffIds;
import static dev.dockaudit.testing.TestImages.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.Docker25Archive;
import dev.dockaudit.testing.Expect;
import dev.dockaudit.testing.ItEnv;
import dev.dockaudit.testing.Processes;
import dev.dockaudit.testing.Tars;
import dev.dockaudit.testing.TestImages;
import dev.dockaudit.testing.Tools;
import dev.dockaudit.util.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Archives and layouts made by the real tools: {@code docker save} (plain, gzip, several images, and rewritten into
 * Docker 25's layout), skopeo's {@code oci:} directories and {@code oci-archive:}/{@code docker-archive:} files, and a
 * two-platform OCI index built with umoci. Every answer is checked against {@code docker image inspect} of the image
 * the archive came from; tampered copies must fail {@code digests} with exit 1 and the finding that names the part.
 */
class ArchiveIT {
    private static final String DAEMON_HOST_FLAG = "--src-daemon-host";
    private static String app;
    private static String base;
    private static JsonNode appInspect;
    private static JsonNode baseInspect;
    private static Path dir;
    private static Path appTar;
    private static Path multiTar;

    @BeforeAll
    static void save() throws Exception {
        app = TestImages.app();
        base = TestImages.base();
        appInspect = TestImages.inspect(app);
        baseInspect = TestImages.inspect(base);
        dir = TestImages.tempDir("archives");
        appTar = dir.resolve("app.tar");
        TestImages.docker().run("save", "-o", appTar.toString(), app);
        multiTar = dir.resolve("multi.tar");
        TestImages.docker().run("save", "-o", multiTar.toString(), app, base);
    }

    private static JsonNode digests(int exit, String... args) {
        List<String> all = new ArrayList<>(List.of("digests"));
        all.addAll(List.of(args));
        all.addAll(List.of("--format", "json"));
        return Expect.report(Cli.run(all.toArray(new String[0])), exit);
    }

    /** Same image ID, tags and diff_ids as docker inspect, everything verified, no integrity finding. */
    private static void assertSameImage(JsonNode report, JsonNode inspect, List<String> repoTags) {
        JsonNode image = report.path("image");
        assertThat(image.path("id").asText()).isEqualTo(inspect.path("Id").asText());
        assertThat(strings(image.path("repoTags"))).containsExactlyElementsOf(repoTags);
        assertThat(reportDiffIds(report)).containsExactlyElementsOf(diffIds(inspect));
        assertThat(image.path("verification").path("configDigest").asText()).isEqualTo("verified");
        image.path("layers").forEach(l -> assertThat(l.path("verified").asBoolean()).as("layer %s", l).isTrue());
        assertThat(Expect.ids(report)).noneMatch(id -> id.startsWith("INT-"));
    }

    // ---- docker save ----

    @Test
    void plainDockerSave() throws Exception {
        for (String ref : List.of("docker-archive:" + appTar, appTar.toString())) {
            JsonNode report = digests(0, ref);
            assertSameImage(report, appInspect, List.of(app));
            assertThat(report.path("target").path("source").asText()).isEqualTo("docker-archive");
            // legacy layers are stored uncompressed: the blob digest is the diff_id
            report.path("image").path("layers").forEach(l -> assertThat(l.path("digest")).isEqualTo(l.path("diffId")));
            assertThat(report.path("image").path("layers").get(3).path("createdBy").asText()).contains("rm /opt/app/tmp.key");
        }
    }

    @Test
    void gzipCompressedDockerSave() throws Exception {
        Path gz = dir.resolve("app.tar.gz");
        Tools.sh("'" + ItEnv.dockerCli() + "' save '" + app + "' | gzip > '" + gz + "'");
        byte[] magic = new byte[2];
        try (var in = Files.newInputStream(gz)) {
            assertThat(in.read(magic)).isEqualTo(2);
        }
        assertThat(magic).containsExactly(0x1f, 0x8b);
        for (String ref : List.of("docker-archive:" + gz, gz.toString())) {
            assertSameImage(digests(0, ref), appInspect, List.of(app));
        }
    }

    @Test
    void severalImagesInOneSave() throws Exception {
        // docker 20.10 stores the shared base layer once and links the second copy to it
        assertThat(Tars.symlinks(multiTar).values()).anyMatch(t -> t.startsWith("../") && t.endsWith("/layer.tar"));

        String err = Expect.userError(Cli.run("digests", "docker-archive:" + multiTar),
                multiTar + " holds 2 images", app, base, "docker-archive:PATH:TAG or :@N");
        assertThat(err).contains("@0 ").contains("@1 ");

        assertSameImage(digests(0, "docker-archive:" + multiTar + ":" + app), appInspect, List.of(app));
        assertSameImage(digests(0, "docker-archive:" + multiTar + ":" + base), baseInspect, List.of(base));

        // @N counts in manifest.json's order, which docker does not fix: read it
        JsonNode saved = Json.parse(Tars.files(multiTar).get("manifest.json"), "manifest.json");
        for (int i = 0; i < 2; i++) {
            String tag = saved.get(i).path("RepoTags").get(0).asText();
            JsonNode inspect = tag.equals(app) ? appInspect : baseInspect;
            assertSameImage(digests(0, "docker-archive:" + multiTar + ":@" + i), inspect, List.of(tag));
        }
        Expect.userError(Cli.run("digests", "docker-archive:" + multiTar + ":@2"), "has no image number 2", "holds 2");
        Expect.userError(Cli.run("digests", "docker-archive:" + multiTar + ":da-dmn/other:" + TestImages.RUN),
                "has no image tagged 'da-dmn/other:" + TestImages.RUN + "'");
    }

    @Test
    void largeLayerStartingWithABracketInADockerSave() throws Exception {
        String bracket = TestImages.bracket();
        Path tar = dir.resolve("bracket.tar");
        TestImages.docker().run("save", "-o", tar.toString(), bracket);
        assertSameImage(digests(0, "docker-archive:" + tar), TestImages.inspect(bracket), List.of(bracket));
    }

    // ---- Docker 25+ archives (OCI layout inside docker save) ----

    @Test
    void docker25StyleArchive() throws Exception {
        Path out = dir.resolve("app-docker25.tar");
        Docker25Archive.Result d25 = Docker25Archive.fromLegacySave(appTar, out, true);
        Path extracted = Files.createDirectories(dir.resolve("app-docker25"));
        Processes.check(List.of("tar", "xf", out.toString(), "-C", extracted.toString()), Map.of());

        for (String ref : List.of("docker-archive:" + out, out.toString(), "oci-archive:" + out, "oci:" + extracted,
                extracted.toString())) {
            JsonNode report = digests(0, ref);
            assertSameImage(report, appInspect, List.of(app));
            JsonNode image = report.path("image");
            // the OCI manifest Docker 25 writes beside manifest.json is found and verified
            assertThat(image.path("manifestDigest").asText()).as(ref).isEqualTo(d25.manifestDigests().get(0));
            assertThat(image.path("verification").path("manifestDigest").asText()).isEqualTo("verified");
            assertThat(image.path("manifestMediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
            for (JsonNode l : image.path("layers")) {
                assertThat(l.path("digest")).isEqualTo(l.path("diffId"));
                assertThat(l.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar");
            }
            assertThat(Expect.notes(report)).as(ref).noneMatch(n -> n.contains("layers"));
        }
    }

    @Test
    void docker25StyleArchiveWithSeveralImagesSharingALayer() throws Exception {
        Path out = dir.resolve("multi-docker25.tar");
        Docker25Archive.Result d25 = Docker25Archive.fromLegacySave(multiTar, out, true);
        // one blob for the layer both images have
        long layerBlobs = Tars.files(out).keySet().stream()
                .filter(n -> n.equals("blobs/sha256/" + diffIds(baseInspect).get(0).substring(7))).count();
        assertThat(layerBlobs).isEqualTo(1);

        Expect.userError(Cli.run("digests", "docker-archive:" + out), "holds 2 images", app, base);
        JsonNode saved = Json.parse(Tars.files(out).get("manifest.json"), "manifest.json");
        for (int i = 0; i < 2; i++) {
            String tag = saved.get(i).path("RepoTags").get(0).asText();
            JsonNode inspect = tag.equals(app) ? appInspect : baseInspect;
            for (String pick : List.of(":@" + i, ":" + tag)) {
                JsonNode report = digests(0, "docker-archive:" + out + pick);
                assertSameImage(report, inspect, List.of(tag));
                assertThat(report.path("image").path("manifestDigest").asText()).isEqualTo(d25.manifestDigests().get(i));
            }
        }
    }

    @Test
    void docker2500ArchiveWhoseOciManifestListsNoLayers() throws Exception {
        // Docker 25.0.0 wrote OCI manifests without layers (moby#47065); manifest.json still names them all.
        Path out = dir.resolve("app-docker2500.tar");
        Docker25Archive.fromLegacySave(appTar, out, false);
        JsonNode report = digests(0, "docker-archive:" + out);
        assertSameImage(report, appInspect, List.of(app));
        assertThat(Expect.notes(report)).anyMatch(n -> n.contains("the OCI manifest lists 0 layers but manifest.json lists 4"));
    }

    // ---- skopeo: oci:, oci-archive:, docker-archive: ----

    @Test
    void skopeoOciDirectoryAndArchive() throws Exception {
        Path layout = dir.resolve("skopeo-oci");
        Path archive = dir.resolve("skopeo-oci.tar");
        Tools.skopeo("copy", "-q", DAEMON_HOST_FLAG, ItEnv.dockerHost(), "docker-daemon:" + app, "oci:" + layout + ":app");
        Tools.skopeo("copy", "-q", DAEMON_HOST_FLAG, ItEnv.dockerHost(), "docker-daemon:" + app, "oci-archive:" + archive + ":" + app);

        assertSkopeoOci(digests(0, "oci:" + layout + ":app"), readLayout(layout), "oci");
        assertSkopeoOci(digests(0, "oci:" + layout), readLayout(layout), "oci");
        assertSkopeoOci(digests(0, layout.toString()), readLayout(layout), "oci");
        Map<String, byte[]> files = Tars.files(archive);
        assertSkopeoOci(digests(0, "oci-archive:" + archive + ":" + app), files::get, "oci-archive");
        assertSkopeoOci(digests(0, archive.toString()), files::get, "oci-archive");
        Expect.userError(Cli.run("digests", "oci:" + layout + ":nope"), "has no image named 'nope'", "it holds app");
    }

    private static java.util.function.Function<String, byte[]> readLayout(Path layout) {
        return name -> {
            try {
                return Files.readAllBytes(layout.resolve(name));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        };
    }

    /** skopeo converts the config to OCI (a new image ID) and gzips the layers; the diff_ids stay docker's. */
    private static void assertSkopeoOci(JsonNode report, java.util.function.Function<String, byte[]> layout, String source) {
        JsonNode index = Json.parse(layout.apply("index.json"), "index.json");
        String manifestDigest = index.path("manifests").get(0).path("digest").asText();
        byte[] manifestBytes = layout.apply("blobs/sha256/" + manifestDigest.substring(7));
        JsonNode manifest = Json.parse(manifestBytes, "manifest");
        String configDigest = manifest.path("config").path("digest").asText();
        byte[] config = layout.apply("blobs/sha256/" + configDigest.substring(7));

        JsonNode image = report.path("image");
        assertThat(report.path("target").path("source").asText()).isEqualTo(source);
        assertThat(Tars.sha256(manifestBytes)).isEqualTo(manifestDigest);
        assertThat(image.path("manifestDigest").asText()).isEqualTo(manifestDigest);
        assertThat(image.path("verification").path("manifestDigest").asText()).isEqualTo("verified");
        assertThat(Tars.sha256(config)).isEqualTo(configDigest);
        assertThat(image.path("id").asText()).isEqualTo(configDigest);
        assertThat(reportDiffIds(report)).containsExactlyElementsOf(diffIds(appInspect));
        List<String> layerDigests = new ArrayList<>();
        manifest.path("layers").forEach(l -> layerDigests.add(l.path("digest").asText()));
        List<String> reported = new ArrayList<>();
        image.path("layers").forEach(l -> reported.add(l.path("digest").asText()));
        assertThat(reported).containsExactlyElementsOf(layerDigests);
        image.path("layers").forEach(l -> {
            assertThat(l.path("verified").asBoolean()).isTrue();
            assertThat(l.path("compression").asText()).isEqualTo("gzip");
        });
        assertThat(Expect.ids(report)).noneMatch(id -> id.startsWith("INT-"));
    }

    @Test
    void skopeoDockerArchiveKeepsDockersImageId() throws Exception {
        Path archive = dir.resolve("skopeo-docker.tar");
        Tools.skopeo("copy", "-q", DAEMON_HOST_FLAG, ItEnv.dockerHost(), "docker-daemon:" + app,
                "docker-archive:" + archive + ":" + app);
        assertSameImage(digests(0, "docker-archive:" + archive), appInspect, List.of("docker.io/" + app));
    }

    // ---- an OCI index with two platforms ----

    @Test
    void ociIndexWithTwoPlatforms() throws Exception {
        Path work = dir.resolve("umoci");
        Path layout = work.resolve("layout");
        Path amd64Root = Files.createDirectories(work.resolve("rootfs-amd64"));
        Path arm64Root = Files.createDirectories(work.resolve("rootfs-arm64/etc"));
        Processes.check(List.of("tar", "xzf", Cli.project("src/test/resources/realdata/images/alpine-minirootfs-3.18.9-x86_64.tar.gz")
                .toString(), "-C", amd64Root.toString()), Map.of());
        Files.writeString(arm64Root.resolve("marker"), "arm64 " + TestImages.RUN + "\n");
        Tools.umoci("init", "--layout", layout.toString());
        for (String arch : List.of("amd64", "arm64")) {
            Tools.umoci("new", "--image", layout + ":" + arch);
            Tools.umoci("insert", "--image", layout + ":" + arch, work.resolve("rootfs-" + arch).toString(), "/");
            Tools.umoci("config", "--image", layout + ":" + arch, "--architecture", arch, "--os", "linux");
        }
        // An image index naming both manifests with their platforms, added to index.json as ref "multi".
        ObjectNode top = (ObjectNode) Json.parse(Files.readAllBytes(layout.resolve("index.json")), "index.json");
        ObjectNode multi = Json.MAPPER.createObjectNode();
        multi.put("schemaVersion", 2);
        multi.put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode entries = multi.putArray("manifests");
        java.util.Map<String, String> manifestByArch = new java.util.HashMap<>();
        for (JsonNode m : top.path("manifests")) {
            String arch = m.path("annotations").path("org.opencontainers.image.ref.name").asText();
            manifestByArch.put(arch, m.path("digest").asText());
            ObjectNode e = entries.addObject();
            e.put("mediaType", m.path("mediaType").asText());
            e.put("digest", m.path("digest").asText());
            e.put("size", m.path("size").asLong());
            e.putObject("platform").put("architecture", arch).put("os", "linux");
        }
        byte[] indexBlob = Json.MAPPER.writeValueAsBytes(multi);
        Files.write(layout.resolve("blobs/sha256/" + Tars.sha256Hex(indexBlob)), indexBlob);
        ObjectNode ref = ((ArrayNode) top.path("manifests")).addObject();
        ref.put("mediaType", "application/vnd.oci.image.index.v1+json");
        ref.put("digest", Tars.sha256(indexBlob));
        ref.put("size", indexBlob.length);
        ref.putObject("annotations").put("org.opencontainers.image.ref.name", "multi");
        Files.write(layout.resolve("index.json"), Json.MAPPER.writeValueAsBytes(top));

        // The reference answers: each platform's image loaded into docker by skopeo and inspected.
        java.util.Map<String, JsonNode> inspect = new java.util.HashMap<>();
        for (String arch : List.of("amd64", "arm64")) {
            String name = "da-dmn/umoci:" + arch + "-" + TestImages.RUN;
            Tools.skopeo("copy", "-q", "--dest-daemon-host", ItEnv.dockerHost(), "oci:" + layout + ":" + arch,
                    "docker-daemon:" + name);
            TestImages.remember(name);
            inspect.put(arch, TestImages.inspect(name));
            assertThat(inspect.get(arch).path("Architecture").asText()).isEqualTo(arch);
        }
        assertThat(diffIds(inspect.get("amd64"))).doesNotContainAnyElementsOf(diffIds(inspect.get("arm64")));

        Path archive = work.resolve("layout.tar");
        Processes.check(List.of("tar", "cf", archive.toString(), "-C", layout.toString(), "."), Map.of());
        for (String where : List.of("oci:" + layout, "oci-archive:" + archive)) {
            for (String arch : List.of("amd64", "arm64")) {
                assertPlatform(digests(0, where + ":multi", "--platform", "linux/" + arch), inspect.get(arch), arch,
                        manifestByArch.get(arch));
                // by its own ref name, no --platform needed
                assertPlatform(digests(0, where + ":" + arch), inspect.get(arch), arch, manifestByArch.get(arch));
            }
            // arm64 means arm64/v8
            assertPlatform(digests(0, where + ":multi", "--platform", "linux/arm64/v8"), inspect.get("arm64"), "arm64",
                    manifestByArch.get("arm64"));
            // no --platform: this machine's
            String host = System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
            assertPlatform(digests(0, where + ":multi"), inspect.get(host), host, manifestByArch.get(host));

            Expect.userError(Cli.run("digests", where + ":multi", "--platform", "linux/s390x"),
                    "no image for platform linux/s390x", "linux/amd64, linux/arm64", "--platform");
            Expect.userError(Cli.run("digests", where), "holds several images (amd64, arm64, multi)", ":PATH:REF");
        }
    }

    private static void assertPlatform(JsonNode report, JsonNode inspect, String arch, String manifestDigest) {
        JsonNode image = report.path("image");
        assertThat(image.path("platform").asText()).isEqualTo("linux/" + arch);
        assertThat(image.path("id").asText()).isEqualTo(inspect.path("Id").asText());
        assertThat(reportDiffIds(report)).containsExactlyElementsOf(diffIds(inspect));
        assertThat(image.path("manifestDigest").asText()).isEqualTo(manifestDigest);
        assertThat(image.path("verification").path("manifestDigest").asText()).isEqualTo("verified");
        image.path("layers").forEach(l -> assertThat(l.path("verified").asBoolean()).isTrue());
    }

    // ---- tampering ----

    @Test
    void oneFlippedByteInALayerOfADockerSave() throws Exception {
        Path tampered = dir.resolve("tampered-layer.tar");
        Files.copy(appTar, tampered);
        JsonNode saved = Json.parse(Tars.files(appTar).get("manifest.json"), "manifest.json");
        String layerPath = saved.get(0).path("Layers").get(2).asText(); // the COPY layer
        Tars.Span layer = Tars.span(appTar, layerPath);
        byte[] layerBytes = Tars.files(appTar).get(layerPath);
        Tars.Span file = Tars.firstFileData(layerBytes); // hello.txt's content inside the layer
        Tars.flipByte(tampered, layer.offset() + file.offset());
        String computed = Tars.sha256(Tars.files(tampered).get(layerPath));
        String declared = diffIds(appInspect).get(2);
        assertThat(computed).isNotEqualTo(declared);

        JsonNode report = digests(1, "docker-archive:" + tampered);
        JsonNode f = Expect.finding(report, "INT-DIFF-ID");
        assertThat(f.path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(f.path("title").asText()).isEqualTo("layer 2 does not match its diff_id");
        assertThat(f.path("evidence").asText()).isEqualTo("expected " + declared + ", computed " + computed);
        assertThat(f.path("description").asText()).contains(layerPath);
        JsonNode layers = report.path("image").path("layers");
        for (int i = 0; i < 4; i++) {
            assertThat(layers.get(i).path("verified").asBoolean()).as("layer %d verified", i).isEqualTo(i != 2);
        }
        // the image ID is still right: only the layer was touched
        assertThat(report.path("image").path("id").asText()).isEqualTo(appInspect.path("Id").asText());
        assertThat(Expect.ids(report)).containsOnly("INT-DIFF-ID");

        // the table format says the same and exits the same
        Cli.Result table = Cli.run("digests", "docker-archive:" + tampered);
        assertThat(table.exitCode()).isEqualTo(1);
        assertThat(table.out()).contains("INT-DIFF-ID").contains("layer 2 does not match its diff_id");
    }

    @Test
    void oneChangedByteInTheConfigOfADockerSave() throws Exception {
        Path tampered = dir.resolve("tampered-config.tar");
        Files.copy(appTar, tampered);
        String id = appInspect.path("Id").asText();
        String configName = id.substring(7) + ".json";
        byte[] config = Tars.files(appTar).get(configName);
        int at = new String(config, StandardCharsets.ISO_8859_1).indexOf("GREETING=hi there");
        assertThat(at).isPositive();
        // still valid JSON, one byte different: GREETING=hi there -> GREETING=Hi there
        Tars.setByte(tampered, Tars.span(appTar, configName).offset() + at + "GREETING=".length(), 'H');
        String computed = Tars.sha256(Tars.files(tampered).get(configName));

        JsonNode report = digests(1, "docker-archive:" + tampered);
        JsonNode f = Expect.finding(report, "INT-CONFIG-DIGEST");
        assertThat(f.path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(f.path("evidence").asText()).isEqualTo("expected " + id + ", computed " + computed);
        assertThat(report.path("image").path("verification").path("configDigest").asText()).isEqualTo("mismatch");
        assertThat(report.path("image").path("config").path("Env").toString()).contains("GREETING=Hi there");
        // the layers themselves are intact
        assertThat(reportDiffIds(report)).containsExactlyElementsOf(diffIds(appInspect));
    }

    @Test
    void oneFlippedByteInABlobOfAnOciDirectory() throws Exception {
        Path layout = dir.resolve("tampered-oci");
        Tools.skopeo("copy", "-q", DAEMON_HOST_FLAG, ItEnv.dockerHost(), "docker-daemon:" + app, "oci:" + layout + ":app");
        JsonNode index = Json.parse(Files.readAllBytes(layout.resolve("index.json")), "index.json");
        JsonNode manifest = Json.parse(Files.readAllBytes(layout.resolve("blobs/sha256/"
                + index.path("manifests").get(0).path("digest").asText().substring(7))), "manifest");
        String declared = manifest.path("layers").get(1).path("digest").asText();
        Path blob = layout.resolve("blobs/sha256/" + declared.substring(7));
        Tars.flipByte(blob, Files.size(blob) / 2);
        String computed = Tars.sha256(Files.readAllBytes(blob));

        JsonNode report = digests(1, "oci:" + layout + ":app");
        JsonNode f = Expect.finding(report, "INT-LAYER-DIGEST");
        assertThat(f.path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(f.path("title").asText()).isEqualTo("layer 1 does not match its digest");
        assertThat(f.path("layer").asText()).isEqualTo(declared);
        assertThat(f.path("evidence").asText()).isEqualTo("expected " + declared + ", computed " + computed);
        assertThat(report.path("image").path("layers").get(1).path("verified").asBoolean()).isFalse();
        assertThat(report.path("image").path("layers").get(0).path("verified").asBoolean()).isTrue();
    }

    @Test
    void oneFlippedByteInALayerOfADocker25Archive() throws Exception {
        Path out = dir.resolve("tampered-docker25.tar");
        Docker25Archive.fromLegacySave(appTar, out, true);
        String declared = diffIds(appInspect).get(1);
        String blobName = "blobs/sha256/" + declared.substring(7);
        Tars.Span layer = Tars.span(out, blobName);
        Tars.flipByte(out, layer.offset() + Tars.firstFileData(Tars.files(out).get(blobName)).offset());
        String computed = Tars.sha256(Tars.files(out).get(blobName));

        JsonNode report = digests(1, "docker-archive:" + out);
        // the OCI manifest declares the blob digest, the config the diff_id: both are the same bytes here, both fail
        assertThat(Expect.finding(report, "INT-LAYER-DIGEST").path("evidence").asText())
                .isEqualTo("expected " + declared + ", computed " + computed);
        assertThat(Expect.finding(report, "INT-DIFF-ID").path("evidence").asText())
                .isEqualTo("expected " + declared + ", computed " + computed);
    }
}
