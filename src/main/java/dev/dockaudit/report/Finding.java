package dev.dockaudit.report;

import java.util.List;

/**
 * One finding, in the shape of the JSON report contract (DESIGN.md). Optional parts are null.
 * Evidence must never carry a secret in full: detectors mask it before building the finding.
 */
public record Finding(String id, Category category, Severity severity, String title, String description, String cis,
                      List<String> references, List<String> aliases, Object pkg, String installedVersion,
                      String fixedVersion, String status, String layer, String path, String evidence,
                      String remediation, Boolean deletedInLaterLayer, VulnDetails vuln) {

    /** A finding without vulnerability details (every category but vulnerability). */
    public Finding(String id, Category category, Severity severity, String title, String description, String cis,
                   List<String> references, List<String> aliases, Object pkg, String installedVersion,
                   String fixedVersion, String status, String layer, String path, String evidence,
                   String remediation, Boolean deletedInLaterLayer) {
        this(id, category, severity, title, description, cis, references, aliases, pkg, installedVersion, fixedVersion,
                status, layer, path, evidence, remediation, deletedInLaterLayer, null);
    }

    public static Builder builder(String id, Category category, Severity severity, String title) {
        return new Builder(id, category, severity, title);
    }

    /** Builds findings; detectors set only what applies. */
    public static final class Builder {
        private final String id;
        private final Category category;
        private final Severity severity;
        private final String title;
        private String description;
        private String cis;
        private List<String> references = List.of();
        private List<String> aliases = List.of();
        private String layer;
        private String path;
        private String evidence;
        private String remediation;
        private String status;
        private Object pkg;
        private String installedVersion;
        private String fixedVersion;
        private Boolean deletedInLaterLayer;
        private VulnDetails vuln;

        private Builder(String id, Category category, Severity severity, String title) {
            this.id = id;
            this.category = category;
            this.severity = severity;
            this.title = title;
        }

        public Builder description(String v) {
            description = v;
            return this;
        }

        public Builder cis(String v) {
            cis = v;
            return this;
        }

        public Builder references(List<String> v) {
            references = List.copyOf(v);
            return this;
        }

        public Builder aliases(List<String> v) {
            aliases = List.copyOf(v);
            return this;
        }

        /** The package the finding is about; written into the report as JSON, so a record or map. */
        public Builder pkg(Object v) {
            pkg = v;
            return this;
        }

        public Builder installedVersion(String v) {
            installedVersion = v;
            return this;
        }

        public Builder fixedVersion(String v) {
            fixedVersion = v;
            return this;
        }

        /** For content found in a layer: true when a later layer deletes the file (it still ships in the image). */
        public Builder deletedInLaterLayer(Boolean v) {
            deletedInLaterLayer = v;
            return this;
        }

        public Builder layer(String v) {
            layer = v;
            return this;
        }

        public Builder path(String v) {
            path = v;
            return this;
        }

        public Builder evidence(String v) {
            evidence = v;
            return this;
        }

        public Builder remediation(String v) {
            remediation = v;
            return this;
        }

        public Builder status(String v) {
            status = v;
            return this;
        }

        /** Ratings and weaknesses of a vulnerability finding. */
        public Builder vuln(VulnDetails v) {
            vuln = v;
            return this;
        }

        public Finding build() {
            return new Finding(id, category, severity, title, description, cis, references, aliases, pkg, installedVersion,
                    fixedVersion, status, layer, path, evidence, remediation, deletedInLaterLayer, vuln);
        }
    }
}
