package dev.dockaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.Docker;
import dev.dockaudit.testing.ItEnv;
import dev.dockaudit.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A real rpm root, as the infrastructure notes make one: the test's specs built with rpmbuild and installed
 * with Debian's rpm 4.18 into an sqlite rpmdb under a Rocky-like os-release. dockaudit's list must equal
 * {@code rpm --root ROOT -qa} on the directory and on the same root imported into dockerd.
 */
class RpmRootIT {

    @Test
    void rpmRootMatchesRpmQa() throws Exception {
        Path work = Files.createTempDirectory(ItEnv.run(), "rpmroot");
        Path top = work.resolve("rpmbuild");
        Files.createDirectories(top.resolve("SPECS"));
        try (Stream<Path> specs = Files.list(Path.of("src/test/resources/rpm/specs"))) {
            for (Path spec : specs.toList()) {
                Processes.check(List.of("rpmbuild", "--define", "_topdir " + top, "--define", "_build_id_links none",
                        "-bb", spec.toAbsolutePath().toString()), Map.of());
            }
        }
        List<String> rpms = new ArrayList<>();
        try (Stream<Path> s = Files.walk(top.resolve("RPMS"))) {
            s.filter(p -> p.toString().endsWith(".rpm") && !p.getFileName().toString().startsWith("multiver-2"))
                    .forEach(p -> rpms.add(p.toString()));
        }
        Path root = work.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "NAME=\"Rocky Linux\"\nVERSION_ID=\"9.3\"\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n");
        Processes.check(List.of("rpm", "--root", root.toString(), "--dbpath", "/var/lib/rpm", "--initdb"), Map.of());
        List<String> install = new ArrayList<>(List.of("rpm", "--root", root.toString(), "--dbpath", "/var/lib/rpm", "-i",
                "--nodeps", "--ignorearch", "--ignoreos", "--noscripts"));
        install.addAll(rpms);
        Processes.check(install, Map.of());
        // rpm leaves its WAL and lock files behind after any query; real images are checkpointed.
        Processes.check(List.of("sh", "-c", "sqlite3 '" + root + "/var/lib/rpm/rpmdb.sqlite' 'PRAGMA wal_checkpoint(TRUNCATE);'"
                + " >/dev/null; rm -f '" + root + "'/var/lib/rpm/rpmdb.sqlite-* '" + root + "'/var/lib/rpm/.rpm.lock"), Map.of());

        String qa = Processes.check(List.of("rpm", "--root", root.toString(), "--dbpath", "/var/lib/rpm", "-qa", "--qf",
                "%{NAME} %{EVR} %{ARCH}\\n"), Map.of());
        Processes.check(List.of("sh", "-c", "rm -f '" + root + "'/var/lib/rpm/rpmdb.sqlite-* '" + root + "'/var/lib/rpm/.rpm.lock"),
                Map.of());
        TreeSet<String> want = new TreeSet<>(qa.lines().toList());
        assertThat(want).hasSizeGreaterThanOrEqualTo(5);

        Cli.Result dir = Cli.run("packages", "rootfs:" + root, "--format", "json");
        assertThat(dir.exitCode()).as(dir.toString()).isZero();
        assertThat(rows(dir.json())).containsExactlyElementsOf(want);
        assertThat(dir.json().at("/image/os/family").asText()).isEqualTo("rocky");
        for (JsonNode p : dir.json().get("packages")) {
            assertThat(p.get("purl").asText()).startsWith("pkg:rpm/rocky/").contains("distro=rocky-9.3");
        }

        Docker docker = Docker.testDaemon(null);
        Processes.check(List.of("sh", "-c", "tar -C '" + root + "' -c . | '" + ItEnv.dockerCli() + "' import - da-rpm/root:1"),
                Map.of("DOCKER_HOST", docker.host()));
        String diffId = docker.inspectImage("da-rpm/root:1").at("/RootFS/Layers/0").asText();
        Cli.Result img = Cli.run("packages", "docker-daemon:da-rpm/root:1", "--docker-host", docker.host(), "--format", "json");
        assertThat(img.exitCode()).as(img.toString()).isZero();
        assertThat(rows(img.json())).containsExactlyElementsOf(want);
        img.json().get("packages").forEach(p -> assertThat(p.get("layer").asText()).isEqualTo(diffId));
        docker.run("rmi", "da-rpm/root:1");
    }

    private static TreeSet<String> rows(JsonNode report) {
        TreeSet<String> rows = new TreeSet<>();
        for (JsonNode p : report.get("packages")) {
            if (p.get("type").asText().equals("rpm")) {
                rows.add(p.get("name").asText() + " " + p.get("version").asText() + " "
                        + (p.get("arch").isNull() ? "(none)" : p.get("arch").asText()));
            }
        }
        return rows;
    }
}
