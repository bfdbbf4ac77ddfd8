package dev.dockaudit.inventory;

import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.image.layer.LayerPaths;
import dev.dockaudit.image.layer.LayerVisitor;
import dev.dockaudit.util.TempFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inventory's part of a layer's single pass: offers each regular file to the analyzers and keeps what
 * they found, by path. A file that breaks an analyzer becomes a warning naming it; the pass goes on.
 */
public final class InventoryVisitor implements LayerVisitor {
    /** One analyzed file of this layer. */
    public record Result(FileAnalyzer analyzer, FileResult result) {
    }

    private final List<FileAnalyzer> analyzers;
    private final TempFiles temp;
    private final Map<String, Result> results = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private FileAnalyzer pending;
    private String pendingPath;

    public InventoryVisitor(List<FileAnalyzer> analyzers, TempFiles temp) {
        this.analyzers = analyzers;
        this.temp = temp;
    }

    @Override
    public boolean wantsContent(LayerFile file) {
        pending = null;
        for (FileAnalyzer a : analyzers) {
            if (a.wants(file)) {
                pending = a;
                pendingPath = file.path();
                return true;
            }
        }
        return false;
    }

    @Override
    public void visit(LayerFile file, ContentReader content) {
        if (file.isWhiteout() || file.type() == LayerFile.Type.DIR) {
            // A later version of a database replaces the earlier one only through the merge; nothing to do here.
            return;
        }
        if (content == null || pending == null || !file.path().equals(pendingPath)) {
            return;
        }
        FileAnalyzer a = pending;
        pending = null;
        try {
            FileResult r = a.analyze(new AnalyzerInput(file, content, temp));
            results.put(file.path(), new Result(a, r));
            for (String w : r.warnings()) {
                warnings.add("/" + LayerPaths.printable(file.path()) + ": " + w);
            }
        } catch (IOException | RuntimeException | StackOverflowError e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            warnings.add(a.name() + ": could not read /" + LayerPaths.printable(file.path()) + ": " + why
                    + "; its packages are missing from the inventory");
        }
    }

    public Map<String, Result> results() {
        return Collections.unmodifiableMap(results);
    }

    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }
}
