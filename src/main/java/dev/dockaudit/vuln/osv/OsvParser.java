package dev.dockaudit.vuln.osv;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one OSV record (schema 1.x). Strict about what the matcher relies on (types, the id, range events,
 * timestamps) and lenient about the rest: unknown fields are skipped, and {@code modified}, which the schema
 * requires, may be missing (converted secdb records have none). Every rejection names the field:
 * {@code affected[1].ranges[0].events[2]: has none of introduced, fixed, last_affected, limit}.
 *
 * <p>It reads the token stream directly into the model (only the free-form {@code database_specific} and
 * {@code ecosystem_specific} objects become Jackson trees): imports parse hundreds of thousands of records, many
 * with long {@code versions} lists, and building a full tree first costs about twice as much.
 */
public final class OsvParser {
    private OsvParser() {
    }

    public static OsvRecord parse(byte[] json) throws OsvFormatException {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null || t == JsonToken.VALUE_NULL) {
                throw new OsvFormatException("empty document");
            }
            if (t != JsonToken.START_OBJECT) {
                throw new OsvFormatException("not a JSON object but " + kind(t));
            }
            OsvRecord r = record(p);
            if (p.nextToken() != null) {
                throw new OsvFormatException("not valid JSON (content after the record)");
            }
            return r;
        } catch (JsonProcessingException e) {
            throw new OsvFormatException("not valid JSON (" + firstLine(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            throw new OsvFormatException("not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
    }

    /** Parses a record given as a Jackson tree (as {@link #parse(byte[])} would parse its text). */
    public static OsvRecord parse(JsonNode root) throws OsvFormatException {
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new OsvFormatException("empty document");
        }
        try {
            return parse(Json.MAPPER.writeValueAsBytes(root));
        } catch (JsonProcessingException e) {
            throw new OsvFormatException("cannot be serialised (" + e.getOriginalMessage() + ")");
        }
    }

    private static OsvRecord record(JsonParser p) throws IOException, OsvFormatException {
        String schema = null;
        String id = null;
        String modified = null;
        String published = null;
        String withdrawn = null;
        List<String> aliases = List.of();
        List<String> upstream = List.of();
        List<String> related = List.of();
        String summary = null;
        String details = null;
        List<OsvSeverity> severity = List.of();
        List<OsvAffected> affected = List.of();
        List<OsvReference> references = List.of();
        JsonNode databaseSpecific = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "schema_version" -> schema = text(p, f);
                case "id" -> id = text(p, f);
                case "modified" -> modified = timestamp(p, f);
                case "published" -> published = timestamp(p, f);
                case "withdrawn" -> withdrawn = timestamp(p, f);
                case "aliases" -> aliases = strings(p, f);
                case "upstream" -> upstream = strings(p, f);
                case "related" -> related = strings(p, f);
                case "summary" -> summary = text(p, f);
                case "details" -> details = text(p, f);
                case "severity" -> severity = severities(p, f);
                case "affected" -> affected = affectedList(p);
                case "references" -> references = references(p);
                case "database_specific" -> databaseSpecific = object(p, f);
                default -> p.skipChildren();
            }
        }
        if (schema != null && !schema.equals("1") && !schema.startsWith("1.")) {
            throw new OsvFormatException("schema_version " + printable(schema) + " is not OSV 1.x");
        }
        if (id == null || id.isBlank()) {
            throw new OsvFormatException("no id");
        }
        if (id.length() > 200) {
            throw new OsvFormatException("id is longer than 200 characters");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= ' ' || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '/' || c == '\\') {
                throw new OsvFormatException("id \"" + printable(id) + "\" contains whitespace, a control character or a slash");
            }
        }
        return new OsvRecord(id, modified, published, withdrawn, aliases, upstream, related, summary, details, severity,
                affected, references, databaseSpecific);
    }

    private static List<OsvAffected> affectedList(JsonParser p) throws IOException, OsvFormatException {
        if (nullOr(p, JsonToken.START_ARRAY, "affected", "a list")) {
            return List.of();
        }
        List<OsvAffected> out = new ArrayList<>();
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            out.add(affected(p, "affected[" + i + "]"));
        }
        return out;
    }

    private static OsvAffected affected(JsonParser p, String where) throws IOException, OsvFormatException {
        expectObject(p, where);
        String ecosystem = null;
        String name = null;
        String purl = null;
        boolean hasPackage = false;
        List<OsvRange> ranges = List.of();
        List<String> versions = List.of();
        List<OsvSeverity> severity = List.of();
        JsonNode ecosystemSpecific = null;
        JsonNode databaseSpecific = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "package" -> {
                    if (p.currentToken() == JsonToken.VALUE_NULL) {
                        break;
                    }
                    expectObject(p, where + ".package");
                    hasPackage = true;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String g = p.currentName();
                        p.nextToken();
                        switch (g) {
                            case "ecosystem" -> ecosystem = text(p, where + ".package.ecosystem");
                            case "name" -> name = text(p, where + ".package.name");
                            case "purl" -> purl = text(p, where + ".package.purl");
                            default -> p.skipChildren();
                        }
                    }
                }
                case "ranges" -> ranges = ranges(p, where + ".ranges");
                case "versions" -> versions = strings(p, where + ".versions");
                case "severity" -> severity = severities(p, where + ".severity");
                case "ecosystem_specific" -> ecosystemSpecific = object(p, where + ".ecosystem_specific");
                case "database_specific" -> databaseSpecific = object(p, where + ".database_specific");
                default -> p.skipChildren();
            }
        }
        if (hasPackage) {
            if (ecosystem == null || ecosystem.isBlank()) {
                throw new OsvFormatException(where + ".package: no ecosystem");
            }
            if (name == null || name.isEmpty()) {
                throw new OsvFormatException(where + ".package: no name");
            }
        }
        return new OsvAffected(ecosystem, name, purl, ranges, versions, severity, ecosystemSpecific, databaseSpecific);
    }

    private static List<OsvRange> ranges(JsonParser p, String where) throws IOException, OsvFormatException {
        if (nullOr(p, JsonToken.START_ARRAY, where, "a list")) {
            return List.of();
        }
        List<OsvRange> out = new ArrayList<>(1);
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            out.add(range(p, where + "[" + i + "]"));
        }
        return out;
    }

    private static OsvRange range(JsonParser p, String where) throws IOException, OsvFormatException {
        expectObject(p, where);
        String type = null;
        String repo = null;
        List<OsvEvent> events = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "type" -> type = text(p, where + ".type");
                case "repo" -> repo = text(p, where + ".repo");
                case "events" -> events = events(p, where);
                default -> p.skipChildren();
            }
        }
        if (type == null || type.isBlank()) {
            throw new OsvFormatException(where + ": no type");
        }
        if (events == null || events.isEmpty()) {
            throw new OsvFormatException(where + ": no events");
        }
        return new OsvRange(type, repo, events);
    }

    private static List<OsvEvent> events(JsonParser p, String where) throws IOException, OsvFormatException {
        if (nullOr(p, JsonToken.START_ARRAY, where + ".events", "a list")) {
            return null;
        }
        List<OsvEvent> out = new ArrayList<>(2);
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            String ew = where + ".events[" + i + "]";
            expectObject(p, ew);
            OsvEvent found = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                JsonToken v = p.nextToken();
                if (!OsvEvent.isKind(k)) {
                    p.skipChildren();
                    continue;
                }
                if (found != null) {
                    throw new OsvFormatException(ew + ": has both " + found.kind() + " and " + k);
                }
                if (v != JsonToken.VALUE_STRING || p.getTextLength() == 0) {
                    throw new OsvFormatException(ew + "." + k + ": not a version string but "
                            + (v == JsonToken.VALUE_STRING ? "an empty string" : kind(v)));
                }
                found = new OsvEvent(k, p.getText());
            }
            if (found == null) {
                throw new OsvFormatException(ew + ": has none of introduced, fixed, last_affected, limit");
            }
            out.add(found);
        }
        return out;
    }

    private static List<OsvSeverity> severities(JsonParser p, String where) throws IOException, OsvFormatException {
        if (nullOr(p, JsonToken.START_ARRAY, where, "a list")) {
            return List.of();
        }
        List<OsvSeverity> out = new ArrayList<>(1);
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            String sw = where + "[" + i + "]";
            expectObject(p, sw);
            String type = null;
            String score = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "type" -> type = text(p, sw + ".type");
                    case "score" -> score = text(p, sw + ".score");
                    default -> p.skipChildren();
                }
            }
            if (type == null || score == null) {
                throw new OsvFormatException(sw + ": needs a type and a score");
            }
            out.add(new OsvSeverity(type, score));
        }
        return out;
    }

    private static List<OsvReference> references(JsonParser p) throws IOException, OsvFormatException {
        if (nullOr(p, JsonToken.START_ARRAY, "references", "a list")) {
            return List.of();
        }
        List<OsvReference> out = new ArrayList<>();
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            String rw = "references[" + i + "]";
            expectObject(p, rw);
            String type = null;
            String url = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "type" -> type = text(p, rw + ".type");
                    case "url" -> url = text(p, rw + ".url");
                    default -> p.skipChildren();
                }
            }
            out.add(new OsvReference(type, url));
        }
        return out;
    }

    private static List<String> strings(JsonParser p, String where) throws IOException, OsvFormatException {
        if (nullOr(p, JsonToken.START_ARRAY, where, "a list")) {
            return List.of();
        }
        List<String> out = null;
        for (int i = 0;; i++) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.END_ARRAY) {
                break;
            }
            if (t != JsonToken.VALUE_STRING) {
                throw new OsvFormatException(where + "[" + i + "]: not a string but " + kind(t));
            }
            if (out == null) {
                out = new ArrayList<>();
            }
            out.add(p.getText());
        }
        return out == null ? List.of() : out;
    }

    private static String timestamp(JsonParser p, String field) throws IOException, OsvFormatException {
        String v = text(p, field);
        if (v == null) {
            return null;
        }
        if (Rfc3339.epochNanos(v) == Long.MIN_VALUE) {
            throw new OsvFormatException(field + ": \"" + printable(v) + "\" is not an RFC 3339 timestamp");
        }
        return v;
    }

    private static String text(JsonParser p, String where) throws IOException, OsvFormatException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            String k = kind(t);
            p.skipChildren();
            throw new OsvFormatException(where + ": not a string but " + k);
        }
        return p.getText();
    }

    /** A free-form object as a Jackson tree; null for null. */
    private static JsonNode object(JsonParser p, String where) throws IOException, OsvFormatException {
        if (nullOr(p, JsonToken.START_OBJECT, where, "an object")) {
            return null;
        }
        return Json.MAPPER.readTree(p);
    }

    /** True for JSON null; throws unless the current token is {@code expected}. */
    private static boolean nullOr(JsonParser p, JsonToken expected, String where, String what) throws OsvFormatException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return true;
        }
        if (t != expected) {
            throw new OsvFormatException(where + ": not " + what + " but " + kind(t));
        }
        return false;
    }

    private static void expectObject(JsonParser p, String where) throws OsvFormatException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT) {
            throw new OsvFormatException(where + ": not an object but " + kind(t));
        }
    }

    private static String kind(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String printable(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        StringBuilder b = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            b.append(c < 0x20 || (c >= 0x7f && c <= 0x9f) ? '?' : c);
        }
        return b.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
