package dev.dockaudit.check.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import dev.dockaudit.report.Severity;
import dev.dockaudit.util.Redact;
import java.util.List;

/**
 * One check of a container's runtime settings, most of them a CIS Docker Benchmark v1.6 section 5 recommendation
 * decided from the Engine API. A check reads the facts, adds a finding per violation (the inspect field and its
 * value as evidence) and says so when a field it needs is missing, rather than guessing.
 */
public abstract class RuntimeCheck {
    /** Evidence quotes container settings and command lines: masked (Redact) and cut to this length. */
    static final int MAX_EVIDENCE = 2000;
    private final String id;
    private final String cis;
    private final Severity severity;
    private final String title;
    private final String description;
    private final String remediation;

    protected RuntimeCheck(String id, String cis, Severity severity, String title, String description, String remediation) {
        this.id = id;
        this.cis = cis;
        this.severity = severity;
        this.title = title;
        this.description = description;
        this.remediation = remediation;
    }

    public String id() {
        return id;
    }

    /** The CIS Docker Benchmark v1.6 recommendation, or null. */
    public String cis() {
        return cis;
    }

    /** The usual severity; a finding may be rated differently when the evidence says so. */
    public Severity severity() {
        return severity;
    }

    public String title() {
        return title;
    }

    public abstract void check(ContainerFacts c, DaemonFacts daemon, Results out);

    /** A finding of this check with its usual severity. */
    protected Finding finding(String evidence) {
        return finding(severity, title, evidence);
    }

    protected Finding finding(Severity s, String findingTitle, String evidence) {
        return Finding.builder(id, Category.RUNTIME, s, findingTitle)
                .description(description)
                .cis(cis)
                .evidence(Redact.evidence(evidence, MAX_EVIDENCE))
                .remediation(remediation)
                .references(cis == null ? List.of() : List.of("CIS Docker Benchmark v1.6.0, " + cis))
                .build();
    }

    /** {@code Field=value}, the value as JSON (strings unquoted), control characters replaced. */
    protected static String evidence(ContainerFacts c, String field) {
        return field + "=" + value(c.node(field));
    }

    protected static String value(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return "null";
        }
        String s = n.isTextual() ? n.asText() : n.toString(); // JsonNode.toString() is compact JSON
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && b.length() < 1000; i++) {
            char ch = s.charAt(i);
            b.append(ch < 0x20 || (ch >= 0x7f && ch <= 0x9f) ? '?' : ch);
        }
        return s.length() > 1000 ? b + "…" : b.toString();
    }

    /** Records that a field this check needs is missing, so the check could not be decided for this container. */
    protected void undecidable(Results out, String why) {
        out.undecidable(this, why);
    }
}
