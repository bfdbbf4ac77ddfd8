package dev.dockaudit.check.secret;

import static dev.dockaudit.check.secret.Fakes.j;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.util.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's --secret-config file: add rules, disable built-in ones, add and disable allow rules, clear errors. */
class SecretConfigTest {
    private final Fakes f = new Fakes("config");

    private static SecretRuleSet config(String yaml) {
        return SecretRuleSet.withUserConfig(yaml, "secrets.yaml");
    }

    private static void rejected(String yaml, String... messageParts) {
        assertThatThrownBy(() -> config(yaml)).isInstanceOf(UserError.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).startsWith("secrets.yaml: ").doesNotContain("\n");
                    for (String p : messageParts) {
                        assertThat(e.getMessage()).contains(p);
                    }
                });
    }

    @Test
    void addsARuleWithKeywordsEntropyPathsAndAllowList(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secrets.yaml");
        Files.writeString(file, """
                rules:
                  - id: acme-token
                    category: Acme
                    title: Acme internal API token
                    severity: CRITICAL
                    regex: '\\b(acme_[a-z0-9]{32})\\b'
                    keywords: [acme_]
                    entropy: 3.0
                    paths: ['srv/**', '**/*.env']
                    allow: ['^acme_0+$']
                """);
        SecretScanner s = new SecretScanner(SecretRuleSet.withUserConfig(file), SecretScanner.DEFAULT_MAX_FILE_SIZE);
        String token = "acme_" + f.of(Fakes.LOWER + Fakes.DIGITS, 32);
        byte[] content = ("ACME=" + token + "\n").getBytes(StandardCharsets.UTF_8);
        assertThat(s.scan(content, "srv/app/config")).singleElement().satisfies(m -> {
            assertThat(m.ruleId()).isEqualTo("acme-token");
            assertThat(m.rule().severity().name()).isEqualTo("CRITICAL");
            assertThat(m.evidence()).doesNotContain(token.substring(0, 8));
        });
        assertThat(s.scan(content, "home/u/.env")).hasSize(1);
        assertThat(s.scan(content, "opt/other/config")).as("outside the rule's paths").isEmpty();
        assertThat(s.scan(("ACME=acme_" + "0".repeat(32)).getBytes(StandardCharsets.UTF_8), "srv/x")).as("allowed").isEmpty();
        // the built-in rules are still there
        assertThat(s.ruleSet().rule("github-pat")).isNotNull();
    }

    @Test
    void disablesBuiltInRulesAndAllowRulesAndAddsAllowRules() {
        String jwt = Fakes.base64Url("{\"alg\":\"HS256\"}") + "." + Fakes.base64Url("{\"sub\":\"" + f.alnum(16) + "\"}") + "." + f.urlsafe(43);
        String ghp = j("gh", "p_", f.alnum(36));
        SecretRuleSet rules = config("""
                disable-rules: [jwt]
                disable-allow-rules: [documentation-paths]
                allow-rules:
                  - id: ci-fixture
                    description: our CI's throwaway token
                    rules: [github-pat]
                    paths: ['srv/ci/**']
                """);
        SecretScanner s = new SecretScanner(rules, SecretScanner.DEFAULT_MAX_FILE_SIZE);
        assertThat(rules.rule("jwt")).isNull();
        assertThat(s.scanText("token " + jwt, "x")).isEmpty();
        byte[] content = ("T=" + ghp).getBytes(StandardCharsets.UTF_8);
        assertThat(s.scan(content, "usr/share/doc/app/README")).as("documentation no longer skipped").hasSize(1);
        assertThat(s.scan(content, "srv/ci/env")).as("allowed for that rule there").isEmpty();
        assertThat(s.scan(content, "srv/app/env")).hasSize(1);
        // the built-in set is untouched
        assertThat(SecretRuleSet.builtIn().rule("jwt")).isNotNull();
    }

    @Test
    void replacesABuiltInRuleOnlyWhenItIsDisabledFirst() {
        String rule = """
                rules:
                  - id: github-pat
                    title: GitHub PAT (stricter)
                    severity: LOW
                    regex: 'ghp_[A-Za-z0-9]{36}'
                    keywords: [ghp_]
                """;
        rejected(rule, "rule 'github-pat'", "built-in rule has this id", "disable-rules");
        SecretRuleSet replaced = config(rule + "disable-rules: [github-pat]\n");
        assertThat(replaced.rule("github-pat").severity().name()).isEqualTo("LOW");
    }

    @Test
    void mistakesAreUserErrorsThatNameTheRuleAndTheProblem() {
        rejected("rules:\n  - id: x\n    title: t\n    severity: HIGH\n    regex: 'a'\n    keyword: [a]\n",
                "rule 'x'", "unknown field 'keyword'", "keywords");
        rejected("rules:\n  - id: x\n    title: t\n    severity: SEVERE\n    regex: 'abc'\n", "rule 'x'", "'SEVERE' is not a severity");
        rejected("rules:\n  - id: x\n    title: t\n    severity: HIGH\n", "rule 'x'", "regex is missing");
        rejected("rules:\n  - id: x\n    title: t\n    severity: HIGH\n    regex: 'a*'\n", "rule 'x'", "matches the empty string");
        rejected("rules:\n  - id: x\n    title: t\n    severity: HIGH\n    regex: '[z-a]'\n", "rule 'x'", "not valid RE2 syntax");
        rejected("rules:\n  - id: x\n    title: t\n    severity: HIGH\n    regex: 'a{2000}'\n", "rule 'x'", "RE2");
        rejected("rules:\n  - id: x\n    title: t\n    severity: HIGH\n    regex: '(a)'\n    secret-group: 3\n", "rule 'x'", "secret-group 3");
        rejected("rules:\n  - id: x\n    title: t\n    severity: HIGH\n    regex: '(a)'\n    secret-group: s\n", "rule 'x'", "named group");
        rejected("rules:\n  - id: x\n    title: t\n    severity: HIGH\n    regex: 'ab'\n    entropy: 9\n", "rule 'x'", "entropy");
        rejected("rules:\n  - id: x\n    title: t\n    severity: HIGH\n    regex: 'ab'\n    keywords: [a]\n", "rule 'x'", "keyword 'a'");
        rejected("rules:\n  - id: x\n    title: t\n    severity: HIGH\n    regex: 'ab'\n    paths: ['a[b']\n", "rule 'x'", "unclosed");
        rejected("rules:\n  - id: Bad Id\n    title: t\n    severity: HIGH\n    regex: 'ab'\n", "rule 'Bad Id'", "lower-case");
        rejected("rules:\n  - id: x\n    title: t\n    severity: HIGH\n    regex: 'ab'\n  - id: x\n    title: t\n    severity: HIGH\n    regex: 'cd'\n",
                "rule 'x' is defined twice");
        rejected("disable-rules: [jwtt]\n", "'jwtt'", "not a built-in rule", "did you mean 'jwt'");
        rejected("allow-rules:\n  - id: a\n    description: nothing to match\n", "allow rule 'a'", "paths, secrets or lines");
        rejected("allow-rules:\n  - id: a\n    secrets: ['(']\n", "allow rule 'a'", "not valid RE2 syntax");
        rejected("rule:\n  - id: x\n", "unknown field 'rule'");
        rejected("- just a list\n", "expected a mapping");
        rejected("rules: {id: x\n", "not readable YAML");
        rejected("rules:\n  - id: x\n    title: t\n    severity: HIGH\n    regex: 'ab'\n    regex: 'cd'\n", "not readable YAML",
                "Duplicate field 'regex'");
    }

    @Test
    void aMissingFileSaysWhatToDo(@TempDir Path dir) {
        assertThatThrownBy(() -> SecretRuleSet.withUserConfig(dir.resolve("nope.yaml"))).isInstanceOf(UserError.class)
                .hasMessageContaining("nope.yaml").hasMessageContaining("--secret-config");
    }

    @Test
    void anEmptyFileChangesNothing() {
        assertThat(config("").rules()).hasSameSizeAs(SecretRuleSet.builtIn().rules());
        assertThat(config("# only a comment\n").rules()).hasSameSizeAs(SecretRuleSet.builtIn().rules());
    }
}
