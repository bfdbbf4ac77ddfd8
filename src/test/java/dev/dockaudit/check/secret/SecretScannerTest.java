package dev.dockaudit.check.secret;

import static dev.dockaudit.check.secret.Fakes.j;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.util.UserError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The scanner itself: masking, evidence, line numbers, overlaps, and the bad input the issue lists. */
class SecretScannerTest {
    private static final SecretScanner SCANNER = SecretScanner.builtIn();
    private final Fakes f = new Fakes("scanner");

    private String awsKeyId() {
        return j("AK", "IA", f.of(Fakes.UPPER + "234567", 16));
    }

    private String ghp() {
        return j("gh", "p_", f.alnum(36));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void maskKeepsAtMostFourCharactersAndTheLength() {
        String id = awsKeyId();
        assertThat(SecretScanner.mask(id)).isEqualTo(id.substring(0, 4) + "************ (20 chars)");
        assertThat(SecretScanner.mask("hunter2x")).isEqualTo("hu****** (8 chars)");
        assertThat(SecretScanner.mask("ab")).isEqualTo("** (2 chars)");
        assertThat(SecretScanner.mask("x".repeat(500))).isEqualTo("xxxx************ (500 chars)");
    }

    @Test
    void evidenceShowsContextWithTheSecretMaskedAndTheLineNumber() {
        String id = awsKeyId();
        String text = "# deploy settings\n\nexport AWS_ACCESS_KEY_ID=" + id + "   # prod account\n";
        List<SecretMatch> m = SCANNER.scanText(text, "env");
        assertThat(m).hasSize(1);
        assertThat(m.get(0).ruleId()).isEqualTo("aws-access-key-id");
        assertThat(m.get(0).line()).isEqualTo(3);
        assertThat(m.get(0).evidence()).isEqualTo("export AWS_ACCESS_KEY_ID=" + id.substring(0, 4) + "************ (20 chars)   # prod account");
        assertThat(m.get(0).length()).isEqualTo(20);
    }

    @Test
    void otherSecretsInTheContextAreMaskedToo() {
        String id = awsKeyId();
        String secret = f.of(Fakes.ALNUM + "/+", 40);
        String line = "AWS_ACCESS_KEY_ID=" + id + " aws_secret_access_key=" + secret + "\n";
        List<SecretMatch> m = SCANNER.scanText(line, "history");
        assertThat(m).extracting(SecretMatch::ruleId).containsExactly("aws-access-key-id", "aws-secret-access-key");
        for (SecretMatch x : m) {
            assertThat(x.evidence()).doesNotContain(id.substring(4, 10)).doesNotContain(secret.substring(4, 10));
        }
        assertThat(m.get(1).evidence()).contains("****");
    }

    @Test
    void aPrivateKeyIsReportedAtItsBeginLine() {
        String pem = f.pem("RSA PRIVATE" + " KEY", 1588, "\n");
        List<SecretMatch> m = SCANNER.scan(utf8("line one\nline two\n" + pem), "srv/app/key.pem");
        assertThat(m).singleElement().satisfies(x -> {
            assertThat(x.ruleId()).isEqualTo("private-key-rsa");
            assertThat(x.line()).isEqualTo(3);
            assertThat(x.evidence()).startsWith("-----BEGIN RSA PRIVATE KEY----- ").contains(" chars)");
            assertThat(x.rule().severity().name()).isEqualTo("HIGH");
        });
    }

    @Test
    void aSpecificRuleWinsOverAGenericOneOnTheSameValue() {
        String key = j("sk", "_live_", f.alnum(24));
        List<SecretMatch> m = SCANNER.scanText("api_key = \"" + key + "\"", "app.py");
        assertThat(m).extracting(SecretMatch::ruleId).containsExactly("stripe-secret-key");
    }

    @Test
    void gcpServiceAccountJsonIsOneCriticalFindingNotAlsoAPrivateKey() {
        String key = f.pem("PRIVATE" + " KEY", 1624, "\\n");
        String json = "{\n  \"type\": \"service_account\",\n  \"project_id\": \"p\",\n  \"private_key\": \"" + key + "\"\n}\n";
        assertThat(SCANNER.scan(utf8(json), "srv/sa.json")).extracting(SecretMatch::ruleId).containsExactly("gcp-service-account-key");
    }

    @Test
    void filesWithoutKeywordsAreQuietAndPlaceholdersAreAllowed() {
        assertThat(SCANNER.scanText("nothing to see here\n".repeat(1000), "x")).isEmpty();
        assertThat(SCANNER.scanText("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
                + "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
                + "GITHUB_TOKEN=" + j("gh", "p_") + "x".repeat(36) + "\n"
                + "password = \"${DB_PASSWORD}\"\npassword: '{{ .Values.password }}'\n"
                + "DATABASE_URL=postgres://user:changeme@db/app\n", "docs")).isEmpty();
    }

    @Test
    void allowRulesSkipDocumentationTestFixturesAndCertificates() {
        byte[] content = utf8("GITHUB_TOKEN=" + ghp() + "\n");
        assertThat(SCANNER.scan(content, "srv/app/.env")).hasSize(1);
        for (String path : List.of("usr/share/doc/git/README", "usr/lib/python3/dist-packages/requests/tests/test_auth.py",
                "usr/lib/node_modules/npm/node_modules/tar/test/fixtures/x.js", "root/go/pkg/mod/x/testdata/creds.txt",
                "etc/ssl/certs/ca-certificates.crt", "usr/share/ca-certificates/mozilla/x.crt", "home/u/.ssh/id_rsa.pub",
                "var/lib/dpkg/status")) {
            assertThat(SCANNER.ruleSet().skipsPath(path)).as(path).isTrue();
            assertThat(SCANNER.scan(content, path)).as(path).isEmpty();
        }
        // the user's own tests directory is not a package's test suite
        assertThat(SCANNER.scan(content, "app/tests/settings.py")).hasSize(1);
    }

    @Test
    void binaryContentIsSkipped() {
        byte[] text = utf8("token " + ghp() + "\n");
        byte[] withNul = Arrays.copyOf(text, text.length + 10);
        assertThat(SCANNER.scan(withNul, "usr/bin/tool")).isEmpty();
        byte[] random = new byte[4096];
        new Random(1).nextBytes(random);
        random[0] = 1;
        byte[] mixed = join(random, text);
        for (int i = 0; i < mixed.length; i++) {
            if (mixed[i] == 0) {
                mixed[i] = 1;
            }
        }
        assertThat(SecretScanner.looksBinary(mixed, mixed.length)).isTrue();
        assertThat(SCANNER.scan(mixed, "blob")).isEmpty();
        assertThat(SCANNER.scanText("token " + ghp(), "env")).hasSize(1);
    }

    @Test
    void invalidUtf8TextIsStillScannedAndEvidenceStaysPrintable() {
        // Latin-1 text (as old documentation and configs are) is text with a few invalid UTF-8 bytes
        byte[] latin1 = ("# Configuration de l'application - r\u00e9glages g\u00e9n\u00e9raux\n"
                + "cl\u00e9_api_github = " + ghp() + " # \u00e0 changer\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(SecretScanner.looksBinary(latin1, latin1.length)).isFalse();
        List<SecretMatch> m = SCANNER.scan(latin1, "etc/app.conf");
        assertThat(m).singleElement().satisfies(x -> {
            assertThat(x.ruleId()).isEqualTo("github-pat");
            assertThat(x.line()).isEqualTo(2);
            assertThat(x.evidence()).doesNotContainPattern("\\p{Cntrl}");
        });
        // a lone continuation byte right before the secret
        byte[] odd = join(new byte[] {'x', '=', (byte) 0x80, ' '}, utf8(ghp()));
        assertThat(SCANNER.scan(odd, "x")).hasSize(1);
    }

    @Test
    void filesOverTheSizeLimitAreSkipped() {
        SecretScanner small = new SecretScanner(SecretRuleSet.builtIn(), 1024);
        byte[] big = utf8("token " + ghp() + "\n" + "a".repeat(2000));
        assertThat(small.scan(big, "x")).isEmpty();
        assertThat(SCANNER.scan(big, "x")).hasSize(1);
    }

    @Test
    void aFiftyMegabyteOneLineMinifiedScriptScansInLinearTimeWithBoundedEvidence() {
        // minified JavaScript with the words the rules look for everywhere: every window and evidence is capped
        String unit = "var a=function(e,t){return e.password=t.password||null,e.token=t.token,e.secret=void 0,"
                + "e.apiKey=t.apiKey,fetch(\"https://api.acme-corp.com/v1?u=\"+e.user+\"@\"+t.host,{headers:{"
                + "Authorization:\"Bearer \"+e.token}})};";
        int copies = 50_000_000 / unit.length();
        StringBuilder b = new StringBuilder(unit.length() * copies + 200);
        for (int i = 0; i < copies; i++) {
            b.append(unit);
            if (i == copies / 2) {
                b.append("var k=\"").append(ghp()).append("\";");
            }
        }
        byte[] data = utf8(b.toString());
        assertThat(data.length).isGreaterThan(49_000_000);
        SecretScanner scanner = new SecretScanner(SecretRuleSet.builtIn(), 64 << 20);
        long t0 = System.nanoTime();
        List<SecretMatch> m = scanner.scan(data, "srv/www/static/app.min.js");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(m).extracting(SecretMatch::ruleId).containsExactly("github-pat");
        assertThat(m.get(0).line()).isEqualTo(1);
        assertThat(m.get(0).evidence().length()).isLessThan(SecretScanner.CONTEXT_BEFORE + SecretScanner.CONTEXT_AFTER + 40);
        // linear: tens of MB/s even cold on a shared CI core; a super-linear scan would take minutes
        assertThat(seconds).as("seconds for 50 MB").isLessThan(90);
    }

    @Test
    void aCatastrophicUserRegexRunsInLinearTime() {
        // (a+)+$ takes exponential time in a backtracking engine on "aaaa…!"; re2j takes linear time
        SecretRuleSet rules = SecretRuleSet.withUserConfig("""
                rules:
                  - id: evil
                    title: catastrophic backtracking test
                    severity: LOW
                    regex: '(a+)+$'
                  - id: evil-keyword
                    title: the same behind a keyword
                    severity: LOW
                    regex: '(?:x+x+)+y'
                    keywords: [xx]
                """, "test config");
        SecretScanner scanner = new SecretScanner(rules, 64 << 20);
        String small = "a".repeat(30) + "!";
        String big = "a".repeat(2_000_000) + "!";
        String xs = ("x".repeat(5000) + "\n").repeat(200);
        long t0 = System.nanoTime();
        scanner.scanText(small, "x");
        long tSmall = System.nanoTime() - t0;
        t0 = System.nanoTime();
        List<SecretMatch> m = scanner.scanText(big, "x");
        List<SecretMatch> m2 = scanner.scanText(xs, "x");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(m).isEmpty();
        assertThat(m2).isEmpty();
        // a backtracking engine needs ~2^30 steps for the 31-character input alone; re2j: microseconds
        assertThat(tSmall / 1e9).isLessThan(1.0);
        assertThat(seconds).as("seconds for 3 MB against catastrophic patterns").isLessThan(20);
        // and it still matches what it should, in linear time
        assertThat(scanner.scanText("aaaa", "x")).extracting(SecretMatch::ruleId).containsExactly("evil");
    }

    @Test
    void anInvalidUserRegexIsAUserErrorNamingTheRule() {
        assertThatThrownBy(() -> SecretRuleSet.withUserConfig("""
                rules:
                  - id: broken
                    title: t
                    severity: HIGH
                    regex: 'token=(abc'
                    keywords: [token]
                """, "cfg.yaml"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("cfg.yaml")
                .hasMessageContaining("rule 'broken'")
                .hasMessageContaining("not valid RE2 syntax");
        // valid for java.util.regex, rejected by re2j: a backreference and a lookahead
        assertThatThrownBy(() -> SecretRuleSet.withUserConfig("""
                rules:
                  - id: backref
                    title: t
                    severity: HIGH
                    regex: '(a)\\1'
                """, "cfg.yaml")).isInstanceOf(UserError.class).hasMessageContaining("rule 'backref'");
        assertThatThrownBy(() -> SecretRuleSet.withUserConfig("""
                rules:
                  - id: lookahead
                    title: t
                    severity: HIGH
                    regex: 'key(?=abc)'
                """, "cfg.yaml")).isInstanceOf(UserError.class).hasMessageContaining("rule 'lookahead'")
                .hasMessageContaining("lookaround");
    }

    private static byte[] join(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
