package dev.dockaudit.image.layer;

/**
 * One entry of a layer, as the tar (or a root filesystem directory) describes it.
 * Whiteouts are kept as entries of their own kind; {@link #path} is then the path they delete.
 */
public record LayerFile(String path, Type type, long size, int mode, long uid, long gid, String linkTarget,
                        long mtimeEpochSeconds) {

    public enum Type { FILE, DIR, SYMLINK, HARDLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO, WHITEOUT, OPAQUE_WHITEOUT }

    public static final int SETUID = 04000;
    public static final int SETGID = 02000;

    public boolean isRegular() {
        return type == Type.FILE;
    }

    public boolean isWhiteout() {
        return type == Type.WHITEOUT || type == Type.OPAQUE_WHITEOUT;
    }
}
