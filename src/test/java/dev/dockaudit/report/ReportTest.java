package dev.dockaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static Report report(Finding... findings) {
        Image image = new Image.Builder(ImageReference.parse("docker://example.com/app:1"), "docker").build();
        Report r = new Report("image", image);
        r.addAll(List.of(findings));
        return r;
    }

    private static Finding finding(String id, Severity s, Category c) {
        return Finding.builder(id, c, s, "title of " + id).description("d").evidence("e").remediation("r").build();
    }

    @Test
    void lowFindingTripsFailOnLowOnly() {
        Report r = report(finding("INT-TAG-NOT-PINNED", Severity.LOW, Category.INTEGRITY));
        assertThat(r.hasAtLeast(Severity.LOW)).isTrue();
        assertThat(r.hasAtLeast(Severity.INFO)).isTrue();
        assertThat(r.hasAtLeast(Severity.MEDIUM)).isFalse();
        assertThat(r.hasAtLeast(Severity.CRITICAL)).isFalse();
    }

    @Test
    void unknownSeverityGatesLikeLow() {
        Report r = report(finding("X", Severity.UNKNOWN, Category.VULNERABILITY));
        assertThat(r.hasAtLeast(Severity.LOW)).isTrue();
        assertThat(r.hasAtLeast(Severity.MEDIUM)).isFalse();
        assertThat(Severity.UNKNOWN.atLeast(Severity.INFO)).isTrue();
        assertThat(Severity.INFO.atLeast(Severity.UNKNOWN)).isFalse();
    }

    @Test
    void findingsSortMostSevereFirstAndCountsAdd() {
        Report r = report(finding("B", Severity.LOW, Category.CONFIG), finding("A", Severity.CRITICAL, Category.INTEGRITY),
                finding("C", Severity.LOW, Category.INTEGRITY), finding("D", Severity.HIGH, Category.SECRET));
        assertThat(r.findings()).extracting(Finding::id).containsExactly("A", "D", "C", "B");
        assertThat(r.bySeverity()).containsEntry(Severity.LOW, 2).containsEntry(Severity.CRITICAL, 1)
                .containsEntry(Severity.MEDIUM, 0);
        assertThat(r.byCategory()).containsEntry(Category.INTEGRITY, 2).containsEntry(Category.CONFIG, 1)
                .doesNotContainKey(Category.TRUST);
        r.keepOnly(EnumSet.of(Severity.LOW));
        assertThat(r.findings()).extracting(Finding::id).containsExactly("C", "B");
        assertThat(r.hasAtLeast(Severity.HIGH)).isFalse();
    }

    @Test
    void jsonFindingHasEveryContractKey() throws IOException {
        Report r = report(finding("INT-TAG-NOT-PINNED", Severity.LOW, Category.INTEGRITY));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JsonReportWriter().write(r, out);
        JsonNode root = dev.dockaudit.util.Json.parse(out.toByteArray(), "report");
        JsonNode f = root.at("/findings/0");
        assertThat(f.get("id").asText()).isEqualTo("INT-TAG-NOT-PINNED");
        assertThat(f.get("severity").asText()).isEqualTo("LOW");
        assertThat(f.get("category").asText()).isEqualTo("integrity");
        assertThat(f.get("cis").isNull()).isTrue();
        assertThat(f.get("references").isArray()).isTrue();
        assertThat(f.get("package").isNull()).isTrue();
        assertThat(root.at("/summary/bySeverity/LOW").asInt()).isEqualTo(1);
        assertThat(root.at("/summary/byCategory/integrity").asInt()).isEqualTo(1);
        assertThat(root.at("/image/id").isNull()).isTrue();
        assertThat(root.at("/image/layers").isEmpty()).isTrue();
        assertThat(root.at("/target/reference").asText()).isEqualTo("docker://example.com/app:1");
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("}\n");
    }

    @Test
    void tableNeverPrintsTerminalControlCharactersFromTheImage() throws IOException {
        // image metadata (tags, history, paths) is attacker-controlled; ESC sequences could rewrite the terminal
        String evil = "ok\u001b[2J\u001b]0;pwned\u0007\u009b31m\rdone";
        Finding f = Finding.builder("X", Category.HISTORY, Severity.LOW, "title " + evil).description("d " + evil)
                .evidence("e " + evil).remediation("r").build();
        Image image = new Image.Builder(ImageReference.parse("docker://example.com/app:1"), "docker")
                .displayName("name " + evil).repoTags(List.of("tag" + evil)).note("note " + evil).build();
        Report r = new Report("image", image);
        r.add(f);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TableReportWriter().write(r, out);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u009b").doesNotContain("\r");
        assertThat(text).contains("ok?[2J").contains("title ok");
    }
}
