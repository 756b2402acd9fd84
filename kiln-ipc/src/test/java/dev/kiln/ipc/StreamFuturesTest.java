package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A future of the next event that its taker gave up on (cancelled, timed out) takes no event with it. */
@Timeout(30)
class StreamFuturesTest {

    /** Runs callback work only when the test says so, to put a cancel between an event and its hand-over. */
    static final class ManualExecutor implements Executor {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            while (true) {
                Runnable next;
                synchronized (this) {
                    next = tasks.poll();
                }
                if (next == null) {
                    return;
                }
                next.run();
            }
        }
    }

    private final ManualExecutor callbacks = new ManualExecutor();
    private final Ipc ipc = Ipc.create(IpcConfig.builder().callbackExecutor(callbacks).build());
    private final InMemoryRenderer page = new InMemoryRenderer(ipc, "w");

    @AfterEach
    void shutDown() {
        ipc.shutdown();
        callbacks.runAll();
    }

    @Test
    void aTimedOutNextAsyncDoesNotConsumeTheNextEvent() throws Exception {
        EventStream stream = ipc.windowEvents();
        CompletableFuture<IpcEvent> given = stream.nextAsync().orTimeout(10, TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> given.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(TimeoutException.class);
        page.send("first", 1);
        callbacks.runAll();
        CompletableFuture<IpcEvent> next = stream.nextAsync();
        callbacks.runAll();
        assertThat(next.getNow(null)).extracting(IpcEvent::channel).isEqualTo("first");
    }

    @Test
    void aFutureCancelledBetweenTheEventAndItsHandOverLeavesTheEventForTheNextTaker() throws Exception {
        EventStream stream = ipc.windowEvents();
        CompletableFuture<IpcEvent> first = stream.nextAsync();
        CompletableFuture<IpcEvent> second = stream.nextAsync();
        page.send("a", 1);
        page.send("b", 2);
        first.cancel(false); // the events arrived, but their hand-over has not run yet
        callbacks.runAll();
        assertThat(second.getNow(null)).extracting(IpcEvent::channel).isEqualTo("a");
        CompletableFuture<IpcEvent> third = stream.nextAsync();
        callbacks.runAll();
        assertThat(third.getNow(null)).extracting(IpcEvent::channel).isEqualTo("b");
    }

    @Test
    void recvWindowEventThatTimedOutLosesNothing() throws Exception {
        CompletableFuture<IpcEvent> timedOut = ipc.recvWindowEvent().orTimeout(10, TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> timedOut.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        page.send("kept", 1);
        callbacks.runAll();
        CompletableFuture<IpcEvent> next = ipc.recvWindowEvent();
        callbacks.runAll();
        assertThat(next.getNow(null)).extracting(IpcEvent::channel).isEqualTo("kept");
        assertThat(ipc.stats().eventsDropped()).isZero();
    }

    @Test
    void pendingFuturesGetBufferedEventsBeforeTheEndOfTheStream() throws Exception {
        EventStream stream = ipc.windowEvents();
        CompletableFuture<IpcEvent> first = stream.nextAsync();
        CompletableFuture<IpcEvent> second = stream.nextAsync();
        page.send("only", 1);
        ipc.shutdown();
        awaitTermination();
        assertThat(first.getNow(null)).extracting(IpcEvent::channel).isEqualTo("only");
        assertThat(second.isDone()).isTrue();
        assertThat(second.getNow(null)).isNull();
    }

    /**
     * A reader that gives up on most of its futures at random moments, racing with events arriving
     * on another thread, on Kiln's own pool: it still gets every event once, in order.
     */
    @Test
    void aReaderThatKeepsGivingUpStillGetsEveryEventInOrder() throws Exception {
        try (Ipc pooled = Ipc.create()) {
            InMemoryRenderer w = new InMemoryRenderer(pooled, "w");
            EventStream stream = pooled.windowEvents();
            int events = 3_000;
            Thread sender = new Thread(() -> {
                for (int i = 0; i < events; i++) {
                    w.send("n", i);
                }
            });
            java.util.Random random = new java.util.Random(7);
            java.util.List<Integer> got = new java.util.ArrayList<>();
            sender.start();
            while (got.size() < events) {
                CompletableFuture<IpcEvent> f = stream.nextAsync();
                int choice = random.nextInt(4);
                if (choice == 0) {
                    f.cancel(false);
                } else if (choice == 1) {
                    f.orTimeout(random.nextInt(50), TimeUnit.MICROSECONDS);
                }
                IpcEvent e;
                try {
                    e = f.get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.CancellationException | ExecutionException gaveUp) {
                    continue;
                }
                got.add(e.payload().asInt());
            }
            sender.join();
            assertThat(got).containsExactlyElementsOf(java.util.stream.IntStream.range(0, events).boxed().toList());
            assertThat(stream.nextAsync().getNow(null)).isNull(); // nothing left, nothing doubled
            assertThat(pooled.stats().eventsDropped()).isZero();
        }
    }

    private void awaitTermination() throws Exception {
        CompletableFuture<Void> done = ipc.terminated();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.isDone() && System.nanoTime() < deadline) {
            callbacks.runAll();
            Thread.onSpinWait();
        }
        assertThat(done).isDone();
    }
}
