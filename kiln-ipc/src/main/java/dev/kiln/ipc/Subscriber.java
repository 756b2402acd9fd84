package dev.kiln.ipc;

import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * One registered consumer inside the {@link EventHub}: a filter and a non-blocking sink.
 *
 * <p>Threading: {@link #offer} is called by the hub under its lock: it must never block nor run
 * user code (callbacks, future dependents), which may subscribe or publish in turn. It queues the
 * work and names the executor the hub starts once it has released the lock.
 */
abstract class Subscriber implements Subscription {
    private final Predicate<IpcEvent> filter;
    private final EventHub hub;

    Subscriber(EventHub hub, Predicate<IpcEvent> filter) {
        this.hub = hub;
        this.filter = filter;
    }

    final boolean matches(IpcEvent event) {
        return filter.test(event);
    }

    /**
     * Hands over one event without running user code.
     *
     * @return the executor the caller must {@linkplain SerialExecutor#start() start} once it holds
     *         no lock, or {@code null}
     */
    abstract SerialExecutor offer(IpcEvent event);

    /** The subscription was closed: deliver nothing more, at once. */
    abstract void end();

    /**
     * The runtime shut down: deliver what was already handed over, then end. The future completes
     * once that is done.
     */
    abstract CompletableFuture<Void> finish();

    @Override
    public final void unsubscribe() {
        hub.remove(this);
    }
}
