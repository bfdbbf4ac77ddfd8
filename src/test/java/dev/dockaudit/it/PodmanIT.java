package dev.dockaudit.it;

import static dev.dockaudit.testing.TestImages.diffIds;
import static dev.dockaudit.testing.TestImages.reportDiffIds;
import static dev.dockaudit.testing.TestImages.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.Expect;
import dev.dockaudit.testing.ItEnv;
import dev.dockaudit.testing.TestImages;
import dev.dockaudit.testing.Tools;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code dockaudit digests} against Podman's Docker-compatible API: the image the docker tests build, moved into
 * Podman with {@code podman load} of a real {@code docker save}, and an image Podman made itself
 * ({@code podman import}). Answers are compared with {@code podman image inspect}.
 */
class PodmanIT {
    private static String podmanHost;
    private static String loaded;
    private static String imported;

    @BeforeAll
    static void load() throws Exception {
        podmanHost = ItEnv.podmanHost();
        String app = TestImages.app();
        Path save = TestImages.tempDir("podman").resolve("app.tar");
        TestImages.docker().run("save", "-o", save.toString(), app);
        Tools.podman("load", "-i", save.toString());
        loaded = app;
        imported = "da-dmn/pimport:" + TestImages.RUN;
        Tools.podman("import", Cli.project("src/test/resources/realdata/images/alpine-minirootfs-3.18.9-x86_64.tar.gz")
                .toString(), imported);
    }

    @AfterAll
    static void remove() throws Exception {
        Tools.podman("rmi", "-f", loaded, imported);
    }

    /** Podman's inspect gives the ID without "sha256:"; its compat API gives it with. */
    private static String podmanId(JsonNode inspect) {
        String id = inspect.path("Id").asText();
        return id.startsWith("sha256:") ? id : "sha256:" + id;
    }

    private static void assertSameImage(JsonNode report, JsonNode inspect) {
        JsonNode image = report.path("image");
        assertThat(image.path("id").asText()).isEqualTo(podmanId(inspect));
        assertThat(reportDiffIds(report)).containsExactlyElementsOf(diffIds(inspect));
        assertThat(strings(image.path("repoTags"))).containsExactlyInAnyOrderElementsOf(strings(inspect.path("RepoTags")));
        assertThat(strings(image.path("repoDigests")))
                .containsExactlyInAnyOrderElementsOf(strings(inspect.path("RepoDigests")));
        assertThat(image.path("verification").path("configDigest").asText()).isEqualTo("verified");
        image.path("layers").forEach(l -> assertThat(l.path("verified").asBoolean()).as("layer %s", l).isTrue());
        assertThat(report.path("target").path("source").asText()).isEqualTo("docker-daemon");
    }

    @Test
    void imageLoadedFromADockerSaveMatchesPodmanInspect() throws Exception {
        JsonNode inspect = Tools.podmanInspect(loaded);
        // Podman keeps docker's image ID and diff_ids: the same image, in another engine
        JsonNode docker = TestImages.inspect(loaded);
        assertThat(podmanId(inspect)).isEqualTo(docker.path("Id").asText());
        assertThat(diffIds(inspect)).containsExactlyElementsOf(diffIds(docker));

        JsonNode report = Expect.report(Cli.run("digests", "docker-daemon:" + loaded, "--docker-host", podmanHost,
                "--format", "json"), 0);
        assertSameImage(report, inspect);
        assertThat(strings(report.path("image").path("repoTags"))).containsExactly("localhost/" + loaded);
        assertThat(report.path("image").path("layers").get(2).path("createdBy").asText()).contains("COPY file:");
    }

    @Test
    void byBareNameAndShortIdOverPodman() throws Exception {
        JsonNode inspect = Tools.podmanInspect(loaded);
        String shortId = podmanId(inspect).substring(7, 19);
        for (String ref : List.of(loaded, shortId, "docker-daemon:" + shortId, "docker-daemon:localhost/" + loaded)) {
            JsonNode report = Expect.report(Cli.run("digests", ref, "--docker-host", podmanHost, "--offline",
                    "--format", "json"), 0);
            assertSameImage(report, inspect);
        }
    }

    @Test
    void imageMadeByPodmanItself() throws Exception {
        JsonNode inspect = Tools.podmanInspect(imported);
        JsonNode report = Expect.report(Cli.run("digests", "docker-daemon:" + imported, "--docker-host", podmanHost,
                "--format", "json"), 0);
        assertSameImage(report, inspect);
        // one layer: the minirootfs, whose diff_id docker import computes identically
        assertThat(reportDiffIds(report)).containsExactly(diffIds(TestImages.inspect(TestImages.base())).get(0));
    }

    @Test
    void noSuchImageOnPodman() {
        String missing = "da-dmn/missing:" + TestImages.RUN;
        Expect.userError(Cli.run("digests", "docker-daemon:" + missing, "--docker-host", podmanHost),
                "Podman daemon at " + podmanHost + " has no image '" + missing + "'");
    }
}
