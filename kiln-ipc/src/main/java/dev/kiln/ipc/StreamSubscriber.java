package dev.kiln.ipc;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * An {@link EventStream}: a buffer of matching events that readers take from.
 *
 * <p>Threading: the hub offers events under its lock; readers call from any thread. All state is
 * guarded by {@link #lock}. Async readers' futures complete on a {@link SerialExecutor}, never
 * under the lock, so that their dependents cannot run on the engine's dispatch thread.
 *
 * <p>Hand-over: an event stays in the buffer until {@link #handOut} (on the serial executor, so
 * one at a time and in order) pairs it with the oldest waiting future that is still pending and
 * completes it. A future its taker cancelled or timed out ({@code orTimeout} completes that very
 * future) is skipped, and if it is given up between the pairing and {@code complete}, the event
 * goes back to the front of the buffer for the next taker: no event is handed to a future
 * nobody waits on. Blocking readers ({@link #take}, {@link #poll}) take from the buffer only when
 * no future is pending, so a future that was asked for is served first, as before.
 */
final class StreamSubscriber extends Subscriber implements EventStream {

    private final int capacity;
    private final SerialExecutor completions;
    private final DropCounter drops;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition nonEmpty = lock.newCondition();
    // guarded by lock
    private final ArrayDeque<IpcEvent> buffer = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<IpcEvent>> waiters = new ArrayDeque<>();
    private boolean ended;
    private boolean handingOut; // a handOut is scheduled or running

    StreamSubscriber(EventHub hub, Predicate<IpcEvent> filter, int capacity, SerialExecutor completions,
                     DropCounter drops) {
        super(hub, filter);
        this.capacity = capacity;
        this.completions = completions;
        this.drops = drops;
    }

    @Override
    SerialExecutor offer(IpcEvent event) {
        IpcEvent dropped = null;
        boolean schedule;
        lock.lock();
        try {
            if (ended) {
                return null;
            }
            if (buffer.size() >= capacity) {
                dropped = buffer.poll();
            }
            buffer.add(event);
            schedule = needsHandOut();
            if (!schedule && availableToBlockingReader()) {
                nonEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
        if (dropped != null) {
            drops.dropped(dropped, "a stream reader lags more than " + capacity + " events behind");
        }
        return schedule && completions.enqueue(this::handOut) ? completions : null;
    }

    /** Whether a hand-out must be scheduled now; if so, marks it scheduled. Call holding the lock. */
    private boolean needsHandOut() {
        if (handingOut || waiters.isEmpty() || (buffer.isEmpty() && !ended)) {
            return false;
        }
        handingOut = true;
        return true;
    }

    /**
     * Whether a blocking reader may take from the buffer now: pending futures were asked for first,
     * so they are served first. Call holding the lock.
     */
    private boolean availableToBlockingReader() {
        if (ended) {
            return true;
        }
        while (!waiters.isEmpty() && waiters.peek().isDone()) {
            waiters.poll();
        }
        return !buffer.isEmpty() && waiters.isEmpty();
    }

    /** A taker gave its future up: what it would have got goes to the next future or blocking reader. */
    private void givenUp() {
        boolean schedule;
        lock.lock();
        try {
            schedule = needsHandOut();
            if (!schedule && availableToBlockingReader()) {
                nonEmpty.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (schedule) {
            completions.execute(this::handOut);
        }
    }

    /** Pairs buffered events with pending futures, oldest first; at the end, completes the rest with null. */
    private void handOut() {
        while (true) {
            CompletableFuture<IpcEvent> waiter;
            IpcEvent event;
            lock.lock();
            try {
                while ((waiter = waiters.peek()) != null && waiter.isDone()) {
                    waiters.poll(); // cancelled or timed out by its taker
                }
                if (waiter == null || (buffer.isEmpty() && !ended)) {
                    handingOut = false;
                    if (waiter == null && !buffer.isEmpty()) {
                        nonEmpty.signalAll(); // no future waits any more: blocking readers may take
                    }
                    return;
                }
                waiters.poll();
                event = buffer.poll(); // null once ended and drained: the end of the stream
            } finally {
                lock.unlock();
            }
            if (!waiter.complete(event) && event != null) {
                lock.lock();
                try {
                    buffer.addFirst(event); // given up just now: keep it for the next taker
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    @Override
    void end() {
        boolean schedule;
        lock.lock();
        try {
            if (ended) {
                return;
            }
            ended = true;
            nonEmpty.signalAll();
            schedule = needsHandOut();
        } finally {
            lock.unlock();
        }
        if (schedule) {
            completions.execute(this::handOut);
        }
    }

    @Override
    CompletableFuture<Void> finish() {
        end(); // what is buffered stays readable
        return CompletableFuture.completedFuture(null);
    }

    /** Discards what is buffered: the reader itself closed the stream. */
    void discard() {
        lock.lock();
        try {
            buffer.clear();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isActive() {
        lock.lock();
        try {
            return !ended;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public IpcEvent take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!availableToBlockingReader()) {
                nonEmpty.await();
            }
            return buffer.poll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public IpcEvent poll(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (!availableToBlockingReader()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = nonEmpty.awaitNanos(nanos);
            }
            return buffer.poll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletableFuture<IpcEvent> nextAsync() {
        CompletableFuture<IpcEvent> waiter;
        boolean schedule;
        lock.lock();
        try {
            while (!waiters.isEmpty() && waiters.peek().isDone()) {
                waiters.poll();
            }
            if (waiters.isEmpty() && !handingOut) { // nothing queued before this taker: answer at once
                IpcEvent next = buffer.poll();
                if (next != null || ended) {
                    return CompletableFuture.completedFuture(next);
                }
            }
            waiter = new CompletableFuture<>();
            waiters.add(waiter);
            schedule = needsHandOut();
            waiter.whenComplete((e, error) -> {
                if (error != null) {
                    givenUp();
                }
            });
        } finally {
            lock.unlock();
        }
        if (schedule) {
            completions.execute(this::handOut);
        }
        return waiter;
    }
}
