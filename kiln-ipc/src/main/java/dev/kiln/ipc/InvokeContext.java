package dev.kiln.ipc;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a call's handler knows about the call: which window made it, until when it is wanted, and
 * whether the caller still waits.
 *
 * <p>The call is cancelled when its caller cancels it, when its deadline passes, when the calling
 * page goes away (reload, navigation, close) and when the runtime shuts down; whatever the handler
 * answers after that is dropped. A handler that works for long should watch {@link #cancellation()}
 * and stop.
 *
 * <p>Threading: thread-safe; the cancellation stage completes on the thread that cancelled.
 */
public final class InvokeContext {
    private final String windowId;
    private final long deadline;
    private final CompletableFuture<KilnException> cancelled = new CompletableFuture<>();

    InvokeContext(String windowId, long deadline) {
        this.windowId = windowId;
        this.deadline = deadline;
    }

    /** The calling window, as Kiln knows it (never taken from the payload). */
    public String windowId() {
        return windowId;
    }

    /** When the caller stops waiting, if it gave a timeout. */
    public Optional<Instant> deadline() {
        return deadline > 0 ? Optional.of(Instant.ofEpochMilli(deadline)) : Optional.empty();
    }

    /** Whether the caller no longer waits for the answer. */
    public boolean isCancelled() {
        return cancelled.isDone();
    }

    /**
     * Completes with why the call was cancelled: {@link ErrorCode#CANCELLED},
     * {@link ErrorCode#TIMEOUT}, {@link ErrorCode#WINDOW_NOT_FOUND} when the calling page went away,
     * or {@link ErrorCode#CHANNEL_SEND} when the runtime shut down.
     */
    public CompletionStage<KilnException> cancellation() {
        return cancelled.minimalCompletionStage();
    }

    /** Cancels the call; false if it already was. */
    boolean cancel(KilnException reason) {
        return cancelled.complete(reason);
    }
}
