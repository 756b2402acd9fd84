package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.InvokeContext;
import dev.kiln.ipc.Ipc;
import dev.kiln.ipc.JsonText;
import dev.kiln.ipc.KilnException;
import dev.kiln.ipc.Subscription;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Flow;

/**
 * The runtime:ipc stream operations (handleStream, streamFromWindow) the bootstrap's
 * {@code 06-ipc-streams.js} calls. Values cross as JSON text ({@link JsonText}).
 *
 * <p>A page's read of the script's producer is a {@link Flow.Publisher} to the engine: its
 * subscription's {@code request(n)} (the page's credit) becomes {@code streamDemand} in the script,
 * which pulls the producer that far and pushes each value back ({@link #streamPush}). A script's read
 * of a page producer is a {@link Flow.Subscriber} of the engine's publisher: the script requests
 * values as its reader takes them ({@link #streamRequest}) and gets them through {@code streamItem}.
 * An open read waits for events, so it keeps the app alive only while windows are open (weak).
 *
 * <p>Threading: loop thread only. The engine signals on its callback executor, the loop; the
 * producer's subscription may be called from other engine threads, so it posts to the loop.
 */
final class StreamOps {
    private final Ipc ipc;
    private final EventLoop loop;
    private final ExitPolicy exit;
    private final ScriptCallbacks callbacks;
    private final Map<Integer, Subscription> registrations = new HashMap<>();
    private final Map<Integer, Flow.Subscriber<? super JsonText>> productions = new HashMap<>();
    private final Map<Integer, Read> readings = new HashMap<>();
    private int nextKey = 1;
    private boolean closed;

    StreamOps(Ipc ipc, EventLoop loop, ExitPolicy exit, ScriptCallbacks callbacks) {
        this.ipc = ipc;
        this.loop = loop;
        this.exit = exit;
        this.callbacks = callbacks;
    }

    // ---- the script produces, a page reads ----

    @V8Function(name = ScriptProtocol.OP_HANDLE_STREAM)
    public int handleStream(String channel) {
        Subscription s = ipc.handleStream(channel, JsonText.class, (payload, context) -> production(channel, payload, context));
        int id = nextKey++;
        registrations.put(id, s);
        return id;
    }

    @V8Function(name = ScriptProtocol.OP_UNHANDLE_STREAM)
    public void unhandleStream(int registration) {
        Subscription s = registrations.remove(registration);
        if (s != null) {
            s.unsubscribe();
        }
    }

    /** The publisher the engine subscribes to for one page read; the script's producer starts at subscribe. */
    private Flow.Publisher<JsonText> production(String channel, JsonText payload, InvokeContext context) {
        return subscriber -> loop.execute(() -> {
            if (closed) {
                return;
            }
            int key = nextKey++;
            productions.put(key, subscriber);
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    loop.execute(() -> {
                        if (productions.containsKey(key) && !closed) {
                            callbacks.streamDemand(key, n);
                        }
                    });
                }

                @Override
                public void cancel() {
                    loop.execute(() -> {
                        if (productions.remove(key) != null && !closed) {
                            KilnException why = context.cancellation().toCompletableFuture().getNow(null);
                            if (why == null) {
                                why = new KilnException(ErrorCode.CANCELLED, "The reader stopped the stream on channel '" + channel + "'");
                            }
                            callbacks.streamStop(key, why.code().code(), why.getMessage());
                        }
                    });
                }
            });
            callbacks.streamStart(key, channel, payload == null ? null : payload.json(), context.windowId());
        });
    }

    /** The script's producer made a value for production {@code key} (JSON text, null for undefined). */
    @V8Function(name = ScriptProtocol.OP_STREAM_PUSH)
    public void streamPush(int key, String json) {
        Flow.Subscriber<? super JsonText> s = productions.get(key);
        if (s != null) {
            s.onNext(json == null ? null : new JsonText(json)); // Kiln's own subscriber takes null as undefined
        }
    }

    /** The script's producer for {@code key} ended: normally, or with the error's JSON. */
    @V8Function(name = ScriptProtocol.OP_STREAM_DONE)
    public void streamDone(int key, boolean ok, String errorJson) {
        Flow.Subscriber<? super JsonText> s = productions.remove(key);
        if (s == null) {
            return;
        }
        if (ok) {
            s.onComplete();
        } else {
            s.onError(ErrorJson.read(errorJson));
        }
    }

    // ---- a page produces, the script reads ----

    /** One read of a page producer: its subscription once the engine gave it, and what was asked before. */
    private static final class Read {
        Flow.Subscription subscription;
        long demand; // requested before the subscription came
        boolean cancelled;
    }

    /** Opens a read of a page producer; values are requested by {@link #streamRequest}. */
    @V8Function(name = ScriptProtocol.OP_STREAM_READ)
    public int streamRead(String windowId, String channel, String payloadJson) {
        int key = nextKey++;
        Read read = new Read();
        readings.put(key, read);
        exit.opStarted(true);
        ipc.streamFromWindow(windowId, channel, payloadJson == null ? null : new JsonText(payloadJson), JsonText.class)
                .subscribe(new Flow.Subscriber<>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        onLoop(() -> {
                            read.subscription = s;
                            if (read.cancelled) {
                                s.cancel();
                            } else if (read.demand > 0) {
                                s.request(read.demand);
                            }
                        });
                    }

                    @Override
                    public void onNext(JsonText item) {
                        onLoop(() -> callbacks.streamItem(key, item == null ? null : item.json()));
                    }

                    @Override
                    public void onError(Throwable error) {
                        onLoop(() -> {
                            if (forget(key)) {
                                // forgiven only at the app's normal end (RejectionTracker)
                                callbacks.streamEnd(key, false, ErrorJson.write(ErrorJson.cutShort(error,
                                        "the stream on channel '" + channel + "'" + ScriptProtocol.UNFINISHED_SUFFIX)));
                            }
                        });
                    }

                    @Override
                    public void onComplete() {
                        onLoop(() -> {
                            if (forget(key)) {
                                callbacks.streamEnd(key, true, null);
                            }
                        });
                    }
                });
        return key;
    }

    /**
     * Runs in a later loop task, always: a stream that cannot open signals during {@code subscribe},
     * inside {@link #streamRead}, before the script has registered its reader.
     */
    private void onLoop(Runnable r) {
        loop.execute(() -> {
            if (!closed) {
                r.run();
            }
        });
    }

    /** Ends read {@code key}'s hold on the app; false if it had already ended. */
    private boolean forget(int key) {
        if (readings.remove(key) == null) {
            return false;
        }
        exit.opsEnded(true, 1);
        return true;
    }

    @V8Function(name = ScriptProtocol.OP_STREAM_REQUEST)
    public void streamRequest(int key, double n) {
        Read read = readings.get(key);
        if (read == null) {
            return;
        }
        if (read.subscription == null) {
            read.demand += (long) n;
        } else {
            read.subscription.request((long) n);
        }
    }

    @V8Function(name = ScriptProtocol.OP_STREAM_CANCEL)
    public void streamCancel(int key) {
        Read read = readings.get(key);
        if (read != null && forget(key)) {
            read.cancelled = true;
            if (read.subscription != null) {
                read.subscription.cancel();
            }
        }
    }

    /** How many productions and reads are open; for leak tests. */
    int openCount() {
        return registrations.size() + productions.size() + readings.size();
    }

    void closeAll() {
        closed = true;
        registrations.values().forEach(Subscription::unsubscribe);
        readings.values().stream().filter(r -> r.subscription != null).forEach(r -> r.subscription.cancel());
        registrations.clear();
        productions.clear();
        readings.clear();
    }
}
