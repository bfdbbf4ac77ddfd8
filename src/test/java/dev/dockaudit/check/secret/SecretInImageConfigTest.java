package dev.dockaudit.check.secret;

import static dev.dockaudit.check.secret.Fakes.j;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Secrets in env, labels, entrypoint, cmd and history (CIS 4.10), and the quiet cases around them. */
class SecretInImageConfigTest {
    private final Fakes f = new Fakes("config-secrets");
    private final ConfigSecrets checks = new ConfigSecrets(SecretScanner.builtIn());
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode history(ObjectNode config, String... createdBy) {
        ArrayNode h = config.putArray("history");
        for (String c : createdBy) {
            h.addObject().put("created", "2024-01-01T00:00:00Z").put("created_by", c);
        }
        return config;
    }

    @Test
    void findsSecretsInEveryPartOfTheConfigWithCis410AndMaskedEvidence() {
        String dbPassword = "S3" + f.password(12);
        String ghp = j("gh", "p_", f.alnum(36));
        String npm = j("np", "m_", f.alnum(36));
        String labelToken = f.alnum(32);
        String pgPassword = f.password(14);
        String deployPassword = "W1" + f.password(12);
        String oldSecret = "Z9" + f.password(14);
        ObjectNode config = JSON.createObjectNode();
        ObjectNode c = config.putObject("config");
        c.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .add("DB_PASSWORD=" + dbPassword)
                .add("POSTGRES_PASSWORD_FILE=/run/secrets/pg")
                .add("GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D")
                .add("GITHUB_TOKEN=" + ghp)
                .add("API_KEY=${API_KEY}")
                .add("PYTHON_SHA256=" + f.hex(64))
                .add("NPM_TOKEN=")
                .add("SECRET_KEY_BASE=changeme");
        c.putObject("Labels").put("maintainer", "ops@acme-corp.com").put("com.acme.deploy.token", labelToken)
                .put("org.opencontainers.image.source", "https://github.com/acme/app");
        c.putArray("Entrypoint").add("/app/run").add("--db").add("postgres://app:" + pgPassword + "@db.internal/app");
        c.putArray("Cmd").add("--verbose");
        history(config,
                "/bin/sh -c #(nop) ADD file:abc in / ",
                "/bin/sh -c #(nop)  ENV OLD_SECRET=" + oldSecret,
                "|2 NPM_TOKEN=" + npm + " BUILD_VERSION=1.2.3 /bin/sh -c npm ci",
                "RUN |1 DEPLOY_PASSWORD=" + deployPassword + " /bin/sh -c ./deploy.sh # buildkit",
                "/bin/sh -c #(nop)  ENV DB_PASSWORD=" + dbPassword,
                "ENV GITHUB_TOKEN=" + ghp,
                "/bin/sh -c apt-get update && apt-get install -y curl");

        List<Finding> found = checks.scan(config);
        assertThat(found).extracting(x -> x.id() + " | " + x.evidence()).containsExactlyInAnyOrder(
                "SECRET-sensitive-env | ENV DB_PASSWORD=" + SecretScanner.mask(dbPassword),
                "SECRET-github-pat | ENV GITHUB_TOKEN=" + ghp.substring(0, 4) + "************ (40 chars)",
                "SECRET-sensitive-label | LABEL com.acme.deploy.token=" + SecretScanner.mask(labelToken),
                "SECRET-postgres-url-password | Entrypoint /app/run --db postgres://app:" + SecretScanner.mask(pgPassword) + "@db.internal/app",
                "SECRET-sensitive-env | history step 2: ENV OLD_SECRET=" + SecretScanner.mask(oldSecret),
                "SECRET-npm-access-token | history step 3: |2 NPM_TOKEN=" + npm.substring(0, 4) + "************ (40 chars) BUILD_VERSION=1.2.3…",
                "SECRET-sensitive-build-arg | history step 4: DEPLOY_PASSWORD=" + SecretScanner.mask(deployPassword));
        assertThat(found).allSatisfy(x -> {
            assertThat(x.category()).isEqualTo(Category.SECRET);
            assertThat(x.cis()).isEqualTo("4.10");
            assertThat(x.layer()).isNull();
            assertThat(x.remediation()).contains("--mount=type=secret");
        });
        Finding arg = found.stream().filter(x -> x.id().equals(ConfigSecrets.SENSITIVE_BUILD_ARG)).findFirst().orElseThrow();
        assertThat(arg.description()).contains("docker history --no-trunc");
        assertThat(arg.severity().name()).isEqualTo("HIGH");
        for (Finding x : found) {
            for (String secret : List.of(dbPassword, ghp, npm, labelToken, pgPassword, deployPassword, oldSecret)) {
                assertThat(x.evidence() + x.description() + x.title()).doesNotContain(secret.substring(0, 8));
            }
        }
    }

