package io.amply.ledger.hash.cli;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar on stderr, redrawn with {@code \r}; does nothing when switched off. */
final class Progress {

    /** About ten redraws a second: enough to look alive, too few to slow a long ledger down. */
    private static final long MIN_INTERVAL_NANOS = 100_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final long totalBytes;
    private long lastDraw;
    private boolean drawn;

    private Progress(PrintStream err, long totalBytes) {
        this.err = err;
        this.totalBytes = totalBytes;
    }

    static Progress off() {
        return new Progress(null, -1);
    }

    /** @param totalBytes the export's size, or a negative number when unknown (then only counts show) */
    static Progress to(PrintStream err, long totalBytes) {
        return new Progress(err, totalBytes);
    }

    void update(long bytes, long entries) {
        if (err == null) {
            return;
        }
        long now = System.nanoTime();
        if (drawn && now - lastDraw < MIN_INTERVAL_NANOS) {
            return;
        }
        draw(bytes, entries);
        lastDraw = now;
        drawn = true;
    }

    /** Draws the final state and ends the line, so what follows starts on a fresh one. */
    void finish(long bytes, long entries) {
        if (err == null) {
            return;
        }
        draw(bytes, entries);
        err.println();
        err.flush();
    }

    private void draw(long bytes, long entries) {
        if (totalBytes > 0) {
            int percent = (int) Math.min(100, bytes * 100 / totalBytes);
            int filled = percent * WIDTH / 100;
            err.print(String.format(Locale.ROOT, "\r[%s%s] %3d%%  %,d %s", "#".repeat(filled),
                    "-".repeat(WIDTH - filled), percent, entries, entries == 1 ? "entry" : "entries"));
        } else {
            err.print(String.format(Locale.ROOT, "\r%,d %s, %,d bytes read", entries,
                    entries == 1 ? "entry" : "entries", bytes));
        }
        err.flush();
    }
}
