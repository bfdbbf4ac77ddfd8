package dev.dockaudit.report.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.audit.AuditOptions;
import dev.dockaudit.audit.Auditor;
import dev.dockaudit.image.HistoryEntry;
import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.Layer;
import dev.dockaudit.image.Platform;
import dev.dockaudit.image.layer.LayerScanner;
import dev.dockaudit.image.source.Sources;
import dev.dockaudit.inventory.Inventory;
import dev.dockaudit.inventory.OsInfo;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.inventory.PackageType;
import dev.dockaudit.inventory.Purls;
import dev.dockaudit.registry.RegistryOptions;
import dev.dockaudit.report.Report;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.util.Digest;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Inputs for the SBOM writer tests: reports from the real pipeline on the real images in the repo, and hand-built
 * images and packages whose values come from those images' expected answers (realdata images/expected) and from
 * real packages of each ecosystem.
 */
final class SbomFixtures {
    /** The real images, as {@code dockaudit sbom} would read them. */
    static final String DEBIAN = "src/test/resources/realdata/images/debian12-slim-like-docker-archive.tar.gz";
    static final String ALPINE_OCI = "src/test/resources/realdata/images/alpine-3.18.9-oci-layout.tar";
    static final String ALPINE_310 = "examples/alpine-3.10.4-docker-archive.tar.gz";

    // alpine-3.18.9-oci-layout.expected.json
    static final String ALPINE_CONFIG = "sha256:32594c2db3f155a70ae4fae0b035d0737e416961023a4df1de591b2050650fbb";
    static final String ALPINE_MANIFEST = "sha256:68733d615d8078ca851a74ea4b6b863fcef1802ea08c2b5900e2f88abf6fc130";
    static final String ALPINE_BLOB = "sha256:a47c0a78fbab1f16b4175bde9aaf792cb122c59fedb368f41f738cf360158dcb";
    static final String ALPINE_DIFF_ID = "sha256:157bcc7947734a70469d6c5182a01eee40a6bbfb2adf63a98be09948d88270b7";
    // debian12-slim-like-docker-archive.expected.json, layer 0
    static final String DEBIAN_DIFF_ID = "sha256:e3c007af38438fa65a743e5b057c97c92cebd50c5a53b316a5af34d51ddefccf";

    static final OsInfo ALPINE_OS = new OsInfo("alpine", "3.18.9", null, "Alpine Linux v3.18", Boolean.TRUE, "2025-05-09",
            "etc/os-release");
    static final OsInfo DEBIAN_OS = new OsInfo("debian", "12.15", "bookworm", "Debian GNU/Linux 12 (bookworm)",
            Boolean.FALSE, "2028-06-30", "etc/os-release");

    private SbomFixtures() {
    }

    /** Runs the real pipeline (read, one pass per layer, inventory) on an image in the repo. */
    static Report audit(String relativePath) {
        String path = Cli.project(relativePath).toString();
        Sources sources = new Sources(new Sources.Options(null, null,
                RegistryOptions.defaults(Set.of(), List.of(), true), 60_000));
        Report r = new Auditor(sources).run("sbom", ImageReference.parse(path),
                new AuditOptions(java.util.Set.of(AuditOptions.Scanner.INVENTORY), true, false, LayerScanner.DEFAULT_MAX_LAYER_SIZE, null, null, null, null));
        assertThat(r.inventory()).as("inventory of " + relativePath).isNotNull();
        return r;
    }

    /**
     * The Alpine 3.18.9 image as a daemon would describe it after {@code docker pull} from a local registry: its
     * real config, manifest and layer digests, a repo tag and a repo digest.
     */
    static Image alpineImage(List<String> repoTags, List<String> repoDigests) {
        Layer layer = new Layer(0, "application/vnd.oci.image.layer.v1.tar+gzip", Digest.parse(ALPINE_BLOB), 3_400_000L,
                Digest.parse(ALPINE_DIFF_ID), "ADD alpine-minirootfs-3.18.9-x86_64.tar.gz / # buildkit",
                "2024-09-06T12:05:36Z", "blobs/sha256/a47c0a78", null);
        return new Image(ImageReference.parse("localhost:5000/alpine:3.18.9"), "docker-daemon",
                "localhost:5000/alpine:3.18.9", Digest.parse(ALPINE_CONFIG), null, null, null,
                Digest.parse(ALPINE_MANIFEST), null, null, "application/vnd.oci.image.manifest.v1+json", repoTags,
                repoDigests, new Platform("linux", "amd64", null), List.of(layer), List.<HistoryEntry>of(), List.of());
    }

