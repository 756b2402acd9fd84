package dev.kiln.window;

import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.EventType;
import dev.kiln.ipc.IpcEvent;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One window's event stream: the engine's stream for that window, ended right after the window's
 * {@code close} event.
 *
 * <p>Threading: thread-safe, like the engine's streams; once the close event was handed out, every
 * further read returns {@code null} at once.
 */
final class WindowEventStream implements EventStream {
    private final EventStream source; // null: the window was already closed
    private volatile boolean ended;

    WindowEventStream(EventStream source) {
        this.source = source;
        this.ended = source == null;
    }

    @Override
    public IpcEvent take() throws InterruptedException {
        return ended ? null : pass(source.take());
    }

    @Override
    public IpcEvent poll(Duration timeout) throws InterruptedException {
        if (ended) {
            return null;
        }
        IpcEvent e = source.poll(timeout);
        if (e == null && !source.isActive()) {
            ended = true;
        }
        return e == null ? null : pass(e);
    }

    @Override
    public CompletableFuture<IpcEvent> nextAsync() {
        return ended ? CompletableFuture.completedFuture(null) : source.nextAsync().thenApply(this::pass);
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
