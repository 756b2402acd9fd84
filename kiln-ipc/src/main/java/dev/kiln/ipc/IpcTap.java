package dev.kiln.ipc;

import dev.kiln.ipc.IpcTrace.Direction;
import dev.kiln.ipc.IpcTrace.Stage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The engine's single observation point: every place where a message is sent, delivered, received,
 * refused or dropped, and where a call starts or ends, reports here once.
 *
 * <p>Off (no observer, no flight recording), a hook costs one volatile read: call sites test
 * {@link #on()} before they compute anything for the event, so nothing is allocated. On, each event
 * becomes one {@link IpcTrace} handed to every observer and, while a flight recording runs, to
 * {@link IpcJfr}.
 *
 * <p>Threading: thread-safe; events are reported on the thread where they happen.
 */
final class IpcTap {
    private final CopyOnWriteArrayList<IpcObserver> observers = new CopyOnWriteArrayList<>();
    private volatile IpcObserver[] active; // null while nobody observes: the hot path's only read

    /** Whether anyone wants events now; test it before building one. */
    boolean on() {
        return active != null || IpcJfr.recording;
    }

    Subscription add(IpcObserver observer) {
        java.util.Objects.requireNonNull(observer, "observer");
        observers.add(observer);
        refresh();
        return new Subscription() {
            private volatile boolean active = true;

            @Override
            public void unsubscribe() {
                active = false;
                observers.remove(observer);
                refresh();
            }

            @Override
            public boolean isActive() {
                return active;
            }
        };
    }

    private synchronized void refresh() {
        IpcObserver[] now = observers.toArray(new IpcObserver[0]);
        active = now.length == 0 ? null : now;
    }

    /** A message or call step on its way, or taken, or received; no failure. */
    void message(Stage stage, Direction direction, String windowId, MessageKind kind, String channel,
                 String payloadJson, String callId) {
        emit(new IpcTrace(System.nanoTime(), System.currentTimeMillis(), stage, direction, windowId, kind, channel,
                payloadJson == null ? 0 : payloadJson.length(), IpcTrace.preview(payloadJson), callId, null, null, 0));
    }

    /** A refused message: {@code channel} and {@code kind} may be unknown (malformed input). */
    void refused(Direction direction, String windowId, MessageKind kind, String channel, String payloadJson,
                 String callId, Object code, String reason) {
        emit(new IpcTrace(System.nanoTime(), System.currentTimeMillis(), Stage.REFUSED, direction, windowId, kind,
                channel, payloadJson == null ? 0 : payloadJson.length(), IpcTrace.preview(payloadJson), callId,
                codeText(code), reason, 0));
    }

    /** An accepted event lost on its way to listeners. */
    void dropped(IpcEvent event, String reason) {
        String payload = event == null ? null : event.payloadJson();
        emit(new IpcTrace(System.nanoTime(), System.currentTimeMillis(), Stage.DROPPED,
                event == null ? null : Direction.FROM_WINDOW, event == null ? null : event.windowId(),
                event == null || event.isSystemEvent() ? null : MessageKind.MESSAGE, event == null ? null : event.channel(),
                payload == null ? 0 : payload.length(), IpcTrace.preview(payload), null, "dropped", reason, 0));
    }

    /** A call settled; {@code error} is {@code null} for success. */
    void callEnded(Direction direction, String windowId, String channel, String callId, long startNanos, Throwable error) {
        long now = System.nanoTime();
        Object code = null;
        String reason = null;
        if (error != null) {
            Throwable e = CallErrors.unwrap(error);
            code = e instanceof IpcError ipcError ? ipcError.code() : ErrorCode.HANDLER_FAILED;
            reason = e.getMessage();
        }
        emit(new IpcTrace(now, System.currentTimeMillis(), Stage.CALL_END, direction, windowId, MessageKind.INVOKE,
                channel, 0, null, callId, codeText(code), reason, now - startNanos));
    }

    void emit(IpcTrace event) {
        IpcObserver[] now = active;
        if (now != null) {
            for (IpcObserver o : now) {
                try {
                    o.observe(event);
                } catch (RuntimeException e) {
                    // An observer's bug must not break the traffic it watches.
                    System.getLogger("dev.kiln.ipc").log(System.Logger.Level.WARNING, "An IPC observer failed", e);
                }
            }
        }
        if (IpcJfr.recording) {
            IpcJfr.commit(event);
        }
    }

    static String codeText(Object code) {
        if (code == null) {
            return null;
        }
        return code instanceof ErrorCode c ? String.valueOf(c.code()) : String.valueOf(code);
    }
}
