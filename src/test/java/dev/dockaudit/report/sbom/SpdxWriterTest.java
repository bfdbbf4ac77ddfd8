package dev.dockaudit.report.sbom;

import static dev.dockaudit.report.sbom.SbomFixtures.ALPINE_MANIFEST;
import static dev.dockaudit.report.sbom.SbomFixtures.ALPINE_OS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.inventory.Inventory;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.report.Report;
import dev.dockaudit.report.ToolInfo;
import dev.dockaudit.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpdxWriterTest {
    private static final UUID NAMESPACE = UUID.fromString("6f1c0d5e-2b7a-4c1e-9d0f-3a8b5e7c9d21");
    private static final Instant NOW = Instant.parse("2026-11-26T15:55:42.987Z");
    private static final Pattern SPDX_ID = Pattern.compile("SPDXRef-[A-Za-z0-9.-]+");
    private static final Pattern LICENSE_REF = Pattern.compile("LicenseRef-[A-Za-z0-9.-]+");
    private final SpdxWriter writer = new SpdxWriter(NAMESPACE, NOW);

    private JsonNode written(Report report) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(report, out);
        return Json.parse(out.toByteArray(), "SPDX output");
    }

    @ParameterizedTest
    @ValueSource(strings = {SbomFixtures.DEBIAN, SbomFixtures.ALPINE_OCI, SbomFixtures.ALPINE_310})
    void realImagesValidateAgainstTheSpdx23Schema(String image) throws IOException {
        Report report = SbomFixtures.audit(image);
        JsonNode doc = written(report);
        SbomSchemas.assertValidSpdx(doc);
        assertWellFormed(doc);

        Inventory inv = report.inventory();
        assertThat(doc.get("packages")).hasSize(inv.packages().size() + 2);
        JsonNode imagePkg = doc.at("/packages/0");
        assertThat(imagePkg.get("primaryPackagePurpose").asText()).isEqualTo("CONTAINER");
        assertThat(imagePkg.get("versionInfo").asText()).isEqualTo(report.image().configDigest().toString());
        assertThat(doc.at("/packages/1").has("primaryPackagePurpose")).as("no value passes both 2.3 schemas").isFalse();
        assertThat(doc.at("/packages/1/comment").asText()).isEqualTo("operating system of the image");
        assertThat(doc.at("/packages/1/name").asText()).isEqualTo(inv.os().family());
        assertThat(doc.at("/packages/1/versionInfo").asText()).isEqualTo(inv.os().version());
        for (int i = 0; i < inv.packages().size(); i++) {
            Package p = inv.packages().get(i);
            JsonNode n = doc.get("packages").get(i + 2);
            assertThat(n.get("name").asText()).isEqualTo(p.name());
            assertThat(n.get("versionInfo").asText()).isEqualTo(p.version());
            assertThat(n.at("/externalRefs/0/referenceCategory").asText()).isEqualTo("PACKAGE-MANAGER");
            assertThat(n.at("/externalRefs/0/referenceType").asText()).isEqualTo("purl");
            assertThat(n.at("/externalRefs/0/referenceLocator").asText()).isEqualTo(p.purl());
            assertThat(n.get("sourceInfo").asText()).contains(p.layer()).contains(p.path());
            assertThat(n.get("comment").asText()).contains("layer diff_id " + p.layer());
            assertThat(n.get("downloadLocation").asText()).isEqualTo("NOASSERTION");
            assertThat(n.get("licenseConcluded").asText()).isEqualTo("NOASSERTION");
            assertThat(n.get("filesAnalyzed").asBoolean()).isFalse();
        }
    }

    @Test
    void debianLicencesBecomeExpressionsWithDefinedLicenseRefs() throws IOException {
        JsonNode doc = written(SbomFixtures.audit(SbomFixtures.DEBIAN));
        assertThat(doc.get("name").asText()).isEqualTo("realdata/debian12-slim-like:test");
        assertThat(pkg(doc, "zlib1g").get("licenseDeclared").asText()).isEqualTo("Zlib");
        assertThat(pkg(doc, "zlib1g").get("versionInfo").asText()).isEqualTo("1:1.2.13.dfsg-1");
        assertThat(pkg(doc, "zlib1g").get("comment").asText()).contains("source package zlib 1:1.2.13.dfsg-1");
        // LGPL-2.1 is a deprecated id for LGPL-2.1-only; GPL-2 is a Debian short name, not an SPDX id.
        assertThat(pkg(doc, "libc6").get("licenseDeclared").asText()).isEqualTo("LGPL-2.1-only AND LicenseRef-GPL-2");
        assertThat(pkg(doc, "base-files").get("licenseDeclared").asText()).isEqualTo("LicenseRef-GPL");
        assertThat(pkg(doc, "tzdata").get("licenseDeclared").asText()).isEqualTo("NOASSERTION");
        List<String> defined = new ArrayList<>();
        doc.get("hasExtractedLicensingInfos").forEach(e -> defined.add(e.get("licenseId").asText()));
        assertThat(defined).containsExactly("LicenseRef-GPL", "LicenseRef-GPL-2");
        assertThat(doc.at("/hasExtractedLicensingInfos/1/extractedText").asText()).isEqualTo("GPL-2");
        assertThat(pkg(doc, "libssl3").get("sourceInfo").asText()).isEqualTo("found in /var/lib/dpkg/status in the layer"
                + " with diff_id sha256:7c8918ac5b1b487181e968d102110ee814fc764aed697cd9b9cd0502aa61ae50");
    }

    @Test
    void alpine310FreeTextLicencesGetLicenseRefs() throws IOException {
        JsonNode doc = written(SbomFixtures.audit(SbomFixtures.ALPINE_310));
        assertThat(pkg(doc, "musl-utils").get("licenseDeclared").asText()).isEqualTo("LicenseRef-MIT-BSD-GPL2");
        assertThat(pkg(doc, "ca-certificates-cacert").get("licenseDeclared").asText())
                .isEqualTo("LicenseRef-MPL-2.0-GPL-2.0-or-later");
        assertThat(pkg(doc, "zlib").get("licenseDeclared").asText()).isEqualTo("Zlib");
        assertThat(pkg(doc, "busybox").get("licenseDeclared").asText()).isEqualTo("GPL-2.0-only");
        assertThat(pkg(doc, "libcrypto1.1").get("licenseDeclared").asText()).isEqualTo("OpenSSL");
    }

    @Test
    void oddNamesGetSafeDistinctIds() throws IOException {
        List<Package> packages = SbomFixtures.oddPackages();
        JsonNode doc = written(SbomFixtures.report(SbomFixtures.alpineImage(List.of("localhost:5000/alpine:3.18.9"),
                List.of("localhost:5000/alpine@" + ALPINE_MANIFEST)), new Inventory(ALPINE_OS, packages, List.of())));
        SbomSchemas.assertValidSpdx(doc);
        assertWellFormed(doc);
        assertThat(doc.get("packages")).hasSize(packages.size() + 2);

        assertThat(pkg(doc, "@types/node").get("SPDXID").asText()).startsWith("SPDXRef-Package-npm-types-node-");
        assertThat(pkg(doc, "libstdc++6").get("SPDXID").asText()).startsWith("SPDXRef-Package-deb-libstdc-6-");
        assertThat(pkg(doc, "libsigc++-2.0-0v5").get("SPDXID").asText())
                .startsWith("SPDXRef-Package-deb-libsigc-2.0-0v5-");
        assertThat(pkg(doc, "org.apache.logging.log4j:log4j-core").get("SPDXID").asText())
                .startsWith("SPDXRef-Package-maven-org.apache.logging.log4j-log4j-core-");
        // "@babel/core" and "babel-core" clean up alike; the hash keeps them apart.
        assertThat(pkg(doc, "@babel/core").get("SPDXID").asText()).startsWith("SPDXRef-Package-npm-babel-core-")
                .isNotEqualTo(pkg(doc, "babel-core").get("SPDXID").asText());
        assertThat(pkg(doc, "libstdc++6").get("licenseDeclared").asText())
                .isEqualTo("GPL-3.0-or-later WITH GCC-exception-3.1");
        assertThat(pkg(doc, "g++-12").get("licenseDeclared").asText()).isEqualTo("LicenseRef-GPL-3");
        assertThat(pkg(doc, "libsigc++-2.0-0v5").get("licenseDeclared").asText())
                .isEqualTo("LGPL-2.1-only AND LicenseRef-GPL-2");
        assertThat(pkg(doc, "serde").get("licenseDeclared").asText()).isEqualTo("MIT OR Apache-2.0");
        assertThat(pkg(doc, "github.com/docker/docker").get("licenseDeclared").asText()).isEqualTo("NOASSERTION");
        assertThat(pkg(doc, "github.com/docker/docker").get("versionInfo").asText()).isEqualTo("v24.0.7+incompatible");

        JsonNode image = doc.at("/packages/0");
        assertThat(image.get("name").asText()).isEqualTo("localhost:5000/alpine:3.18.9");
        assertThat(image.get("SPDXID").asText()).isEqualTo("SPDXRef-Image-localhost-5000-alpine-3.18.9");
        assertThat(image.at("/externalRefs/0/referenceLocator").asText())
                .startsWith("pkg:oci/alpine@sha256%3A68733d615d8078ca851a74ea4b6b863fcef1802ea08c2b5900e2f88abf6fc130?");
        assertThat(image.get("comment").asText()).contains("manifest digest " + ALPINE_MANIFEST)
                .contains("layer diff_ids " + SbomFixtures.ALPINE_DIFF_ID);
    }

    @Test
    void samePackageAtTwoPathsGetsTwoIds() {
        List<Package> lodash = SbomFixtures.oddPackages().stream().filter(p -> p.name().equals("lodash")).toList();
        assertThat(lodash).hasSize(2);
        assertThat(SpdxWriter.packageId(lodash.get(0))).isNotEqualTo(SpdxWriter.packageId(lodash.get(1)));
        // Stable across runs: the id is a function of the package.
        assertThat(SpdxWriter.packageId(lodash.get(0))).isEqualTo(SpdxWriter.packageId(lodash.get(0)));
    }

    @Test
    void emptyInventoryNoOsAndNoInventoryStillMakeValidDocuments() throws IOException {
        for (Inventory inv : new Inventory[] {new Inventory(null, List.of(), List.of()), null}) {
            JsonNode doc = written(SbomFixtures.report(SbomFixtures.alpineImage(List.of(), List.of()), inv));
            SbomSchemas.assertValidSpdx(doc);
            assertWellFormed(doc);
            assertThat(doc.get("packages")).hasSize(1);
            assertThat(doc.get("relationships")).hasSize(1);
            assertThat(doc.at("/relationships/0/relationshipType").asText()).isEqualTo("DESCRIBES");
            assertThat(doc.has("hasExtractedLicensingInfos")).isFalse();
        }
    }

    @Test
    void licenceRefsAreDistinctPerTextAndDefinedOnce() {
        SpdxWriter.LicenseRefs refs = new SpdxWriter.LicenseRefs();
        assertThat(SpdxWriter.licenseDeclared(List.of("GPL 2"), refs)).isEqualTo("LicenseRef-GPL-2");
        assertThat(SpdxWriter.licenseDeclared(List.of("GPL-2"), refs)).isEqualTo("LicenseRef-GPL-2-2");
        assertThat(SpdxWriter.licenseDeclared(List.of("GPL 2", "MIT"), refs)).isEqualTo("LicenseRef-GPL-2 AND MIT");
        assertThat(SpdxWriter.licenseDeclared(List.of("MIT OR Apache-2.0", "zlib"), refs))
                .isEqualTo("(MIT OR Apache-2.0) AND Zlib");
        assertThat(SpdxWriter.licenseDeclared(List.of("LicenseRef-Acme-EULA"), refs)).isEqualTo("LicenseRef-Acme-EULA");
        assertThat(SpdxWriter.licenseDeclared(List.of("DocumentRef-x:LicenseRef-y"), refs))
                .isEqualTo("LicenseRef-DocumentRef-x-LicenseRef-y");
        assertThat(SpdxWriter.licenseDeclared(List.of("NONE"), refs)).isEqualTo("NONE");
        assertThat(SpdxWriter.licenseDeclared(List.of("NOASSERTION", ""), refs)).isEqualTo("NOASSERTION");
        assertThat(SpdxWriter.licenseDeclared(List.of("!!!"), refs)).isEqualTo("LicenseRef-unknown");
        List<String> ids = new ArrayList<>();
        refs.toJson().forEach(n -> ids.add(n.get("licenseId").asText()));
        assertThat(ids).containsExactly("LicenseRef-Acme-EULA", "LicenseRef-DocumentRef-x-LicenseRef-y", "LicenseRef-GPL-2",
                "LicenseRef-GPL-2-2", "LicenseRef-unknown");
    }

    @Test
    void headerHasCreatorNamespaceAndUtcSeconds() throws IOException {
        JsonNode doc = written(SbomFixtures.report(SbomFixtures.alpineImage(List.of(), List.of()), null));
        assertThat(doc.get("spdxVersion").asText()).isEqualTo("SPDX-2.3");
        assertThat(doc.get("dataLicense").asText()).isEqualTo("CC0-1.0");
        assertThat(doc.get("SPDXID").asText()).isEqualTo("SPDXRef-DOCUMENT");
        assertThat(doc.at("/creationInfo/created").asText()).isEqualTo("2026-11-26T15:55:42Z");
        assertThat(doc.at("/creationInfo/creators/0").asText()).isEqualTo("Tool: dockaudit-" + ToolInfo.VERSION);
        assertThat(doc.at("/creationInfo/licenseListVersion").asText()).isEqualTo("3.24");
        assertThat(doc.get("documentNamespace").asText())
                .isEqualTo("https://dockaudit.dev/spdx/localhost-5000-alpine-3.18.9-" + NAMESPACE);

        Report r = SbomFixtures.report(SbomFixtures.alpineImage(List.of(), List.of()), null);
        SpdxWriter random = new SpdxWriter();
        assertThat(random.toJson(r).get("documentNamespace").asText())
                .isNotEqualTo(random.toJson(r).get("documentNamespace").asText());
    }

    /** The validator must catch what matters, or the tests above prove nothing. */
    @Test
    void theSchemaRejectsBrokenDocuments() throws IOException {
        JsonNode good = written(SbomFixtures.report(SbomFixtures.alpineImage(List.of(), List.of()),
                new Inventory(ALPINE_OS, SbomFixtures.oddPackages(), List.of())));
        SbomSchemas.assertValidSpdx(good);

        ObjectNode badId = good.deepCopy(); // the 2.3.1 schema's SPDXID pattern (the tools' 2.3 schema has none)
        ((ObjectNode) badId.at("/packages/3")).put("SPDXID", "SPDXRef-Package-deb-libstdc++6");
        assertThat(SbomSchemas.errors(SbomSchemas.SPDX_23, badId)).isNotEmpty();

        ObjectNode osPurpose = good.deepCopy(); // why the OS package has no primaryPackagePurpose
        ((ObjectNode) osPurpose.at("/packages/1")).put("primaryPackagePurpose", "OPERATING-SYSTEM");
        assertThat(SbomSchemas.errors(SbomSchemas.SPDX_23, osPurpose)).isEmpty();
        assertThat(SbomSchemas.errors(SbomSchemas.SPDX_23_TOOLS, osPurpose)).isNotEmpty();
        ((ObjectNode) osPurpose.at("/packages/1")).put("primaryPackagePurpose", "OPERATING_SYSTEM");
        assertThat(SbomSchemas.errors(SbomSchemas.SPDX_23, osPurpose)).isNotEmpty();
        assertThat(SbomSchemas.errors(SbomSchemas.SPDX_23_TOOLS, osPurpose)).isEmpty();

        ObjectNode noNamespace = good.deepCopy();
        noNamespace.remove("documentNamespace");
        assertThat(SbomSchemas.errors(SbomSchemas.SPDX_23, noNamespace)).isNotEmpty();
        assertThat(SbomSchemas.errors(SbomSchemas.SPDX_23_TOOLS, noNamespace)).isNotEmpty();

        ObjectNode badCreated = good.deepCopy();
        ((ObjectNode) badCreated.get("creationInfo")).put("created", "2026-11-26T15:55:42.987Z");
        assertThat(SbomSchemas.errors(SbomSchemas.SPDX_23, badCreated)).isNotEmpty();

        ObjectNode badRef = good.deepCopy();
        ((ObjectNode) badRef.at("/packages/2/externalRefs/0")).put("referenceCategory", "PACKAGE MANAGER");
        assertThat(SbomSchemas.errors(SbomSchemas.SPDX_23, badRef)).isNotEmpty();
        assertThat(SbomSchemas.errors(SbomSchemas.SPDX_23_TOOLS, badRef)).isNotEmpty();

        ObjectNode extra = good.deepCopy();
        ((ObjectNode) extra.at("/packages/2")).put("layer", "sha256:x");
        assertThat(SbomSchemas.errors(SbomSchemas.SPDX_23, extra)).isNotEmpty();
        assertThat(SbomSchemas.errors(SbomSchemas.SPDX_23_TOOLS, extra)).isNotEmpty();
    }

    /**
     * What the schema cannot check and SPDX requires: unique SPDXIDs, relationships and documentDescribes that name
     * elements of this document, the image CONTAINing every other package, every LicenseRef used defined once.
     */
    private static void assertWellFormed(JsonNode doc) {
        Set<String> ids = new HashSet<>();
        ids.add(doc.get("SPDXID").asText());
        for (JsonNode p : doc.get("packages")) {
            assertThat(SPDX_ID.matcher(p.get("SPDXID").asText()).matches()).as(p.get("SPDXID").asText()).isTrue();
            assertThat(ids.add(p.get("SPDXID").asText())).as("duplicate " + p.get("SPDXID")).isTrue();
        }
        String image = doc.at("/packages/0/SPDXID").asText();
        assertThat(doc.get("documentDescribes")).hasSize(1);
        assertThat(doc.at("/documentDescribes/0").asText()).isEqualTo(image);
        Set<String> contained = new HashSet<>();
        for (JsonNode r : doc.get("relationships")) {
            assertThat(ids).contains(r.get("spdxElementId").asText(), r.get("relatedSpdxElement").asText());
            if (r.get("relationshipType").asText().equals("CONTAINS")) {
                assertThat(r.get("spdxElementId").asText()).isEqualTo(image);
                assertThat(contained.add(r.get("relatedSpdxElement").asText())).isTrue();
            } else {
                assertThat(r.get("relationshipType").asText()).isEqualTo("DESCRIBES");
                assertThat(r.get("spdxElementId").asText()).isEqualTo("SPDXRef-DOCUMENT");
                assertThat(r.get("relatedSpdxElement").asText()).isEqualTo(image);
            }
        }
        assertThat(contained).hasSize(doc.get("packages").size() - 1);
        Set<String> defined = new HashSet<>();
        doc.path("hasExtractedLicensingInfos").forEach(e -> assertThat(defined.add(e.get("licenseId").asText())).isTrue());
        Set<String> used = new HashSet<>();
        for (JsonNode p : doc.get("packages")) {
            Matcher m = LICENSE_REF.matcher(p.get("licenseDeclared").asText());
            while (m.find()) {
                used.add(m.group());
            }
        }
        assertThat(defined).isEqualTo(used);
    }

    private static JsonNode pkg(JsonNode doc, String name) {
        for (JsonNode p : doc.get("packages")) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no package " + name);
    }
}
