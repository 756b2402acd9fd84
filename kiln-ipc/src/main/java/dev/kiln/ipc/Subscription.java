package dev.kiln.ipc;

/**
 * A registered listener or stream; closing it unsubscribes.
 *
 * <p>{@link #unsubscribe()} is idempotent and may be called from any thread, including from
 * inside the listener itself. Once it returns, no further event is delivered to a callback
 * that is not already running.
 */
public interface Subscription extends AutoCloseable {
    void unsubscribe();

    /** Whether this subscription still receives events. */
    boolean isActive();

    @Override
    default void close() {
        unsubscribe();
    }
}
