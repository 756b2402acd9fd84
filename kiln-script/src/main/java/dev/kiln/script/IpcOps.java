package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.Ipc;
import dev.kiln.ipc.JsonText;
import dev.kiln.ipc.KilnException;
import dev.kiln.ipc.Subscription;
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
 * JSON text of the spec's {@code IpcEvent}.
 *
 * <p>Threading: called by V8 on the loop thread only; the engine calls back on the loop as well.
 */
final class IpcOps {
    static final int ALL = 0;
    static final int WINDOW = 1;
    static final int CHANNEL = 2;
    static final int OWN_WINDOW = 3;

    private final ScriptRuntime runtime;
    private final Ipc ipc;
    private final WindowSystem windows;
    private final WindowOps windowOps;
    private final Map<Integer, EventStream> streams = new HashMap<>();
    private final Map<Integer, Subscription> subscriptions = new HashMap<>();
    private int nextStreamId = 1;

    IpcOps(ScriptRuntime runtime, WindowSystem windows, WindowOps windowOps) {
        this.runtime = runtime;
        this.windows = windows;
        this.windowOps = windowOps;
        this.ipc = windows.ipc();
    }

    @V8Function
    public void ipcSend(int promiseId, String windowId, String channel, String payloadJson) {
        runtime.settleLater(promiseId, ipc.sendToWindow(windowId, channel, payload(payloadJson)), v -> null, false);
    }

    @V8Function
    public void ipcBroadcast(int promiseId, String windowIdsJson, String channel, String payloadJson) {
        List<String> ids = new ArrayList<>();
        Json.read(windowIdsJson).forEach(n -> ids.add(n.asText()));
        runtime.settleLater(promiseId, ipc.broadcast(ids, channel, payload(payloadJson)), v -> null, false);
    }

    @V8Function
    public int streamOpen(int kind, String arg) {
        EventStream stream = switch (kind) {
            case ALL -> ipc.windowEvents();
            case WINDOW -> ipc.windowEventsFor(arg);
            case CHANNEL -> ipc.channelEvents(arg);
            case OWN_WINDOW -> ownEvents(arg);
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
        throw new KilnException(ErrorCode.WINDOW_NOT_FOUND, "Window not found: " + windowId);
    }

    @V8Function
    public void streamNext(int streamId, int promiseId) {
        EventStream stream = streams.get(streamId);
        CompletableFuture<dev.kiln.ipc.IpcEvent> next = stream == null
                ? CompletableFuture.completedFuture(null) : stream.nextAsync();
        runtime.settleLater(promiseId, next, e -> e == null ? "null" : Json.event(e), true);
    }

    @V8Function
    public void streamClose(int streamId) {
        EventStream stream = streams.remove(streamId);
        if (stream != null) {
            stream.close();
        }
    }

    @V8Function
    public void subscribe(int subscriptionId, int kind, String channel) {
        Subscription s = kind == CHANNEL
                ? ipc.onChannel(channel, (payload, windowId) ->
                        runtime.deliverChannel(subscriptionId, windowId, payload.toString()))
                : ipc.onEvent(e -> runtime.deliverEvent(subscriptionId, Json.event(e)));
        subscriptions.put(subscriptionId, s);
    }

    @V8Function
    public void unsubscribe(int subscriptionId) {
        Subscription s = subscriptions.remove(subscriptionId);
        if (s != null) {
            s.unsubscribe();
        }
    }

    @V8Function
    public void recv(int promiseId) {
        runtime.settleLater(promiseId, ipc.recvWindowEvent(), e -> e == null ? "null" : Json.event(e), true);
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

    private static Object payload(String json) {
        return json == null ? null : new JsonText(json);
    }
}
