package dev.kiln.window;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One window's warnings about what its page did, at most {@link #PER_SECOND} of each kind a
 * second; the rest are counted and summed up ("suppressed K similar") with the next one of that
 * kind that gets through, or at {@link #flush()}. A page that makes 100,000 bad calls makes a
 * handful of log lines, not 100,000.
 *
 * <p>Page text goes through {@link #clean(Object)} before it reaches a log line, so a page cannot
 * forge lines (newlines, carriage returns, ANSI escapes) or flood one line.
 *
 * <p>Threading: any thread; the methods are synchronized (the FX thread and the engine's flushing
 * thread both log here).
 */
final class RateLimitedLog {
    /** How many warnings of one kind a window logs in one second. */
    static final int PER_SECOND = 5;
    /** How many characters of page text a log line keeps. */
    static final int MAX_PAGE_TEXT = 2_000;
    private static final System.Logger LOG = System.getLogger("dev.kiln.window");
    private static final long SECOND = 1_000_000_000L;

    private final String windowId;
    private final LongSupplier nanoClock;
    private final Map<String, Kind> kinds = new HashMap<>();

    private static final class Kind {
        long windowStart;
        int logged;
        long suppressed;
    }

    RateLimitedLog(String windowId) {
        this(windowId, System::nanoTime);
    }

    /** With a clock of its own, for tests of the rate rule. */
    RateLimitedLog(String windowId, LongSupplier nanoClock) {
        this.windowId = windowId;
        this.nanoClock = nanoClock;
    }

    /** Logs a warning of this kind unless the window logged {@link #PER_SECOND} of it this second. */
    synchronized void warn(String kind, String message) {
        log(System.Logger.Level.WARNING, kind, message);
    }

    /** As {@link #warn}, at INFO (alerts). */
    synchronized void info(String kind, String message) {
        log(System.Logger.Level.INFO, kind, message);
    }

    /** Logs the counts of what was suppressed and not yet summed up (the window closes). */
    synchronized void flush() {
        kinds.forEach((kind, k) -> {
            if (k.suppressed > 0) {
                LOG.log(System.Logger.Level.WARNING, summary(kind, k.suppressed));
                k.suppressed = 0;
            }
        });
    }

    private void log(System.Logger.Level level, String kind, String message) {
        long now = nanoClock.getAsLong();
        Kind k = kinds.computeIfAbsent(kind, x -> new Kind());
        if (k.logged == 0 || now - k.windowStart >= SECOND) {
            k.windowStart = now;
            k.logged = 0;
        }
        if (k.logged >= PER_SECOND) {
            k.suppressed++;
            return;
        }
        k.logged++;
        String suffix = k.suppressed > 0 ? " (" + summary(kind, k.suppressed) + ")" : "";
        k.suppressed = 0;
        LOG.log(level, message + suffix);
    }

    private String summary(String kind, long count) {
        return "window " + windowId + " suppressed " + count + " similar '" + kind + "' message(s)";
    }

    /**
     * Page text made safe for one log line by {@link LogText}'s rule ({@code \n}, {@code \u001B}...),
     * cut at {@link #MAX_PAGE_TEXT} characters.
     */
    static String clean(Object pageText) {
        String s = String.valueOf(pageText);
        int end = Math.min(s.length(), MAX_PAGE_TEXT);
        StringBuilder out = new StringBuilder(end + 16);
        LogText.appendEscaped(out, s, end);
        if (end < s.length()) {
            out.append("... (").append(s.length() - end).append(" more characters)");
        }
        return out.toString();
    }
}
