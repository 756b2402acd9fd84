package dev.kiln.ipc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The host's handlers of one kind (calls, or streams), one per channel, and the requests that
 * arrived before the handler of their channel was registered.
 *
 * <p>A page may call as soon as it loads, before the app got to register its handler (a TypeScript
 * app registers after {@code await createWindow}, say): such a call waits up to
 * {@link #NO_HANDLER_GRACE_MILLIS} for one, then is answered with {@link ErrorCode#NO_HANDLER}.
 *
 * <p>Threading: thread-safe; the lock is held only to look up and change the maps.
 */
final class CallHandlers<H> {
    /** How long a call waits for a handler of its channel to be registered. */
    static final long NO_HANDLER_GRACE_MILLIS = 1_000;

    /** A call's handler as the engine calls it: the payload's JSON text ({@code null} for none). */
    interface Handler {
        CompletionStage<?> handle(String payloadJson, InvokeContext context) throws Exception;
    }

    /** A stream's producer as the engine calls it: the payload's JSON text ({@code null} for none). */
    interface Source {
        java.util.concurrent.Flow.Publisher<?> open(String payloadJson, InvokeContext context) throws Exception;
    }

    /** A request waiting for a handler. */
    interface Waiter<H> {
        void handledBy(H handler);

        void noHandler();
    }

    private final ScheduledExecutorService timer;
    private final String noun; // "handler", "stream producer": for messages
    private final String registration; // the function that registers one: for messages
    // guarded by this
    private final Map<String, H> handlers = new HashMap<>();
    private final Map<String, List<Waiter<H>>> waiting = new HashMap<>();

    CallHandlers(ScheduledExecutorService timer, String noun, String registration) {
        this.timer = timer;
        this.noun = noun;
        this.registration = registration;
    }

    /**
     * Registers the channel's handler and hands it the calls that wait for it.
     *
     * @throws KilnException {@link ErrorCode#CHANNEL_SEND} if the channel has a handler
     */
    Subscription register(String channel, H handler) {
        List<Waiter<H>> waiters;
        synchronized (this) {
            if (handlers.putIfAbsent(channel, handler) != null) {
                throw new KilnException(ErrorCode.CHANNEL_SEND, "Channel '" + channel + "' already has a " + noun
                        + ": remove it (the function " + registration + " returned) before adding another");
            }
            waiters = waiting.remove(channel);
        }
        if (waiters != null) {
            waiters.forEach(w -> w.handledBy(handler));
        }
        return new Subscription() {
            @Override
            public void unsubscribe() {
                synchronized (CallHandlers.this) {
                    handlers.remove(channel, handler);
                }
            }

            @Override
            public boolean isActive() {
                synchronized (CallHandlers.this) {
                    return handlers.get(channel) == handler;
                }
            }
        };
    }

    /** Hands the call to the channel's handler now, or once one is registered within the grace. */
    void dispatch(String channel, Waiter<H> call) {
        H handler;
        synchronized (this) {
            handler = handlers.get(channel);
            if (handler == null) {
                waiting.computeIfAbsent(channel, c -> new ArrayList<>()).add(call);
            }
        }
        if (handler != null) {
            call.handledBy(handler);
            return;
        }
        timer.schedule(() -> {
            boolean expired;
            synchronized (this) {
                List<Waiter<H>> list = waiting.get(channel);
                expired = list != null && list.remove(call);
                if (list != null && list.isEmpty()) {
                    waiting.remove(channel);
                }
            }
            if (expired) {
                call.noHandler();
            }
        }, NO_HANDLER_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Forgets a waiting call (it was cancelled). */
    synchronized void forget(String channel, Waiter<H> call) {
        List<Waiter<H>> list = waiting.get(channel);
        if (list != null && list.remove(call) && list.isEmpty()) {
            waiting.remove(channel);
        }
    }
}
