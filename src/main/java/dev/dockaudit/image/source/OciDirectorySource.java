package dev.dockaudit.image.source;

import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.Platform;
import dev.dockaudit.image.layer.LayerScanner;
import java.io.IOException;
import java.nio.file.Path;

/** An {@code oci:} image layout directory; blobs are read in place. */
final class OciDirectorySource implements ImageSource {
    private final ImageReference reference;
    private final Path dir;
    private final Platform platform;

    OciDirectorySource(ImageReference reference, Path dir, Platform platform) {
        this.reference = reference;
        this.dir = dir;
        this.platform = platform;
    }

    @Override
    public Image read(LayerScanner scanner) throws IOException {
        LayoutReader layout = new LayoutReader(new DirectoryBlobStore(dir), reference, platform, scanner);
        return layout.read(layout.isDockerSave() ? "docker-archive" : "oci");
    }
}
