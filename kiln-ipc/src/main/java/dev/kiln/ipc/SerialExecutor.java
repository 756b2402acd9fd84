package dev.kiln.ipc;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on an underlying executor.
 *
 * <p>Threading: {@link #execute} may be called from any thread and never blocks. Once the
 * underlying executor refuses work (after shutdown), tasks run on the calling thread. A task that
 * throws is reported (rate-limited: a callback that throws on every event must not flood the log)
 * and does not stop the ones after it.
 */
final class SerialExecutor implements Executor {
    private final Executor target;
    private final WarningLimiter failures;
    // guarded by this
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor target, WarningLimiter failures) {
        this.target = target;
        this.failures = failures;
    }

    @Override
    public void execute(Runnable task) {
        if (enqueue(task)) {
            start();
        }
    }

    /**
     * Queues the task and runs nothing, for callers that hold a lock: with an executor that runs
     * tasks inline, running here would run user code under it.
     *
     * @return whether the caller must call {@link #start()} once it holds no lock
     */
    boolean enqueue(Runnable task) {
        synchronized (this) {
            tasks.add(task);
            if (running) {
                return false;
            }
            running = true;
            return true;
        }
    }

    /** Starts running the queued tasks; after {@link #enqueue} returned {@code true}, exactly once. */
    void start() {
        submitDrain();
    }

    private void submitDrain() {
        try {
            target.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // The runtime has shut its pool down: what is left (ending streams) is cheap, run it here.
            drain();
        }
    }

    private void drain() {
        // Run a bounded number per turn so that one busy subscriber cannot hog a shared pool thread.
        for (int i = 0; i < 256; i++) {
            Runnable next;
            synchronized (this) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                failures.warn("callback threw", "A Kiln event callback threw", e);
            }
        }
        submitDrain();
    }
}
