package dev.dockaudit.image.source;

import dev.dockaudit.image.layer.LayerPaths;
import dev.dockaudit.image.layer.LayerScan;
import dev.dockaudit.image.layer.LayerScanner;
import dev.dockaudit.util.Sizes;
import dev.dockaudit.util.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** An OCI image layout on disk. Blobs are read in place; nothing is copied. */
final class DirectoryBlobStore implements BlobStore {
    private final Path root;

    DirectoryBlobStore(Path root) {
        this.root = root;
    }

    private Path file(String path) {
        // Normalising refuses '..'; the layout's own names are digests, so nothing can point outside.
        return root.resolve(LayerPaths.normalise(path, root.toString()));
    }

    @Override
    public boolean exists(String path) {
        return Files.isRegularFile(file(path));
    }

    @Override
    public byte[] readSmall(String path, String what) throws IOException {
        Path f = file(path);
        if (!Files.isRegularFile(f)) {
            throw new UserError(describe() + " has no " + what + " (" + path + "); the layout is incomplete");
        }
        long size = Files.size(f);
        if (size > MAX_JSON) {
            throw new UserError(describe() + ": " + what + " is " + Sizes.human(size) + ", beyond the "
                    + Sizes.human(MAX_JSON) + " limit for manifests and configs; the layout is not a sane image");
        }
        return Files.readAllBytes(f);
    }

    @Override
    public LayerScan scanLayer(String path, String label, LayerScanner scanner) throws IOException {
        Path f = file(path);
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(f)) {
            throw new UserError(describe() + " has no blob for " + label + " (" + path
                    + "); the layout is incomplete, copy it again");
        }
        try (InputStream in = Files.newInputStream(f)) {
            return scanner.scan(in, label);
        }
    }

    @Override
    public String describe() {
        return "OCI layout " + root;
    }
}
