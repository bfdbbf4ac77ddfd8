package dev.dockaudit.report.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpdxLicensesTest {

    /** Every id we may write as a CycloneDX license.id must be in the schema's enum, and none may be missing. */
    @Test
    void idsAreExactlyTheCycloneDxSchemaEnum() throws IOException {
        JsonNode schema;
        try (InputStream in = getClass().getResourceAsStream("/schemas/cyclonedx/spdx.schema.json")) {
            schema = Json.parse(in.readAllBytes(), "spdx.schema.json");
        }
        assertThat(schema.get("$comment").asText()).isEqualTo("v1.0-" + SpdxLicenses.LIST_VERSION + ".0");
        List<String> enumIds = new ArrayList<>();
        schema.get("enum").forEach(n -> enumIds.add(n.asText()));
        List<String> ours = new ArrayList<>(lines("license-ids.txt"));
        ours.addAll(lines("exception-ids.txt"));
        assertThat(ours).containsExactlyElementsOf(enumIds);
        assertThat(SpdxLicenses.licenseCount()).isEqualTo(659);
        for (String id : lines("license-ids.txt")) {
            assertThat(SpdxLicenses.licenseId(id)).isEqualTo(id);
            assertThat(SpdxLicenses.exceptionId(id)).as(id).isNull();
        }
        for (String id : lines("exception-ids.txt")) {
            assertThat(SpdxLicenses.exceptionId(id)).isEqualTo(id);
        }
    }

    @ParameterizedTest
    @CsvSource({"zlib, Zlib", "mit, MIT", "APACHE-2.0, Apache-2.0", "' GPL-2.0-only ', GPL-2.0-only",
            "LGPL-2.1, LGPL-2.1", "GPL-2.0+, GPL-2.0+", "openssl, OpenSSL"})
    void idsMatchCaseInsensitivelyAndComeBackInTheirListedSpelling(String in, String listed) {
        assertThat(SpdxLicenses.licenseId(in)).isEqualTo(listed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GPL", "GPL-2", "GPL2", "GPL-3+", "BSD", "public-domain", "Expat", "MIT BSD", "",
            "LicenseRef-foo", "Classpath-exception-2.0"})
    void thingsThatAreNotListedLicenceIds(String s) {
        assertThat(SpdxLicenses.licenseId(s)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "MIT|MIT",
            "mit and apache-2.0|",
            "MIT AND Apache-2.0|MIT AND Apache-2.0",
            "MIT  AND   zlib|MIT AND Zlib",
            "MIT AND (Apache-2.0 OR BSD-3-Clause)|MIT AND (Apache-2.0 OR BSD-3-Clause)",
            "(MIT OR Apache-2.0) OR BSD-3-Clause|MIT OR Apache-2.0 OR BSD-3-Clause",
            "MIT OR Apache-2.0 AND BSD-3-Clause|MIT OR (Apache-2.0 AND BSD-3-Clause)",
            "((MIT))|MIT",
            "GPL-2.0-or-later WITH Classpath-exception-2.0|GPL-2.0-or-later WITH Classpath-exception-2.0",
            "MIT AND GPL-2.0-only WITH Linux-syscall-note|MIT AND (GPL-2.0-only WITH Linux-syscall-note)",
            "Apache-2.0+|Apache-2.0+",
            "GPL-2.0+|GPL-2.0-or-later",
            "GPL-2.0|GPL-2.0-only",
            "lgpl-2.1+|LGPL-2.1-or-later",
            "GPL-3.0 WITH GCC-exception-3.1|GPL-3.0-only WITH GCC-exception-3.1",
            "GFDL-1.3 OR LGPL-3.0+|GFDL-1.3-only OR LGPL-3.0-or-later",
            "GPL-2.0-only+|GPL-2.0-only+",
            "LicenseRef-Proprietary|LicenseRef-Proprietary",
            "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2|DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2",
            "MPL-2.0 GPL-2.0-or-later|",
            "MIT BSD GPL2+|",
            "GPL2+|",
            "MIT WITH MIT|",
            "MIT WITH Classpath-exception-2.0 WITH LLVM-exception|",
            "(MIT|",
            "MIT)|",
            "MIT AND|",
            "AND|",
            "()|",
            "(MIT) WITH Classpath-exception-2.0|",
            "LicenseRef-a_b|",
            "MIT++|"})
    void expressionsFollowAnnexD(String in, String normalized) {
        assertThat(SpdxLicenses.normalize(in)).isEqualTo(normalized);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"zlib|Zlib", "GPL-2.0|GPL-2.0-only", "GPL-2.0+|GPL-2.0-or-later",
            "LGPL-2.1|LGPL-2.1-only", "Apache-2.0+|", "MIT OR Apache-2.0|", "LicenseRef-x|", "GPL2|"})
    void singleIdIsOneCurrentListedId(String in, String id) {
        assertThat(SpdxLicenses.singleId(in)).isEqualTo(id);
    }

    @Test
    void compoundMeansAnOperatorOrAPlus() {
        assertThat(SpdxLicenses.isCompound("MIT")).isFalse();
        assertThat(SpdxLicenses.isCompound("MIT OR Apache-2.0")).isTrue();
        assertThat(SpdxLicenses.isCompound("Apache-2.0+")).isTrue();
        assertThat(SpdxLicenses.isCompound("GPL2")).isFalse();
        assertThat(SpdxLicenses.isLicenseRef("LicenseRef-GPL-2")).isTrue();
        assertThat(SpdxLicenses.isLicenseRef("LicenseRef-GPL 2")).isFalse();
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = SpdxLicenses.class.getResourceAsStream("/dockaudit/spdx/" + resource)) {
            List<String> out = new ArrayList<>();
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!l.isBlank() && !l.startsWith("#")) {
                    out.add(l.strip());
                }
            }
            return out;
        }
    }
}
