package dev.dockaudit.util;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes and counts every byte that passes through, and enforces a size limit so that a hostile
 * stream (a decompression bomb, an endless HTTP body) stops at a documented bound instead of
 * running forever.
 */
public final class HashingInputStream extends FilterInputStream {
    private final MessageDigest digest;
    private final long limit;
    private final String limitMessage;
    private long count;

    public HashingInputStream(InputStream in, String algorithm, long limit, String limitMessage) {
        super(in);
        this.digest = Digest.newDigest(algorithm);
        this.limit = limit;
        this.limitMessage = limitMessage;
    }

    public HashingInputStream(InputStream in) {
        this(in, "sha256", Long.MAX_VALUE, null);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            digest.update((byte) b);
            advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n > 0) {
            digest.update(buf, off, n);
            advance(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipping would leave bytes unhashed: read them instead.
        byte[] buf = new byte[(int) Math.min(n, 65536)];
        long left = n;
        while (left > 0) {
            int r = read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                break;
            }
            left -= r;
        }
        return n - left;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void advance(int n) throws IOException {
        count += n;
        if (count > limit) {
            throw new SizeLimitException(limitMessage != null ? limitMessage : "stream exceeds " + Sizes.human(limit));
        }
    }

    /** Reads the rest of the stream so that the digest covers all of it. */
    public void drain() throws IOException {
        byte[] buf = new byte[1 << 16];
        while (read(buf, 0, buf.length) >= 0) {
            // keep reading
        }
    }

    public long count() {
        return count;
    }

    /** The digest of everything read so far; call once, after the stream is exhausted. */
    public Digest digest() {
        return new Digest(digest.getAlgorithm().toLowerCase().replace("-", ""),
                java.util.HexFormat.of().formatHex(digest.digest()));
    }

    /** Raised when a stream passes its size limit; it is a user-facing error. */
    public static final class SizeLimitException extends IOException {
        private static final long serialVersionUID = 1L;

        public SizeLimitException(String message) {
            super(message);
        }
    }
}
