package dev.kiln.bench;

import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.Ipc;
import dev.kiln.ipc.IpcConfig;
import dev.kiln.ipc.IpcEvent;
import dev.kiln.ipc.IpcStats;
import dev.kiln.ipc.JsonText;
import dev.kiln.ipc.RendererLink;
import dev.kiln.ipc.RendererTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks of the engine alone, through in-memory renderers: the cost of routing one inbound
 * event to 1, 10 or 100 subscribers, host-to-renderer throughput with burst batching, and the
 * engine's share of a round trip.
 *
 * <p>Run: {@code java -cp "$(cat kiln-bench/target/classpath.txt):kiln-bench/target/classes"
 * org.openjdk.jmh.Main EngineBench -f 1 -wi 2 -i 3}. Every invocation waits until every consumer has
 * seen every event (or the transport every message), so the numbers are end-to-end through the
 * engine's threads, not the cost of enqueueing alone; consumers check sequence numbers and the
 * tear-down fails on any loss or reordering.
 */
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class EngineBench {
    /** Events per inbound batch, and messages per host-to-renderer burst. */
    static final int BATCH = 1000;

    /** One inbound batch of {@link #BATCH} events fanned out to {@code subscribers} consumers. */
    @State(Scope.Thread)
    public static class Fanout {
        @Param({"1", "10", "100"})
        int subscribers;

        /** {@code callback}: {@code onEvent} callbacks; {@code stream}: {@code windowEvents()} streams. */
        @Param({"callback", "stream"})
        String consumer;

        Ipc ipc;
        RendererLink link;
        String batchJson;
        final List<SequenceCheckingCallback> callbacks = new ArrayList<>();
        final List<EventStream> streams = new ArrayList<>();
        Arrival arrival;

        @Setup(Level.Trial)
        public void setUp() {
            ipc = Ipc.create(IpcConfig.defaults());
            link = ipc.attach("bench", batch -> RendererTransport.TAKEN, null);
            link.ready();
            batchJson = inboundBatch(BATCH);
            arrival = new Arrival();
            for (int i = 0; i < subscribers; i++) {
                if (consumer.equals("callback")) {
                    SequenceCheckingCallback c = new SequenceCheckingCallback(arrival);
                    callbacks.add(c);
                    ipc.onEvent(c);
                } else {
                    streams.add(ipc.windowEvents());
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            ipc.shutdown();
            ipc.terminated().join();
            IpcStats stats = ipc.stats();
            if (stats.eventsDropped() > 0 || callbacks.stream().anyMatch(c -> c.broken)) {
                throw new IllegalStateException("Events were lost or reordered: " + stats);
            }
        }
    }

    /** Counts each subscriber's events, checks their order, and signals the end of each batch. */
    static final class SequenceCheckingCallback implements java.util.function.Consumer<IpcEvent> {
        private final Arrival arrival;
        private int expected;
        volatile boolean broken;

        SequenceCheckingCallback(Arrival arrival) {
            this.arrival = arrival;
        }

        @Override
        public void accept(IpcEvent e) {
            int s = e.payload().get("s").intValue();
            if (s != expected) {
                broken = true;
            }
            expected = s + 1 == BATCH ? 0 : s + 1;
            if (s + 1 == BATCH) {
                arrival.add(1);
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(BATCH)
    public void routedEvent(Fanout f) throws InterruptedException {
        long target = f.arrival.count() + f.subscribers;
        f.link.receive(f.batchJson);
        if (f.consumer.equals("callback")) {
            f.arrival.await(target);
            return;
        }
        for (EventStream s : f.streams) {
            for (int i = 0; i < BATCH; i++) {
                IpcEvent e = s.take();
                if (e == null || e.payload().get("s").intValue() != i) {
                    throw new IllegalStateException("Stream lost or reordered an event at " + i + ": " + e);
                }
            }
        }
    }

    /** Bursts of {@link #BATCH} sends to one window whose in-memory transport counts what arrives. */
    @State(Scope.Thread)
    public static class Burst {
        Ipc ipc;
        Arrival delivered;
        JsonText[] messages;
        long sent;
        long statsMessages;
        long statsBatches;

        @Setup(Level.Trial)
        public void setUp() {
            ipc = Ipc.create(IpcConfig.defaults());
            delivered = new Arrival();
            int[] expected = {0};
            boolean[] broken = {false};
            RendererLink link = ipc.attach("bench", batch -> {
                // One batch at a time, each after the last (engine lock): no lock needed for expected.
                for (var m : batch) {
                    int s = Integer.parseInt(m.payloadJson().substring(5, m.payloadJson().indexOf(',')));
                    if (s != expected[0]) {
                        throw new IllegalStateException("Batch lost or reordered: got " + s + ", expected " + expected[0]);
                    }
                    expected[0] = s + 1 == BATCH ? 0 : s + 1;
                }
                delivered.add(batch.size());
                return RendererTransport.TAKEN;
            }, null);
            link.ready();
            messages = new JsonText[BATCH];
            for (int i = 0; i < BATCH; i++) {
                messages[i] = new JsonText(Payloads.fiftyBytes(i));
            }
        }

        @TearDown(Level.Iteration)
        public void printBatching() {
            IpcStats stats = ipc.stats();
            long m = stats.messagesSent() - statsMessages;
            long b = stats.batchesSent() - statsBatches;
            statsMessages = stats.messagesSent();
            statsBatches = stats.batchesSent();
            System.out.printf("  [batching] %d messages in %d batches: %.1f messages per batch%n",
                    m, b, b == 0 ? 0.0 : (double) m / b);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (delivered.count() != sent) {
                throw new IllegalStateException("Sent " + sent + " messages but " + delivered.count() + " arrived");
            }
            ipc.shutdown();
        }
    }

    /** Batches delivered, as a JMH secondary result: messages/s divided by batches/s is the batching factor. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class BatchCounters {
        public long batches;
        long seenBatches = -1;

        @Setup(Level.Iteration)
        public void reset() {
            batches = 0;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void hostToRendererBurst(Burst b, BatchCounters counters) throws InterruptedException {
        for (JsonText m : b.messages) {
            b.ipc.sendToWindow("bench", "tick", m);
        }
        b.sent += BATCH;
        b.delivered.await(b.sent);
        long batches = b.ipc.stats().batchesSent();
        if (counters.seenBatches >= 0) {
            counters.batches += batches - counters.seenBatches;
        }
        counters.seenBatches = batches;
    }

    /**
     * One window whose page answers instantly: an inbound ping, an {@code onChannel} handler that
     * replies with {@code sendToWindow}, and the reply's delivery to the transport. The engine's own
     * share of an end-to-end round trip (its thread hand-offs), without any WebView.
     */
    @State(Scope.Thread)
    public static class PingPong {
        /**
         * {@code pool}: Kiln's default callback threads. {@code inline}: callbacks on the thread that
         * completes them (a diagnostic, not a recommended setting): the difference is the cost of
         * one thread hand-off per direction.
         */
        @Param({"pool", "inline"})
        String callbacks;

        Ipc ipc;
        RendererLink link;
        Arrival pongs;

        @Setup(Level.Trial)
        public void setUp() {
            IpcConfig.Builder config = IpcConfig.builder();
            if (callbacks.equals("inline")) {
                config.callbackExecutor(Runnable::run);
            }
            ipc = Ipc.create(config.build());
            pongs = new Arrival();
            link = ipc.attach("bench", batch -> {
                pongs.add(batch.size());
                return RendererTransport.TAKEN;
            }, null);
            link.ready();
            ipc.onChannel("ping", (payload, windowId) -> ipc.sendToWindow(windowId, "pong", new JsonText("1")));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            ipc.shutdown();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void roundTrip(PingPong r) throws InterruptedException {
        long target = r.pongs.count() + 1;
        r.link.receive("[{\"c\":\"ping\",\"p\":1}]");
        r.pongs.await(target);
    }

    static String inboundBatch(int n) {
        StringBuilder sb = new StringBuilder(n * 70).append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"c\":\"tick\",\"p\":").append(Payloads.fiftyBytes(i)).append('}');
        }
        return sb.append(']').toString();
    }
}
