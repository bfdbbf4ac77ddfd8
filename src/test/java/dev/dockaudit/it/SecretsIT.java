package dev.dockaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import dev.dockaudit.testing.Debootstrap;
import dev.dockaudit.testing.ItEnv;
import dev.dockaudit.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Secrets planted in a real image built by dockerd — in the environment, a label, a build argument, a config
 * file, and a private key that a later layer deletes — are all found with masked evidence; a hardened image and
 * a stock Debian root raise no secret findings.
 */
class SecretsIT {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Random characters from {@code alphabet}: fake credentials that look real to the rules and exist nowhere. */
    private static String random(String alphabet, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static final String UPPER32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    @Test
    void plantedSecretsAreFoundMaskedAndDeletedFilesFlagged() throws Exception {
        String awsKeyId = "AKIA" + random(UPPER32, 16);
        String githubToken = "ghp" + "_" + random(ALNUM, 36);
        String slackPath = "T" + random(ALNUM, 8) + "/B" + random(ALNUM, 8) + "/" + random(ALNUM, 24);
        String dbPassword = random(ALNUM, 20);
        byte[] keyBytes = new byte[600];
        RANDOM.nextBytes(keyBytes);
        String pem = "-----BEGIN RSA PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keyBytes)
                + "\n-----END RSA PRIVATE KEY-----\n";

        Path ctx = TestImages.tempDir("secrets-planted");
        Files.writeString(ctx.resolve("key.pem"), pem);
        Files.writeString(ctx.resolve("app.conf"), "database = postgres://app:" + dbPassword + "@db.internal:5432/app\n");
        Files.writeString(ctx.resolve("Dockerfile"), String.join("\n",
                "FROM " + TestImages.base(),
                "ENV AWS_ACCESS_KEY_ID=" + awsKeyId,
                "LABEL alerts=\"https://hooks.slack.com/services/" + slackPath + "\"",
                "ARG GITHUB_TOKEN=" + githubToken,
                "RUN echo \"$GITHUB_TOKEN\" > /dev/null",
                "COPY key.pem /opt/key.pem",
                "RUN rm /opt/key.pem",
                "COPY app.conf /etc/app/app.conf",
                ""));
        String name = "da-dmn/secrets-planted:" + TestImages.RUN;
        TestImages.build(ctx, name);
        JsonNode inspect = TestImages.inspect(name);
        List<String> diffIds = TestImages.diffIds(inspect);

        Cli.Result r = Cli.run("inspect", "docker-daemon:" + name, "--docker-host", ItEnv.dockerHost(), "--format", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        for (String secret : List.of(awsKeyId, githubToken, slackPath, dbPassword, pem.substring(40, 120))) {
            assertThat(r.out()).as("the report never carries a secret in full").doesNotContain(secret);
        }
        List<String> ids = new ArrayList<>();
        JsonNode keyFinding = null;
        JsonNode confFinding = null;
        for (JsonNode f : r.json().get("findings")) {
            if (!f.get("category").asText().equals("secret")) {
                continue;
            }
            ids.add(f.get("id").asText());
            if (f.get("id").asText().equals("SECRET-private-key-rsa")) {
                keyFinding = f;
            }
            if (f.get("id").asText().equals("SECRET-postgres-url-password")) {
                confFinding = f;
            }
        }
        assertThat(ids).contains("SECRET-aws-access-key-id", "SECRET-github-pat", "SECRET-slack-webhook-url",
                "SECRET-private-key-rsa", "SECRET-postgres-url-password");
        // the key was COPY'd in one layer and deleted in the next: still shipped, and said so
        assertThat(keyFinding.get("path").asText()).endsWith("opt/key.pem");
        assertThat(keyFinding.get("deletedInLaterLayer").asBoolean()).isTrue();
        assertThat(keyFinding.get("layer").asText()).isEqualTo(diffIds.get(diffIds.size() - 3));
        assertThat(confFinding.get("path").asText()).endsWith("etc/app/app.conf");
        assertThat(confFinding.get("deletedInLaterLayer").asBoolean(false)).isFalse();
        assertThat(confFinding.get("layer").asText()).isEqualTo(diffIds.get(diffIds.size() - 1));
        // the env and the build argument are config-level findings under CIS 4.10
        assertThat(r.json().get("findings").toString()).contains("\"cis\":\"4.10\"");

        Cli.Result table = Cli.run("inspect", "docker-daemon:" + name, "--docker-host", ItEnv.dockerHost());
        assertThat(table.out()).contains("SECRET-private-key-rsa").doesNotContain(githubToken).doesNotContain(awsKeyId);
        TestImages.docker().run("rmi", name);
    }

    @Test
    void hardenedImageAndStockDebianHaveNoSecrets() throws Exception {
        Path ctx = TestImages.tempDir("secrets-clean");
        Files.writeString(ctx.resolve("app.sh"), "#!/bin/sh\nexec sleep 3600\n");
        Files.writeString(ctx.resolve("Dockerfile"), String.join("\n",
                "FROM " + TestImages.base(),
                "RUN addgroup -g 10001 -S app && adduser -u 10001 -S -D -H -G app app",
                "COPY app.sh /app/app.sh",
                "ENV APP_MODE=production LOG_LEVEL=info",
                "USER 10001",
                "HEALTHCHECK CMD [\"/bin/true\"]",
                ""));
        String name = "da-dmn/secrets-clean:" + TestImages.RUN;
        TestImages.build(ctx, name);
        Cli.Result clean = Cli.run("inspect", "docker-daemon:" + name, "--docker-host", ItEnv.dockerHost(), "--format", "json");
        assertThat(clean.exitCode()).as(clean.toString()).isZero();
        assertThat(secretIds(clean.json())).isEmpty();
        TestImages.docker().run("rmi", name);

        Path bookworm = Debootstrap.root("bookworm", ItEnv.run());
        Cli.Result debian = Cli.run("image", "rootfs:" + bookworm, "--scanners", "secret", "--format", "json");
        assertThat(debian.exitCode()).as(debian.toString()).isZero();
        assertThat(secretIds(debian.json())).as("a stock distro root has no secrets").isEmpty();
    }

    private static List<String> secretIds(JsonNode report) {
        List<String> ids = new ArrayList<>();
        report.get("findings").forEach(f -> {
            if (f.get("category").asText().equals("secret")) {
                ids.add(f.get("id").asText() + " " + f.get("path").asText(""));
            }
        });
        return ids;
    }
}
