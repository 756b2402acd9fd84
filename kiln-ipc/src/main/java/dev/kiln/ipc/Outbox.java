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
 * <p>Concurrency: senders enqueue from any thread under this object's lock, and one flush at a
 * time takes what is queued to the transport ({@code flushing}). A lone send, one that follows the
 * previous by more than {@link #BURST_GAP_NANOS}, is taken to the transport by the sending thread
 * itself, and its future completes there (unless earlier futures still wait on the completion
 * executor: futures complete in send order). So a request answered from a callback reaches the
 * renderer without waking another thread; each wake-up costs tens of microseconds on a small machine.
 * Sends that follow each other closely are a burst: they are flushed from the dispatch thread, and
 * everything sent while that flush is pending joins its batch, which is how bursts become one
 * delivery without a timer. Until the renderer is ready the queue only grows; {@link #ready}
 * schedules the flush. Futures of dispatched batches complete on the completion executor, never
 * on the dispatch thread.
 */
final class Outbox {
    /** Sends closer together than this are a burst and are batched on the dispatch thread. */
    static final long BURST_GAP_NANOS = 10_000;

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
    private boolean flushing; // a thread is taking a batch to the transport, or the dispatch thread will
    private boolean closed;
    private long lastEnqueueNanos;
    private int completionsQueued; // batches handed over whose futures the completion executor has yet to complete

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
        this.lastEnqueueNanos = System.nanoTime() - BURST_GAP_NANOS - 1;
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
        boolean flushHere;
        synchronized (this) {
            if (closed) {
                sent.completeExceptionally(KilnException.windowNotFound(windowId));
                return sent;
            }
            queue.add(new Pending(message, sent));
            long now = System.nanoTime();
            boolean lone = now - lastEnqueueNanos > BURST_GAP_NANOS;
            lastEnqueueNanos = now;
            if (!ready || flushing) {
                return sent; // the flush under way, or the one at ready, takes it
            }
            flushing = true;
            flushHere = lone && queue.size() == 1;
            if (!flushHere) {
                dispatch.execute(this::flushFromDispatch);
            }
        }
        if (flushHere) {
            flush(true);
        }
        return sent;
    }

    synchronized void ready() {
        ready = true;
        if (!flushing && !queue.isEmpty()) {
            flushing = true;
            dispatch.execute(this::flushFromDispatch);
        }
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

    private void flushFromDispatch() {
        flush(false);
    }

    /**
     * Takes one batch to the transport; only the holder of {@code flushing} calls this. Hands the
     * flush on to the dispatch thread when more is queued, or gives {@code flushing} up.
     *
     * @param onSender called by a sender for a lone send: its future completes here, before
     *                 {@code flushing} is given up, unless earlier futures are still to complete
     *                 on the completion executor (futures complete in send order)
     */
    private void flush(boolean onSender) {
        List<Pending> batch;
        boolean completeHere;
        synchronized (this) {
            if (!ready || closed || queue.isEmpty()) {
                flushing = false;
                return;
            }
            completeHere = onSender && completionsQueued == 0;
            int n = Math.min(queue.size(), maxBatch);
            batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(queue.poll());
            }
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
        // Completed or queued while this thread still holds flushing, so that no later batch can
        // complete first; outside the lock, since completing runs the senders' own code.
        if (completeHere) {
            complete(batch, error);
        } else {
            synchronized (this) {
                completionsQueued++;
            }
            completions.execute(() -> {
                complete(batch, error);
                synchronized (this) {
                    completionsQueued--;
                }
            });
        }
        synchronized (this) {
            if (ready && !closed && !queue.isEmpty()) {
                dispatch.execute(this::flushFromDispatch); // sent meanwhile: still ours to flush
            } else {
                flushing = false;
            }
        }
    }

    private static void complete(List<Pending> batch, KilnException error) {
        for (Pending p : batch) {
            if (error == null) {
                p.sent.complete(null);
            } else {
                p.sent.completeExceptionally(error);
            }
        }
    }
}
