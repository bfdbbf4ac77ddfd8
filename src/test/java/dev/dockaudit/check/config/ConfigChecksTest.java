package dev.dockaudit.check.config;

import static dev.dockaudit.check.config.ImageFixture.tar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;
import dev.dockaudit.testing.TarBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every configuration check on crafted configs and layers: what it finds, and what it must leave alone. */
class ConfigChecksTest {
    private static final String BASE = "/bin/sh -c #(nop) ADD file:0123456789abcdef in / ";

    static List<String> ids(ConfigResult r) {
        return r.findings().stream().map(Finding::id).toList();
    }

    static List<Finding> all(ConfigResult r, String id) {
        return r.findings().stream().filter(f -> f.id().equals(id)).toList();
    }

    static Finding one(ConfigResult r, String id) {
        List<Finding> fs = all(r, id);
        assertThat(fs).as("%s in %s", id, r.findings()).hasSize(1);
        return fs.get(0);
    }

    static StepFinding item(ConfigResult r, String id) {
        return r.items().stream().filter(i -> i.finding().id().equals(id)).findFirst().orElseThrow(
                () -> new AssertionError("no " + id + " in " + r.findings()));
    }

    /** A base layer with the usual directories, so checks see a plausible root. */
    static TarBuilder base() {
        return tar().dir("bin").dir("etc").file("bin/sh", "#!").dir("tmp").dir("var").dir("var/tmp");
    }

    private static ImageFixture healthy() {
        return ImageFixture.create().config(c -> {
            c.put("User", "10001");
            c.putObject("Healthcheck").putArray("Test").add("CMD-SHELL").add("true");
        });
    }

    private static ConfigResult run(ImageFixture f) {
        return ConfigChecks.check(f.image(), null, Map.of("DOCKER_CONTENT_TRUST", "1"));
    }

