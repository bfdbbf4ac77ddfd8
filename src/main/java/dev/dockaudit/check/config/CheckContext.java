package dev.dockaudit.check.config;

import dev.dockaudit.util.Redact;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.Layer;
import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.image.layer.MergedFilesystem;
import dev.dockaudit.report.Finding;
import dev.dockaudit.util.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What every configuration check reads, and where it puts what it found. */
final class CheckContext {
    final Image image;
    final ImageReference reference;
    final Map<String, String> environment;
    final List<BuildStep> steps;
    /** The final filesystem, or null when the layers were not walked. */
    final MergedFilesystem fs;
    /** {@code config.config} of the image config, or a missing node. */
    final JsonNode runConfig;
    private final int[] stepOfLayer;
    private final List<StepFinding> out = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    CheckContext(Image image, ImageReference reference, Map<String, String> environment, MergedFilesystem fs) {
        this.image = image;
        this.reference = reference;
        this.environment = environment == null ? Map.of() : environment;
        this.steps = BuildStep.of(image.history(), image.layers());
        this.fs = fs;
        JsonNode c = image.config() == null ? null : image.config().get("config");
        this.runConfig = c == null || !c.isObject() ? MissingNode.getInstance() : c;
        this.stepOfLayer = new int[image.layers().size()];
        java.util.Arrays.fill(stepOfLayer, -1);
        for (BuildStep s : steps) {
            if (s.layer() != null) {
                stepOfLayer[s.layer().index()] = s.index();
            }
        }
    }

    boolean hasConfig() {
        return image.config() != null;
    }

    void add(Finding.Builder f, int step) {
        out.add(new StepFinding(f.build(), step));
    }

    void note(String n) {
        notes.add(n);
    }

    ConfigResult result() {
        return new ConfigResult(out, notes);
    }

    /** The step that made layer {@code index}, or -1. */
    int stepOfLayer(int index) {
        return index >= 0 && index < stepOfLayer.length ? stepOfLayer[index] : -1;
    }

    /** The diff_id of layer {@code index} as the report names it, or null. */
    String diffId(int index) {
        if (index < 0 || index >= image.layers().size()) {
            return null;
        }
        Layer l = image.layers().get(index);
        Digest d = l.diffId() != null ? l.diffId() : l.scan() == null ? null : l.scan().diffId();
        return d == null ? null : d.toString();
    }

    /** "history[3] created_by: …" with secrets masked and long commands cut. */
    static String stepEvidence(BuildStep s) {
        return "history[" + s.index() + "].created_by: " + Redact.evidence(s.createdBy(), 400);
    }

    /**
     * The bytes the final filesystem has at {@code path} (e.g. {@code etc/shadow}) and the layer they come from,
     * following symlinks and hard links; null when there is no such file or the pass did not keep its content.
     */
    FileContent content(String path) {
        if (fs == null) {
            return null;
        }
        MergedFilesystem.Node n;
        try {
            n = fs.resolve(path);
        } catch (MergedFilesystem.SymlinkLoopException e) {
            return null;
        }
        if (n == null || n.file().type() != LayerFile.Type.FILE) {
            return null;
        }
        // resolve() gives a hard link's target with the link's layer; the content sits where the target was written
        MergedFilesystem.Node real = fs.get(n.file().path());
        int layer = real != null ? real.layer() : n.layer();
        Layer l = image.layers().get(layer);
        AccountFilesVisitor v = l.scan() == null ? null : l.scan().visitor(AccountFilesVisitor.class);
        if (v == null) {
            return null;
        }
        byte[] data = v.content(n.file().path());
        return data == null ? null : new FileContent("/" + n.file().path(), data, layer);
    }

    /** Whether the layer pass included {@link AccountFilesVisitor}. */
    boolean accountFilesRead() {
        for (Layer l : image.layers()) {
            if (l.scan() != null && l.scan().visitor(AccountFilesVisitor.class) != null) {
                return true;
            }
        }
        return false;
    }

    record FileContent(String path, byte[] data, int layer) {
    }
}
