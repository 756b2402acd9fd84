package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.InvokeContext;
import dev.kiln.ipc.Ipc;
import dev.kiln.ipc.IpcError;
import dev.kiln.ipc.JsonText;
import dev.kiln.ipc.KilnException;
import dev.kiln.ipc.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The runtime:ipc call operations (handle, invokeWindow) the bootstrap's {@code 06-ipc-calls.js}
 * calls, each a step onto the engine's calls. Payloads and results cross as JSON text
 * ({@link JsonText}), so the engine never parses what V8 serialized.
 *
 * <p>A page's call runs the script's handler on the loop ({@code hostCall}, keyed by a number of this
 * class), and the engine waits for the future this class completes when the script answers
 * ({@link #answer}). The engine's cancellation of the call aborts the handler's signal
 * ({@code abortCall}). An {@code invokeWindow} call keeps the app alive until it settles, as a send does.
 *
 * <p>Threading: loop thread only. The engine runs handlers on its callback executor, which for the
 * script host is the loop; completions are posted to the loop.
 */
final class CallOps {
    private final Ipc ipc;
    private final EventLoop loop;
    private final ExitPolicy exit;
    private final ScriptCallbacks callbacks;
    private final Map<Integer, Subscription> registrations = new HashMap<>();
    private final Map<Integer, CompletableFuture<Object>> answers = new HashMap<>(); // handler runs the engine waits for
    private final Map<Integer, CompletableFuture<JsonText>> calls = new HashMap<>(); // invokeWindow calls, by promise id
    private int nextRegistration = 1;
    private int nextKey = 1;
    private boolean closed;

    CallOps(Ipc ipc, EventLoop loop, ExitPolicy exit, ScriptCallbacks callbacks) {
        this.ipc = ipc;
        this.loop = loop;
        this.exit = exit;
        this.callbacks = callbacks;
    }

    /** Registers the script's handler for a channel; the returned id removes it ({@link #unhandle}). */
    @V8Function(name = ScriptProtocol.OP_HANDLE)
    public int handle(String channel) {
        Subscription s = ipc.handle(channel, JsonText.class, (payload, context) -> started(channel, payload, context));
        int id = nextRegistration++;
        registrations.put(id, s);
        return id;
    }

    @V8Function(name = ScriptProtocol.OP_UNHANDLE)
    public void unhandle(int registration) {
        Subscription s = registrations.remove(registration);
        if (s != null) {
            s.unsubscribe();
        }
    }

    /** The engine hands over a page's call (on the loop, its callback executor). */
    private CompletionStage<?> started(String channel, JsonText payload, InvokeContext context) {
        CompletableFuture<Object> answer = new CompletableFuture<>();
        if (!loop.isLoopThread()) { // not expected: the loop is the engine's callback executor
            loop.execute(() -> run(channel, payload, context, answer));
        } else {
            run(channel, payload, context, answer);
        }
        return answer;
    }

    private void run(String channel, JsonText payload, InvokeContext context, CompletableFuture<Object> answer) {
        if (closed || context.isCancelled()) {
            return;
        }
        int key = nextKey++;
        answers.put(key, answer);
        context.cancellation().thenAccept(reason -> loop.execute(() -> {
            if (answers.remove(key) != null && !closed) {
                callbacks.abortCall(key, reason.code().code(), reason.getMessage());
            }
        }));
        callbacks.hostCall(key, channel, payload == null ? null : payload.json(), context.windowId(),
                context.deadline().map(Instant::toEpochMilli).orElse(0L));
    }

    /**
     * The script's handler answered call {@code key}: with the result's JSON text ({@code null} for
     * undefined), or with the error's {@code {code, message, data}}.
     */
    @V8Function(name = ScriptProtocol.OP_ANSWER)
    public void answer(int key, boolean ok, String json) {
        CompletableFuture<Object> answer = answers.remove(key);
        if (answer == null) {
            return; // cancelled meanwhile
        }
        if (ok) {
            answer.complete(json == null ? null : new JsonText(json));
        } else {
            answer.completeExceptionally(ErrorJson.read(json));
        }
    }

    /**
     * Calls a page's handler for promise {@code promiseId}; {@link #cancelCall} with the same id
     * cancels it.
     *
     * @param payloadJson the payload's JSON text, or null for none (undefined)
     * @param timeoutMillis 0 for no timeout
     */
    @V8Function(name = ScriptProtocol.OP_INVOKE)
    public void invoke(int promiseId, String windowId, String channel, String payloadJson, double timeoutMillis) {
        CompletableFuture<JsonText> call = ipc.invokeWindow(windowId, channel,
                payloadJson == null ? null : new JsonText(payloadJson),
                timeoutMillis > 0 ? Duration.ofMillis((long) timeoutMillis) : null, JsonText.class);
        calls.put(promiseId, call);
        boolean accepted = !call.isCompletedExceptionally(); // else refused at once, not cut short later
        exit.opStarted(false);
        call.whenComplete((result, failure) -> loop.execute(() -> {
            calls.remove(promiseId);
            if (closed) {
                return;
            }
            exit.opsEnded(false, 1);
            if (failure == null) {
                callbacks.settleCall(promiseId, true, result == null ? null : result.json());
            } else {
                callbacks.settleCall(promiseId, false, ErrorJson.write(accepted
                        ? ErrorJson.cutShort(failure, "the call on channel '" + channel + "'" + ScriptProtocol.UNANSWERED_SUFFIX) : failure));
            }
        }));
    }

    @V8Function(name = ScriptProtocol.OP_CANCEL_CALL)
    public void cancelCall(int promiseId) {
        CompletableFuture<JsonText> call = calls.get(promiseId);
        if (call != null) {
            call.cancel(true); // the engine tells the page; the script already rejected the promise
        }
    }

    /** How many calls and handlers are open; for leak tests. */
    int openCount() {
        return registrations.size() + answers.size() + calls.size();
    }

    void closeAll() {
        closed = true;
        registrations.values().forEach(Subscription::unsubscribe);
        calls.values().forEach(c -> c.cancel(true));
        registrations.clear();
        answers.clear();
        calls.clear();
    }
}
