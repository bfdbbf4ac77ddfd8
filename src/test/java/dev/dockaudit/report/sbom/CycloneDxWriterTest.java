package dev.dockaudit.report.sbom;

import static dev.dockaudit.report.sbom.SbomFixtures.ALPINE_CONFIG;
import static dev.dockaudit.report.sbom.SbomFixtures.ALPINE_DIFF_ID;
import static dev.dockaudit.report.sbom.SbomFixtures.ALPINE_MANIFEST;
import static dev.dockaudit.report.sbom.SbomFixtures.ALPINE_OS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.inventory.Inventory;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.report.Report;
import dev.dockaudit.report.ToolInfo;
import dev.dockaudit.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CycloneDxWriterTest {
    private static final UUID SERIAL = UUID.fromString("3e671687-395b-41f5-a30f-a58921a69b79");
    private static final Instant NOW = Instant.parse("2026-11-26T15:55:42.123456Z");
    private final CycloneDxWriter writer = new CycloneDxWriter(SERIAL, NOW);

    private JsonNode written(Report report) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(report, out);
        return Json.parse(out.toByteArray(), "CycloneDX output");
    }

    @ParameterizedTest
    @ValueSource(strings = {SbomFixtures.DEBIAN, SbomFixtures.ALPINE_OCI, SbomFixtures.ALPINE_310})
    void realImagesValidateAgainstTheCycloneDx16Schema(String image) throws IOException {
        Report report = SbomFixtures.audit(image);
        JsonNode bom = written(report);
        SbomSchemas.assertValid(SbomSchemas.CYCLONEDX_16, bom);

        Inventory inv = report.inventory();
        assertThat(inv.packages()).isNotEmpty();
        assertThat(bom.get("components")).hasSize(inv.packages().size() + 1);
        assertThat(bom.at("/components/0/type").asText()).isEqualTo("operating-system");
        assertThat(bom.at("/components/0/name").asText()).isEqualTo(inv.os().family());
        assertThat(bom.at("/components/0/version").asText()).isEqualTo(inv.os().version());
        assertThat(bom.at("/metadata/component/type").asText()).isEqualTo("container");
        assertThat(bom.at("/metadata/component/version").asText()).isEqualTo(report.image().configDigest().toString());
        // One graph node: the image, depending on every component, each ref resolving to a component.
        assertThat(bom.get("dependencies")).hasSize(1);
        assertThat(bom.at("/dependencies/0/ref").asText()).isEqualTo(bom.at("/metadata/component/bom-ref").asText());
        List<String> refs = new ArrayList<>();
        bom.get("components").forEach(c -> refs.add(c.get("bom-ref").asText()));
        List<String> dependsOn = new ArrayList<>();
        bom.at("/dependencies/0/dependsOn").forEach(d -> dependsOn.add(d.asText()));
        assertThat(dependsOn).containsExactlyElementsOf(refs).doesNotHaveDuplicates();
        // Every package carries the layer that last changed it and where it was found.
        for (int i = 0; i < inv.packages().size(); i++) {
            Package p = inv.packages().get(i);
            JsonNode c = bom.get("components").get(i + 1);
            assertThat(c.get("name").asText()).isEqualTo(p.name());
            assertThat(c.get("version").asText()).isEqualTo(p.version());
            assertThat(c.get("purl").asText()).isEqualTo(p.purl());
            assertThat(prop(c, CycloneDxWriter.P_LAYER)).isEqualTo(p.layer());
            assertThat(prop(c, CycloneDxWriter.P_PATH)).isEqualTo(p.path());
            assertThat(prop(c, CycloneDxWriter.P_TYPE)).isEqualTo(p.type().label);
        }
    }

    @Test
    void debianPackagesKeepEpochSourceLayerAndTheirLicences() throws IOException {
        JsonNode bom = written(SbomFixtures.audit(SbomFixtures.DEBIAN));
        assertThat(bom.at("/metadata/component/name").asText()).isEqualTo("realdata/debian12-slim-like:test");
        assertThat(bom.at("/metadata/component/version").asText())
                .isEqualTo("sha256:43842efdebd56c773aa40c6272043c3530f9853773200157c7586483f841a03c");
        assertThat(bom.at("/metadata/component").has("purl")).as("a docker save archive has no repo digest").isFalse();

        JsonNode zlib = component(bom, "zlib1g");
        assertThat(zlib.get("version").asText()).isEqualTo("1:1.2.13.dfsg-1");
        assertThat(zlib.get("purl").asText()).contains("epoch=1").contains("@1.2.13.dfsg-1");
        assertThat(prop(zlib, CycloneDxWriter.P_SRC_NAME)).isEqualTo("zlib");
        assertThat(prop(zlib, CycloneDxWriter.P_SRC_VERSION)).isEqualTo("1:1.2.13.dfsg-1");
        assertThat(zlib.at("/licenses/0/license/id").asText()).isEqualTo("Zlib");
        assertThat(zlib.at("/licenses/0/license/acknowledgement").asText()).isEqualTo("declared");

        // libc6's copyright names LGPL-2.1 (a deprecated SPDX id, written as its current LGPL-2.1-only) and GPL-2
        // (a Debian short name, not an SPDX id).
        JsonNode libc = component(bom, "libc6");
        assertThat(libc.at("/licenses/0/license/id").asText()).isEqualTo("LGPL-2.1-only");
        assertThat(libc.at("/licenses/1/license/name").asText()).isEqualTo("GPL-2");
        assertThat(prop(libc, CycloneDxWriter.P_SRC_NAME)).isEqualTo("glibc");
        assertThat(component(bom, "base-files").at("/licenses/0/license/name").asText()).isEqualTo("GPL");
        assertThat(component(bom, "tzdata").has("licenses")).isFalse();

        // Layer 1 rewrote the status file; only what it installed belongs to it.
        assertThat(prop(component(bom, "libssl3"), CycloneDxWriter.P_LAYER))
                .isEqualTo("sha256:7c8918ac5b1b487181e968d102110ee814fc764aed697cd9b9cd0502aa61ae50");
        assertThat(prop(component(bom, "netbase"), CycloneDxWriter.P_LAYER)).isEqualTo(SbomFixtures.DEBIAN_DIFF_ID);
    }

    @Test
    void alpineLicencesBecomeIdsExpressionsOrNames() throws IOException {
        JsonNode bom = written(SbomFixtures.audit(SbomFixtures.ALPINE_OCI));
        SbomSchemas.assertValid(SbomSchemas.CYCLONEDX_16, bom);
        assertThat(component(bom, "musl").at("/licenses/0/license/id").asText()).isEqualTo("MIT");
        assertThat(component(bom, "ca-certificates-bundle").at("/licenses/0/expression").asText())
                .isEqualTo("MPL-2.0 AND MIT");
        assertThat(component(bom, "musl-utils").at("/licenses/0/expression").asText())
                .isEqualTo("MIT AND BSD-2-Clause AND GPL-2.0-or-later");

        // Alpine 3.10 still wrote space-separated lists and lower-case ids.
        JsonNode old = written(SbomFixtures.audit(SbomFixtures.ALPINE_310));
        assertThat(component(old, "ca-certificates-cacert").at("/licenses/0/license/name").asText())
                .isEqualTo("MPL-2.0 GPL-2.0-or-later");
        assertThat(component(old, "musl-utils").at("/licenses/0/license/name").asText()).isEqualTo("MIT BSD GPL2+");
        assertThat(component(old, "zlib").at("/licenses/0/license/id").asText()).isEqualTo("Zlib");
        assertThat(component(old, "apk-tools").at("/licenses/0/license/name").asText()).isEqualTo("GPL2");
    }

    @Test
    void imageWithARepoDigestGetsAnOciPurl() throws IOException {
        Report report = SbomFixtures.report(SbomFixtures.alpineImage(List.of("localhost:5000/alpine:3.18.9"),
                List.of("localhost:5000/alpine@" + ALPINE_MANIFEST)), new Inventory(ALPINE_OS, List.of(), List.of()));
        JsonNode bom = written(report);
        SbomSchemas.assertValid(SbomSchemas.CYCLONEDX_16, bom);
        String hex = ALPINE_MANIFEST.substring("sha256:".length());
        // packageurl-java percent-encodes ':' and '/' in qualifier values (as Trivy's oci purls do); same value decoded.
        assertThat(bom.at("/metadata/component/purl").asText()).isEqualTo("pkg:oci/alpine@sha256%3A" + hex
                + "?arch=amd64&repository_url=localhost%3A5000%2Falpine&tag=3.18.9");
        assertThat(bom.at("/metadata/component/bom-ref").asText()).isEqualTo(bom.at("/metadata/component/purl").asText());
        assertThat(bom.at("/metadata/component/name").asText()).isEqualTo("localhost:5000/alpine:3.18.9");
        assertThat(bom.at("/metadata/component/version").asText()).isEqualTo(ALPINE_CONFIG);
        assertThat(prop(bom.at("/metadata/component"), "dockaudit:image:manifestDigest")).isEqualTo(ALPINE_MANIFEST);
        assertThat(prop(bom.at("/metadata/component"), "dockaudit:image:layer:0:diffId")).isEqualTo(ALPINE_DIFF_ID);

        // Docker Hub's short names expand the way docker expands them.
        Report hub = SbomFixtures.report(SbomFixtures.alpineImage(List.of("alpine:3.18.9"),
                List.of("alpine@" + ALPINE_MANIFEST)), null);
        assertThat(written(hub).at("/metadata/component/purl").asText()).isEqualTo("pkg:oci/alpine@sha256%3A" + hex
                + "?arch=amd64&repository_url=docker.io%2Flibrary%2Falpine&tag=3.18.9");
    }

    @Test
    void oddNamesValidateAndGetUniqueRefs() throws IOException {
        List<Package> packages = SbomFixtures.oddPackages();
        JsonNode bom = written(SbomFixtures.report(SbomFixtures.alpineImage(List.of(), List.of()),
                new Inventory(ALPINE_OS, packages, List.of())));
        SbomSchemas.assertValid(SbomSchemas.CYCLONEDX_16, bom);
        Set<String> refs = new HashSet<>();
        refs.add(bom.at("/metadata/component/bom-ref").asText());
        bom.get("components").forEach(c -> assertThat(refs.add(c.get("bom-ref").asText())).as(c.toString()).isTrue());
        assertThat(refs).hasSize(packages.size() + 2);

        JsonNode types = componentByPurl(bom, "pkg:npm/%40types/node@20.11.30");
        assertThat(types.get("group").asText()).isEqualTo("@types");
        assertThat(types.get("name").asText()).isEqualTo("node");
        JsonNode log4j = componentByPurl(bom, "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1");
        assertThat(log4j.get("group").asText()).isEqualTo("org.apache.logging.log4j");
        assertThat(log4j.get("name").asText()).isEqualTo("log4j-core");
        assertThat(component(bom, "libstdc++6").at("/licenses/0/expression").asText())
                .isEqualTo("GPL-3.0-or-later WITH GCC-exception-3.1");
        assertThat(component(bom, "g++-12").at("/licenses/0/license/name").asText()).isEqualTo("GPL-3+");
        assertThat(component(bom, "libssl3").get("version").asText()).isEqualTo("3.0.17-1~deb12u2");
        assertThat(component(bom, "serde").at("/licenses/0/expression").asText()).isEqualTo("MIT OR Apache-2.0");
        assertThat(component(bom, "github.com/docker/docker").has("licenses")).isFalse();
        // The same lodash at two paths: two components, the second ref made unique.
        List<String> lodash = new ArrayList<>();
        bom.get("components").forEach(c -> {
            if (c.get("name").asText().equals("lodash")) {
                lodash.add(c.get("bom-ref").asText());
            }
        });
        assertThat(lodash).containsExactly("pkg:npm/lodash@4.17.21", "pkg:npm/lodash@4.17.21#2");
    }

    @Test
    void emptyInventoryNoOsAndNoInventoryStillMakeValidBoms() throws IOException {
        for (Inventory inv : new Inventory[] {new Inventory(null, List.of(), List.of()), null}) {
            JsonNode bom = written(SbomFixtures.report(SbomFixtures.alpineImage(List.of(), List.of()), inv));
            SbomSchemas.assertValid(SbomSchemas.CYCLONEDX_16, bom);
            assertThat(bom.get("components")).isEmpty();
            assertThat(bom.at("/dependencies/0/dependsOn")).isEmpty();
            assertThat(bom.at("/metadata/component/name").asText()).isEqualTo("localhost:5000/alpine:3.18.9");
        }
        // An OS but no packages: the OS alone.
        JsonNode osOnly = written(SbomFixtures.report(SbomFixtures.alpineImage(List.of(), List.of()),
                new Inventory(ALPINE_OS, List.of(), List.of())));
        SbomSchemas.assertValid(SbomSchemas.CYCLONEDX_16, osOnly);
        assertThat(osOnly.get("components")).hasSize(1);
        assertThat(prop(osOnly.at("/components/0"), "dockaudit:os:eolDate")).isEqualTo("2025-05-09");
    }

    @Test
    void licencesThatAreNotSpdxIdsBecomeNames() {
        assertThat(CycloneDxWriter.licenses(List.of())).isNull();
        assertThat(CycloneDxWriter.licenses(List.of("NOASSERTION", " "))).isNull();
        assertThat(CycloneDxWriter.licenses(List.of("Apache-2.0", "mit", "MIT")).toString())
                .isEqualTo("[{\"license\":{\"id\":\"Apache-2.0\",\"acknowledgement\":\"declared\"}},"
                        + "{\"license\":{\"id\":\"MIT\",\"acknowledgement\":\"declared\"}}]");
        assertThat(CycloneDxWriter.licenses(List.of("GPL2+", "public-domain")).toString())
                .isEqualTo("[{\"license\":{\"name\":\"GPL2+\",\"acknowledgement\":\"declared\"}},"
                        + "{\"license\":{\"name\":\"public-domain\",\"acknowledgement\":\"declared\"}}]");
        // Valid expressions and ids together: one expression, as the schema allows only one.
        assertThat(CycloneDxWriter.licenses(List.of("MIT OR Apache-2.0", "BSD-3-Clause")).get(0).get("expression").asText())
                .isEqualTo("(MIT OR Apache-2.0) AND BSD-3-Clause");
        assertThat(CycloneDxWriter.licenses(List.of("LicenseRef-Proprietary")).get(0).get("expression").asText())
                .isEqualTo("LicenseRef-Proprietary");
        // An expression next to free text: everything verbatim as names.
        ArrayNode mixed = CycloneDxWriter.licenses(List.of("MIT OR Apache-2.0", "Artistic"));
        assertThat(mixed.get(0).at("/license/name").asText()).isEqualTo("MIT OR Apache-2.0");
        assertThat(mixed.get(1).at("/license/name").asText()).isEqualTo("Artistic");
    }

    @Test
    void headerHasFixedSerialTimestampAndTool() throws IOException {
        JsonNode bom = written(SbomFixtures.report(SbomFixtures.alpineImage(List.of(), List.of()), null));
        assertThat(bom.get("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(bom.get("specVersion").asText()).isEqualTo("1.6");
        assertThat(bom.get("version").asInt()).isEqualTo(1);
        assertThat(bom.get("serialNumber").asText()).isEqualTo("urn:uuid:" + SERIAL);
        assertThat(bom.at("/metadata/timestamp").asText()).isEqualTo("2026-11-26T15:55:42Z");
        assertThat(bom.at("/metadata/tools/components/0/name").asText()).isEqualTo(ToolInfo.NAME);
        assertThat(bom.at("/metadata/tools/components/0/version").asText()).isEqualTo(ToolInfo.VERSION);

        Report r = SbomFixtures.report(SbomFixtures.alpineImage(List.of(), List.of()), null);
        CycloneDxWriter random = new CycloneDxWriter();
        String a = random.toJson(r).get("serialNumber").asText();
        String b = random.toJson(r).get("serialNumber").asText();
        assertThat(a).isNotEqualTo(b).matches("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    @Test
    void writeLeavesTheStreamOpenAndEndsWithANewline() throws IOException {
        boolean[] closed = {false};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream out = new FilterOutputStream(bytes) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        writer.write(SbomFixtures.report(SbomFixtures.alpineImage(List.of(), List.of()), null), out);
        assertThat(closed[0]).isFalse();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).endsWith("}\n");
    }

    /** The validator must catch what matters, or the tests above prove nothing. */
    @Test
    void theSchemaRejectsBrokenBoms() throws IOException {
        JsonNode good = written(SbomFixtures.report(SbomFixtures.alpineImage(List.of(), List.of()),
                new Inventory(ALPINE_OS, SbomFixtures.oddPackages(), List.of())));
        SbomSchemas.assertValid(SbomSchemas.CYCLONEDX_16, good);

        ObjectNode badType = good.deepCopy();
        ((ObjectNode) badType.get("components").get(1)).put("type", "lib");
        assertThat(SbomSchemas.errors(SbomSchemas.CYCLONEDX_16, badType)).isNotEmpty();

        ObjectNode badId = good.deepCopy(); // free text is not an SPDX id (the enum in spdx.schema.json)
        ((ObjectNode) badId.at("/components/2/licenses/0")).putObject("license").put("id", "GPL-3+");
        assertThat(SbomSchemas.errors(SbomSchemas.CYCLONEDX_16, badId)).isNotEmpty();

        ObjectNode badSerial = good.deepCopy();
        badSerial.put("serialNumber", "3e671687-395b-41f5-a30f-a58921a69b79");
        assertThat(SbomSchemas.errors(SbomSchemas.CYCLONEDX_16, badSerial)).isNotEmpty();

        ObjectNode badTime = good.deepCopy(); // format assertions are on
        ((ObjectNode) badTime.get("metadata")).put("timestamp", "26/11/2026 15:55");
        assertThat(SbomSchemas.errors(SbomSchemas.CYCLONEDX_16, badTime)).isNotEmpty();
    }

    private static String prop(JsonNode component, String name) {
        for (JsonNode p : component.path("properties")) {
            if (p.get("name").asText().equals(name)) {
                return p.get("value").asText();
            }
        }
        return null;
    }

    private static JsonNode component(JsonNode bom, String name) {
        for (JsonNode c : bom.get("components")) {
            String full = c.has("group") ? c.get("group").asText() + "/" + c.get("name").asText() : c.get("name").asText();
            if (c.get("name").asText().equals(name) || full.equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no component " + name + " in " + bom.toPrettyString());
    }

    private static JsonNode componentByPurl(JsonNode bom, String purl) {
        for (JsonNode c : bom.get("components")) {
            if (purl.equals(c.path("purl").asText(null))) {
                return c;
            }
        }
        throw new AssertionError("no component with purl " + purl);
    }
}
