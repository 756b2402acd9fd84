package dev.kiln.cli;

import dev.kiln.window.FxStall;
import dev.kiln.window.FxWatchdog;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * What the {@code kiln} command does when the FX thread is stuck (a page's script in a loop): every
 * window is frozen and nothing can stop the script, so an action that needs the windows either
 * fails with code 7005 (automation's {@code eval}, {@code click}, ...) or, for the actions that are
 * meant to end the app ({@code quit}, {@code close}, Ctrl-C), ends the process with
 * {@value #EXIT_CODE}. "Stuck" is the FX watchdog's verdict: no answer for the desktop's
 * {@code unresponsiveAfter} (5 s by default, {@code -Dkiln.unresponsiveAfterMs}), with a page
 * holding the thread. A stall in Kiln's own Java code (building the first WebView takes seconds on
 * a loaded machine) is waited out: it ends by itself.
 *
 * <p>Threading: the waits run on the caller's thread (the automation thread, or Ctrl-C's own
 * thread), never on the FX thread or the script loop.
 */
final class StuckFxThread {
    /** The process's exit code when it was ended because the windows did not respond. */
    static final int EXIT_CODE = 3;
    private static final long POLL_MILLIS = 50;

    private StuckFxThread() {
    }

    /** An action did not run because the FX thread is stuck. */
    static final class NotResponding extends Exception {
        NotResponding(FxStall stall, String action) {
            super("[7005] " + stall.describe() + "; " + action + " did not run");
        }
    }

    /**
     * The future's result, waiting at most {@code timeoutMs}; fails with {@link NotResponding} as
     * soon as the watchdog reports the FX thread stuck.
     */
    static <T> T get(Future<T> future, long timeoutMs, String action)
            throws InterruptedException, ExecutionException, TimeoutException, NotResponding {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            try {
                return future.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                Optional<FxStall> stall = pageStall();
                if (stall.isPresent()) {
                    throw new NotResponding(stall.get(), action);
                }
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    /**
     * Waits until {@code done}, at most {@code timeout}; if the watchdog reports the FX thread stuck
     * first, says so with {@code lastWords} and on stderr, and halts the JVM with {@link #EXIT_CODE}.
     *
     * @return whether it is done (false: timed out with the FX thread answering)
     */
    static boolean awaitOrEnd(BooleanSupplier done, Duration timeout, LastWords lastWords) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            Optional<FxStall> stall = pageStall();
            if (stall.isPresent()) {
                end(stall.get(), lastWords);
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }

    /** Waits until the watchdog reports a page holding the FX thread, then ends the process; for Ctrl-C. */
    static void endOnceStuck() throws InterruptedException {
        while (true) {
            Optional<FxStall> stall = pageStall();
            if (stall.isPresent()) {
                end(stall.get(), message -> { });
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static Optional<FxStall> pageStall() {
        return FxWatchdog.unresponsive().filter(FxStall::inPage);
    }

    /** Something to say before the process ends, such as an automation answer. */
    @FunctionalInterface
    interface LastWords {
        void say(String message);
    }

    private static void end(FxStall stall, LastWords lastWords) {
        String message = "[7005] " + stall.describe() + "; ending the process (exit code " + EXIT_CODE + ")";
        lastWords.say(message);
        PrintStream err = System.err;
        err.println("error: " + message);
        err.flush();
        System.out.flush();
        // not System.exit: its shutdown hook would wait for the windows to close, on the stuck thread
        Runtime.getRuntime().halt(EXIT_CODE);
    }
}
