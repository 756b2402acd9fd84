package dev.kiln.window;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Warnings about refused or failed requests, rate-limited so that a flood (a hostile local process,
 * a page in a loop) cannot flood the log: at most {@link #PER_MINUTE} lines a minute; what was left
 * out is counted and the count is reported on the next line that gets through.
 *
 * <p>Threading: any thread.
 */
final class RefusalLog {
    static final int PER_MINUTE = 20;
    private static final System.Logger LOG = System.getLogger("dev.kiln.window");

    private final AtomicLong suppressed = new AtomicLong();
    private long windowStart;
    private int inWindow;

    void warn(String message) {
        if (!admit()) {
            suppressed.incrementAndGet();
            return;
        }
        long left = suppressed.getAndSet(0);
        LOG.log(System.Logger.Level.WARNING, left == 0 ? message
                : message + " (" + left + " similar warnings were left out in the last minute)");
    }

    private synchronized boolean admit() {
        long now = System.nanoTime();
        if (now - windowStart > 60_000_000_000L) {
            windowStart = now;
            inWindow = 0;
        }
        return ++inWindow <= PER_MINUTE;
    }
}
