package dev.dockaudit.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;

/**
 * The images the config and history integration tests build on the real test daemon with the legacy builder, FROM the
 * official Alpine minirootfs {@code docker import}ed. Every name starts with {@code da-cfg/} and carries this JVM's run
 * tag; {@link TestImages} removes them when the JVM exits.
 */
public final class ConfigTestImages {
    /** The build arg default planted in the history (a made-up token, not a real credential). */
    public static final String PLANTED_TOKEN = "npm_plantedByDockauditTests0123456789";
    public static final int BIG = 5 * 1024 * 1024;
    public static final int V1 = 1_000_000;
    public static final int V2 = 300_000;

    private static String base;
    private static String planted;
    private static String clean;
    private static String deleted;
    private static String overwritten;

    private ConfigTestImages() {
    }

    /** The Alpine 3.18.9 minirootfs as one imported layer. */
    public static synchronized String base() throws IOException, InterruptedException {
        if (base == null) {
            String name = "da-cfg/base:" + TestImages.RUN;
            TestImages.docker().run("import", Cli.project("src/test/resources/realdata/images/alpine-minirootfs-3.18.9-x86_64.tar.gz")
                    .toString(), name);
            TestImages.remember(name);
            base = name;
        }
        return base;
    }

    /**
     * Every configuration problem at once. The build has no network: package-manager steps run with --no-network or
     * fail harmlessly ({@code || true}); what the checks read is the history text and the layers. The URL ADD is
     * served by an HTTP server on this host's loopback, which the daemon (it downloads for the legacy builder) reaches.
     * Tagged without a tag, i.e. latest.
     */
    public static synchronized String planted() throws IOException, InterruptedException {
        if (planted != null) {
            return planted;
        }
        String name = "da-cfg/planted-" + TestImages.RUN;
        Path ctx = TestImages.tempDir("cfg-planted");
        Files.writeString(ctx.resolve("planted.txt"), "added with ADD instead of COPY\n");
        Files.createDirectories(ctx.resolve("repo/.git"));
        Files.writeString(ctx.resolve("repo/.git/HEAD"), "ref: refs/heads/main\n");
        Files.writeString(ctx.resolve("repo/.git/config"), "[core]\n\trepositoryformatversion = 0\n");
        Files.writeString(ctx.resolve("repo/.env"), "APP_MODE=planted\n");
        Files.writeString(ctx.resolve("repo/app.txt"), "the app\n");
        Files.writeString(ctx.resolve("id_rsa"), "-----BEGIN OPENSSH PRIVATE KEY-----\nplanted-by-dockaudit-tests-not-a-key\n"
                + "-----END OPENSSH PRIVATE KEY-----\n");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/served.sh", ex -> {
            byte[] body = "echo served\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
        try {
            Files.writeString(ctx.resolve("Dockerfile"), String.join("\n",
                    "FROM " + base(),
                    "ARG NPM_TOKEN=" + PLANTED_TOKEN,
                    "RUN echo \"$NPM_TOKEN\" > /dev/null",
                    "ADD planted.txt /opt/planted.txt",
                    "ADD http://127.0.0.1:" + server.getAddress().getPort() + "/served.sh /opt/served.sh",
                    "RUN apk --no-network update || true",
                    "RUN apk --no-network add --simulate curl || true",
                    "RUN (apt-get update && apt-get -y dist-upgrade) || true; mkdir -p /var/lib/apt/lists/partial"
                            + " && echo 'Origin: Debian' > /var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease",
                    "RUN sudo -n true || true",
                    "RUN curl -fsSL https://get.example.invalid/install.sh | sh",
                    "RUN printf '#!/bin/sh\\necho planted\\n' > /usr/local/bin/suid-tool && chmod 4755 /usr/local/bin/suid-tool",
                    "RUN echo 'nopass::19000:0:99999:7:::' >> /etc/shadow"
                            + " && echo 'nopass:x:1001:1001::/home/nopass:/bin/sh' >> /etc/passwd"
                            + " && echo 'toor:x:0:0:root:/root:/bin/sh' >> /etc/passwd && echo 'wheel2:x:10:' >> /etc/group",
                    "RUN mkdir -p /app && echo data > /app/data.txt && chmod 666 /app/data.txt",
                    "COPY repo/ /app/",
                    "COPY id_rsa /root/.ssh/id_rsa",
                    "RUN rm /root/.ssh/id_rsa && echo 'mysql -u root -p' > /root/.bash_history"
                            + " && mkdir -p /root/.cache/pip && echo wheel > /root/.cache/pip/wheel.whl",
                    "VOLUME /proc",
                    "EXPOSE 22",
                    "USER root",
                    ""));
            TestImages.docker().run("build", "-q", "-t", name, ctx.toString());
            TestImages.remember(name);
        } finally {
            server.stop(0);
        }
        planted = name;
        return planted;
    }

    /** Hardened: a non-root numeric USER, a HEALTHCHECK, COPY only, nothing left over. */
    public static synchronized String clean() throws IOException, InterruptedException {
        if (clean != null) {
            return clean;
        }
        String name = "da-cfg/clean:" + TestImages.RUN;
        Path ctx = TestImages.tempDir("cfg-clean");
        Path app = ctx.resolve("app.sh");
        Files.writeString(app, "#!/bin/sh\nexec sleep 3600\n");
        Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.writeString(ctx.resolve("Dockerfile"), String.join("\n",
                "FROM " + base(),
                "RUN addgroup -g 10001 -S app && adduser -u 10001 -S -D -H -G app -h /app -s /sbin/nologin app",
                "COPY --chown=10001:10001 app.sh /app/app.sh",
                "USER 10001:10001",
                "HEALTHCHECK --interval=30s --timeout=3s CMD [\"/bin/sh\", \"-c\", \"test -x /app/app.sh\"]",
                "CMD [\"/app/app.sh\"]",
                ""));
        TestImages.build(ctx, name);
        clean = name;
        return clean;
    }

    /** A 5 MiB file copied in, then deleted by the next step. */
    public static synchronized String deleted() throws IOException, InterruptedException {
        if (deleted != null) {
            return deleted;
        }
        String name = "da-cfg/waste-deleted:" + TestImages.RUN;
        Path ctx = TestImages.tempDir("cfg-deleted");
        Files.write(ctx.resolve("big.bin"), random(BIG, 1));
        Files.writeString(ctx.resolve("Dockerfile"), String.join("\n",
                "FROM " + base(),
                "COPY big.bin /data/big.bin",
                "RUN rm /data/big.bin",
                ""));
        TestImages.build(ctx, name);
        deleted = name;
        return deleted;
    }

    /** A file copied in, overwritten by a smaller one, then chmod'ed (which copies it again). */
    public static synchronized String overwritten() throws IOException, InterruptedException {
        if (overwritten != null) {
            return overwritten;
        }
        String name = "da-cfg/waste-overwritten:" + TestImages.RUN;
        Path ctx = TestImages.tempDir("cfg-overwritten");
        Files.write(ctx.resolve("v1.bin"), random(V1, 2));
        Files.write(ctx.resolve("v2.bin"), random(V2, 3));
        Files.writeString(ctx.resolve("Dockerfile"), String.join("\n",
                "FROM " + base(),
                "COPY v1.bin /opt/f.bin",
                "COPY v2.bin /opt/f.bin",
                "RUN chmod 0600 /opt/f.bin",
                ""));
        TestImages.build(ctx, name);
        overwritten = name;
        return overwritten;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
