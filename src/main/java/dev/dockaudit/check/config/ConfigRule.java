package dev.dockaudit.check.config;

import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;

/**
 * The image configuration rules: a stable id, a default severity, the CIS Docker Benchmark v1.6 number where the
 * rule implements one, a title and a remediation. Ids are a contract (ignore files and CI gates name them).
 */
public enum ConfigRule {
    ROOT_USER("CFG-ROOT-USER", Severity.MEDIUM, "4.1", "Image runs as root",
            "Add a non-root user (RUN adduser -D -u 10001 app, or useradd) and end the Dockerfile with USER 10001;"
                    + " a numeric UID lets Kubernetes enforce runAsNonRoot."),
    NO_HEALTHCHECK("CFG-NO-HEALTHCHECK", Severity.LOW, "4.6", "No HEALTHCHECK in the image",
            "Add a HEALTHCHECK instruction that probes the service (HEALTHCHECK CMD wget -qO- http://localhost:8080/health"
                    + " || exit 1), or rely on the orchestrator's probes and ignore this rule."),
    UPDATE_ALONE("CFG-UPDATE-ALONE", Severity.MEDIUM, "4.7", "Package index update alone in a build step",
            "Update and install in the same RUN (RUN apt-get update && apt-get install -y --no-install-recommends pkg"
                    + " && rm -rf /var/lib/apt/lists/*), so a cached update layer never pairs with a later install."),
    SETUID_FILE("CFG-SETUID-FILE", Severity.LOW, "4.8", "setuid/setgid file",
            "Remove the setuid/setgid bits the application does not need: RUN find / -xdev -perm /6000 -type f"
                    + " -exec chmod a-s {} + (keep only binaries you rely on, e.g. su for administrators)."),
    ADD_INSTEAD_OF_COPY("CFG-ADD-INSTEAD-OF-COPY", Severity.LOW, "4.9", "ADD used instead of COPY",
            "Use COPY for local files; ADD also unpacks archives and fetches URLs, which hides what lands in the image."),
    ADD_URL("CFG-ADD-URL", Severity.MEDIUM, "4.9", "ADD fetches a URL at build time",
            "Download with RUN curl -fsSLo file URL && echo 'SHA256  file' | sha256sum -c -, or use ADD --checksum=sha256:…"
                    + " (BuildKit); never fetch unverified content into an image."),
    CONTENT_TRUST("CFG-CONTENT-TRUST-DISABLED", Severity.INFO, "4.5", "Docker Content Trust is not enforced on this host",
            "export DOCKER_CONTENT_TRUST=1 in the environment that pulls, builds and runs images (CI and hosts), so"
                    + " docker refuses unsigned tags."),
    SUDO("CFG-SUDO", Severity.MEDIUM, null, "sudo used in a build step",
            "Build steps already run as the current USER; drop sudo, and switch with USER root / USER app around the"
                    + " steps that need it. sudo in an image is a privilege-escalation path at run time."),
    DIST_UPGRADE("CFG-DIST-UPGRADE", Severity.LOW, null, "apt-get upgrade or dist-upgrade in a build step",
            "Rebuild from an updated base image instead of upgrading in place; upgrade only the packages you need with"
                    + " apt-get install --only-upgrade pkg."),
    APK_NO_CACHE("CFG-APK-NO-CACHE", Severity.LOW, null, "apk add without --no-cache",
            "Use apk add --no-cache pkg, which neither stores the index nor a package cache in the layer."),
    APT_LISTS_LEFT("CFG-APT-LISTS-LEFT", Severity.LOW, null, "apt package lists left in the layer",
            "End the RUN that runs apt-get update with && rm -rf /var/lib/apt/lists/*; a later step cannot remove them"
                    + " from the layer that added them."),
    LATEST_TAG("CFG-LATEST-TAG", Severity.LOW, null, "Image referenced by the 'latest' tag",
            "Use an explicit version tag, better a digest (name@sha256:…), so the same reference always means the same"
                    + " image."),
    SENSITIVE_VOLUME("CFG-SENSITIVE-VOLUME", Severity.MEDIUM, null, "VOLUME over a system directory",
            "Remove the VOLUME instruction; a volume over /, /dev, /proc or /sys hides the kernel's view and invites"
                    + " users to bind the host's directory there."),
    REMOTE_ADMIN_PORT("CFG-REMOTE-ADMIN-PORT", Severity.MEDIUM, null, "Remote administration port exposed",
            "Do not run remote-administration services in a container (use docker exec / kubectl exec); remove the"
                    + " EXPOSE and the daemon."),
    EMPTY_PASSWORD("CFG-EMPTY-PASSWORD", Severity.HIGH, null, "Account with an empty password",
            "Lock the account (RUN passwd -l NAME, or usermod -p '*' NAME) or delete it; an empty password lets anyone"
                    + " log in or su to it."),
    DUPLICATE_UID("CFG-DUPLICATE-UID", Severity.MEDIUM, null, "Duplicate UID in /etc/passwd",
            "Give every account its own UID; accounts sharing a UID share every file and process permission."),
    DUPLICATE_GID("CFG-DUPLICATE-GID", Severity.LOW, null, "Duplicate GID in /etc/group",
            "Give every group its own GID; groups sharing a GID share every permission."),
    WORLD_WRITABLE("CFG-WORLD-WRITABLE", Severity.MEDIUM, null, "World-writable file or directory",
            "chmod o-w the path (RUN chmod o-w PATH); directories every user must write to need the sticky bit"
                    + " (chmod 1777) like /tmp."),
    VCS_METADATA("CFG-VCS-METADATA", Severity.MEDIUM, null, "Version-control metadata left in the image",
            "Add .git (and .svn, .hg) to .dockerignore, or copy only the build output from a build stage."),
    CREDENTIAL_FILE("CFG-CREDENTIAL-FILE", Severity.HIGH, null, "Credential file left in the image",
            "Remove the file from the build context (.dockerignore) and rotate what it held; use build secrets"
                    + " (RUN --mount=type=secret) instead of copying credentials. Deleting it in a later step does not"
                    + " remove it from the layer that added it."),
    ENV_FILE("CFG-ENV-FILE", Severity.MEDIUM, null, ".env file left in the image",
            "Add .env to .dockerignore and pass settings at run time (docker run --env-file, orchestrator secrets)."),
    SHELL_HISTORY("CFG-SHELL-HISTORY", Severity.MEDIUM, null, "Shell history left in the image",
            "Do not build images with docker commit from an interactive shell; if the file came from the context,"
                    + " .dockerignore it."),
    CACHE_DIR("CFG-CACHE-DIR", Severity.LOW, null, "Cache directory left in the image",
            "Clear caches in the step that fills them (pip install --no-cache-dir, npm cache clean --force,"
                    + " rm -rf ~/.cache) or use RUN --mount=type=cache."),
    CURL_PIPE_SHELL("CFG-CURL-PIPE-SHELL", Severity.MEDIUM, null, "Downloaded script piped into a shell",
            "Download to a file, verify its checksum or signature, then run it: curl -fsSLo install.sh URL &&"
                    + " echo 'SHA256  install.sh' | sha256sum -c - && sh install.sh.");

    public final String id;
    public final Severity severity;
    public final String cis;
    public final String title;
    public final String remediation;

    ConfigRule(String id, Severity severity, String cis, String title, String remediation) {
        this.id = id;
        this.severity = severity;
        this.cis = cis;
        this.title = title;
        this.remediation = remediation;
    }

    /** A finding of this rule with its default severity, CIS number and remediation filled in. */
    public Finding.Builder finding() {
        return finding(severity);
    }

    public Finding.Builder finding(Severity s) {
        return Finding.builder(id, Category.CONFIG, s, title).cis(cis).remediation(remediation);
    }

    public Finding.Builder finding(Severity s, String specificTitle) {
        return Finding.builder(id, Category.CONFIG, s, specificTitle).cis(cis).remediation(remediation);
    }
}
