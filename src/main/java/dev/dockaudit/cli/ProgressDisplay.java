package dev.dockaudit.cli;

import dev.dockaudit.image.layer.LayerScanner;
import dev.dockaudit.util.Sizes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A one-line byte counter on stderr for long reads and pulls; only on a terminal, at most five updates a second. */
final class ProgressDisplay implements LayerScanner.ProgressListener {
    private final PrintStream err;
    private final long start = System.nanoTime();
    private long total;
    private long lastPrint;
    private boolean printed;

    private ProgressDisplay(PrintStream err) {
        this.err = err;
    }

    static LayerScanner.ProgressListener create(PrintStream err, boolean wanted) {
        return wanted && stderrIsTerminal() ? new ProgressDisplay(err) : LayerScanner.ProgressListener.NONE;
    }

    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    public synchronized void bytesRead(long n) {
        total += n;
        long now = System.nanoTime();
        if (now - lastPrint > 200_000_000L) {
            lastPrint = now;
            double secs = Math.max(0.001, (now - start) / 1e9);
            err.print("\r\033[Kreading layers: " + Sizes.human(total) + " (" + Sizes.human((long) (total / secs)) + "/s)");
            err.flush();
            printed = true;
        }
    }

    static void finish(LayerScanner.ProgressListener p) {
        if (p instanceof ProgressDisplay d && d.printed) {
            d.err.print("\r\033[K");
            d.err.flush();
        }
    }
}
