package dev.dockaudit.audit;

import dev.dockaudit.image.layer.LayerScanner;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What an audit runs and how.
 *
 * @param scanners     the scanners beyond reading and verifying the image
 * @param walkLayers   read every layer's tar entries even when no scanner needs them
 * @param remote       compare the image with what the registry serves for its tags now
 * @param maxLayerSize bound on a layer's uncompressed size
 * @param secretConfig a user secret-rule file, or null
 * @param vulnDb       the vulnerability database to use, or null for the default (and the bundled seed without one)
 * @param triage       ignore file, VEX documents, --ignore-unfixed
 */
public record AuditOptions(Set<Scanner> scanners, boolean walkLayers, boolean remote, long maxLayerSize,
                           LayerScanner.ProgressListener progress, Path secretConfig, Path vulnDb, Triage triage) {

    /** The scanners that read layer contents or judge the image. */
    public enum Scanner { INVENTORY, VULNERABILITIES, CONFIG, SECRETS }

    /**
     * How findings are triaged after detection.
     *
     * @param ignoreFile    the ignore file, or null for {@code .dockauditignore} in the working directory if present
     * @param vex           OpenVEX documents
     * @param ignoreUnfixed drop vulnerabilities that have no fixed version yet
     * @param configIgnore  the {@code ignore:} rules of the config file (dockaudit.yaml), or null
     */
    public record Triage(Path ignoreFile, List<Path> vex, boolean ignoreUnfixed,
                         dev.dockaudit.vuln.triage.IgnoreFile configIgnore) {
        public static final Triage NONE = new Triage(null, List.of(), false);

        public Triage(Path ignoreFile, List<Path> vex, boolean ignoreUnfixed) {
            this(ignoreFile, vex, ignoreUnfixed, null);
        }
    }

    public AuditOptions {
        scanners = scanners.isEmpty() ? EnumSet.noneOf(Scanner.class) : EnumSet.copyOf(scanners);
        triage = triage == null ? Triage.NONE : triage;
        if (scanners.contains(Scanner.VULNERABILITIES)) {
            scanners.add(Scanner.INVENTORY);
        }
    }

    /** Only verify digests (and optionally compare with the registry). */
    public static AuditOptions digestsOnly(boolean remote, long maxLayerSize, LayerScanner.ProgressListener progress) {
        return new AuditOptions(Set.of(), false, remote, maxLayerSize, progress, null, null, Triage.NONE);
    }

    public boolean has(Scanner s) {
        return scanners.contains(s);
    }

    /** Whether the layers' tar entries must be read (any scanner needs them). */
    public boolean walks() {
        return walkLayers || !scanners.isEmpty();
    }
}
