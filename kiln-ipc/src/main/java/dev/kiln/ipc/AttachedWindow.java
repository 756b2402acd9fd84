package dev.kiln.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link RendererLink} of one window: checks what its page sends and publishes it as events.
 *
 * <p>Threading: callable from any thread; inbound work is posted to the dispatch thread, which
 * is the only thread that decodes and publishes. Posting from one thread keeps its order.
 */
final class AttachedWindow implements RendererLink {
    private static final System.Logger LOG = System.getLogger("dev.kiln.ipc");

    private final Ipc ipc;
    private final Outbox outbox;
    private final Executor dispatch;
    private final AtomicBoolean detached = new AtomicBoolean();

    AttachedWindow(Ipc ipc, Outbox outbox, Executor dispatch) {
        this.ipc = ipc;
        this.outbox = outbox;
        this.dispatch = dispatch;
    }

    Outbox outbox() {
        return outbox;
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
        outbox.loading();
    }

    @Override
    public void receive(String batchJson) {
        if (detached.get()) {
            return;
        }
        dispatch.execute(() -> decodeAndPublish(batchJson));
    }

    @Override
    public void systemEvent(EventType type, JsonNode payload) {
        IpcEvent event = IpcEvent.system(windowId(), type, payload);
        dispatch.execute(() -> ipc.publish(event));
    }

    @Override
    public void detach() {
        if (detached.compareAndSet(false, true)) {
            ipc.detached(this);
            outbox.close(KilnException.windowNotFound(windowId()));
        }
    }

    /** Runs on the dispatch thread. */
    private void decodeAndPublish(String batchJson) {
        String batchProblem = InboundDecoder.decode(batchJson, decoded -> {
            if (decoded.problem() != null) {
                refuse(ErrorCode.CHANNEL_RECV, "malformed message: " + decoded.problem());
            } else if (EventType.fromWireName(decoded.channel()) != null) {
                refuse(ErrorCode.PERMISSION_DENIED, "channel '" + decoded.channel()
                        + "' is reserved for window system events");
            } else if (!ipc.config().policy().permits(decoded.channel(), outbox.windowChannels())) {
                ipc.countDenied();
                LOG.log(System.Logger.Level.WARNING, "[" + ErrorCode.PERMISSION_DENIED.code()
                        + "] Dropped a message from window " + windowId() + " on denied channel '"
                        + decoded.channel() + "'");
            } else if (decoded.payloadJson().length() > ipc.config().maxPayloadBytes()) {
                refuse(ErrorCode.SERIALIZATION, "payload on channel '" + decoded.channel() + "' is "
                        + decoded.payloadJson().length() + " characters; the limit is "
                        + ipc.config().maxPayloadBytes());
            } else {
                ipc.publish(IpcEvent.message(windowId(), decoded.channel(), decoded.payload(), decoded.payloadJson()));
            }
        });
        if (batchProblem != null) {
            refuse(ErrorCode.CHANNEL_RECV, "malformed batch: " + batchProblem);
        }
    }

    private void refuse(ErrorCode code, String why) {
        ipc.countMalformed();
        LOG.log(System.Logger.Level.WARNING, "[" + code.code() + "] Dropped input from window " + windowId() + ": " + why);
    }
}
