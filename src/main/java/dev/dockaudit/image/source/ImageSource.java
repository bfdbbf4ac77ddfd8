package dev.dockaudit.image.source;

import dev.dockaudit.image.Image;
import dev.dockaudit.image.layer.LayerScanner;
import java.io.IOException;

/** Reads one image from wherever it lives, handing every layer blob to the scanner exactly once. */
public interface ImageSource {
    Image read(LayerScanner scanner) throws IOException;
}
