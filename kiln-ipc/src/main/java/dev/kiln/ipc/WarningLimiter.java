package dev.kiln.ipc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Logs per-message warnings without flooding the log: of each kind, the first {@value #BURST} in
 * an interval are logged in full, the rest only counted, and the next warning of that kind after
 * the interval (or {@link #flush()}) logs one line saying how many similar ones were suppressed.
 * Text that came from a page is made safe for a log line: control characters are escaped and
 * long text is cut.
 *
 * <p>Threading: thread-safe; never blocks for longer than one log call.
 */
final class WarningLimiter {
    static final int BURST = 10;
    static final long INTERVAL_NANOS = 10_000_000_000L;
    static final int MAX_TEXT = 500;

    private final System.Logger log;
    private final LongSupplier clock;
    private final long intervalNanos;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();
    private final LongAdder suppressed = new LongAdder();

    private static final class Kind {
        long intervalStart;
        int logged;
        long suppressed; // in this interval, not yet reported
    }

    WarningLimiter(System.Logger log) {
        this(log, System::nanoTime, INTERVAL_NANOS);
    }

    WarningLimiter(System.Logger log, LongSupplier clock, long intervalNanos) {
        this.log = log;
        this.clock = clock;
        this.intervalNanos = intervalNanos;
    }

    /**
     * Logs or counts one warning.
     *
     * @param kind    what makes warnings similar, such as {@code "7004 denied channel"}
     * @param message the full message; page text in it is cleaned here
     */
    void warn(String kind, String message) {
        warn(kind, message, null);
    }

    /** Logs or counts one warning with the exception that caused it. */
    void warn(String kind, String message, Throwable thrown) {
        Kind k = kinds.computeIfAbsent(kind, x -> new Kind());
        String summary = null;
        boolean show;
        synchronized (k) {
            long now = clock.getAsLong();
            if (k.logged == 0 && k.suppressed == 0 || now - k.intervalStart >= intervalNanos) {
                summary = summary(kind, k);
                k.intervalStart = now;
                k.logged = 0;
            }
            show = k.logged < BURST;
            if (show) {
                k.logged++;
            } else {
                k.suppressed++;
                suppressed.increment();
            }
        }
        if (summary != null) {
            log.log(System.Logger.Level.WARNING, summary);
        }
        if (show && thrown != null) {
            log.log(System.Logger.Level.WARNING, clean(message), thrown);
        } else if (show) {
            log.log(System.Logger.Level.WARNING, clean(message));
        }
    }

    /** Logs the summaries still pending, as at shutdown. */
    void flush() {
        kinds.forEach((kind, k) -> {
            String summary;
            synchronized (k) {
                summary = summary(kind, k);
            }
            if (summary != null) {
                log.log(System.Logger.Level.WARNING, summary);
            }
        });
    }

    /** How many warnings were counted but not logged in full, in total. */
    long suppressed() {
        return suppressed.sum();
    }

    // holding k's lock
    private String summary(String kind, Kind k) {
        if (k.suppressed == 0) {
            return null;
        }
        String s = "Suppressed " + k.suppressed + " similar warnings (" + kind + ") after the first " + BURST
                + " in " + intervalNanos / 1_000_000_000L + " s; see Ipc.stats()";
        k.suppressed = 0;
        return s;
    }

    /** The text with control characters escaped and cut to {@value #MAX_TEXT} characters. */
    static String clean(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_TEXT) + 16);
        for (int i = 0; i < text.length(); i++) {
            if (b.length() >= MAX_TEXT) {
                b.append("... (").append(text.length() - i).append(" more characters)");
                break;
            }
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
