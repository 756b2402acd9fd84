package dev.kiln.window;

import java.time.Duration;
import java.util.Locale;

/**
 * The FX thread stopped answering: every window of the JVM is frozen until it returns. Usually a
 * page's script is stuck in a loop.
 *
 * <p>Which page holds the thread cannot be read from outside it (WebKit runs every page's script
 * on the one FX thread and offers no way to ask), so the window is the one whose page the FX thread
 * last entered: through an input event, a delivery or a script the host ran in it.
 *
 * @param windowId      that window's id, or {@code null} if no page has been entered yet or the
 *                      FX thread is not in a page (but in Java code, such as a window being built)
 * @param windowCertain whether it is certainly that window's page that holds the thread: it is the
 *                      only open window, or the thread is still in the very call that entered it
 *                      (an input event or a host script); otherwise it is only the last active one
 * @param activity      what the FX thread is doing, read from its stack, such as
 *                      {@code "a page timer"} or {@code "a mouse event in the page"}
 * @param inPage        whether a page holds the FX thread (its script, or WebKit working for it), rather
 *                      than Java code (such as a window being built, or an app's callback)
 * @param duration      how long the FX thread has not answered (for a recovery: how long it did not)
 */
public record FxStall(String windowId, boolean windowCertain, String activity, boolean inPage, Duration duration) {

    /**
     * For messages: {@code window main (last active)}; {@code a window} when a page is to blame but
     * not which; {@code the windows} when no page is.
     */
    public String window() {
        if (windowId == null) {
            return inPage ? "a window" : "the windows";
        }
        return "window " + windowId + (windowCertain ? "" : " (last active)");
    }

    /** For messages: {@code 5.3 s}. */
    public String seconds() {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    /**
     * For messages: {@code window main (last active) is not responding: the FX thread has been busy
     * for 5.3 s in a page timer ...}.
     */
    public String describe() {
        return window() + verb() + " not responding: the FX thread has been busy for " + seconds() + " in " + activity;
    }

    /** For messages, once the stall is over: {@code window main (last active) is responding again, after 8.1 s}. */
    public String describeRecovery() {
        return window() + verb() + " responding again, after " + seconds();
    }

    /** The same stall, lasting this long. */
    FxStall lasting(Duration d) {
        return new FxStall(windowId, windowCertain, activity, inPage, d);
    }

    private String verb() {
        return windowId == null && !inPage ? " are" : " is";
    }
}
