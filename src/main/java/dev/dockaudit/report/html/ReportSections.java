package dev.dockaudit.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.image.Image;
import dev.dockaudit.image.Layer;
import dev.dockaudit.inventory.Inventory;
import dev.dockaudit.inventory.OsInfo;
import dev.dockaudit.inventory.Package;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Report;
import dev.dockaudit.report.Severity;
import dev.dockaudit.trust.model.CosignSignature;
import dev.dockaudit.trust.model.NotaryResult;
import dev.dockaudit.trust.model.Referrer;
import dev.dockaudit.trust.model.TrustResults;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.Json;
import dev.dockaudit.util.Redact;
import dev.dockaudit.util.Sizes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The parts of an HTML report, shared by the image page and the container page (which shows several images). */
final class ReportSections {
    /** Advisory ids osv.dev serves a page for (its own prefixes and the databases it aggregates). */
    private static final Pattern OSV_ID = Pattern.compile(
            "(?:CVE-\\d{4}-\\d{4,}|GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}|(?:DSA|DLA|DTSA)-\\d+-\\d+|USN-\\d+-\\d+"
                    + "|(?:OSV|PYSEC|GO|RUSTSEC|MAL|BIT|CURL|PSF|UBUNTU-CVE|ALPINE-CVE|DEBIAN-CVE|RHSA|RLSA|ALSA|ALBA|ALEA"
                    + "|SUSE-SU|openSUSE-SU|MGASA|CGA|GSD|HSEC|LBSEC|OESA|RXSA|SUSE-RU|openSUSE-RU|DEBIAN|ALPINE)-[A-Za-z0-9:._-]{1,80})");
    static final String[] SEVERITY_FILL = {"#7f1d1d", "#c2410c", "#b7791f", "#2b6cb0", "#4a5568", "#718096"};
    private static final String CATEGORY_FILL = "#2f5d9a";

    private ReportSections() {
    }

    /** Counts by severity and by category: a table (the numbers, also what scripts and tests read) and two charts. */
    static void summary(HtmlOut o, String id, Map<Severity, Integer> bySeverity, Map<Category, Integer> byCategory,
                        int total) {
        o.open("section", "id", id).nl();
        o.el("h2", "Summary");
        o.open("p").text(total + (total == 1 ? " finding" : " findings")).close("p");
        o.open("div", "class", "charts").nl();
        List<SvgCharts.Bar> sev = new ArrayList<>();
        for (Severity s : Severity.values()) {
            sev.add(new SvgCharts.Bar(s.name(), bySeverity.getOrDefault(s, 0), SEVERITY_FILL[s.ordinal()]));
        }
        o.open("figure").el("figcaption", "By severity");
        SvgCharts.columns(o, "Findings by severity", sev);
        o.close("figure").nl();
        List<SvgCharts.Bar> cat = new ArrayList<>();
        for (Category c : Category.values()) {
            if (byCategory.getOrDefault(c, 0) > 0) {
                cat.add(new SvgCharts.Bar(c.label(), byCategory.get(c), CATEGORY_FILL));
            }
        }
        o.open("figure").el("figcaption", "By category");
        if (cat.isEmpty()) {
            o.el("p", "No findings.", "class", "muted");
        } else {
            SvgCharts.columns(o, "Findings by category", cat);
        }
        o.close("figure").nl();
        o.open("table", "class", "counts");
        o.open("thead").open("tr").el("th", "Severity").el("th", "Findings", "class", "num").close("tr").close("thead");
        o.open("tbody");
        for (Severity s : Severity.values()) {
            o.open("tr").open("td").el("span", s.name(), "class", "badge s-" + s.name()).close("td")
                    .el("td", Integer.toString(bySeverity.getOrDefault(s, 0)), "class", "num", "data-count-severity", s.name())
                    .close("tr");
        }
        o.close("tbody").close("table");
        o.open("table", "class", "counts");
        o.open("thead").open("tr").el("th", "Category").el("th", "Findings", "class", "num").close("tr").close("thead");
        o.open("tbody");
        for (Category c : Category.values()) {
            if (byCategory.getOrDefault(c, 0) > 0) {
                o.open("tr").el("td", c.label())
                        .el("td", Integer.toString(byCategory.get(c)), "class", "num", "data-count-category", c.label())
                        .close("tr");
            }
        }
        o.close("tbody").close("table");
        o.close("div").nl();
        o.close("section").nl();
    }

