package dev.dockaudit.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {

    @Test
    void dockerHubBearerChallenge() {
        List<AuthChallenge> cs = AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\","
                + "service=\"registry.docker.io\",scope=\"repository:library/nginx:pull\"");
        assertThat(cs).hasSize(1);
        AuthChallenge c = cs.get(0);
        assertThat(c.scheme()).isEqualTo("Bearer");
        assertThat(c.params()).containsExactly(Map.entry("realm", "https://auth.docker.io/token"),
                Map.entry("service", "registry.docker.io"), Map.entry("scope", "repository:library/nginx:pull"));
    }

    @Test
    void quotedCommasStayInTheValue() {
        AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://r.example/token?a=1,b=2\","
                + "scope=\"repository:team/app:pull,push\",service=\"r, the registry\"").get(0);
        assertThat(c.param("realm")).isEqualTo("https://r.example/token?a=1,b=2");
        assertThat(c.param("scope")).isEqualTo("repository:team/app:pull,push");
        assertThat(c.param("service")).isEqualTo("r, the registry");
    }

    @Test
    void severalChallengesInOneHeader() {
        List<AuthChallenge> cs = AuthChallenge.parse("Basic realm=\"htpasswd realm\", Bearer realm=\"https://t.example/token\","
                + " service=\"svc\", Negotiate");
        assertThat(cs).extracting(AuthChallenge::scheme).containsExactly("Basic", "Bearer", "Negotiate");
        assertThat(cs.get(0).param("realm")).isEqualTo("htpasswd realm");
        assertThat(cs.get(1).params()).containsExactly(Map.entry("realm", "https://t.example/token"), Map.entry("service", "svc"));
        assertThat(cs.get(2).params()).isEmpty();
    }

    @Test
    void challengesFromSeveralHeadersJoinedWithCommas() {
        // RegistryClient joins repeated WWW-Authenticate headers with ", "
        List<AuthChallenge> cs = AuthChallenge.parse(String.join(", ", "Basic realm=\"a\"", "Bearer realm=\"b\",service=\"c\""));
        assertThat(cs).extracting(AuthChallenge::scheme).containsExactly("Basic", "Bearer");
        assertThat(cs.get(1).param("service")).isEqualTo("c");
    }

    @Test
    void escapedQuotesAndBackslashes() {
        AuthChallenge c = AuthChallenge.parse("Basic realm=\"say \\\"hi\\\" to C:\\\\dir\"").get(0);
        assertThat(c.param("realm")).isEqualTo("say \"hi\" to C:\\dir");
    }

    @Test
    void parameterNamesAreCaseInsensitiveAndTokenValuesAllowed() {
        AuthChallenge c = AuthChallenge.parse("bearer Realm=\"https://x/token\", SERVICE=plain-token").get(0);
        assertThat(c.scheme()).isEqualTo("bearer");
        assertThat(c.param("realm")).isEqualTo("https://x/token");
        assertThat(c.param("Service")).isEqualTo("plain-token");
    }

    @Test
    void whitespaceAroundTheEqualsSign() {
        // RFC 9110 auth-param = token BWS "=" BWS ( token / quoted-string )
        AuthChallenge c = AuthChallenge.parse("Bearer realm = \"https://x/token\" , service= \"s\"").get(0);
        assertThat(c.scheme()).isEqualTo("Bearer");
        assertThat(c.params()).containsExactly(Map.entry("realm", "https://x/token"), Map.entry("service", "s"));
    }

    @Test
    void emptyElementsAndBrokenInputDoNotThrow() {
        assertThat(AuthChallenge.parse(null)).isEmpty();
        assertThat(AuthChallenge.parse("")).isEmpty();
        assertThat(AuthChallenge.parse(" , ,")).isEmpty();
        List<AuthChallenge> cs = AuthChallenge.parse("Basic realm=\"a\",, ,Bearer realm=\"b\",");
        assertThat(cs).extracting(AuthChallenge::scheme).containsExactly("Basic", "Bearer");
        // an unterminated quote ends the value at the end of the header
        assertThat(AuthChallenge.parse("Bearer realm=\"https://x/tok").get(0).param("realm")).isEqualTo("https://x/tok");
    }
}
