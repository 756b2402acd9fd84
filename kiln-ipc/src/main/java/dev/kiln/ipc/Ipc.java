package dev.kiln.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Flow;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The runtime:ipc engine: sends messages to windows and fans their events out to every listener.
 *
 * <p>Create one with {@link #create(IpcConfig)}. Renderers plug in through
 * {@link #attach(String, RendererTransport, List)}; app code uses the spec's names:
 * {@link #sendToWindow}, {@link #broadcast}, {@link #windowEvents()}, {@link #windowEventsFor},
 * {@link #channelEvents}, {@link #onEvent}, {@link #onChannel} and {@link #recvWindowEvent()}.
 *
 * <p>Besides one-way messages: calls ({@link #handle}, {@link #invokeWindow}: request and response with
 * typed errors, deadlines and cancellation) and streams ({@link #handleStream}, {@link #streamFromWindow}:
 * ordered values with credit-based backpressure), both directions, over the same per-window order and
 * channel capabilities. Payloads may hold binary values (byte[], ByteBuffer, BinaryNode).
 *
 * <p>Fan-out: every stream and callback sees every matching event from the moment it subscribes;
 * consumers never take events from each other. Events that arrive while nobody listens are kept
 * (see {@link IpcConfig#backlogCapacity()}) and handed to the next subscribers. Nothing is dropped
 * without a logged warning and a count in {@link #stats()}. Order is kept per window and direction.
 *
 * <p>Threading: every method is thread-safe and none blocks. One daemon thread,
 * {@code kiln-ipc-dispatch}, hands bursts of outbound messages to transports as batches, and
 * decodes and publishes large inbound batches and system events; a small inbound batch is decoded
 * on the thread that hands it over when that keeps the window's order (see
 * {@link RendererLink#receive}). Callbacks run on the {@linkplain IpcConfig#callbackExecutor()
 * callback executor} (Kiln's own {@code kiln-ipc-callback-*} threads by default), never on a
 * renderer's UI thread and never on the dispatch thread; send futures complete there as well, once
 * the renderer took the message, in send order per window. A lone send to a ready renderer (one not
 * part of a burst) is handed over by the sending thread itself, saving a thread hand-off per
 * request; if the renderer takes it synchronously ({@link RendererTransport#TAKEN}), its future
 * completes on that thread, before {@code sendToWindow} returns, unless earlier sends' futures have
 * yet to complete.
 *
 * <p>Shutdown: {@link #shutdown()} fails later sends with {@link ErrorCode#CHANNEL_SEND}, delivers
 * the events already received (callbacks still run for them), then ends every stream, completes every
 * pending receive with {@code null} and fails the sends still queued.
 */
public final class Ipc implements AutoCloseable {
    private final IpcConfig config;
    private final ExecutorService dispatch;
    private final ExecutorService ownCallbackPool;
    private final java.util.concurrent.Executor callbacks;
    private final SerialExecutor sendCompletions;
    private final IpcTap tap = new IpcTap();
    private final DropCounter drops = new DropCounter(tap);
    private final WarningLimiter warnings = new WarningLimiter(System.getLogger("dev.kiln.ipc"));
    private final EventHub hub;
    private final ScheduledThreadPoolExecutor timer;
    private final CallHandlers<CallHandlers.Handler> handlers;
    private final CallHandlers<CallHandlers.Source> sources;
    private final Map<String, AttachedWindow> windows = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private final LongAdder received = new LongAdder();
    private final LongAdder inboundDenied = new LongAdder();
    private final LongAdder inboundMalformed = new LongAdder();
    private final LongAdder messagesSent = new LongAdder();
    private final LongAdder batchesSent = new LongAdder();

    private volatile boolean shuttingDown;
    // guarded by this
    private EventStream receiver;

    private Ipc(IpcConfig config) {
        this.config = config;
        IpcJfr.init(); // follows the flight recorder from now on
        this.dispatch = Executors.newSingleThreadExecutor(daemonThreads("kiln-ipc-dispatch"));
        if (config.callbackExecutor() == null) {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), daemonThreads("kiln-ipc-callback"));
            pool.allowCoreThreadTimeOut(true);
            this.ownCallbackPool = pool;
            this.callbacks = pool;
        } else {
            this.ownCallbackPool = null;
            this.callbacks = config.callbackExecutor();
        }
        this.sendCompletions = new SerialExecutor(callbacks, warnings);
        this.hub = new EventHub(config.backlogCapacity(), config.backlogGrace().toNanos(), drops);
        this.timer = new ScheduledThreadPoolExecutor(1, daemonThreads("kiln-ipc-timer"));
        this.timer.setRemoveOnCancelPolicy(true); // a call that settles takes its timeout out at once
        this.handlers = new CallHandlers<>(timer, "handler", "handle()");
        this.sources = new CallHandlers<>(timer, "stream producer", "handleStream()");
    }

    /** An engine with the given settings. */
    public static Ipc create(IpcConfig config) {
        return new Ipc(Objects.requireNonNull(config, "config"));
    }

    /** An engine that allows every channel, with default limits. */
    public static Ipc create() {
        return create(IpcConfig.defaults());
    }

    public IpcConfig config() {
        return config;
    }

    // ---- Host to renderer ----

    /**
     * Sends a message to one window's {@code window.runtime.on(channel, ...)} listeners.
     *
     * @param payload {@code null}, a Jackson {@code JsonNode}, a {@link JsonText}, or any value Jackson
     *                can serialize (records, maps, lists, strings, numbers)
     * @return a future that completes when the renderer has taken the message (for a window: its page's
     *         bridge has handed it to the listeners), so it stays pending while the renderer is not ready
     *         or busy, and a message that was not delivered never completes it normally. It fails with a
     *         {@link KilnException}:
     *         {@link ErrorCode#CHANNEL_SEND} for a bad channel name, after shutdown, or when the
     *         renderer failed to take it,
     *         {@link ErrorCode#WINDOW_NOT_FOUND} for an unknown window or one closed before its renderer
     *         took the message,
     *         {@link ErrorCode#SERIALIZATION} for a payload that cannot be serialized or is too large, or
     *         that the renderer refused as malformed,
     *         {@link ErrorCode#PERMISSION_DENIED} for a denied channel. Cancelling it does not recall
     *         the message.
     */
    public CompletableFuture<Void> sendToWindow(String windowId, String channel, Object payload) {
        try {
            checkOpen();
            ChannelNames.requireValid(channel);
            Outbox outbox = outboxOf(windowId);
            checkPermitted(outbox, channel);
            PayloadCodec.Encoded encoded = PayloadCodec.encodeOutbound(payload, config);
            return outbox.enqueue(new OutboundMessage(MessageKind.MESSAGE, channel, encoded.json(), null, 0, 0,
                    encoded.attachments()));
        } catch (KilnException e) {
            refusedSend(windowId, MessageKind.MESSAGE, channel, e);
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Sends a message with no payload; see {@link #sendToWindow(String, String, Object)}. */
    public CompletableFuture<Void> sendToWindow(String windowId, String channel) {
        return sendToWindow(windowId, channel, null);
    }

    /**
     * Sends one message to several windows. The payload is serialized once.
     *
     * @return a future that completes when every window got the message. If some could not be
     *         reached, the others still get it and the future fails with one
     *         {@link BroadcastException} naming each unreachable window and why. A bad channel name
     *         or payload fails it before anything is sent.
     */
    public CompletableFuture<Void> broadcast(Collection<String> windowIds, String channel, Object payload) {
        PayloadCodec.Encoded encoded;
        List<String> targets;
        try {
            checkOpen();
            ChannelNames.requireValid(channel);
            encoded = PayloadCodec.encodeOutbound(payload, config);
            targets = List.copyOf(new java.util.LinkedHashSet<>(windowIds));
        } catch (KilnException e) {
            return CompletableFuture.failedFuture(e);
        }
        Map<String, CompletableFuture<Void>> sends = new LinkedHashMap<>();
        // one message for every window: a large binary's bytes are shared, each window makes its own URL
        OutboundMessage message = new OutboundMessage(MessageKind.MESSAGE, channel, encoded.json(), null, 0, 0,
                encoded.attachments());
        for (String id : targets) {
            CompletableFuture<Void> sent;
            try {
                Outbox outbox = outboxOf(id);
                checkPermitted(outbox, channel);
                sent = outbox.enqueue(message);
            } catch (KilnException e) {
                refusedSend(id, MessageKind.MESSAGE, channel, e);
                sent = CompletableFuture.failedFuture(e);
            }
            sends.put(id, sent);
        }
        return CompletableFuture.allOf(sends.values().stream()
                        .map(f -> f.exceptionally(e -> null)).toArray(CompletableFuture[]::new))
                .thenCompose(ignored -> {
                    Map<String, KilnException> failures = new LinkedHashMap<>();
                    sends.forEach((id, f) -> {
                        if (f.isCompletedExceptionally()) {
                            failures.put(id, asKiln(f));
                        }
                    });
                    return failures.isEmpty() ? CompletableFuture.<Void>completedFuture(null)
                            : CompletableFuture.<Void>failedFuture(new BroadcastException(targets.size(), failures));
                });
    }

    /** Broadcasts a message with no payload; see {@link #broadcast(Collection, String, Object)}. */
    public CompletableFuture<Void> broadcast(Collection<String> windowIds, String channel) {
        return broadcast(windowIds, channel, null);
    }

    // ---- Calls ----

    /**
     * Answers the calls pages make on one channel ({@code window.runtime.invoke}), with the payload
     * as a JSON tree. One handler per channel: remove it ({@link Subscription#unsubscribe()}) before
     * adding another. A call that arrives before its channel has a handler waits up to a second for
     * one, then fails with {@link ErrorCode#NO_HANDLER}. Calls are checked against the channel
     * capabilities like messages; a denied one fails with {@link ErrorCode#PERMISSION_DENIED}
     * without reaching the handler. Calls are not events: no stream or callback sees them.
     *
     * @throws KilnException {@link ErrorCode#CHANNEL_SEND} for a bad channel name or a channel that
     *                       already has a handler, {@link ErrorCode#PERMISSION_DENIED} for a channel
     *                       reserved for window system events
     */
    public Subscription handle(String channel, InvokeHandler<JsonNode> handler) {
        return handle(channel, JsonNode.class, handler);
    }

    /**
     * Answers calls with the payload bound to {@code type} (Jackson); {@link JsonText} gives the
     * payload's JSON text as it came, {@code null} for none. A payload that does not bind fails the
     * call with {@link ErrorCode#SERIALIZATION}. See {@link #handle(String, InvokeHandler)}.
     */
    public <T> Subscription handle(String channel, Class<T> type, InvokeHandler<? super T> handler) {
        ChannelNames.requireRequestable(channel);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(handler, "handler");
        checkOpen();
        return handlers.register(channel, (json, context) -> handler.handle(decode(json, type), context));
    }

    /**
     * Calls the handler a window's page registered with {@code window.runtime.handle(channel, ...)}.
     *
     * @param payload what {@link #sendToWindow} takes; {@code null} arrives as {@code undefined}
     * @param timeout how long to wait for the answer; {@code null} or zero for no limit. The page's
     *                handler sees it as its deadline, and its signal is aborted when it passes.
     * @return the result as a JSON tree ({@code null} when the page answered {@code undefined}). It
     *         completes on the callback executor. It fails with an {@link IpcError} carrying the page
     *         handler's code, message and data, or with a {@link KilnException}: {@link ErrorCode#TIMEOUT},
     *         {@link ErrorCode#NO_HANDLER}, {@link ErrorCode#HANDLER_FAILED},
     *         {@link ErrorCode#WINDOW_NOT_FOUND} (unknown window, or its page went away during the call;
     *         a call made while no page is ready waits for the next one), {@link ErrorCode#PERMISSION_DENIED},
     *         {@link ErrorCode#SERIALIZATION}, {@link ErrorCode#CHANNEL_SEND}. Cancelling it
     *         ({@code cancel(true)}) cancels the call in the page: its handler's signal is aborted.
     */
    public CompletableFuture<JsonNode> invokeWindow(String windowId, String channel, Object payload, Duration timeout) {
        return invokeWindow(windowId, channel, payload, timeout, JsonNode.class);
    }

    /**
     * Calls a window's handler and binds the result to {@code type} ({@link JsonText} for its JSON text);
     * see {@link #invokeWindow(String, String, Object, Duration)}.
     */
    public <T> CompletableFuture<T> invokeWindow(String windowId, String channel, Object payload, Duration timeout,
                                                 Class<T> type) {
        try {
            checkOpen();
            ChannelNames.requireRequestable(channel);
            Objects.requireNonNull(type, "type");
            if (timeout != null && timeout.isNegative()) {
                throw new KilnException(ErrorCode.CHANNEL_SEND, "A call's timeout must not be negative, got " + timeout);
            }
            AttachedWindow window = attached(windowId);
            checkPermitted(window.outbox(), channel);
            PayloadCodec.Encoded encoded = payload == null ? null : PayloadCodec.encodeOutbound(payload, config);
            long millis = timeout == null ? 0 : Math.max(1, timeout.toMillis());
            return window.calls().call(channel, encoded, timeout == null || timeout.isZero() ? 0 : millis,
                    text -> decode(text, type));
        } catch (KilnException e) {
            refusedSend(windowId, MessageKind.INVOKE, channel, e);
            return CompletableFuture.failedFuture(e);
        }
    }

    // ---- Streams ----

    /**
     * Fills the streams pages open on one channel ({@code window.runtime.stream(channel, payload)})
     * with the values of the producer's publisher, as JSON trees' payloads; see {@link StreamProducer}
     * for backpressure and cancellation. One producer per channel; a request that arrives before one
     * is registered waits up to a second, then fails with {@link ErrorCode#NO_HANDLER}. Capabilities
     * apply as for calls.
     *
     * @throws KilnException {@link ErrorCode#CHANNEL_SEND} for a bad channel name or a channel that
     *                       already has a producer
     */
    public Subscription handleStream(String channel, StreamProducer<JsonNode> producer) {
        return handleStream(channel, JsonNode.class, producer);
    }

    /** Fills page streams with the request payload bound to {@code type}; see {@link #handleStream(String, StreamProducer)}. */
    public <T> Subscription handleStream(String channel, Class<T> type, StreamProducer<? super T> producer) {
        ChannelNames.requireRequestable(channel);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(producer, "producer");
        checkOpen();
        return sources.register(channel, (json, context) -> producer.open(decode(json, type), context));
    }

    /**
     * Reads the stream a window's page produces with {@code window.runtime.handleStream(channel, ...)}.
     * Nothing is sent until the subscriber requests values; its {@code request(n)} is the page's
     * credit, so the page produces no more than was asked for. Single use: one subscriber. Signals
     * come on the callback executor, one at a time. The stream ends with {@code onComplete}, or
     * {@code onError} with an {@link IpcError} (the page producer's own, or Kiln's: 7002 when the
     * page goes away, 7004 denied, 7006 no producer); {@code cancel()} stops the page's producer.
     *
     * @param payload the request's payload; {@code null} arrives as {@code undefined}
     */
    public Flow.Publisher<JsonNode> streamFromWindow(String windowId, String channel, Object payload) {
        return streamFromWindow(windowId, channel, payload, JsonNode.class);
    }

    /** Reads a page's stream with each value bound to {@code type}; see {@link #streamFromWindow(String, String, Object)}. */
    public <T> Flow.Publisher<T> streamFromWindow(String windowId, String channel, Object payload, Class<T> type) {
        try {
            checkOpen();
            ChannelNames.requireRequestable(channel);
            Objects.requireNonNull(type, "type");
            AttachedWindow window = attached(windowId);
            checkPermitted(window.outbox(), channel);
            String json = payload == null ? null : PayloadCodec.encode(payload, config.maxPayloadBytes());
            // a value of undefined arrives as JSON null, since a Flow subscriber may not be given null
            return window.streams().open(channel, json, text -> decode(text == null && type != JsonText.class ? "null" : text, type));
        } catch (KilnException e) {
            return WindowStreams.failed(e, callbacks);
        }
    }

    private static <T> T decode(String json, Class<T> type) {
        if (json == null) {
            return null;
        }
        if (type == JsonText.class) {
            return type.cast(new JsonText(json));
        }
        try {
            JsonNode tree = PayloadCodec.readTree(json);
            return type == JsonNode.class ? type.cast(tree) : PayloadCodec.convert(tree, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new KilnException(ErrorCode.SERIALIZATION, "A payload is not valid JSON: " + e.getOriginalMessage());
        }
    }

    // ---- Renderer to host ----

    /** A stream of every event from every window. */
    public EventStream windowEvents() {
        return stream(e -> true);
    }

    /** A stream of the events of one window. */
    public EventStream windowEventsFor(String windowId) {
        Objects.requireNonNull(windowId, "windowId");
        return stream(e -> e.windowId().equals(windowId));
    }

    /** A stream of the events on one channel, from every window. */
    public EventStream channelEvents(String channel) {
        ChannelNames.requireValid(channel);
        return stream(e -> e.channel().equals(channel));
    }

    /** Calls back for every event, one at a time and in order, on the callback executor. */
    public Subscription onEvent(Consumer<IpcEvent> callback) {
        return subscribe(e -> true, callback);
    }

    /** Calls back with the payload and window id of every event on one channel. */
    public Subscription onChannel(String channel, ChannelCallback callback) {
        Objects.requireNonNull(callback, "callback");
        return onChannelEvent(channel, e -> callback.onMessage(e.payload(), e.windowId()));
    }

    /**
     * Calls back with every event on one channel as a whole {@link IpcEvent}: for hosts that pass
     * payloads on as text ({@link IpcEvent#payloadJson()}) rather than as a tree.
     */
    public Subscription onChannelEvent(String channel, Consumer<IpcEvent> callback) {
        ChannelNames.requireValid(channel);
        return subscribe(e -> e.channel().equals(channel), callback);
    }

    /**
     * The next event for this runtime's single receiver, which takes events in turn without taking
     * them from any stream or callback.
     *
     * @return a future of the next event; it completes with {@code null} once the runtime has shut down
     */
    public CompletableFuture<IpcEvent> recvWindowEvent() {
        EventStream r;
        synchronized (this) {
            if (receiver == null) {
                receiver = windowEvents();
            }
            r = receiver;
        }
        return r.nextAsync();
    }

    // ---- Renderers ----

    /**
     * Connects a renderer. Messages sent to it queue until it calls {@link RendererLink#ready()}.
     *
     * @param windowChannels the window's own channel allow list, which replaces the policy's
     *                       {@code allowed} list for it ({@code denied} still applies); {@code null} for none
     * @throws KilnException {@link ErrorCode#CHANNEL_SEND} if a renderer with that id is attached, or
     *                       after shutdown
     */
    public RendererLink attach(String windowId, RendererTransport transport, List<String> windowChannels) {
        Objects.requireNonNull(windowId, "windowId");
        Objects.requireNonNull(transport, "transport");
        if (windowChannels != null) {
            windowChannels.forEach(ChannelPolicy::checkPattern);
        }
        if (shuttingDown) {
            throw KilnException.shutDown();
        }
        Outbox outbox = new Outbox(windowId, transport, windowChannels, dispatch, sendCompletions,
                config.maxBatchMessages(), messagesSent, batchesSent, tap);
        WindowCalls calls = new WindowCalls(windowId, outbox, handlers, timer, callbacks, config, warnings, tap);
        WindowStreams streams = new WindowStreams(windowId, outbox, sources, callbacks, config, warnings);
        AttachedWindow link = new AttachedWindow(this, outbox, calls, streams, dispatch);
        if (windows.putIfAbsent(windowId, link) != null) {
            throw new KilnException(ErrorCode.CHANNEL_SEND,
                    "A window with id '" + windowId + "' is already attached: window ids must be unique");
        }
        return link;
    }

    // ---- Observing ----

    /**
     * Adds an observer that sees every IPC event from now on, both directions: sends, deliveries,
     * messages received, refusals (with code and reason), drops, system events, call starts and
     * ends (with duration and outcome) and stream steps (requests, credits, items, ends). While no
     * observer is added and no flight recording runs, observing costs the engine one volatile read
     * per event. See {@link IpcObserver} for the threads it is called on.
     *
     * @return removes the observer
     */
    public Subscription observe(IpcObserver observer) {
        return tap.add(observer);
    }

    /** The ids of the attached windows. */
    public Set<String> windowIds() {
        return Set.copyOf(windows.keySet());
    }

    // ---- Lifecycle ----

    /** Shuts the runtime down; see the class comment. Idempotent. */
    public void shutdown() {
        synchronized (this) {
            if (shuttingDown) {
                return;
            }
            shuttingDown = true;
        }
        // Posted behind the events already received, so that listeners see them before the end.
        dispatch.execute(() -> {
            CompletableFuture<Void> callbacksDone = hub.shutdown();
            List<AttachedWindow> open = new ArrayList<>(windows.values());
            windows.clear();
            open.forEach(w -> {
                w.outbox().close(KilnException.shutDown());
                w.calls().close(KilnException.shutDown());
                w.streams().close(KilnException.shutDown());
            });
            timer.shutdownNow();
            CompletableFuture<Void> sendsDone = new CompletableFuture<>();
            sendCompletions.execute(() -> sendsDone.complete(null));
            CompletableFuture.allOf(callbacksDone, sendsDone).whenComplete((ok, error) -> {
                warnings.flush();
                terminated.complete(null);
                if (ownCallbackPool != null) {
                    ownCallbackPool.shutdown();
                }
            });
            dispatch.shutdown();
        });
    }

    @Override
    public void close() {
        shutdown();
    }

    public boolean isShutdown() {
        return shuttingDown;
    }

    /**
     * Completes once shutdown has ended every stream, run every callback for the events received before
     * it, and failed every queued send. It completes on the callback executor.
     */
    public CompletableFuture<Void> terminated() {
        return terminated.copy();
    }

    public IpcStats stats() {
        return new IpcStats(received.sum(), hub.delivered(), drops.count(), inboundDenied.sum(),
                inboundMalformed.sum(), messagesSent.sum(), batchesSent.sum(), hub.backlogSize(),
                hub.subscriberCount(), warnings.suppressed());
    }

    /** Calls in progress in either direction, and timers still scheduled; for leak tests. */
    long callsAndTimersInProgress() {
        return windows.values().stream().mapToLong(w -> w.calls().inProgress() + w.streams().inProgress()).sum()
                + timer.getQueue().size();
    }

    // ---- Package-private: called by AttachedWindow on the dispatch thread ----

    void publish(IpcEvent event) {
        received.increment();
        hub.publish(event);
    }

    void detached(AttachedWindow window) {
        windows.remove(window.windowId(), window);
    }

    IpcTap tap() {
        return tap;
    }

    void countDenied() {
        inboundDenied.increment();
    }

    void countMalformed() {
        inboundMalformed.increment();
    }

    /** Where per-message warnings go, so that a flood of bad input cannot flood the log. */
    WarningLimiter warnings() {
        return warnings;
    }

    // ---- Internals ----

    private EventStream stream(Predicate<IpcEvent> filter) {
        return hub.add(new StreamSubscriber(hub, filter, config.subscriberBufferCapacity(),
                new SerialExecutor(callbacks, warnings), drops));
    }

    private Subscription subscribe(Predicate<IpcEvent> filter, Consumer<IpcEvent> callback) {
        Objects.requireNonNull(callback, "callback");
        return hub.add(new CallbackSubscriber(hub, filter, callback, new SerialExecutor(callbacks, warnings)));
    }

    private void checkOpen() {
        if (shuttingDown) {
            throw KilnException.shutDown();
        }
    }

    private Outbox outboxOf(String windowId) {
        return attached(windowId).outbox();
    }

    private AttachedWindow attached(String windowId) {
        AttachedWindow w = windowId == null ? null : windows.get(windowId);
        if (w == null) {
            throw KilnException.windowNotFound(windowId);
        }
        return w;
    }

    private void checkPermitted(Outbox outbox, String channel) {
        if (!config.policy().permits(channel, outbox.windowChannels())) {
            throw new KilnException(ErrorCode.PERMISSION_DENIED,
                    "Channel '" + channel + "' is not allowed for window " + outbox.windowId());
        }
    }

    private void refusedSend(String windowId, MessageKind kind, String channel, KilnException why) {
        if (tap.on() && windowId != null) {
            tap.refused(IpcTrace.Direction.TO_WINDOW, windowId, kind, channel, null, null, why.code(), why.detail());
        }
    }

    private static KilnException asKiln(CompletableFuture<Void> failed) {
        try {
            failed.join();
            throw new IllegalStateException("not failed");
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause();
            return cause instanceof KilnException k ? k
                    : new KilnException(ErrorCode.CHANNEL_SEND, String.valueOf(cause.getMessage()), cause);
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name.equals("kiln-ipc-callback") ? name + "-" + n.incrementAndGet() : name);
            t.setDaemon(true);
            return t;
        };
    }
}
