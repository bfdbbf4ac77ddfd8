package dev.dockaudit.inventory;

import dev.dockaudit.image.layer.LayerFile;
import java.io.IOException;

/**
 * Finds packages (or OS facts) in files of one kind. Analyzers declare the files they want so each layer
 * is read once for all of them; a file goes to the first analyzer that wants it, so their choices should
 * not overlap. Analyzers must survive hostile input: throw {@link IOException} or {@link RuntimeException}
 * for a bad file and the inventory records a warning naming it and goes on.
 */
public interface FileAnalyzer {
    /** A short name for warnings, e.g. "dpkg". */
    String name();

    /** Cheap test on every regular file of every layer: path (root-relative), size, mode. */
    boolean wants(LayerFile file);

    /** Parses one file. */
    FileResult analyze(AnalyzerInput input) throws IOException;

    /**
     * True for package databases that later layers rewrite (dpkg status, apk installed, rpmdb): the inventory
     * then compares the database's versions across layers to find the layer that last changed each package.
     */
    default boolean isDatabase() {
        return false;
    }
}