    /**
     * The filter bar. It is in the markup but hidden; the script shows it, so without scripts there are no controls that
     * do nothing, and every row stays visible in the server's order (most severe first).
     */
    static void controls(HtmlOut o, Set<Category> categories, int total) {
        o.open("div", "id", "controls", "hidden", "hidden", "role", "search").nl();
        o.open("label").text("Severity ");
        o.open("select", "id", "f-severity");
        o.el("option", "all", "value", "");
        for (Severity s : Severity.values()) {
            o.el("option", s.name(), "value", s.name());
        }
        o.close("select").close("label");
        o.open("label").text("Category ");
        o.open("select", "id", "f-category");
        o.el("option", "all", "value", "");
        for (Category c : Category.values()) {
            if (categories.contains(c)) {
                o.el("option", c.label(), "value", c.label());
            }
        }
        o.close("select").close("label");
        o.open("label").text("Search ");
        o.empty("input", "id", "f-text", "type", "search", "placeholder", "id, package, text…", "autocomplete", "off");
        o.close("label");
        o.el("span", total + " findings", "id", "f-count", "class", "muted", "aria-live", "polite");
        o.close("div").nl();
    }

    /** The findings, most severe first (the report's order), one row each; details fold out. */
    static void findings(HtmlOut o, List<Finding> findings, Map<String, Integer> layerIndex) {
        if (findings.isEmpty()) {
            o.el("p", "No findings.", "class", "muted");
            return;
        }
        // package and layer columns only where some finding fills them (a container's runtime findings have none)
        boolean packages = findings.stream().anyMatch(f -> f.pkg() != null || f.installedVersion() != null
                || f.fixedVersion() != null);
        boolean layers = findings.stream().anyMatch(f -> f.layer() != null);
        o.open("table", "class", "findings sortable").nl();
        o.open("thead").open("tr");
        List<String> heads = new ArrayList<>(List.of("Severity", "Category", "ID", "Title"));
        if (packages) {
            heads.addAll(List.of("Package", "Installed", "Fixed"));
        }
        if (layers) {
            heads.add("Layer");
        }
        for (String h : heads) {
            o.el("th", h, "scope", "col");
        }
        o.close("tr").close("thead").nl();
        o.open("tbody").nl();
        for (Finding f : findings) {
            PackageRef pkg = PackageRef.of(f.pkg());
            Integer layer = f.layer() == null ? null : layerIndex.get(f.layer());
            o.open("tr", "data-severity", f.severity().name(), "data-category", f.category().label());
            o.open("td", "data-key", Integer.toString(f.severity().ordinal()))
                    .el("span", f.severity().name(), "class", "badge s-" + f.severity().name()).close("td");
            o.el("td", f.category().label());
            o.open("td").open("code").text(f.id()).close("code").close("td");
            o.open("td").text(f.title());
            details(o, f, pkg);
            o.close("td");
            if (packages) {
                o.el("td", pkg == null ? "" : pkg.name());
                o.el("td", f.installedVersion() != null ? f.installedVersion() : pkg == null ? "" : pkg.version());
                o.el("td", f.fixedVersion());
            }
            if (layers && layer != null) {
                o.open("td", "data-key", Integer.toString(layer), "title", f.layer()).text("#" + layer).close("td");
            } else if (layers) {
                o.el("td", f.layer() == null ? "" : shortDigest(f.layer()), "data-key", "-1", "title", f.layer());
            }
            o.close("tr").nl();
        }
        o.close("tbody").close("table").nl();
    }

