package dev.kiln.script;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The script's event loop: one thread runs posted tasks and due timers, one at a time, in turns
 * that interleave the two (see {@link #run}).
 *
 * <p>Threading: {@link #execute} may be called from any thread and never blocks; it is how other
 * threads (the engine's dispatch, the FX thread) hand work to the script. Everything else is for the
 * loop thread only, which owns the V8 runtime. The loop waits only on its own queue, so it never
 * blocks a window.
 *
 * <p>The loop ends when {@link #stop()} is called or when the idle check says so: it is asked each
 * time no task is queued and no timer is due. Tasks posted after the end run on a daemon thread,
 * so that whoever waits on them (the engine's shutdown) is not left hanging.
 */
final class EventLoop implements Executor {
    /** Decides, when the loop has nothing to run, whether it should end. */
    interface IdleCheck {
        boolean shouldStop();
    }

    /** A weak timer runs when due but does not keep the app alive (see {@link #strongTimerCount}). */
    private record Timer(long id, long dueNanos, long seq, boolean weak, Runnable action) {
    }

    // any thread
    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private volatile boolean stopped;
    private volatile Thread owner;
    // Set once the loop has ended: the engine still completes its shutdown through this executor, so
    // tasks posted later run on a small daemon thread (they find the runtime closed and skip V8).
    private volatile Executor afterwards;

    // loop thread only
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) ->
            a.dueNanos != b.dueNanos ? Long.compare(a.dueNanos, b.dueNanos) : Long.compare(a.seq, b.seq));
    private final Map<Long, Timer> timersById = new HashMap<>();
    private long timerSeq;
    private int strongTimers;

    /** The timers due now, in order; those they schedule wait for the next turn. */
    private boolean runDueTimers(Consumer<Runnable> runner) {
        long now = System.nanoTime();
        long firstNew = timerSeq;
        boolean ran = false;
        Timer due;
        while (!stopped && (due = timers.peek()) != null && due.dueNanos <= now && due.seq < firstNew) {
            timers.poll();
            forget(due);
            runner.accept(due.action);
            ran = true;
        }
        return ran;
    }

    @Override
    public void execute(Runnable task) {
        Executor after = afterwards;
        if (after != null) {
            after.execute(task);
        } else {
            tasks.add(task);
        }
    }

    /**
     * Runs {@code action} on the loop after {@code delayMillis}, replacing timer {@code id} if it
     * waits; loop thread only.
     *
     * @param weak whether the timer is left out of {@link #strongTimerCount}, so that it does not
     *             keep the app alive by itself
     */
    void schedule(long id, long delayMillis, boolean weak, Runnable action) {
        cancel(id);
        Timer t = new Timer(id, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis)),
                timerSeq++, weak, action);
        timers.add(t);
        timersById.put(id, t);
        if (!weak) {
            strongTimers++;
        }
    }

    /** Cancels a timer; loop thread only. */
    void cancel(long id) {
        Timer t = timersById.get(id);
        if (t != null) {
            timers.remove(t);
            forget(t);
        }
    }

    private void forget(Timer t) {
        timersById.remove(t.id);
        if (!t.weak) {
            strongTimers--;
        }
    }

    /** How many timers are waiting that are not weak; loop thread only. */
    int strongTimerCount() {
        return strongTimers;
    }

    /** Ends the loop after the task that is running; any thread. */
    void stop() {
        stopped = true;
        tasks.add(() -> { });
    }

    /** Whether the loop has been told to stop or has ended; any thread. */
    boolean isStopped() {
        return stopped;
    }

    /**
     * Makes the calling thread the loop thread ahead of {@link #run}: the runtime evaluates the main
     * module on it first, and what completes during that must count as on the loop.
     */
    void bindToCurrentThread() {
        owner = Thread.currentThread();
    }

    boolean isLoopThread() {
        return Thread.currentThread() == owner;
    }

    /**
     * Runs the loop on the calling thread until it stops.
     *
     * <p>Each turn runs the timers that were due when it began (not those they schedule), then the
     * tasks that were queued by then (IPC, settled operations), so neither a busy timer nor a flood
     * of messages can starve the other: as in browsers and Deno.
     *
     * @param runner runs each task or timer action (and whatever must follow each one, such as a
     *               microtask checkpoint)
     * @param idle   asked whether to end when there is nothing to run
     */
    void run(Consumer<Runnable> runner, IdleCheck idle) throws InterruptedException {
        owner = Thread.currentThread();
        while (!stopped) {
            boolean ran = runDueTimers(runner);
            int queued = tasks.size();
            for (int i = 0; i < queued && !stopped; i++) {
                Runnable task = tasks.poll();
                if (task == null) {
                    break;
                }
                runner.accept(task);
                ran = true;
            }
            if (ran || stopped) {
                continue;
            }
            if (idle.shouldStop()) {
                break;
            }
            if (!tasks.isEmpty()) {
                continue; // the idle check itself posted work
            }
            Timer next = timers.peek();
            Runnable task = next == null ? tasks.take()
                    : tasks.poll(Math.max(0, next.dueNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (task != null) {
                runner.accept(task);
            }
        }
        stopped = true;
        afterwards = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kiln-script-after");
            t.setDaemon(true);
            return t;
        });
        Runnable left;
        while ((left = tasks.poll()) != null) {
            afterwards.execute(left);
        }
    }
}
