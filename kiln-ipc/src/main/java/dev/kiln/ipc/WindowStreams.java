package dev.kiln.ipc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The streams between the host and one window's page, both ways: the page's streams that host
 * producers fill, and the host's streams the page's producers fill.
 *
 * <p>Backpressure is credit: the consumer's side says how many values it takes (a stream request
 * carries the first credit, {@link MessageKind#CREDIT} steps the next), and the producer's side
 * sends no more than that. A host producer is a {@link Flow.Publisher} that Kiln asks for exactly
 * the page's credit; a host reader is a {@link Flow.Subscriber} whose {@code request(n)} becomes the
 * page's credit. So neither side buffers more than the reader asked for.
 *
 * <p>Ids, tables and the page's lifecycle work as for calls ({@link WindowCalls}): the opener names
 * a stream; a stream leaves its table when it ends; the page going away cancels the producers
 * working for it and fails (7002) the host's readers of streams it was producing.
 *
 * <p>Threading: thread-safe and non-blocking. Producers are opened on the callback executor, and a
 * host reader's signals are delivered there, one at a time and in order.
 */
final class WindowStreams {
    private static final AtomicLong NEXT_ID = new AtomicLong();
    /** Credit beyond this is sent as this: a JavaScript number holds it exactly. */
    static final long MAX_CREDIT = (1L << 53) - 1;

    private final String windowId;
    private final Outbox outbox;
    private final CallHandlers<CallHandlers.Source> sources;
    private final Executor callbacks;
    private final IpcConfig config;
    private final WarningLimiter warnings;
    private final Map<String, Production> producing = new ConcurrentHashMap<>();
    private final Map<String, Reading<?>> reading = new ConcurrentHashMap<>();
    private volatile KilnException closedWith;

    WindowStreams(String windowId, Outbox outbox, CallHandlers<CallHandlers.Source> sources, Executor callbacks,
                  IpcConfig config, WarningLimiter warnings) {
        this.windowId = windowId;
        this.outbox = outbox;
        this.sources = sources;
        this.callbacks = callbacks;
        this.config = config;
        this.warnings = warnings;
    }

    // ---- The page reads, a host producer fills ----

    /** The page opened a stream, already checked against the channel policy. */
    void opened(String channel, String streamId, String payloadJson, long credit) {
        Production p = new Production(channel, streamId, payloadJson, credit);
        if (producing.putIfAbsent(streamId, p) != null) {
            warnings.warn(ErrorCode.CHANNEL_RECV.code() + " duplicate stream id", "[" + ErrorCode.CHANNEL_RECV.code()
                    + "] Dropped a stream request from window " + windowId + " on channel '" + channel
                    + "': its id is already in use");
            return;
        }
        KilnException closed = closedWith;
        if (closed != null) {
            p.cancel(closed);
            return;
        }
        sources.dispatch(channel, p);
    }

    /** The page's reader took values: its producer may send more. */
    boolean credited(String streamId, long credit) {
        Production p = producing.get(streamId);
        if (p != null) {
            p.credit(credit);
        }
        return p != null;
    }

    /** The page's reader stopped; false if no such stream is produced here. */
    boolean cancelledByPage(String streamId, String reasonJson) {
        Production p = producing.get(streamId);
        if (p == null) {
            return false;
        }
        IpcError reason = CallErrors.decode(reasonJson, p.channel);
        p.cancel(reason instanceof KilnException k ? k
                : new KilnException(ErrorCode.CANCELLED, "The reader cancelled the stream on channel '" + p.channel + "'"));
        return true;
    }

    /** Refuses a stream without opening anything: denied channel. */
    void refuse(String channel, String streamId, KilnException why) {
        outbox.enqueue(new OutboundMessage(MessageKind.ERROR, channel, CallErrors.encode(why, channel), streamId));
    }

    /** A host producer filling one stream the page reads: the subscriber of its publisher. */
    private final class Production implements CallHandlers.Waiter<CallHandlers.Source>, Flow.Subscriber<Object> {
        final String channel;
        final String id;
        final String payloadJson;
        final InvokeContext context = new InvokeContext(windowId, 0);
        // request(n) runs the producer's code: never on the thread that decoded the credit (a page's UI thread)
        final SerialExecutor requests = new SerialExecutor(callbacks, warnings);
        // guarded by this
        private Flow.Subscription subscription;
        private long credit; // granted by the page, not yet passed on to the subscription
        private long allowed; // requested from the publisher, not yet sent
        private boolean ended;

        Production(String channel, String id, String payloadJson, long credit) {
            this.channel = channel;
            this.id = id;
            this.payloadJson = payloadJson;
            this.credit = credit;
        }

        @Override
        public void handledBy(CallHandlers.Source source) {
            callbacks.execute(() -> {
                if (isEnded()) {
                    return;
                }
                try {
                    Flow.Publisher<?> publisher = source.open(payloadJson, context);
                    if (publisher == null) {
                        throw new IllegalStateException("the stream producer returned no Flow.Publisher");
                    }
                    publisher.subscribe(this);
                } catch (Throwable e) {
                    fail(e);
                }
            });
        }

        @Override
        public void noHandler() {
            fail(new KilnException(ErrorCode.NO_HANDLER, "No stream producer for channel '" + channel
                    + "' in the host: register one with handleStream() before the page reads"));
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            long n;
            synchronized (this) {
                if (subscription != null || ended) {
                    s.cancel();
                    return;
                }
                subscription = s;
                n = credit;
                credit = 0;
                allowed += n;
            }
            if (n > 0) {
                s.request(n); // onSubscribe runs on the callback executor already
            }
        }

        void credit(long n) {
            Flow.Subscription s;
            synchronized (this) {
                if (ended) {
                    return;
                }
                s = subscription;
                if (s == null) {
                    credit += n;
                    return;
                }
                allowed += n;
            }
            requests.execute(() -> s.request(n));
        }

        @Override
        public void onNext(Object item) {
            boolean overrun;
            synchronized (this) {
                if (ended) {
                    return;
                }
                overrun = allowed <= 0;
                if (overrun) {
                    ended = true;
                } else {
                    allowed--;
                }
            }
            if (overrun) {
                cancelSubscription();
                end(new OutboundMessage(MessageKind.ERROR, channel, CallErrors.encode(new KilnException(ErrorCode.CHANNEL_SEND,
                        "The producer of the stream on channel '" + channel + "' sent more values than the reader asked for"),
                        channel), id));
                return;
            }
            PayloadCodec.Encoded encoded;
            try {
                encoded = item == null ? null : PayloadCodec.encodeOutbound(item, config);
            } catch (KilnException e) {
                cancelSubscription();
                end(new OutboundMessage(MessageKind.ERROR, channel, CallErrors.encode(new KilnException(e.code() == ErrorCode.BINARY_TOO_LARGE ? e.code() : ErrorCode.SERIALIZATION,
                        "A value of the stream on channel '" + channel + "' cannot be sent: " + e.detail()), channel), id));
                return;
            }
            outbox.enqueue(encoded == null ? new OutboundMessage(MessageKind.ITEM, channel, null, id)
                    : new OutboundMessage(MessageKind.ITEM, channel, encoded.json(), id, 0, 0, encoded.attachments()));
        }

        @Override
        public void onError(Throwable error) {
            fail(error);
        }

        @Override
        public void onComplete() {
            if (markEnded()) {
                end(new OutboundMessage(MessageKind.END, channel, null, id));
            }
        }

        private void fail(Throwable error) {
            if (markEnded()) {
                CallErrors.reportBug(error, channel, "producer", windowId, warnings);
                end(new OutboundMessage(MessageKind.ERROR, channel, CallErrors.encode(error, channel, "producer"), id));
            }
        }

        /** The reader stopped or went away: nothing more is sent. */
        void cancel(KilnException reason) {
            if (markEnded()) {
                producing.remove(id, this);
                sources.forget(channel, this);
                context.cancel(reason);
                cancelSubscription();
            }
        }

        private void end(OutboundMessage last) {
            producing.remove(id, this);
            outbox.enqueue(last);
        }

        private void cancelSubscription() {
            Flow.Subscription s;
            synchronized (this) {
                s = subscription;
            }
            if (s != null) {
                requests.execute(s::cancel);
            }
        }

        private synchronized boolean markEnded() {
            if (ended) {
                return false;
            }
            ended = true;
            return true;
        }

        private synchronized boolean isEnded() {
            return ended;
        }
    }

    // ---- The host reads, a page producer fills ----

    /** A stream of the page's producer on the channel; opened when its reader first requests values. */
    <T> Flow.Publisher<T> open(String channel, String payloadJson, Function<String, T> decode) {
        return new Reading<>(channel, payloadJson, decode);
    }

    /** The page sent a value, the end, or a failure of a stream the host reads; false if there is none. */
    boolean produced(MessageKind kind, String streamId, String payloadJson) {
        Reading<?> r = reading.get(streamId);
        if (r == null) {
            return false;
        }
        switch (kind) {
            case ITEM -> r.item(payloadJson);
            case END -> r.finish(null);
            default -> r.finish(CallErrors.decode(payloadJson, r.channel));
        }
        return true;
    }

    /** A host reader of one page stream: the publisher {@code streamFromWindow} returns. Single-use. */
    private final class Reading<T> implements Flow.Publisher<T>, Flow.Subscription {
        final String channel;
        final String id = "hs" + NEXT_ID.incrementAndGet(); // "hc" for calls: one window's ids never meet
        final String payloadJson;
        final Function<String, T> decode;
        final SerialExecutor signals = new SerialExecutor(callbacks, warnings);
        // guarded by this
        private Flow.Subscriber<? super T> subscriber;
        private boolean requested; // the stream request went out
        private boolean ended; // nothing more comes in
        private boolean cancelled; // the subscriber said stop: nothing more goes out to it
        private long epoch;

        Reading(String channel, String payloadJson, Function<String, T> decode) {
            this.channel = channel;
            this.payloadJson = payloadJson;
            this.decode = decode;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super T> s) {
            synchronized (this) {
                if (subscriber == null) {
                    subscriber = s;
                    signals.execute(() -> s.onSubscribe(this));
                    return;
                }
            }
            WindowStreams.<T>failed(new IllegalStateException(
                    "A stream from a window has one reader; call streamFromWindow again for another"), signals).subscribe(s);
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                finishWith(new IllegalArgumentException("request(" + n + "): a reader must request at least one value (Flow rule 3.9)"));
                cancelInPage(new KilnException(ErrorCode.CANCELLED, "The reader of the stream on channel '" + channel + "' failed"));
                return;
            }
            long credit = Math.min(n, MAX_CREDIT);
            boolean first;
            synchronized (this) {
                if (ended) {
                    return;
                }
                first = !requested;
                requested = true;
                if (first) {
                    epoch = outbox.targetEpoch();
                    reading.put(id, this);
                }
            }
            KilnException closed = closedWith;
            if (closed != null) {
                finish(closed);
                return;
            }
            outbox.enqueue(first ? new OutboundMessage(MessageKind.STREAM, channel, payloadJson, id, 0, credit)
                    : new OutboundMessage(MessageKind.CREDIT, channel, null, id, 0, credit));
        }

        @Override
        public void cancel() {
            boolean sent;
            synchronized (this) {
                cancelled = true;
                if (ended) {
                    return;
                }
                ended = true;
                sent = requested;
            }
            reading.remove(id, this);
            if (sent) {
                cancelInPage(new KilnException(ErrorCode.CANCELLED, "The host stopped reading the stream on channel '" + channel + "'"));
            }
        }

        void item(String json) {
            T value;
            try {
                value = decode.apply(json);
            } catch (RuntimeException e) {
                finish(e instanceof IpcError i ? i : new KilnException(ErrorCode.SERIALIZATION, String.valueOf(e.getMessage())));
                cancelInPage(new KilnException(ErrorCode.CANCELLED, "The host could not read a value of the stream on channel '" + channel + "'"));
                return;
            }
            Flow.Subscriber<? super T> s;
            synchronized (this) {
                if (ended) {
                    return;
                }
                s = subscriber;
            }
            signals.execute(() -> {
                if (!isCancelled()) { // values that came before the end are still handed over
                    s.onNext(value);
                }
            });
        }

        /** Ends the stream for its reader: normally ({@code null}) or with the error. */
        void finish(IpcError error) {
            finishWith(error);
        }

        private void finishWith(Throwable error) {
            Flow.Subscriber<? super T> s;
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                s = subscriber;
            }
            reading.remove(id, this);
            signals.execute(() -> {
                if (error == null) {
                    s.onComplete();
                } else {
                    s.onError(error);
                }
            });
        }

        private void cancelInPage(IpcError why) {
            if (!outbox.withdraw(id, why instanceof KilnException k ? k : new KilnException(ErrorCode.CANCELLED, why.getMessage()))) {
                outbox.enqueue(new OutboundMessage(MessageKind.CANCEL, channel, CallErrors.encode(why, channel), id));
            }
        }

        private synchronized boolean isCancelled() {
            return cancelled;
        }

        synchronized long epoch() {
            return epoch;
        }
    }

    /** A publisher that fails every subscriber, signalling on {@code signals}: for a stream that could not be opened. */
    static <T> Flow.Publisher<T> failed(Throwable error, Executor signals) {
        return subscriber -> signals.execute(() -> {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    // nothing will come
                }

                @Override
                public void cancel() {
                    // nothing to stop
                }
            });
            subscriber.onError(error);
        });
    }

    // ---- The page's lifecycle ----

    /** The page of generation {@code epoch} went away; see {@link WindowCalls#pageGone}. */
    void pageGone(long epoch) {
        KilnException gone = KilnException.windowNotFound(windowId, "its page went away (reload, navigation or close) during the stream");
        producing.values().forEach(p -> p.cancel(gone));
        for (Reading<?> r : List.copyOf(reading.values())) {
            if (r.epoch() <= epoch) {
                r.finish(gone);
                r.cancelInPage(gone);
            }
        }
    }

    /** The window closed or the runtime shut down. */
    void close(KilnException reason) {
        closedWith = reason;
        producing.values().forEach(p -> p.cancel(reason));
        for (Reading<?> r : List.copyOf(reading.values())) {
            r.finish(reason);
        }
    }

    /** Streams in progress both ways; for leak tests. */
    int inProgress() {
        return producing.size() + reading.size();
    }
}