    private static void details(HtmlOut o, Finding f, PackageRef pkg) {
        Set<String> links = links(f);
        boolean any = f.description() != null || f.evidence() != null || f.remediation() != null || f.path() != null
                || f.cis() != null || !f.aliases().isEmpty() || !links.isEmpty() || f.status() != null
                || (pkg != null && pkg.purl() != null) || f.vuln() != null;
        if (!any) {
            return;
        }
        o.open("details").el("summary", "details").open("div", "class", "more");
        para(o, null, f.description());
        para(o, "Evidence", f.evidence());
        if (f.path() != null) {
            o.open("p").el("strong", "Path: ").open("code").text(f.path()).close("code");
            if (Boolean.TRUE.equals(f.deletedInLaterLayer())) {
                o.text(" (deleted by a later layer, still shipped)");
            }
            o.close("p");
        }
        if (pkg != null && pkg.purl() != null) {
            o.open("p").el("strong", "Package: ").open("code").text(pkg.purl()).close("code").close("p");
        }
        para(o, "Status", f.status());
        if (f.vuln() != null) {
            para(o, "Rated by", f.vuln().ratingSource() == null ? null : f.vuln().ratingSource()
                    + (f.vuln().score() == null ? "" : " (score " + f.vuln().score() + ")"));
            for (dev.dockaudit.report.VulnDetails.Cvss c : f.vuln().cvss()) {
                o.open("p").el("strong", "CVSS " + c.version() + ": ").text(c.score() + " " + c.severity() + " ")
                        .open("code").text(c.vector()).close("code").text(" (" + c.advisory() + ")").close("p");
            }
            if (!f.vuln().cwes().isEmpty()) {
                para(o, "Weaknesses", String.join(", ", f.vuln().cwes().stream().map(c -> "CWE-" + c).toList()));
            }
        }
        para(o, "CIS Docker Benchmark", f.cis());
        para(o, "Remediation", f.remediation());
        if (!f.aliases().isEmpty()) {
            para(o, "Aliases", String.join(", ", f.aliases()));
        }
        if (!links.isEmpty()) {
            o.open("p").el("strong", "Advisories: ");
            boolean first = true;
            for (String url : links) {
                if (!first) {
                    o.text(" · ");
                }
                first = false;
                o.el("a", url, "href", url, "rel", "noopener noreferrer");
            }
            o.close("p");
        }
        o.close("div").close("details");
    }

    /** The finding's references that are web links, then an osv.dev page for each advisory id it carries. */
    static Set<String> links(Finding f) {
        Set<String> out = new LinkedHashSet<>();
        for (String r : f.references()) {
            String u = HtmlOut.safeUrl(r);
            if (u != null) {
                out.add(u);
            }
        }
        if (f.category() == Category.VULNERABILITY) {
            List<String> ids = new ArrayList<>();
            ids.add(f.id());
            ids.addAll(f.aliases());
            for (String id : ids) {
                if (id != null && OSV_ID.matcher(id).matches()) {
                    out.add("https://osv.dev/vulnerability/" + id);
                }
            }
        }
        return out;
    }

    private static void para(HtmlOut o, String label, String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        o.open("p");
        if (label != null) {
            o.el("strong", label + ": ");
        }
        o.text(text).close("p");
    }

    /** Layer digests (diff_id and blob digest) to layer index, for findings and packages, which name a layer by digest. */
    static Map<String, Integer> layerIndex(Image image) {
        Map<String, Integer> m = new HashMap<>();
        for (Layer l : image.layers()) {
            for (Digest d : new Digest[] {l.diffId(), l.blobDigest(), l.scan() == null ? null : l.scan().diffId()}) {
                if (d != null) {
                    m.putIfAbsent(d.toString(), l.index());
                }
            }
        }
        return m;
    }

