package dev.dockaudit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.image.Image;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SARIF 2.1.0 ({@code --format sarif}) shaped for GitHub code scanning: one rule per distinct finding id, one result
 * per finding, every result with a relative artifact URI, a region, and {@code partialFingerprints} that stay the same
 * from run to run, and every rule with the {@code security-severity} GitHub ranks alerts by.
 *
 * <p>Written with the project's Jackson tree rather than a SARIF object model: the document is small and flat, and a
 * model library (com.contrastsecurity:java-sarif, 94 generated classes in 224 KB) would add class loading to every run
 * for no gain in correctness; the tests validate the output against the official schema instead.
 */
public final class SarifWriter implements ReportWriter {
    public static final String SARIF_VERSION = "2.1.0";
    /** The OASIS SARIF 2.1.0 (errata 01) schema, the one the tests validate against. */
    public static final String SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
    /** Key of the fingerprint GitHub code scanning reads (it uses no other partialFingerprints key). */
    public static final String GITHUB_FINGERPRINT = "primaryLocationLineHash";
    /** Key of dockaudit's own full fingerprint. */
    public static final String DOCKAUDIT_FINGERPRINT = "dockaudit/v1";
    /** GitHub rejects a run with more results (or rules) than this. */
    static final int MAX_RESULTS = 25_000;
    /** GitHub's limit on a rule's short and full description. */
    static final int MAX_DESCRIPTION = 1024;

    @Override
    public void write(Report report, OutputStream out) throws IOException {
        Json.MAPPER.writeValue(new NonClosing(out), toSarif(report));
        out.write('\n');
        out.flush();
    }

    /** The SARIF log for a report: one run of dockaudit. */
    public static ObjectNode toSarif(Report report) {
        Image image = report.image();
        String imageUri = "image/" + encodePath(imageName(image), "image");
        List<Located> findings = new ArrayList<>();
        String subject = image.reference().original();
        report.findings().forEach(f -> findings.add(new Located(f, imageUri, false, subject, "image")));
        return toSarif(findings, report.notes(), ToolInfo.NAME + "/" + imageUri + "/", props -> {
            props.put("imageReference", image.reference().original());
            props.put("imageId", str(image.configDigest()));
            props.put("manifestDigest", str(image.manifestDigest()));
            ArrayNode repoDigests = props.putArray("repoDigests");
            image.repoDigests().forEach(repoDigests::add);
            ArrayNode repoTags = props.putArray("repoTags");
            image.repoTags().forEach(repoTags::add);
        });
    }

    /**
     * A finding and the subject it is about: {@code subjectUri} is the artifact a finding without a path points at
     * ({@code image/NAME}, {@code container/NAME}); with {@code nested}, a finding's path inside the subject is put
     * under it ({@code image/NAME/etc/shadow}), so findings about several images in one log keep apart.
     */
    public record Located(Finding finding, String subjectUri, boolean nested, String subjectName, String subjectKind) {
        /** A finding whose subject has no name beyond its URI. */
        public Located(Finding finding, String subjectUri, boolean nested) {
            this(finding, subjectUri, nested, null, null);
        }
    }

    /** One run of dockaudit over several subjects (a container report: the daemon, containers and images). */
    public static ObjectNode toSarif(List<Located> located, List<String> reportNotes, String automationId,
                                     java.util.function.Consumer<ObjectNode> runProperties) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("$schema", SCHEMA_URI);
        root.put("version", SARIF_VERSION);
        ObjectNode run = root.putArray("runs").addObject();

        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", ToolInfo.NAME);
        driver.put("version", ToolInfo.VERSION);
        if (ToolInfo.VERSION.matches("\\d+\\.\\d+\\.\\d+([-+].*)?")) {
            driver.put("semanticVersion", ToolInfo.VERSION);
        }
        if (ToolInfo.INFORMATION_URI != null) {
            driver.put("informationUri", ToolInfo.INFORMATION_URI);
        }
        ArrayNode rulesNode = driver.putArray("rules");

        List<Located> findings = located;
        List<String> notes = new ArrayList<>(reportNotes);
        if (findings.size() > MAX_RESULTS) {
            notes.add("SARIF lists the " + MAX_RESULTS + " most severe of " + findings.size()
                    + " findings (GitHub code scanning rejects a run with more); the JSON report has them all");
            findings = new ArrayList<>(findings);
            findings.sort(java.util.Comparator.comparing(l -> l.finding().severity()));
            findings = findings.subList(0, MAX_RESULTS);
        }

        // rules in order of first appearance; a rule carries the highest severity any of its findings has
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (Located l : findings) {
            Finding f = l.finding();
            rules.computeIfAbsent(f.id(), id -> new Rule(rules.size(), f)).add(f);
        }
        rules.values().forEach(r -> rulesNode.add(r.toJson()));

