package dev.dockaudit.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.ImageArchives;
import dev.dockaudit.testing.TarBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One image holding broken package data of every kind next to a good apk database: every broken file becomes a
 * note naming it, the good packages are still found, nothing crashes and the audit ends normally.
 */
class BrokenDatabasesTest {
    @TempDir
    Path tmp;

    private static final String APK = "C:Q1\nP:musl\nV:1.2.4-r2\nA:x86_64\no:musl\nL:MIT\n\n"
            + "C:Q2\nP:busybox\nV:1.36.1-r5\nA:x86_64\no:busybox\nL:GPL-2.0-only\n\n";

    /** A jar whose single entry inflates to 200 MiB of zeros: a zip bomb posing as a library. */
    private static byte[] zipBombJar() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("META-INF/maven/evil/bomb/pom.properties"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    /** Something that starts like an ELF executable with a Go build-info magic but is not one. */
    private static byte[] fakeGoBinary() {
        byte[] b = new byte[4096];
        b[0] = 0x7f;
        b[1] = 'E';
        b[2] = 'L';
        b[3] = 'F';
        byte[] magic = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(magic, 0, b, 512, magic.length);
        return b;
    }

    @Test
    void brokenDatabasesBecomeNotesAndTheRestIsInventoried() throws Exception {
        byte[] truncatedRpm = new byte[4096];
        truncatedRpm[12] = 0x61; // a Berkeley DB hash magic's low byte, then nothing valid
        byte[] layer = TarBuilder.tar()
                .file("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n")
                .file("lib/apk/db/installed", APK)
                .file("var/lib/dpkg/status", "Package: broken\nStatus: install ok installed\n\nPackage\n")
                .file("var/lib/rpm/Packages", truncatedRpm)
                .file("app/lib/bomb.jar", zipBombJar())
                .file("usr/local/bin/notgo", fakeGoBinary(), 0755, e -> { })
                .file("app/node_modules/left-pad/package.json", "{\"name\": \"left-pad\", \"version\": ")
                .bytes();
        Path archive = tmp.resolve("broken.tar");
        Files.write(archive, ImageArchives.dockerSave(layer).bytes());

        long start = System.nanoTime();
        Cli.Result r = Cli.run("packages", archive.toString(), "--format", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(30_000);
        JsonNode json = r.json();
        List<String> names = new ArrayList<>();
        json.get("packages").forEach(p -> names.add(p.get("name").asText() + " " + p.get("version").asText()));
        assertThat(names).containsExactlyInAnyOrder("busybox 1.36.1-r5", "musl 1.2.4-r2");
        String notes = json.get("notes").toString();
        assertThat(notes).contains("/var/lib/rpm/Packages").contains("/app/lib/bomb.jar")
                .contains("/app/node_modules/left-pad/package.json").contains("/var/lib/dpkg/status");
        assertThat(json.at("/image/os/family").asText()).isEqualTo("alpine");
    }
}
