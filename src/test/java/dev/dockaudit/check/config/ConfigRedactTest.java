package dev.dockaudit.check.config;

import dev.dockaudit.util.Redact;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Evidence never carries a secret in full. */
class ConfigRedactTest {

    @Test
    void masksSecretLookingValues() {
        String t = Redact.text("curl -u admin:hunter2hunter2 https://bob:s3cretpass@example.com/x -H 'Authorization: Bearer"
                + " eyJhbGciOiJIUzI1NiJ9.e30.abc' --password=topsecretvalue && DB_PASSWORD=\"correcthorse\" VERSION=1.2");
        assertThat(t).doesNotContain("hunter2hunter2").doesNotContain("s3cretpass").doesNotContain("eyJhbGciOiJIUzI1NiJ9.e30.abc")
                .doesNotContain("topsecretvalue").doesNotContain("correcthorse")
                .contains("admin:").contains("bob:").contains("VERSION=1.2").contains("DB_PASSWORD=\"");
        assertThat(Redact.mask("npm_abcdefghijklmnop")).isEqualTo("npm_************ (20 chars)");
        assertThat(Redact.mask("ab")).isEqualTo("** (2 chars)");
        // references to variables are not secrets
        assertThat(Redact.text("TOKEN=$NPM_TOKEN")).isEqualTo("TOKEN=$NPM_TOKEN");
    }

    @Test
    void secretNames() {
        assertThat(Redact.strictSecretName("NPM_TOKEN")).isTrue();
        assertThat(Redact.strictSecretName("DB_PASSWORD")).isTrue();
        assertThat(Redact.strictSecretName("AWS_SECRET_ACCESS_KEY")).isTrue();
        assertThat(Redact.strictSecretName("API_KEY")).isTrue();
        assertThat(Redact.strictSecretName("GPG_KEY")).isFalse();
        assertThat(Redact.strictSecretName("VERSION")).isFalse();
        assertThat(Redact.strictSecretName("AUTHOR")).isFalse();
        assertThat(Redact.strictSecretName("TOKEN_FILE")).isFalse();
        assertThat(Redact.strictSecretName("PASSENGER_VERSION")).isFalse();
    }

    @Test
    void evidenceIsOneBoundedLine() {
        String e = Redact.evidence("a\nb\tc\u001b[31m" + "x".repeat(1000), 50);
        assertThat(e).doesNotContain("\n").doesNotContain("\u001b").hasSize(51).endsWith("…");
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void hostileCreatedByStaysFast() {
        // created_by is the image author's text: unclosed quotes, endless assignments, nested substitutions
        String[] hostile = {"A=\"".repeat(200_000), "TOKEN=x".repeat(300_000), "$(".repeat(300_000),
                "|9 " + "K=v ".repeat(200_000), "/a".repeat(500_000) + " -c x", "curl x | ".repeat(100_000) + "sh",
                "https://u:".repeat(200_000) + "@", "sh -o x ".repeat(100_000)};
        for (String h : hostile) {
            Redact.evidence(h, 400);
            Redact.text(h);
            BuildInstruction.parse(h);
            BuildInstruction.parse("RUN " + h);
            ShellCommands.parse(h);
            BuildInstruction.parse("ADD [\"" + h + "\", \"/x\"] # buildkit").copySources();
            BuildInstruction.parse("ADD " + h + " /x # buildkit").copySources();
        }
    }
}
