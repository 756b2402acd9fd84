package dev.kiln.ipc;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes every IPC event of an engine to a file in the Chrome trace event format (JSON), which
 * Perfetto ({@code ui.perfetto.dev}) and {@code chrome://tracing} open.
 *
 * <p>Layout: one process, "Kiln IPC"; one track (thread) per window and direction, named like
 * {@code main → page} and {@code main ← page}. Messages, call steps, system events, refusals and drops
 * are instant events named after their channel, with kind, size, payload preview, call id, code and
 * reason as arguments; a call is a duration event spanning its start to its end on the track of the
 * caller's direction.
 *
 * <p>Cost: the engine's threads only offer each event to a bounded queue
 * ({@value #QUEUE_CAPACITY} events); a writer thread, {@code kiln-ipc-trace}, encodes and writes
 * them. When the queue is full the event is dropped and counted, never waited for: the trace's
 * metadata ({@code otherData.droppedEvents}) and a warning at {@link #close()} say how many.
 *
 * <p>Threading: thread-safe. {@link #close()} waits (up to 30 s) for the writer to finish the file.
 */
public final class IpcTraceFile implements AutoCloseable {
    static final int QUEUE_CAPACITY = 1 << 18;
    private static final int PID = 1;

    private final Path file;
    private final ArrayBlockingQueue<IpcTrace> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final LongAdder dropped = new LongAdder();
    private final Subscription subscription;
    private final Thread writer;
    private final JsonGenerator json;
    private final long originNanos = System.nanoTime();
    private final long originEpochMillis = System.currentTimeMillis();
    private final Map<String, Integer> tracks = new HashMap<>(); // writer thread only
    private volatile boolean closing;
    private volatile IOException failure;
    private long written; // writer thread only until closed

    private IpcTraceFile(Ipc ipc, Path file) throws IOException {
        this.file = file;
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        this.json = PayloadCodec.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8);
        json.writeStartObject();
        json.writeStringField("displayTimeUnit", "ms");
        json.writeArrayFieldStart("traceEvents");
        metadata("process_name", 0, "Kiln IPC");
        this.writer = new Thread(this::writeLoop, "kiln-ipc-trace");
        writer.setDaemon(true);
        writer.start();
        this.subscription = ipc.observe(event -> {
            if (!queue.offer(event)) {
                dropped.increment();
            }
        });
    }

    /**
     * Starts writing the engine's IPC events to {@code file} (replacing it) until {@link #close()}.
     *
     * @throws IOException if the file cannot be created
     */
    public static IpcTraceFile start(Ipc ipc, Path file) throws IOException {
        return new IpcTraceFile(Objects.requireNonNull(ipc, "ipc"), Objects.requireNonNull(file, "file"));
    }

    public Path file() {
        return file;
    }

    /** Events lost because the writer fell behind (the queue was full). */
    public long dropped() {
        return dropped.sum();
    }

    /** Events written; final once {@link #close()} returned. */
    public synchronized long written() {
        return written;
    }

    /**
     * Stops observing, writes what is queued, the drop count and the closing brackets. Idempotent.
     *
     * @throws IOException if writing the file failed
     */
    @Override
    public void close() throws IOException {
        if (!closing) {
            closing = true;
            subscription.unsubscribe();
            try {
                writer.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long lost = dropped();
            if (lost > 0) {
                System.getLogger("dev.kiln.ipc").log(System.Logger.Level.WARNING, "The IPC trace " + file + " lost "
                        + lost + " events: its writer fell behind (queue of " + QUEUE_CAPACITY + " full)");
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void writeLoop() {
        List<IpcTrace> batch = new ArrayList<>(4096);
        try {
            while (!closing || !queue.isEmpty()) {
                IpcTrace first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    json.flush(); // so that a crashed app leaves a readable (if unterminated) trace
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 4095);
                for (IpcTrace t : batch) {
                    write(t);
                }
                synchronized (this) {
                    written += batch.size();
                }
                batch.clear();
            }
            finish();
        } catch (IOException e) {
            failure = e;
            subscription.unsubscribe();
            try {
                json.close();
            } catch (IOException ignored) {
                // already failed: the first error is the one reported
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void finish() throws IOException {
        json.writeEndArray();
        json.writeObjectFieldStart("otherData");
        json.writeStringField("producer", "Kiln");
        json.writeNumberField("startEpochMillis", originEpochMillis);
        json.writeNumberField("events", written());
        json.writeNumberField("droppedEvents", dropped());
        json.writeEndObject();
        json.writeEndObject();
        json.close();
    }

    private void write(IpcTrace t) throws IOException {
        if (t.stage() == IpcTrace.Stage.CALL_START) {
            return; // the call's duration event, written at its end, covers it
        }
        int tid = track(t);
        json.writeStartObject();
        if (t.stage() == IpcTrace.Stage.CALL_END) {
            json.writeStringField("name", "invoke " + t.channel());
            json.writeStringField("cat", "call");
            json.writeStringField("ph", "X");
            json.writeNumberField("ts", micros(t.nanoTime() - t.durationNanos()));
            json.writeNumberField("dur", t.durationNanos() / 1000.0);
        } else {
            json.writeStringField("name", t.channel() == null ? "(no channel)" : t.channel());
            json.writeStringField("cat", t.stage().name().toLowerCase(java.util.Locale.ROOT));
            json.writeStringField("ph", "i");
            json.writeStringField("s", "t");
            json.writeNumberField("ts", micros(t.nanoTime()));
        }
        json.writeNumberField("pid", PID);
        json.writeNumberField("tid", tid);
        json.writeObjectFieldStart("args");
        if (t.kind() != null) {
            json.writeStringField("kind", t.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (t.size() > 0) {
            json.writeNumberField("size", t.size());
        }
        if (t.preview() != null) {
            json.writeStringField("preview", t.preview());
        }
        if (t.callId() != null) {
            json.writeStringField("callId", t.callId());
        }
        if (t.stage() == IpcTrace.Stage.CALL_END) {
            json.writeStringField("outcome", t.code() == null ? "ok" : t.code());
        } else if (t.code() != null) {
            json.writeStringField("code", t.code());
        }
        if (t.reason() != null) {
            json.writeStringField("reason", t.reason());
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    private double micros(long nanoTime) {
        return (nanoTime - originNanos) / 1000.0;
    }

    /** The track of the event's window and direction, named when first used. */
    private int track(IpcTrace t) throws IOException {
        String name = t.windowId() == null ? "engine"
                : t.windowId() + (t.direction() == IpcTrace.Direction.TO_WINDOW ? " \u2192 page" : " \u2190 page");
        Integer tid = tracks.get(name);
        if (tid == null) {
            tid = tracks.size() + 1;
            tracks.put(name, tid);
            metadata("thread_name", tid, name);
            json.writeStartObject();
            json.writeStringField("name", "thread_sort_index");
            json.writeStringField("ph", "M");
            json.writeNumberField("pid", PID);
            json.writeNumberField("tid", tid);
            json.writeObjectFieldStart("args");
            json.writeNumberField("sort_index", tid);
            json.writeEndObject();
            json.writeEndObject();
        }
        return tid;
    }

    private void metadata(String what, int tid, String name) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", what);
        json.writeStringField("ph", "M");
        json.writeNumberField("pid", PID);
        json.writeNumberField("tid", tid);
        json.writeObjectFieldStart("args");
        json.writeStringField("name", name);
        json.writeEndObject();
        json.writeEndObject();
    }
}
