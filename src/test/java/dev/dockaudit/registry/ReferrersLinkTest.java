package dev.dockaudit.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockaudit.image.DockerName;
import dev.dockaudit.util.UserError;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The Link header of referrers pages (RFC 8288), as the OCI distribution spec uses it for pagination. */
class ReferrersLinkTest {
    static final URI BASE = URI.create("https://registry.example/");
    static final DockerName NAME = DockerName.parse("registry.example/team/app:1");

    @Test
    void theNextPageIsAPathOnTheSameHost() {
        assertThat(RegistryClient.nextLink("</v2/team/app/referrers/sha256:aa?n=2&last=xyz>; rel=\"next\"", BASE, NAME))
                .isEqualTo("/v2/team/app/referrers/sha256:aa?n=2&last=xyz");
        assertThat(RegistryClient.nextLink("<https://registry.example/v2/team/app/referrers/sha256:aa?page=2>; rel=next", BASE, NAME))
                .isEqualTo("/v2/team/app/referrers/sha256:aa?page=2");
        assertThat(RegistryClient.nextLink("</prev>; rel=\"prev\", </v2/team/app/referrers/x?p=3>; rel=\"next\"", BASE, NAME))
                .isEqualTo("/v2/team/app/referrers/x?p=3");
        assertThat(RegistryClient.nextLink("</v2/team/app/referrers/x>; rel=\"prev\"", BASE, NAME)).isNull();
        assertThat(RegistryClient.nextLink("garbage", BASE, NAME)).isNull();
    }

    @Test
    void aNextPageOnAnotherHostIsRefused() {
        assertThatThrownBy(() -> RegistryClient.nextLink("<https://elsewhere.example/v2/x>; rel=\"next\"", BASE, NAME))
                .isInstanceOf(UserError.class).hasMessageContaining("another host (elsewhere.example)");
        assertThatThrownBy(() -> RegistryClient.nextLink("<http://[bad>; rel=\"next\"", BASE, NAME))
                .isInstanceOf(UserError.class).hasMessageContaining("not a URL");
    }
}
