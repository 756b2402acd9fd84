package dev.kiln.window;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
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
