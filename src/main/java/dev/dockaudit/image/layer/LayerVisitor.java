package dev.dockaudit.image.layer;

import java.io.IOException;
import java.io.InputStream;

/**
 * Sees every entry of one layer during the single streaming pass over it. Analyzers implement this;
 * a visitor instance belongs to one layer and keeps what it found for the merge step.
 */
public interface LayerVisitor {

    /** Whether this visitor wants to read the content of {@code file} (regular files only). */
    default boolean wantsContent(LayerFile file) {
        return false;
    }

    /**
     * Called once per entry, in tar order. {@code content} is non-null only for regular files some visitor
     * asked for; it may be shared between visitors through a buffer, so read it, do not close it.
     */
    void visit(LayerFile file, ContentReader content) throws IOException;

    /** Gives visitors the bytes of a file they asked for, read at most once from the tar stream. */
    interface ContentReader {
        /** The file's content up to {@code maxBytes}; the rest is skipped. */
        byte[] read(int maxBytes) throws IOException;

        /** A stream over the whole file; only the first visitor to ask may use it. */
        InputStream stream() throws IOException;
    }
}
