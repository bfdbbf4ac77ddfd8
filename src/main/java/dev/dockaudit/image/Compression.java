package dev.dockaudit.image;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Layer compression, detected from the first bytes, never trusted from the media type. */
public enum Compression {
    NONE, GZIP, ZSTD;

    private static final int PEEK = 4;

    /** Looks at the first bytes of {@code in}, which must support mark/reset. */
    public static Compression detect(BufferedInputStream in) throws IOException {
        in.mark(PEEK);
        byte[] head = in.readNBytes(PEEK);
        in.reset();
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (head.length == 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5
                && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        return NONE;
    }

    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            // The JDK reads the next gzip member only when available() > 0 at a member boundary; network and
            // pipe streams say 0 there, which silently cut multi-member layers (eStargz, pigz -i, cat a.gz b.gz)
            // short and gave a wrong diff_id. Make available() answer "is there more" truthfully.
            case GZIP -> new GZIPInputStream(new MoreAvailable(in), 1 << 16);
            case ZSTD -> new ZstdInputStream(in);
        };
    }

    /** Whether a declared layer media type agrees with what the bytes are. Unknown types are not judged here. */
    public boolean agreesWith(String mediaType) {
        if (mediaType == null || !MediaTypes.LAYERS.contains(mediaType)) {
            return true;
        }
        boolean gz = mediaType.endsWith("gzip");
        boolean zst = mediaType.endsWith("zstd");
        return switch (this) {
            case GZIP -> gz;
            case ZSTD -> zst;
            case NONE -> !gz && !zst;
        };
    }

    /** Reports available() > 0 whenever another byte can be read, blocking for it if need be. */
    private static final class MoreAvailable extends java.io.PushbackInputStream {
        MoreAvailable(InputStream in) {
            super(in, 1);
        }

        @Override
        public int available() throws IOException {
            int n = super.available();
            if (n > 0) {
                return n;
            }
            int b = read();
            if (b < 0) {
                return 0;
            }
            unread(b);
            return 1;
        }
    }
}
