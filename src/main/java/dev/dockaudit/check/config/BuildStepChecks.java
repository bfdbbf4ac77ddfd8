package dev.dockaudit.check.config;

import dev.dockaudit.util.Redact;
import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.util.Sizes;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks on the build steps recorded in the history: what each RUN ran, and ADD. One finding per rule and step,
 * on the step's layer.
 */
final class BuildStepChecks {
    private static final Set<String> APT = Set.of("apt-get", "apt", "aptitude");
    private static final Set<String> YUM = Set.of("yum", "dnf", "microdnf", "tdnf");
    private static final Set<String> APT_OPTIONS_WITH_VALUE = Set.of("-o", "-c", "-t", "--option", "--config-file",
            "--target-release", "--default-release");
    private static final Set<String> APK_OPTIONS_WITH_VALUE = Set.of("-X", "--repository", "-p", "--root", "--arch",
            "--cache-dir", "--keys-dir", "--repositories-file", "--progress-fd", "--timeout");
    private static final Set<String> YUM_OPTIONS_WITH_VALUE = Set.of("-c", "--config", "--installroot", "--releasever",
            "--setopt", "--enablerepo", "--disablerepo", "-x", "--exclude", "-d", "-e", "--repo", "--repoid");
    private static final Set<String> ZYPPER_OPTIONS_WITH_VALUE = Set.of("-c", "--config", "-R", "--root", "--reposd-dir",
            "-D", "--cache-dir");
    private static final Set<String> SHELL_INTERPRETERS = Set.of("sh", "bash", "ash", "dash", "zsh", "ksh", "mksh",
            "python", "python2", "python3", "perl", "ruby", "node", "php");
    /** {@code sh -c "$(curl …)"}, {@code bash <(wget -O- …)}, {@code eval "$(curl …)"}, {@code . <(curl …)}. */
    private static final Pattern SUBSTITUTED_DOWNLOAD = Pattern.compile(
            "(?:\\b(?:sh|bash|ash|dash|zsh|ksh|eval|source|python[23]?|perl|ruby|node)\\b|(?:^|[;&|(]\\s{0,8})\\.)"
                    + "\\s{1,8}(?:-\\S{1,20}\\s{1,8}){0,4}[\"']?(?:\\$\\(|<\\(|`)\\s{0,8}(?:curl|wget)\\b");
    private static final Pattern URL = Pattern.compile("^(?i:https?|ftp)://.+");
    /**
     * The classic builder writes a local source as {@code file:<sha>}, {@code dir:<sha>} or {@code multi:<sha>}, and a
     * downloaded one by its bare content hash: {@code ADD 69ffe7…13 in /opt/x}.
     */
    private static final Pattern CLASSIC_DOWNLOAD = Pattern.compile("^[0-9a-f]{64}$");
    private static final Pattern ARCHIVE = Pattern.compile(
            "(?i).+\\.(?:tar|tar\\.gz|tgz|tar\\.xz|txz|tar\\.bz2|tbz2?|tar\\.zst|tzst|tar\\.lz4)$");

    private BuildStepChecks() {
    }

    static void run(CheckContext c) {
        for (BuildStep s : c.steps) {
            BuildInstruction in = s.instruction();
            if (in.isRun()) {
                run(c, s, ShellCommands.parse(in.command()));
            } else if ("ADD".equals(in.keyword())) {
                add(c, s);
            }
        }
    }

