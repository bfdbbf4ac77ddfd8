package dev.dockaudit.check.config;

import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.image.layer.LayerPaths;
import dev.dockaudit.image.layer.MergedFilesystem;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;
import dev.dockaudit.util.Sizes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks on the image's files: setuid/setgid and world-writable files in the final filesystem, and files that
 * should never ship (VCS metadata, credentials, .env, shell history, caches). Credential-like files count even when
 * a later layer deletes them: the layer that added them still ships them.
 */
final class FilesystemChecks {
    /** At most this many findings per rule; the rest is counted in a note. */
    static final int MAX_PER_RULE = 100;
    private static final List<String> WRITABLE_OK = List.of("tmp", "var/tmp", "dev/shm");
    private static final Set<String> VCS_DIRS = Set.of(".git", ".svn", ".hg", ".bzr");
    private static final Set<String> PRIVATE_KEYS = Set.of("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk",
            "id_ed25519_sk", "identity");
    /** Credential stores by path suffix: the file's whole purpose is a secret. */
    private static final List<String> CREDENTIAL_HIGH = List.of(".aws/credentials", ".docker/config.json",
            ".git-credentials", ".netrc", "_netrc", ".pgpass", ".vault-token", ".s3cfg", ".config/gcloud/credentials.db",
            ".config/gh/hosts.yml", ".gem/credentials", ".ssh/id_rsa");
    /** Tool configs that often, not always, hold a token. */
    private static final List<String> CREDENTIAL_MEDIUM = List.of(".npmrc", ".pypirc", ".kube/config", ".yarnrc.yml",
            ".composer/auth.json", ".m2/settings-security.xml", ".cargo/credentials", ".cargo/credentials.toml");
    private static final Set<String> HISTORY_FILES = Set.of(".bash_history", ".zsh_history", ".sh_history",
            ".ash_history", ".history", ".python_history", ".mysql_history", ".psql_history", ".node_repl_history",
            ".rediscli_history", ".sqlite_history", ".lesshst", ".viminfo");
    private static final Set<String> ENV_TEMPLATES = Set.of("example", "sample", "template", "dist", "defaults", "tpl");

    private FilesystemChecks() {
    }

    static void run(CheckContext c) {
        if (c.fs == null) {
            c.note("config checks: the layers were not walked; setuid, world-writable and left-over file checks"
                    + " were not run");
            return;
        }
        Counter counter = new Counter();
        Map<String, long[]> caches = new LinkedHashMap<>();
        for (MergedFilesystem.Node n : c.fs.nodes()) {
            LayerFile f = n.file();
            setuid(c, n, counter);
            worldWritable(c, n, counter);
            leftOver(c, f, n.layer(), false, counter);
            cache(f, n.layer(), caches);
        }
        for (MergedFilesystem.Deleted d : c.fs.deleted()) {
            leftOver(c, d.file(), d.layer(), true, counter);
        }
        for (Map.Entry<String, long[]> e : caches.entrySet()) {
            long[] v = e.getValue();
            if (v[0] == 0 || !counter.take(ConfigRule.CACHE_DIR)) {
                continue;
            }
            int layer = (int) v[2];
            c.add(ConfigRule.CACHE_DIR.finding()
                    .description("/" + LayerPaths.printable(e.getKey()) + " holds " + v[1] + " file" + (v[1] == 1 ? "" : "s")
                            + " (" + Sizes.human(v[0]) + ") of tool caches that the running container does not need.")
                    .path("/" + e.getKey())
                    .layer(c.diffId(layer))
                    .evidence(v[1] + " files, " + v[0] + " bytes under /" + LayerPaths.printable(e.getKey())), c.stepOfLayer(layer));
        }
        counter.notes(c);
    }

    // ---- 4.8 --------------------------------------------------------------------------------------------------------

