package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.values.reference.V8ValueArrayBuffer;
import com.caoccao.javet.values.reference.V8ValueTypedArray;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.Ipc;
import dev.kiln.ipc.IpcEvent;
import dev.kiln.ipc.JsonText;
import dev.kiln.ipc.KilnException;
import dev.kiln.ipc.Subscription;
import dev.kiln.ipc.UploadedBinaries;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The runtime:ipc operations the bootstrap JavaScript calls, each a thin step onto the engine.
 *
 * <p>Payloads arrive already serialized by {@code JSON.stringify} in V8 (after the 7003 check there)
 * and go to the engine as {@link JsonText}, so they are not encoded twice. Events go back to V8 as
 * JSON text of the spec's {@code IpcEvent}. Per-message crossings are what limit the script host's
 * throughput, so the busy paths cross in batches: a turn's sends in one call, their outcomes in one
 * call back ({@link JavaPromises#settleSendLater}), callback events gathered per loop task, and
 * a stream's waiting events taken together.
 *
 * <p>Threading: called by V8 on the loop thread only; the engine calls back on the loop as well.
 */
final class IpcOps {
    private static final int STREAM_BATCH = 256;

    private final JavaPromises promises;
    private final InboundDelivery inbound;
    private final Ipc ipc;
    private final WindowSystem windows;
    private final WindowOps windowOps;
    private final Map<Integer, EventStream> streams = new HashMap<>();
    private final Map<Integer, Subscription> subscriptions = new HashMap<>();
    private int nextStreamId = 1;

    IpcOps(JavaPromises promises, InboundDelivery inbound, WindowSystem windows, WindowOps windowOps) {
        this.promises = promises;
        this.inbound = inbound;
        this.windows = windows;
        this.windowOps = windowOps;
        this.ipc = windows.ipc();
    }

    /**
     * The sends and broadcasts the script made in one turn, in order, as one call.
     *
     * @param headsJson a flat JSON array of four values per send: the promise id, the window id (a
     *                  string or null) or for a broadcast an array of window ids, the channel (a
     *                  string or null), and the length of its payload's JSON text (-1 for none)
     * @param payloads  the payloads' JSON texts one after the other, already checked by
     *                  {@code JSON.stringify} in V8
     */
    @V8Function(name = ScriptProtocol.OP_SEND_BATCH)
    public void ipcSendBatch(String headsJson, String payloads) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(headsJson)) {
            expect(p.nextToken(), JsonToken.START_ARRAY);
            int offset = 0;
            while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
                int promiseId = p.getIntValue();
                String windowId = null;
                List<String> windowIds = null;
                if (p.nextToken() == JsonToken.START_ARRAY) {
                    windowIds = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        windowIds.add(p.getValueAsString());
                    }
                } else {
                    windowId = p.getValueAsString();
                }
                p.nextToken();
                String channel = p.getValueAsString();
                expect(p.nextToken(), JsonToken.VALUE_NUMBER_INT);
                int length = p.getIntValue();
                Object payload = null;
                if (length >= 0) {
                    payload = new JsonText(payloads.substring(offset, offset + length));
                    offset += length;
                }
                CompletableFuture<Void> sent;
                boolean accepted = false;
                try {
                    sent = windowIds == null ? ipc.sendToWindow(windowId, channel, payload)
                            : ipc.broadcast(windowIds, channel, payload);
                    accepted = !sent.isCompletedExceptionally(); // else refused at once, not cut short later
                } catch (RuntimeException e) { // one bad send must not take the rest of the batch down
                    sent = CompletableFuture.failedFuture(e);
                }
                promises.settleSendLater(promiseId, sent, accepted ? channel : null,
                        windowIds == null ? windowId : windowIds);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Bad send batch from the bootstrap: " + e.getMessage(), e);
        }
    }

    /**
     * Takes a copy of a large binary the script sends (a view of its bytes), outside the JSON text; its
     * payload names it by the returned token and the engine sends it as an attachment (UploadedBinaries).
     */
    @V8Function(name = ScriptProtocol.OP_STASH_BINARY)
    public String stashBinary(V8ValueTypedArray view) throws JavetException {
        int offset = view.getByteOffset();
        int length = view.getByteLength();
        byte[] bytes = new byte[length];
        try (V8ValueArrayBuffer buffer = view.getBuffer()) {
            buffer.getByteBuffer().duplicate().position(offset).limit(offset + length).slice().get(bytes);
        }
        return UploadedBinaries.put(bytes);
    }

    /**
     * Fills the script's new buffer with the bytes a page uploaded under the token (its payload's
     * marker gave their size).
     *
     * @throws KilnException 7001 if there are none, or not that many
     */
    @V8Function(name = ScriptProtocol.OP_TAKE_BINARY)
    public void takeBinary(String token, V8ValueArrayBuffer into) throws JavetException {
        byte[] bytes = UploadedBinaries.take(token);
        java.nio.ByteBuffer target = into.getByteBuffer().duplicate();
        if (target.remaining() != bytes.length) {
            throw new KilnException(ErrorCode.CHANNEL_RECV, "An uploaded binary has " + bytes.length
                    + " bytes, its marker said " + target.remaining());
        }
        target.put(bytes);
    }

    private static void expect(JsonToken actual, JsonToken expected) throws JsonParseException {
        if (actual != expected) {
            throw new JsonParseException(null, "expected " + expected + ", got " + actual);
        }
    }

    @V8Function(name = ScriptProtocol.OP_STREAM_OPEN)
    public int streamOpen(int kind, String arg) {
        EventStream stream = switch (kind) {
            case ScriptProtocol.STREAM_ALL -> ipc.windowEvents();
            case ScriptProtocol.STREAM_WINDOW -> ipc.windowEventsFor(arg);
            case ScriptProtocol.STREAM_CHANNEL -> ipc.channelEvents(arg);
            case ScriptProtocol.STREAM_OWN_WINDOW -> ownEvents(arg);
            default -> throw new IllegalArgumentException("Unknown stream kind " + kind);
        };
        int id = nextStreamId++;
        streams.put(id, stream);
        return id;
    }

    /** A window's own events; for a window of this script that has closed, a stream that has ended. */
    private EventStream ownEvents(String windowId) {
        var w = windows.window(windowId);
        if (w.isPresent()) {
            return w.get().events();
        }
        if (windowOps.isClosed(windowId)) {
            EventStream ended = ipc.windowEventsFor(windowId);
            ended.close();
            return ended;
        }
        throw KilnException.windowNotFound(windowId);
    }

    /**
     * Settles promise {@code promiseId} with the stream's next events as JSON text of an array: the
     * next one (waiting for it if need be) and those already waiting behind it, up to
     * {@value #STREAM_BATCH}; or with null once the stream has ended. Taking what is there in one
     * call makes a for-await over a busy stream cheap; taking it in a loop task (one per batch) lets
     * callbacks and other streams have their turn in between.
     */
    @V8Function(name = ScriptProtocol.OP_STREAM_NEXT)
    public void streamNext(int streamId, int promiseId) {
        EventStream stream = streams.get(streamId);
        CompletableFuture<IpcEvent> next = stream == null
                ? CompletableFuture.completedFuture(null) : stream.nextAsync();
        promises.settleLater(promiseId, next, e -> e == null ? "null" : batch(e, stream), true);
    }

    private static String batch(IpcEvent first, EventStream stream) {
        StringBuilder sb = Json.appendEvent(new StringBuilder(256).append('['), first);
        try {
            for (int i = 1; i < STREAM_BATCH; i++) {
                IpcEvent e = stream.poll(Duration.ZERO); // never waits; the lock is only held briefly
                if (e == null) {
                    break;
                }
                Json.appendEvent(sb.append(','), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return sb.append(']').toString();
    }

    @V8Function(name = ScriptProtocol.OP_STREAM_CLOSE)
    public void streamClose(int streamId) {
        EventStream stream = streams.remove(streamId);
        if (stream != null) {
            stream.close();
        }
    }

    @V8Function(name = ScriptProtocol.OP_SUBSCRIBE)
    public void subscribe(int subscriptionId, int kind, String channel) {
        Subscription s = kind == ScriptProtocol.STREAM_CHANNEL
                ? ipc.onChannelEvent(channel, e -> inbound.channel(subscriptionId, e.windowId(), e.payloadJson()))
                : ipc.onEvent(e -> inbound.event(subscriptionId, e));
        subscriptions.put(subscriptionId, s);
    }

    @V8Function(name = ScriptProtocol.OP_UNSUBSCRIBE)
    public void unsubscribe(int subscriptionId) {
        Subscription s = subscriptions.remove(subscriptionId);
        if (s != null) {
            s.unsubscribe();
        }
    }

    @V8Function(name = ScriptProtocol.OP_RECV)
    public void recv(int promiseId) {
        promises.settleLater(promiseId, ipc.recvWindowEvent(), e -> e == null ? "null" : Json.event(e), true);
    }

    /** How many streams and callbacks are open; for leak tests. */
    int openCount() {
        return streams.size() + subscriptions.size();
    }

    void closeAll() {
        streams.values().forEach(EventStream::close);
        subscriptions.values().forEach(Subscription::unsubscribe);
        streams.clear();
        subscriptions.clear();
    }

}
