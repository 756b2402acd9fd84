package dev.kiln.window;

import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.OutboundMessage;
import dev.kiln.ipc.RendererLink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Messages on their way into one window's page: queued as JSON text on any thread, handed over on
 * the FX thread as one {@code [{c, p}, ...]} text for everything queued (adaptive batching: each
 * call takes what queued while the previous one ran).
 *
 * <p>One bad payload fails alone: if the page cannot parse the merged text (a malformed raw
 * {@code JsonText}), it delivers none of it and the messages are handed over one by one; the one
 * that still fails is dropped and logged with 7003.
 *
 * <p>Threading: {@link #add} on the engine's flushing thread (one call at a time), {@link #isEmpty}
 * on any thread; {@link #drainSoon} on any thread; the drain itself and {@link #clear} on the FX thread.
 */
final class DeliveryQueue {
    private static final String MESSAGE_START = "{" + BridgeProtocol.quote(RendererLink.CHANNEL_KEY) + ":";
    private static final String MESSAGE_PAYLOAD = "," + BridgeProtocol.quote(RendererLink.PAYLOAD_KEY) + ":";

    /** The page end of the queue. FX thread. */
    interface Page {
        /** Whether the page takes messages now; if not, they stay queued. */
        boolean takesMessages();

        /** Hands the page a batch's text; false if the page could not parse it (it then took nothing). */
        boolean take(String batchText);
    }

    /** One message for the page, as the JSON text of its {@code {c, p}} object. */
    private record Pending(String channel, String json) {
    }

    private final String windowId;
    private final RateLimitedLog log;
    private final Page page;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    DeliveryQueue(String windowId, RateLimitedLog log, Page page) {
        this.windowId = windowId;
        this.log = log;
        this.page = page;
    }

    /** Queues the batch's messages and schedules a drain. */
    void add(List<OutboundMessage> batch) {
        for (OutboundMessage m : batch) {
            String channel = BridgeProtocol.quote(m.channel());
            queue.add(new Pending(m.channel(), new StringBuilder(MESSAGE_START.length() + channel.length()
                    + MESSAGE_PAYLOAD.length() + m.payloadJson().length() + 1)
                    .append(MESSAGE_START).append(channel).append(MESSAGE_PAYLOAD).append(m.payloadJson())
                    .append('}').toString()));
        }
        drainSoon();
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

    /** Drops everything queued; returns how many messages that was. FX thread. */
    int clear() {
        int n = 0;
        while (queue.poll() != null) {
            n++;
        }
        return n;
    }

    private void drain() {
        drainScheduled.set(false);
        if (queue.isEmpty() || !page.takesMessages()) {
            return; // kept until the page takes messages
        }
        List<Pending> taken = new ArrayList<>();
        int size = 2;
        for (Pending p; (p = queue.poll()) != null; ) {
            taken.add(p);
            size += p.json().length() + 1;
        }
        StringBuilder text = new StringBuilder(size).append('[');
        for (int i = 0; i < taken.size(); i++) {
            text.append(i == 0 ? "" : ",").append(taken.get(i).json());
        }
        if (page.take(text.append(']').toString())) {
            return;
        }
        if (taken.size() == 1) {
            warnMalformed(taken.get(0));
            return;
        }
        for (Pending p : taken) {
            if (!page.take("[" + p.json() + "]")) {
                warnMalformed(p);
            }
        }
    }

    private void warnMalformed(Pending p) {
        log.warn("malformed-payload", "[" + ErrorCode.SERIALIZATION.code() + "] Window " + windowId
                + ": dropped a message on channel '" + RateLimitedLog.clean(p.channel())
                + "': its payload is not valid JSON");
    }
}
