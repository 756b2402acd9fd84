package dev.kiln.script;

import com.caoccao.javet.enums.JavetPromiseRejectEvent;
import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.values.V8Value;
import com.caoccao.javet.values.primitive.V8ValueInteger;
import com.caoccao.javet.values.primitive.V8ValueString;
import com.caoccao.javet.values.reference.V8ValueObject;
import com.caoccao.javet.values.reference.V8ValuePromise;
import dev.kiln.ipc.ErrorCode;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Decides what an uncaught exception or unhandled rejection does to the app, as in Deno: it ends the
 * app with exit code 1, except in two cases where it is reported as a warning and the app goes on:
 * <ul>
 *   <li>a Kiln error 7002 (the window is gone) in a promise nobody handled: sending to a window that
 *   just closed is a routine race in a multi-window app (the spec's Multi-Window Sync pattern
 *   broadcasts without awaiting), not a bug worth ending the app for;</li>
 *   <li>an operation cut short by the app's normal end (its last window closed, or Ctrl-C): a send
 *   call or stream read still waiting for its page fails with 7002 or 7000 "The runtime has shut down". Closing the
 *   last window is how a user ends an app, so that must not turn exit code 0 into 1, even where the
 *   app awaited the send at top level.</li>
 * </ul>
 * A rejection counts as unhandled when a whole loop task ends without a handler for it. With
 * {@code --trace-sends} the bootstrap has already put the app's line in such an error's first line
 * ({@code , sent at src/main.ts:12:7}); without it, the warning says how to get it.
 *
 * <p>Threading: loop thread only (V8 calls {@link #onPromiseReject} there).
 */
final class RejectionTracker {
    private final ScriptCallbacks callbacks;
    private final BooleanSupplier atNormalEnd;
    private final Consumer<String> fatal;
    private final boolean traceSends;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<Integer, String> unhandled = new LinkedHashMap<>();
    private final Map<Integer, String> warnings = new LinkedHashMap<>();
    private V8ValuePromise mainPromise;

    /**
     * @param atNormalEnd whether the app has reached its normal end (see {@link ExitPolicy#atNormalEnd})
     * @param fatal       reports an uncaught error and ends the app with exit code 1
     * @param traceSends  whether operations note the app's line (else a cut-short warning hints at the flag)
     */
    RejectionTracker(ScriptCallbacks callbacks, BooleanSupplier atNormalEnd, Consumer<String> fatal,
                     boolean traceSends, PrintStream out, PrintStream err) {
        this.callbacks = callbacks;
        this.atNormalEnd = atNormalEnd;
        this.fatal = fatal;
        this.traceSends = traceSends;
        this.out = out;
        this.err = err;
    }

    /** The main module's evaluation, when it is a promise (top-level await): its rejection is uncaught. */
    void watchMain(V8ValuePromise promise) {
        mainPromise = promise;
    }

    /** V8's promise rejection callback. */
    void onPromiseReject(JavetPromiseRejectEvent event, V8ValuePromise promise, V8Value value) {
        try {
            int hash = promise.getIdentityHash();
            if (event == JavetPromiseRejectEvent.PromiseRejectWithNoHandler) {
                String note = survivable(value, false);
                if (note != null) {
                    warnings.put(hash, callbacks.describe(value) + "\n" + note);
                } else {
                    unhandled.put(hash, callbacks.describe(value));
                }
            } else if (event == JavetPromiseRejectEvent.PromiseHandlerAddedAfterReject) {
                unhandled.remove(hash);
                warnings.remove(hash);
            }
        } catch (JavetException e) {
            fatal.accept("internal error: " + e.getMessage());
        }
    }

    /** At the end of each loop task: reports what is still unhandled. */
    void check() {
        try {
            if (mainPromise != null && mainPromise.getState() != V8ValuePromise.STATE_PENDING) {
                if (mainPromise.getState() == V8ValuePromise.STATE_REJECTED) {
                    try (V8Value reason = mainPromise.getResult()) {
                        unhandled.remove(mainPromise.getIdentityHash());
                        String note = survivable(reason, true);
                        if (note != null) {
                            warn(callbacks.describe(reason) + "\n" + note, false);
                        } else {
                            fatal.accept(UncaughtReport.format(callbacks.describe(reason), false));
                        }
                    }
                }
                mainPromise.close();
                mainPromise = null;
            }
        } catch (JavetException e) {
            fatal.accept("internal error: " + e.getMessage());
        }
        if (!unhandled.isEmpty()) {
            fatal.accept(UncaughtReport.format(unhandled.values().iterator().next(), true));
            return;
        }
        for (String description : warnings.values()) {
            warn(description, true);
        }
        warnings.clear();
    }

    private void warn(String description, boolean inPromise) {
        out.flush();
        err.println("warning: " + UncaughtReport.format(description, inPromise));
        err.flush();
    }

    /**
     * Why a rejection with this reason is only a warning (the note printed with it, in parentheses), or
     * null when it ends the app; {@code awaited}: the main module awaited it.
     */
    private String survivable(V8Value reason, boolean awaited) throws JavetException {
        if (!(reason instanceof V8ValueObject error)) {
            return null;
        }
        int code;
        String message;
        try (V8Value c = error.get("code"); V8Value m = error.get("message")) {
            if (!(c instanceof V8ValueInteger n) || !(m instanceof V8ValueString s)) {
                return null;
            }
            code = n.getValue();
            message = s.getValue();
        }
        boolean windowGone = code == ErrorCode.WINDOW_NOT_FOUND.code();
        boolean cutShort = (windowGone || code == ErrorCode.CHANNEL_SEND.code())
                && (message.endsWith(ScriptProtocol.CUT_SHORT_SUFFIX) || message.endsWith(ScriptProtocol.UNANSWERED_SUFFIX)
                || message.endsWith(ScriptProtocol.UNFINISHED_SUFFIX) || message.startsWith(ScriptProtocol.SHUT_DOWN_MESSAGE));
        if (cutShort && atNormalEnd.getAsBoolean()) {
            String note = "(the app's windows closed while it was pending; the app ends normally)";
            if (traceSends) {
                return note;
            }
            String verb = message.endsWith(ScriptProtocol.UNANSWERED_SUFFIX) ? "called"
                    : message.endsWith(ScriptProtocol.UNFINISHED_SUFFIX) ? "read" : "sent";
            return note + " (run with --trace-sends to see where it was " + verb + ")";
        }
        return windowGone && !awaited ? "(the window is gone; the app keeps running)" : null;
    }

    void close() {
        V8Closer.closeQuietly(mainPromise);
        mainPromise = null;
    }
}
