package dev.dockaudit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DockerNameTest {
    private static final String HEX = "657d910b7392bc6320e0a3bd39f14ee72cc5608e41f3ab8d4797344e5a3d01f2";

    @ParameterizedTest
    @CsvSource({
            // input,                                full name,                                   familiar
            "nginx,                                  docker.io/library/nginx:latest,              nginx:latest",
            "nginx:1.25,                             docker.io/library/nginx:1.25,                nginx:1.25",
            "library/nginx,                          docker.io/library/nginx:latest,              nginx:latest",
            "docker.io/nginx,                        docker.io/library/nginx:latest,              nginx:latest",
            "index.docker.io/library/nginx:1,        docker.io/library/nginx:1,                   nginx:1",
            "registry-1.docker.io/bitnami/redis:7,   docker.io/bitnami/redis:7,                   bitnami/redis:7",
            "bitnami/redis,                          docker.io/bitnami/redis:latest,              bitnami/redis:latest",
            "localhost/app,                          localhost/app:latest,                        localhost/app:latest",
            "localhost:5000/team/app:v2,             localhost:5000/team/app:v2,                  localhost:5000/team/app:v2",
            "registry.example.com:8443/a/b/c:1.0-rc, registry.example.com:8443/a/b/c:1.0-rc,      registry.example.com:8443/a/b/c:1.0-rc",
            "ghcr.io/org/app,                        ghcr.io/org/app:latest,                      ghcr.io/org/app:latest",
            "quay.io/org/app_name__x.y-z:TAG_1,      quay.io/org/app_name__x.y-z:TAG_1,           quay.io/org/app_name__x.y-z:TAG_1",
            "[::1]:5000/app:1,                       [::1]:5000/app:1,                            [::1]:5000/app:1",
            "registry:5000,                          docker.io/library/registry:5000,             registry:5000",
            "Myhost/app,                             Myhost/app:latest,                           Myhost/app:latest",
    })
    void normalisesWithDockerHubRules(String input, String full, String familiar) {
        DockerName n = DockerName.parse(input);
        assertThat(n.toString()).isEqualTo(full);
        assertThat(n.familiar()).isEqualTo(familiar);
        assertThat(n.pinned()).isFalse();
        assertThat(n.reference()).isEqualTo(n.tag());
    }

    @Test
    void partsOfAFullName() {
        DockerName n = DockerName.parse("localhost:5000/team/app:v2");
        assertThat(n.registry()).isEqualTo("localhost:5000");
        assertThat(n.repository()).isEqualTo("team/app");
        assertThat(n.tag()).isEqualTo("v2");
        assertThat(n.digest()).isNull();
        assertThat(n.apiHost()).isEqualTo("localhost:5000");
        assertThat(n.repositoryWithRegistry()).isEqualTo("localhost:5000/team/app");
        assertThat(DockerName.parse("alpine").apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(DockerName.parse("alpine").repositoryWithRegistry()).isEqualTo("docker.io/library/alpine");
    }

    @Test
    void digests() {
        DockerName n = DockerName.parse("alpine@sha256:" + HEX);
        assertThat(n.tag()).isNull();
        assertThat(n.digest().toString()).isEqualTo("sha256:" + HEX);
        assertThat(n.pinned()).isTrue();
        assertThat(n.reference()).isEqualTo("sha256:" + HEX);
        assertThat(n.toString()).isEqualTo("docker.io/library/alpine@sha256:" + HEX);
        assertThat(n.familiar()).isEqualTo("alpine@sha256:" + HEX);

        DockerName both = DockerName.parse("localhost:5000/app:1.0@sha256:" + HEX);
        assertThat(both.tag()).isEqualTo("1.0");
        assertThat(both.reference()).isEqualTo("sha256:" + HEX); // a digest wins over a tag
        assertThat(both.toString()).isEqualTo("localhost:5000/app:1.0@sha256:" + HEX);

        DockerName pinned = DockerName.parse("alpine:3").withDigest(n.digest());
        assertThat(pinned.pinned()).isTrue();
        assertThat(pinned.familiar()).isEqualTo("alpine:3@sha256:" + HEX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NGINX", "nginx:", "nginx:-bad", "nginx:" + "t" + "a" + "gggggggggggggggggggggggggggggggggggggggggg"
            + "ggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg",
            "a//b", "-nginx", "nginx-", "app/", "/app", "host.com/", "registry.example.com/Team/app", "nginx@sha256:abc",
            "nginx@md5:" + "d41d8cd98f00b204e9800998ecf8427e", "nginx@", "bad host.com/app", "ex ample", "a..b",
            "host_name.com/app"})
    void invalidNamesAreRefusedWithTheInputInTheMessage(String bad) {
        assertThatThrownBy(() -> DockerName.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + bad + "'");
    }

    @Test
    void tagLengthLimitIs128() {
        assertThat(DockerName.parse("app:" + "t".repeat(128)).tag()).hasSize(128);
        assertThatThrownBy(() -> DockerName.parse("app:" + "t".repeat(129))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid tag");
    }
}
