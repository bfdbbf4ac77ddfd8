package dev.dockaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.check.config.ConfigChecks;
import dev.dockaudit.check.config.ConfigResult;
import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.layer.LayerScanner;
import dev.dockaudit.image.source.Sources;
import dev.dockaudit.registry.RegistryOptions;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.ConfigTestImages;
import dev.dockaudit.testing.Debootstrap;
import dev.dockaudit.testing.ItEnv;
import dev.dockaudit.testing.Processes;
import dev.dockaudit.testing.TestImages;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The configuration checks against images built by the real dockerd (legacy builder): one image with every problem
 * planted must raise each expected finding with its CIS number and masked evidence; a clean, hardened one must raise
 * no HIGH or MEDIUM configuration finding; stock images (a debootstrapped Debian minbase, the real images in
 * src/test/resources/realdata) must raise no HIGH one. The checks run through their entry points with the account
 * visitor in the layer pass, as the pipeline will (there is no inspect command yet).
 */
class ConfigChecksIT {
    /** dockaudit's environment as a CI job without content trust has it. */
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

    static Image read(String reference) throws IOException {
        Sources sources = new Sources(new Sources.Options(null, ItEnv.dockerHost(),
                RegistryOptions.defaults(Set.of(), List.of(), true), 120_000));
        LayerScanner scanner = new LayerScanner(true, () -> List.of(ConfigChecks.visitor()), LayerScanner.DEFAULT_MAX_LAYER_SIZE,
                null);
        return sources.open(ImageReference.parse(reference)).read(scanner);
    }

    static ConfigResult check(String reference) throws IOException {
        return ConfigChecks.check(read(reference), ImageReference.parse(reference), ENV);
    }

    static List<Finding> all(ConfigResult r, String id) {
        return r.findings().stream().filter(f -> f.id().equals(id)).toList();
    }

    static Finding one(ConfigResult r, String id) {
        List<Finding> fs = all(r, id);
        assertThat(fs).as("%s in %s", id, r.findings()).hasSize(1);
        return fs.get(0);
    }

    @Test
    void plantedImageRaisesEveryExpectedFindingWithItsCisNumber() throws Exception {
        String name = ConfigTestImages.planted();
        JsonNode inspect = TestImages.inspect(name);
        List<String> diffIds = TestImages.diffIds(inspect);
        ConfigResult r = check("docker-daemon:" + name);

        Map<String, String> cis = Map.of("CFG-ROOT-USER", "4.1", "CFG-NO-HEALTHCHECK", "4.6", "CFG-UPDATE-ALONE", "4.7",
                "CFG-SETUID-FILE", "4.8", "CFG-ADD-INSTEAD-OF-COPY", "4.9", "CFG-ADD-URL", "4.9",
                "CFG-CONTENT-TRUST-DISABLED", "4.5");
        cis.forEach((id, number) -> assertThat(one(r, id).cis()).as(id).isEqualTo(number));
        for (String id : List.of("CFG-SUDO", "CFG-DIST-UPGRADE", "CFG-APK-NO-CACHE", "CFG-APT-LISTS-LEFT", "CFG-LATEST-TAG",
                "CFG-SENSITIVE-VOLUME", "CFG-REMOTE-ADMIN-PORT", "CFG-EMPTY-PASSWORD", "CFG-DUPLICATE-GID",
                "CFG-WORLD-WRITABLE", "CFG-VCS-METADATA", "CFG-ENV-FILE", "CFG-CREDENTIAL-FILE", "CFG-SHELL-HISTORY",
                "CFG-CACHE-DIR", "CFG-CURL-PIPE-SHELL")) {
            assertThat(one(r, id).cis()).as(id).isNull();
        }

        assertThat(one(r, "CFG-ROOT-USER").evidence()).isEqualTo("config.User = \"root\"");
        assertThat(one(r, "CFG-UPDATE-ALONE").evidence()).contains("apk --no-network update");
        Finding suid = one(r, "CFG-SETUID-FILE");
        assertThat(suid.path()).isEqualTo("/usr/local/bin/suid-tool");
        assertThat(suid.evidence()).startsWith("mode 4755, owner 0:0");
        assertThat(diffIds).contains(suid.layer());
        assertThat(one(r, "CFG-ADD-INSTEAD-OF-COPY").evidence()).contains("ADD file:").contains("in /opt/planted.txt");
        assertThat(one(r, "CFG-ADD-URL").description()).contains("bare content hash");
        assertThat(one(r, "CFG-APT-LISTS-LEFT").evidence()).contains("layer keeps 1 list file");
        assertThat(one(r, "CFG-LATEST-TAG").evidence()).contains("has no tag");
        assertThat(one(r, "CFG-SENSITIVE-VOLUME").path()).isEqualTo("/proc");
        assertThat(one(r, "CFG-REMOTE-ADMIN-PORT").evidence()).isEqualTo("config.ExposedPorts contains \"22/tcp\"");
        Finding empty = one(r, "CFG-EMPTY-PASSWORD");
        assertThat(empty.severity()).isEqualTo(Severity.HIGH);
        assertThat(empty.title()).contains("'nopass'");
        assertThat(empty.path()).isEqualTo("/etc/shadow");
        Finding dupUid = one(r, "CFG-DUPLICATE-UID");
        assertThat(dupUid.title()).isEqualTo("Duplicate UID 0: root, toor");
        assertThat(dupUid.severity()).isEqualTo(Severity.HIGH);
        assertThat(one(r, "CFG-DUPLICATE-GID").title()).isEqualTo("Duplicate GID 10: wheel, wheel2");
        assertThat(one(r, "CFG-WORLD-WRITABLE").path()).isEqualTo("/app/data.txt");
        assertThat(one(r, "CFG-VCS-METADATA").path()).isEqualTo("/app/.git");
        assertThat(one(r, "CFG-ENV-FILE").path()).isEqualTo("/app/.env");
        Finding key = one(r, "CFG-CREDENTIAL-FILE");
        assertThat(key.path()).isEqualTo("/root/.ssh/id_rsa");
        assertThat(key.deletedInLaterLayer()).isTrue();
        assertThat(key.severity()).isEqualTo(Severity.HIGH);
        assertThat(one(r, "CFG-SHELL-HISTORY").path()).isEqualTo("/root/.bash_history");
        assertThat(one(r, "CFG-CACHE-DIR").path()).isEqualTo("/root/.cache");
        assertThat(one(r, "CFG-CURL-PIPE-SHELL").evidence()).contains("curl -fsSL https://get.example.invalid/install.sh | sh");
        // nothing else, and no evidence carries the planted build-arg token
        assertThat(r.findings().stream().map(Finding::id).collect(Collectors.toSet())).containsExactlyInAnyOrderElementsOf(
                Set.copyOf(List.of("CFG-ROOT-USER", "CFG-NO-HEALTHCHECK", "CFG-UPDATE-ALONE", "CFG-SETUID-FILE",
                        "CFG-ADD-INSTEAD-OF-COPY", "CFG-ADD-URL", "CFG-CONTENT-TRUST-DISABLED", "CFG-SUDO", "CFG-DIST-UPGRADE",
                        "CFG-APK-NO-CACHE", "CFG-APT-LISTS-LEFT", "CFG-LATEST-TAG", "CFG-SENSITIVE-VOLUME",
                        "CFG-REMOTE-ADMIN-PORT", "CFG-EMPTY-PASSWORD", "CFG-DUPLICATE-UID", "CFG-DUPLICATE-GID",
                        "CFG-WORLD-WRITABLE", "CFG-VCS-METADATA", "CFG-ENV-FILE", "CFG-CREDENTIAL-FILE", "CFG-SHELL-HISTORY",
                        "CFG-CACHE-DIR", "CFG-CURL-PIPE-SHELL")));
        assertThat(r.findings()).allSatisfy(f -> {
            assertThat(String.valueOf(f.evidence()) + f.description() + f.title()).doesNotContain(ConfigTestImages.PLANTED_TOKEN);
            assertThat(f.remediation()).isNotBlank();
        });
        assertThat(r.notes()).isEmpty();
    }

