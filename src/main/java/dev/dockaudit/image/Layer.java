package dev.dockaudit.image;

import dev.dockaudit.image.layer.LayerScan;
import dev.dockaudit.util.Digest;

/**
 * One layer of an image: what the manifest and config declare about it, and what the scan computed.
 *
 * @param digest        the blob digest the manifest declares; null where the format has none (legacy docker save)
 * @param declaredSize  the blob size the manifest declares, or -1
 * @param diffId        the uncompressed digest the config declares in rootfs.diff_ids; null without a config
 * @param location      where the blob was read from (archive path, URL), for messages
 */
public record Layer(int index, String mediaType, Digest digest, long declaredSize, Digest diffId, String createdBy,
                    String created, String location, LayerScan scan) {

    /**
     * True when every check this layer allows passed, false when one failed, null when nothing was declared
     * to check against (a root filesystem directory).
     */
    public Boolean verified() {
        if (digest == null && diffId == null) {
            return scan != null && scan.error() != null ? Boolean.FALSE : null;
        }
        return scan != null && scan.error() == null
                && (digest == null || digest.equals(scan.rawDigest()))
                && (declaredSize < 0 || declaredSize == scan.rawSize())
                && (diffId == null || diffId.equals(scan.diffId()));
    }

    /** The digest to show for the blob: the declared one, else what we computed. */
    public Digest blobDigest() {
        return digest != null ? digest : scan == null ? null : scan.rawDigest();
    }
}
