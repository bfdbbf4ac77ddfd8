package dev.dockaudit.inventory;

import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.image.layer.LayerVisitor;
import dev.dockaudit.util.TempFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One file handed to an analyzer: its entry, and its content as bytes, a stream, or a private temporary
 * file (for formats that need random access or a real file, like SQLite). Content is read from the layer's
 * single pass; use one of the three accessors.
 */
public final class AnalyzerInput {
    private final LayerFile file;
    private final LayerVisitor.ContentReader content;
    private final TempFiles temp;

    public AnalyzerInput(LayerFile file, LayerVisitor.ContentReader content, TempFiles temp) {
        this.file = file;
        this.content = content;
        this.temp = temp;
    }

    public LayerFile file() {
        return file;
    }

    public String path() {
        return file.path();
    }

    /** The first {@code max} bytes (all of a smaller file). */
    public byte[] bytes(int max) throws IOException {
        return content.read(max);
    }

    /** The whole file as a stream, for formats read sequentially (zip, large text). */
    public InputStream stream() throws IOException {
        return content.stream();
    }

    /**
     * Copies the file into the tool's own temporary folder, up to {@code maxBytes}, and returns the copy; it is
     * deleted when the audit ends. Nothing from an image is written anywhere else.
     */
    public Path spool(long maxBytes) throws IOException {
        if (file.size() > maxBytes) {
            throw new IOException("is " + file.size() + " bytes, over the " + maxBytes + "-byte limit for this kind of file");
        }
        Path p = temp.newFile(file.path().replace('/', '_'));
        try (InputStream in = content.stream(); OutputStream out = Files.newOutputStream(p)) {
            in.transferTo(out);
        }
        return p;
    }
}
