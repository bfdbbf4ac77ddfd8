package dev.dockaudit.engine;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP/1.1 reply side the Engine API needs: status line, headers, and bodies framed by
 * Content-Length, chunked transfer coding, or the connection closing.
 */
final class HttpWire {
    private static final int MAX_LINE = 16 << 10;
    private static final int MAX_HEADERS = 200;

    private HttpWire() {
    }

    static EngineResponse readResponse(InputStream in, boolean head) throws IOException {
        String status = readLine(in);
        if (status == null) {
            throw new EOFException("the daemon closed the connection without replying");
        }
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP reply: '" + status.substring(0, Math.min(60, status.length())) + "'");
        }
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad HTTP status line: " + status);
        }
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; ; i++) {
            if (i > MAX_HEADERS) {
                throw new IOException("too many HTTP headers");
            }
            String line = readLine(in);
            if (line == null) {
                throw new EOFException("connection closed inside the HTTP headers");
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        InputStream body;
        String te = headers.get("transfer-encoding");
        String cl = headers.get("content-length");
        if (head || code == 204 || code == 304 || (code >= 100 && code < 200)) {
            // Empty, but still tied to the connection: closing the response must close the socket (a null stream would leak it).
            body = new LengthInputStream(in, 0);
        } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = new ChunkedInputStream(in);
        } else if (cl != null) {
            try {
                body = new LengthInputStream(in, Long.parseLong(cl));
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length: " + cl);
            }
        } else {
            body = in;
        }
        return new EngineResponse(code, headers, body);
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int n = b.size();
                byte[] bytes = b.toByteArray();
                return new String(bytes, 0, n > 0 && bytes[n - 1] == '\r' ? n - 1 : n, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
            if (b.size() > MAX_LINE) {
                throw new IOException("HTTP line longer than " + MAX_LINE + " bytes");
            }
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    /** A body of known length. */
    static final class LengthInputStream extends FilterInputStream {
        private long left;

        LengthInputStream(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the daemon's reply ended early");
            }
            left--;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(buf, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the daemon's reply ended early");
            }
            left -= n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), left);
        }
    }

    /** RFC 9112 chunked transfer coding; trailers are read and dropped. */
    static final class ChunkedInputStream extends InputStream {
        private final InputStream in;
        private long chunkLeft;
        private boolean done;

        ChunkedInputStream(InputStream in) {
            this.in = in;
        }

        private boolean nextChunk() throws IOException {
            if (done) {
                return false;
            }
            if (chunkLeft == 0) {
                String size = readLine(in);
                if (size == null) {
                    throw new EOFException("the daemon's chunked reply ended early");
                }
                if (size.isEmpty()) { // CRLF ending the previous chunk
                    size = readLine(in);
                    if (size == null) {
                        throw new EOFException("the daemon's chunked reply ended early");
                    }
                }
                int semi = size.indexOf(';');
                try {
                    chunkLeft = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size '" + size + "'");
                }
                if (chunkLeft == 0) {
                    String trailer;
                    while ((trailer = readLine(in)) != null && !trailer.isEmpty()) {
                        // drop trailers
                    }
                    done = true;
                    return false;
                }
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!nextChunk()) {
                return -1;
            }
            int n = in.read(buf, off, (int) Math.min(len, chunkLeft));
            if (n < 0) {
                throw new EOFException("the daemon's chunked reply ended early");
            }
            chunkLeft -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
