package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.ipc.EventType;
import dev.kiln.ipc.Ipc;
import dev.kiln.ipc.IpcEvent;
import dev.kiln.ipc.RendererLink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A window's stream over the real engine, fed as a page's bridge feeds it: giving up on a future of
 * the next event (cancel, timeout) reaches the engine's stream, so no event is consumed by it.
 */
@Timeout(30)
class WindowEventStreamTest {
    private final Ipc ipc = Ipc.create();
    private final RendererLink page = ipc.attach("w", batch -> dev.kiln.ipc.RendererTransport.TAKEN, null);

    @AfterEach
    void shutDown() {
        ipc.shutdown();
    }

    @Test
    void cancelledAndTimedOutFuturesTakeNoEvent() throws Exception {
        WindowEventStream events = new WindowEventStream(ipc.windowEventsFor("w"));
        CompletableFuture<IpcEvent> cancelled = events.nextAsync();
        assertThat(cancelled.cancel(false)).isTrue();
        CompletableFuture<IpcEvent> timedOut = events.nextAsync().orTimeout(10, TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> timedOut.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(TimeoutException.class);

        page.receive("[{\"c\":\"first\"},{\"c\":\"second\"}]");
        assertThat(events.nextAsync().get(5, TimeUnit.SECONDS).channel()).isEqualTo("first");
        assertThat(events.nextAsync().get(5, TimeUnit.SECONDS).channel()).isEqualTo("second");
        assertThat(ipc.stats().eventsDropped()).isZero();
    }

    @Test
    void theStreamStillEndsAfterTheCloseEvent() throws Exception {
        WindowEventStream events = new WindowEventStream(ipc.windowEventsFor("w"));
        events.nextAsync().cancel(false);
        page.systemEvent(EventType.CLOSE, null);
        assertThat(events.nextAsync().get(5, TimeUnit.SECONDS).type()).isEqualTo(EventType.CLOSE);
        assertThat(events.nextAsync().get(5, TimeUnit.SECONDS)).isNull();
        assertThat(events.isActive()).isFalse();
    }
}