    private static void setuid(CheckContext c, MergedFilesystem.Node n, Counter counter) {
        LayerFile f = n.file();
        if ((f.type() != LayerFile.Type.FILE && f.type() != LayerFile.Type.HARDLINK)
                || (f.mode() & (LayerFile.SETUID | LayerFile.SETGID)) == 0) {
            return;
        }
        if (!counter.take(ConfigRule.SETUID_FILE)) {
            return;
        }
        boolean uid = (f.mode() & LayerFile.SETUID) != 0;
        boolean gid = (f.mode() & LayerFile.SETGID) != 0;
        String bits = uid && gid ? "setuid and setgid" : uid ? "setuid" : "setgid";
        String owner = uid ? (f.uid() == 0 ? "root" : "UID " + f.uid()) : (f.gid() == 0 ? "group root" : "GID " + f.gid());
        c.add(ConfigRule.SETUID_FILE.finding(ConfigRule.SETUID_FILE.severity, bits + " file /" + LayerPaths.printable(f.path()))
                .description("/" + LayerPaths.printable(f.path()) + " is " + bits + ": whoever runs it gets the privileges of "
                        + owner + ". Each such binary is a privilege-escalation path if it has a flaw.")
                .path("/" + f.path())
                .layer(c.diffId(n.layer()))
                .evidence(String.format("mode %04o, owner %d:%d, added by layer %d", f.mode(), f.uid(), f.gid(), n.layer())),
                c.stepOfLayer(n.layer()));
    }

    // ---- world-writable ---------------------------------------------------------------------------------------------

    private static void worldWritable(CheckContext c, MergedFilesystem.Node n, Counter counter) {
        LayerFile f = n.file();
        if ((f.mode() & 0002) == 0 || (f.type() != LayerFile.Type.FILE && f.type() != LayerFile.Type.DIR)) {
            return; // symlinks are always 0777, devices and hard-link entries carry their target's mode
        }
        if (f.type() == LayerFile.Type.DIR && (f.mode() & 01000) != 0) {
            return; // sticky: only owners may remove or rename entries, like /tmp
        }
        for (String ok : WRITABLE_OK) {
            if (f.path().equals(ok) || f.path().startsWith(ok + "/")) {
                return;
            }
        }
        if (!counter.take(ConfigRule.WORLD_WRITABLE)) {
            return;
        }
        String kind = f.type() == LayerFile.Type.DIR ? "directory" : "file";
        c.add(ConfigRule.WORLD_WRITABLE.finding(ConfigRule.WORLD_WRITABLE.severity, "World-writable " + kind + " /"
                        + LayerPaths.printable(f.path()))
                .description("Any user in the container can " + (f.type() == LayerFile.Type.DIR
                        ? "create, replace and delete files in" : "change") + " /" + LayerPaths.printable(f.path())
                        + "; a process running as another user (or a compromised one) can plant code or data there.")
                .path("/" + f.path())
                .layer(c.diffId(n.layer()))
                .evidence(String.format("%s mode %04o, owner %d:%d, added by layer %d", kind, f.mode(), f.uid(), f.gid(),
                        n.layer())),
                c.stepOfLayer(n.layer()));
    }

    // ---- files that should not ship ---------------------------------------------------------------------------