    static Report report(Image image, Inventory inventory) {
        Report r = new Report("sbom", image);
        if (inventory != null) {
            r.inventory(inventory);
        }
        return r;
    }

    static Package deb(String name, String version, String arch, String src, List<String> licenses) {
        String purl = Purls.of("deb", "debian", name, version.replaceFirst("^\\d+:", ""),
                Map.of("arch", arch, "distro", "debian-12.15"), null);
        return new Package(name, version, PackageType.DEB, arch, src, version, purl, licenses, List.of(),
                "/var/lib/dpkg/status", DEBIAN_DIFF_ID, Map.of("maintainer", "Debian GCC Maintainers <debian-gcc@lists.debian.org>"));
    }

    static Package lang(PackageType type, String purlType, String namespace, String purlName, String name, String version,
                        List<String> licenses, String path) {
        return new Package(name, version, type, null, null, null,
                Purls.of(purlType, namespace, purlName, version, null, null), licenses, List.of(), path, ALPINE_DIFF_ID,
                Map.of());
    }

    /**
     * Packages whose names and versions trip naive id and ref schemes: an npm scope, '+' and '~' and an epoch's
     * ':' in deb names and versions, a Maven groupId:artifactId, a Go module path with "+incompatible", two npm
     * names that clean up to the same SPDX id ({@code @babel/core}, {@code babel-core}), and one npm package found
     * at two paths (the same purl twice).
     */
    static List<Package> oddPackages() {
        return List.of(
                deb("libstdc++6", "12.2.0-14", "amd64", "gcc-12", List.of("GPL-3.0-or-later WITH GCC-exception-3.1")),
                deb("g++-12", "12.2.0-14", "amd64", "gcc-12", List.of("GPL-3+")),
                deb("zlib1g", "1:1.2.13.dfsg-1", "amd64", "zlib", List.of("Zlib")),
                deb("libssl3", "3.0.17-1~deb12u2", "amd64", "openssl", List.of("Apache-2.0")),
                deb("libsigc++-2.0-0v5", "2.12.0-1", "amd64", "libsigc++-2.0", List.of("LGPL-2.1", "GPL-2")),
                lang(PackageType.NPM, "npm", "@types", "node", "@types/node", "20.11.30", List.of("MIT"),
                        "/usr/lib/node_modules/@types/node/package.json"),
                lang(PackageType.NPM, "npm", "@babel", "core", "@babel/core", "7.24.0", List.of("MIT"),
                        "/app/node_modules/@babel/core/package.json"),
                lang(PackageType.NPM, "npm", null, "babel-core", "babel-core", "6.26.3", List.of("MIT"),
                        "/app/node_modules/babel-core/package.json"),
                lang(PackageType.NPM, "npm", null, "lodash", "lodash", "4.17.21", List.of("MIT"),
                        "/app/node_modules/lodash/package.json"),
                lang(PackageType.NPM, "npm", null, "lodash", "lodash", "4.17.21", List.of("MIT"),
                        "/app/node_modules/babel-core/node_modules/lodash/package.json"),
                lang(PackageType.MAVEN, "maven", "org.apache.logging.log4j", "log4j-core",
                        "org.apache.logging.log4j:log4j-core", "2.17.1", List.of("Apache-2.0"),
                        "/app/lib/log4j-core-2.17.1.jar"),
                lang(PackageType.GOLANG, "golang", "github.com/docker", "docker", "github.com/docker/docker",
                        "v24.0.7+incompatible", List.of(), "/usr/local/bin/dockerd"),
                lang(PackageType.PYPI, "pypi", null, "zope-interface", "zope.interface", "6.2", List.of("ZPL-2.1"),
                        "/usr/lib/python3/dist-packages/zope.interface-6.2.dist-info/METADATA"),
                lang(PackageType.CARGO, "cargo", null, "serde", "serde", "1.0.195", List.of("MIT OR Apache-2.0"),
                        "/usr/local/bin/app"),
                lang(PackageType.GEM, "gem", null, "rack", "rack", "2.2.8", List.of("MIT"),
                        "/usr/lib/ruby/gems/3.1.0/specifications/rack-2.2.8.gemspec"),
                lang(PackageType.NUGET, "nuget", null, "Newtonsoft.Json", "Newtonsoft.Json", "13.0.3", List.of("MIT"),
                        "/app/app.deps.json"),
                lang(PackageType.COMPOSER, "composer", "symfony", "console", "symfony/console", "v6.4.1",
                        List.of("MIT"), "/app/vendor/composer/installed.json"));
    }
}