        ArrayNode results = run.putArray("results");
        for (Located l : findings) {
            results.add(result(l, rules.get(l.finding().id())));
        }

        ObjectNode invocation = run.putArray("invocations").addObject();
        invocation.put("executionSuccessful", true);
        if (!notes.isEmpty()) {
            ArrayNode n = invocation.putArray("toolExecutionNotifications");
            for (String note : notes) {
                ObjectNode notification = n.addObject();
                notification.putObject("message").put("text", nonEmpty(note, "note"));
                notification.put("level", "note");
            }
        }
        // one GitHub analysis category per subject, so scanning several images from one repository keeps each one's alerts
        run.putObject("automationDetails").put("id", automationId);
        run.put("columnKind", "utf16CodeUnits");
        runProperties.accept(run.putObject("properties"));
        return root;
    }

    private static ObjectNode result(Located l, Rule rule) {
        Finding f = l.finding();
        String imageUri = l.subjectUri();
        boolean nested = l.nested();
        PackageRef pkg = PackageRef.of(f.pkg());
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("ruleId", f.id());
        r.put("ruleIndex", rule.index);
        r.put("level", level(f.severity()));
        r.putObject("message").put("text", message(f, pkg));

        String uri = artifactUri(f, pkg, imageUri);
        if (nested && !uri.equals(imageUri)) {
            uri = imageUri + "/" + uri;
        }
        ObjectNode location = r.putArray("locations").addObject();
        ObjectNode physical = location.putObject("physicalLocation");
        physical.putObject("artifactLocation").put("uri", uri);
        // nothing in an image has a line; GitHub requires a region, so the finding points at the artifact's first line
        ObjectNode region = physical.putObject("region");
        region.put("startLine", 1);
        region.put("startColumn", 1);
        region.put("endLine", 1);
        region.put("endColumn", 1);

        logicalLocations(location, l);

        String hash = fingerprint(f, pkg, uri);
        ObjectNode fp = r.putObject("partialFingerprints");
        fp.put(GITHUB_FINGERPRINT, hash.substring(0, 16) + ":1");
        fp.put(DOCKAUDIT_FINGERPRINT, hash);

        ObjectNode props = r.putObject("properties");
        props.put("severity", f.severity().name());
        props.put("category", f.category().label());
        props.put("security-severity", securitySeverity(f));
        putIfPresent(props, "cis", f.cis());
        if (pkg != null) {
            putIfPresent(props, "package", pkg.name());
            putIfPresent(props, "purl", pkg.purl());
        }
        putIfPresent(props, "installedVersion", installed(f, pkg));
        putIfPresent(props, "fixedVersion", f.fixedVersion());
        putIfPresent(props, "status", f.status());
        putIfPresent(props, "layer", f.layer());
        if (f.aliases() != null && !f.aliases().isEmpty()) {
            ArrayNode aliases = props.putArray("aliases");
            f.aliases().forEach(aliases::add);
        }
        return r;
    }

    /**
     * Where the finding is besides its artifact: the image, container or daemon it is about (the image as the user
     * named it, since the artifact URI is only a path), then the layer that brought the file or package, by diff_id.
     * Code scanning ignores logical locations; other SARIF viewers show them as the finding's context.
     */
    private static void logicalLocations(ObjectNode location, Located l) {
        Finding f = l.finding();
        boolean hasLayer = f.layer() != null && !f.layer().isBlank();
        if (l.subjectName() == null && !hasLayer) {
            return;
        }
        ArrayNode logical = location.putArray("logicalLocations");
        String subject = l.subjectName();
        if (subject != null) {
            ObjectNode s = logical.addObject();
            s.put("name", subject);
            s.put("fullyQualifiedName", l.subjectUri());
            s.put("kind", l.subjectKind());
        }
        if (hasLayer) {
            ObjectNode layer = logical.addObject();
            layer.put("name", f.layer());
            layer.put("fullyQualifiedName", l.subjectUri() + "@" + f.layer());
            layer.put("kind", "layer");
        }
    }

    /**
     * The result's text; GitHub shows it as the alert title and cuts at the first sentence, so the first sentence
     * says what and where.
     */
    static String message(Finding f, PackageRef pkg) {
        StringBuilder sb = new StringBuilder();
        String title = f.title() == null || f.title().isBlank() ? f.id() : f.title().strip();
        String installed = installed(f, pkg);
        if (pkg != null && pkg.name() != null) {
            sb.append(pkg.name());
            if (installed != null) {
                sb.append(' ').append(installed);
            }
            sb.append(": ").append(f.id()).append(" (").append(f.severity().name()).append(')');
            if (!title.equals(f.id())) {
                sb.append(" ").append(sentence(title));
            } else {
                sb.append('.');
            }
            if (f.fixedVersion() != null && !f.fixedVersion().isBlank()) {
                sb.append(" Fixed in ").append(f.fixedVersion()).append('.');
            } else if ("affected".equals(f.status())) {
                sb.append(" No fixed version yet.");
            }
        } else {
            sb.append(sentence(title));
            if (installed != null) {
                sb.append(" Installed version ").append(installed).append('.');
            }
            if (f.fixedVersion() != null && !f.fixedVersion().isBlank()) {
                sb.append(" Fixed in ").append(f.fixedVersion()).append('.');
            }
        }
        if (f.path() != null && !f.path().isBlank()) {
            sb.append(" Path: ").append(f.path()).append('.');
        }
        if (f.layer() != null && !f.layer().isBlank()) {
            sb.append(" Layer: ").append(f.layer()).append('.');
        }
        if (pkg == null && f.evidence() != null && !f.evidence().isBlank()) {
            sb.append(" Evidence: ").append(f.evidence().strip());
        }
        return sb.toString();
    }

    private static String sentence(String s) {
        String t = s.strip();
        return t.endsWith(".") || t.endsWith("!") || t.endsWith("?") ? t : t + ".";
    }

    private static String installed(Finding f, PackageRef pkg) {
        if (f.installedVersion() != null && !f.installedVersion().isBlank()) {
            return f.installedVersion();
        }
        return pkg == null ? null : pkg.version();
    }

    /** error for CRITICAL and HIGH, warning for MEDIUM, note below. */
    static String level(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW, INFO, UNKNOWN -> "note";
        };
    }

    /**
     * The number GitHub ranks security alerts by (critical over 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9; 0.0
     * is no security severity). UNKNOWN counts as LOW, as it does for {@code --fail-on}.
     */
    static String securitySeverity(Severity s) {
        return switch (s) {
            case CRITICAL -> "9.5";
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW, UNKNOWN -> "2.0";
            case INFO -> "0.0";
        };
    }

    /**
     * The finding's own number: the CVSS base score its severity was taken from, else the number its severity stands
     * for. A score always agrees with the severity, since the severity was computed from it.
     */
    static String securitySeverity(Finding f) {
        if (f.vuln() != null && f.vuln().score() != null) {
            return String.format(Locale.ROOT, "%.1f", f.vuln().score());
        }
        return securitySeverity(f.severity());
    }

    /**
     * A relative URI for the result: the finding's path, else the package's (its database or manifest), else the
     * image ({@code image/<name>}). Paths inside the image lose their leading slash; every segment is percent-encoded
     * ({@code :} too, so no segment reads as a URI scheme).
     */
    static String artifactUri(Finding f, PackageRef pkg, String imageUri) {
        if (f.path() != null && !f.path().isBlank()) {
            return encodePath(f.path(), imageUri);
        }
        if (pkg != null && pkg.path() != null && !pkg.path().isBlank()) {
            return encodePath(pkg.path(), imageUri);
        }
        return imageUri;
    }

    /** Percent-encodes a slash-separated path into a relative URI path; empty, "." and ".." segments are dropped. */
    static String encodePath(String path, String fallback) {
        StringBuilder sb = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append('/');
            }
            for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~!$&'()*+,;=@".indexOf(c) >= 0) {
                    sb.append((char) c);
                } else {
                    sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
                }
            }
        }
        return sb.length() == 0 ? fallback : sb.toString();
    }

    /** The image as users name it: its first tag, else the name or file the user gave. */
    static String imageName(Image image) {
        if (!image.repoTags().isEmpty()) {
            return image.repoTags().get(0);
        }
        if (image.reference().name() != null) {
            return image.reference().name();
        }
        if (image.reference().path() != null && image.reference().path().getFileName() != null) {
            return image.reference().path().getFileName().toString();
        }
        return image.reference().original();
    }

    /**
     * Same finding, same fingerprint, run after run: sha256 of the id, the package, its installed version and the
     * artifact path (and for a runtime finding its title, which names the port, variable or mount). Severity, texts
     * and fixed versions can change as the advisory data changes without opening a new alert.
     */
    static String fingerprint(Finding f, PackageRef pkg, String uri) {
        String identity = String.join("\u0000", f.id(), pkg == null || pkg.name() == null ? "" : pkg.name(),
                nullToEmpty(installed(f, pkg)), uri);
        if (f.category() == Category.RUNTIME) {
            // one check can fire more than once for a container (two ports, two variables); its title says which
            identity += "\u0000" + nullToEmpty(f.title());
        }
        return Digest.sha256(identity.getBytes(StandardCharsets.UTF_8)).hex();
    }

    /** One reportingDescriptor. */
    private static final class Rule {
        final int index;
        final Finding first;
        Severity severity;
        /** The highest security-severity any of the rule's findings has. */
        String securitySeverity;
        final List<String> references = new ArrayList<>();

        Rule(int index, Finding first) {
            this.index = index;
            this.first = first;
            this.severity = first.severity();
            this.securitySeverity = SarifWriter.securitySeverity(first);
        }

        void add(Finding f) {
            if (f.severity().ordinal() < severity.ordinal()) { // CRITICAL first; UNKNOWN yields to any known rating
                severity = f.severity();
            }
            String ss = SarifWriter.securitySeverity(f);
            if (Double.parseDouble(ss) > Double.parseDouble(securitySeverity)) {
                securitySeverity = ss;
            }
            if (f.references() != null) {
                f.references().stream().filter(r -> !references.contains(r)).forEach(references::add);
            }
        }

        ObjectNode toJson() {
            ObjectNode r = Json.MAPPER.createObjectNode();
            // no "name": ids are already what users search for, and SARIF wants a name to differ from the id
            // (the SARIF validator's rule SARIF1001) rather than repeat it
            r.put("id", first.id());
            String title = nonEmpty(first.title(), first.id());
            r.putObject("shortDescription").put("text", truncate(title, MAX_DESCRIPTION));
            r.putObject("fullDescription").put("text", truncate(nonEmpty(first.description(), title), MAX_DESCRIPTION));
            String helpUri = references.stream().filter(SarifWriter::isAbsoluteWebUri).findFirst().orElse(null);
            if (helpUri != null) {
                r.put("helpUri", helpUri);
            }
            ObjectNode help = r.putObject("help");
            help.put("text", helpText(false));
            help.put("markdown", helpText(true));
            r.putObject("defaultConfiguration").put("level", level(severity));
            ObjectNode props = r.putObject("properties");
            ArrayNode tags = props.putArray("tags");
            tags.add(first.category().label());
            if (!first.category().label().equals("security")) {
                tags.add("security");
            }
            if (first.cis() != null && !first.cis().isBlank()) {
                // the tag lets code scanning filter alerts by benchmark item; the property is for tools that read it
                tags.add("CIS-" + first.cis().strip());
                props.put("cis", first.cis().strip());
            }
            props.put("security-severity", securitySeverity);
            return r;
        }

        private String helpText(boolean markdown) {
            StringBuilder sb = new StringBuilder();
            String title = nonEmpty(first.title(), first.id());
            sb.append(markdown ? "**" + escapeMarkdown(title) + "**" : title);
            if (first.description() != null && !first.description().isBlank() && !first.description().equals(title)) {
                sb.append("\n\n").append(markdown ? escapeMarkdown(first.description().strip()) : first.description().strip());
            }
            if (first.cis() != null) {
                sb.append("\n\nCIS Docker Benchmark ").append(first.cis());
            }
            if (first.remediation() != null && !first.remediation().isBlank()) {
                sb.append("\n\n").append(markdown ? "Remediation: " + escapeMarkdown(first.remediation().strip())
                        : "Remediation: " + first.remediation().strip());
            }
            if (first.aliases() != null && !first.aliases().isEmpty()) {
                sb.append("\n\nAlso known as: ").append(String.join(", ", first.aliases()));
            }
            if (!references.isEmpty()) {
                sb.append("\n\nReferences:");
                for (String ref : references) {
                    sb.append("\n").append(markdown && isAbsoluteWebUri(ref) ? "- <" + ref + ">" : "- " + ref);
                }
            }
            return sb.toString();
        }
    }

    /** What SARIF needs of a finding's package, whatever object the detector put there. */
    record PackageRef(String name, String version, String purl, String path) {
        static PackageRef of(Object pkg) {
            if (pkg == null) {
                return null;
            }
            JsonNode n = pkg instanceof JsonNode j ? j : Json.MAPPER.valueToTree(pkg);
            if (!n.isObject()) {
                return n.isTextual() ? new PackageRef(n.asText(), null, null, null) : null;
            }
            return new PackageRef(Json.text(n, "name"), Json.text(n, "version"), Json.text(n, "purl"), Json.text(n, "path"));
        }
    }

    static boolean isAbsoluteWebUri(String s) {
        if (s == null) {
            return false;
        }
        try {
            URI u = new URI(s);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && u.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String escapeMarkdown(String s) {
        return s.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String truncate(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }

    private static String nonEmpty(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s.strip();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static void putIfPresent(ObjectNode n, String key, String value) {
        if (value != null && !value.isBlank()) {
            n.put(key, value);
        }
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** Jackson closes what it writes to; stdout must stay open. */
    private static final class NonClosing extends FilterOutputStream {
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
