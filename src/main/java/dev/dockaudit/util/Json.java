package dev.dockaudit.util;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;

/** One shared, configured Jackson mapper and small helpers for reading untrusted JSON. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** Parses untrusted JSON; {@code what} names the document for the error message. */
    public static JsonNode parse(byte[] data, String what) {
        try {
            JsonNode node = MAPPER.readTree(data);
            if (node == null || node.isMissingNode()) {
                throw new UserError(what + " is empty; the image is corrupt");
            }
            return node;
        } catch (IOException e) {
            throw new UserError(what + " is not valid JSON (" + firstLine(e.getMessage())
                    + "); the image is corrupt or not an image");
        }
    }

    public static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
