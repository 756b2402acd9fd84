package dev.kiln.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link RendererLink} of one window: checks what its page sends and publishes it as events.
 *
 * <p>Threading: callable from any thread, never blocking. A small batch (up to
 * {@value #INLINE_LIMIT} characters) is decoded and published on the calling thread when nothing of
 * this window is waiting on the dispatch thread and no other thread is publishing for it: that saves
 * a thread hand-off on every round trip. Anything else (large batches, system events, a busy window)
 * is posted to the dispatch thread. Either way one window's input is published in the order it was
 * received, one batch at a time: {@link #publishing} is held while a batch is published, and the
 * calling thread only ever tries it, so a UI thread never waits for it.
 */
final class AttachedWindow implements RendererLink {

    private final Ipc ipc;
    private final Outbox outbox;
    private final WindowCalls calls;
    private final WindowStreams streams;
    private final Executor dispatch;
    private final AtomicBoolean detached = new AtomicBoolean();

    static final int INLINE_LIMIT = 16 * 1024;
    private final java.util.concurrent.locks.ReentrantLock publishing = new java.util.concurrent.locks.ReentrantLock();
    private final java.util.concurrent.atomic.AtomicInteger posted = new java.util.concurrent.atomic.AtomicInteger();

    AttachedWindow(Ipc ipc, Outbox outbox, WindowCalls calls, WindowStreams streams, Executor dispatch) {
        this.ipc = ipc;
        this.outbox = outbox;
        this.calls = calls;
        this.streams = streams;
        this.dispatch = dispatch;
    }

    Outbox outbox() {
        return outbox;
    }

    WindowCalls calls() {
        return calls;
    }

    WindowStreams streams() {
        return streams;
    }

    @Override
    public String windowId() {
        return outbox.windowId();
    }

    @Override
    public void ready() {
        outbox.ready();
    }

    @Override
    public void loading() {
        long gone = outbox.loading();
        calls.pageGone(gone);
        streams.pageGone(gone);
    }

    @Override
    public void receive(String batchJson) {
        if (detached.get()) {
            return;
        }
        if (batchJson != null && batchJson.length() <= INLINE_LIMIT && posted.get() == 0 && publishing.tryLock()) {
            try {
                if (posted.get() == 0) { // re-checked under the lock: nothing posted may be overtaken
                    decodeAndPublish(batchJson);
                    return;
                }
            } finally {
                publishing.unlock();
            }
        }
        post(() -> decodeAndPublish(batchJson));
    }

    /** Runs the task on the dispatch thread, behind this window's earlier input. */
    private void post(Runnable task) {
        posted.incrementAndGet();
        try {
            dispatch.execute(() -> {
                publishing.lock(); // only ever waits for a calling thread that publishes one small batch
                try {
                    task.run();
                } finally {
                    publishing.unlock();
                    posted.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            posted.decrementAndGet(); // the runtime has shut down: late input has nobody to go to
        }
    }

    @Override
    public void systemEvent(EventType type, JsonNode payload) {
        IpcEvent event = IpcEvent.system(windowId(), type, payload);
        IpcTap tap = ipc.tap();
        if (tap.on()) {
            tap.message(IpcTrace.Stage.SYSTEM, IpcTrace.Direction.FROM_WINDOW, windowId(), null, type.wireName(),
                    event.payloadJson(), null);
        }
        post(() -> ipc.publish(event));
    }

    @Override
    public void detach() {
        if (detached.compareAndSet(false, true)) {
            ipc.detached(this);
            KilnException gone = KilnException.windowNotFound(windowId());
            outbox.close(gone);
            calls.close(gone);
            streams.close(gone);
        }
    }

    /** Runs holding {@link #publishing}, on the dispatch thread or on a caller's. */
    private void decodeAndPublish(String batchJson) {
        String batchProblem = InboundDecoder.decode(batchJson, decoded -> {
            if (decoded.problem() != null) {
                refuse(null, decoded.code(), "malformed message: " + decoded.problem());
                return;
            }
            if (decoded.kind() != MessageKind.MESSAGE && decoded.kind() != MessageKind.INVOKE
                    && decoded.kind() != MessageKind.STREAM && ipc.tap().on()) {
                received(decoded); // a step of a call or stream: nothing to check
            }
            switch (decoded.kind()) {
                case MESSAGE -> message(decoded);
                case INVOKE, STREAM -> request(decoded);
                case RESULT -> calls.answered(decoded.kind(), decoded.callId(), decoded.payloadJson());
                case ITEM, END -> streams.produced(decoded.kind(), decoded.callId(), decoded.payloadJson());
                case ERROR -> {
                    if (!streams.produced(decoded.kind(), decoded.callId(), decoded.payloadJson())) {
                        calls.answered(decoded.kind(), decoded.callId(), decoded.payloadJson());
                    }
                }
                case CREDIT -> streams.credited(decoded.callId(), decoded.credit());
                case CANCEL -> {
                    if (!streams.cancelledByPage(decoded.callId(), decoded.payloadJson())) {
                        calls.cancelledByPage(decoded.callId(), decoded.payloadJson());
                    }
                }
            }
        });
        if (batchProblem != null) {
            refuse(null, ErrorCode.CHANNEL_RECV, "malformed batch: " + batchProblem);
        }
    }

    private void message(InboundDecoder.Decoded m) {
        KilnException refused = check(m);
        if (ipc.tap().on()) {
            received(m, refused);
        }
        if (refused == null) {
            ipc.publish(IpcEvent.message(windowId(), m.channel(), m.payloadJson() == null ? "null" : m.payloadJson()));
        } else if (refused.code() == ErrorCode.PERMISSION_DENIED && !isReserved(m.channel())) {
            ipc.countDenied();
            ipc.warnings().warn(ErrorCode.PERMISSION_DENIED.code() + " denied channel", "["
                    + ErrorCode.PERMISSION_DENIED.code() + "] Dropped a message from window " + windowId()
                    + " on denied channel '" + m.channel() + "'");
        } else {
            refuse(m, refused.code(), refused.detail());
        }
    }

    private void received(InboundDecoder.Decoded m) {
        ipc.tap().message(IpcTrace.Stage.RECEIVED, IpcTrace.Direction.FROM_WINDOW, windowId(), m.kind(), m.channel(),
                m.payloadJson(), m.callId());
    }

    /** Reports a checked message or request: received, or refused and why. */
    private void received(InboundDecoder.Decoded m, KilnException refused) {
        if (refused == null) {
            received(m);
        } else {
            ipc.tap().refused(IpcTrace.Direction.FROM_WINDOW, windowId(), m.kind(), m.channel(), m.payloadJson(),
                    m.callId(), refused.code(), refused.detail());
        }
    }

    /** A call or stream request is refused the same way as a message, but its caller is told why. */
    private void request(InboundDecoder.Decoded r) {
        KilnException refused = check(r);
        boolean call = r.kind() == MessageKind.INVOKE;
        if (ipc.tap().on()) {
            received(r, refused);
        }
        if (refused != null) {
            if (refused.code() == ErrorCode.PERMISSION_DENIED) {
                ipc.countDenied();
                ipc.warnings().warn(ErrorCode.PERMISSION_DENIED.code() + " denied request", "[" + ErrorCode.PERMISSION_DENIED.code()
                        + "] Refused a " + (call ? "call" : "stream") + " from window " + windowId() + ": " + refused.detail());
            } else {
                refuse(r, refused.code(), refused.detail());
            }
            if (call) {
                calls.refuse(r.channel(), r.callId(), refused);
            } else {
                streams.refuse(r.channel(), r.callId(), refused);
            }
        } else if (call) {
            calls.invoked(r.channel(), r.callId(), r.payloadJson(), r.deadline());
        } else {
            streams.opened(r.channel(), r.callId(), r.payloadJson(), r.credit());
        }
    }

    /** Why a message or call from the page may not go on, or {@code null}. */
    private KilnException check(InboundDecoder.Decoded m) {
        if (isReserved(m.channel())) {
            return new KilnException(ErrorCode.PERMISSION_DENIED, "channel '" + m.channel()
                    + "' is reserved for window system events");
        }
        if (!ipc.config().policy().permits(m.channel(), outbox.windowChannels())) {
            return new KilnException(ErrorCode.PERMISSION_DENIED, "Channel '" + m.channel()
                    + "' is not allowed for window " + windowId());
        }
        long maxBytes = ipc.config().maxPayloadBytes();
        long size = m.payloadJson() == null ? 0 : PayloadCodec.utf8Length(m.payloadJson(), maxBytes);
        if (size > maxBytes) {
            return new KilnException(ErrorCode.SERIALIZATION, "payload on channel '" + m.channel() + "' is "
                    + size + " bytes; the limit is " + maxBytes + " bytes");
        }
        return null;
    }

    private static boolean isReserved(String channel) {
        return EventType.fromWireName(channel) != null;
    }

    /**
     * Counts, logs and (for malformed input, which no check reported yet) observes refused input;
     * {@code m} is the message when it was readable, else {@code null}.
     */
    private void refuse(InboundDecoder.Decoded m, ErrorCode code, String why) {
        if (m == null && ipc.tap().on()) {
            ipc.tap().refused(IpcTrace.Direction.FROM_WINDOW, windowId(), null, null, null, null, code, why);
        }
        ipc.countMalformed();
        ipc.warnings().warn(code.code() + " refused input", "[" + code.code() + "] Dropped input from window "
                + windowId() + ": " + why);
    }
}
