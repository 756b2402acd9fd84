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

    StreamSubscriber(EventHub hub, Predicate<IpcEvent> filter, int capacity, SerialExecutor completions,
                     DropCounter drops) {
        super(hub, filter);
        this.capacity = capacity;
        this.completions = completions;
        this.drops = drops;
    }

    @Override
    boolean offer(IpcEvent event) {
        CompletableFuture<IpcEvent> waiter;
        boolean dropped = false;
        lock.lock();
        try {
            if (ended) {
                return false;
            }
            waiter = waiters.poll();
            if (waiter == null) {
                if (buffer.size() >= capacity) {
                    buffer.poll();
                    dropped = true;
                }
                buffer.add(event);
                nonEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
        if (waiter != null) {
            completions.execute(() -> waiter.complete(event));
        }
        if (dropped) {
            drops.dropped("a stream reader lags more than " + capacity + " events behind");
        }
        return !dropped;
    }

    @Override
    void end() {
        ArrayDeque<CompletableFuture<IpcEvent>> pending;
        lock.lock();
        try {
            if (ended) {
                return;
            }
            ended = true;
            pending = new ArrayDeque<>(waiters);
            waiters.clear();
            nonEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        completions.execute(() -> pending.forEach(f -> f.complete(null)));
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
            while (buffer.isEmpty() && !ended) {
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
            while (buffer.isEmpty() && !ended) {
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
        lock.lock();
        try {
            IpcEvent next = buffer.poll();
            if (next != null || ended) {
                return CompletableFuture.completedFuture(next);
            }
            CompletableFuture<IpcEvent> waiter = new CompletableFuture<>();
            waiters.add(waiter);
            return waiter;
        } finally {
            lock.unlock();
        }
    }
}
