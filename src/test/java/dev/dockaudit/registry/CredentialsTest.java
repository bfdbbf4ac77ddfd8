package dev.dockaudit.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
    @TempDir
    Path dir;

    private Credentials config(String json) throws IOException {
        Path f = dir.resolve("config.json");
        Files.writeString(f, json);
        return new Credentials(f);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keyNormalisation() {
        assertThat(Credentials.normalise("https://index.docker.io/v1/")).isEqualTo("docker.io");
        assertThat(Credentials.normalise("index.docker.io")).isEqualTo("docker.io");
        assertThat(Credentials.normalise("docker.io")).isEqualTo("docker.io");
        assertThat(Credentials.normalise("http://localhost:5000/v2/")).isEqualTo("localhost:5000");
        assertThat(Credentials.normalise("https://registry.example.com")).isEqualTo("registry.example.com");
        assertThat(Credentials.normalise("127.0.0.1:5001")).isEqualTo("127.0.0.1:5001");
    }

    @Test
    void dockerHubUsesTheLegacyKey() throws IOException {
        Credentials c = config("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("hubuser:hubpass") + "\"},"
                + "\"localhost:5000\":{\"auth\":\"" + b64("other:x") + "\"}}}");
        assertThat(Credentials.DOCKER_HUB_KEY).isEqualTo("https://index.docker.io/v1/");
        assertThat(c.lookup("docker.io")).isEqualTo(new Credentials.Login("hubuser", "hubpass", null));
    }

    @Test
    void dockerHubUnderAShortKey() throws IOException {
        Credentials c = config("{\"auths\":{\"index.docker.io\":{\"auth\":\"" + b64("u:p") + "\"}}}");
        assertThat(c.lookup("docker.io")).isEqualTo(new Credentials.Login("u", "p", null));
    }

    @Test
    void registryKeysWithSchemeAndPathMatchHostPort() throws IOException {
        Credentials c = config("{\"auths\":{\"https://127.0.0.1:5001/v2/\":{\"auth\":\"" + b64("testuser:testpass") + "\"}}}");
        assertThat(c.lookup("127.0.0.1:5001")).isEqualTo(new Credentials.Login("testuser", "testpass", null));
        assertThat(c.lookup("127.0.0.1:5002")).isNull();
        assertThat(c.lookup("docker.io")).isNull();
    }

    @Test
    void passwordsMayHoldColons() throws IOException {
        Credentials c = config("{\"auths\":{\"r.example\":{\"auth\":\"" + b64("user:pa:ss:word") + "\"}}}");
        assertThat(c.lookup("r.example")).isEqualTo(new Credentials.Login("user", "pa:ss:word", null));
    }

    @Test
    void usernameAndPasswordFieldsWithoutAuth() throws IOException {
        Credentials c = config("{\"auths\":{\"r.example\":{\"username\":\"u\",\"password\":\"p\"}}}");
        assertThat(c.lookup("r.example")).isEqualTo(new Credentials.Login("u", "p", null));
    }

    @Test
    void identityToken() throws IOException {
        Credentials c = config("{\"auths\":{\"r.example\":{\"auth\":\"" + b64("u:") + "\",\"identitytoken\":\"refresh-me\"}}}");
        assertThat(c.lookup("r.example")).isEqualTo(new Credentials.Login("u", null, "refresh-me"));
    }

    @Test
    void emptyEntryAsWrittenWithACredsStoreIsNoLogin() throws IOException {
        Credentials c = config("{\"auths\":{\"r.example\":{}}}");
        assertThat(c.lookup("r.example")).isNull();
    }

    @Test
    void missingOrEmptyConfigHasNoLogins() throws IOException {
        assertThat(new Credentials(dir.resolve("absent.json")).lookup("r.example")).isNull();
        assertThat(config("{}").lookup("r.example")).isNull();
    }

    @Test
    void brokenEntriesSayToLogInAgain() throws IOException {
        Credentials notBase64 = config("{\"auths\":{\"r.example\":{\"auth\":\"%%%\"}}}");
        assertThatThrownBy(() -> notBase64.lookup("r.example")).isInstanceOf(UserError.class)
                .hasMessageContaining("is not base64").hasMessageContaining("run docker login again");
        Credentials noColon = config("{\"auths\":{\"r.example\":{\"auth\":\"" + b64("justuser") + "\"}}}");
        assertThatThrownBy(() -> noColon.lookup("r.example")).isInstanceOf(UserError.class)
                .hasMessageContaining("not user:password").hasMessageContaining("run docker login again");
    }

    @Test
    void configThatIsNotJson() throws IOException {
        Credentials c = config("{ not json");
        assertThatThrownBy(() -> c.lookup("r.example")).isInstanceOf(UserError.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void namedHelperThatIsNotInstalled() throws IOException {
        Credentials c = config("{\"credHelpers\":{\"r.example\":\"da-test-absent\"},"
                + "\"auths\":{\"r.example\":{\"auth\":\"" + b64("u:p") + "\"}}}");
        assertThatThrownBy(() -> c.lookup("r.example")).isInstanceOf(UserError.class)
                .hasMessageContaining("docker-credential-da-test-absent is not on PATH")
                .hasMessageContaining("install it or remove it from the config");
        // a helper named for another registry is not run
        assertThat(c.lookup("other.example")).isNull();
    }

    @Test
    void credsStoreThatIsNotInstalled() throws IOException {
        Credentials c = config("{\"credsStore\":\"da-test-absent\"}");
        assertThatThrownBy(() -> c.lookup("docker.io")).isInstanceOf(UserError.class)
                .hasMessageContaining("docker-credential-da-test-absent");
    }
}
