package dev.dockaudit.vuln.osv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses one OSV record (schema 1.x). Strict about what the matcher relies on (types, the id, range events,
 * timestamps) and lenient about the rest: unknown fields are ignored, and {@code modified}, which the schema
 * requires, may be missing (converted secdb records have none). Every rejection names the field:
 * {@code affected[1].ranges[0].events[2]: has none of introduced, fixed, last_affected, limit}.
 */
public final class OsvParser {
    /** Rejects trailing content after the record ({@code {…} garbage}), which a plain readTree would ignore. */
    private static final ObjectReader READER = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private OsvParser() {
    }

    public static OsvRecord parse(byte[] json) throws OsvFormatException {
        JsonNode root;
        try {
            root = READER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new OsvFormatException("not valid JSON (" + firstLine(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            throw new OsvFormatException("not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        return parse(root);
    }

    public static OsvRecord parse(JsonNode root) throws OsvFormatException {
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new OsvFormatException("empty document");
        }
        if (!root.isObject()) {
            throw new OsvFormatException("not a JSON object but " + kind(root));
        }
        String schema = optText(root, "schema_version", "schema_version");
        if (schema != null && !schema.equals("1") && !schema.startsWith("1.")) {
            throw new OsvFormatException("schema_version " + schema + " is not OSV 1.x");
        }
        String id = optText(root, "id", "id");
        if (id == null || id.isBlank()) {
            throw new OsvFormatException("no id");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= ' ' || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '/' || c == '\\') {
                throw new OsvFormatException("id \"" + printable(id) + "\" contains whitespace, a control character or a slash");
            }
        }
        if (id.length() > 200) {
            throw new OsvFormatException("id is longer than 200 characters");
        }
        String modified = timestamp(root, "modified");
        String published = timestamp(root, "published");
        String withdrawn = timestamp(root, "withdrawn");
        List<String> aliases = strings(root, "aliases", "aliases");
        List<String> upstream = strings(root, "upstream", "upstream");
        List<String> related = strings(root, "related", "related");
        String summary = optText(root, "summary", "summary");
        String details = optText(root, "details", "details");
        List<OsvSeverity> severity = severities(root.get("severity"), "severity");
        List<OsvAffected> affected = new ArrayList<>();
        JsonNode aff = array(root, "affected", "affected");
        if (aff != null) {
            for (int i = 0; i < aff.size(); i++) {
                affected.add(affected(aff.get(i), "affected[" + i + "]"));
            }
        }
        List<OsvReference> references = new ArrayList<>();
        JsonNode refs = array(root, "references", "references");
        if (refs != null) {
            for (int i = 0; i < refs.size(); i++) {
                JsonNode r = object(refs.get(i), "references[" + i + "]");
                references.add(new OsvReference(optText(r, "type", "references[" + i + "].type"),
                        optText(r, "url", "references[" + i + "].url")));
            }
        }
        return new OsvRecord(id, modified, published, withdrawn, aliases, upstream, related, summary, details, severity,
                affected, references, objectOrNull(root, "database_specific", "database_specific"));
    }

    private static OsvAffected affected(JsonNode a, String where) throws OsvFormatException {
        object(a, where);
        String ecosystem = null;
        String name = null;
        String purl = null;
        JsonNode pkg = a.get("package");
        if (pkg != null && !pkg.isNull()) {
            object(pkg, where + ".package");
            ecosystem = optText(pkg, "ecosystem", where + ".package.ecosystem");
            name = optText(pkg, "name", where + ".package.name");
            purl = optText(pkg, "purl", where + ".package.purl");
            if (ecosystem == null || ecosystem.isBlank()) {
                throw new OsvFormatException(where + ".package: no ecosystem");
            }
            if (name == null || name.isEmpty()) {
                throw new OsvFormatException(where + ".package: no name");
            }
        }
        List<OsvRange> ranges = new ArrayList<>();
        JsonNode rs = array(a, "ranges", where + ".ranges");
        if (rs != null) {
            for (int i = 0; i < rs.size(); i++) {
                ranges.add(range(rs.get(i), where + ".ranges[" + i + "]"));
            }
        }
        List<String> versions = strings(a, "versions", where + ".versions");
        return new OsvAffected(ecosystem, name, purl, ranges, versions, severities(a.get("severity"), where + ".severity"),
                objectOrNull(a, "ecosystem_specific", where + ".ecosystem_specific"),
                objectOrNull(a, "database_specific", where + ".database_specific"));
    }

    private static OsvRange range(JsonNode r, String where) throws OsvFormatException {
        object(r, where);
        String type = optText(r, "type", where + ".type");
        if (type == null || type.isBlank()) {
            throw new OsvFormatException(where + ": no type");
        }
        String repo = optText(r, "repo", where + ".repo");
        JsonNode evs = array(r, "events", where + ".events");
        if (evs == null || evs.isEmpty()) {
            throw new OsvFormatException(where + ": no events");
        }
        List<OsvEvent> events = new ArrayList<>(evs.size());
        for (int i = 0; i < evs.size(); i++) {
            String ew = where + ".events[" + i + "]";
            JsonNode e = object(evs.get(i), ew);
            OsvEvent found = null;
            for (Map.Entry<String, JsonNode> f : e.properties()) {
                if (!OsvEvent.isKind(f.getKey())) {
                    continue;
                }
                if (found != null) {
                    throw new OsvFormatException(ew + ": has both " + found.kind() + " and " + f.getKey());
                }
                if (!f.getValue().isTextual() || f.getValue().asText().isEmpty()) {
                    throw new OsvFormatException(ew + "." + f.getKey() + ": not a version string but " + kind(f.getValue()));
                }
                found = new OsvEvent(f.getKey(), f.getValue().asText());
            }
            if (found == null) {
                throw new OsvFormatException(ew + ": has none of introduced, fixed, last_affected, limit");
            }
            events.add(found);
        }
        return new OsvRange(type, repo, events);
    }

    private static List<OsvSeverity> severities(JsonNode s, String where) throws OsvFormatException {
        if (s == null || s.isNull()) {
            return List.of();
        }
        if (!s.isArray()) {
            throw new OsvFormatException(where + ": not a list but " + kind(s));
        }
        List<OsvSeverity> out = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            JsonNode e = object(s.get(i), where + "[" + i + "]");
            String type = optText(e, "type", where + "[" + i + "].type");
            String score = optText(e, "score", where + "[" + i + "].score");
            if (type == null || score == null) {
                throw new OsvFormatException(where + "[" + i + "]: needs a type and a score");
            }
            out.add(new OsvSeverity(type, score));
        }
        return out;
    }

    private static String timestamp(JsonNode n, String field) throws OsvFormatException {
        String v = optText(n, field, field);
        if (v == null) {
            return null;
        }
        try {
            OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new OsvFormatException(field + ": \"" + printable(v) + "\" is not an RFC 3339 timestamp");
        }
        return v;
    }

    private static List<String> strings(JsonNode n, String field, String where) throws OsvFormatException {
        JsonNode a = array(n, field, where);
        if (a == null || a.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonNode s = a.get(i);
            if (!s.isTextual()) {
                throw new OsvFormatException(where + "[" + i + "]: not a string but " + kind(s));
            }
            out.add(s.asText());
        }
        return out;
    }

    private static JsonNode array(JsonNode n, String field, String where) throws OsvFormatException {
        JsonNode a = n.get(field);
        if (a == null || a.isNull()) {
            return null;
        }
        if (!a.isArray()) {
            throw new OsvFormatException(where + ": not a list but " + kind(a));
        }
        return a;
    }

    private static JsonNode object(JsonNode n, String where) throws OsvFormatException {
        if (n == null || !n.isObject()) {
            throw new OsvFormatException(where + ": not an object but " + kind(n));
        }
        return n;
    }

    private static JsonNode objectOrNull(JsonNode n, String field, String where) throws OsvFormatException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new OsvFormatException(where + ": not an object but " + kind(v));
        }
        return v;
    }

    private static String optText(JsonNode n, String field, String where) throws OsvFormatException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new OsvFormatException(where + ": not a string but " + kind(v));
        }
        return v.asText();
    }

    private static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        return switch (n.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
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
