package dev.dockaudit.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code dockaudit packages} on the real images in the repo, against their expected answers (realdata images/expected). */
class RealImageInventoryTest {
    private static final Path EXPECTED = Path.of("src/test/resources/realdata/images/expected");

    private static JsonNode expected(String name) throws IOException {
        return Json.parse(Files.readAllBytes(EXPECTED.resolve(name)), name);
    }

    private static JsonNode packagesJson(String ref) {
        Cli.Result r = Cli.run("packages", ref, "--format", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.json();
    }

    @Test
    void alpine310PackagesOsAndLayer() throws IOException {
        JsonNode want = expected("alpine-3.10.4-docker-archive.expected.json");
        JsonNode got = packagesJson(Cli.project("examples/alpine-3.10.4-docker-archive.tar.gz").toString());
        assertThat(got.at("/image/os/family").asText()).isEqualTo("alpine");
        assertThat(got.at("/image/os/version").asText()).isEqualTo(want.at("/os/alpine_release_file").asText());
        assertThat(got.at("/image/os/eol").asBoolean()).isTrue();
        List<String> expectedRows = new ArrayList<>();
        for (JsonNode p : want.get("packages")) {
            expectedRows.add(p.get("name").asText() + " " + p.get("version").asText() + " " + p.get("arch").asText() + " "
                    + p.get("origin").asText() + " " + p.get("license").asText());
        }
        List<String> rows = new ArrayList<>();
        String diffId = want.at("/structure/diff_ids/0").asText();
        for (JsonNode p : got.get("packages")) {
            rows.add(p.get("name").asText() + " " + p.get("version").asText() + " " + p.get("arch").asText() + " "
                    + p.get("sourceName").asText(p.get("name").asText()) + " " + p.at("/licenses/0").asText());
            assertThat(p.get("type").asText()).isEqualTo("apk");
            assertThat(p.get("layer").asText()).isEqualTo(diffId);
            assertThat(p.get("purl").asText()).startsWith("pkg:apk/alpine/" + p.get("name").asText() + "@")
                    .contains("arch=x86_64").contains("distro=3.10.4");
        }
        assertThat(rows).containsExactlyInAnyOrderElementsOf(expectedRows);
    }

    @Test
    void debianTwoLayersAttributesEachPackageToItsLayer() throws IOException {
        JsonNode want = expected("debian12-slim-like-docker-archive.expected.json");
        JsonNode got = packagesJson("src/test/resources/realdata/images/debian12-slim-like-docker-archive.tar.gz");
        assertThat(got.at("/image/os/family").asText()).isEqualTo("debian");
        assertThat(got.at("/image/os/version").asText()).isEqualTo(want.at("/os/etc_debian_version").asText());
        assertThat(got.at("/image/os/codename").asText()).isEqualTo("bookworm");
        List<String> expectedRows = new ArrayList<>();
        for (JsonNode p : want.get("installed_packages")) {
            expectedRows.add(p.get("package").asText() + " " + p.get("version").asText() + " " + p.get("architecture").asText()
                    + " " + p.get("source").asText() + " " + p.get("source_version").asText());
        }
        List<String> rows = new ArrayList<>();
        String layer0 = want.at("/structure/diff_ids/0").asText();
        String layer1 = want.at("/structure/diff_ids/1").asText();
        for (JsonNode p : got.get("packages")) {
            rows.add(p.get("name").asText() + " " + p.get("version").asText() + " " + p.get("arch").asText() + " "
                    + p.get("sourceName").asText() + " " + p.get("sourceVersion").asText());
            // Layer 1 rewrites the whole status file; only the packages it added belong to it.
            boolean addedInLayer1 = p.get("name").asText().equals("libssl3") || p.get("name").asText().equals("ca-certificates");
            assertThat(p.get("layer").asText()).as(p.get("name").asText()).isEqualTo(addedInLayer1 ? layer1 : layer0);
        }
        assertThat(rows).containsExactlyInAnyOrderElementsOf(expectedRows);
        JsonNode zlib = null;
        for (JsonNode p : got.get("packages")) {
            if (p.get("name").asText().equals("zlib1g")) {
                zlib = p;
            }
        }
        assertThat(zlib.get("purl").asText()).isEqualTo("pkg:deb/debian/zlib1g@1.2.13.dfsg-1?arch=amd64&distro=debian-12.15&epoch=1");
        assertThat(zlib.get("files")).isNotEmpty();
        assertThat(zlib.get("files").toString()).contains("usr/share/doc/zlib1g");
    }

    @Test
    void dpkgQueryFormatIsNameVersionArch() {
        Cli.Result r = Cli.run("packages", "src/test/resources/realdata/images/debian12-slim-like-docker-archive.tar.gz",
                "--format", "dpkg-query");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().lines()).contains("libc6 2.36-9+deb12u7 amd64", "zlib1g 1:1.2.13.dfsg-1 amd64",
                "ca-certificates 20230311+deb12u1 all").hasSize(7);
    }

    @Test
    void ociLayoutAlpine318() throws IOException {
        JsonNode want = expected("alpine-3.18.9-oci-layout.expected.json");
        JsonNode got = packagesJson("oci-archive:src/test/resources/realdata/images/alpine-3.18.9-oci-layout.tar");
        assertThat(got.at("/image/os/version").asText()).isEqualTo("3.18.9");
        JsonNode expectedPackages = want.has("packages") ? want.get("packages") : want.get("installed_packages");
        assertThat(got.get("packages")).hasSize(expectedPackages.size());
    }
}
