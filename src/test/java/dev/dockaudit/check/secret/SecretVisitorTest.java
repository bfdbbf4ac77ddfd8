package dev.dockaudit.check.secret;

import static dev.dockaudit.check.secret.Fakes.j;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.image.layer.LayerScan;
import dev.dockaudit.image.layer.LayerScanner;
import dev.dockaudit.image.layer.LayerVisitor;
import dev.dockaudit.image.layer.MergedFilesystem;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import dev.dockaudit.testing.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The visitor in the single layer pass, and the findings it turns into (with deletedInLaterLayer). */
class SecretVisitorTest {
    private final Fakes f = new Fakes("visitor");
    private final String ghp = j("gh", "p_", f.alnum(36));
    private final String dockerAuth = Fakes.base64("ci:" + f.password(20));

    /** Another analyzer that streams the same file: it must still see every byte after the secret visitor read it. */
    private static final class Streamer implements LayerVisitor {
        final Map<String, byte[]> seen = new LinkedHashMap<>();

        @Override
        public boolean wantsContent(LayerFile file) {
            return file.path().endsWith(".env");
        }

        @Override
        public void visit(LayerFile file, ContentReader content) throws IOException {
            if (content != null) {
                try (InputStream in = content.stream()) {
                    seen.put(file.path(), in.readAllBytes());
                }
            }
        }
    }

    private LayerScan scan(byte[] tar, List<LayerVisitor> visitors) throws IOException {
        return new LayerScanner(true, () -> visitors, LayerScanner.DEFAULT_MAX_LAYER_SIZE, null)
                .scan(new ByteArrayInputStream(tar), "layer 1");
    }

    @Test
    void readsTextFilesOnlyAndKeepsMatchesByPath() throws Exception {
        byte[] envFile = ("# app\nGITHUB_TOKEN=" + ghp + "\n" + "x".repeat(20_000) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] binary = ("\u0000\u0001ELF" + ghp).getBytes(StandardCharsets.UTF_8);
        byte[] tar = TarBuilder.tar()
                .dir("srv/app")
                .file("srv/app/.env", envFile)
                .file("root/.docker/config.json", "{\"auths\":{\"r.acme-corp.com\":{\"auth\":\"" + dockerAuth + "\"}}}\n")
                .file("usr/bin/tool", binary)
                .file("srv/app/logo.png", "not really a png " + ghp)
                .file("usr/share/doc/app/README", "token " + ghp)
                .file("srv/app/huge.txt", ("token " + ghp + "\n").repeat(2000))
                .symlink("srv/app/link", ".env")
                .bytes();
        SecretVisitor secrets = new SecretVisitor(new SecretScanner(SecretRuleSet.builtIn(), 64 * 1024));
        Streamer streamer = new Streamer();
        scan(tar, List.of(secrets, streamer));

        assertThat(secrets.matches()).extracting(m -> m.path() + " " + m.match().ruleId() + " " + m.match().line())
                .containsExactly("srv/app/.env github-pat 2", "root/.docker/config.json docker-config-auth 1");
        assertThat(secrets.skippedTooLarge()).isEqualTo(1);
        assertThat(secrets.filesScanned()).isEqualTo(2); // the ELF file was read only as far as its first bytes
        assertThat(secrets.warnings()).isEmpty();
        assertThat(streamer.seen.get("srv/app/.env")).isEqualTo(envFile);
        assertThat(SecretVisitor.binaryByName("usr/lib/x86_64-linux-gnu/libz.so.1.2.13")).isTrue();
        assertThat(SecretVisitor.binaryByName("etc/ssl/private/server.key")).isFalse();
    }

    @Test
    void aSecretDeletedByALaterLayerIsStillReportedWithItsLayer() throws Exception {
        byte[] layer0 = TarBuilder.tar().dir("srv").file("srv/id_rsa", f.pem("RSA PRIVATE" + " KEY", 1588, "\n"))
                .file("srv/keep.env", "TOKEN=" + ghp + "\n").bytes();
        byte[] layer1 = TarBuilder.tar().whiteout("srv/id_rsa").bytes();
        SecretScanner scanner = SecretScanner.builtIn();
        List<SecretVisitor> visitors = new ArrayList<>();
        List<List<LayerFile>> entries = new ArrayList<>();
        for (byte[] layer : List.of(layer0, layer1)) {
            SecretVisitor v = new SecretVisitor(scanner);
            visitors.add(v);
            entries.add(scan(layer, List.of(v)).files());
        }
        MergedFilesystem fs = MergedFilesystem.of(entries);
        String diffId = "sha256:" + "ab".repeat(32);
        List<Finding> findings = SecretFindings.forLayer(visitors.get(0).matches(), diffId,
                SecretFindings.deletedInLaterLayer(fs, 0));
        assertThat(findings).hasSize(2);
        Finding key = findings.stream().filter(x -> x.id().equals("SECRET-private-key-rsa")).findFirst().orElseThrow();
        assertThat(key.category()).isEqualTo(Category.SECRET);
        assertThat(key.severity().name()).isEqualTo("HIGH");
        assertThat(key.path()).isEqualTo("srv/id_rsa");
        assertThat(key.layer()).isEqualTo(diffId);
        assertThat(key.deletedInLaterLayer()).isTrue();
        assertThat(key.evidence()).startsWith("line 1: -----BEGIN RSA PRIVATE KEY----- ").contains(" chars)");
        assertThat(key.remediation()).contains("later layer does not remove it");
        assertThat(key.cis()).isNull();
        Finding token = findings.stream().filter(x -> x.id().equals("SECRET-github-pat")).findFirst().orElseThrow();
        assertThat(token.deletedInLaterLayer()).isFalse();
        assertThat(token.severity().name()).isEqualTo("CRITICAL");
        assertThat(token.evidence()).isEqualTo("line 1: TOKEN=" + ghp.substring(0, 4) + "************ (40 chars)");
        assertThat(visitors.get(1).matches()).isEmpty();
        // unknown deletion state leaves the field out
        assertThat(SecretFindings.forLayer(visitors.get(0).matches(), diffId, null)).allSatisfy(x ->
                assertThat(x.deletedInLaterLayer()).isNull());
    }

    @Test
    void scansARootDirectoryThroughTheSameVisitor(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("srv/app"));
        Files.writeString(root.resolve("srv/app/settings.py"), "DEBUG = False\nSTRIPE_KEY = '" + j("sk", "_live_", f.alnum(24)) + "'\n");
        Files.writeString(root.resolve("srv/app/readme.txt"), "no secrets here\n");
        SecretVisitor v = new SecretVisitor(SecretScanner.builtIn());
        new LayerScanner(true, () -> List.of(v), LayerScanner.DEFAULT_MAX_LAYER_SIZE, null).scanDirectory(root, "rootfs");
        assertThat(v.matches()).extracting(m -> m.path() + ":" + m.match().line() + " " + m.match().ruleId())
                .containsExactly("srv/app/settings.py:2 stripe-secret-key");
    }
}
