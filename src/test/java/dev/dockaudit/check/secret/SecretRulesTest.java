package dev.dockaudit.check.secret;

import static dev.dockaudit.check.secret.Fakes.j;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every built-in rule finds a realistic fake sample of its credential (built at run time from random characters,
 * see {@link Fakes}) with masked evidence, and stays quiet on a near miss: a placeholder, a documentation value,
 * a truncated token, the right text in the wrong file.
 */
class SecretRulesTest {
    record Sample(String text, String secret) {
    }

    record Case(String rule, String path, Function<Fakes, Sample> sample, Function<Fakes, String> nearMiss) {
        @Override
        public String toString() {
            return rule;
        }
    }

    private static final SecretScanner SCANNER = SecretScanner.builtIn();
    private static final List<Case> CASES = new ArrayList<>();

    private static void c(String rule, Function<Fakes, Sample> sample, Function<Fakes, String> nearMiss) {
        CASES.add(new Case(rule, null, sample, nearMiss));
    }

    private static void inFile(String rule, String path, Function<Fakes, Sample> sample, Function<Fakes, String> nearMiss) {
        CASES.add(new Case(rule, path, sample, nearMiss));
    }

    /** A sample whose whole text is {@code before + secret + after}. */
    private static Sample s(String before, String secret, String after) {
        return new Sample(before + secret + after, secret);
    }

    private static String pemBody(Fakes f, String label, int n) {
        return f.pem(label, n, "\n");
    }

    private static Sample pemSample(Fakes f, String label, int n) {
        String pem = pemBody(f, label, n);
        String secret = pem.substring(pem.indexOf('\n') + 1, pem.indexOf("-----END"));
        return new Sample("key material:\n" + pem, secret);
    }

    private static final String PK = "PRIVATE" + " KEY";

