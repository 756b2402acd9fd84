package dev.kiln.window;

import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import dev.kiln.ipc.OutboundMessage;
import dev.kiln.ipc.RendererTransport.Receipt;
import java.nio.ByteBuffer;
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
 * <p>A message with attachments (large binaries, {@link OutboundMessage#attachments()}) is queued as
 * itself; its text, with the one-time tokens its page fetches the binaries from, is made when the
 * drain hands it over ({@link Page#offer}), so that the tokens' time to live starts when the page can
 * use them. If they cannot be offered, that message alone is refused with the reason.
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

        /**
         * One-time tokens from which the page fetches a message's attachments, in order.
         *
         * @throws KilnException if they cannot be offered (the window closed, the server stopped)
         */
        List<String> offer(List<ByteBuffer> attachments);
    }

    /**
     * One message for the page, as the JSON text of its {@code {c, p}} object; for a message with
     * attachments, the message itself, whose text is made when it is handed over (see {@link #textOf}).
     */
    private record Message(String channel, String json, OutboundMessage attached) {
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
            messages.add(m.attachments().isEmpty() ? new Message(m.channel(), m.wireJson(), null)
                    : new Message(m.channel(), null, m));
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
        for (Batch b; (b = queue.poll()) != null; ) {
            taken.add(b);
        }
        // Each message's text, made once: a message with attachments gets its one-time tokens now.
        List<String[]> texts = new ArrayList<>(taken.size());
        List<Map<Integer, KilnException>> refusals = new ArrayList<>(taken.size());
        int size = 2;
        int count = 0;
        for (Batch b : taken) {
            String[] t = new String[b.messages().size()];
            Map<Integer, KilnException> refused = new HashMap<>();
            for (int i = 0; i < t.length; i++) {
                try {
                    t[i] = textOf(b.messages().get(i));
                    size += t[i].length() + 1;
                    count++;
                } catch (KilnException e) {
                    refused.put(i, e);
                }
            }
            texts.add(t);
            refusals.add(refused);
        }
        StringBuilder text = new StringBuilder(size).append('[');
        boolean first = true;
        for (String[] t : texts) {
            for (String m : t) {
                if (m != null) {
                    text.append(first ? "" : ",").append(m);
                    first = false;
                }
            }
        }
        try {
            if (count == 0 || page.take(text.append(']').toString())) {
                for (int k = 0; k < taken.size(); k++) {
                    taken.get(k).taken().complete(receipt(refusals.get(k)));
                }
                return;
            }
        } catch (KilnException e) {
            taken.forEach(b -> b.taken().completeExceptionally(e));
            return;
        }
        // The merged text did not parse: one by one, so that only the bad message is refused.
        for (int k = 0; k < taken.size(); k++) {
            Batch b = taken.get(k);
            Map<Integer, KilnException> refused = refusals.get(k);
            String[] t = texts.get(k);
            for (int i = 0; i < t.length; i++) {
                if (t[i] == null) {
                    continue;
                }
                try {
                    if (count == 1 || !page.take("[" + t[i] + "]")) {
                        refused.put(i, malformed(b.messages().get(i)));
                    }
                } catch (KilnException e) {
                    refused.put(i, e);
                }
            }
            b.taken().complete(receipt(refused));
        }
    }

    /** The message's wire text; for one with attachments, with this window's one-time tokens for them. FX thread. */
    private String textOf(Message m) {
        return m.attached() == null ? m.json() : m.attached().wireJson(page.offer(m.attached().attachments()));
    }

    private static Receipt receipt(Map<Integer, KilnException> refused) {
        return refused.isEmpty() ? Receipt.ALL_TAKEN : new Receipt(refused);
    }

    private KilnException malformed(Message m) {
        String why = "Window " + windowId + ": refused a message on channel '" + RateLimitedLog.clean(m.channel())
                + "': its payload is not valid JSON";
        log.warn("malformed-payload", "[" + ErrorCode.SERIALIZATION.code() + "] " + why);
        return new KilnException(ErrorCode.SERIALIZATION, why);
    }
}
