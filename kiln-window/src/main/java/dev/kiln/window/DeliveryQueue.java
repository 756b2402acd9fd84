package dev.kiln.window;

import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import dev.kiln.ipc.OutboundMessage;
import dev.kiln.ipc.RendererTransport.Receipt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Messages on their way into one window's page: queued as JSON text on any thread, handed over on
 * the FX thread as one {@code [{c, p}, ...]} text for everything queued (adaptive batching: each
 * call takes what queued while the previous one ran).
 *
 * <p>Each engine batch queued here carries the stage {@link #add} returned; the drain completes the
 * stages of every batch it handed over once the page's {@code deliver} returned (one completion per
 * engine batch, not per message). So a send completes when the page took its message, not when it
 * was queued: a page that holds the FX thread in a loop holds the sends to every window with it.
 *
 * <p>One bad payload fails alone: if the page cannot parse the merged text (a malformed raw
 * {@code JsonText}), it delivers none of it and the messages are handed over one by one; the one
 * that still fails is refused with 7003 (its send fails with it, and it is logged). If the page's
 * {@code deliver} throws, the sends of what it was handed fail with 7000. Batches still queued
 * when the window closes fail with the reason {@link #close} is given.
 *
 * <p>Threading: {@link #add} on the engine's flushing thread (one call at a time), {@link #isEmpty}
 * and {@link #drainSoon} on any thread; the drain itself and {@link #close} on the FX thread. The
 * stages complete on the FX thread (or on the adding thread for a batch added after the close).
 */
final class DeliveryQueue {
    /** The page end of the queue. FX thread. */
    interface Page {
        /** Whether the page takes messages now; if not, they stay queued. */
        boolean takesMessages();

        /**
         * Hands the page a batch's text; false if the page could not parse it (it then took nothing).
         *
         * @throws KilnException if the page's {@code deliver} failed
         */
        boolean take(String batchText);
    }

    /** One message for the page, as the JSON text of its {@code {c, p}} object. */
    private record Message(String channel, String json) {
    }

    /** One engine batch, and the stage that tells the engine the page took it. */
    private record Batch(List<Message> messages, CompletableFuture<Receipt> taken) {
    }

    private final String windowId;
    private final RateLimitedLog log;
    private final Page page;
    private final ConcurrentLinkedQueue<Batch> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile KilnException closedWith; // set once by close(); batches added later fail with it

    DeliveryQueue(String windowId, RateLimitedLog log, Page page) {
        this.windowId = windowId;
        this.log = log;
        this.page = page;
    }

    /** Queues the batch's messages and schedules a drain; the stage completes when the page took them. */
    CompletionStage<Receipt> add(List<OutboundMessage> batch) {
        List<Message> messages = new ArrayList<>(batch.size());
        for (OutboundMessage m : batch) {
            messages.add(new Message(m.channel(), m.wireJson()));
        }
        Batch queued = new Batch(messages, new CompletableFuture<>());
        queue.add(queued);
        KilnException closed = closedWith;
        if (closed != null) {
            failQueued(closed); // close() ran after the caller's check: nobody else will drain it
        } else {
            drainSoon();
        }
        return queued.taken();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Schedules one FX task that hands the page everything queued by then. */
    void drainSoon() {
        if (drainScheduled.compareAndSet(false, true)) {
            Fx.post(this::drain);
        }
    }

    /**
     * Fails everything queued, and everything added from now on, with the reason; returns how many
     * messages were still queued. FX thread.
     */
    int close(KilnException reason) {
        closedWith = reason;
        return failQueued(reason);
    }

    private int failQueued(KilnException reason) {
        int n = 0;
        for (Batch b; (b = queue.poll()) != null; ) {
            n += b.messages().size();
            b.taken().completeExceptionally(reason);
        }
        return n;
    }

    private void drain() {
        drainScheduled.set(false);
        if (queue.isEmpty() || !page.takesMessages()) {
            return; // kept until the page takes messages
        }
        List<Batch> taken = new ArrayList<>();
        int size = 2;
        int count = 0;
        for (Batch b; (b = queue.poll()) != null; ) {
            taken.add(b);
            for (Message m : b.messages()) {
                size += m.json().length() + 1;
                count++;
            }
        }
        StringBuilder text = new StringBuilder(size).append('[');
        boolean first = true;
        for (Batch b : taken) {
            for (Message m : b.messages()) {
                text.append(first ? "" : ",").append(m.json());
                first = false;
            }
        }
        try {
            if (page.take(text.append(']').toString())) {
                taken.forEach(b -> b.taken().complete(Receipt.ALL_TAKEN));
                return;
            }
        } catch (KilnException e) {
            taken.forEach(b -> b.taken().completeExceptionally(e));
            return;
        }
        // The merged text did not parse: one by one, so that only the bad message is refused.
        for (Batch b : taken) {
            Map<Integer, KilnException> refused = new HashMap<>();
            for (int i = 0; i < b.messages().size(); i++) {
                Message m = b.messages().get(i);
                try {
                    if (count == 1 || !page.take("[" + m.json() + "]")) {
                        refused.put(i, malformed(m));
                    }
                } catch (KilnException e) {
                    refused.put(i, e);
                }
            }
            b.taken().complete(refused.isEmpty() ? Receipt.ALL_TAKEN : new Receipt(refused));
        }
    }

    private KilnException malformed(Message m) {
        String why = "Window " + windowId + ": refused a message on channel '" + RateLimitedLog.clean(m.channel())
                + "': its payload is not valid JSON";
        log.warn("malformed-payload", "[" + ErrorCode.SERIALIZATION.code() + "] " + why);
        return new KilnException(ErrorCode.SERIALIZATION, why);
    }
}
