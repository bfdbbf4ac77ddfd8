package dev.dockaudit.audit;

import dev.dockaudit.image.DockerName;
import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.layer.LayerScanner;
import dev.dockaudit.image.source.Sources;
import dev.dockaudit.report.Report;
import dev.dockaudit.trust.IntegrityDetector;
import dev.dockaudit.trust.RegistryDriftDetector;
import dev.dockaudit.util.HashingInputStream;
import dev.dockaudit.util.UserError;
import java.io.IOException;
import dev.dockaudit.image.Layer;
import dev.dockaudit.image.layer.LayerScan;
import dev.dockaudit.image.layer.LayerVisitor;
import dev.dockaudit.inventory.Analyzers;
import dev.dockaudit.inventory.Inventory;
import dev.dockaudit.inventory.InventoryVisitor;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.TempFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The pipeline: reference → source → image (one pass per layer) → detectors → report. */
public final class Auditor {
    private final Sources sources;

    public Auditor(Sources sources) {
        this.sources = sources;
    }

    public Report run(String command, ImageReference ref, AuditOptions options) {
        try (TempFiles temp = new TempFiles()) {
            Supplier<List<LayerVisitor>> visitors = options.inventory()
                    ? () -> List.of(new InventoryVisitor(Analyzers.all(), temp))
                    : List::of;
            boolean walk = options.walkLayers() || options.inventory();
            LayerScanner scanner = new LayerScanner(walk, visitors, options.maxLayerSize(), options.progress());
            Image image;
            try {
                image = sources.open(ref).read(scanner);
            } catch (HashingInputStream.SizeLimitException e) {
                throw new UserError(e.getMessage());
            }
            Report report = detect(command, ref, image, options);
            if (options.inventory()) {
                report.inventory(inventory(image));
                report.inventory().warnings().forEach(w -> report.note("inventory: " + w));
            }
            return report;
        } catch (IOException e) {
            throw new UserError("reading " + ref + " failed (" + e.getMessage() + "); check the file or server");
        }
    }

    private static Inventory inventory(Image image) {
        List<Inventory.LayerInput> layers = new ArrayList<>();
        for (Layer l : image.layers()) {
            LayerScan s = l.scan();
            InventoryVisitor v = s == null ? null : s.visitor(InventoryVisitor.class);
            Digest diffId = l.diffId() != null ? l.diffId() : s == null ? null : s.diffId();
            layers.add(new Inventory.LayerInput(diffId == null ? null : diffId.toString(),
                    s == null ? List.of() : s.files(), v != null ? v : new InventoryVisitor(List.of(), null)));
        }
        return Inventory.build(layers);
    }

    private Report detect(String command, ImageReference ref, Image image, AuditOptions options) {
        Report report = new Report(command, image);
        report.addAll(new IntegrityDetector().detect(image));
        pinning(ref, image, report);
        if (options.remote()) {
            List<String> notes = new ArrayList<>();
            report.addAll(new RegistryDriftDetector(sources.registry()).detect(image, notes));
            notes.forEach(report::note);
        }
        return report;
    }

    private static void pinning(ImageReference ref, Image image, Report report) {
        ImageReference.Transport t = ref.transport();
        boolean named = t == ImageReference.Transport.DOCKER || t == ImageReference.Transport.NAME
                || t == ImageReference.Transport.DOCKER_DAEMON;
        if (!named || ref.name().matches("(sha256:)?[a-f0-9]{12,64}")) {
            return;
        }
        DockerName name;
        try {
            name = DockerName.parse(ref.name());
        } catch (IllegalArgumentException e) {
            return;
        }
        if (name.pinned()) {
            return;
        }
        // Suggest the repo digest of the same repository when the image has one, else any it has.
        String pin = null;
        for (String rd : image.repoDigests()) {
            int at = rd.indexOf('@');
            if (at <= 0) {
                continue;
            }
            boolean sameRepo;
            try {
                sameRepo = DockerName.parse(rd.substring(0, at)).repositoryWithRegistry().equals(name.repositoryWithRegistry());
            } catch (IllegalArgumentException e) {
                sameRepo = false;
            }
            if (pin == null || sameRepo) {
                pin = rd;
            }
            if (sameRepo) {
                break;
            }
        }
        report.add(IntegrityDetector.tagNotPinned(ref.original(), pin));
    }
}
