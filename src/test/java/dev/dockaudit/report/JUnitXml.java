package dev.dockaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Reads JUnit XML with the JDK's parser (no DTDs, no external entities) and checks it has the shape the JUnit
 * consumers share, as the Jenkins xUnit plugin's junit-10.xsd describes it: {@code testsuites} holds only
 * {@code testsuite}s, each with a required {@code tests} count and only {@code testcase} children here; a
 * {@code testcase} has a required {@code name} and at most {@code failure}, {@code error}, {@code skipped},
 * {@code system-out}, {@code system-err} children; attributes only from the schema's lists. Then the counts: each
 * suite's {@code tests}, {@code failures}, {@code errors}, {@code skipped} match its testcases, and the totals match.
 */
public final class JUnitXml {
    private static final Set<String> SUITES_ATTRS = Set.of("name", "time", "tests", "failures", "disabled", "errors");
    private static final Set<String> SUITE_ATTRS = Set.of("name", "tests", "failures", "errors", "time", "disabled",
            "skipped", "skips", "timestamp", "hostname", "id", "package", "assertions", "file", "skip", "log", "url");
    private static final Set<String> CASE_ATTRS = Set.of("name", "assertions", "time", "timestamp", "classname", "status",
            "class", "file", "line", "log", "group", "url");
    private static final Set<String> CASE_CHILDREN = Set.of("skipped", "error", "failure", "system-out", "system-err");

    private JUnitXml() {
    }

    public static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            return b.parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + new String(xml, StandardCharsets.UTF_8), e);
        }
    }

    public static Document parse(String xml) {
        return parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    public static List<Element> children(Element e, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && (name == null || c.getTagName().equals(name))) {
                out.add(c);
            }
        }
        return out;
    }

    public static Element suite(Document doc, String name) {
        for (Element s : children(doc.getDocumentElement(), "testsuite")) {
            if (s.getAttribute("name").equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** Asserts the shape and every count; returns the document. */
    public static Document assertValid(Document doc) {
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        attrsIn(root, SUITES_ATTRS);
        int tests = 0;
        int failures = 0;
        int errors = 0;
        for (Element child : children(root, null)) {
            assertThat(child.getTagName()).isEqualTo("testsuite");
            attrsIn(child, SUITE_ATTRS);
            assertThat(child.hasAttribute("tests")).as("testsuite@tests is required").isTrue();
            int sTests = 0;
            int sFailures = 0;
            int sErrors = 0;
            int sSkipped = 0;
            for (Element tc : children(child, null)) {
                assertThat(tc.getTagName()).isEqualTo("testcase");
                attrsIn(tc, CASE_ATTRS);
                assertThat(tc.getAttribute("name")).as("testcase@name").isNotEmpty();
                sTests++;
                for (Element x : children(tc, null)) {
                    assertThat(CASE_CHILDREN).contains(x.getTagName());
                    assertThat(children(x, null)).as("only text inside " + x.getTagName()).isEmpty();
                    switch (x.getTagName()) {
                        case "failure" -> sFailures++;
                        case "error" -> sErrors++;
                        case "skipped" -> sSkipped++;
                        default -> { }
                    }
                }
            }
            assertThat(Integer.parseInt(child.getAttribute("tests"))).as(child.getAttribute("name") + " tests").isEqualTo(sTests);
            assertThat(Integer.parseInt(child.getAttribute("failures"))).as("failures").isEqualTo(sFailures);
            assertThat(Integer.parseInt(child.getAttribute("errors"))).as("errors").isEqualTo(sErrors);
            assertThat(Integer.parseInt(child.getAttribute("skipped"))).as("skipped").isEqualTo(sSkipped);
            tests += sTests;
            failures += sFailures;
            errors += sErrors;
        }
        assertThat(Integer.parseInt(root.getAttribute("tests"))).isEqualTo(tests);
        assertThat(Integer.parseInt(root.getAttribute("failures"))).isEqualTo(failures);
        assertThat(Integer.parseInt(root.getAttribute("errors"))).isEqualTo(errors);
        return doc;
    }

    private static void attrsIn(Element e, Set<String> allowed) {
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            assertThat(allowed).as(e.getTagName() + " attribute").contains(attrs.item(i).getNodeName());
        }
    }
}
