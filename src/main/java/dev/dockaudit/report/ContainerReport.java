package dev.dockaudit.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The result of {@code dockaudit container}: the daemon's facts and findings, each container's runtime findings,
 * and the audit of each distinct image the containers run, once per image ID however many containers share it.
 */
public final class ContainerReport {
    /** What the daemon says about itself, and the findings about it. */
    public record Daemon(String engine, String version, String apiVersion, String host, String os, String swarm,
                         List<String> securityOptions, Boolean liveRestore, boolean userNamespaceRemap, boolean rootless,
                         List<Finding> findings) {
        public Daemon {
            securityOptions = List.copyOf(securityOptions);
            findings = new ArrayList<>(findings);
        }
    }

    /** One container and its runtime findings; {@code error} says why it could not be audited, else null. */
    public static final class Container {
        private final String id;
        private final String name;
        private final String image;
        private final String imageId;
        private final String state;
        private final List<Finding> findings;
        private final List<String> notes;
        private final String error;

        public Container(String id, String name, String image, String imageId, String state, List<Finding> findings,
                         List<String> notes, String error) {
            this.id = id;
            this.name = name;
            this.image = image;
            this.imageId = imageId;
            this.state = state;
            this.findings = new ArrayList<>(findings);
            this.notes = List.copyOf(notes);
            this.error = error;
        }

        public String id() {
            return id;
        }

        public String name() {
            return name;
        }

        /** The image as the container names it (a tag, or an ID). */
        public String image() {
            return image;
        }

        public String imageId() {
            return imageId;
        }

        public String state() {
            return state;
        }

        /** Runtime findings, most severe first. */
        public List<Finding> findings() {
            List<Finding> sorted = new ArrayList<>(findings);
            sorted.sort(ORDER);
            return sorted;
        }

        public List<String> notes() {
            return notes;
        }

        public String error() {
            return error;
        }
    }

    /** One distinct image: its audit (null when the image was not audited) or why the audit failed. */
    public record ImageAudit(String id, List<String> containerIds, Report report, String error) {
        public ImageAudit {
            containerIds = List.copyOf(containerIds);
        }
    }

    /** How the run went: counts and where the time went (milliseconds). */
    public record Stats(int containers, int distinctImages, int imagesAudited, long runtimeMillis, long imageAuditMillis) {
    }

    static final Comparator<Finding> ORDER = Comparator.comparing(Finding::severity).thenComparing(Finding::category)
            .thenComparing(Finding::id);

    private final Daemon daemon;
    private final List<Container> containers;
    private final Map<String, ImageAudit> images;
    private final List<String> notes;
    private final Stats stats;

    public ContainerReport(Daemon daemon, List<Container> containers, List<ImageAudit> images, List<String> notes,
                           Stats stats) {
        this.daemon = daemon;
        this.containers = List.copyOf(containers);
        this.images = new LinkedHashMap<>();
        images.forEach(i -> this.images.put(i.id(), i));
        this.notes = new ArrayList<>(notes);
        this.stats = stats;
    }

    public Daemon daemon() {
        return daemon;
    }

    public List<Container> containers() {
        return containers;
    }

    public List<ImageAudit> images() {
        return List.copyOf(images.values());
    }

    /** The audit of an image by ID, or null. */
    public ImageAudit image(String id) {
        return id == null ? null : images.get(id);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    public void note(String n) {
        notes.add(n);
    }

    public Stats stats() {
        return stats;
    }

    /** Every finding once: the daemon's, each container's, each image's. */
    public List<Finding> allFindings() {
        List<Finding> out = new ArrayList<>(daemon.findings());
        containers.forEach(c -> out.addAll(c.findings));
        images.values().forEach(i -> {
            if (i.report() != null) {
                out.addAll(i.report().findings());
            }
        });
        return out;
    }

    /** Drops findings below the severities the user asked to see ({@code --severity}), everywhere. */
    public void keepOnly(Set<Severity> severities) {
        daemon.findings().removeIf(f -> !severities.contains(f.severity()));
        containers.forEach(c -> c.findings.removeIf(f -> !severities.contains(f.severity())));
        images.values().forEach(i -> {
            if (i.report() != null) {
                i.report().keepOnly(severities);
            }
        });
    }

    public boolean hasAtLeast(Severity threshold) {
        return allFindings().stream().anyMatch(f -> f.severity().atLeast(threshold));
    }

    public static Map<Severity, Integer> bySeverity(List<Finding> findings) {
        Map<Severity, Integer> m = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            m.put(s, 0);
        }
        findings.forEach(f -> m.merge(f.severity(), 1, Integer::sum));
        return m;
    }

    public static Map<Category, Integer> byCategory(List<Finding> findings) {
        Map<Category, Integer> m = new EnumMap<>(Category.class);
        findings.forEach(f -> m.merge(f.category(), 1, Integer::sum));
        return m;
    }
}
