package dev.kiln.script;

import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Settles the script's promises when the Java operations behind them complete.
 *
 * <p>Crossing into V8 is the costly part of each message, so the outcomes of sends that complete
 * together ({@link SendResults}) gather during a loop task and are settled with one call, in a task
 * posted when the first one arrives. Other operations settle one by one.
 *
 * <p>Threading: loop thread only, except the futures' completions, which post to the loop (the
 * engine completes sends on the loop already, as its callback executor).
 */
final class JavaPromises {
    private final EventLoop loop;
    private final ExitPolicy exit;
    private final ScriptCallbacks callbacks;
    private final SendResults sendResults = new SendResults();
    private volatile boolean closed; // once set, nothing may touch V8 (completions may come after the loop)

    JavaPromises(EventLoop loop, ExitPolicy exit, ScriptCallbacks callbacks) {
        this.loop = loop;
        this.exit = exit;
        this.callbacks = callbacks;
    }

    /**
     * Settles promise {@code promiseId} when {@code future} completes: with its JSON text, or with an
     * Error carrying the Kiln code. A weak operation (waiting for an event) keeps the app alive only
     * while windows are open; see {@link ExitPolicy}.
     */
    <T> void settleLater(int promiseId, CompletableFuture<T> future, Function<T, String> toJson, boolean weak) {
        exit.opStarted(weak);
        future.whenComplete((value, error) -> loop.execute(() -> {
            if (closed) {
                return;
            }
            exit.opsEnded(weak, 1);
            if (error != null) {
                Rejection r = Rejection.of(error);
                callbacks.settle(promiseId, r.code(), r.text());
                return;
            }
            String json;
            try {
                json = toJson.apply(value);
            } catch (RuntimeException e) {
                Rejection r = Rejection.of(e);
                callbacks.settle(promiseId, r.code(), r.text());
                return;
            }
            callbacks.settle(promiseId, 0, json);
        }));
    }

    /**
     * Settles the promise of send {@code promiseId} when {@code sent} completes, batched with the
     * other sends that complete in the same loop task. The send keeps the app alive until then.
     *
     * @param channel the send's channel once the engine has accepted it, else null
     * @param target  its window id, or list of ids for a broadcast; with the channel, they name the
     *                message in a failure that the app's end cut short
     */
    void settleSendLater(int promiseId, CompletableFuture<Void> sent, String channel, Object target) {
        exit.opStarted(false);
        sent.whenComplete((v, error) -> sendCompleted(promiseId, error, channel, target));
    }

    private void sendCompleted(int promiseId, Throwable error, String channel, Object target) {
        if (!loop.isLoopThread()) { // not expected while the loop runs: the engine completes sends on it
            if (!loop.isStopped()) {
                loop.execute(() -> sendCompleted(promiseId, error, channel, target));
            }
            return;
        }
        if (closed) {
            return;
        }
        if (sendResults.size() == 0) {
            loop.execute(this::settleSends);
        }
        if (error == null) {
            sendResults.succeeded(promiseId);
        } else {
            sendResults.failed(promiseId, cutShort(error, channel, target));
        }
    }

    /**
     * A send that the engine had accepted and that failed because its window closed or the runtime
     * shut down says which message was lost, since its stack cannot point at the app's line.
     */
    private static Throwable cutShort(Throwable error, String channel, Object target) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof KilnException k && !(cause instanceof dev.kiln.ipc.BroadcastException) && channel != null
                && (k.code() == ErrorCode.WINDOW_NOT_FOUND || k.getMessage().equals(ScriptProtocol.SHUT_DOWN_MESSAGE))) {
            String message = k.getMessage().substring(k.getMessage().indexOf(']') + 2);
            String windows = target instanceof java.util.List<?> ids
                    ? "windows " + String.join(", ", ids.stream().map(String::valueOf).toList()) : "window " + target;
            return new KilnException(k.code(), message + ": '" + channel + "' for " + windows + ScriptProtocol.CUT_SHORT_SUFFIX, k);
        }
        return error;
    }

    private void settleSends() {
        if (closed || !loop.isLoopThread() || sendResults.size() == 0) {
            return;
        }
        exit.opsEnded(false, sendResults.size());
        callbacks.settleSends(sendResults.drain());
    }

    /** From now on completions are ignored: V8 is closing. */
    void close() {
        closed = true;
    }
}
