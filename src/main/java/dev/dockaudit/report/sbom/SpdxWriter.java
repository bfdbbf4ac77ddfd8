package dev.dockaudit.report.sbom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockaudit.image.Image;
import dev.dockaudit.inventory.Inventory;
import dev.dockaudit.inventory.OsInfo;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.report.Report;
import dev.dockaudit.report.ReportWriter;
import dev.dockaudit.report.ToolInfo;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SPDX 2.3 JSON: one package for the image (purpose CONTAINER) that the document DESCRIBES, one for the OS
 * and one per package found, each CONTAINed by the image. Packages carry their purl as a
 * PACKAGE-MANAGER external reference, their declared licences as an SPDX expression (a licence that is not on the
 * SPDX License List becomes a {@code LicenseRef-} defined in {@code hasExtractedLicensingInfos}), and the file and
 * layer diff_id they were found in as {@code sourceInfo}. {@code filesAnalyzed} is false: files are not listed, so
 * no verification code is owed.
 */
public final class SpdxWriter implements ReportWriter {
    public static final String SPDX_VERSION = "SPDX-2.3";
    /** Base of {@code documentNamespace}; the document's name and a UUID make it unique. */
    public static final String NAMESPACE_BASE = "https://dockaudit.dev/spdx/";
    static final String DOCUMENT_ID = "SPDXRef-DOCUMENT";
    static final String NOASSERTION = "NOASSERTION";
    private static final Pattern LICENSE_REF = Pattern.compile("LicenseRef-[A-Za-z0-9.-]+");

    private final Supplier<UUID> uuids;
    private final Supplier<Instant> clock;

    /** A random namespace and the current time, per document. */
    public SpdxWriter() {
        this(UUID::randomUUID, Instant::now);
    }

    /** A fixed namespace UUID and creation time, for reproducible output. */
    public SpdxWriter(UUID namespace, Instant created) {
        this(() -> namespace, () -> created);
    }

    private SpdxWriter(Supplier<UUID> uuids, Supplier<Instant> clock) {
        this.uuids = uuids;
        this.clock = clock;
    }

    @Override
    public void write(Report report, OutputStream out) throws IOException {
        Sboms.write(toJson(report), out);
    }

    public ObjectNode toJson(Report report) {
        Image image = report.image();
        Inventory inv = Sboms.inventory(report);
        ImageSubject subject = ImageSubject.of(image);
        Ids ids = new Ids();
        LicenseRefs refs = new LicenseRefs();

        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("spdxVersion", SPDX_VERSION);
        doc.put("dataLicense", "CC0-1.0");
        doc.put("SPDXID", DOCUMENT_ID);
        doc.put("name", subject.name());
        doc.put("documentNamespace", NAMESPACE_BASE + uriSafe(subject.name()) + "-" + uuids.get());
        ObjectNode creation = doc.putObject("creationInfo");
        creation.put("created", Sboms.timestamp(clock.get()));
        creation.putArray("creators").add("Tool: " + ToolInfo.NAME + "-" + ToolInfo.VERSION);
        creation.put("licenseListVersion", SpdxLicenses.LIST_VERSION);

        ArrayNode packages = Json.MAPPER.createArrayNode();
        ArrayNode relationships = Json.MAPPER.createArrayNode();
        String imageId = ids.take("SPDXRef-Image-" + idSafe(subject.name()));
        packages.add(imagePackage(image, subject, imageId));
        doc.putArray("documentDescribes").add(imageId);
        relate(relationships, DOCUMENT_ID, "DESCRIBES", imageId);

        OsInfo os = inv.os();
        if (os != null && !Sboms.blank(os.family())) {
            String osId = ids.take("SPDXRef-OperatingSystem-" + idSafe(os.family())
                    + (os.version() == null ? "" : "-" + idSafe(os.version())));
            packages.add(osPackage(os, osId));
            relate(relationships, imageId, "CONTAINS", osId);
        }
        for (Package p : inv.packages()) {
            String id = ids.take(packageId(p));
            packages.add(packagePackage(p, id, refs));
            relate(relationships, imageId, "CONTAINS", id);
        }
        if (!refs.isEmpty()) {
            doc.set("hasExtractedLicensingInfos", refs.toJson());
        }
        doc.set("packages", packages);
        doc.set("relationships", relationships);
        return doc;
    }

