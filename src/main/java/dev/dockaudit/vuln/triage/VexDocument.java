package dev.dockaudit.vuln.triage;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.dockaudit.util.Json;
import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * OpenVEX documents ({@code --vex FILE}, repeatable): statements that a vulnerability does or does not affect a product.
 * Reads OpenVEX v0.2.0 (https://openvex.dev/ns/v0.2.0) and the earlier drafts' string forms of {@code vulnerability},
 * {@code products} and {@code subcomponents}.
 *
 * <p>A statement applies to a finding when its vulnerability ({@code name} or an alias) is the finding's id or one of
 * its aliases, and one of its products is
 * <ul>
 * <li>the scanned image (a {@code pkg:oci} purl whose version is one of the image's digests, or without a version whose
 * name and {@code repository_url}/{@code tag} fit; a {@code pkg:docker} purl; an image digest as {@code @id} or in
 * {@code hashes}) and, when the product lists subcomponents, the finding's package is one of them; or</li>
 * <li>the finding's package itself.</li>
 * </ul>
 * Package purls are compared by type, namespace, name and version (a purl without a version means every version);
 * qualifiers only count where both purls have them and they differ. Of the statements that apply, the latest by
 * timestamp wins ({@code last_updated}, else the statement's {@code timestamp}, else the document's; a tie goes to the
 * statement read last). {@code not_affected} and {@code fixed} suppress the finding; {@code affected} and
 * {@code under_investigation} keep it.
 */
public final class VexDocument {
    static final Set<String> STATUSES = Set.of("not_affected", "affected", "fixed", "under_investigation");
    static final Set<String> JUSTIFICATIONS = Set.of("component_not_present", "vulnerable_code_not_present",
            "vulnerable_code_not_in_execute_path", "vulnerable_code_cannot_be_controlled_by_adversary",
            "inline_mitigations_already_exist");
    private static final long MAX_BYTES = 64L * 1024 * 1024;

    /** An identifiable piece of software: its purls, its other ids ({@code @id}), its hashes. */
    public record Component(List<String> purls, List<String> ids, Map<String, String> hashes) {
    }

    public record Product(Component component, List<Component> subcomponents) {
    }

    /**
     * One statement, as read.
     *
     * @param source    {@code FILE statement N} (1-based), for messages
     * @param names     the vulnerability's name and aliases, upper-cased
     * @param timestamp when the statement was made or last updated
     * @param order     position among every statement read, for ties
     */
    public record Statement(String source, String vulnerability, Set<String> names, List<Product> products, String status,
                            String justification, String impactStatement, String actionStatement, Instant timestamp,
                            int order) {
    }

    private final List<Statement> statements;
    private final List<String> warnings;

    private VexDocument(List<Statement> statements, List<String> warnings) {
        this.statements = List.copyOf(statements);
        this.warnings = List.copyOf(warnings);
    }

    /** Reads an OpenVEX file. */
    public static VexDocument load(Path file) {
        byte[] data;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new UserError("VEX file " + file + " is larger than 64 MiB; split it");
            }
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError("VEX file " + file + " does not exist; check the path given to --vex");
        } catch (IOException e) {
            throw new UserError("cannot read VEX file " + file + " (" + e.getMessage() + ")");
        }
        return parse(data, file.toString());
    }

    /** Reads every file given with {@code --vex}, in order (a later file wins timestamp ties). */
    public static VexDocument loadAll(List<Path> files) {
        List<VexDocument> docs = new ArrayList<>();
        for (Path f : files) {
            docs.add(load(f));
        }
        return merge(docs);
    }

    /** All statements of several documents, in order. */
    public static VexDocument merge(List<VexDocument> docs) {
        List<Statement> all = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (VexDocument d : docs) {
            for (Statement s : d.statements) {
                all.add(new Statement(s.source(), s.vulnerability(), s.names(), s.products(), s.status(), s.justification(),
                        s.impactStatement(), s.actionStatement(), s.timestamp(), all.size()));
            }
            warnings.addAll(d.warnings);
        }
        return new VexDocument(all, warnings);
    }

    /** No statements: nothing to apply. */
    public static VexDocument none() {
        return new VexDocument(List.of(), List.of());
    }

    /**
     * Parses an OpenVEX document; {@code name} is what messages call it.
     *
     * @throws UserError when it is not JSON, not OpenVEX, or a statement lacks what the specification requires
     */
    public static VexDocument parse(byte[] json, String name) {
        JsonNode doc;
        try {
            doc = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? "parse error" : e.getMessage().lines().findFirst().orElse("parse error");
            throw new UserError("VEX file " + name + " is not valid JSON (" + msg + ")");
        }
        if (doc == null || !doc.isObject()) {
            throw new UserError("VEX file " + name + " is not an OpenVEX document (expected a JSON object)");
        }
        String context = Json.text(doc, "@context");
        if (context == null || !context.startsWith("https://openvex.dev/ns")) {
            throw new UserError("VEX file " + name + " is not an OpenVEX document (its @context is "
                    + (context == null ? "missing" : "'" + context + "'") + ", not https://openvex.dev/ns/…); dockaudit reads OpenVEX");
        }
        Instant docTime = time(doc, "timestamp", name, "the document");
        Instant docUpdated = time(doc, "last_updated", name, "the document");
        JsonNode stmts = doc.get("statements");
        if (stmts == null || !stmts.isArray()) {
            throw new UserError("VEX file " + name + " has no statements array");
        }
        List<Statement> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int i = 0;
        for (JsonNode st : stmts) {
            i++;
            String where = name + " statement " + i;
            if (!st.isObject()) {
                throw new UserError(where + " is not a JSON object");
            }
            // vulnerability: {name, aliases} (v0.2.0) or a plain id (earlier drafts)
            JsonNode v = st.get("vulnerability");
            String vulnName;
            Set<String> names = new LinkedHashSet<>();
            if (v != null && v.isTextual()) {
                vulnName = v.asText();
            } else if (v != null && v.isObject()) {
                vulnName = Json.text(v, "name");
                for (JsonNode a : v.path("aliases")) {
                    if (a.isTextual() && !a.asText().isBlank()) {
                        names.add(a.asText().strip().toUpperCase(Locale.ROOT));
                    }
                }
            } else {
                vulnName = null;
            }
            if (vulnName == null || vulnName.isBlank()) {
                throw new UserError(where + " has no vulnerability name; OpenVEX requires vulnerability.name");
            }
            names.add(vulnName.strip().toUpperCase(Locale.ROOT));

            String status = Json.text(st, "status");
            if (status == null || !STATUSES.contains(status)) {
                throw new UserError(where + " has status " + (status == null ? "missing" : "'" + status + "'")
                        + "; OpenVEX statuses are not_affected, affected, fixed and under_investigation");
            }
            String justification = Json.text(st, "justification");
            String impact = Json.text(st, "impact_statement");
            if (justification != null && !JUSTIFICATIONS.contains(justification)) {
                warnings.add(where + ": '" + justification + "' is not an OpenVEX justification label; kept as text");
            }
            if (status.equals("not_affected") && justification == null && (impact == null || impact.isBlank())) {
                warnings.add(where + ": not_affected without a justification or impact statement (OpenVEX requires one);"
                        + " applied anyway");
            }

            List<Component> statementSubs = components(st.get("subcomponents")); // earlier drafts: statement level
            List<Product> products = new ArrayList<>();
            JsonNode ps = st.get("products");
            if (ps != null && ps.isArray()) {
                for (JsonNode p : ps) {
                    Component c = component(p);
                    if (c == null) {
                        continue;
                    }
                    List<Component> subs = new ArrayList<>(p.isObject() ? components(p.get("subcomponents")) : List.of());
                    subs.addAll(statementSubs);
                    products.add(new Product(c, List.copyOf(subs)));
                }
            }
            if (products.isEmpty()) {
                warnings.add(where + " names no product dockaudit can read; it cannot apply to a finding");
            }

            Instant ts = time(st, "last_updated", name, "statement " + i);
            if (ts == null) {
                ts = time(st, "timestamp", name, "statement " + i);
            }
            if (ts == null) {
                ts = docUpdated != null ? docUpdated : docTime;
            }
            if (ts == null) {
                throw new UserError(where + " has no timestamp and neither has the document; OpenVEX requires the"
                        + " document's timestamp");
            }
            out.add(new Statement(where, vulnName.strip(), Set.copyOf(names), List.copyOf(products), status,
                    justification, impact, Json.text(st, "action_statement"), ts, out.size()));
        }
        return new VexDocument(out, warnings);
    }

    private static List<Component> components(JsonNode arr) {
        List<Component> list = new ArrayList<>();
        if (arr != null && arr.isArray()) {
            for (JsonNode n : arr) {
                Component c = component(n);
                if (c != null) {
                    list.add(c);
                }
            }
        }
        return list;
    }

    /** A product or subcomponent: an object with @id, identifiers and hashes, or (earlier drafts) a plain identifier. */
    private static Component component(JsonNode n) {
        List<String> purls = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        Map<String, String> hashes = new java.util.TreeMap<>();
        if (n.isTextual()) {
            addId(n.asText(), purls, ids);
        } else if (n.isObject()) {
            String id = Json.text(n, "@id");
            if (id != null) {
                addId(id, purls, ids);
            }
            JsonNode identifiers = n.path("identifiers");
            String purl = Json.text(identifiers, "purl");
            if (purl != null && !purls.contains(purl.strip())) {
                purls.add(purl.strip());
            }
            n.path("hashes").fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    hashes.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText().strip().toLowerCase(Locale.ROOT));
                }
            });
        } else {
            return null;
        }
        if (purls.isEmpty() && ids.isEmpty() && hashes.isEmpty()) {
            return null;
        }
        return new Component(List.copyOf(purls), List.copyOf(ids), Map.copyOf(hashes));
    }

    private static void addId(String id, List<String> purls, List<String> ids) {
        String s = id.strip();
        if (s.startsWith("pkg:")) {
            purls.add(s);
        } else if (!s.isEmpty()) {
            ids.add(s);
        }
    }

    private static Instant time(JsonNode n, String field, String name, String what) {
        String s = Json.text(n, field);
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s.strip()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s.strip()).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw new UserError("VEX file " + name + ": " + what + " has " + field + " '" + s
                        + "', not an RFC 3339 time such as 2023-01-08T18:02:03-06:00");
            }
        }
    }

    public List<Statement> statements() {
        return statements;
    }

    /** Things wrong with the documents that did not stop them being used, for the report's notes. */
    public List<String> warnings() {
        return warnings;
    }

    /** The decision of the latest statement that applies to the finding in this image; KEEP when none applies. */
    public Decision apply(FindingLike f, ImageIdentity image) {
        Set<String> ids = f.allIds();
        Statement best = null;
        for (Statement s : statements) {
            if (s.names().stream().noneMatch(ids::contains)) {
                continue;
            }
            if (s.products().stream().noneMatch(p -> applies(p, f, image))) {
                continue;
            }
            if (best == null || LATEST.compare(s, best) > 0) {
                best = s;
            }
        }
        if (best == null) {
            return Decision.KEEP;
        }
        boolean suppress = best.status().equals("not_affected") || best.status().equals("fixed");
        String detail = best.status().equals("affected") ? best.actionStatement() : best.impactStatement();
        return new Decision(suppress ? Decision.Outcome.SUPPRESS : Decision.Outcome.KEEP, best.source(), best.status(),
                best.justification(), detail);
    }

    private static final Comparator<Statement> LATEST = Comparator.comparing(Statement::timestamp)
            .thenComparingInt(Statement::order);

    private static boolean applies(Product p, FindingLike f, ImageIdentity image) {
        boolean isImage = image != null && isImage(p.component(), image);
        boolean isPackage = isPackage(p.component(), f);
        if (p.subcomponents().isEmpty()) {
            return isImage || isPackage;
        }
        return (isImage || isPackage) && p.subcomponents().stream().anyMatch(s -> isPackage(s, f));
    }

    static boolean isPackage(Component c, FindingLike f) {
        if (f.packagePurl() == null) {
            return false;
        }
        PackageURL pkg = purl(f.packagePurl());
        if (pkg == null) {
            return false;
        }
        for (String p : c.purls()) {
            PackageURL u = purl(p);
            if (u != null && !isImageType(u) && purlMatches(u, pkg)) {
                return true;
            }
        }
        return false;
    }

    static boolean isImage(Component c, ImageIdentity image) {
        for (String p : c.purls()) {
            PackageURL u = purl(p);
            if (u == null) {
                continue;
            }
            String type = u.getType().toLowerCase(Locale.ROOT);
            if (type.equals("oci") && ociMatches(u, image) || type.equals("docker") && dockerMatches(u, image)) {
                return true;
            }
        }
        for (String id : c.ids()) {
            String s = id.toLowerCase(Locale.ROOT);
            int at = s.lastIndexOf('@');
            String digest = at >= 0 ? s.substring(at + 1) : s;
            if (digest.startsWith("sha256:") && image.digests().contains(digest)) {
                return true;
            }
        }
        for (Map.Entry<String, String> h : c.hashes().entrySet()) {
            String alg = h.getKey().replace("-", "");
            if (image.digests().contains(alg + ":" + h.getValue())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isImageType(PackageURL u) {
        String t = u.getType().toLowerCase(Locale.ROOT);
        return t.equals("oci") || t.equals("docker");
    }

    /** purl-spec "oci": name is the repository's last segment, version the manifest digest. */
    private static boolean ociMatches(PackageURL u, ImageIdentity image) {
        if (u.getVersion() != null) {
            return image.digests().contains(u.getVersion().toLowerCase(Locale.ROOT));
        }
        String name = u.getName().toLowerCase(Locale.ROOT);
        Map<String, String> q = u.getQualifiers() == null ? Map.of() : u.getQualifiers();
        String repoUrl = q.get("repository_url");
        boolean repoFits = image.repositories().stream().anyMatch(r -> {
            if (!r.substring(r.lastIndexOf('/') + 1).equals(name)) {
                return false;
            }
            return repoUrl == null || sameRepository(repoUrl, r);
        });
        return repoFits && (q.get("tag") == null || image.tags().contains(q.get("tag")));
    }

    /** purl-spec "docker": namespace/name is the repository ({@code library/} for official images), version a tag or digest. */
    private static boolean dockerMatches(PackageURL u, ImageIdentity image) {
        String repo = (u.getNamespace() == null ? "" : u.getNamespace() + "/") + u.getName();
        Map<String, String> q = u.getQualifiers() == null ? Map.of() : u.getQualifiers();
        String registry = q.get("repository_url");
        boolean repoFits = image.repositories().stream().anyMatch(r -> {
            int slash = r.indexOf('/');
            String reg = r.substring(0, slash);
            String path = r.substring(slash + 1);
            if (!stripLibrary(path).equalsIgnoreCase(stripLibrary(repo))) {
                return false;
            }
            return registry == null ? reg.equals("docker.io") : sameRepository(registry, reg) || sameRepository(registry, r);
        });
        if (!repoFits) {
            return false;
        }
        String v = u.getVersion();
        if (v == null) {
            return true;
        }
        return v.startsWith("sha256:") ? image.digests().contains(v.toLowerCase(Locale.ROOT)) : image.tags().contains(v);
    }

    private static String stripLibrary(String repo) {
        return repo.startsWith("library/") ? repo.substring("library/".length()) : repo;
    }

    private static boolean sameRepository(String url, String repo) {
        String a = url.replaceFirst("^[a-z]+://", "").replaceAll("/+$", "").toLowerCase(Locale.ROOT);
        String b = repo.toLowerCase(Locale.ROOT);
        return a.equals(b) || (a.startsWith("index.docker.io/") || a.startsWith("registry-1.docker.io/"))
                && ("docker.io/" + a.substring(a.indexOf('/') + 1)).equals(b);
    }

    /** Same type, namespace, name; same version when the VEX purl has one; no qualifier both have with different values. */
    static boolean purlMatches(PackageURL vex, PackageURL pkg) {
        if (!vex.getType().equalsIgnoreCase(pkg.getType()) || !Objects.equals(vex.getNamespace(), pkg.getNamespace())
                || !vex.getName().equals(pkg.getName())) {
            return false;
        }
        if (vex.getVersion() != null && !vex.getVersion().equals(pkg.getVersion())) {
            return false;
        }
        Map<String, String> a = vex.getQualifiers() == null ? Map.of() : vex.getQualifiers();
        Map<String, String> b = pkg.getQualifiers() == null ? Map.of() : pkg.getQualifiers();
        for (Map.Entry<String, String> e : a.entrySet()) {
            String other = b.get(e.getKey());
            if (other != null && !other.equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static PackageURL purl(String s) {
        try {
            return new PackageURL(s);
        } catch (MalformedPackageURLException | RuntimeException e) {
            return null;
        }
    }
}