    private static void run(CheckContext c, BuildStep s, List<ShellCommands.Pipeline> pipelines) {
        boolean aptUpdate = false;
        boolean aptInstall = false;
        boolean apkUpdate = false;
        boolean apkInstall = false;
        boolean yumUpdate = false;
        boolean yumInstall = false;
        boolean zypperUpdate = false;
        boolean zypperInstall = false;
        boolean apkCacheCleared = false;
        boolean aptListsRemoved = false;
        String sudo = null;
        String upgrade = null;
        String apkAdd = null;
        String updateCommand = null;
        String pipe = null;
        for (ShellCommands.Pipeline p : pipelines) {
            List<ShellCommands.Command> cmds = p.commands();
            for (int i = 0; i < cmds.size(); i++) {
                ShellCommands.Command cmd = cmds.get(i);
                String name = cmd.name();
                if (cmd.sudo() && sudo == null) {
                    sudo = cmd.text();
                }
                if (APT.contains(name)) {
                    String sub = cmd.subcommand(APT_OPTIONS_WITH_VALUE);
                    if ("update".equals(sub)) {
                        aptUpdate = true;
                        updateCommand = updateCommand == null ? cmd.text() : updateCommand;
                    } else if (sub != null && Set.of("install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep",
                            "reinstall", "satisfy", "safe-upgrade").contains(sub)) {
                        aptInstall = true;
                        if (Set.of("upgrade", "dist-upgrade", "full-upgrade", "safe-upgrade").contains(sub)
                                && upgrade == null) {
                            upgrade = cmd.text();
                        }
                    }
                } else if (name.equals("apk")) {
                    String sub = cmd.subcommand(APK_OPTIONS_WITH_VALUE);
                    if ("update".equals(sub)) {
                        apkUpdate = true;
                        updateCommand = updateCommand == null ? cmd.text() : updateCommand;
                    } else if ("add".equals(sub) || "upgrade".equals(sub) || "fix".equals(sub)) {
                        apkInstall = true;
                        if ("add".equals(sub) && !cmd.hasArg("--no-cache") && apkAdd == null) {
                            apkAdd = cmd.text();
                        }
                    } else if ("cache".equals(sub) && cmd.args().contains("clean")) {
                        apkCacheCleared = true;
                    }
                } else if (YUM.contains(name)) {
                    String sub = cmd.subcommand(YUM_OPTIONS_WITH_VALUE);
                    if ("makecache".equals(sub) || "check-update".equals(sub)) {
                        yumUpdate = true;
                        updateCommand = updateCommand == null ? cmd.text() : updateCommand;
                    } else if (sub != null && Set.of("install", "update", "upgrade", "groupinstall", "reinstall",
                            "distro-sync", "localinstall").contains(sub)) {
                        yumInstall = true;
                    }
                } else if (name.equals("zypper")) {
                    String sub = cmd.subcommand(ZYPPER_OPTIONS_WITH_VALUE);
                    if ("refresh".equals(sub) || "ref".equals(sub)) {
                        zypperUpdate = true;
                        updateCommand = updateCommand == null ? cmd.text() : updateCommand;
                    } else if (sub != null && Set.of("install", "in", "update", "up", "dist-upgrade", "dup", "patch")
                            .contains(sub)) {
                        zypperInstall = true;
                    }
                } else if (name.equals("rm")) {
                    for (String a : cmd.args()) {
                        if (a.startsWith("/var/cache/apk")) {
                            apkCacheCleared = true;
                        }
                        if (a.startsWith("/var/lib/apt/lists")) {
                            aptListsRemoved = true;
                        }
                    }
                }
                if (pipe == null && downloadsToStdout(cmd)) {
                    for (int j = i + 1; j < cmds.size(); j++) {
                        if (SHELL_INTERPRETERS.contains(cmds.get(j).name())) {
                            pipe = joined(cmds, i, j);
                            break;
                        }
                    }
                }
            }
        }
        String text = s.instruction().command();
        if (pipe == null && text != null) {
            java.util.regex.Matcher m = SUBSTITUTED_DOWNLOAD.matcher(text);
            if (m.find()) {
                pipe = text.substring(m.start(), Math.min(text.length(), m.end() + 120));
            }
        }
        String ev = CheckContext.stepEvidence(s);
        if ((aptUpdate && !aptInstall) || (apkUpdate && !apkInstall) || (yumUpdate && !yumInstall)
                || (zypperUpdate && !zypperInstall)) {
            add(c, s, ConfigRule.UPDATE_ALONE.finding()
                    .description("Step " + s.index() + " updates the package index without installing anything in the"
                            + " same step ('" + Redact.evidence(updateCommand, 120) + "'). Docker caches that layer, so"
                            + " a later rebuild installs from a stale index, and the index itself ships in the image.")
                    .evidence(ev));
        }
        if (sudo != null) {
            add(c, s, ConfigRule.SUDO.finding()
                    .description("Step " + s.index() + " runs a command through sudo ('" + Redact.evidence(sudo, 120)
                            + "'). sudo in an image means an account can become root at run time, and its terminal and"
                            + " signal handling do not suit containers.")
                    .evidence(ev));
        }
        if (upgrade != null) {
            add(c, s, ConfigRule.DIST_UPGRADE.finding()
                    .description("Step " + s.index() + " upgrades every installed package ('" + Redact.evidence(upgrade,
                            120) + "'): the image then differs from its base in ways nobody reviewed, and each build"
                            + " may differ.")
                    .evidence(ev));
        }
        if (apkAdd != null && !apkCacheCleared) {
            add(c, s, ConfigRule.APK_NO_CACHE.finding()
                    .description("Step " + s.index() + " runs apk add without --no-cache ('" + Redact.evidence(apkAdd,
                            120) + "'), which can leave the package index and cache in the layer.")
                    .evidence(ev));
        }
        if (pipe != null) {
            add(c, s, ConfigRule.CURL_PIPE_SHELL.finding()
                    .description("Step " + s.index() + " runs a script straight from the network ('"
                            + Redact.evidence(pipe, 160) + "'): whatever the server (or anyone between) sends at build"
                            + " time runs as the build user, unverified and unrecorded.")
                    .evidence(ev));
        }
        if (aptUpdate) {
            aptLists(c, s, aptListsRemoved);
        }
    }

