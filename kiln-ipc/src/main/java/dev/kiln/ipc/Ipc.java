package dev.kiln.ipc;

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
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
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
    private final DropCounter drops = new DropCounter();
    private final WarningLimiter warnings = new WarningLimiter(System.getLogger("dev.kiln.ipc"));
    private final EventHub hub;
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
            return outbox.enqueue(new OutboundMessage(channel, PayloadCodec.encode(payload, config.maxPayloadBytes())));
        } catch (KilnException e) {
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
        String json;
        List<String> targets;
        try {
            checkOpen();
            ChannelNames.requireValid(channel);
            json = PayloadCodec.encode(payload, config.maxPayloadBytes());
            targets = List.copyOf(new java.util.LinkedHashSet<>(windowIds));
        } catch (KilnException e) {
            return CompletableFuture.failedFuture(e);
        }
        Map<String, CompletableFuture<Void>> sends = new LinkedHashMap<>();
        OutboundMessage message = new OutboundMessage(channel, json);
        for (String id : targets) {
            CompletableFuture<Void> sent;
            try {
                Outbox outbox = outboxOf(id);
                checkPermitted(outbox, channel);
                sent = outbox.enqueue(message);
            } catch (KilnException e) {
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
                config.maxBatchMessages(), messagesSent, batchesSent);
        AttachedWindow link = new AttachedWindow(this, outbox, dispatch);
        if (windows.putIfAbsent(windowId, link) != null) {
            throw new KilnException(ErrorCode.CHANNEL_SEND,
                    "A window with id '" + windowId + "' is already attached: window ids must be unique");
        }
        return link;
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
            open.forEach(w -> w.outbox().close(KilnException.shutDown()));
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

    // ---- Package-private: called by AttachedWindow on the dispatch thread ----

    void publish(IpcEvent event) {
        received.increment();
        hub.publish(event);
    }

    void detached(AttachedWindow window) {
        windows.remove(window.windowId(), window);
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
        AttachedWindow w = windowId == null ? null : windows.get(windowId);
        if (w == null) {
            throw KilnException.windowNotFound(windowId);
        }
        return w.outbox();
    }

    private void checkPermitted(Outbox outbox, String channel) {
        if (!config.policy().permits(channel, outbox.windowChannels())) {
            throw new KilnException(ErrorCode.PERMISSION_DENIED,
                    "Channel '" + channel + "' is not allowed for window " + outbox.windowId());
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
            Thread t = new Thread(r, name.equals("kiln-ipc-dispatch") ? name : name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
