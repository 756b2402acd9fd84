package dev.kiln.window;

import dev.kiln.ipc.ErrorCode;
import javafx.animation.PauseTransition;
import javafx.util.Duration;

/**
 * One window's page console on the host side: checks what the page bridge forwards
 * ({@code console.*} calls, uncaught exceptions, unhandled rejections), makes it safe to print and
 * hands it to the {@link Desktop}.
 *
 * <p>Everything a page sends is treated as hostile: the level must be one of the console's, the
 * text is escaped ({@link #printable}) and cut at {@link #MAX_CHARS} characters with a note, and at
 * most {@link #MAX_PER_SECOND} messages per second and window go through; the rest are counted and
 * reported as one "suppressed N console messages" line when the second is over. The checks live
 * here, not in the page, because a page's own scripts could bypass anything the page does.
 *
 * <p>Threading: FX thread only (the bridge's upcalls and the end-of-second timer both run there).
 */
final class PageConsole {
    private static final System.Logger LOG = System.getLogger("dev.kiln.window");
    /** Longest text passed on, in characters; the page cuts a little above it so that the host sees the excess. */
    static final int MAX_CHARS = 8192;
    static final int MAX_PER_SECOND = 100;
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final String windowId;
    private final Desktop desktop;
    private long secondStart;
    private int inSecond;
    private int suppressed;
    private PauseTransition reportSuppressed;
    private boolean closed;

    PageConsole(String windowId, Desktop desktop) {
        this.windowId = windowId;
        this.desktop = desktop;
    }

    /** An upcall from the page bridge: level name, text, and "url:line:col" (or ""). */
    void accept(Object level, Object text, Object where) {
        if (closed) {
            return;
        }
        ConsoleMessage.Level l = level instanceof String s ? ConsoleMessage.Level.fromWireName(s) : null;
        if (l == null || !(text instanceof String) || !(where == null || where instanceof String)) {
            LOG.log(System.Logger.Level.WARNING, "[" + ErrorCode.CHANNEL_RECV.code() + "] Refused a malformed console"
                    + " call from the page in window " + windowId + ": console(level, text, where) takes strings"
                    + " and a console level");
            return;
        }
        long now = System.nanoTime();
        if (now - secondStart >= SECOND_NANOS) {
            endSecond();
            secondStart = now;
        }
        if (inSecond >= MAX_PER_SECOND) {
            suppressed++;
            scheduleReport(now);
            return;
        }
        inSecond++;
        emit(l, printable((String) text, MAX_CHARS), (String) where);
    }

    /** The window closed: report what is still counted, then ignore the page. */
    void close() {
        endSecond();
        if (reportSuppressed != null) {
            reportSuppressed.stop();
        }
        closed = true;
    }

    private void endSecond() {
        inSecond = 0;
        if (suppressed > 0) {
            int n = suppressed;
            suppressed = 0;
            emit(ConsoleMessage.Level.WARN, "suppressed " + n + " console message" + (n == 1 ? "" : "s")
                    + " (more than " + MAX_PER_SECOND + " in one second)", "");
        }
    }

    private void scheduleReport(long now) {
        if (reportSuppressed == null) {
            reportSuppressed = new PauseTransition();
            reportSuppressed.setOnFinished(e -> {
                if (!closed && suppressed > 0) {
                    endSecond();
                    secondStart = System.nanoTime();
                }
            });
        }
        if (reportSuppressed.getStatus() != javafx.animation.Animation.Status.RUNNING) {
            long left = Math.max(0, secondStart + SECOND_NANOS - now);
            reportSuppressed.setDuration(Duration.millis(left / 1_000_000.0 + 1));
            reportSuppressed.playFromStart();
        }
    }

    private void emit(ConsoleMessage.Level level, String text, String where) {
        String url = "";
        int line = 0;
        int column = 0;
        if (where != null && !where.isEmpty()) {
            // "url:line:col", "url:line" or "url": the numbers are taken from the end, since URLs hold colons
            String rest = where;
            int[] numbers = new int[2];
            int found = 0;
            while (found < 2) {
                int colon = rest.lastIndexOf(':');
                if (colon < 0 || !isNumber(rest.substring(colon + 1))) {
                    break;
                }
                numbers[found++] = Integer.parseInt(rest.substring(colon + 1));
                rest = rest.substring(0, colon);
            }
            if (found == 2) {
                line = numbers[1];
                column = numbers[0];
            } else if (found == 1) {
                line = numbers[0];
            }
            url = printable(desktop.assets().appForm(rest), 2048);
        }
        desktop.pageConsole(new ConsoleMessage(windowId, level, text, url, line, column));
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The text escaped by {@link LogText}'s rule, and cut at {@code max} characters with a note.
     */
    static String printable(String text, int max) {
        int end = Math.min(text.length(), max);
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never cut a character in half
        }
        StringBuilder b = new StringBuilder(end + 16);
        LogText.appendEscaped(b, text, end);
        if (end < text.length()) {
            b.append(" ... [truncated: longer than ").append(max).append(" characters]");
        }
        return b.toString();
    }
}
