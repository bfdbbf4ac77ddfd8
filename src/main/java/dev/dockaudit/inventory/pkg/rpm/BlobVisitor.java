package dev.dockaudit.inventory.pkg.rpm;

import java.io.IOException;

/** Receives the package header blobs of an rpm database one at a time, in the order rpm lists them. */
@FunctionalInterface
public interface BlobVisitor {
    /**
     * @param key  the header number (rpm's hnum / pkgidx / BDB key)
     * @param blob the header blob as stored
     */
    void visit(long key, byte[] blob) throws IOException;
}
