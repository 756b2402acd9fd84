package dev.kiln.ipc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * The queue of messages on their way to one renderer; turns bursts into batches.
 *
 * <p>Concurrency: senders enqueue from any thread under this object's lock. At most one flush is
 * scheduled on the dispatch thread at a time; everything sent while a flush is pending joins its
 * batch, which is how bursts become one delivery without a timer. Until the renderer is ready the
 * queue only grows; {@link #ready} schedules the flush. Send futures complete on the completion
 * executor after the transport took the batch, never on the dispatch thread.
 */
final class Outbox {
    private record Pending(OutboundMessage message, CompletableFuture<Void> sent) {
    }

    private final String windowId;
    private final RendererTransport transport;
    private final List<String> windowChannels;
    private final Executor dispatch;
    private final Executor completions;
    private final int maxBatch;
    private final LongAdder messagesSent;
    private final LongAdder batchesSent;

    // guarded by this
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean ready;
    private boolean flushScheduled;
    private boolean closed;

    Outbox(String windowId, RendererTransport transport, List<String> windowChannels, Executor dispatch,
           Executor completions, int maxBatch, LongAdder messagesSent, LongAdder batchesSent) {
        this.windowId = windowId;
        this.transport = transport;
        this.windowChannels = windowChannels == null ? null : List.copyOf(windowChannels);
        this.dispatch = dispatch;
        this.completions = completions;
        this.maxBatch = maxBatch;
        this.messagesSent = messagesSent;
        this.batchesSent = batchesSent;
    }

    String windowId() {
        return windowId;
    }

    /** The window's own allow list, or {@code null} if it uses the default policy. */
    List<String> windowChannels() {
        return windowChannels;
    }

    CompletableFuture<Void> enqueue(OutboundMessage message) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                sent.completeExceptionally(KilnException.windowNotFound(windowId));
                return sent;
            }
            queue.add(new Pending(message, sent));
            scheduleFlushLocked();
        }
        return sent;
    }

    synchronized void ready() {
        ready = true;
        scheduleFlushLocked();
    }

    synchronized void loading() {
        ready = false;
    }

    /** Fails what is queued with the given error; later sends fail with {@link ErrorCode#WINDOW_NOT_FOUND}. */
    void close(KilnException reason) {
        List<Pending> failed;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            failed = new ArrayList<>(queue);
            queue.clear();
        }
        if (!failed.isEmpty()) {
            completions.execute(() -> failed.forEach(p -> p.sent.completeExceptionally(reason)));
        }
    }

    // guarded by this
    private void scheduleFlushLocked() {
        if (ready && !flushScheduled && !queue.isEmpty()) {
            flushScheduled = true;
            dispatch.execute(this::flush);
        }
    }

    /** Runs on the dispatch thread. */
    private void flush() {
        List<Pending> batch;
        synchronized (this) {
            flushScheduled = false;
            if (!ready || closed || queue.isEmpty()) {
                return;
            }
            int n = Math.min(queue.size(), maxBatch);
            batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(queue.poll());
            }
            scheduleFlushLocked(); // more than one batch's worth was queued
        }
        List<OutboundMessage> messages = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            messages.add(p.message);
        }
        RuntimeException failure = null;
        try {
            transport.deliver(messages);
            messagesSent.add(messages.size());
            batchesSent.increment();
        } catch (RuntimeException e) {
            failure = e;
        }
        KilnException error = failure == null ? null
                : failure instanceof KilnException k ? k
                : new KilnException(ErrorCode.CHANNEL_SEND,
                        "Could not deliver to window " + windowId + ": " + failure.getMessage(), failure);
        completions.execute(() -> {
            for (Pending p : batch) {
                if (error == null) {
                    p.sent.complete(null);
                } else {
                    p.sent.completeExceptionally(error);
                }
            }
        });
    }
}
