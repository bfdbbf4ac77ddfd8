package dev.dockaudit.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Streams over a non-blocking unix socket channel that give up after a quiet period. Blocking channel
 * reads cannot time out, and a daemon that accepts a connection but never answers must not hang the audit.
 */
final class TimeoutChannelStreams {
    private final SocketChannel channel;
    private final Selector selector;
    private final long timeoutMillis;

    TimeoutChannelStreams(SocketChannel channel, long timeoutMillis) throws IOException {
        this.channel = channel;
        this.timeoutMillis = timeoutMillis;
        channel.configureBlocking(false);
        this.selector = Selector.open();
    }

    private void await(int op) throws IOException {
        SelectionKey key = channel.register(selector, op);
        try {
            if (selector.select(timeoutMillis) == 0) {
                throw new SocketTimeoutException("the daemon did not answer within " + timeoutMillis / 1000 + " s");
            }
            selector.selectedKeys().clear();
        } finally {
            key.interestOps(0);
        }
    }

    InputStream input() {
        return new InputStream() {
            private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).flip();

            @Override
            public int read() throws IOException {
                if (!fill()) {
                    return -1;
                }
                return buf.get() & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(len, buf.remaining());
                buf.get(b, off, n);
                return n;
            }

            private boolean fill() throws IOException {
                if (buf.hasRemaining()) {
                    return true;
                }
                buf.clear();
                try {
                    while (true) {
                        int n = channel.read(buf);
                        if (n < 0) {
                            return false;
                        }
                        if (n > 0) {
                            return true;
                        }
                        await(SelectionKey.OP_READ);
                    }
                } finally {
                    buf.flip();
                }
            }

            @Override
            public void close() throws IOException {
                TimeoutChannelStreams.this.close();
            }
        };
    }

    OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer bb = ByteBuffer.wrap(b, off, len);
                while (bb.hasRemaining()) {
                    if (channel.write(bb) == 0) {
                        await(SelectionKey.OP_WRITE);
                    }
                }
            }
        };
    }

    void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
