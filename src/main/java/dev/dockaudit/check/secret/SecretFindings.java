package dev.dockaudit.check.secret;

import dev.dockaudit.image.layer.MergedFilesystem;
import dev.dockaudit.report.Category;
import dev.dockaudit.report.Finding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns secret matches into report findings: id {@code SECRET-<rule id>}, category secret, the rule's severity and
 * title, the file's path (root-relative, as everywhere in the report), the layer's diff_id, masked evidence with
 * the line number, and a remediation. A file that a later layer deletes (or replaces) still ships in the layer that
 * added it; the pipeline says so through {@code deletedInLaterLayer} (it knows from the merged filesystem).
 */
public final class SecretFindings {
    public static final String ID_PREFIX = "SECRET-";
    /** CIS Docker Benchmark v1.6, 4.10: ensure secrets are not stored in Dockerfiles. */
    public static final String CIS_SECRETS = "4.10";

    static final String REMEDIATION = "Remove the secret from the image and rotate it: anyone who has pulled the image"
            + " has a copy. Give secrets to the container at run time (a mounted secret file, the orchestrator's"
            + " secrets) and to builds with RUN --mount=type=secret, never with COPY, ADD, ENV or ARG.";
    static final String REMEDIATION_DELETED = "Deleting the file in a later layer does not remove it: the layer that"
            + " adds it still ships it and `docker save` or any registry client extracts it. Rebuild so that no layer"
            + " ever holds it (RUN --mount=type=secret, or a multi-stage build that copies only the result), and rotate"
            + " the secret.";

    private SecretFindings() {
    }

    /**
     * Findings for one layer's matches.
     *
     * @param layer               the layer's diff_id ({@code sha256:…}), or null when unknown (a root directory)
     * @param deletedInLaterLayer true for paths of this layer that a later layer deletes or replaces; null means
     *                            not known (the field is then left out)
     */
    public static List<Finding> forLayer(List<SecretVisitor.FileMatch> matches, String layer,
                                         Predicate<String> deletedInLaterLayer) {
        List<Finding> out = new ArrayList<>(matches.size());
        for (SecretVisitor.FileMatch m : matches) {
            Boolean deleted = deletedInLaterLayer == null ? null : deletedInLaterLayer.test(m.path());
            out.add(fileFinding(m.path(), m.match(), layer, deleted));
        }
        return out;
    }

    /**
     * The paths of layer {@code layer} (0-based) that a later layer deletes or replaces, from the merged filesystem:
     * the predicate {@link #forLayer} takes.
     */
    public static Predicate<String> deletedInLaterLayer(MergedFilesystem fs, int layer) {
        Set<String> paths = new HashSet<>();
        for (MergedFilesystem.Deleted d : fs.deleted()) {
            if (d.layer() == layer && d.deletedIn() > layer) {
                paths.add(d.file().path());
            }
        }
        return paths::contains;
    }

    /** One file finding; {@code deleted} null when not known. */
    public static Finding fileFinding(String path, SecretMatch m, String layer, Boolean deleted) {
        SecretRule r = m.rule();
        StringBuilder d = new StringBuilder();
        d.append(r.title()).append(" in ").append(path).append(", line ").append(m.line());
        if (layer != null) {
            d.append(", layer ").append(layer);
        }
        d.append('.');
        if (r.description() != null) {
            d.append(' ').append(r.description());
        }
        if (Boolean.TRUE.equals(deleted)) {
            d.append(" A later layer deletes or replaces the file, but the layer above still ships it.");
        }
        String remediation = Boolean.TRUE.equals(deleted) ? REMEDIATION_DELETED
                : r.remediation() != null ? r.remediation() : REMEDIATION;
        return Finding.builder(ID_PREFIX + r.id(), Category.SECRET, r.severity(), r.title())
                .description(d.toString())
                .path(path)
                .layer(layer)
                .evidence("line " + m.line() + ": " + m.evidence())
                .remediation(remediation)
                .deletedInLaterLayer(deleted)
                .build();
    }
}
