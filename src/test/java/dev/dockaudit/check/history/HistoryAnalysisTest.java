package dev.dockaudit.check.history;

import static dev.dockaudit.check.config.ImageFixture.tar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.check.config.ConfigChecks;
import dev.dockaudit.check.config.ConfigResult;
import dev.dockaudit.check.config.ImageFixture;
import dev.dockaudit.image.Image;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** History rows, sizes, build args and efficiency limits on crafted images. */
class HistoryAnalysisTest {
    private static final String BASE = "/bin/sh -c #(nop) ADD file:0123456789abcdef in / ";

    private static HistoryReport analyze(Image image, HistoryAnalysis.Limits limits) {
        ConfigResult config = ConfigChecks.check(image, null, Map.of());
        return HistoryAnalysis.analyze(image, config, limits);
    }

    @Test
    void oneRowPerStepWithSizesAndTheStepsFindings() {
        Image image = ImageFixture.create()
                .layer(BASE, tar().dir("bin").file("bin/busybox", "x".repeat(1000)).symlink("bin/sh", "/bin/busybox")
                        .hardlink("bin/ash", "bin/busybox").dir("etc"))
                .step("/bin/sh -c #(nop)  ENV A=b")
                .layer("/bin/sh -c apk update", tar().dir("etc").file("etc/motd", "one").file("etc/motd", "twotwo"))
                .layer("/bin/sh -c #(nop) COPY file:abc in /etc/motd ", tar().dir("etc").file("etc/motd", "final!!"))
                .comment("a comment")
                .image();
        HistoryReport h = analyze(image, HistoryAnalysis.Limits.NONE);
        List<HistoryRow> rows = h.rows();
        assertThat(rows).extracting(HistoryRow::step).containsExactly(0, 1, 2, 3);
        assertThat(rows).extracting(HistoryRow::emptyLayer).containsExactly(false, true, false, false);
        assertThat(rows).extracting(HistoryRow::layer).containsExactly(0, null, 1, 2);
        // layer 0: 1000 bytes of file + "/bin/busybox" (12) for the symlink; the hard link adds nothing
        // layer 2 lists etc/motd twice: the last entry is what is on disk
        assertThat(rows).extracting(HistoryRow::size).containsExactly(1012L, 0L, 6L, 7L);
        assertThat(rows.get(0).createdBy()).isEqualTo(BASE);
        assertThat(rows.get(0).created()).isEqualTo("2024-01-01T00:00:00.123456789Z");
        assertThat(rows.get(3).comment()).isEqualTo("a comment");
        assertThat(rows.get(2).diffId()).isEqualTo(image.layers().get(1).diffId().toString());
        // etc/motd of layer 1 (6 bytes, the copy on disk) is replaced by layer 2
        assertThat(rows).extracting(HistoryRow::removedLaterBytes).containsExactly(0L, 0L, 6L, 0L);
        assertThat(rows.get(2).findings()).extracting(Finding::id).containsExactly("CFG-UPDATE-ALONE");
        assertThat(rows.get(0).findings()).isEmpty();
        assertThat(h.notes()).isEmpty();
        // the history's own findings do not repeat the config findings
        assertThat(h.findings()).extracting(Finding::id).doesNotContain("CFG-UPDATE-ALONE");
    }

    @Test
    void fewerHistoryEntriesThanLayersNoHistoryAndMissingLayers() {
        Image imported = ImageFixture.create().layer("", tar().file("a", "1")).comment("Imported from -")
                .layerWithoutHistory(tar().file("b", "22")).image();
        HistoryReport h = analyze(imported, null);
        assertThat(h.rows()).hasSize(2);
        assertThat(h.rows().get(0).comment()).isEqualTo("Imported from -");
        assertThat(h.rows().get(0).createdBy()).isEmpty();
        assertThat(h.rows().get(1).historyEntry()).isFalse();
        assertThat(h.rows().get(1).size()).isEqualTo(2);
        assertThat(h.notes()).anyMatch(n -> n.contains("1 of 2 layers have no history entry"));

        HistoryReport none = analyze(ImageFixture.create().noHistory().layerWithoutHistory(tar().file("a", "1")).image(), null);
        assertThat(none.rows()).singleElement().satisfies(r -> {
            assertThat(r.historyEntry()).isFalse();
            assertThat(r.createdBy()).isNull();
            assertThat(r.size()).isEqualTo(1);
        });
        assertThat(none.notes()).anyMatch(n -> n.contains("has no history"));

        // the config claims more layers than there are
        HistoryReport missing = analyze(ImageFixture.create().layer(BASE, tar().file("a", "1")).layer("/bin/sh -c x", tar())
                .image(), null);
        assertThat(missing.rows()).hasSize(2);
        Image trimmed = withLayers(ImageFixture.create().layer(BASE, tar().file("a", "1")).layer("/bin/sh -c x", tar()).image(), 1);
        HistoryReport h2 = HistoryAnalysis.analyze(trimmed, null, null);
        assertThat(h2.rows().get(1).layerMissing()).isTrue();
        assertThat(h2.rows().get(1).size()).isNull();
        assertThat(h2.notes()).anyMatch(n -> n.contains("claims a layer the image does not have"));
    }