    @Test
    void runsAsRoot() {
        ConfigResult none = run(ImageFixture.create().layer(BASE, base()));
        Finding f = one(none, "CFG-ROOT-USER");
        assertThat(f.cis()).isEqualTo("4.1");
        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(f.category()).isEqualTo(Category.CONFIG);
        assertThat(f.evidence()).contains("config.User is not set");
        assertThat(f.remediation()).contains("USER");

        ConfigResult root = run(ImageFixture.create().config(c -> c.put("User", "root:root")).layer(BASE, base())
                .step("/bin/sh -c #(nop)  USER root:root"));
        assertThat(one(root, "CFG-ROOT-USER").evidence()).isEqualTo("config.User = \"root:root\"");
        assertThat(item(root, "CFG-ROOT-USER").step()).isEqualTo(1);
        assertThat(ids(run(ImageFixture.create().config(c -> c.put("User", "0")).layer(BASE, base())))).contains("CFG-ROOT-USER");

        assertThat(ids(run(ImageFixture.create().config(c -> c.put("User", "app")).layer(BASE, base()))))
                .doesNotContain("CFG-ROOT-USER");
        assertThat(ids(run(ImageFixture.create().config(c -> c.put("User", "1000:1000")).layer(BASE, base()))))
                .doesNotContain("CFG-ROOT-USER");

        // a name with UID 0 in /etc/passwd is root under another name
        ConfigResult toor = run(ImageFixture.create().config(c -> c.put("User", "toor")).layer(BASE, base()
                .file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\n")));
        assertThat(one(toor, "CFG-ROOT-USER").evidence()).contains("toor has UID 0");
        // no config.config at all: the default user, root
        assertThat(ids(run(ImageFixture.create().noRunConfig().layer(BASE, base())))).contains("CFG-ROOT-USER",
                "CFG-NO-HEALTHCHECK");
    }

    @Test
    void healthcheck() {
        Finding none = one(run(ImageFixture.create().layer(BASE, base())), "CFG-NO-HEALTHCHECK");
        assertThat(none.cis()).isEqualTo("4.6");
        assertThat(none.severity()).isEqualTo(Severity.LOW);
        assertThat(ids(run(healthy().layer(BASE, base())))).doesNotContain("CFG-NO-HEALTHCHECK", "CFG-ROOT-USER");
        ConfigResult disabled = run(ImageFixture.create().config(c -> c.putObject("Healthcheck").putArray("Test").add("NONE"))
                .layer(BASE, base()).step("/bin/sh -c #(nop)  HEALTHCHECK &{[\"NONE\"] \"0s\" \"0s\" \"0s\" '\\x00'}"));
        assertThat(one(disabled, "CFG-NO-HEALTHCHECK").evidence()).contains("NONE");
        assertThat(item(disabled, "CFG-NO-HEALTHCHECK").step()).isEqualTo(1);
    }

    @Test
    void updateInstructionAlone() {
        ConfigResult r = run(healthy().layer(BASE, base()).layer("/bin/sh -c apk update", tar().dir("var")));
        Finding f = one(r, "CFG-UPDATE-ALONE");
        assertThat(f.cis()).isEqualTo("4.7");
        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(f.evidence()).isEqualTo("history[1].created_by: /bin/sh -c apk update");
        assertThat(f.layer()).startsWith("sha256:");
        assertThat(item(r, "CFG-UPDATE-ALONE").step()).isEqualTo(1);

        for (String alone : List.of("RUN /bin/sh -c apt-get update # buildkit", "/bin/sh -c apt update -qq",
                "/bin/sh -c yum makecache", "/bin/sh -c sh -c 'apt-get -o Acquire::Retries=3 update'")) {
            assertThat(ids(run(healthy().layer(BASE, base()).layer(alone, tar())))).as(alone).contains("CFG-UPDATE-ALONE");
        }
        for (String fine : List.of("/bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl"
                        + " && rm -rf /var/lib/apt/lists/*", "/bin/sh -c apk update && apk add curl",
                "/bin/sh -c apk add --update --no-cache curl", "/bin/sh -c echo apt-get update")) {
            assertThat(ids(run(healthy().layer(BASE, base()).layer(fine, tar())))).as(fine).doesNotContain("CFG-UPDATE-ALONE");
        }
    }

    @Test
    void setuidAndSetgidFilesInTheFinalFilesystemWithTheirLayer() {
        Image image = healthy().layer(BASE, base()
                        .file("usr/bin/passwd", "x".getBytes(), 04755, e -> { })
                        .file("usr/bin/wall", "x".getBytes(), 02755, e -> e.setGroupId(5))
                        .file("usr/bin/gone", "x".getBytes(), 04755, e -> { }))
                .layer("/bin/sh -c chmod u-s /usr/bin/gone", tar().dir("usr").dir("usr/bin")
                        .file("usr/bin/gone", "x".getBytes(), 0755, e -> { }))
                .image();
        ConfigResult r = ConfigChecks.check(image, null, Map.of());
        List<Finding> fs = all(r, "CFG-SETUID-FILE");
        assertThat(fs).extracting(Finding::path).containsExactlyInAnyOrder("/usr/bin/passwd", "/usr/bin/wall");
        Finding passwd = fs.stream().filter(f -> f.path().equals("/usr/bin/passwd")).findFirst().orElseThrow();
        assertThat(passwd.cis()).isEqualTo("4.8");
        assertThat(passwd.severity()).isEqualTo(Severity.LOW);
        assertThat(passwd.title()).isEqualTo("setuid file /usr/bin/passwd");
        assertThat(passwd.evidence()).isEqualTo("mode 4755, owner 0:0, added by layer 0");
        assertThat(passwd.layer()).isEqualTo(image.layers().get(0).diffId().toString());
        Finding wall = fs.stream().filter(f -> f.path().equals("/usr/bin/wall")).findFirst().orElseThrow();
        assertThat(wall.title()).startsWith("setgid file");
        assertThat(wall.description()).contains("GID 5");
    }

    @Test
    void addInsteadOfCopyAndAddFromAUrl() {
        ConfigResult local = run(healthy().layer(BASE, base()).layer("/bin/sh -c #(nop) ADD file:abc123 in /app/config.yml ",
                tar().dir("app").file("app/config.yml", "a: 1")));
        Finding add = one(local, "CFG-ADD-INSTEAD-OF-COPY");
        assertThat(add.cis()).isEqualTo("4.9");
        assertThat(add.severity()).isEqualTo(Severity.LOW);
        assertThat(add.evidence()).contains("ADD file:abc123 in /app/config.yml");
        assertThat(ids(local)).doesNotContain("CFG-ADD-URL");

        // BuildKit keeps the URL in the history (the classic builder records only the content hash)
        ConfigResult url = run(healthy().layer(BASE, base()).layer("ADD https://example.com/install.sh /install.sh # buildkit",
                tar().file("install.sh", "echo")));
        Finding u = one(url, "CFG-ADD-URL");
        assertThat(u.cis()).isEqualTo("4.9");
        assertThat(u.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(u.description()).contains("https://example.com/install.sh");
        assertThat(ids(url)).doesNotContain("CFG-ADD-INSTEAD-OF-COPY");
        // the classic builder records a download by its bare content hash (a local file is "file:<sha>"), as dockerd
        // 20.10 wrote it for ADD http://127.0.0.1:18765/served.sh /opt/served.sh
        ConfigResult classic = run(healthy().layer(BASE, base()).layer("/bin/sh -c #(nop) ADD"
                + " 69ffe72445d6578b861731da617b39d8dbff82007c702a400c5b8e7abda2ed13 in /opt/served.sh ", tar()));
        assertThat(one(classic, "CFG-ADD-URL").description()).contains("bare content hash");
        assertThat(ids(classic)).doesNotContain("CFG-ADD-INSTEAD-OF-COPY");

        // the base image's root filesystem, and unpacking a local archive, are what ADD is for
        assertThat(ids(run(healthy().layer(BASE, base())))).doesNotContain("CFG-ADD-INSTEAD-OF-COPY");
        assertThat(ids(run(healthy().layer("ADD alpine-minirootfs (wrapped into OCI layout for test purposes)", base()))))
                .doesNotContain("CFG-ADD-INSTEAD-OF-COPY");
        assertThat(ids(run(healthy().layer(BASE, base()).layer("ADD vendor.tar.gz /opt/ # buildkit", tar()))))
                .doesNotContain("CFG-ADD-INSTEAD-OF-COPY");
        assertThat(ids(run(healthy().layer(BASE, base()).layer("ADD config.yml /etc/app/ # buildkit", tar()))))
                .contains("CFG-ADD-INSTEAD-OF-COPY");
        assertThat(ids(run(healthy().layer(BASE, base()).layer("/bin/sh -c #(nop) COPY file:abc in /app ", tar()))))
                .doesNotContain("CFG-ADD-INSTEAD-OF-COPY");
    }

    @Test
    void contentTrustFromTheEnvironment() {
        Image image = healthy().layer(BASE, base()).image();
        Finding f = one(ConfigChecks.check(image, null, Map.of()), "CFG-CONTENT-TRUST-DISABLED");
        assertThat(f.cis()).isEqualTo("4.5");
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.evidence()).isEqualTo("DOCKER_CONTENT_TRUST is not set");
        assertThat(one(ConfigChecks.check(image, null, Map.of("DOCKER_CONTENT_TRUST", "0")), "CFG-CONTENT-TRUST-DISABLED")
                .evidence()).isEqualTo("DOCKER_CONTENT_TRUST=\"0\"");
        assertThat(ids(ConfigChecks.check(image, null, Map.of("DOCKER_CONTENT_TRUST", "false")))).contains("CFG-CONTENT-TRUST-DISABLED");
        // the docker CLI treats any other value as enabled
        assertThat(ids(ConfigChecks.check(image, null, Map.of("DOCKER_CONTENT_TRUST", "1")))).doesNotContain("CFG-CONTENT-TRUST-DISABLED");
        assertThat(ids(ConfigChecks.check(image, null, Map.of("DOCKER_CONTENT_TRUST", "yes")))).doesNotContain("CFG-CONTENT-TRUST-DISABLED");
    }

    @Test
    void sudoUpgradeAndApkCache() {
        ConfigResult r = run(healthy().layer(BASE, base())
                .layer("/bin/sh -c sudo -E apt-get install -y curl", tar())
                .layer("/bin/sh -c apt-get update && DEBIAN_FRONTEND=noninteractive apt-get -y dist-upgrade", tar())
                .layer("/bin/sh -c apk add curl", tar()));
        assertThat(item(r, "CFG-SUDO").step()).isEqualTo(1);
        assertThat(one(r, "CFG-SUDO").severity()).isEqualTo(Severity.MEDIUM);
        assertThat(item(r, "CFG-DIST-UPGRADE").step()).isEqualTo(2);
        assertThat(item(r, "CFG-APK-NO-CACHE").step()).isEqualTo(3);
        assertThat(ids(r)).doesNotContain("CFG-UPDATE-ALONE"); // dist-upgrade installs

        ConfigResult fine = run(healthy().layer(BASE, base())
                .layer("/bin/sh -c apt-get install -y sudo && echo 'app ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/app", tar())
                .layer("/bin/sh -c apk add --no-cache curl", tar())
                .layer("/bin/sh -c apk add curl && rm -rf /var/cache/apk/*", tar()));
        assertThat(ids(fine)).doesNotContain("CFG-SUDO", "CFG-APK-NO-CACHE", "CFG-DIST-UPGRADE");
    }

    @Test
    void aptListsLeftByTheStepThatRanUpdate() {
        TarBuilder lists = tar().dir("var").dir("var/lib").dir("var/lib/apt").dir("var/lib/apt/lists")
                .file("var/lib/apt/lists/lock", "").dir("var/lib/apt/lists/partial")
                .file("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", "x".repeat(150))
                .file("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4", "y".repeat(50))
                .dir("usr").file("usr/bin/curl", "elf");
        ConfigResult r = run(healthy().layer(BASE, base())
                .layer("/bin/sh -c apt-get update && apt-get install -y curl", lists));
        Finding f = one(r, "CFG-APT-LISTS-LEFT");
        assertThat(f.path()).isEqualTo("/var/lib/apt/lists");
        assertThat(f.evidence()).contains("layer keeps 2 list files, 200 bytes");
        assertThat(item(r, "CFG-APT-LISTS-LEFT").step()).isEqualTo(1);

        TarBuilder cleaned = tar().dir("var").dir("var/lib").dir("var/lib/apt").dir("var/lib/apt/lists")
                .file("var/lib/apt/lists/lock", "").dir("var/lib/apt/lists/partial");
        assertThat(ids(run(healthy().layer(BASE, base()).layer("/bin/sh -c apt-get update && apt-get install -y curl"
                + " && rm -rf /var/lib/apt/lists/*", cleaned)))).doesNotContain("CFG-APT-LISTS-LEFT");
        // lists another step left behind are not this step's
        assertThat(ids(run(healthy().layer(BASE, base()).layer("/bin/sh -c apt-get install -y curl", lists))))
                .doesNotContain("CFG-APT-LISTS-LEFT");
    }

    @Test
    void latestTag() {
        Image image = healthy().layer(BASE, base()).image();
        assertThat(one(ConfigChecks.check(image, ImageReference.parse("docker-daemon:alpine"), Map.of()), "CFG-LATEST-TAG")
                .evidence()).isEqualTo("reference \"docker-daemon:alpine\" has no tag, which means latest");
        assertThat(one(ConfigChecks.check(image, ImageReference.parse("docker://example.com/team/app:latest"), Map.of()),
                "CFG-LATEST-TAG").evidence()).contains("uses the tag latest");
        assertThat(ids(ConfigChecks.check(image, ImageReference.parse("alpine:3.18"), Map.of()))).doesNotContain("CFG-LATEST-TAG");
        assertThat(ids(ConfigChecks.check(image, ImageReference.parse("alpine@sha256:" + "a".repeat(64)), Map.of())))
                .doesNotContain("CFG-LATEST-TAG");
        assertThat(ids(ConfigChecks.check(image, ImageReference.parse("docker-daemon:0123456789ab"), Map.of())))
                .doesNotContain("CFG-LATEST-TAG");
        // archives: the tags the image carries
        Image latest = healthy().repoTag("team/app:latest").layer(BASE, base()).image();
        assertThat(one(ConfigChecks.check(latest, null, Map.of()), "CFG-LATEST-TAG").evidence()).contains("team/app:latest");
        assertThat(ids(ConfigChecks.check(image, null, Map.of()))).doesNotContain("CFG-LATEST-TAG");
    }

    @Test
    void volumesOverSystemDirectories() {
        ConfigResult r = run(healthy().config(c -> {
            c.putObject("Volumes").putObject("/proc");
            ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("Volumes")).putObject("/data");
            ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("Volumes")).putObject("/sys/fs/cgroup/");
            ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("Volumes")).putObject("/");
        }).layer(BASE, base()).step("/bin/sh -c #(nop)  VOLUME [/proc]").step("/bin/sh -c #(nop)  VOLUME [/data]"));
        List<Finding> fs = all(r, "CFG-SENSITIVE-VOLUME");
        assertThat(fs).extracting(Finding::path).containsExactlyInAnyOrder("/proc", "/sys/fs/cgroup", "/");
        assertThat(fs).allMatch(f -> f.severity() == Severity.MEDIUM);
        assertThat(r.items()).filteredOn(i -> "/proc".equals(i.finding().path())).extracting(StepFinding::step).containsExactly(1);
    }

    @Test
    void remoteAdministrationPorts() {
        ConfigResult r = run(healthy().config(c -> {
            var p = c.putObject("ExposedPorts");
            p.putObject("22/tcp");
            p.putObject("8080/tcp");
            p.putObject("2375/tcp");
            p.putObject("5900/tcp");
        }).layer(BASE, base()).step("EXPOSE map[22/tcp:{} 8080/tcp:{}]").step("EXPOSE map[2375/tcp:{} 5900/tcp:{}]"));
        List<Finding> fs = all(r, "CFG-REMOTE-ADMIN-PORT");
        assertThat(fs).extracting(Finding::evidence).containsExactlyInAnyOrder("config.ExposedPorts contains \"22/tcp\"",
                "config.ExposedPorts contains \"2375/tcp\"", "config.ExposedPorts contains \"5900/tcp\"");
        assertThat(fs).filteredOn(f -> f.evidence().contains("22/tcp")).extracting(Finding::severity).containsExactly(Severity.MEDIUM);
        assertThat(fs).filteredOn(f -> f.evidence().contains("2375/")).extracting(Finding::severity).containsExactly(Severity.HIGH);
        assertThat(r.items()).filteredOn(i -> i.finding().evidence().contains("22/tcp")).extracting(StepFinding::step)
                .containsExactly(1);
    }

    @Test
    void emptyPasswordsButLockedAccountsAreFine() {
        String shadow = "root:*:19000:0:99999:7:::\nlocked:!:19000::::::\nnone:!!:19000::::::\nstar:!*:19000::::::\n"
                + "hashed:$6$salt$hashedhashedhashed:19000:0:99999:7:::\nopen::19000:0:99999:7:::\n";
        String passwd = "root:x:0:0:root:/root:/bin/sh\nopen:x:1000:1000::/home/open:/bin/sh\n"
                + "nopw::1001:1001::/home/nopw:/bin/sh\n";
        Image image = healthy().layer(BASE, base().file("etc/shadow", shadow.getBytes(), 0640, e -> { })
                .file("etc/passwd", passwd)).image();
        ConfigResult r = ConfigChecks.check(image, null, Map.of());
        List<Finding> fs = all(r, "CFG-EMPTY-PASSWORD");
        assertThat(fs).extracting(Finding::title).containsExactlyInAnyOrder("Account 'open' has an empty password",
                "Account 'nopw' has an empty password");
        assertThat(fs).allMatch(f -> f.severity() == Severity.HIGH);
        assertThat(fs).extracting(Finding::path).containsExactlyInAnyOrder("/etc/shadow", "/etc/passwd");
        assertThat(fs).extracting(Finding::evidence).contains("/etc/shadow line 6: open::…");
        assertThat(fs).allMatch(f -> f.layer().equals(image.layers().get(0).diffId().toString()));
        assertThat(r.findings()).noneMatch(f -> String.valueOf(f.evidence()).contains("hashedhashed"));
    }

    @Test
    void duplicateUidsAndGidsInTheFinalFiles() {
        String passwd = "root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\na:x:1000:1000::/home/a:/bin/sh\n"
                + "b:x:1000:1000::/home/b:/bin/sh\nc:x:1001:1001::/home/c:/bin/sh\n";
        String group = "root:x:0:\nusers:x:100:\nstaff:x:100:\napp:x:1000:\n";
        ConfigResult r = run(healthy().layer(BASE, base().file("etc/passwd", passwd).file("etc/group", group)));
        List<Finding> uids = all(r, "CFG-DUPLICATE-UID");
        assertThat(uids).extracting(Finding::title).containsExactlyInAnyOrder("Duplicate UID 0: root, toor",
                "Duplicate UID 1000: a, b");
        assertThat(uids).filteredOn(f -> f.title().contains("UID 0")).extracting(Finding::severity).containsExactly(Severity.HIGH);
        assertThat(uids).filteredOn(f -> f.title().contains("1000")).extracting(Finding::severity).containsExactly(Severity.MEDIUM);
        Finding gid = one(r, "CFG-DUPLICATE-GID");
        assertThat(gid.evidence()).isEqualTo("/etc/group lines 2, 3: GID 100 used by users, staff");
        assertThat(gid.severity()).isEqualTo(Severity.LOW);

        // a later layer that fixes the files: only the final filesystem counts
        ConfigResult fixed = run(healthy().layer(BASE, base().file("etc/passwd", passwd).file("etc/group", group))
                .layer("/bin/sh -c fix", tar().dir("etc").file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
                        .file("etc/group", "root:x:0:\n")));
        assertThat(ids(fixed)).doesNotContain("CFG-DUPLICATE-UID", "CFG-DUPLICATE-GID");
        assertThat(item(run(healthy().layer(BASE, base()).layer("/bin/sh -c adduser", tar().dir("etc").file("etc/passwd", passwd))),
                "CFG-DUPLICATE-UID").step()).isEqualTo(1);
    }

    @Test
    void withoutTheAccountVisitorTheChecksSaySoInsteadOfGuessing() {
        ConfigResult r = ConfigChecks.check(healthy().withoutAccountVisitor()
                .layer(BASE, base().file("etc/passwd", "root:x:0:0::/:/bin/sh\ntoor:x:0:0::/:/bin/sh\n")).image(), null, Map.of());
        assertThat(ids(r)).doesNotContain("CFG-DUPLICATE-UID");
        assertThat(r.notes()).anyMatch(n -> n.contains("/etc/shadow") && n.contains("not run"));
    }

    @Test
    void worldWritableOutsideTheTemporaryDirectories() {
        ConfigResult r = run(healthy().layer(BASE, base()
                .dir("app").file("app/data.txt", "x".getBytes(), 0666, e -> { })
                .file("app/ok.txt", "x".getBytes(), 0664, e -> { })
                .file("tmp/scratch", "x".getBytes(), 0666, e -> { })
                .file("var/tmp/scratch", "x".getBytes(), 0666, e -> { })
                .symlink("app/link", "/etc/passwd")
                .device("app/null", org.apache.commons.compress.archivers.tar.TarConstants.LF_CHR, 1, 3))
                .layer("/bin/sh -c mkdir -m 777 /app/uploads && mkdir -m 1777 /app/shared", tar().dir("app")
                        .dir("app/uploads").dir("app/shared")));
        // TarBuilder.dir writes 0755; the second layer's modes are set below through a fresh builder
        ConfigResult dirs = run(healthy().layer(BASE, base()).layer("/bin/sh -c mkdir", dirs()));
        assertThat(all(r, "CFG-WORLD-WRITABLE")).extracting(Finding::path).containsExactly("/app/data.txt");
        assertThat(one(r, "CFG-WORLD-WRITABLE").evidence()).isEqualTo("file mode 0666, owner 0:0, added by layer 0");
        assertThat(all(dirs, "CFG-WORLD-WRITABLE")).extracting(Finding::path).containsExactly("/app/uploads");
        assertThat(item(dirs, "CFG-WORLD-WRITABLE").step()).isEqualTo(1);
    }

    private static TarBuilder dirs() {
        TarBuilder t = tar().dir("app");
        t.file("app/uploads/", new byte[0], 0777, e -> e.setMode(040777));
        t.file("app/shared/", new byte[0], 01777, e -> e.setMode(041777));
        t.file("dev/shm/", new byte[0], 01777, e -> e.setMode(040777));
        return t;
    }

    @Test
    void filesThatShouldNotShip() {
        Image image = healthy().layer(BASE, base()
                        .dir("app").dir("app/.git").file("app/.git/config", "[core]").file("app/.git/HEAD", "ref")
                        .file("app/.env", "DB_PASSWORD=x").file("app/.env.example", "DB_PASSWORD=")
                        .dir("root").dir("root/.ssh").file("root/.ssh/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----")
                        .file("root/.ssh/id_rsa.pub", "ssh-rsa AAAA")
                        .file("root/.npmrc", "//registry.npmjs.org/:_authToken=x")
                        .file("root/.bash_history", "mysql -p")
                        .file("home-empty-history/.bash_history", "")
                        .dir("root/.cache").dir("root/.cache/pip").file("root/.cache/pip/wheel.whl", "x".repeat(1000))
                        .dir("app/node_modules").dir("app/node_modules/pkg").file("app/node_modules/pkg/.npmrc", "x=1")
                        .dir("root/.aws").file("root/.aws/credentials", "[default]\naws_secret_access_key=x"))
                .layer("/bin/sh -c rm -rf /root/.aws", tar().dir("root").whiteout("root/.aws"))
                .image();
        ConfigResult r = ConfigChecks.check(image, null, Map.of());
        Finding git = one(r, "CFG-VCS-METADATA");
        assertThat(git.path()).isEqualTo("/app/.git");
        assertThat(git.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(one(r, "CFG-ENV-FILE").path()).isEqualTo("/app/.env");
        assertThat(one(r, "CFG-SHELL-HISTORY").path()).isEqualTo("/root/.bash_history");
        Finding cache = one(r, "CFG-CACHE-DIR");
        assertThat(cache.path()).isEqualTo("/root/.cache");
        assertThat(cache.evidence()).isEqualTo("1 files, 1000 bytes under /root/.cache");
        List<Finding> creds = all(r, "CFG-CREDENTIAL-FILE");
        assertThat(creds).extracting(Finding::path).containsExactlyInAnyOrder("/root/.ssh/id_rsa", "/root/.npmrc",
                "/root/.aws/credentials");
        assertThat(creds).filteredOn(f -> f.path().equals("/root/.npmrc")).extracting(Finding::severity)
                .containsExactly(Severity.MEDIUM);
        Finding aws = creds.stream().filter(f -> f.path().equals("/root/.aws/credentials")).findFirst().orElseThrow();
        assertThat(aws.severity()).isEqualTo(Severity.HIGH);
        assertThat(aws.deletedInLaterLayer()).isTrue();
        assertThat(aws.layer()).isEqualTo(image.layers().get(0).diffId().toString());
        assertThat(aws.description()).contains("still ships it");
    }

    @Test
    void downloadedScriptsPipedIntoAShell() {
        for (String bad : List.of("curl -fsSL https://get.example.com | sh", "wget -qO- https://x/i.sh | bash -s -- -y",
                "curl -s https://x | sudo -E bash -", "sh -c \"$(curl -fsSL https://x/install.sh)\"",
                "bash <(curl -s https://x/i.sh)", "wget -O - https://x | python3", "curl https://x -o - | sh")) {
            ConfigResult r = run(healthy().layer(BASE, base()).layer("/bin/sh -c " + bad, tar()));
            Finding f = one(r, "CFG-CURL-PIPE-SHELL");
            assertThat(f.severity()).as(bad).isEqualTo(Severity.MEDIUM);
        }
        for (String fine : List.of("curl -fsSLo /tmp/i.sh https://x && sh /tmp/i.sh", "wget https://x -O /tmp/x && sh /tmp/x",
                "curl -fsSLO https://x/a.tgz | tee log", "echo curl x | sh", "curl -s https://x | grep v | head -1")) {
            assertThat(ids(run(healthy().layer(BASE, base()).layer("/bin/sh -c " + fine, tar())))).as(fine)
                    .doesNotContain("CFG-CURL-PIPE-SHELL");
        }
    }

    @Test
    void evidenceMasksSecretsInCommands() {
        ConfigResult r = run(healthy().layer(BASE, base()).layer("|1 DB_PASSWORD=hunter2secret /bin/sh -c curl -u me:pw123456789"
                + " https://x/setup | sh", tar()));
        Finding f = one(r, "CFG-CURL-PIPE-SHELL");
        assertThat(f.evidence() + f.description()).doesNotContain("hunter2secret").doesNotContain("pw123456789");
    }

    @Test
    void historyShorterThanLayersOrMissing() {
        // docker import: one entry for one layer; a hand-made image: no history at all; more layers than entries
        ConfigResult imported = run(healthy().layer("", base().file("usr/bin/su", "x".getBytes(), 04755, e -> { }))
                .comment("Imported from -"));
        assertThat(item(imported, "CFG-SETUID-FILE").step()).isZero();
        ConfigResult none = run(healthy().noHistory().layerWithoutHistory(base())
                .layerWithoutHistory(tar().file("app.env", "x").file(".env", "A=b")));
        assertThat(item(none, "CFG-ENV-FILE").step()).isEqualTo(1);
        ConfigResult shorter = run(healthy().layer(BASE, base()).layerWithoutHistory(tar().dir("x")
                .file("x/s", "x".getBytes(), 04755, e -> { })));
        assertThat(item(shorter, "CFG-SETUID-FILE").step()).isEqualTo(1);
        assertThat(shorter.notes()).isEmpty();
    }

    @Test
    void rootFilesystemWithoutConfigOrUnwalkedLayers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("etc"));
        java.nio.file.Files.writeString(dir.resolve("etc/shadow"), "root::1:0:::::\n");
        Image rootfs = ImageFixture.read("rootfs:" + dir, true);
        ConfigResult r = ConfigChecks.check(rootfs, null, Map.of("DOCKER_CONTENT_TRUST", "1"));
        assertThat(ids(r)).containsExactly("CFG-EMPTY-PASSWORD");
        assertThat(r.notes()).anyMatch(n -> n.contains("no config"));

        // hash-only read: no entries, so no file checks, and a note
        Image image = healthy().layer(BASE, base()).image();
        Image unwalked = new Image(image.reference(), image.source(), image.displayName(), image.configDigest(),
                image.expectedConfigDigest(), image.configBytes(), image.config(), image.manifestDigest(),
                image.expectedManifestDigest(), image.expectedManifestSource(), image.manifestMediaType(), image.repoTags(),
                image.repoDigests(), image.platform(), List.of(new dev.dockaudit.image.Layer(0, null, null, -1, null, null,
                null, null, null)), image.history(), image.notes());
        ConfigResult u = ConfigChecks.check(unwalked, null, Map.of());
        assertThat(u.notes()).anyMatch(n -> n.contains("not walked"));
    }
}
