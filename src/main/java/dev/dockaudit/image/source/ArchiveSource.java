package dev.dockaudit.image.source;

import dev.dockaudit.image.Image;
import dev.dockaudit.image.ImageReference;
import dev.dockaudit.image.Platform;
import dev.dockaudit.image.layer.LayerScanner;
import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@code docker-archive:} and {@code oci-archive:} files, plain or compressed, read in one pass. */
final class ArchiveSource implements ImageSource {
    private final ImageReference reference;
    private final Path file;
    private final Platform platform;

    ArchiveSource(ImageReference reference, Path file, Platform platform) {
        this.reference = reference;
        this.file = file;
        this.platform = platform;
    }

    @Override
    public Image read(LayerScanner scanner) throws IOException {
        ArchiveContents contents;
        try (InputStream in = Files.newInputStream(file)) {
            contents = ArchiveContents.read(in, file.toString(), scanner);
        } catch (NoSuchFileException e) {
            throw new UserError(file + " does not exist; check the path");
        }
        LayoutReader layout = new LayoutReader(contents, reference, platform, scanner);
        return layout.read(layout.isDockerSave() ? "docker-archive" : "oci-archive");
    }
}
