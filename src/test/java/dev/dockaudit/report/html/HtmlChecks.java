package dev.dockaudit.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** Checks every HTML page dockaudit writes must pass, whatever the report. */
final class HtmlChecks {
    private static final Pattern SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);
    private static final Pattern STYLE = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL);

    private HtmlChecks() {
    }

    /**
     * Parses the page as XML once the inline script and style bodies are set aside: every element closed and nested,
     * attributes quoted, no stray {@code <} or {@code &} from unescaped text. Returns the document for more checks.
     */
    static Document structure(String html) throws Exception {
        assertThat(html).startsWith("<!DOCTYPE html>\n<html lang=\"en\">");
        String xml = html.substring("<!DOCTYPE html>\n".length());
        xml = SCRIPT.matcher(xml).replaceAll("<script></script>");
        xml = STYLE.matcher(xml).replaceAll("<style></style>");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setNamespaceAware(false);
        Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("html");
        assertThat(children(root)).containsExactly("head", "body");
        Element head = (Element) root.getElementsByTagName("head").item(0);
        Element first = (Element) head.getElementsByTagName("meta").item(0);
        assertThat(first.getAttribute("charset")).isEqualTo("utf-8");
        assertThat(head.getElementsByTagName("title").getLength()).isEqualTo(1);
        assertThat(doc.getElementsByTagName("h1").getLength()).isEqualTo(1);
        Set<String> ids = new HashSet<>();
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            String id = ((Element) all.item(i)).getAttribute("id");
            if (!id.isEmpty()) {
                assertThat(ids.add(id)).as("id '%s' is unique", id).isTrue();
            }
        }
        // only the elements a report uses: anything else came from unescaped input
        Set<String> allowed = Set.of("html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "h4", "h5", "h6",
                "p", "main", "section", "div", "figure", "figcaption", "svg", "line", "g", "rect", "text",
                "table", "thead", "tbody", "tr", "th", "td", "span", "label", "select", "option", "input", "code",
                "details", "summary", "strong", "a", "dl", "dt", "dd", "br", "ul", "li", "script");
        for (int i = 0; i < all.getLength(); i++) {
            assertThat(allowed).contains(((Element) all.item(i)).getTagName());
        }
        assertThat(doc.getElementsByTagName("script").getLength()).isEqualTo(1);
        assertThat(doc.getElementsByTagName("style").getLength()).isEqualTo(1);
        return doc;
    }

    private static java.util.List<String> children(Element e) {
        java.util.List<String> out = new java.util.ArrayList<>();
        NodeList n = e.getChildNodes();
        for (int i = 0; i < n.getLength(); i++) {
            if (n.item(i) instanceof Element c) {
                out.add(c.getTagName());
            }
        }
        return out;
    }

    /** Nothing is fetched: no external scripts, styles, fonts, images or frames; in markup, web addresses only as links. */
    static void selfContained(String html) {
        String lower = html.toLowerCase(java.util.Locale.ROOT);
        assertThat(lower).doesNotContain("<script src", "<link", "<img", "<iframe", "<object", "<embed", "<base")
                .doesNotContainPattern("<[a-z]+\\s[^>]*\\b(src|srcset|background|poster|data)=");
        String css = STYLE.matcher(html).results().map(r -> r.group(1)).findFirst().orElseThrow();
        assertThat(css.toLowerCase(java.util.Locale.ROOT)).doesNotContain("@import", "url(", "@font-face");
        Matcher m = Pattern.compile("https?://").matcher(html);
        while (m.find()) {
            String before = html.substring(Math.max(0, m.start() - 7), m.start());
            boolean link = before.endsWith("href=\"") || before.endsWith("xmlns=\"");
            // text may mention addresses (commands, advisories); inside a tag only a link's target may
            boolean inTag = html.lastIndexOf('<', m.start()) > html.lastIndexOf('>', m.start());
            assertThat(link || !inTag).as("web address in an attribute other than a link's at %d: %s", m.start(),
                    html.substring(Math.max(0, m.start() - 40), Math.min(html.length(), m.start() + 60))).isTrue();
        }
    }

    /** The page's policy allows exactly its own inline script and style, by hash, and nothing by default. */
    static void strictPolicy(String html) throws Exception {
        Matcher m = Pattern.compile("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\" />").matcher(html);
        assertThat(m.find()).isTrue();
        String csp = m.group(1).replace("&#39;", "'");
        Map<String, String> directives = new LinkedHashMap<>();
        for (String d : csp.split(";")) {
            String[] parts = d.strip().split(" ", 2);
            directives.put(parts[0], parts.length > 1 ? parts[1] : "");
        }
        assertThat(directives.get("default-src")).isEqualTo("'none'");
        Matcher s = SCRIPT.matcher(html);
        assertThat(s.find()).isTrue();
        assertThat(directives.get("script-src")).isEqualTo("'" + sha256(s.group(1)) + "'");
        Matcher st = STYLE.matcher(html);
        assertThat(st.find()).isTrue();
        assertThat(directives.get("style-src")).isEqualTo("'" + sha256(st.group(1)) + "'");
        assertThat(csp).doesNotContain("unsafe-inline", "unsafe-eval", "*");
        // inline event handlers and style attributes would be blocked by the policy anyway; none are written
        assertThat(html).doesNotContainPattern("\\son[a-z]+=\"").doesNotContain(" style=\"");
    }

    private static String sha256(String s) throws Exception {
        return "sha256-" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** The counts the summary table shows, by severity name. */
    static Map<String, Integer> severityCounts(String html) {
        return counts(html, "data-count-severity");
    }

    static Map<String, Integer> categoryCounts(String html) {
        return counts(html, "data-count-category");
    }

    private static Map<String, Integer> counts(String html, String attr) {
        Map<String, Integer> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile(attr + "=\"([^\"]+)\">(\\d+)<").matcher(html);
        while (m.find()) {
            out.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return out;
    }
}
