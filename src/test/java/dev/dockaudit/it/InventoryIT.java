package dev.dockaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.Debootstrap;
import dev.dockaudit.testing.Docker;
import dev.dockaudit.testing.ItEnv;
import dev.dockaudit.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The package inventory of real Debian and Ubuntu roots (debootstrap minbase from the apt mirror) equals
 * what dpkg itself says about the same root, as a directory and as an image in dockerd, where every package
 * belongs to the image's one layer.
 */
class InventoryIT {

    private static List<String> dpkgQuery(Path root) throws Exception {
        String out = Processes.check(List.of("dpkg-query", "--admindir=" + root.resolve("var/lib/dpkg"), "-W",
                "-f=${db:Status-Status} ${Package} ${Version} ${Architecture}\n"), Map.of());
        List<String> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("installed ")) {
                rows.add(line.substring("installed ".length()));
            }
        }
        return rows;
    }

    private static List<String> rows(JsonNode report) {
        List<String> rows = new ArrayList<>();
        for (JsonNode p : report.get("packages")) {
            if (p.get("type").asText().equals("deb")) {
                rows.add(p.get("name").asText() + " " + p.get("version").asText() + " " + p.get("arch").asText());
            }
        }
        return rows;
    }

    @ParameterizedTest
    @ValueSource(strings = {"bookworm", "bullseye", "jammy"})
    void debootstrapRootMatchesDpkgQuery(String suite) throws Exception {
        Path root = Debootstrap.root(suite, ItEnv.run());
        List<String> want = dpkgQuery(root);
        assertThat(want).hasSizeGreaterThan(50);

        Cli.Result dir = Cli.run("packages", "rootfs:" + root, "--format", "json");
        assertThat(dir.exitCode()).as(dir.toString()).isZero();
        JsonNode json = dir.json();
        assertThat(new TreeSet<>(rows(json))).containsExactlyElementsOf(new TreeSet<>(want));
        assertThat(rows(json)).hasSameSizeAs(want);
        String family = suite.equals("jammy") ? "ubuntu" : "debian";
        assertThat(json.at("/image/os/family").asText()).isEqualTo(family);
        assertThat(json.at("/image/os/codename").asText()).isEqualTo(suite);
        String debianVersion = Files.readString(root.resolve("etc/debian_version")).trim();
        if (family.equals("debian")) {
            assertThat(json.at("/image/os/version").asText()).isEqualTo(debianVersion);
        } else {
            assertThat(json.at("/image/os/version").asText()).isEqualTo("22.04");
        }
        for (JsonNode p : json.get("packages")) {
            assertThat(p.get("purl").asText()).startsWith("pkg:deb/" + family + "/");
        }

        // The same root as an image in dockerd: the same packages, each from the image's single layer.
        Docker docker = Docker.testDaemon(null);
        String tag = "da-inv/" + suite + ":1";
        Processes.check(List.of("sh", "-c", "tar -C '" + root + "' -c . | '" + ItEnv.dockerCli() + "' import -c 'CMD [\"bash\"]' - "
                + tag), Map.of("DOCKER_HOST", docker.host()));
        JsonNode inspect = docker.inspectImage(tag);
        Cli.Result img = Cli.run("packages", "docker-daemon:" + tag, "--docker-host", docker.host(), "--format", "json");
        assertThat(img.exitCode()).as(img.toString()).isZero();
        assertThat(new TreeSet<>(rows(img.json()))).containsExactlyElementsOf(new TreeSet<>(want));
        String diffId = inspect.at("/RootFS/Layers/0").asText();
        for (JsonNode p : img.json().get("packages")) {
            assertThat(p.get("layer").asText()).isEqualTo(diffId);
        }
    }
}
