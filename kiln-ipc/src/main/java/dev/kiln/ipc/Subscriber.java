package dev.kiln.ipc;

import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * One registered consumer inside the {@link EventHub}: a filter and a non-blocking sink.
 *
 * <p>Threading: {@link #offer} and {@link #end} are called by the hub under its lock and must
 * never block.
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

    /** Hands over one event. Returns {@code false} if the subscriber dropped it. */
    abstract boolean offer(IpcEvent event);

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
