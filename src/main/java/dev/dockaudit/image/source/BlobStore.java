package dev.dockaudit.image.source;

import dev.dockaudit.image.layer.LayerScan;
import dev.dockaudit.image.layer.LayerScanner;
import java.io.IOException;

/**
 * Files of an image layout (docker save or OCI) by their path inside it: a directory on disk, or an
 * archive already streamed once. Paths are normalised, root-relative, and never leave the layout.
 */
interface BlobStore {
    /** Largest manifest, index or config we accept; real ones are kilobytes, the registry caps manifests at 4 MiB. */
    int MAX_JSON = 16 << 20;

    boolean exists(String path);

    /** The bytes of a small (JSON) file; a missing file or one over {@link #MAX_JSON} is a user error. */
    byte[] readSmall(String path, String what) throws IOException;

    /** Scans a layer blob (once; later calls return the same result). */
    LayerScan scanLayer(String path, String label, LayerScanner scanner) throws IOException;

    /** What to call this layout in messages. */
    String describe();
}
