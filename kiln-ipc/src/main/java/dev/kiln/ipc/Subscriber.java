package dev.kiln.ipc;

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

    /** The runtime shut down or the subscription was closed. */
    abstract void end();

    @Override
    public final void unsubscribe() {
        hub.remove(this);
    }
}
