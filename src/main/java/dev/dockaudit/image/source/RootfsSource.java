package dev.dockaudit.image.source;

import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.Layer;
import dev.dockaudit.image.layer.LayerScan;
import dev.dockaudit.image.layer.LayerScanner;
import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code rootfs:DIR}: a plain directory, audited as one layer with no config and nothing to verify. */
final class RootfsSource implements ImageSource {
    private final ImageReference reference;
    private final Path dir;

    RootfsSource(ImageReference reference, Path dir) {
        this.reference = reference;
        this.dir = dir;
    }

    @Override
    public Image read(LayerScanner scanner) throws IOException {
        Path real;
        try {
            real = dir.toRealPath();
        } catch (FileSystemException e) {
            String reason = e.getReason() != null ? e.getReason() : "not found";
            throw new UserError("cannot open " + dir + " (" + reason.toLowerCase() + "); rootfs: needs a directory");
        }
        if (!Files.isDirectory(real)) {
            throw new UserError(dir + " is not a directory; rootfs: needs the root of an unpacked file system");
        }
        LayerScan scan = scanner.scanDirectory(real, "rootfs " + dir);
        Image.Builder b = new Image.Builder(reference, "rootfs").displayName(dir.toString());
        b.layers(List.of(new Layer(0, null, null, -1, null, null, null, real.toString(), scan)));
        b.note("a root filesystem directory has no image config, manifest or layer digests to verify");
        return b.build();
    }
}
