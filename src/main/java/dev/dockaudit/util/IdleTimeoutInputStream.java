package dev.dockaudit.util;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a stream that stops delivering bytes for longer than its idle timeout. Java's HttpClient
 * times out waiting for headers but not while reading a body, and a server that stalls mid-blob
 * must not hang an audit.
 */
public final class IdleTimeoutInputStream extends FilterInputStream {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dockaudit-idle-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final long timeoutNanos;
    private final String what;
    private final ScheduledFuture<?> check;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean timedOut;

    public IdleTimeoutInputStream(InputStream in, long timeoutMillis, String what) {
        super(in);
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.what = what;
        long period = Math.max(100, Math.min(1000, timeoutMillis / 4));
        this.check = WATCHDOG.scheduleAtFixedRate(this::checkIdle, period, period, TimeUnit.MILLISECONDS);
    }

    private void checkIdle() {
        if (System.nanoTime() - lastProgress > timeoutNanos) {
            timedOut = true;
            check.cancel(false);
            try {
                in.close();
            } catch (IOException e) {
                // closing is all we can do
            }
        }
    }

    @Override
    public int read() throws IOException {
        try {
            int b = in.read();
            lastProgress = System.nanoTime();
            return b;
        } catch (IOException e) {
            throw translate(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            int n = in.read(b, off, len);
            lastProgress = System.nanoTime();
            if (n < 0 && timedOut) {
                throw timeout();
            }
            return n;
        } catch (IOException e) {
            throw translate(e);
        }
    }

    private IOException translate(IOException e) {
        return timedOut ? timeout() : e;
    }

    private SocketTimeoutException timeout() {
        return new SocketTimeoutException(what + " stalled: no data for " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s");
    }

    @Override
    public void close() throws IOException {
        check.cancel(false);
        super.close();
    }
}
