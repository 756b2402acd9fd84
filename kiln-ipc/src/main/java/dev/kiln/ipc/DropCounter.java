package dev.kiln.ipc;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts lost events and logs every loss loudly, with the running total, without flooding the log:
 * the first drop is logged, then one line per power of two.
 *
 * <p>Threading: thread-safe.
 */
final class DropCounter {
    private static final System.Logger LOG = System.getLogger("dev.kiln.ipc");
    private final LongAdder count = new LongAdder();
    private final IpcTap tap;

    DropCounter(IpcTap tap) {
        this.tap = tap;
    }

    void dropped(String reason) {
        dropped(null, reason);
    }

    /** Counts and logs a lost event; {@code event} is the one lost, when known. */
    void dropped(IpcEvent event, String reason) {
        count.increment();
        if (tap.on()) {
            tap.dropped(event, reason);
        }
        long n = count.sum();
        if (Long.bitCount(n) == 1) {
            LOG.log(System.Logger.Level.WARNING, "Kiln dropped an event because " + reason + " (" + n
                    + " dropped so far; see Ipc.stats())");
        }
    }

    long count() {
        return count.sum();
    }
}
