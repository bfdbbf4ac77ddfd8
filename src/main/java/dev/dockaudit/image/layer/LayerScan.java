package dev.dockaudit.image.layer;

import dev.dockaudit.image.Compression;
import dev.dockaudit.util.Digest;
import java.util.List;

/**
 * What one streaming pass over a layer blob computed: the digest and size of the bytes as stored,
 * the compression found, the digest and size of the uncompressed tar (the diff_id), the entries,
 * and the visitors that saw them. {@code error} is set when the bytes could not be read as a
 * (compressed) tar; the digests still cover every byte that was there.
 */
public record LayerScan(Digest rawDigest, long rawSize, Compression compression, Digest diffId, long uncompressedSize,
                        List<LayerFile> files, List<LayerVisitor> visitors, String error) {

    public <T extends LayerVisitor> T visitor(Class<T> type) {
        for (LayerVisitor v : visitors) {
            if (type.isInstance(v)) {
                return type.cast(v);
            }
        }
        return null;
    }
}
