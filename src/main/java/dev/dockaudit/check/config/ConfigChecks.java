package dev.dockaudit.check.config;

import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.Layer;
import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.image.layer.LayerVisitor;
import dev.dockaudit.image.layer.MergedFilesystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The image configuration checks (CIS Docker Benchmark v1.6 section 4 and Dockle's rules): the run config, the
 * build steps in the history, and the files in the layers. Entry points for the pipeline:
 * <ol>
 * <li>{@link #visitor()} into every layer's visitors, so /etc/passwd, /etc/shadow and /etc/group are kept from the
 *     single pass (without it the account checks are skipped with a note);</li>
 * <li>{@link #check} once the image is read (with walked layers for the file checks).</li>
 * </ol>
 * The rules and their ids are in {@link ConfigRule}.
 */
public final class ConfigChecks {
    private ConfigChecks() {
    }

    /** A fresh visitor for one layer's pass. */
    public static LayerVisitor visitor() {
        return new AccountFilesVisitor();
    }

    /**
     * Runs every configuration check.
     *
     * @param reference   what the user asked for (for the latest-tag check); may be null
     * @param environment dockaudit's own environment ({@code System.getenv()}), for DOCKER_CONTENT_TRUST
     */
    public static ConfigResult check(Image image, ImageReference reference, Map<String, String> environment) {
        return check(image, reference, environment, merged(image));
    }

    /** As {@link #check(Image, ImageReference, Map)}, with a final filesystem the caller already merged (or null). */
    public static ConfigResult check(Image image, ImageReference reference, Map<String, String> environment,
                                     MergedFilesystem fs) {
        CheckContext c = new CheckContext(image, reference, environment, fs);
        ImageSettingsChecks.run(c);
        BuildStepChecks.run(c);
        FilesystemChecks.run(c);
        AccountChecks.run(c);
        return c.result();
    }

    /** The final filesystem of an image whose layers were walked; null when one was not. */
    public static MergedFilesystem merged(Image image) {
        List<List<LayerFile>> entries = new ArrayList<>();
        for (Layer l : image.layers()) {
            if (l.scan() == null || l.scan().files() == null) {
                return null;
            }
            entries.add(l.scan().files());
        }
        return MergedFilesystem.of(entries);
    }
}
