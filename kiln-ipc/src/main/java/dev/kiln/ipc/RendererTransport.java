package dev.kiln.ipc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Carries batches of messages from the engine to one renderer.
 *
 * <p>Threading: {@link #deliver} is called one batch at a time, in order, on the engine's dispatch
 * thread, or for a lone send on the sending thread itself (that saves a thread hand-off per
 * request). It must not block: hand the batch to the renderer's own thread and return a stage that
 * completes once the renderer has taken it. The stage may complete on any thread; the engine then
 * completes the sends' futures on its own executor, in send order.
 */
@FunctionalInterface
public interface RendererTransport {

    /**
     * What a renderer that takes batches synchronously returns: every message taken. The engine
     * recognizes it and keeps its fast paths (a lone send completes on the sending thread).
     */
    CompletionStage<Receipt> TAKEN = CompletableFuture.completedStage(Receipt.ALL_TAKEN);

    /**
     * Hands an ordered batch to the renderer. The returned stage completes when the renderer has
     * taken the batch: each send's future completes then, or fails with the {@link KilnException}
     * the receipt names for it. A stage that fails, or a call that throws, fails every send in the
     * batch (with that {@link KilnException}, or else with {@link ErrorCode#CHANNEL_SEND}).
     */
    CompletionStage<Receipt> deliver(List<OutboundMessage> batch);

    /**
     * What the renderer did with a batch: the messages it refused, by their index in the batch, and
     * why; it took every other one.
     */
    record Receipt(Map<Integer, KilnException> refused) {
        /** Every message of the batch taken. */
        public static final Receipt ALL_TAKEN = new Receipt(Map.of());

        public Receipt {
            refused = Map.copyOf(refused);
        }
    }
}
