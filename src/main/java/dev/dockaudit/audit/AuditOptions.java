package dev.dockaudit.audit;

import dev.dockaudit.image.layer.LayerScanner;

/**
 * What an audit does beyond reading the image.
 *
 * @param walkLayers   read every layer's tar entries, not only hash them
 * @param inventory    find the OS and packages (implies walking the layers)
 * @param remote       compare the image with what the registry serves for its tags now
 * @param maxLayerSize bound on a layer's uncompressed size
 */
public record AuditOptions(boolean walkLayers, boolean inventory, boolean remote, long maxLayerSize,
                           LayerScanner.ProgressListener progress) {
}
