package dev.dockaudit.check.secret;

import dev.dockaudit.image.layer.LayerFile;
import dev.dockaudit.image.layer.LayerPaths;
import dev.dockaudit.image.layer.LayerVisitor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The secret scanner's part of a layer's single pass. It asks for regular files within the size limit that are
 * not binary by name and not under a path an allow rule skips, reads them only with
 * {@link ContentReader#read(int)} (never {@code stream()}, so another visitor can still stream the same file),
 * and keeps this layer's matches by path. One instance per layer.
 */
public final class SecretVisitor implements LayerVisitor {
    /** One secret in one file of this layer. */
    public record FileMatch(String path, SecretMatch match) {
    }

    private static final int SNIFF = 8192;

    /** Extensions of formats that are binary (or compressed) whatever they hold. */
    static final Set<String> BINARY_EXTENSIONS = Set.of(
            "png", "jpg", "jpeg", "gif", "bmp", "ico", "icns", "webp", "tif", "tiff", "svgz", "psd", "xcf", "cur",
            "mp3", "mp4", "m4a", "ogg", "oga", "opus", "wav", "flac", "avi", "mov", "mkv", "webm",
            "woff", "woff2", "ttf", "otf", "eot", "pfb", "pcf", "ttc",
            "gz", "tgz", "bz2", "tbz2", "xz", "txz", "zst", "lz4", "lzma", "lz", "z", "zip", "jar", "war", "ear", "apk",
            "whl", "egg", "deb", "udeb", "rpm", "7z", "rar", "tar", "iso", "img", "qcow2", "squashfs", "cpio",
            "so", "a", "o", "ko", "dll", "exe", "class", "pyc", "pyo", "pyd", "dylib", "wasm", "node", "dex", "elc",
            "mo", "gmo", "db", "sqlite", "sqlite3", "pdf", "bin", "dat.gz", "cache", "hwdb", "jks", "keystore",
            "p12", "pfx", "der", "gpg", "kbx", "pack", "idx", "rlib", "beam", "bc", "gch", "pcm");

    private final SecretScanner scanner;
    private final List<FileMatch> matches = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private int filesScanned;
    private long bytesScanned;
    private int skippedTooLarge;

    public SecretVisitor(SecretScanner scanner) {
        this.scanner = scanner;
    }

    @Override
    public boolean wantsContent(LayerFile file) {
        if (!file.isRegular() || file.size() <= 0) {
            return false;
        }
        if (file.size() > scanner.maxFileSize()) {
            skippedTooLarge++;
            return false;
        }
        return !binaryByName(file.path()) && !scanner.ruleSet().skipsPath(file.path());
    }

    /** True for names of binary formats: by extension, and versioned shared libraries ({@code libz.so.1.2.13}). */
    static boolean binaryByName(String path) {
        String base = LayerPaths.baseName(path);
        int dot = base.lastIndexOf('.');
        if (dot < 0) {
            return false;
        }
        String ext = base.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (BINARY_EXTENSIONS.contains(ext)) {
            return true;
        }
        return base.contains(".so.") && ext.chars().allMatch(Character::isDigit);
    }

    @Override
    public void visit(LayerFile file, ContentReader content) throws IOException {
        if (content == null || !file.isRegular()) {
            return;
        }
        byte[] data;
        try {
            byte[] head = content.read(SNIFF);
            if (SecretScanner.looksBinary(head, head.length)) {
                return;
            }
            data = head.length < SNIFF ? head : content.read(scanner.maxFileSize());
        } catch (IllegalStateException e) {
            // another visitor streamed the file before us: its bytes are gone for everyone else
            warnings.add("secrets: /" + LayerPaths.printable(file.path()) + " was not scanned (" + e.getMessage() + ")");
            return;
        }
        filesScanned++;
        bytesScanned += data.length;
        for (SecretMatch m : scanner.scan(data, file.path())) {
            matches.add(new FileMatch(file.path(), m));
        }
    }

    /** This layer's matches, in tar order. */
    public List<FileMatch> matches() {
        return Collections.unmodifiableList(matches);
    }

    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    public int filesScanned() {
        return filesScanned;
    }

    public long bytesScanned() {
        return bytesScanned;
    }

    /** Regular files not read because they are over the size limit. */
    public int skippedTooLarge() {
        return skippedTooLarge;
    }
}
