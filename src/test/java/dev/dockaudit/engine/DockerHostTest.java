package dev.dockaudit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.util.UserError;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** DOCKER_HOST as the docker CLI spells it, and the TLS switches that go with it. */
class DockerHostTest {
    private static final Path CERTS = Path.of("/certs");

    @Test
    void unixSocketUrl() {
        DockerHost h = DockerHost.parse("unix:///var/run/docker.sock", true, true, CERTS);
        assertThat(h.isUnix()).isTrue();
        assertThat(h.socket()).isEqualTo(Path.of("/var/run/docker.sock"));
        // TLS settings from the environment do not apply to a unix socket
        assertThat(h.tls()).isFalse();
        assertThat(h.spec()).isEqualTo("unix:///var/run/docker.sock");
    }

    @Test
    void bareSocketPathIsAUnixSocket() {
        DockerHost h = DockerHost.parse("/run/user/1000/podman/podman.sock", false, false, CERTS);
        assertThat(h.isUnix()).isTrue();
        assertThat(h.socket()).isEqualTo(Path.of("/run/user/1000/podman/podman.sock"));
        assertThat(h.spec()).isEqualTo("unix:///run/user/1000/podman/podman.sock");
    }

    @Test
    void tcpWithPort() {
        DockerHost h = DockerHost.parse("tcp://127.0.0.1:23760", false, false, CERTS);
        assertThat(h.isUnix()).isFalse();
        assertThat(h.host()).isEqualTo("127.0.0.1");
        assertThat(h.port()).isEqualTo(23760);
        assertThat(h.tls()).isFalse();
    }

    @Test
    void tcpWithTlsVerify() {
        DockerHost h = DockerHost.parse("tcp://docker.example.com:2376", true, true, CERTS);
        assertThat(h.host()).isEqualTo("docker.example.com");
        assertThat(h.tls()).isTrue();
        assertThat(h.verify()).isTrue();
        assertThat(h.certPath()).isEqualTo(CERTS);
    }

    @Test
    void defaultPortsFollowTheDockerCli() {
        assertThat(DockerHost.parse("tcp://docker.example.com", false, false, CERTS).port()).isEqualTo(2375);
        assertThat(DockerHost.parse("tcp://docker.example.com", true, false, CERTS).port()).isEqualTo(2376);
        assertThat(DockerHost.parse("tcp://docker.example.com", true, true, CERTS).port()).isEqualTo(2376);
    }

    @Test
    void httpsMeansTlsEvenWithoutTheEnvironment() {
        DockerHost h = DockerHost.parse("https://docker.example.com", false, false, CERTS);
        assertThat(h.tls()).isTrue();
        assertThat(h.verify()).isFalse();
        assertThat(h.port()).isEqualTo(2376);
        DockerHost plain = DockerHost.parse("http://docker.example.com:8080", false, false, CERTS);
        assertThat(plain.tls()).isFalse();
        assertThat(plain.port()).isEqualTo(8080);
    }

    @Test
    void ipv6LiteralResolves() {
        DockerHost h = DockerHost.parse("tcp://[::1]:2375", false, false, CERTS);
        assertThat(h.port()).isEqualTo(2375);
        assertThat(new InetSocketAddress(h.host(), h.port()).isUnresolved()).isFalse();
    }

    @Test
    void unixWithoutPathIsAUserError() {
        assertThatThrownBy(() -> DockerHost.parse("unix://", false, false, CERTS)).isInstanceOf(UserError.class)
                .hasMessageContaining("names no socket").hasMessageContaining("unix:///var/run/docker.sock");
    }

    @Test
    void tcpWithoutHostIsAUserError() {
        assertThatThrownBy(() -> DockerHost.parse("tcp://", false, false, CERTS)).isInstanceOf(UserError.class)
                .hasMessageContaining("tcp://HOST:PORT");
    }

    @Test
    void schemesDockauditDoesNotSpeakAreUserErrors() {
        for (String spec : new String[] {"ssh://me@build-host", "npipe:////./pipe/docker_engine", "fd://", "docker.sock"}) {
            assertThatThrownBy(() -> DockerHost.parse(spec, false, false, CERTS)).as(spec).isInstanceOf(UserError.class)
                    .hasMessageContaining("'" + spec + "'").hasMessageContaining("unix:///PATH or tcp://HOST:PORT");
        }
    }

    @Test
    void explicitHostBeatsTheEnvironment() {
        // whatever DOCKER_HOST this JVM has, --docker-host wins
        DockerHost h = DockerHost.resolve("unix:///tmp/da-dmn-explicit.sock");
        assertThat(h.socket()).isEqualTo(Path.of("/tmp/da-dmn-explicit.sock"));
    }
}
