package dev.kiln.script;

/**
 * When an app's loop ends: once nothing is queued, no timer waits, no operation is in flight and no
 * window is open, the engine is shut down (which ends every event stream and resolves
 * {@code recvWindowEvent()} with null); the loop ends once that has happened and those last waits
 * have settled. Ctrl-C ({@link #interrupt}) closes the windows, and timers then no longer keep the
 * app alive.
 *
 * <p>Operations are strong or weak: a send or a window being created keeps the app alive on its
 * own; waiting for an event (a stream's next, {@code recvWindowEvent}) only while windows are open.
 * Timers are strong, except the bootstrap's weak ones ({@code AbortSignal.timeout}), which fire
 * while something else keeps the app alive and are dropped when it ends.
 *
 * <p>Threading: loop thread only, except {@link #interrupt} and {@link #onTerminated}, which any
 * thread may call.
 */
final class ExitPolicy {
    private final EventLoop loop;
    // loop thread only
    private WindowSystem windows;
    private int strongOps;
    private int weakOps;
    private boolean shutdownRequested;
    // any thread
    private volatile boolean interrupted;
    private volatile boolean terminated;

    ExitPolicy(EventLoop loop) {
        this.loop = loop;
    }

    /** The windows whose state counts; set once they have started. */
    void watch(WindowSystem windowSystem) {
        this.windows = windowSystem;
        windowSystem.terminated().whenComplete((v, e) -> onTerminated());
    }

    void opStarted(boolean weak) {
        if (weak) {
            weakOps++;
        } else {
            strongOps++;
        }
    }

    void opsEnded(boolean weak, int count) {
        if (weak) {
            weakOps -= count;
        } else {
            strongOps -= count;
        }
    }

    /** Ctrl-C: close the windows and let the script wind down. Any thread. */
    void interrupt() {
        interrupted = true;
        loop.execute(this::requestShutdown);
    }

    /** Whether Ctrl-C (or quit) asked the app to end; any thread. */
    boolean interrupted() {
        return interrupted;
    }

    /** The engine has shut down: posted to the loop, which also wakes it. Any thread. */
    void onTerminated() {
        loop.execute(() -> terminated = true);
    }

    /**
     * Whether the app has reached its normal end: every window has closed (by the user or the app)
     * or Ctrl-C came. What the end cuts short is then no failure of the app.
     */
    boolean atNormalEnd() {
        return interrupted || shutdownRequested || terminated || (windows != null && !windows.hasOpenWindows());
    }

    /** Asked by the loop when it has nothing to run. */
    boolean shouldStop() {
        if (strongOps > 0 || (loop.strongTimerCount() > 0 && !interrupted)) {
            return false;
        }
        if (windows.hasOpenWindows() && !interrupted) {
            return false;
        }
        requestShutdown(); // completes terminated later, which posts a task and so wakes the loop
        return terminated && weakOps == 0;
    }

    private void requestShutdown() {
        if (!shutdownRequested && windows != null) {
            shutdownRequested = true;
            windows.shutdown();
        }
    }
}
