package dev.kiln.script;

import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.values.V8Value;
import com.caoccao.javet.values.reference.V8ValueFunction;
import com.caoccao.javet.values.reference.V8ValueObject;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The bootstrap's functions Java calls back into V8 ({@link ScriptProtocol#CALLBACKS}), held for the
 * runtime's life. A call made once the app is ending (it failed, or V8 is closing) is skipped; a
 * call that fails inside V8 is an internal error.
 *
 * <p>Threading: loop thread only.
 */
final class ScriptCallbacks {
    private final BooleanSupplier live;
    private final Consumer<String> internalError;
    private V8ValueObject returned;
    private V8ValueFunction settle;
    private V8ValueFunction settleSends;
    private V8ValueFunction fire;
    private V8ValueFunction events;
    private V8ValueFunction describe;
    private V8ValueFunction hostCall;
    private V8ValueFunction abortCall;
    private V8ValueFunction settleCall;
    private V8ValueFunction streamStart;
    private V8ValueFunction streamDemand;
    private V8ValueFunction streamStop;
    private V8ValueFunction streamItem;
    private V8ValueFunction streamEnd;

    /**
     * @param live          whether V8 may still be called (no fatal error, not closed)
     * @param internalError ends the app with an internal error report
     */
    ScriptCallbacks(BooleanSupplier live, Consumer<String> internalError) {
        this.live = live;
        this.internalError = internalError;
    }

    /** Takes the functions from the object the bootstrap returned; owns that object from now on. */
    void bind(V8ValueObject bootstrapResult) throws JavetException {
        returned = bootstrapResult;
        settle = returned.get(ScriptProtocol.CB_SETTLE);
        settleSends = returned.get(ScriptProtocol.CB_SETTLE_SENDS);
        fire = returned.get(ScriptProtocol.CB_FIRE);
        events = returned.get(ScriptProtocol.CB_EVENTS);
        describe = returned.get(ScriptProtocol.CB_DESCRIBE);
        hostCall = returned.get(ScriptProtocol.CB_HOST_CALL);
        abortCall = returned.get(ScriptProtocol.CB_ABORT_CALL);
        settleCall = returned.get(ScriptProtocol.CB_SETTLE_CALL);
        streamStart = returned.get(ScriptProtocol.CB_STREAM_START);
        streamDemand = returned.get(ScriptProtocol.CB_STREAM_DEMAND);
        streamStop = returned.get(ScriptProtocol.CB_STREAM_STOP);
        streamItem = returned.get(ScriptProtocol.CB_STREAM_ITEM);
        streamEnd = returned.get(ScriptProtocol.CB_STREAM_END);
    }

    /** Settles one promise: code 0 resolves it with the JSON text, any other rejects it. */
    void settle(int promiseId, int code, String text) {
        call(settle, promiseId, code, text);
    }

    /** Settles a batch of sends; see {@link SendResults}. */
    void settleSends(String resultsJson) {
        call(settleSends, resultsJson);
    }

    /** Runs timer {@code id}'s callback. */
    void fire(int timerId) {
        call(fire, timerId);
    }

    /** Hands a batch of events to the script's callbacks; see {@link InboundEvents}. */
    void events(String batchJson) {
        call(events, batchJson);
    }

    /** A page called a handler of the script; it answers through {@code CallOps.answer} with the same key. */
    void hostCall(int key, String channel, String payloadJson, String windowId, long deadline) {
        call(hostCall, key, channel, payloadJson, windowId, (double) deadline);
    }

    /** The caller of call {@code key} gave up: abort its handler's signal with this Kiln error. */
    void abortCall(int key, int code, String message) {
        call(abortCall, key, code, message);
    }

    /** Settles an {@code invokeWindow} promise: the result's JSON text (null for undefined), or the error's. */
    void settleCall(int promiseId, boolean ok, String json) {
        call(settleCall, promiseId, ok, json);
    }

    /** A page opened a stream on a channel the script produces for; {@code key} names the production. */
    void streamStart(int key, String channel, String payloadJson, String windowId) {
        call(streamStart, key, channel, payloadJson, windowId);
    }

    /** The page's reader takes {@code n} more values of production {@code key}. */
    void streamDemand(int key, long n) {
        call(streamDemand, key, (double) n);
    }

    /** The reader of production {@code key} stopped: abort its producer with this Kiln error. */
    void streamStop(int key, int code, String message) {
        call(streamStop, key, code, message);
    }

    /** A value of the page stream the script reads as {@code key} (JSON text, null for undefined). */
    void streamItem(int key, String json) {
        call(streamItem, key, json);
    }

    /** The end of the page stream the script reads as {@code key}: normal, or the error's JSON. */
    void streamEnd(int key, boolean ok, String json) {
        call(streamEnd, key, ok, json);
    }

    /** A thrown value as the report shows it: an Error's mapped stack, or "Uncaught value". */
    String describe(V8Value value) {
        try {
            return describe.callString(null, value);
        } catch (JavetException e) {
            return String.valueOf(value);
        }
    }

    private void call(V8ValueFunction fn, Object... args) {
        if (fn == null || !live.getAsBoolean()) {
            return;
        }
        try {
            fn.callVoid(null, args);
        } catch (JavetException e) {
            internalError.accept("internal error: " + e.getMessage());
        }
    }

    void close() {
        V8Closer.closeQuietly(settle, settleSends, fire, events, describe, hostCall, abortCall, settleCall,
                streamStart, streamDemand, streamStop, streamItem, streamEnd, returned);
    }
}