    /** The image's identity: names, digests, OS, platform, trust at a glance, and its (redacted) configuration. */
    static void identity(HtmlOut o, String id, Report report, int heading) {
        Image image = report.image();
        o.open("section", "id", id).nl();
        o.el("h" + heading, "Image");
        o.open("dl", "class", "facts");
        fact(o, "Reference", image.reference().original(), true);
        fact(o, "Source", image.source(), false);
        fact(o, "Image ID", str(image.configDigest()), true);
        fact(o, "Manifest digest", image.manifestDigest() == null ? "none (" + image.source() + " has no manifest digest)"
                : image.manifestDigest().toString(), image.manifestDigest() != null);
        fact(o, "Repo digests", image.repoDigests().isEmpty() ? "none" : String.join("\n", image.repoDigests()),
                !image.repoDigests().isEmpty());
        fact(o, "Repo tags", image.repoTags().isEmpty() ? "none" : String.join(", ", image.repoTags()), false);
        Inventory inv = report.inventory();
        OsInfo os = inv == null ? null : inv.os();
        fact(o, "OS", os == null ? (inv == null ? "not inventoried by this command" : "not detected") : osText(os), false);
        fact(o, "Platform", str(image.platform()), false);
        if (image.config() != null) {
            fact(o, "Created", image.config().path("created").asText(null), false);
        }
        fact(o, "Integrity", integrity(image), false);
        fact(o, "Trust", trustSummary(report), false);
        o.close("dl").nl();
        config(o, report, heading + 1);
        o.close("section").nl();
    }

    private static String integrity(Image image) {
        long bad = image.layers().stream().filter(l -> Boolean.FALSE.equals(l.verified())).count();
        String config = image.expectedConfigDigest() == null || image.configDigest() == null ? "config digest unchecked"
                : image.expectedConfigDigest().equals(image.configDigest()) ? "config digest verified" : "config digest MISMATCH";
        String manifest = image.expectedManifestDigest() == null || image.manifestDigest() == null
                ? "manifest digest unchecked"
                : image.expectedManifestDigest().equals(image.manifestDigest()) ? "manifest digest verified"
                : "manifest digest MISMATCH";
        return config + "; " + manifest + "; " + (bad == 0 ? "layers verified or unchecked" : bad + " layer(s) failed verification");
    }

    private static String osText(OsInfo os) {
        StringBuilder b = new StringBuilder(os.prettyName() != null ? os.prettyName() : os.family() + " " + os.version());
        if (os.version() != null && (os.prettyName() == null || !os.prettyName().contains(os.version()))) {
            b.append(" (").append(os.version()).append(')');
        }
        if (Boolean.TRUE.equals(os.eol())) {
            b.append(", end of life since ").append(os.eolDate());
        } else if (os.eolDate() != null) {
            b.append(", supported until ").append(os.eolDate());
        }
        return b.toString();
    }

    private static void config(HtmlOut o, Report report, int heading) {
        JsonNode root = report.image().config();
        JsonNode c = root == null ? null : root.get("config");
        if (c == null || !c.isObject()) {
            return;
        }
        o.el("h" + heading, "Configuration");
        o.open("dl", "class", "facts");
        fact(o, "User", c.path("User").asText("").isEmpty() ? "(root, not set)" : c.get("User").asText(), true);
        fact(o, "Entrypoint", joined(c.get("Entrypoint"), report), true);
        fact(o, "Cmd", joined(c.get("Cmd"), report), true);
        fact(o, "Working dir", c.path("WorkingDir").asText(null), true);
        JsonNode ports = c.get("ExposedPorts");
        if (ports != null && ports.isObject() && ports.size() > 0) {
            List<String> names = new ArrayList<>();
            ports.fieldNames().forEachRemaining(names::add);
            fact(o, "Exposed ports", String.join(", ", names), false);
        }
        JsonNode env = c.get("Env");
        if (env != null && env.isArray() && env.size() > 0) {
            List<String> vars = new ArrayList<>();
            env.forEach(e -> vars.add(report.redact(e.asText())));
            fact(o, "Environment", String.join("\n", vars), true);
        }
        JsonNode labels = c.get("Labels");
        if (labels != null && labels.isObject() && labels.size() > 0) {
            Map<String, String> sorted = new TreeMap<>();
            labels.fields().forEachRemaining(e -> sorted.put(e.getKey(), Redact.secretName(e.getKey())
                    ? Redact.mask(e.getValue().asText()) : report.redact(e.getValue().asText())));
            List<String> lines = new ArrayList<>();
            sorted.forEach((k, v) -> lines.add(k + "=" + v));
            fact(o, "Labels", String.join("\n", lines), true);
        }
        o.close("dl").nl();
    }

