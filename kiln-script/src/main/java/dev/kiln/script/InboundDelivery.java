package dev.kiln.script;

import dev.kiln.ipc.IpcEvent;
import java.util.function.BooleanSupplier;

/**
 * Hands the engine's events to the script's callbacks ({@code onEvent}, {@code onChannel}). The
 * events handed over during one loop task (the engine's callback deliveries run a few hundred at a
 * time) cross into V8 together, in order, at the end of that task ({@link #endOfTask}).
 *
 * <p>Threading: loop thread only. Deliveries that arrive on another thread (after the loop has
 * ended, the engine's last callbacks run elsewhere) are skipped.
 */
final class InboundDelivery {
    private final EventLoop loop;
    private final ScriptCallbacks callbacks;
    private final BooleanSupplier inTask;
    private final InboundEvents inbound = new InboundEvents();
    private volatile boolean closed;

    /** @param inTask whether the loop is running a task now, at whose end the batch will cross */
    InboundDelivery(EventLoop loop, ScriptCallbacks callbacks, BooleanSupplier inTask) {
        this.loop = loop;
        this.callbacks = callbacks;
        this.inTask = inTask;
    }

    /** Hands an event to callback {@code subscriptionId}. */
    void event(int subscriptionId, IpcEvent event) {
        if (closed || !loop.isLoopThread()) {
            return;
        }
        scheduleIfOutsideTask();
        inbound.event(subscriptionId, event);
    }

    /** Hands a channel message to callback {@code subscriptionId}. */
    void channel(int subscriptionId, String windowId, String payloadJson) {
        if (closed || !loop.isLoopThread()) {
            return;
        }
        scheduleIfOutsideTask();
        inbound.channel(subscriptionId, windowId, payloadJson);
    }

    private void scheduleIfOutsideTask() {
        if (inbound.size() == 0 && !inTask.getAsBoolean()) { // not expected: the engine hands events over in loop tasks
            loop.execute(this::endOfTask);
        }
    }

    /** Delivers what gathered; called at the end of each loop task, so callbacks run before what was queued after it. */
    void endOfTask() {
        if (closed || !loop.isLoopThread() || inbound.size() == 0) {
            return;
        }
        callbacks.events(inbound.drain());
    }

    void close() {
        closed = true;
    }
}
