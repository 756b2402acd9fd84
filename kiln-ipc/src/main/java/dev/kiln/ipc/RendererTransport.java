package dev.kiln.ipc;

import java.util.List;

/**
 * Carries batches of messages from the engine to one renderer.
 *
 * <p>Threading: {@link #deliver} is called one batch at a time, in order, on the engine's dispatch
 * thread, or for a lone send on the sending thread itself (that saves a thread hand-off per
 * request). It must not block: hand the batch to the renderer's own thread and return.
 */
@FunctionalInterface
public interface RendererTransport {

    /**
     * Hands an ordered batch to the renderer. Throwing fails every send in the batch with
     * {@link ErrorCode#CHANNEL_SEND}.
     */
    void deliver(List<OutboundMessage> batch);
}
