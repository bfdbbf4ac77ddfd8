package dev.dockaudit.check.config;

import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.image.layer.LayerVisitor;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The config checks' part of a layer's single pass: keeps the bytes of {@code /etc/passwd}, {@code /etc/shadow}
 * and {@code /etc/group} as this layer has them (at most {@value #MAX_BYTES} bytes each). It reads through
 * {@link ContentReader#read(int)}, so other visitors can still read the same files.
 */
public final class AccountFilesVisitor implements LayerVisitor {
    public static final Set<String> PATHS = Set.of("etc/passwd", "etc/shadow", "etc/group");
    static final int MAX_BYTES = 4 << 20;

    private final Map<String, byte[]> contents = new HashMap<>();

    @Override
    public boolean wantsContent(LayerFile file) {
        return file.isRegular() && PATHS.contains(file.path());
    }

    @Override
    public void visit(LayerFile file, ContentReader content) throws IOException {
        if (content != null && PATHS.contains(file.path())) {
            contents.put(file.path(), content.read(MAX_BYTES));
        }
    }

    /** The bytes this layer holds at {@code path} (root-relative, e.g. {@code etc/shadow}), or null. */
    public byte[] content(String path) {
        return contents.get(path);
    }

    public Map<String, byte[]> contents() {
        return Collections.unmodifiableMap(contents);
    }
}