    private static void leftOver(CheckContext c, LayerFile f, int layer, boolean deleted, Counter counter) {
        String path = f.path();
        String base = LayerPaths.baseName(path);
        ConfigRule rule = null;
        Severity severity = null;
        String what = null;
        if (f.type() == LayerFile.Type.DIR) {
            if (VCS_DIRS.contains(base) && !inPackageTree(path)) {
                rule = ConfigRule.VCS_METADATA;
                what = base + " directory (the repository's whole history, remotes and possibly credentials)";
            }
        } else if (f.type() == LayerFile.Type.FILE && f.size() > 0 && !inPackageTree(path)) {
            if (PRIVATE_KEYS.contains(base) && (path.contains(".ssh/") || !base.equals("identity"))) {
                rule = ConfigRule.CREDENTIAL_FILE;
                severity = Severity.HIGH;
                what = "SSH private key";
            } else if (endsWithAny(path, CREDENTIAL_HIGH)) {
                rule = ConfigRule.CREDENTIAL_FILE;
                severity = Severity.HIGH;
                what = "credential store " + base;
            } else if (endsWithAny(path, CREDENTIAL_MEDIUM)) {
                rule = ConfigRule.CREDENTIAL_FILE;
                severity = Severity.MEDIUM;
                what = base + " (tool configuration that often carries a registry or API token)";
            } else if (isEnvFile(base)) {
                rule = ConfigRule.ENV_FILE;
                what = base + " file (application settings, usually with passwords and keys)";
            } else if (HISTORY_FILES.contains(base)) {
                rule = ConfigRule.SHELL_HISTORY;
                what = base + " (commands someone typed, often with passwords and tokens)";
            }
        }
        if (rule == null || !counter.take(rule)) {
            return;
        }
        Finding.Builder b = rule.finding(severity != null ? severity : rule.severity, rule.title + ": /"
                        + LayerPaths.printable(path))
                .description("/" + LayerPaths.printable(path) + " is a " + what + "." + (deleted
                        ? " A later layer deletes it, but the layer that added it still ships it: anyone who pulls the"
                        + " image can extract it." : ""))
                .path("/" + path)
                .layer(c.diffId(layer))
                .evidence((f.type() == LayerFile.Type.DIR ? "directory" : f.size() + " bytes") + ", added by layer " + layer
                        + (deleted ? ", deleted by a later layer" : ""));
        if (deleted) {
            b.deletedInLaterLayer(true);
        }
        c.add(b, c.stepOfLayer(layer));
    }

    static boolean isEnvFile(String base) {
        if (base.equals(".env")) {
            return true;
        }
        if (!base.startsWith(".env.")) {
            return false;
        }
        String suffix = base.substring(5).toLowerCase(java.util.Locale.ROOT);
        return !ENV_TEMPLATES.contains(suffix) && !suffix.endsWith(".example") && !suffix.endsWith(".sample");
    }

    private static boolean endsWithAny(String path, List<String> suffixes) {
        for (String s : suffixes) {
            if (path.equals(s) || path.endsWith("/" + s)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Files inside installed packages (node_modules, site-packages, gems, vendored Go modules, docs) belong to those
     * packages' authors: a test fixture named id_rsa there is not the image builder's leak. The secret scanner
     * still reads their content.
     */
    static boolean inPackageTree(String path) {
        String p = "/" + path;
        return p.contains("/node_modules/") || p.contains("/site-packages/") || p.contains("/dist-packages/")
                || p.contains("/gems/") || p.contains("/vendor/") || p.startsWith("/usr/share/doc/")
                || p.contains("/go/pkg/mod/") || p.contains("/.cargo/registry/");
    }

    /** Sums the files under each top-most {@code .cache} directory: [bytes, files, layer of the directory]. */
    private static void cache(LayerFile f, int layer, Map<String, long[]> caches) {
        String p = f.path();
        int at = p.startsWith(".cache/") || p.equals(".cache") ? 0 : p.indexOf("/.cache");
        if (at < 0) {
            return;
        }
        int end = at == 0 ? ".cache".length() : at + "/.cache".length();
        if (end < p.length() && p.charAt(end) != '/') {
            return; // ".cachefoo"
        }
        String dir = p.substring(0, end);
        long[] v = caches.computeIfAbsent(dir, k -> new long[] {0, 0, layer});
        if (p.equals(dir)) {
            v[2] = layer;
        } else if (f.type() == LayerFile.Type.FILE) {
            v[0] += f.size();
            v[1]++;
        }
    }

    /** Caps findings per rule and remembers how many were left out. */
    private static final class Counter {
        private final Map<ConfigRule, Integer> counts = new LinkedHashMap<>();

        boolean take(ConfigRule r) {
            int n = counts.merge(r, 1, Integer::sum);
            return n <= MAX_PER_RULE;
        }

        void notes(CheckContext c) {
            counts.forEach((r, n) -> {
                if (n > MAX_PER_RULE) {
                    c.note("config checks: " + r.id + " matched " + n + " paths; the first " + MAX_PER_RULE
                            + " are reported");
                }
            });
        }
    }
}
