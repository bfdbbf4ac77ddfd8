package dev.dockaudit.report;

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
 * The official SARIF 2.1.0 JSON schema in both forms in use, loaded offline from test resources (schemas/sarif/, see
 * schemas/PROVENANCE.md); their ids map to the classpath and remote fetching is off. Format assertions are on (uri,
 * uri-reference).
 */
public final class SarifSchemas {
    /** OASIS SARIF 2.1.0 errata 01, draft-04: the normative schema. */
    static final String OASIS_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
    /** The draft-07 form oasis-tcs/sarif-spec kept under Schemata/ (the one GitHub's documentation links). */
    static final String GITHUB_ID = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json";

    static final Schema OASIS = load(SpecificationVersion.DRAFT_4, OASIS_ID, "sarif-schema-2.1.0.json");
    static final Schema DRAFT07 = load(SpecificationVersion.DRAFT_7, GITHUB_ID, "sarif-schema-2.1.0-draft07.json");

    private SarifSchemas() {
    }

    private static Schema load(SpecificationVersion dialect, String id, String file) {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(dialect, b -> b
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
                .schemaIdResolvers(r -> r.mapPrefix(id, "classpath:schemas/sarif/" + file)));
        Schema schema = registry.getSchema(SchemaLocation.of(id));
        schema.initializeValidators();
        return schema;
    }

    static List<Error> errors(Schema schema, JsonNode doc) {
        return schema.validate(doc);
    }

    /** Valid against both forms of the schema. */
    public static void assertValid(JsonNode doc) {
        assertThat(errors(OASIS, doc)).as("OASIS schema errors in\n%s", doc.toPrettyString()).isEmpty();
        assertThat(errors(DRAFT07, doc)).as("draft-07 schema errors in\n%s", doc.toPrettyString()).isEmpty();
    }
}