    private static String joined(JsonNode arr, Report report) {
        if (arr == null || !arr.isArray() || arr.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        arr.forEach(e -> parts.add(report.redact(e.asText())));
        return Json.MAPPER.valueToTree(parts).toString();
    }

    /** A term and its value; multi-line values keep their lines; null or blank values leave the term out. */
    static void fact(HtmlOut o, String term, String value, boolean code) {
        if (value == null || value.isBlank()) {
            return;
        }
        o.el("dt", term);
        o.open("dd");
        String[] lines = value.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                o.empty("br");
            }
            if (code) {
                o.el("code", lines[i]);
            } else {
                o.text(lines[i]);
            }
        }
        o.close("dd");
    }

    /** One line on signatures: what the trust audit found, or that it did not run and why. */
    static String trustSummary(Report report) {
        TrustResults t = report.trust();
        if (t == null) {
            return "not checked: " + whyTrustNotChecked(report);
        }
        List<String> parts = new ArrayList<>();
        NotaryResult n = t.notary();
        parts.add(n == null ? "Docker Content Trust: no notary data"
                : "Docker Content Trust: " + n.signedTags().size() + " signed tag(s), " + (n.verified() ? "verified" : "NOT verified"));
        long cosignOk = t.cosign().stream().filter(CosignSignature::verified).count();
        parts.add(t.cosign().isEmpty() ? "cosign: no signatures" : "cosign: " + cosignOk + " of " + t.cosign().size() + " verified");
        parts.add(t.referrers().isEmpty() ? "referrers: none" : "referrers: " + t.referrers().size());
        return String.join("; ", parts);
    }

    private static String whyTrustNotChecked(Report report) {
        for (String note : report.notes()) {
            if (note.startsWith("signatures not checked")) {
                return note.substring("signatures not checked".length()).replaceFirst("^[:;,]\\s*", "");
            }
        }
        String source = report.image().source();
        if (!"docker".equals(source)) {
            return "signatures live in a registry, and this image was read from " + source
                    + "; run dockaudit trust REGISTRY/REPO:TAG";
        }
        return "dockaudit " + report.command() + " does not check signatures; run dockaudit trust or dockaudit image";
    }

    /** Notary signed tags, cosign signatures and referrers, when the trust audit ran. */
    static void trust(HtmlOut o, String id, Report report, int heading) {
        TrustResults t = report.trust();
        if (t == null) {
            return;
        }
        o.open("section", "id", id).nl();
        o.el("h" + heading, "Signatures and trust");
        NotaryResult n = t.notary();
        o.el("h" + (heading + 1), "Docker Content Trust (Notary)");
        if (n == null) {
            o.el("p", "No notary data for this repository.", "class", "muted");
        } else {
            o.open("dl", "class", "facts");
            fact(o, "Server", n.server(), false);
            fact(o, "Repository", n.repository(), false);
            fact(o, "Verified", n.verified() ? "yes" : "no", false);
            o.close("dl");
            if (!n.signedTags().isEmpty()) {
                o.open("table", "class", "sortable").open("thead").open("tr");
                for (String h : new String[] {"Tag", "Signed digest", "Signers", "Registry digest", "Matches"}) {
                    o.el("th", h);
                }
                o.close("tr").close("thead").open("tbody");
                for (NotaryResult.SignedTag st : n.signedTags()) {
                    o.open("tr").el("td", st.tag()).open("td").el("code", st.digest()).close("td")
                            .el("td", String.join(", ", st.signers())).open("td").el("code", st.registryDigest()).close("td")
                            .el("td", st.matches() == null ? "not compared" : st.matches() ? "yes" : "NO").close("tr");
                }
                o.close("tbody").close("table").nl();
            }
        }
        o.el("h" + (heading + 1), "cosign");
        if (t.cosign().isEmpty()) {
            o.el("p", "No cosign signatures found.", "class", "muted");
        } else {
            o.open("table", "class", "sortable").open("thead").open("tr");
            for (String h : new String[] {"Signature", "Verified", "Identity", "Issuer", "Problem"}) {
                o.el("th", h);
            }
            o.close("tr").close("thead").open("tbody");
            for (CosignSignature s : t.cosign()) {
                o.open("tr").open("td").el("code", s.signatureTag()).close("td")
                        .el("td", s.verified() ? "yes" : "no", "class", s.verified() ? "ok" : "bad")
                        .el("td", s.identity()).el("td", s.issuer()).el("td", s.problem()).close("tr");
            }
            o.close("tbody").close("table").nl();
        }
        o.el("h" + (heading + 1), "OCI referrers");
        if (t.referrers().isEmpty()) {
            o.el("p", "No referrers.", "class", "muted");
        } else {
            o.open("table", "class", "sortable").open("thead").open("tr");
            for (String h : new String[] {"Kind", "Digest", "Artifact type", "Signer", "Verified", "Problem"}) {
                o.el("th", h);
            }
            o.close("tr").close("thead").open("tbody");
            for (Referrer r : t.referrers()) {
                o.open("tr").el("td", r.kind()).open("td").el("code", r.digest()).close("td").el("td", r.artifactType())
                        .el("td", r.signer()).el("td", r.verified() == null ? "not checked" : r.verified() ? "yes" : "no")
                        .el("td", r.problem()).close("tr");
            }
            o.close("tbody").close("table").nl();
        }
        o.close("section").nl();
    }

    /** Each layer: its size as a bar, the step that made it, and how many findings point into it. */
    static void layers(HtmlOut o, String id, Report report, List<Finding> findings, int heading) {
        Image image = report.image();
        o.open("section", "id", id).nl();
        o.el("h" + heading, "Layers");
        if (image.layers().isEmpty()) {
            o.el("p", "No layers.", "class", "muted");
            o.close("section").nl();
            return;
        }
        Map<String, Integer> index = layerIndex(image);
        int[] perLayer = new int[image.layers().size()];
        for (Finding f : findings) {
            Integer i = f.layer() == null ? null : index.get(f.layer());
            if (i != null && i >= 0 && i < perLayer.length) {
                perLayer[i]++;
            }
        }
        long max = 1;
        long total = 0;
        for (Layer l : image.layers()) {
            max = Math.max(max, size(l));
            total += Math.max(0, size(l));
        }
        o.open("p").text(image.layers().size() + (image.layers().size() == 1 ? " layer, " : " layers, ") + Sizes.human(total)
                + " in total").close("p");
        o.open("table", "class", "layers sortable").nl();
        o.open("thead").open("tr");
        for (String h : new String[] {"#", "Size", "Share", "Findings", "Verified", "Step (created by)", "Digest"}) {
            o.el("th", h, "scope", "col");
        }
        o.close("tr").close("thead").nl().open("tbody").nl();
        for (Layer l : image.layers()) {
            long size = size(l);
            int idx = l.index();
            o.open("tr", "data-layer", Integer.toString(idx));
            o.el("td", Integer.toString(idx), "class", "num");
            o.el("td", size < 0 ? "?" : Sizes.human(size), "class", "num", "data-key", Long.toString(size));
            o.open("td", "data-key", Long.toString(size));
            SvgCharts.hbar(o, "layer " + idx + ": " + (size < 0 ? "size unknown" : Sizes.human(size) + ", "
                    + SvgCharts.percent(size, total)), size, max, CATEGORY_FILL);
            o.close("td");
            int n = idx >= 0 && idx < perLayer.length ? perLayer[idx] : 0;
            o.el("td", Integer.toString(n), "class", "num", "data-layer-findings", Integer.toString(n));
            Boolean v = l.verified();
            o.el("td", v == null ? "unchecked" : v ? "yes" : "NO", "class", v == null ? "muted" : v ? "ok" : "bad");
            o.open("td").el("code", report.redact(l.createdBy())).close("td");
            o.open("td").el("code", shortDigest(str(l.diffId() != null ? l.diffId() : l.blobDigest())),
                    "title", str(l.diffId() != null ? l.diffId() : l.blobDigest())).close("td");
            o.close("tr").nl();
        }
        o.close("tbody").close("table").nl();
        o.close("section").nl();
    }

    private static long size(Layer l) {
        return l.scan() != null && l.scan().rawDigest() != null ? l.scan().rawSize() : l.declaredSize();
    }

    /** The package inventory, in the inventory's order. */
    static void packages(HtmlOut o, String id, Report report, int heading) {
        Inventory inv = report.inventory();
        o.open("section", "id", id).nl();
        o.el("h" + heading, "Packages");
        if (inv == null) {
            o.el("p", "No package inventory: dockaudit " + report.command() + " does not take one.", "class", "muted");
            o.close("section").nl();
            return;
        }
        if (inv.packages().isEmpty()) {
            o.el("p", "No packages found.", "class", "muted");
            o.close("section").nl();
            return;
        }
        Map<String, Integer> index = layerIndex(report.image());
        o.open("p").text(inv.packages().size() + " packages").close("p");
        o.open("table", "class", "packages sortable").nl();
        o.open("thead").open("tr");
        for (String h : new String[] {"Name", "Version", "Type", "Licences", "Layer", "purl"}) {
            o.el("th", h, "scope", "col");
        }
        o.close("tr").close("thead").nl().open("tbody").nl();
        for (Package p : inv.packages()) {
            Integer layer = p.layer() == null ? null : index.get(p.layer());
            o.open("tr").el("td", p.name()).el("td", p.version()).el("td", p.type().label)
                    .el("td", String.join(", ", p.licenses()));
            o.el("td", layer != null ? "#" + layer : p.layer() == null ? "" : shortDigest(p.layer()),
                    "data-key", layer != null ? Integer.toString(layer) : "-1", "title", p.layer());
            o.open("td").el("code", p.purl()).close("td").close("tr").nl();
        }
        o.close("tbody").close("table").nl();
        o.close("section").nl();
    }

    static void notes(HtmlOut o, String id, List<String> notes, int heading) {
        if (notes.isEmpty()) {
            return;
        }
        o.open("section", "id", id).nl();
        o.el("h" + heading, "Notes");
        o.open("ul", "class", "notes");
        notes.forEach(n -> o.el("li", n));
        o.close("ul").nl();
        o.close("section").nl();
    }

    static String shortDigest(String d) {
        if (d == null) {
            return "";
        }
        int colon = d.indexOf(':');
        String hex = colon >= 0 ? d.substring(colon + 1) : d;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** The few package fields a finding row shows; findings carry their package as any JSON-able object. */
    record PackageRef(String name, String version, String purl) {
        static PackageRef of(Object pkg) {
            if (pkg == null) {
                return null;
            }
            if (pkg instanceof Package p) {
                return new PackageRef(p.name(), p.version(), p.purl());
            }
            JsonNode n = pkg instanceof JsonNode j ? j : Json.MAPPER.valueToTree(pkg);
            if (!n.isObject()) {
                return n.isTextual() ? new PackageRef(n.asText(), null, null) : null;
            }
            return new PackageRef(Json.text(n, "name"), Json.text(n, "version"), Json.text(n, "purl"));
        }
    }
}