    static {
        // ---- private keys
        c("private-key-rsa", f -> pemSample(f, "RSA " + PK, 1588),
                f -> "-----BEGIN RSA " + PK + "-----\n...\n-----END RSA " + PK + "-----");
        c("private-key-ec", f -> pemSample(f, "EC " + PK, 160),
                f -> "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----");
        c("private-key-dsa", f -> pemSample(f, "DSA " + PK, 880), f -> "the header -----BEGIN DSA " + PK + "----- starts it");
        c("private-key-pkcs8", f -> pemSample(f, PK, 1624), f -> f.pem("PUBLIC KEY", 392, "\n"));
        c("private-key-pkcs8-encrypted", f -> pemSample(f, "ENCRYPTED " + PK, 1700),
                f -> "-----BEGIN ENCRYPTED " + PK + "-----\n<your key here>\n-----END ENCRYPTED " + PK + "-----");
        c("private-key-openssh", f -> pemSample(f, "OPENSSH " + PK, 2600), f -> "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + f.b64(43) + " user@host");
        c("private-key-pgp", f -> {
            String body = f.b64(2400);
            StringBuilder b = new StringBuilder("-----BEGIN PGP PRIVATE KEY BLOCK-----\nComment: exported\n\n");
            for (int i = 0; i < body.length(); i += 64) {
                b.append(body, i, Math.min(body.length(), i + 64)).append('\n');
            }
            b.append("=").append(f.b64(4)).append("\n-----END PGP PRIVATE KEY BLOCK-----\n");
            return new Sample(b.toString(), body.substring(0, 64));
        }, f -> f.pem("PGP PUBLIC KEY BLOCK", 1200, "\n"));
        c("private-key-ssh2", f -> {
            String pem = f.pem("X", 1200, "\n");
            String body = pem.substring(pem.indexOf('\n') + 1, pem.indexOf("-----END"));
            return new Sample("---- BEGIN SSH2 ENCRYPTED " + PK + " ----\n" + body + "---- END SSH2 ENCRYPTED " + PK + " ----\n", body);
        }, f -> "---- BEGIN SSH2 PUBLIC KEY ----\n" + f.b64(64) + "\n---- END SSH2 PUBLIC KEY ----");
        c("private-key-putty", f -> {
            StringBuilder b = new StringBuilder("PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: deploy\nPublic-Lines: 2\n");
            b.append(f.b64(64)).append('\n').append(f.b64(40)).append('\n').append("Private-Lines: 3\n");
            String priv = f.b64(64) + "\n" + f.b64(64) + "\n" + f.b64(30) + "\n";
            b.append(priv).append("Private-MAC: ").append(f.hex(40)).append('\n');
            return new Sample(b.toString(), priv);
        }, f -> "PuTTY-User-Key-File-2: ssh-rsa\nPrivate-Lines: 14\n(redacted)\n");
        c("age-secret-key", f -> s("# key: ", j("AGE-SECRET-", "KEY-1", f.of("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)), ""),
                f -> "AGE-SECRET-KEY-1 is the prefix of an age identity");
        c("kubeconfig-client-key", f -> s("  user:\n    client-key-data: ", f.b64(1600) + "==", "\n"),
                f -> "    client-key-data: REDACTED");

        // ---- AWS
        c("aws-access-key-id", f -> s("export AWS_ACCESS_KEY_ID=", j("AK", "IA", f.of(Fakes.UPPER + "234567", 16)), ""),
                f -> "aws_access_key_id = AKIAIOSFODNN7EXAMPLE and Slovakia");
        c("aws-temporary-access-key-id", f -> s("id=", j("AS", "IA", f.of(Fakes.UPPER + "234567", 16)), ""),
                f -> "ASIAN_COUNTRIES_AND_MORE_OF_THEM");
        c("aws-secret-access-key", f -> s("aws_secret_access_key = ", f.of(Fakes.ALNUM + "/+", 40), ""),
                f -> "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        c("aws-session-token", f -> s("aws_session_token = ", f.b64(320), ""), f -> "aws_session_token = ${AWS_SESSION_TOKEN}");
        c("aws-mws-auth-token", f -> s("MWS_AUTH_TOKEN=", "amzn.mws." + f.uuid(), ""), f -> "amzn.mws.1234");

        // ---- Google
        c("gcp-service-account-key", f -> {
            String key = f.pem(PK, 1624, "\\n");
            return s("{\n  \"type\": \"service_account\",\n  \"project_id\": \"acme-prod\",\n  \"private_key_id\": \"" + f.hex(40)
                    + "\",\n  \"private_key\": \"", key, "\",\n  \"client_email\": \"svc@acme-prod.iam.gserviceaccount.com\"\n}\n");
        }, f -> "{\"type\": \"authorized_user\", \"client_id\": \"x\", \"refresh_token\": \"see docs\"}");
        c("gcp-api-key", f -> s("GOOGLE_MAPS_KEY=", j("AI", "za", f.urlsafe(35)), ""), f -> "AIzaSy...");
        c("gcp-oauth-client-secret", f -> s("\"client_secret\": \"", j("GOC", "SPX-", f.urlsafe(28)), "\""), f -> "GOCSPX-abc");
        c("gcp-oauth-access-token", f -> s("Bearer-less token ", j("ya", "29.", f.urlsafe(120)), ""), f -> "ya29.short");

        // ---- Azure
        c("azure-storage-account-key", f -> s("DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=", f.b64(86) + "==",
                ";EndpointSuffix=core.windows.net"), f -> "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=<key>;");
        c("azure-shared-access-key", f -> s("Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=",
                f.b64(43) + "=", ""), f -> "SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=;");
        c("azure-sas-token", f -> s("https://acme.blob.core.windows.net/c?sv=2021-06-08&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&spr=https&sig=",
                f.b64(43) + "%3D", ""), f -> "?sv=2021-06-08&ss=b&sig=<signature>");
        c("azure-ad-client-secret", f -> s("client_secret: \"", f.alnum(3) + "8Q~" + f.of(Fakes.ALNUM + "_~.-", 34), "\""),
                f -> "abcQ~ is not a secret");
        c("azure-devops-pat", f -> s("AZURE_DEVOPS_PAT=", f.of(Fakes.LOWER + "234567", 52), ""), f -> "AZURE_DEVOPS_PAT=$(System.AccessToken)");
        c("azure-sql-connection-password", f -> s("Server=tcp:acme.database.windows.net,1433;Initial Catalog=app;User ID=app;Password=",
                f.password(18), ";Encrypt=True;"), f -> "Server=tcp:acme.database.windows.net,1433;Password={your_password};");

        // ---- GitHub
        c("github-pat", f -> s("GITHUB_TOKEN=", j("gh", "p_", f.alnum(36)), ""), f -> "ghp_" + "tooShort123");
        c("github-fine-grained-pat", f -> s("token: ", j("github", "_pat_", f.alnum(22), "_", f.alnum(59)), ""), f -> "github_pat_ is the prefix");
        c("github-oauth-token", f -> s("oauth ", j("gh", "o_", f.alnum(36)), ""), f -> "gho_" + f.alnum(12));
        c("github-user-to-server-token", f -> s("", j("gh", "u_", f.alnum(36)), ""), f -> "ghu_" + "x".repeat(36));
        c("github-server-to-server-token", f -> s("x-access-token:", j("gh", "s_", f.alnum(36)), "@github.com"), f -> "ghs_" + f.alnum(20));
        c("github-refresh-token", f -> s("refresh=", j("gh", "r_", f.alnum(76)), ""), f -> "ghr_" + f.alnum(10));

        // ---- GitLab
        c("gitlab-pat", f -> s("PRIVATE-TOKEN: ", j("gl", "pat-", f.urlsafe(20)), ""), f -> "glpat-xxxxxxxxxxxxxxxxxxxx");
        c("gitlab-runner-token", f -> s("token = \"", j("gl", "rt-", f.urlsafe(20)), "\""), f -> "glrt-abc");
        c("gitlab-runner-registration-token", f -> s("--registration-token ", j("GR13", "48941", f.urlsafe(20)), ""), f -> "GR1348941");
        c("gitlab-deploy-token", f -> s("", j("gl", "dt-", f.urlsafe(20)), ""), f -> "gldt-abc");
        c("gitlab-pipeline-trigger-token", f -> s("TRIGGER=", j("gl", "ptt-", f.hex(40)), ""), f -> "glptt-" + f.hex(10));
        c("gitlab-oauth-app-secret", f -> s("", j("gl", "oas-", f.urlsafe(64)), ""), f -> "gloas-" + f.urlsafe(10));
        c("gitlab-ci-job-token", f -> s("", j("gl", "cbt-", f.alnum(3), "_", f.urlsafe(20)), ""), f -> "glcbt-x");
        c("gitlab-feed-token", f -> s("", j("gl", "ft-", f.urlsafe(20)), ""), f -> "glft-abc");
        c("gitlab-agent-token", f -> s("", j("gl", "agent-", f.urlsafe(50)), ""), f -> "glagent-abc");
        c("gitlab-scim-token", f -> s("", j("gl", "soat-", f.urlsafe(20)), ""), f -> "glsoat-abc");

        // ---- Slack
        c("slack-bot-token", f -> s("SLACK_BOT_TOKEN=", j("xo", "xb-", f.digits(12), "-", f.digits(13), "-", f.alnum(24)), ""),
                f -> "xoxb-not-a-token");
        c("slack-user-token", f -> s("", j("xo", "xp-", f.digits(12), "-", f.digits(12), "-", f.digits(13), "-", f.hex(32)), ""),
                f -> "xoxp-1234");
        c("slack-legacy-token", f -> s("", j("xo", "xs-", f.digits(10), "-", f.alnum(40)), ""), f -> "xoxs-xxxxxxxxxxxxxxxx");
        c("slack-app-token", f -> s("", j("xa", "pp-1-", "A", f.of(Fakes.UPPER + Fakes.DIGITS, 10), "-", f.digits(13), "-", f.hex(64)), ""),
                f -> "xapp-1-ABC");
        c("slack-config-token", f -> s("", j("xo", "xe.xoxp-1-", f.alnum(150)), ""), f -> "xoxe.xoxp-1-short");
        c("slack-webhook-url", f -> s(j("https://hooks.sl", "ack.com/services/"), j("T", f.of(Fakes.UPPER + Fakes.DIGITS, 8), "/B",
                f.of(Fakes.UPPER + Fakes.DIGITS, 8), "/", f.alnum(24)), ""),
                f -> "https://hooks.slack.com/services/T000/B000/XXXX");

        // ---- payments
        c("stripe-secret-key", f -> s("STRIPE_KEY=", j("sk", "_live_", f.alnum(24)), ""), f -> "sk_live_abc");
        c("stripe-restricted-key", f -> s("", j("rk", "_live_", f.alnum(24)), ""), f -> "rk_live_abc");
        c("stripe-test-key", f -> s("", j("sk", "_test_", f.alnum(24)), ""), f -> "sk_test_abc");
        c("stripe-webhook-secret", f -> s("", j("wh", "sec_", f.alnum(32)), ""), f -> "whsec_abc");
        c("square-access-token", f -> s("SQUARE_TOKEN=", j("EA", "AA", f.urlsafe(60)), ""), f -> "iVBORw0KGgoAAAANSUhEUgAAEAAA" + f.alnum(60));
        c("square-oauth-secret", f -> s("", j("sq0", "csp-", f.urlsafe(43)), ""), f -> "sq0csp-abc");
        c("braintree-access-token", f -> s("", j("access_token$", "production$", f.of(Fakes.LOWER + Fakes.DIGITS, 16), "$", f.hex(32)), ""),
                f -> "access_token$production$<id>$<secret>");
        c("paypal-client-secret", f -> s("PAYPAL_CLIENT_SECRET=", "E" + f.urlsafe(79), ""), f -> "PAYPAL_CLIENT_SECRET=");
        c("shopify-access-token", f -> s("", j("sh", "pat_", f.hex(32)), ""), f -> "shpat_" + f.hex(8));
        c("shopify-custom-app-token", f -> s("", j("sh", "pca_", f.hex(32)), ""), f -> "shpca_" + f.hex(8));
        c("shopify-private-app-token", f -> s("", j("sh", "ppa_", f.hex(32)), ""), f -> "shppa_" + f.hex(8));
        c("shopify-shared-secret", f -> s("", j("sh", "pss_", f.hex(32)), ""), f -> "shpss_" + f.hex(8));

        // ---- messaging
        c("twilio-api-key", f -> s("TWILIO_API_KEY=", "SK" + f.hex(32), ""), f -> "TWILIO_API_KEY=SKxyz");
        c("twilio-auth-token", f -> s("TWILIO_AUTH_TOKEN=", f.hex(32), ""), f -> "TWILIO_AUTH_TOKEN=your_auth_token");
        c("sendgrid-api-key", f -> s("", j("S", "G.", f.urlsafe(22), ".", f.urlsafe(43)), ""), f -> "msg.reply(msg.text)");
        c("mailgun-api-key", f -> s("MAILGUN_API_KEY=", "key-" + f.hex(32), ""), f -> "MAILGUN_API_KEY=key-...");
        c("mailchimp-api-key", f -> s("MAILCHIMP_KEY=", f.hex(32) + "-us14", ""), f -> "mailchimp list en-us");
        c("brevo-api-key", f -> s("", j("xkey", "sib-", f.hex(64), "-", f.alnum(16)), ""), f -> "xkeysib-abc");
        c("telegram-bot-token", f -> s("TELEGRAM_BOT_TOKEN=", f.digits(10) + ":AA" + f.urlsafe(33), ""), f -> "mac 00:aa:bb:cc:dd:ee");
        c("discord-bot-token", f -> s("DISCORD_TOKEN=", "M" + f.urlsafe(25) + "." + f.urlsafe(6) + "." + f.urlsafe(38), ""),
                f -> "discord bot token goes here");
        c("discord-webhook-url", f -> s("https://discord.com/api/webhooks/" + f.digits(18) + "/", f.urlsafe(68), ""),
                f -> "https://discord.com/api/webhooks/<id>/<token>");
        c("teams-webhook-url", f -> s("", "https://acme.webhook.office.com/webhookb2/" + f.uuid() + "@" + f.uuid() + "/IncomingWebhook/"
                + f.hex(32) + "/" + f.uuid(), ""), f -> "https://acme.webhook.office.com/webhookb2/<id>");

        // ---- registries
        c("npm-access-token", f -> s("//registry.npmjs.org/:_authToken=", j("np", "m_", f.alnum(36)), ""), f -> "npm_config_cache=/tmp/npm");
        c("npmrc-auth-token", f -> s("//npm.acme-corp.com/:_authToken=", f.uuid(), ""), f -> "//registry.npmjs.org/:_authToken=${NPM_TOKEN}");
        inFile("npmrc-auth-basic", "root/.npmrc", f -> s("_auth=", Fakes.base64("deploy:" + f.alnum(14)), "\n"), f -> "_auth=${NPM_AUTH}");
        c("pypi-upload-token", f -> s("password = ", j("pypi-AgEIc", "HlwaS5vcmc", f.urlsafe(80)), ""), f -> "pypi-AgEIcHlwaS5vcmc");
        c("pypi-test-upload-token", f -> s("", j("pypi-AgENdGVz", "dC5weXBpLm9yZw", f.urlsafe(80)), ""), f -> "pypi-AgENdGVzdC5weXBpLm9yZw");
        c("rubygems-api-key", f -> s("GEM_HOST_API_KEY: ", j("rubygems", "_", f.hex(48)), ""), f -> "rubygems_" + f.hex(8));
        inFile("docker-config-auth", "root/.docker/config.json", f -> s("{\"auths\": {\"registry.acme-corp.com\": {\"auth\": \"",
                Fakes.base64("ci:" + f.password(20)), "\"}}}\n"), f -> "{\"auths\": {\"r.acme.com\": {\"auth\": \"\"}}}");
        c("docker-config-json-secret", f -> s("  .dockerconfigjson: ", Fakes.base64("{\"auths\":{\"r.acme-corp.com\":{\"auth\":\""
                + Fakes.base64("ci:" + f.alnum(20)) + "\"}}}"), "\n"), f -> "  .dockerconfigjson: {{ .Values.pullSecret }}");
        c("docker-hub-pat", f -> s("", j("dckr", "_pat_", f.urlsafe(27)), ""), f -> "dckr_pat_abc");
        c("artifactory-api-key", f -> s("X-JFrog-Art-Api: ", j("AK", "Cp", f.alnum(69)), ""), f -> "AKCp");
        c("artifactory-reference-token", f -> s("", j("cmVmdGtu", "OjAxOj", f.alnum(54)), ""), f -> "cmVmdGtuOjAxOj");

        // ---- JWT
        c("jwt", f -> s("Authorization header value ", Fakes.base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "."
                + Fakes.base64Url("{\"sub\":\"" + f.alnum(12) + "\",\"iat\":1716239022,\"role\":\"admin\"}") + "." + f.urlsafe(43), ""),
                f -> Fakes.base64Url("{\"alg\":\"none\"}") + ".");

        // ---- databases
        c("postgres-url-password", f -> s("DATABASE_URL=postgres://app:", f.password(16), "@db.internal:5432/app"),
                f -> "postgres://user:password@localhost/db and postgres://localhost/db");
        c("mysql-url-password", f -> s("mysql+pymysql://app:", f.password(16), "@mysql.acme-corp.com/app"), f -> "mysql://root:${MYSQL_ROOT_PASSWORD}@db/app");
        c("mongodb-url-password", f -> s("mongodb+srv://svc:", f.password(16), "@cluster0.ab1cd.mongodb.net/app?retryWrites=true"),
                f -> "mongodb://<user>:<password>@host:27017");
        c("redis-url-password", f -> s("REDIS_URL=redis://:", f.password(16), "@cache.internal:6379/0"), f -> "redis://localhost:6379/0");
        c("amqp-url-password", f -> s("amqps://worker:", f.password(16), "@mq.acme-corp.com/vhost"), f -> "amqp://guest:guest@localhost:5672/");
        c("database-url-password", f -> s("sqlserver://sa:", f.password(16), "@mssql.internal:1433"), f -> "sqlserver://sa:{{ .Values.pw }}@db");
        c("jdbc-url-password", f -> s("url=jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=", f.password(16), ";encrypt=true"),
                f -> "jdbc:postgresql://db/app?user=app&password=${DB_PASSWORD}");
        c("url-basic-auth-password", f -> s("git clone https://deploy:", f.password(20), "@git.acme-corp.com/team/repo.git"),
                f -> "http_proxy=http://user:password@proxy.local:3128");
        inFile("git-credentials", "root/.git-credentials", f -> s("https://deploy:", f.password(14), "@git.acme-corp.com\n"),
                f -> "https://git.acme-corp.com\n");
        inFile("netrc-password", "root/.netrc", f -> s("machine api.acme-corp.com login deploy password ", f.password(16), "\n"),
                f -> "machine api.acme-corp.com login deploy\n");
        inFile("pgpass-password", "root/.pgpass", f -> s("db.internal:5432:app:app:", f.password(16), "\n"),
                f -> "# hostname:port:database:username:password\n");

        // ---- observability
        c("datadog-api-key", f -> s("DD_API_KEY=", f.hex(32), ""), f -> "DD_API_KEY=<your-datadog-api-key>");
        c("datadog-app-key", f -> s("DD_APP_KEY=", f.hex(40), ""), f -> "DD_APP_KEY=");
        c("new-relic-user-api-key", f -> s("", j("NR", "AK-", f.of(Fakes.UPPER + Fakes.DIGITS, 27)), ""), f -> "NRAK-XYZ");
        c("new-relic-license-key", f -> s("license_key: ", f.of(Fakes.LOWER + Fakes.DIGITS, 36) + "NRAL", ""),
                f -> "NEW_RELIC_LICENSE_KEY=your_license_key");
        c("new-relic-insert-key", f -> s("", j("NR", "II-", f.urlsafe(32)), ""), f -> "NRII-abc");
        c("new-relic-browser-key", f -> s("", j("NR", "JS-", f.hex(19)), ""), f -> "NRJS-abc");
        c("sentry-dsn-secret", f -> s("SENTRY_DSN=https://" + f.hex(32) + ":", f.hex(32), "@sentry.acme-corp.com/42"),
                f -> "SENTRY_DSN=https://public@sentry.example.com/1");
        c("sentry-dsn", f -> s("dsn: 'https://", f.hex(32), "@o451234.ingest.sentry.io/5512345'"), f -> "https://examplePublicKey@o0.ingest.sentry.io/0");
        c("sentry-auth-token", f -> s("SENTRY_AUTH_TOKEN=", j("sntr", "yu_", f.hex(64)), ""), f -> "sntryu_abc");
        c("grafana-service-account-token", f -> s("", j("gl", "sa_", f.alnum(32), "_", f.hex(8)), ""), f -> "glsa_abc");
        c("grafana-cloud-token", f -> s("", j("gl", "c_", f.b64(120)), ""), f -> "glc_short");
        c("grafana-api-key", f -> s("", j("eyJrIjoi", f.alnum(80)), ""), f -> "eyJrIjoi");
        c("dynatrace-api-token", f -> s("", j("dt0", "c01.", f.of(Fakes.UPPER + Fakes.DIGITS, 24), ".", f.of(Fakes.UPPER + Fakes.DIGITS, 64)), ""),
                f -> "dt0c01.ABC");

        // ---- infrastructure
        c("vault-service-token", f -> s("VAULT_TOKEN=", j("hv", "s.", f.urlsafe(95)), ""), f -> "VAULT_TOKEN=s.xxxxxxxxxxxxxxxxxxxxxxxx");
        c("vault-batch-token", f -> s("", j("hv", "b.", f.urlsafe(150)), ""), f -> "hvb.abc");
        c("terraform-cloud-token", f -> s("token = \"", f.alnum(14) + j(".atla", "sv1.") + f.urlsafe(67), "\""), f -> "x.atlasv1.y");
        c("pulumi-access-token", f -> s("PULUMI_ACCESS_TOKEN=", j("pu", "l-", f.hex(40)), ""), f -> "pul-abc");
        c("doppler-token", f -> s("DOPPLER_TOKEN=", j("dp.", "pt.", f.alnum(43)), ""), f -> "dp.pt.abc");
        c("digitalocean-pat", f -> s("", j("do", "p_v1_", f.hex(64)), ""), f -> "dop_v1_abc");
        c("digitalocean-oauth-token", f -> s("", j("do", "o_v1_", f.hex(64)), ""), f -> "doo_v1_abc");
        c("heroku-api-key", f -> s("HEROKU_API_KEY=", f.uuid(), ""), f -> "HEROKU_API_KEY=");
        c("databricks-token", f -> s("", j("da", "pi", f.hex(32)), ""), f -> "dapi" + f.hex(10));
        c("alibaba-access-key-id", f -> s("", j("LT", "AI", f.alnum(20)), ""), f -> "LTAI");
        c("cloudflare-api-token", f -> s("CLOUDFLARE_API_TOKEN=", f.urlsafe(40), ""), f -> "CLOUDFLARE_API_TOKEN=${CF_TOKEN}");
        c("okta-api-token", f -> s("Authorization: SSWS ", "00" + f.urlsafe(40), ""), f -> "OKTA_API_TOKEN=00abc");
        c("atlassian-api-token", f -> s("JIRA_API_TOKEN=", j("ATA", "TT3", f.urlsafe(186)), ""), f -> "JIRA_API_TOKEN=");
        c("linear-api-key", f -> s("", j("lin", "_api_", f.alnum(40)), ""), f -> "lin_api_abc");
        c("dropbox-access-token", f -> s("DROPBOX_TOKEN=", "sl." + f.urlsafe(140), ""), f -> "dropbox token: sl.abc");
        c("postman-api-key", f -> s("", j("PM", "AK-", f.hex(24), "-", f.hex(34)), ""), f -> "PMAK-abc");
        c("planetscale-token", f -> s("", j("pscale", "_pw_", f.urlsafe(43)), ""), f -> "pscale_pw_abc");
        c("sonarqube-token", f -> s("SONAR_TOKEN=", j("sq", "p_", f.hex(40)), ""), f -> "sqp_abc");
        c("snyk-token", f -> s("SNYK_TOKEN=", f.uuid(), ""), f -> "SNYK_TOKEN=");
        c("buildkite-agent-token", f -> s("", j("bk", "ua_", f.hex(40)), ""), f -> "bkua_abc");
        c("mapbox-secret-token", f -> s("", j("sk.eyJ1", "Ijoi", f.urlsafe(40), ".", f.urlsafe(22)), ""), f -> "sk.eyJ1Ijoi");

        // ---- AI
        c("openai-api-key", f -> s("OPENAI_API_KEY=", j("sk-", "proj-", f.urlsafe(74), "T3Blbk", "FJ", f.urlsafe(74)), ""),
                f -> "OPENAI_API_KEY=sk-...");
        c("anthropic-api-key", f -> s("ANTHROPIC_API_KEY=", j("sk-ant-", "api03-", f.urlsafe(93), "AA"), ""), f -> "sk-ant-api03-...");
        c("anthropic-admin-key", f -> s("", j("sk-ant-", "admin01-", f.urlsafe(93), "AA"), ""), f -> "sk-ant-admin01-...");
        c("huggingface-token", f -> s("HF_TOKEN=", j("h", "f_", f.alnum(34)), ""), f -> "self.hf_config = None");
        c("huggingface-org-token", f -> s("", j("api", "_org_", f.alnum(34)), ""), f -> "api_org_abc");
        c("groq-api-key", f -> s("GROQ_API_KEY=", j("gs", "k_", f.alnum(52)), ""), f -> "gsk_abc");
        c("perplexity-api-key", f -> s("", j("pp", "lx-", f.alnum(48)), ""), f -> "pplx-abc");

        // ---- generic
        c("generic-password", f -> s("DB_PASSWORD = \"", f.password(16), "\""),
                f -> "password = getpass.getpass()\npassword: str\npassword = \"changeme\"\nself.password = password_hash");
        c("generic-secret", f -> s("client_secret: ", f.alnum(32), ""),
                f -> "secret_key = settings.SECRET_KEY\nsecret: the-secret-used-for-signing");
        c("generic-api-key", f -> s("api_key = \"", f.alnum(32), "\""), f -> "api_key = os.environ[\"API_KEY\"]\napi_key: your-api-key-here");
        c("basic-auth-header", f -> s("Authorization: Basic ", Fakes.base64("admin:" + f.password(14)), ""),
                f -> "Authorization: Basic <credentials>");
        c("bearer-auth-header", f -> s("-H 'Authorization: Bearer ", f.urlsafe(40), "'"), f -> "Authorization: Bearer $TOKEN");
    }

    static Stream<Case> cases() {
        return CASES.stream();
    }

    private static List<SecretMatch> scan(Case c, String text) {
        return c.path() == null ? SCANNER.scanText(text, "test")
                : SCANNER.scan(text.getBytes(StandardCharsets.UTF_8), c.path());
    }

    @Test
    void thereAreAtLeast80RulesAndEachHasACase() {
        Set<String> rules = SCANNER.ruleSet().rules().stream().map(SecretRule::id).collect(Collectors.toCollection(TreeSet::new));
        Set<String> tested = CASES.stream().map(Case::rule).collect(Collectors.toCollection(TreeSet::new));
        assertThat(rules).hasSizeGreaterThanOrEqualTo(80);
        assertThat(tested).containsExactlyInAnyOrderElementsOf(rules);
        assertThat(CASES).hasSize(tested.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ruleFindsItsSampleAndMasksIt(Case c) {
        Sample sample = c.sample().apply(new Fakes(c.rule()));
        List<SecretMatch> found = scan(c, sample.text());
        assertThat(found).extracting(SecretMatch::ruleId).as("rules that matched %s", sample.text()).contains(c.rule());
        SecretMatch m = found.stream().filter(x -> x.ruleId().equals(c.rule())).findFirst().orElseThrow();
        String secret = sample.secret();
        assertThat(m.evidence()).as("evidence").doesNotContain(secret)
                .doesNotContain(secret.substring(0, Math.min(secret.length(), 6)))
                .contains(" chars)");
        assertThat(m.line()).isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nearMissIsQuiet(Case c) {
        String text = c.nearMiss().apply(new Fakes(c.rule() + "-near"));
        assertThat(scan(c, text)).extracting(SecretMatch::ruleId).as("near miss %s", text).doesNotContain(c.rule());
    }
}