    private static ObjectNode imagePackage(Image image, ImageSubject subject, String id) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("name", subject.name());
        n.put("SPDXID", id);
        if (subject.version() != null) {
            n.put("versionInfo", subject.version());
        }
        n.put("downloadLocation", NOASSERTION);
        n.put("filesAnalyzed", false);
        n.put("licenseConcluded", NOASSERTION);
        n.put("licenseDeclared", NOASSERTION);
        n.put("copyrightText", NOASSERTION);
        n.put("primaryPackagePurpose", "CONTAINER");
        if (subject.purl() != null) {
            purlRef(n.putArray("externalRefs"), subject.purl());
        }
        List<String> facts = new ArrayList<>();
        facts.add("image ID " + (image.configDigest() == null ? "unknown" : image.configDigest()));
        if (image.manifestDigest() != null) {
            facts.add("manifest digest " + image.manifestDigest());
        }
        if (!image.repoTags().isEmpty()) {
            facts.add("repo tags " + String.join(", ", image.repoTags()));
        }
        if (!image.repoDigests().isEmpty()) {
            facts.add("repo digests " + String.join(", ", image.repoDigests()));
        }
        if (image.platform() != null) {
            facts.add("platform " + image.platform());
        }
        List<String> diffIds = new ArrayList<>();
        image.layers().forEach(l -> {
            Digest d = l.diffId() != null ? l.diffId() : l.scan() == null ? null : l.scan().diffId();
            if (d != null) {
                diffIds.add(d.toString());
            }
        });
        if (!diffIds.isEmpty()) {
            facts.add("layer diff_ids " + String.join(", ", diffIds));
        }
        n.put("comment", String.join("; ", facts));
        n.put("sourceInfo", "read from " + image.reference().original() + " (" + image.source() + ")");
        return n;
    }

    private static ObjectNode osPackage(OsInfo os, String id) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("name", os.family());
        n.put("SPDXID", id);
        if (os.version() != null) {
            n.put("versionInfo", os.version());
        }
        n.put("downloadLocation", NOASSERTION);
        n.put("filesAnalyzed", false);
        n.put("licenseConcluded", NOASSERTION);
        n.put("licenseDeclared", NOASSERTION);
        n.put("copyrightText", NOASSERTION);
        // No primaryPackagePurpose: the SPDX 2.3 schema the SPDX tools validate with spells it OPERATING_SYSTEM,
        // the corrected 2.3.1 schema OPERATING-SYSTEM, and no value passes both. The comment says what it is.
        n.put("comment", "operating system of the image");
        if (!Sboms.blank(os.prettyName())) {
            n.put("description", os.prettyName());
        }
        if (!Sboms.blank(os.source())) {
            n.put("sourceInfo", "identified from /" + os.source().replaceFirst("^/", ""));
        }
        return n;
    }

    private static ObjectNode packagePackage(Package p, String id, LicenseRefs refs) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("name", p.name());
        n.put("SPDXID", id);
        if (!Sboms.blank(p.version())) {
            n.put("versionInfo", p.version());
        }
        n.put("downloadLocation", NOASSERTION);
        n.put("filesAnalyzed", false);
        n.put("licenseConcluded", NOASSERTION);
        n.put("licenseDeclared", licenseDeclared(p.licenses(), refs));
        n.put("copyrightText", NOASSERTION);
        n.put("primaryPackagePurpose", "LIBRARY");
        if (p.purl() != null) {
            purlRef(n.putArray("externalRefs"), p.purl());
        }
        StringBuilder source = new StringBuilder("found");
        if (!Sboms.blank(p.path())) {
            source.append(" in ").append(p.path());
        }
        source.append(Sboms.blank(p.layer()) ? " (layer unknown)" : " in the layer with diff_id " + p.layer());
        n.put("sourceInfo", source.toString());
        List<String> comment = new ArrayList<>();
        comment.add(p.type().label + " package");
        if (!Sboms.blank(p.arch())) {
            comment.add("arch " + p.arch());
        }
        if (!Sboms.blank(p.sourceName())) {
            comment.add("source package " + p.sourceName()
                    + (Sboms.blank(p.sourceVersion()) ? "" : " " + p.sourceVersion()));
        }
        if (!Sboms.blank(p.layer())) {
            comment.add("layer diff_id " + p.layer());
        }
        n.put("comment", String.join("; ", comment));
        return n;
    }

    /**
     * The declared licences as one SPDX expression: listed ids in their listed spelling, valid expressions
     * normalised, anything else as a {@code LicenseRef-}; several are joined with AND (the inventory lists
     * licences that all apply to the package). NOASSERTION when there are none.
     */
    static String licenseDeclared(List<String> declared, LicenseRefs refs) {
        LinkedHashSet<String> parts = new LinkedHashSet<>();
        boolean none = false;
        for (String s : declared) {
            if (Sboms.blank(s) || s.strip().equalsIgnoreCase(NOASSERTION)) {
                continue;
            }
            if (s.strip().equalsIgnoreCase("NONE")) {
                none = true;
                continue;
            }
            String expr = SpdxLicenses.normalize(s.strip());
            if (expr != null && expr.contains("DocumentRef-")) {
                expr = null; // it would point into an SPDX document this one does not reference
            }
            if (expr != null) {
                Matcher m = LICENSE_REF.matcher(expr);
                while (m.find()) {
                    refs.declare(m.group());
                }
            }
            parts.add(expr != null ? expr : refs.refFor(s.strip()));
        }
        if (parts.isEmpty()) {
            return none ? "NONE" : NOASSERTION;
        }
        if (parts.size() == 1) {
            return parts.iterator().next();
        }
        List<String> wrapped = new ArrayList<>();
        for (String e : parts) {
            wrapped.add(e.contains(" ") ? "(" + e + ")" : e);
        }
        return String.join(" AND ", wrapped);
    }

    /**
     * {@code SPDXRef-Package-TYPE-NAME-HASH}: the name made safe (SPDX ids allow only letters, digits, '.' and
     * '-') and 16 hex digits of a hash of the package's identity and path, so two names that clean up alike
     * ({@code a+b}, {@code a~b}) or one package found at two paths still get different, stable ids.
     */
    static String packageId(Package p) {
        String identity = p.type().label + "|" + p.name() + "|" + p.version() + "|" + p.arch() + "|" + p.path();
        String hash = Digest.sha256(identity.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 16);
        return "SPDXRef-Package-" + p.type().label + "-" + idSafe(p.name()) + "-" + hash;
    }

    /** Letters, digits, '.' and '-' only: everything else becomes '-', runs collapse; never empty. */
    static String idSafe(String s) {
        if (s == null) {
            return "unknown";
        }
        String r = s.replaceAll("[^A-Za-z0-9.-]+", "-").replaceAll("-{2,}", "-").replaceAll("^-|-$", "");
        return r.isEmpty() ? "unknown" : r;
    }

    private static String uriSafe(String s) {
        String r = s == null ? "" : s.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("-{2,}", "-").replaceAll("^-|-$", "");
        return r.isEmpty() ? "image" : r;
    }

    private static void purlRef(ArrayNode refs, String purl) {
        ObjectNode r = refs.addObject();
        r.put("referenceCategory", "PACKAGE-MANAGER");
        r.put("referenceType", "purl");
        r.put("referenceLocator", purl);
    }

    private static void relate(ArrayNode rels, String from, String type, String to) {
        ObjectNode r = rels.addObject();
        r.put("spdxElementId", from);
        r.put("relationshipType", type);
        r.put("relatedSpdxElement", to);
    }

    /** Keeps SPDX ids unique in a document: a repeat gets {@code -2}, {@code -3} … */
    private static final class Ids {
        private final Set<String> used = new HashSet<>();

        String take(String base) {
            String id = base;
            for (int n = 2; !used.add(id); n++) {
                id = base + "-" + n;
            }
            return id;
        }
    }

    /** The {@code LicenseRef-}s a document uses, one per distinct licence text, each defined once. */
    static final class LicenseRefs {
        private final Map<String, String> byText = new LinkedHashMap<>();
        private final Set<String> ids = new HashSet<>();

        String refFor(String text) {
            String known = byText.get(text);
            if (known != null) {
                return known;
            }
            String base = "LicenseRef-" + idSafe(text);
            String id = base;
            for (int n = 2; !ids.add(id); n++) {
                id = base + "-" + n;
            }
            byText.put(text, id);
            return id;
        }

        /** A {@code LicenseRef-} the package metadata itself names: defined with its id as its only text. */
        void declare(String ref) {
            if (!byText.containsKey(ref) && ids.add(ref)) {
                byText.put(ref, ref);
            }
        }

        boolean isEmpty() {
            return byText.isEmpty();
        }

        ArrayNode toJson() {
            ArrayNode out = Json.MAPPER.createArrayNode();
            Map<String, String> sorted = new TreeMap<>();
            byText.forEach((text, id) -> sorted.put(id, text));
            sorted.forEach((id, text) -> {
                ObjectNode n = out.addObject();
                n.put("licenseId", id);
                n.put("name", text);
                n.put("extractedText", text);
                n.put("comment", "Licence as the package metadata in the image declares it; not an SPDX License List"
                        + " identifier or expression, so only its name is known.");
            });
            return out;
        }
    }
}
