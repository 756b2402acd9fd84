package dev.kiln.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A complete renderer without a window: records what the engine delivers and sends page messages
 * in the real wire format. Thread-safe.
 */
final class InMemoryRenderer implements RendererTransport {
    static final ObjectMapper JSON = new ObjectMapper();

    final List<List<OutboundMessage>> batches = new CopyOnWriteArrayList<>();
    final List<Thread> deliveredOn = new CopyOnWriteArrayList<>(); // the thread of each batch
    volatile CountDownLatch gate; // when set, deliver() waits on it: simulates a renderer that is busy
    final RendererLink link;

    InMemoryRenderer(Ipc ipc, String windowId) {
        this(ipc, windowId, null);
    }

    InMemoryRenderer(Ipc ipc, String windowId, List<String> channels) {
        this.link = ipc.attach(windowId, this, channels);
    }

    @Override
    public java.util.concurrent.CompletionStage<Receipt> deliver(List<OutboundMessage> batch) {
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deliveredOn.add(Thread.currentThread());
        batches.add(List.copyOf(batch));
        return TAKEN;
    }

    List<OutboundMessage> messages() {
        List<OutboundMessage> all = new ArrayList<>();
        batches.forEach(all::addAll);
        return all;
    }

    /** What the page's {@code window.runtime.send(channel, payload)} puts on the wire, one upcall. */
    void send(String channel, Object payload) {
        sendBatch(List.<Object[]>of(new Object[] {channel, payload}));
    }

    void sendBatch(List<Object[]> messages) {
        ArrayNode batch = JSON.createArrayNode();
        for (Object[] m : messages) {
            ObjectNode o = batch.addObject();
            o.put(RendererLink.CHANNEL_KEY, (String) m[0]);
            o.set(RendererLink.PAYLOAD_KEY, JSON.valueToTree(m[1]));
        }
        link.receive(batch.toString());
    }

    /** What the page's {@code window.runtime.invoke} puts on the wire; deadline 0 for none. */
    void invoke(String channel, String callId, Object payload, long deadline) {
        ObjectNode o = JSON.createObjectNode();
        o.put(RendererLink.CHANNEL_KEY, channel);
        o.put(RendererLink.KIND_KEY, MessageKind.INVOKE.letter());
        o.put(RendererLink.CALL_KEY, callId);
        if (deadline > 0) {
            o.put(RendererLink.DEADLINE_KEY, deadline);
        }
        o.set(RendererLink.PAYLOAD_KEY, JSON.valueToTree(payload));
        link.receive(JSON.createArrayNode().add(o).toString());
    }

    /** A call step the page sends about a call (answer, cancel); {@code payloadJson} null for none. */
    void step(MessageKind kind, String channel, String callId, String payloadJson) {
        link.receive("[" + new OutboundMessage(kind, channel, payloadJson, callId).wireJson() + "]");
    }

    /** The messages of one kind delivered so far. */
    List<OutboundMessage> ofKind(MessageKind kind) {
        return messages().stream().filter(m -> m.kind() == kind).toList();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