    @Test
    void cleanHardenedImageRaisesNoHighOrMediumConfigFinding() throws Exception {
        String name = ConfigTestImages.clean();
        ConfigResult r = check("docker-daemon:" + name);
        assertThat(r.findings()).filteredOn(f -> f.severity().atLeast(Severity.MEDIUM)).isEmpty();
        // what remains is about this host, not the image
        assertThat(r.findings()).extracting(Finding::id).containsExactly("CFG-CONTENT-TRUST-DISABLED");
        ConfigResult trusted = ConfigChecks.check(read("docker-daemon:" + name), ImageReference.parse("docker-daemon:" + name),
                Map.of("DOCKER_CONTENT_TRUST", "1"));
        assertThat(trusted.findings()).isEmpty();
    }

    @Test
    void debootstrappedBookwormRaisesNoHighConfigFinding() throws Exception {
        var root = Debootstrap.root("bookworm", ItEnv.run());
        String tag = "da-cfg/bookworm:" + TestImages.RUN;
        Processes.check(List.of("sh", "-c", "tar -C '" + root + "' -c . | '" + ItEnv.dockerCli() + "' import -c 'CMD [\"bash\"]' - "
                + tag), Map.of("DOCKER_HOST", ItEnv.dockerHost()));
        TestImages.remember(tag);
        ConfigResult r = check("docker-daemon:" + tag);
        assertThat(r.findings()).filteredOn(f -> f.severity().atLeast(Severity.HIGH)).isEmpty();
        // true findings on a stock minbase: it runs as root, has no healthcheck, and ships the usual setuid binaries
        assertThat(r.findings().stream().map(Finding::id).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("CFG-ROOT-USER", "CFG-NO-HEALTHCHECK", "CFG-SETUID-FILE", "CFG-CONTENT-TRUST-DISABLED");
        assertThat(all(r, "CFG-SETUID-FILE")).extracting(Finding::path).contains("/usr/bin/su", "/usr/bin/passwd",
                "/usr/bin/mount");
    }

    @Test
    void realImagesRaiseNoHighConfigFinding() throws Exception {
        for (String ref : List.of("docker-archive:src/test/resources/realdata/images/debian12-slim-like-docker-archive.tar.gz",
                "oci-archive:src/test/resources/realdata/images/alpine-3.18.9-oci-layout.tar",
                "docker-archive:examples/alpine-3.10.4-docker-archive.tar.gz",
                "docker-daemon:" + ConfigTestImages.base())) {
            String resolved = ref.startsWith("docker-daemon:") ? ref : ref.replaceFirst(":", ":" + Cli.basedir() + "/");
            ConfigResult r = check(resolved);
            assertThat(r.findings()).as(ref).filteredOn(f -> f.severity().atLeast(Severity.HIGH)).isEmpty();
            // documented true findings: root, no healthcheck (and content trust, about the host)
            assertThat(r.findings().stream().map(Finding::id).collect(Collectors.toSet())).as(ref)
                    .isSubsetOf("CFG-ROOT-USER", "CFG-NO-HEALTHCHECK", "CFG-CONTENT-TRUST-DISABLED", "CFG-SETUID-FILE");
        }
    }
}