    @Test
    void aRootFilesystemIsOneLayerWithoutSteps(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("f"), "12345");
        HistoryReport h = HistoryAnalysis.analyze(ImageFixture.read("rootfs:" + dir, true), null, null);
        assertThat(h.rows()).singleElement().satisfies(r -> {
            assertThat(r.historyEntry()).isFalse();
            assertThat(r.size()).isEqualTo(5);
        });
        assertThat(h.notes()).containsExactly("history: a root filesystem has no image config and so no build steps; it is"
                + " listed as one layer");
    }

    private static Image withLayers(Image i, int n) {
        return new Image(i.reference(), i.source(), i.displayName(), i.configDigest(), i.expectedConfigDigest(), i.configBytes(),
                i.config(), i.manifestDigest(), i.expectedManifestDigest(), i.expectedManifestSource(), i.manifestMediaType(),
                i.repoTags(), i.repoDigests(), i.platform(), i.layers().subList(0, n), i.history(), i.notes());
    }

    @Test
    void buildArgsWithSecretsInTheHistorySaySo() {
        String token = "npm_abcdefghijklmnopqrstuvwxyz0123456789";
        Image image = ImageFixture.create().layer(BASE, tar().file("a", "1"))
                .layer("|2 NPM_TOKEN=" + token + " VERSION=1.2.3 /bin/sh -c npm ci", tar())
                .layer("RUN |1 BUILD_DATE=2024-01-01 /bin/sh -c make # buildkit", tar())
                .step("/bin/sh -c #(nop)  ARG DB_PASSWORD=\"correct horse battery\"")
                .step("/bin/sh -c #(nop)  ARG VERSION=1.2.3")
                .step("/bin/sh -c #(nop)  ARG API_KEY")
                // the classic builder repeats every arg in scope before each later RUN
                .layer("|3 DB_PASSWORD=correct horse battery NPM_TOKEN=" + token + " VERSION=1.2.3 /bin/sh -c true", tar())
                .image();
        HistoryReport h = analyze(image, null);
        Finding secret = h.rows().get(1).findings().stream().filter(f -> f.id().equals("HIST-BUILD-ARG-SECRET")).findFirst()
                .orElseThrow();
        assertThat(secret.severity()).isEqualTo(Severity.HIGH);
        assertThat(secret.category()).isEqualTo(Category.HISTORY);
        assertThat(secret.cis()).isEqualTo("4.10");
        assertThat(secret.title()).isEqualTo("Build arg NPM_TOKEN recorded in the image history");
        assertThat(secret.description()).contains("docker history").contains("'|N KEY=value'").contains("NPM_TOKEN");
        assertThat(secret.evidence()).isEqualTo("history[1].created_by records NPM_TOKEN=npm_************ (40 chars); the"
                + " same value is in the created_by of steps 1, 6");
        assertThat(secret.layer()).isEqualTo(image.layers().get(1).diffId().toString());
        Finding args = h.rows().get(2).findings().stream().filter(f -> f.id().equals("HIST-BUILD-ARGS")).findFirst().orElseThrow();
        assertThat(args.severity()).isEqualTo(Severity.INFO);
        assertThat(args.title()).isEqualTo("Build arg BUILD_DATE recorded in the image history");
        // an ARG default is recorded as a step of its own
        Finding def = h.rows().get(3).findings().get(0);
        assertThat(def.id()).isEqualTo("HIST-BUILD-ARG-SECRET");
        assertThat(def.title()).contains("DB_PASSWORD");
        assertThat(def.description()).contains("ARG instruction with its default value");
        assertThat(def.evidence()).isEqualTo("history[3].created_by: ARG DB_PASSWORD=corr************ (21 chars); the same"
                + " value is in the created_by of steps 3, 6");
        assertThat(h.rows().get(4).findings()).isEmpty();
        assertThat(h.rows().get(5).findings()).isEmpty();
        assertThat(h.rows().get(6).findings()).isEmpty();
        assertThat(h.findings()).extracting(Finding::id).containsExactlyInAnyOrder("HIST-BUILD-ARG-SECRET",
                "HIST-BUILD-ARG-SECRET", "HIST-BUILD-ARGS", "HIST-BUILD-ARGS");
        assertThat(h.findings()).allSatisfy(f -> assertThat(f.evidence() + f.title()).doesNotContain(token)
                .doesNotContain("correct horse"));
    }

    @Test
    void efficiencyLimitsBecomeFailingFindings() {
        Image image = ImageFixture.create().layer(BASE, tar().file("keep", "k".repeat(1000)).file("big", "b".repeat(3000)))
                .layer("/bin/sh -c rm /big", tar().whiteout("big")).image();
        HistoryReport fine = analyze(image, new HistoryAnalysis.Limits(3000L, 0.25));
        assertThat(fine.efficiency().wastedBytes()).isEqualTo(3000);
        assertThat(fine.efficiency().score()).isEqualTo(0.25);
        assertThat(fine.findings()).extracting(Finding::id).containsExactly("HIST-WASTED-SPACE");
        assertThat(fine.limitExceeded()).isFalse();
        assertThat(fine.removedLaterBytes()).isEqualTo(3000);

        HistoryReport over = analyze(image, new HistoryAnalysis.Limits(2999L, 0.26));
        assertThat(over.findings()).extracting(Finding::id).containsExactly("HIST-WASTED-SPACE", "HIST-MAX-WASTED-BYTES",
                "HIST-MIN-EFFICIENCY");
        assertThat(over.limitExceeded()).isTrue();
        assertThat(over.items()).allMatch(i -> i.step() == -1);
    }
}
