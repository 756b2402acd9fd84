package dev.kiln.ipc;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

/**
 * An ordered stream of the events that match a filter, from the moment it is opened.
 *
 * <p>Iterate it with a for-each loop (blocking), {@link #take()}, {@link #poll(Duration)} or
 * {@link #nextAsync()}. The stream ends when it is closed or the runtime shuts down: iteration
 * stops, {@code take} returns {@code null} and pending futures complete with {@code null}.
 * Events already buffered when the runtime shuts down are still handed out first.
 * Thread-safe; several threads taking from one stream each get different events.
 * Futures from {@code nextAsync} complete on the runtime's callback executor, in order.
 */
public interface EventStream extends Subscription, Iterable<IpcEvent> {

    /** The next event, waiting as long as needed; {@code null} once the stream has ended. */
    IpcEvent take() throws InterruptedException;

    /** The next event, or {@code null} if none arrives within the timeout or the stream has ended. */
    IpcEvent poll(Duration timeout) throws InterruptedException;

    /** A future of the next event; it completes with {@code null} once the stream has ended. */
    CompletableFuture<IpcEvent> nextAsync();

    /**
     * Iterates with {@link #take()}: {@code hasNext()} waits for the next event and returns
     * {@code false} once the stream has ended, or when the waiting thread is interrupted (the
     * interrupt flag is kept set).
     */
    @Override
    default Iterator<IpcEvent> iterator() {
        return new Iterator<>() {
            private IpcEvent next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                return next != null;
            }

            @Override
            public IpcEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("The event stream has ended");
                }
                IpcEvent e = next;
                next = null;
                return e;
            }
        };
    }
}
