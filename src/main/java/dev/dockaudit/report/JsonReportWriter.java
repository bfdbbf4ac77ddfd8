package dev.dockaudit.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.util.Redact;
import dev.dockaudit.image.Image;
import dev.dockaudit.image.Layer;
import dev.dockaudit.inventory.Inventory;
import dev.dockaudit.inventory.OsInfo;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/** The JSON report of DESIGN.md, schemaVersion 1. Keys the contract lists are always present (null when unknown). */
public final class JsonReportWriter implements ReportWriter {
    public static final int SCHEMA_VERSION = 1;

    @Override
    public void write(Report report, OutputStream out) throws IOException {
        Json.MAPPER.writeValue(new NonClosing(out), toJson(report));
        out.write('\n');
        out.flush();
    }

    public static ObjectNode toJson(Report report) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        ObjectNode tool = root.putObject("tool");
        tool.put("name", ToolInfo.NAME);
        tool.put("version", ToolInfo.VERSION);
        Image image = report.image();
        ObjectNode target = root.putObject("target");
        target.put("reference", image.reference().original());
        target.put("source", image.source());
        ObjectNode imageNode = image(image, report::redact);
        root.set("image", imageNode);
        ArrayNode packages = root.putArray("packages");
        Inventory inv = report.inventory();
        if (inv != null) {
            imageNode.set("os", os(inv.os()));
            inv.packages().forEach(p -> packages.add(pkg(p)));
        }
        if (report.trust() != null) {
            root.set("trust", Json.MAPPER.valueToTree(report.trust()));
        }
        ArrayNode findings = root.putArray("findings");
        for (Finding f : report.findings()) {
            findings.add(finding(f));
        }
        ObjectNode summary = root.putObject("summary");
        ObjectNode bySeverity = summary.putObject("bySeverity");
        for (Map.Entry<Severity, Integer> e : report.bySeverity().entrySet()) {
            bySeverity.put(e.getKey().name(), e.getValue());
        }
        ObjectNode byCategory = summary.putObject("byCategory");
        for (Map.Entry<Category, Integer> e : report.byCategory().entrySet()) {
            byCategory.put(e.getKey().label(), e.getValue());
        }
        ArrayNode notes = root.putArray("notes");
        report.notes().forEach(notes::add);
        return root;
    }

    static ObjectNode image(Image image, java.util.function.UnaryOperator<String> redact) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", str(image.configDigest()));
        n.put("manifestDigest", str(image.manifestDigest()));
        n.put("manifestMediaType", image.manifestMediaType());
        strings(n.putArray("repoDigests"), image.repoDigests());
        strings(n.putArray("repoTags"), image.repoTags());
        n.putNull("os");
        n.put("platform", image.platform() == null ? null : image.platform().toString());
        if (image.config() != null) {
            n.set("config", image.config().path("config").isObject() ? masked(image.config().get("config"), redact)
                    : Json.MAPPER.createObjectNode());
            n.put("created", image.config().path("created").asText(null));
        } else {
            n.putNull("config");
            n.putNull("created");
        }
        ObjectNode verification = n.putObject("verification");
        verification.put("configDigest", check(image.expectedConfigDigest(), image.configDigest()));
        verification.put("expectedConfigDigest", str(image.expectedConfigDigest()));
        verification.put("manifestDigest", check(image.expectedManifestDigest(), image.manifestDigest()));
        verification.put("expectedManifestDigest", str(image.expectedManifestDigest()));
        verification.put("expectedManifestDigestFrom", image.expectedManifestSource());
        ArrayNode layers = n.putArray("layers");
        for (Layer l : image.layers()) {
            layers.add(layer(l, redact));
        }
        return n;
    }

    /**
     * The image config as the report shows it: values of secret-looking environment variables and labels are
     * masked, because a report is often stored or shared where the image's secrets must not follow.
     */
    static JsonNode masked(JsonNode config, java.util.function.UnaryOperator<String> redact) {
        ObjectNode copy = config.deepCopy();
        JsonNode env = copy.get("Env");
        if (env != null && env.isArray()) {
            ArrayNode masked = Json.MAPPER.createArrayNode();
            env.forEach(e -> masked.add(redact.apply(e.asText())));
            copy.set("Env", masked);
        }
        JsonNode labels = copy.get("Labels");
        if (labels != null && labels.isObject()) {
            ObjectNode masked = Json.MAPPER.createObjectNode();
            labels.fields().forEachRemaining(e -> masked.put(e.getKey(), Redact.secretName(e.getKey())
                    ? Redact.mask(e.getValue().asText()) : redact.apply(e.getValue().asText())));
            copy.set("Labels", masked);
        }
        for (String field : new String[] {"Cmd", "Entrypoint"}) {
            JsonNode arr = copy.get(field);
            if (arr != null && arr.isArray()) {
                ArrayNode masked = Json.MAPPER.createArrayNode();
                arr.forEach(e -> masked.add(redact.apply(e.asText())));
                copy.set(field, masked);
            }
        }
        return copy;
    }

    /** "verified", "mismatch", or "unchecked" when nothing declared the value. */
    private static String check(Digest expected, Digest actual) {
        if (expected == null || actual == null) {
            return "unchecked";
        }
        return expected.equals(actual) ? "verified" : "mismatch";
    }

    static ObjectNode layer(Layer l, java.util.function.UnaryOperator<String> redact) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("index", l.index());
        n.put("digest", str(l.blobDigest()));
        n.put("diffId", str(l.diffId() != null ? l.diffId() : l.scan() == null ? null : l.scan().diffId()));
        n.put("size", l.scan() != null && l.scan().rawDigest() != null ? l.scan().rawSize() : l.declaredSize());
        n.put("uncompressedSize", l.scan() == null || l.scan().rawDigest() == null ? null : l.scan().uncompressedSize());
        n.put("mediaType", l.mediaType());
        n.put("compression", l.scan() == null || l.scan().rawDigest() == null ? null
                : l.scan().compression().name().toLowerCase());
        n.put("createdBy", l.createdBy() == null ? null : redact.apply(l.createdBy()));
        n.put("created", l.created());
        Boolean verified = l.verified();
        if (verified == null) {
            n.putNull("verified");
        } else {
            n.put("verified", verified);
        }
        ObjectNode computed = n.putObject("computed");
        if (l.scan() != null) {
            computed.put("digest", str(l.scan().rawDigest()));
            computed.put("diffId", str(l.scan().diffId()));
            computed.put("error", l.scan().error());
            if (l.scan().files() != null) {
                computed.put("entries", l.scan().files().size());
            }
        }
        return n;
    }

    static ObjectNode os(OsInfo os) {
        if (os == null) {
            return null;
        }
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("family", os.family());
        n.put("version", os.version());
        n.put("codename", os.codename());
        n.put("prettyName", os.prettyName());
        if (os.eol() == null) {
            n.putNull("eol");
        } else {
            n.put("eol", os.eol());
        }
        n.put("eolDate", os.eolDate());
        n.put("source", os.source());
        return n;
    }

    public static ObjectNode pkg(Package p) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("name", p.name());
        n.put("version", p.version());
        n.put("type", p.type().label);
        n.put("arch", p.arch());
        n.put("sourceName", p.sourceName());
        n.put("sourceVersion", p.sourceVersion());
        n.put("purl", p.purl());
        strings(n.putArray("licenses"), p.licenses());
        n.put("layer", p.layer());
        n.put("path", p.path());
        if (!p.metadata().isEmpty()) {
            ObjectNode m = n.putObject("metadata");
            new java.util.TreeMap<>(p.metadata()).forEach(m::put);
        }
        strings(n.putArray("files"), p.files());
        return n;
    }

    static ObjectNode finding(Finding f) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", f.id());
        n.put("category", f.category().label());
        n.put("severity", f.severity().name());
        n.put("title", f.title());
        n.put("description", f.description());
        n.put("cis", f.cis());
        strings(n.putArray("references"), f.references());
        strings(n.putArray("aliases"), f.aliases());
        n.set("package", f.pkg() == null ? null : Json.MAPPER.valueToTree(f.pkg()));
        n.put("installedVersion", f.installedVersion());
        n.put("fixedVersion", f.fixedVersion());
        n.put("status", f.status());
        n.put("layer", f.layer());
        n.put("path", f.path());
        n.put("evidence", f.evidence());
        n.put("remediation", f.remediation());
        if (f.deletedInLaterLayer() != null) {
            n.put("deletedInLaterLayer", f.deletedInLaterLayer());
        }
        if (f.vuln() != null) {
            n.set("cvss", cvss(f.vuln()));
        }
        return n;
    }

    /**
     * A vulnerability's ratings: the score its severity came from (null when a distribution's rating or an advisory's
     * word decided it), where that rating came from, every CVSS vector its advisories state, and the CWEs they name.
     */
    private static ObjectNode cvss(VulnDetails d) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        if (d.score() == null) {
            n.putNull("score");
        } else {
            n.put("score", d.score());
        }
        n.put("ratingSource", d.ratingSource());
        ArrayNode vectors = n.putArray("vectors");
        for (VulnDetails.Cvss c : d.cvss()) {
            vectors.addObject().put("version", c.version()).put("vector", c.vector()).put("score", c.score())
                    .put("severity", c.severity().name()).put("advisory", c.advisory());
        }
        ArrayNode cwes = n.putArray("cwes");
        d.cwes().forEach(c -> cwes.add("CWE-" + c));
        return n;
    }

    private static void strings(ArrayNode arr, List<String> values) {
        values.forEach(arr::add);
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** Jackson closes what it writes to; stdout must stay open. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
