package dev.dockaudit.audit;

import dev.dockaudit.audit.AuditOptions.Scanner;
import dev.dockaudit.check.config.ConfigChecks;
import dev.dockaudit.check.config.ConfigResult;
import dev.dockaudit.check.secret.ConfigSecrets;
import dev.dockaudit.check.secret.SecretFindings;
import dev.dockaudit.check.secret.SecretRuleSet;
import dev.dockaudit.check.secret.SecretScanner;
import dev.dockaudit.check.secret.SecretVisitor;
import dev.dockaudit.image.DockerName;
import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.Layer;
import dev.dockaudit.image.layer.LayerScan;
import dev.dockaudit.image.layer.LayerScanner;
import dev.dockaudit.image.layer.LayerVisitor;
import dev.dockaudit.image.layer.MergedFilesystem;
import dev.dockaudit.image.source.Sources;
import dev.dockaudit.inventory.Analyzers;
import dev.dockaudit.inventory.Inventory;
import dev.dockaudit.inventory.InventoryVisitor;
import dev.dockaudit.report.Report;
import dev.dockaudit.trust.IntegrityDetector;
import dev.dockaudit.trust.RegistryDriftDetector;
import dev.dockaudit.util.Digest;
import dev.dockaudit.util.HashingInputStream;
import dev.dockaudit.util.TempFiles;
import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The pipeline: reference → source → image (one pass per layer, every scanner's visitor in it) → detectors →
 * triage → report.
 */
public final class Auditor {
    private final Sources sources;

    public Auditor(Sources sources) {
        this.sources = sources;
    }

    public Report run(String command, ImageReference ref, AuditOptions options) {
        if (options.has(Scanner.SECRETS) && options.secretConfig() == null) {
            SecretRuleSet.preloadInBackground(); // compiling the rules overlaps with reading the image
        }
        try (TempFiles temp = new TempFiles()) {
            VulnerabilityStep vulns = options.has(Scanner.VULNERABILITIES)
                    ? VulnerabilityStep.start(options.vulnDb(), temp) : null; // opens the database while layers stream
            SecretScanner secrets = options.has(Scanner.SECRETS) ? new SecretScanner(options.secretConfig() == null
                    ? SecretRuleSet.builtIn() : SecretRuleSet.withUserConfig(options.secretConfig()),
                    SecretScanner.DEFAULT_MAX_FILE_SIZE) : null;
            LayerScanner scanner = new LayerScanner(options.walks(), visitors(options, secrets, temp),
                    options.maxLayerSize(), options.progress());
            Image image;
            try {
                image = sources.open(ref).read(scanner);
            } catch (HashingInputStream.SizeLimitException e) {
                throw new UserError(e.getMessage());
            }
            Report report = new Report(command, image);
            integrity(ref, image, options, report);
            MergedFilesystem fs = options.walks() ? ConfigChecks.merged(image) : null;
            if (options.has(Scanner.INVENTORY)) {
                Inventory inv = inventory(image, fs);
                report.inventory(inv);
                inv.warnings().forEach(w -> report.note("inventory: " + w));
            }
            if (options.has(Scanner.CONFIG)) {
                ConfigResult config = ConfigChecks.check(image, ref, System.getenv(), fs);
                report.addAll(config.findings());
                config.notes().forEach(n -> report.note("config checks: " + n));
            }
            if (secrets != null) {
                secrets(image, fs, secrets, report);
                report.redactor(text -> secrets.redact(dev.dockaudit.util.Redact.text(text)));
            }
            if (vulns != null) {
                vulns.match(report);
            }
            TriageStep.apply(report, options.triage(), image);
            return report;
        } catch (IOException e) {
            throw new UserError("reading " + ref + " failed (" + e.getMessage() + "); check the file or server");
        }
    }

    /**
     * Each layer's visitors, in the order they may read a file: those reading a bounded prefix
     * ({@code ContentReader.read}) come before the inventory, whose analyzers may stream a file to its end.
     */
    private static Supplier<List<LayerVisitor>> visitors(AuditOptions options, SecretScanner secrets, TempFiles temp) {
        return () -> {
            List<LayerVisitor> list = new ArrayList<>(3);
            // The account files (passwd, shadow, group) are kept whenever layers are walked: three small reads that
            // let any command that judges the configuration (image, inspect, history) check them.
            list.add(ConfigChecks.visitor());
            if (secrets != null) {
                list.add(new SecretVisitor(secrets));
            }
            if (options.has(Scanner.INVENTORY)) {
                list.add(new InventoryVisitor(Analyzers.all(), temp));
            }
            return list;
        };
    }

    private void integrity(ImageReference ref, Image image, AuditOptions options, Report report) {
        report.addAll(new IntegrityDetector().detect(image));
        pinning(ref, image, report);
        if (options.remote()) {
            List<String> notes = new ArrayList<>();
            report.addAll(new RegistryDriftDetector(sources.registry()).detect(image, notes));
            notes.forEach(report::note);
        }
    }

    private static String diffId(Layer l) {
        Digest d = l.diffId() != null ? l.diffId() : l.scan() == null ? null : l.scan().diffId();
        return d == null ? null : d.toString();
    }

    private static Inventory inventory(Image image, MergedFilesystem fs) {
        List<Inventory.LayerInput> layers = new ArrayList<>();
        for (Layer l : image.layers()) {
            LayerScan s = l.scan();
            InventoryVisitor v = s == null ? null : s.visitor(InventoryVisitor.class);
            layers.add(new Inventory.LayerInput(diffId(l), s == null ? List.of() : s.files(),
                    v != null ? v : new InventoryVisitor(List.of(), null)));
        }
        return Inventory.build(layers, fs);
    }

    /** Secrets in files (each layer, flagged when a later layer deletes the file) and in the config and history. */
    private static void secrets(Image image, MergedFilesystem fs, SecretScanner scanner, Report report) {
        for (Layer l : image.layers()) {
            SecretVisitor v = l.scan() == null ? null : l.scan().visitor(SecretVisitor.class);
            if (v == null) {
                continue;
            }
            report.addAll(SecretFindings.forLayer(v.matches(), diffId(l),
                    fs == null ? null : SecretFindings.deletedInLaterLayer(fs, l.index())));
            v.warnings().forEach(w -> report.note("secret scan: " + w));
        }
        if (image.config() != null) {
            report.addAll(new ConfigSecrets(scanner).scan(image.config()));
        }
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
