package dev.kiln.window;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;

/**
 * Starts the JavaFX toolkit once per JVM and runs work on its thread.
 *
 * <p>The toolkit stays up for the life of the JVM ({@code implicitExit} off), so that several
 * {@link Desktop}s in one JVM (tests, the CLI) reuse it: JavaFX cannot be restarted once exited.
 *
 * <p>Threading: callable from any thread; never waits for the FX thread.
 */
final class Fx {
    private static final Object LOCK = new Object();
    private static final Executor RUN_LATER = Platform::runLater;
    private static volatile Executor glassLoop; // set on first post: the GTK loop, or RUN_LATER
    // guarded by LOCK
    private static boolean started;

    private Fx() {
    }

    static void startToolkit() {
        synchronized (LOCK) {
            if (started) {
                return;
            }
            String display = System.getenv("DISPLAY");
            if ((display == null || display.isBlank()) && !"Monocle".equals(System.getProperty("glass.platform"))) {
                throw new IllegalStateException("No display: DISPLAY is not set. Run the app on a desktop, or tests"
                        + " with ./kiln test, which starts Xvfb");
            }
            try {
                Platform.startup(() -> { });
            } catch (IllegalStateException alreadyRunning) {
                // someone else started the toolkit in this JVM: reuse it
            } catch (UnsupportedOperationException | UnsatisfiedLinkError e) {
                throw new IllegalStateException("Cannot start the JavaFX toolkit on DISPLAY=" + display + ": "
                        + e.getMessage(), e);
            }
            Platform.setImplicitExit(false);
            started = true;
        }
    }

    /** Runs the task on the FX thread, later, in submission order. */
    static void later(Runnable task) {
        Platform.runLater(task);
    }

    /**
     * Runs the task on the FX thread soon, in order with other {@code post} tasks (not with
     * {@link #later} ones). For the host-to-page hot path: {@code Platform.runLater} on GTK hands
     * each task to JavaFX's {@code InvokeLaterDispatcher} thread, which passes it to the GTK loop
     * and waits for it to run before passing the next, so every delivery cost two more thread
     * wake-ups (about 10 us of a 25 us round trip here). This gives the task to the GTK loop
     * directly, through the Glass call the dispatcher itself makes. That dispatcher exists for
     * nested event loops, which a page delivery does not care about. Where Glass is not reachable
     * (JavaFX on the module path, another platform), it falls back to {@code runLater}. For use
     * once the toolkit runs (the choice is made at the first call).
     */
    static void post(Runnable task) {
        Executor direct = glassLoop;
        if (direct == null) {
            direct = glassLoop = glassLoopOrRunLater();
        }
        direct.execute(task);
    }

    /** Whether {@link #post} reaches the GTK loop directly (false: it uses {@code runLater}). */
    static boolean postsToGlass() {
        post(() -> { });
        return glassLoop != RUN_LATER;
    }

    private static Executor glassLoopOrRunLater() {
        try {
            if (com.sun.glass.ui.Application.GetApplication()
                    instanceof com.sun.glass.ui.InvokeLaterDispatcher.InvokeLaterSubmitter glass) {
                return task -> glass.submitForLaterInvocation(() -> {
                    try {
                        task.run();
                    } catch (RuntimeException | Error e) { // never into Glass's native loop
                        Thread t = Thread.currentThread();
                        t.getUncaughtExceptionHandler().uncaughtException(t, e);
                    }
                });
            }
        } catch (LinkageError | RuntimeException unreachable) {
            // fall through: JavaFX on the module path does not export Glass
        }
        return RUN_LATER;
    }

    /**
     * Runs the task on the FX thread once the given number of pulses have gone by: what changed in
     * a page (a DOM update) is painted into its WebView on a pulse, so a snapshot taken at once
     * may show the previous frame.
     */
    static <T> CompletableFuture<T> afterPulses(int pulses, Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> new AnimationTimer() {
            private int seen;

            @Override
            public void handle(long now) {
                if (++seen < pulses) {
                    Platform.requestNextPulse();
                    return;
                }
                stop();
                Platform.runLater(() -> {
                    try {
                        result.complete(task.call());
                    } catch (Throwable e) {
                        result.completeExceptionally(e);
                    }
                });
            }
        }.start());
        return result;
    }

    /** Runs the task on the FX thread, later; the future completes on the FX thread with its result. */
    static <T> CompletableFuture<T> call(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}
