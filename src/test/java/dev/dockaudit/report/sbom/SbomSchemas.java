package dev.dockaudit.report.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.util.List;

/**
 * The official CycloneDX 1.6 and SPDX 2.3 JSON schemas, loaded from test resources (schemas/, see its
 * PROVENANCE.md). Their {@code $id}s are mapped to the classpath so a {@code $ref} never leaves the machine, and
 * remote fetching is off (the default of json-schema-validator 2.x). Format assertions (date-time, iri-reference …)
 * are on.
 */
final class SbomSchemas {
    static final String CYCLONEDX_ID = "http://cyclonedx.org/schema/bom-1.6.schema.json";
    static final String SPDX_ID = "http://spdx.org/rdf/terms/2.3";

    static final Schema CYCLONEDX_16 = load(SpecificationVersion.DRAFT_7, CYCLONEDX_ID, null);
    /** spdx/spdx-spec's schema (2.3.1: SPDXID patterns and other fixes). */
    static final Schema SPDX_23 = load(SpecificationVersion.DRAFT_2019_09, SPDX_ID, "spdx-schema-2.3.json");
    /**
     * The 2.3 schema the SPDX tools ({@code tools-java Verify}) validate with, from before 2.3.1; same {@code $id},
     * so it gets its own registry. An SBOM must pass both: consumers use either.
     */
    static final Schema SPDX_23_TOOLS = load(SpecificationVersion.DRAFT_2019_09, SPDX_ID, "spdx-schema-2.3-spdx-tools.json");

    private SbomSchemas() {
    }

    private static Schema load(SpecificationVersion dialect, String id, String spdxFile) {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(dialect, b -> b
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
                .schemaIdResolvers(r -> {
                    r.mapPrefix("http://cyclonedx.org/schema/", "classpath:schemas/cyclonedx/");
                    if (spdxFile != null) {
                        r.mapPrefix(SPDX_ID, "classpath:schemas/spdx/" + spdxFile);
                    }
                }));
        Schema schema = registry.getSchema(SchemaLocation.of(id));
        schema.initializeValidators(); // resolve every $ref now: a missing local file fails here, not mid-test
        return schema;
    }

    static List<Error> errors(Schema schema, JsonNode doc) {
        return schema.validate(doc);
    }

    static void assertValid(Schema schema, JsonNode doc) {
        assertThat(errors(schema, doc)).as("schema errors in\n%s", doc.toPrettyString()).isEmpty();
    }

    /** Valid against both SPDX 2.3 schemas. */
    static void assertValidSpdx(JsonNode doc) {
        assertValid(SPDX_23, doc);
        assertValid(SPDX_23_TOOLS, doc);
    }
}
