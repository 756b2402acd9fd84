package dev.kiln.window;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A gate a test hands to a page: the page's script spins on {@link #held()} and so holds the FX
 * thread until the test opens it. Public only because WebKit's LiveConnect calls public methods of
 * public classes.
 */
public final class HeldGate {
    private final AtomicBoolean held = new AtomicBoolean(true);

    /** Whether the page must keep spinning; called by the page, on the FX thread. */
    public boolean held() {
        return held.get();
    }

    /** Lets the page's loop end; any thread. */
    void open() {
        held.set(false);
    }
}
