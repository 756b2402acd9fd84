package dev.kiln.ipc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The calls between the host and one window's page, both ways: the page's calls that host handlers
 * work on, and the host's calls waiting for the page's answer.
 *
 * <p>Ids: the page names its calls (its bridge makes them unique per document), the host names its
 * own; an answer or a cancel is looked up in this window's table only, so no page can touch another
 * window's calls. Every settled call leaves its table at once and its timer is cancelled (the timer
 * executor removes cancelled tasks), so cancelled and timed-out calls leave nothing behind.
 *
 * <p>The page going away (reload, navigation) cancels every handler working for it, and rejects with
 * {@link ErrorCode#WINDOW_NOT_FOUND} the host's calls made while it was shown; calls made while no
 * page is ready wait for the next one, like messages, keeping their deadline.
 *
 * <p>Threading: thread-safe and non-blocking. Steps from the page arrive on the thread that decodes
 * them (the dispatch thread, or a page's UI thread for a small batch), so handlers are started on
 * the callback executor, and callers' futures complete there too, never on a UI thread.
 */
final class WindowCalls {
    private static final AtomicLong NEXT_ID = new AtomicLong();

    private final String windowId;
    private final Outbox outbox;
    private final CallHandlers<CallHandlers.Handler> handlers;
    private final ScheduledExecutorService timer;
    private final Executor callbacks;
    private final IpcConfig config;
    private final WarningLimiter warnings;
    private final IpcTap tap;
    private final Map<String, PageCall> fromPage = new ConcurrentHashMap<>();
    private final Map<String, HostCall<?>> fromHost = new ConcurrentHashMap<>();
    private volatile KilnException closedWith;

    WindowCalls(String windowId, Outbox outbox, CallHandlers<CallHandlers.Handler> handlers, ScheduledExecutorService timer,
                Executor callbacks, IpcConfig config, WarningLimiter warnings, IpcTap tap) {
        this.windowId = windowId;
        this.outbox = outbox;
        this.handlers = handlers;
        this.timer = timer;
        this.callbacks = callbacks;
        this.config = config;
        this.warnings = warnings;
        this.tap = tap;
    }

    // ---- The page calls, a host handler answers ----

    /** A call from the page, already checked against the channel policy. */
    void invoked(String channel, String callId, String payloadJson, long deadline) {
        PageCall call = new PageCall(channel, callId, payloadJson, new InvokeContext(windowId, deadline));
        if (fromPage.putIfAbsent(callId, call) != null) {
            warnings.warn(ErrorCode.CHANNEL_RECV.code() + " duplicate call id", "[" + ErrorCode.CHANNEL_RECV.code()
                    + "] Dropped a call from window " + windowId + " on channel '" + channel
                    + "': its id is already in use by a call in progress");
            return;
        }
        if (closedWith != null) {
            call.cancel(closedWith);
            return;
        }
        if (deadline > 0) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                call.cancel(timedOut(channel));
                return;
            }
            call.timeout = timer.schedule(() -> call.cancel(timedOut(channel)), left, TimeUnit.MILLISECONDS);
        }
        handlers.dispatch(channel, call);
    }

    /** The page gave up a call it made. */
    void cancelledByPage(String callId, String reasonJson) {
        PageCall call = fromPage.get(callId);
        if (call != null) {
            IpcError reason = CallErrors.decode(reasonJson, call.channel);
            call.cancel(reason instanceof KilnException k ? k
                    : new KilnException(ErrorCode.CANCELLED, "The caller cancelled the call on channel '" + call.channel + "'"));
        }
    }

    /** Refuses a call without running anything: denied channel, oversized payload. */
    void refuse(String channel, String callId, KilnException why) {
        reply(new OutboundMessage(MessageKind.ERROR, channel, CallErrors.encode(why, channel), callId));
    }

    /** A page call and the context its handler sees; the unit of work of one handler run. */
    private final class PageCall implements CallHandlers.Waiter<CallHandlers.Handler> {
        final String channel;
        final String id;
        final String payloadJson;
        final InvokeContext context;
        final long startNanos;
        volatile ScheduledFuture<?> timeout;

        PageCall(String channel, String id, String payloadJson, InvokeContext context) {
            this.channel = channel;
            this.id = id;
            this.payloadJson = payloadJson;
            this.context = context;
            this.startNanos = tap.on() ? callStarted(IpcTrace.Direction.FROM_WINDOW, channel, id) : 0;
        }

        @Override
        public void handledBy(CallHandlers.Handler handler) {
            if (context.isCancelled()) {
                return;
            }
            callbacks.execute(() -> run(handler));
        }

        private void run(CallHandlers.Handler handler) {
            if (context.isCancelled()) {
                return;
            }
            CompletionStage<?> result;
            try {
                result = handler.handle(payloadJson, context);
                if (result == null) {
                    throw new IllegalStateException("the handler returned no CompletionStage");
                }
            } catch (Throwable e) {
                finish(null, e);
                return;
            }
            result.whenComplete(this::finish);
        }

        @Override
        public void noHandler() {
            if (leave()) {
                KilnException none = new KilnException(ErrorCode.NO_HANDLER, "No handler for channel '" + channel
                        + "' in the host: register one with handle() before the page calls");
                callEnded(IpcTrace.Direction.FROM_WINDOW, channel, id, startNanos, none);
                refuse(channel, id, none);
            }
        }

        private void finish(Object value, Throwable error) {
            if (context.isCancelled() || !leave()) {
                return; // the caller stopped waiting: nobody to answer
            }
            callEnded(IpcTrace.Direction.FROM_WINDOW, channel, id, startNanos, error);
            OutboundMessage answer;
            if (error != null) {
                CallErrors.reportBug(error, channel, "handler", windowId, warnings);
                answer = new OutboundMessage(MessageKind.ERROR, channel, CallErrors.encode(error, channel), id);
            } else {
                try {
                    PayloadCodec.Encoded result = value == null ? null : PayloadCodec.encodeOutbound(value, config);
                    answer = result == null ? new OutboundMessage(MessageKind.RESULT, channel, null, id)
                            : new OutboundMessage(MessageKind.RESULT, channel, result.json(), id, 0, 0, result.attachments());
                } catch (KilnException e) {
                    KilnException unsendable = new KilnException(e.code() == ErrorCode.BINARY_TOO_LARGE ? e.code() : ErrorCode.SERIALIZATION, "The result of the handler for channel '"
                            + channel + "' cannot be sent: " + e.detail());
                    answer = new OutboundMessage(MessageKind.ERROR, channel, CallErrors.encode(unsendable, channel), id);
                }
            }
            reply(answer);
        }

        void cancel(KilnException reason) {
            if (context.cancel(reason)) {
                handlers.forget(channel, this);
                if (leave()) {
                    callEnded(IpcTrace.Direction.FROM_WINDOW, channel, id, startNanos, reason);
                }
            }
        }

        /** Takes the call out of the table; false if it was already out. */
        private boolean leave() {
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
            return fromPage.remove(id, this);
        }
    }

    private void reply(OutboundMessage answer) {
        outbox.enqueue(answer); // a page that went away drops it: its calls were cancelled with it
    }

    // ---- The host calls, the page answers ----

    /**
     * Sends a call to the page; the result completes with the decoded answer on the callback
     * executor. Cancelling the result cancels the call in the page.
     */
    <T> CompletableFuture<T> call(String channel, PayloadCodec.Encoded payload, long timeoutMillis, Function<String, T> decode) {
        CompletableFuture<T> result = new CompletableFuture<>();
        String id = "hc" + NEXT_ID.incrementAndGet(); // "hs" for streams: one window's ids never meet
        long deadline = timeoutMillis > 0 ? System.currentTimeMillis() + timeoutMillis : 0;
        HostCall<T> call = new HostCall<>(channel, id, result, decode, outbox.targetEpoch());
        fromHost.put(id, call);
        KilnException closed = closedWith;
        if (closed != null) {
            call.fail(closed, false);
            return result;
        }
        if (timeoutMillis > 0) {
            call.timeout = timer.schedule(() -> call.fail(new KilnException(ErrorCode.TIMEOUT, "The call to window "
                    + windowId + " on channel '" + channel + "' timed out after " + timeoutMillis + " ms"), true),
                    timeoutMillis, TimeUnit.MILLISECONDS);
        }
        result.whenComplete((v, e) -> {
            if (e instanceof CancellationException) {
                call.cancelledByCaller();
            }
        });
        outbox.enqueue(new OutboundMessage(MessageKind.INVOKE, channel, payload == null ? null : payload.json(), id, deadline, 0,
                        payload == null ? List.of() : payload.attachments()))
                .whenComplete((taken, e) -> {
                    if (e != null) {
                        call.fail(CallErrors.unwrap(e) instanceof KilnException k ? k
                                : new KilnException(ErrorCode.CHANNEL_SEND, e.getMessage()), false);
                    }
                });
        return result;
    }

    /** The page answered a host call. */
    void answered(MessageKind kind, String callId, String payloadJson) {
        HostCall<?> call = fromHost.get(callId);
        if (call == null) {
            return; // cancelled or timed out meanwhile: the answer has nobody to go to
        }
        if (kind == MessageKind.RESULT) {
            call.succeed(payloadJson);
        } else {
            call.fail(CallErrors.decode(payloadJson, call.channel), false);
        }
    }

    private final class HostCall<T> {
        final String channel;
        final String id;
        final CompletableFuture<T> result;
        final Function<String, T> decode;
        final long epoch; // the page generation it is meant for (Outbox#targetEpoch)
        final long startNanos;
        volatile ScheduledFuture<?> timeout;

        HostCall(String channel, String id, CompletableFuture<T> result, Function<String, T> decode, long epoch) {
            this.channel = channel;
            this.id = id;
            this.result = result;
            this.decode = decode;
            this.epoch = epoch;
            this.startNanos = tap.on() ? callStarted(IpcTrace.Direction.TO_WINDOW, channel, id) : 0;
        }

        void succeed(String payloadJson) {
            if (leave()) {
                callEnded(IpcTrace.Direction.TO_WINDOW, channel, id, startNanos, null);
                callbacks.execute(() -> {
                    try {
                        result.complete(decode.apply(payloadJson));
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                });
            }
        }

        /** Rejects the caller; tells the page to stop working on it if it may have the call. */
        void fail(IpcError error, boolean tellPage) {
            if (leave()) {
                callEnded(IpcTrace.Direction.TO_WINDOW, channel, id, startNanos, error);
                if (tellPage) {
                    cancelInPage(error);
                }
                callbacks.execute(() -> result.completeExceptionally(error));
            }
        }

        void cancelledByCaller() {
            if (leave()) {
                KilnException cancelled = new KilnException(ErrorCode.CANCELLED, "The host cancelled the call on channel '"
                        + channel + "'");
                callEnded(IpcTrace.Direction.TO_WINDOW, channel, id, startNanos, cancelled);
                cancelInPage(cancelled);
            }
        }

        /** Withdraws the invoke if the page has not got it yet; else tells the page to stop. */
        private void cancelInPage(IpcError why) {
            if (outbox.withdraw(id, why instanceof KilnException k ? k : new KilnException(ErrorCode.CANCELLED, why.getMessage()))) {
                return;
            }
            outbox.enqueue(new OutboundMessage(MessageKind.CANCEL, channel, CallErrors.encode(why, channel), id));
        }

        private boolean leave() {
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
            return fromHost.remove(id, this);
        }
    }

    // ---- Observing ----

    /** Reports a call's start; its start time, which is 0 when nobody observes. */
    private long callStarted(IpcTrace.Direction direction, String channel, String callId) {
        long now = System.nanoTime();
        tap.emit(new IpcTrace(now, System.currentTimeMillis(), IpcTrace.Stage.CALL_START, direction, windowId,
                MessageKind.INVOKE, channel, 0, null, callId, null, null, 0));
        return now == 0 ? 1 : now;
    }

    /** Reports a call's end, if its start was reported. */
    private void callEnded(IpcTrace.Direction direction, String channel, String callId, long startNanos, Throwable error) {
        if (startNanos != 0 && tap.on()) {
            tap.callEnded(direction, windowId, channel, callId, startNanos, error);
        }
    }

    // ---- The page's lifecycle ----

    /**
     * The page of generation {@code epoch} went away: handlers working for it are cancelled, and the
     * host's calls meant for it are rejected with 7002.
     */
    void pageGone(long epoch) {
        KilnException gone = KilnException.windowNotFound(windowId, "its page went away (reload, navigation or close) during the call");
        fromPage.values().forEach(c -> c.cancel(gone));
        for (HostCall<?> c : List.copyOf(fromHost.values())) {
            if (c.epoch <= epoch) {
                c.fail(gone, true);
            }
        }
    }

    /** The window closed or the runtime shut down: everything in progress ends with the reason. */
    void close(KilnException reason) {
        closedWith = reason;
        fromPage.values().forEach(c -> c.cancel(reason));
        for (HostCall<?> c : List.copyOf(fromHost.values())) {
            c.fail(reason, false);
        }
    }

    /** Calls in progress both ways; for leak tests. */
    int inProgress() {
        return fromPage.size() + fromHost.size();
    }

    private static KilnException timedOut(String channel) {
        return new KilnException(ErrorCode.TIMEOUT, "The call on channel '" + channel + "' passed its deadline");
    }
}
