package dev.kiln.window;

import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.EventType;
import dev.kiln.ipc.IpcEvent;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One window's event stream: the engine's stream for that window, ended right after the window's
 * {@code close} event.
 *
 * <p>Threading: thread-safe, like the engine's streams; once the close event was handed out, every
 * further read returns {@code null} at once. Giving up on a {@link #nextAsync()} future (cancel,
 * {@code orTimeout}) gives up the engine's future under it, so it takes no event; an event that
 * reached it in the same instant is kept for the next read.
 */
final class WindowEventStream implements EventStream {
    private final EventStream source; // null: the window was already closed
    private final ConcurrentLinkedQueue<IpcEvent> kept = new ConcurrentLinkedQueue<>();
    private volatile boolean ended;

    WindowEventStream(EventStream source) {
        this.source = source;
        this.ended = source == null;
    }

    @Override
    public IpcEvent take() throws InterruptedException {
        if (ended) {
            return null;
        }
        IpcEvent k = kept.poll();
        return pass(k != null ? k : source.take());
    }

    @Override
    public IpcEvent poll(Duration timeout) throws InterruptedException {
        if (ended) {
            return null;
        }
        IpcEvent k = kept.poll();
        if (k != null) {
            return pass(k);
        }
        IpcEvent e = source.poll(timeout);
        if (e == null && !source.isActive()) {
            ended = true;
        }
        return e == null ? null : pass(e);
    }

    @Override
    public CompletableFuture<IpcEvent> nextAsync() {
        if (ended) {
            return CompletableFuture.completedFuture(null);
        }
        IpcEvent k = kept.poll();
        if (k != null) {
            return CompletableFuture.completedFuture(pass(k));
        }
        CompletableFuture<IpcEvent> fromSource = source.nextAsync();
        CompletableFuture<IpcEvent> next = new CompletableFuture<>();
        fromSource.whenComplete((e, error) -> {
            if (error != null) {
                next.completeExceptionally(error);
            } else if (next.complete(e)) {
                pass(e);
            } else if (e != null) {
                kept.add(e); // given up in the same instant: the next read gets it
            }
        });
        next.whenComplete((e, error) -> {
            if (error != null) {
                fromSource.cancel(false); // the engine skips a future nobody waits on
            }
        });
        return next;
    }

    @Override
    public void unsubscribe() {
        ended = true;
        if (source != null) {
            source.unsubscribe();
        }
    }

    @Override
    public boolean isActive() {
        return !ended && source.isActive();
    }

    private IpcEvent pass(IpcEvent e) {
        if (e == null) {
            ended = true;
        } else if (e.type() == EventType.CLOSE) {
            ended = true;
            source.unsubscribe();
        }
        return e;
    }
}