    @Test
    void aCleanHardenedConfigIsQuiet() throws Exception {
        JsonNode config = JSON.readTree("""
                {"config": {"User": "app", "Env": ["PATH=/usr/bin", "LANG=C.UTF-8", "JAVA_HOME=/opt/java",
                  "GPG_KEYS=7169605F62C751356D054A26A821E680E5FA6305", "PASSWORD_MIN_LENGTH=12", "TOKEN_TTL=3600",
                  "DB_PASSWORD_FILE=/run/secrets/db", "AUTH_TOKEN=", "SESSION_SECRET=${SESSION_SECRET}"],
                  "Labels": {"org.opencontainers.image.title": "app", "com.acme.secret-store": "vault"},
                  "Entrypoint": ["/usr/bin/tini", "--"], "Cmd": ["java", "-jar", "/app/app.jar"],
                  "Healthcheck": {"Test": ["CMD", "curl", "-f", "http://localhost:8080/health"]}},
                 "history": [{"created_by": "/bin/sh -c #(nop) ADD file:0a1b2c in / "},
                             {"created_by": "|1 VERSION=1.2.3 /bin/sh -c apk add --no-cache curl"},
                             {"created_by": "/bin/sh -c #(nop)  ENV PASSWORD_MIN_LENGTH=12"},
                             {"created_by": "RUN /bin/sh -c useradd -r app # buildkit", "empty_layer": false}]}
                """);
        assertThat(checks.scan(config)).isEmpty();
    }

    @Test
    void missingFieldsAndFewerHistoryEntriesThanLayersAreFine() throws Exception {
        assertThat(checks.scan(JSON.readTree("{}"))).isEmpty();
        assertThat(checks.scan(JSON.readTree("{\"config\": null, \"history\": [{}]}"))).isEmpty();
        assertThat(checks.scan(JSON.readTree("{\"config\": {\"Env\": null, \"Labels\": null, \"Cmd\": \"sh\"}}"))).isEmpty();
        assertThat(checks.scan(null)).isEmpty();
    }

    @Test
    void sensitiveNamesAreAboutTheSecretNotAboutIt() {
        assertThat(ConfigSecrets.sensitiveName("DB_PASSWORD")).isTrue();
        assertThat(ConfigSecrets.sensitiveName("NPM_TOKEN")).isTrue();
        assertThat(ConfigSecrets.sensitiveName("AWS_SECRET_ACCESS_KEY")).isTrue();
        assertThat(ConfigSecrets.sensitiveName("STRIPE_API_KEY")).isTrue();
        assertThat(ConfigSecrets.sensitiveName("app.client-secret")).isTrue();
        assertThat(ConfigSecrets.sensitiveName("POSTGRES_PASSWORD_FILE")).isFalse();
        assertThat(ConfigSecrets.sensitiveName("GPG_KEY")).isFalse();
        assertThat(ConfigSecrets.sensitiveName("PUBLIC_KEY")).isFalse();
        assertThat(ConfigSecrets.sensitiveName("TOKEN_TTL")).isFalse();
        assertThat(ConfigSecrets.sensitiveName("KEYCLOAK_URL")).isFalse();
        assertThat(ConfigSecrets.sensitiveName("BYPASS_CACHE")).isFalse();
        assertThat(ConfigSecrets.buildArgs("|3 A=1 B=two C= /bin/sh -c make")).containsExactly(
                java.util.Map.entry("A", "1"), java.util.Map.entry("B", "two"), java.util.Map.entry("C", ""));
        assertThat(ConfigSecrets.buildArgs("/bin/sh -c make")).isEmpty();
    }
}
