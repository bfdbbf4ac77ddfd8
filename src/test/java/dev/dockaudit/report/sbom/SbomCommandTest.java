package dev.dockaudit.report.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.testing.Cli;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code dockaudit sbom} end to end on the real images: schema-valid documents holding every package the inventory found. */
class SbomCommandTest {
    private static final String DEBIAN = "src/test/resources/realdata/images/debian12-slim-like-docker-archive.tar.gz";

    private static List<String> purls(JsonNode packagesReport) {
        List<String> out = new ArrayList<>();
        packagesReport.get("packages").forEach(p -> out.add(p.get("purl").asText()));
        return out;
    }

    @Test
    void cycloneDxIsTheDefaultAndValidates() {
        Cli.Result r = Cli.run("sbom", DEBIAN);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode bom = r.json();
        SbomSchemas.assertValid(SbomSchemas.CYCLONEDX_16, bom);
        List<String> purls = new ArrayList<>();
        bom.get("components").forEach(c -> {
            if (c.has("purl")) {
                purls.add(c.get("purl").asText());
            }
        });
        assertThat(purls).containsAll(purls(Cli.run("packages", DEBIAN, "--format", "json").json()));
        assertThat(bom.at("/metadata/component/type").asText()).isEqualTo("container");
    }

    @Test
    void spdxValidatesAgainstBothSchemas() {
        Cli.Result r = Cli.run("sbom", "--format", "spdx", Cli.project("examples/alpine-3.10.4-docker-archive.tar.gz").toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        SbomSchemas.assertValidSpdx(r.json());
        assertThat(r.json().get("packages")).hasSizeGreaterThanOrEqualTo(15); // the image, the OS and 14 apk packages
    }

    @Test
    void imageCommandWritesSbomsToo() {
        Cli.Result r = Cli.run("image", "--format", "cyclonedx", DEBIAN);
        assertThat(r.exitCode()).isZero();
        SbomSchemas.assertValid(SbomSchemas.CYCLONEDX_16, r.json());
    }

    @Test
    void tableIsNotAnSbomFormat() {
        Cli.Result r = Cli.run("sbom", "--format", "table", DEBIAN);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errorLine()).startsWith("dockaudit: error:").contains("cyclonedx or spdx");
    }
}