    /** curl (unless writing to a file), wget -O-, fetch -o -: a command whose stdout is the download. */
    static boolean downloadsToStdout(ShellCommands.Command cmd) {
        String name = cmd.name();
        List<String> a = cmd.args();
        if (name.equals("curl")) {
            for (int i = 0; i < a.size(); i++) {
                String w = a.get(i);
                boolean cluster = w.startsWith("-") && !w.startsWith("--") && w.length() > 1;
                if (w.equals("--remote-name") || w.equals("--remote-name-all") || cluster && w.contains("O")) {
                    return false; // -O, -fsSLO: saved under the remote name
                }
                if (w.equals("--output") || cluster && w.endsWith("o")) {
                    return i + 1 < a.size() && a.get(i + 1).equals("-");
                }
            }
            return true;
        }
        if (name.equals("wget") || name.equals("fetch")) {
            for (int i = 0; i < a.size(); i++) {
                String w = a.get(i);
                if (w.equals("--output-document=-") || w.equals("-o-") && name.equals("fetch")) {
                    return true;
                }
                if ((w.equals("--output-document") || w.equals("-O") || w.equals("-o") && name.equals("fetch"))
                        && i + 1 < a.size() && a.get(i + 1).equals("-")) {
                    return true;
                }
                if (w.startsWith("-") && !w.startsWith("--") && w.endsWith("O-")) {
                    return true; // -qO-, -O-
                }
            }
        }
        return false;
    }

    private static String joined(List<ShellCommands.Command> cmds, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int k = from; k <= to; k++) {
            b.append(k == from ? "" : " | ").append(cmds.get(k).text());
        }
        return b.toString();
    }

    /** The step ran apt-get update: did its layer keep /var/lib/apt/lists? */
    private static void aptLists(CheckContext c, BuildStep s, boolean removedInText) {
        List<LayerFile> files = s.files();
        if (files == null) {
            if (s.layer() == null || removedInText) {
                return;
            }
            add(c, s, ConfigRule.APT_LISTS_LEFT.finding()
                    .description("Step " + s.index() + " runs apt-get update and does not remove /var/lib/apt/lists in"
                            + " the same step (judged from the command: the layer's files were not read).")
                    .path("/var/lib/apt/lists")
                    .evidence(CheckContext.stepEvidence(s)));
            return;
        }
        long bytes = 0;
        int count = 0;
        String example = null;
        for (LayerFile f : files) {
            String p = f.path();
            if (f.isRegular() && p.startsWith("var/lib/apt/lists/") && !p.equals("var/lib/apt/lists/lock")
                    && !p.startsWith("var/lib/apt/lists/partial/") && !p.startsWith("var/lib/apt/lists/auxfiles/")) {
                bytes += f.size();
                count++;
                if (example == null) {
                    example = p;
                }
            }
        }
        if (count == 0) {
            return;
        }
        add(c, s, ConfigRule.APT_LISTS_LEFT.finding()
                .description("Step " + s.index() + " runs apt-get update and its layer keeps " + count + " file"
                        + (count == 1 ? "" : "s") + " (" + Sizes.human(bytes) + ") under /var/lib/apt/lists: dead"
                        + " weight in every pull, and stale package lists for anyone who later installs from them.")
                .path("/var/lib/apt/lists")
                .evidence(CheckContext.stepEvidence(s) + "; layer keeps " + count + " list file" + (count == 1 ? "" : "s")
                        + ", " + bytes + " bytes (e.g. /" + example + ")"));
    }

    // ---- 4.9 --------------------------------------------------------------------------------------------------------

    private static void add(CheckContext c, BuildStep s) {
        BuildInstruction in = s.instruction();
        List<String> sources = in.copySources();
        String url = null;
        boolean allArchives = !sources.isEmpty();
        boolean hashOnly = false;
        for (String src : sources) {
            if (URL.matcher(src).matches()) {
                url = url == null ? src : url;
            } else if (!in.buildKit() && CLASSIC_DOWNLOAD.matcher(src).matches()) {
                hashOnly = true;
                url = url == null ? src : url;
            }
            if (!ARCHIVE.matcher(src).matches()) {
                allArchives = false;
            }
        }
        String ev = CheckContext.stepEvidence(s);
        if (url != null) {
            add(c, s, ConfigRule.ADD_URL.finding()
                    .description("Step " + s.index() + " uses ADD to download " + (hashOnly ? "a URL (the classic builder"
                            + " records a downloaded source by its bare content hash, " + url.substring(0, 12) + "…, where"
                            + " local files show as file: or dir:)" : Redact.evidence(url, 200)) + " at build time:"
                            + " nothing checks what the server sent, and the download is not repeatable.")
                    .evidence(ev));
            return;
        }
        if (allArchives) {
            return; // unpacking a local archive is what ADD is for
        }
        if (s.layer() != null && s.layer().index() == 0) {
            return; // FROM scratch + ADD rootfs.tar /: how every base image starts (the classic builder hides the name)
        }
        add(c, s, ConfigRule.ADD_INSTEAD_OF_COPY.finding()
                .description("Step " + s.index() + " copies files with ADD. ADD also unpacks archives and fetches URLs;"
                        + " COPY does only what it says.")
                .evidence(ev));
    }

    private static void add(CheckContext c, BuildStep s, dev.dockaudit.report.Finding.Builder f) {
        c.add(f.layer(s.diffId()), s.index());
    }
}
