package dev.kiln.ipc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * The queue of messages on their way to one renderer; turns bursts into batches.
 *
 * <p>Concurrency: senders enqueue from any thread under this object's lock, and one flush at a
 * time takes what is queued to the transport ({@code flushing}). A lone send, one that follows the
 * previous by more than {@link #BURST_GAP_NANOS}, is taken to the transport by the sending thread
 * itself, and when the transport takes it synchronously ({@link RendererTransport#TAKEN}) its future
 * completes there (unless earlier futures are still to complete: futures complete in send order).
 * So a request answered from a callback reaches the renderer without waking another thread; each
 * wake-up costs tens of microseconds on a small machine. Sends that follow each other closely are a
 * burst: they are flushed from the dispatch thread, and everything sent while that flush is pending
 * joins its batch, which is how bursts become one delivery without a timer. Until the renderer is
 * ready the queue only grows; {@link #ready} schedules the flush.
 *
 * <p>Completion: a batch's futures complete when the renderer has taken it (the transport's stage
 * completes, on whatever thread). Batches handed over wait in {@code settling}, in send order; a
 * batch is released to the completion executor (serial) only once every batch before it has been,
 * so futures complete in send order however the transports' stages complete. Futures of released
 * batches complete on the completion executor, never on the dispatch thread. Sends still queued when
 * the window closes join {@code settling} as a failed batch, behind the batches handed over.
 */
final class Outbox {
    /** Sends closer together than this are a burst and are batched on the dispatch thread. */
    static final long BURST_GAP_NANOS = 10_000;

    private record Pending(OutboundMessage message, CompletableFuture<Void> sent) {
    }

    /** A batch handed to the transport (or failed at close) whose futures are yet to complete. */
    private static final class Settling {
        final List<Pending> batch;
        RendererTransport.Receipt receipt; // guarded by the outbox; set once the transport settled it
        KilnException error;
        boolean settled;

        Settling(List<Pending> batch) {
            this.batch = batch;
        }
    }

    private final String windowId;
    private final RendererTransport transport;
    private final List<String> windowChannels;
    private final Executor dispatch;
    private final SerialExecutor completions;
    private final int maxBatch;
    private final LongAdder messagesSent;
    private final LongAdder batchesSent;
    private final IpcTap tap;

    // guarded by this
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean ready;
    private long epoch; // counts the page generations that became ready (see targetEpoch)
    private boolean flushing; // a thread is taking a batch to the transport, or the dispatch thread will
    private boolean closed;
    private long lastEnqueueNanos;
    private final ArrayDeque<Settling> settling = new ArrayDeque<>(); // handed over, not yet released; send order
    private int completionsQueued; // batches released whose futures the completion executor has yet to complete
    private boolean completingHere; // a lone send's future completes on its sender: release nothing meanwhile

    Outbox(String windowId, RendererTransport transport, List<String> windowChannels, Executor dispatch,
           SerialExecutor completions, int maxBatch, LongAdder messagesSent, LongAdder batchesSent, IpcTap tap) {
        this.windowId = windowId;
        this.transport = transport;
        this.windowChannels = windowChannels == null ? null : List.copyOf(windowChannels);
        this.dispatch = dispatch;
        this.completions = completions;
        this.maxBatch = maxBatch;
        this.messagesSent = messagesSent;
        this.batchesSent = batchesSent;
        this.tap = tap;
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
                KilnException gone = KilnException.windowNotFound(windowId);
                if (tap.on()) {
                    refused(message, gone);
                }
                sent.completeExceptionally(gone);
                return sent;
            }
            if (tap.on()) { // under the lock, so that the events are in queue order
                tap.message(IpcTrace.Stage.SENT, IpcTrace.Direction.TO_WINDOW, windowId, message.kind(),
                        message.channel(), message.payloadJson(), message.callId());
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
        if (!ready) {
            epoch++;
        }
        ready = true;
        if (!flushing && !queue.isEmpty()) {
            flushing = true;
            dispatch.execute(this::flushFromDispatch);
        }
    }

    /** The page went away; returns the generation that did ({@link #targetEpoch}). */
    synchronized long loading() {
        ready = false;
        return epoch;
    }

    /**
     * The page generation a message enqueued now is delivered to: the ready page's, or while none is
     * ready the next one's. Calls use it to tell whether the page that went away had them.
     */
    synchronized long targetEpoch() {
        return ready ? epoch : epoch + 1;
    }

    /**
     * Takes a call's invoke (or a stream's request) out of the queue if it has not been handed to the renderer yet, failing
     * its future with the reason; false if it was handed over (or is not here).
     */
    boolean withdraw(String callId, KilnException reason) {
        Pending withdrawn = null;
        synchronized (this) {
            for (var it = queue.iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if ((p.message.kind() == MessageKind.INVOKE || p.message.kind() == MessageKind.STREAM) && callId.equals(p.message.callId())) {
                    it.remove();
                    withdrawn = p;
                    break;
                }
            }
        }
        if (withdrawn == null) {
            return false;
        }
        if (tap.on()) {
            refused(withdrawn.message, reason);
        }
        withdrawn.sent.completeExceptionally(reason); // the call's own future: nobody waits on its order
        return true;
    }

    /** Fails what is queued with the given error; later sends fail with {@link ErrorCode#WINDOW_NOT_FOUND}. */
    void close(KilnException reason) {
        Settling failed;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (queue.isEmpty()) {
                return;
            }
            failed = new Settling(new ArrayList<>(queue));
            queue.clear();
            settling.add(failed); // behind the batches the transport has yet to settle: send order
        }
        settled(failed, null, reason);
    }

    private void flushFromDispatch() {
        flush(false);
    }

    /**
     * Takes one batch to the transport; only the holder of {@code flushing} calls this. Hands the
     * flush on to the dispatch thread when more is queued, or gives {@code flushing} up.
     *
     * @param onSender called by a sender for a lone send: if the transport takes it synchronously,
     *                 its future completes here, before {@code flushing} is given up, unless earlier
     *                 futures are still to complete (futures complete in send order)
     */
    private void flush(boolean onSender) {
        List<Pending> batch;
        synchronized (this) {
            if (!ready || closed || queue.isEmpty()) {
                flushing = false;
                return;
            }
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
        CompletionStage<RendererTransport.Receipt> taken;
        KilnException thrown = null;
        try {
            taken = transport.deliver(messages);
            if (taken == null) {
                throw new IllegalStateException("the transport returned no stage");
            }
        } catch (RuntimeException e) {
            taken = null;
            thrown = deliveryError(e);
        }
        boolean completeHere = false;
        Settling s = new Settling(batch);
        // Completed, or queued to settle, while this thread still holds flushing, so that no later
        // batch can be handed over first.
        synchronized (this) {
            if (taken == RendererTransport.TAKEN && onSender && settling.isEmpty() && completionsQueued == 0) {
                completeHere = true;
                completingHere = true;
            } else {
                settling.add(s);
            }
        }
        if (completeHere) {
            // outside the lock: completing runs the senders' own code
            complete(batch, RendererTransport.Receipt.ALL_TAKEN, null);
            synchronized (this) {
                completingHere = false;
            }
            releaseSettled(); // batches failed by a close meanwhile waited for this one
        } else if (thrown != null) {
            settled(s, null, thrown);
        } else if (taken == RendererTransport.TAKEN) {
            settled(s, RendererTransport.Receipt.ALL_TAKEN, null);
        } else {
            taken.whenComplete((receipt, error) -> settled(s, receipt, error == null ? null : deliveryError(error)));
        }
        synchronized (this) {
            if (ready && !closed && !queue.isEmpty()) {
                dispatch.execute(this::flushFromDispatch); // sent meanwhile: still ours to flush
            } else {
                flushing = false;
            }
        }
    }

    /** The transport settled a batch (any thread): releases every batch whose turn has come. */
    private void settled(Settling s, RendererTransport.Receipt receipt, KilnException error) {
        synchronized (this) {
            s.receipt = receipt == null ? RendererTransport.Receipt.ALL_TAKEN : receipt;
            s.error = error;
            s.settled = true;
        }
        releaseSettled();
    }

    /**
     * Hands the settled batches at the head of {@code settling} to the completion executor, in order.
     * They are queued under the lock, so that their order there is send order; the executor is
     * started outside it, since it may run tasks inline.
     */
    private void releaseSettled() {
        boolean start = false;
        synchronized (this) {
            while (!completingHere && !settling.isEmpty() && settling.peek().settled) {
                Settling s = settling.poll();
                completionsQueued++;
                start |= completions.enqueue(() -> {
                    complete(s.batch, s.receipt, s.error);
                    synchronized (this) {
                        completionsQueued--;
                    }
                });
            }
        }
        if (start) {
            completions.start();
        }
    }

    private KilnException deliveryError(Throwable failure) {
        if (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure instanceof KilnException k ? k
                : new KilnException(ErrorCode.CHANNEL_SEND,
                        "Could not deliver to window " + windowId + ": " + failure.getMessage(), failure);
    }

    private void complete(List<Pending> batch, RendererTransport.Receipt receipt, KilnException error) {
        int taken = error != null ? 0 : batch.size() - receipt.refused().size();
        if (taken > 0) { // counted first: whoever sees a future complete sees it counted
            messagesSent.add(taken);
            batchesSent.increment();
        }
        boolean observed = tap.on();
        for (int i = 0; i < batch.size(); i++) {
            KilnException refused = error != null ? error : receipt.refused().get(i);
            if (observed) {
                OutboundMessage m = batch.get(i).message;
                if (refused == null) {
                    tap.message(IpcTrace.Stage.DELIVERED, IpcTrace.Direction.TO_WINDOW, windowId, m.kind(), m.channel(),
                            m.payloadJson(), m.callId());
                } else {
                    refused(m, refused);
                }
            }
            if (refused == null) {
                batch.get(i).sent.complete(null);
            } else {
                batch.get(i).sent.completeExceptionally(refused);
            }
        }
    }

    private void refused(OutboundMessage m, KilnException why) {
        tap.refused(IpcTrace.Direction.TO_WINDOW, windowId, m.kind(), m.channel(), m.payloadJson(), m.callId(),
                why.code(), why.detail());
    }
}
