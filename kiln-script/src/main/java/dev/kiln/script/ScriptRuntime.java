package dev.kiln.script;

import com.caoccao.javet.enums.JavetPromiseRejectEvent;
import com.caoccao.javet.exceptions.BaseJavetScriptingException;
import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.interop.V8Host;
import com.caoccao.javet.interop.V8Runtime;
import com.caoccao.javet.interop.monitoring.V8HeapStatistics;
import com.caoccao.javet.values.V8Value;
import com.caoccao.javet.values.reference.V8Module;
import com.caoccao.javet.values.reference.V8ValueFunction;
import com.caoccao.javet.values.reference.V8ValueObject;
import com.caoccao.javet.values.reference.V8ValuePromise;
import dev.kiln.ipc.IpcEvent;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One app's V8 runtime and the event loop that owns it.
 *
 * <p>Lifecycle: {@link #run()} creates the runtime on the calling thread (the loop thread), installs
 * the globals and the runtime: modules, evaluates the main module and runs the loop until the app is
 * done: nothing is queued, no timer waits, no operation is in flight and no window is open. When no
 * window is left the engine is shut down, which ends every event stream and resolves
 * {@code recvWindowEvent()} with null; the loop then ends once those last waits have settled. An
 * uncaught exception or unhandled rejection ends the app at once with exit code 1, as in Deno, with
 * one exception: a rejection whose reason is a Kiln error 7002 (the window is gone) is reported as a
 * warning and the app goes on. Sending to a window that just closed is a routine race in a
 * multi-window app (the spec's Multi-Window Sync pattern broadcasts without awaiting), not a bug
 * worth ending the app for.
 *
 * <p>Threading: every field below is touched only by the loop thread, except where marked. Other
 * threads reach the runtime only through {@link #loop()}'s {@code execute}. The engine's callbacks
 * run on the loop as well (the engine is configured with it as callback executor).
 *
 * <p>Crossing between Java and V8 is the costly part of each message, so IPC crosses in batches:
 * the outcomes of sends that complete together ({@link SendResults}) gather during a loop task and
 * are settled with one call in a task posted when the first one arrives; the events handed to the
 * script's callbacks during a loop task ({@link InboundEvents}) go into V8 with one call at the end
 * of that task. Per callback and per window, order is kept.
 */
final class ScriptRuntime {
    private final Path appDir;
    private final Path mainScript;
    private final AppManifest manifest;
    private final PrintStream out;
    private final PrintStream err;
    private final EventLoop loop = new EventLoop();
    private final CompletableFuture<WindowSystem> windowsReady;

    // loop thread only
    private WindowSystem windows;
    private V8Runtime v8;
    private ModuleLoader modules;
    private V8ValueObject opsObject;
    private V8ValueObject callbacks;
    private V8ValueFunction settleFn;
    private V8ValueFunction settleSendsFn;
    private V8ValueFunction eventsFn;
    private V8ValueFunction fireFn;
    private V8ValueFunction describeFn;
    private V8ValuePromise mainPromise;
    private final Map<Integer, String> unhandled = new LinkedHashMap<>();
    private final Map<Integer, String> unhandledWindowGone = new LinkedHashMap<>();
    private final SendResults sendResults = new SendResults();
    private final InboundEvents inbound = new InboundEvents();
    private IpcOps ipcOps;
    private WindowOps windowOps;
    private boolean inTask;
    private int strongOps;
    private int weakOps;
    private boolean shutdownRequested;
    private String fatal;
    private int exitCode;

    // any thread
    private volatile boolean interrupted;
    private volatile boolean closed; // once set, nothing may touch V8 (tasks may run after the loop)
    private volatile boolean terminated; // the engine has shut down; set by a task, so on the loop

    ScriptRuntime(Path appDir, Path mainScript, AppManifest manifest, CompletableFuture<WindowSystem> windows,
                  PrintStream out, PrintStream err) {
        this.appDir = appDir;
        this.mainScript = mainScript;
        this.manifest = manifest;
        this.windowsReady = windows;
        this.out = out;
        this.err = err;
    }

    EventLoop loop() {
        return loop;
    }

    /** Ctrl-C: close the windows and let the script wind down; timers no longer keep it alive. Any thread. */
    void interrupt() {
        interrupted = true;
        loop.execute(this::requestShutdown);
    }

    /** Runs the app on the calling thread until it is done; the exit code. */
    int run() {
        loop.bindToCurrentThread();
        try {
            start();
            loop.run(this::runTask, this::shouldStop);
        } catch (AppError e) {
            reportError(e.getMessage());
            exitCode = e.exitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exitCode = 130;
        } catch (JavetException | RuntimeException e) {
            reportError("internal error: " + e);
            exitCode = AppError.SCRIPT;
        } finally {
            close();
        }
        return exitCode;
    }

    private void start() throws JavetException {
        NativeLibraries.install();
        v8 = V8Host.getV8Instance().createV8Runtime();
        v8.setLogger(new JavetLogSink());
        v8.setPromiseRejectCallback(this::onPromiseReject);
        TypeScriptCompiler compiler = new TypeScriptCompiler();
        modules = new ModuleLoader(appDir, compiler);
        v8.setV8ModuleResolver(modules);
        try {
            windows = windowsReady.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new AppError(AppError.SCRIPT, "Cannot open windows: " + cause.getMessage(), cause);
        }
        windows.terminated().whenComplete((v, e) -> loop.execute(() -> terminated = true));
        windowOps = new WindowOps(this, windows, manifest.windows());
        ipcOps = new IpcOps(this, windows, windowOps);
        installBootstrap();
        evaluateMain();
    }

    private void installBootstrap() throws JavetException {
        String source = ScriptProtocol.bootstrap(windows.ipc().config().maxPayloadBytes());
        opsObject = v8.createV8ValueObject();
        opsObject.bind(new HostOps(this));
        opsObject.bind(ipcOps);
        opsObject.bind(windowOps);
        try (V8ValueFunction bootstrap = v8.getExecutor(source).setResourceName(ScriptProtocol.RESOURCE_NAME).execute()) {
            callbacks = bootstrap.call(null, opsObject);
        }
        settleFn = callbacks.get(ScriptProtocol.CB_SETTLE);
        fireFn = callbacks.get(ScriptProtocol.CB_FIRE);
        settleSendsFn = callbacks.get(ScriptProtocol.CB_SETTLE_SENDS);
        eventsFn = callbacks.get(ScriptProtocol.CB_EVENTS);
        describeFn = callbacks.get(ScriptProtocol.CB_DESCRIBE);
    }

    private void evaluateMain() throws JavetException {
        V8Module main = modules.loadMain(v8, mainScript);
        try {
            main.instantiate();
        } catch (BaseJavetScriptingException e) {
            AppError failure = modules.failure();
            throw failure != null ? failure
                    : new AppError(AppError.SCRIPT, modules.display(mainScript.toString()) + ": " + e.getMessage(), e);
        }
        if (modules.failure() != null) {
            throw modules.failure();
        }
        V8Value result = main.evaluate();
        if (result instanceof V8ValuePromise promise) {
            mainPromise = promise;
            checkErrors();
        } else {
            result.close();
        }
    }

    // ---- the loop ----

    private void runTask(Runnable task) {
        inTask = true;
        try {
            task.run();
        } catch (RuntimeException e) {
            fail("internal error: " + e);
        } finally {
            inTask = false;
        }
        if (inbound.size() > 0) {
            deliverInbound(); // in the same task, so callbacks run before whatever was queued after it
        }
        if (fatal == null) {
            checkErrors();
        }
    }

    private void checkErrors() {
        try {
            if (mainPromise != null && mainPromise.getState() != V8ValuePromise.STATE_PENDING) {
                boolean rejected = mainPromise.getState() == V8ValuePromise.STATE_REJECTED;
                int hash = mainPromise.getIdentityHash();
                if (rejected) {
                    try (V8Value reason = mainPromise.getResult()) {
                        unhandled.remove(hash);
                        uncaught(describe(reason), false);
                    }
                }
                mainPromise.close();
                mainPromise = null;
            }
        } catch (JavetException e) {
            fail("internal error: " + e.getMessage());
        }
        if (fatal == null && !unhandled.isEmpty()) {
            uncaught(unhandled.values().iterator().next(), true);
        }
        if (fatal == null && !unhandledWindowGone.isEmpty()) {
            for (String description : unhandledWindowGone.values()) {
                out.flush();
                err.println("warning: " + UncaughtReport.format(description, true)
                        + "\n(the window is gone; the app keeps running)");
            }
            err.flush();
            unhandledWindowGone.clear();
        }
    }

    private boolean shouldStop() {
        if (fatal != null) {
            return true;
        }
        if (strongOps > 0 || (loop.timerCount() > 0 && !interrupted)) {
            return false;
        }
        if (windows.hasOpenWindows() && !interrupted) {
            return false;
        }
        requestShutdown(); // completes terminated later, which posts a task and so wakes the loop
        return terminated && weakOps == 0;
    }

    private void requestShutdown() {
        if (!shutdownRequested) {
            shutdownRequested = true;
            windows.shutdown();
        }
    }

    // ---- called by the ops, on the loop thread ----

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    ModuleLoader modules() {
        return modules;
    }

    /**
     * Settles JavaScript promise {@code promiseId} when {@code future} completes: with its JSON text,
     * or with an Error carrying the Kiln code. A weak operation (waiting for an event) keeps the app
     * alive only while windows are open.
     */
    <T> void settleLater(int promiseId, CompletableFuture<T> future, Function<T, String> toJson, boolean weak) {
        if (weak) {
            weakOps++;
        } else {
            strongOps++;
        }
        future.whenComplete((value, error) -> loop.execute(() -> {
            if (closed) {
                return;
            }
            if (weak) {
                weakOps--;
            } else {
                strongOps--;
            }
            if (error != null) {
                settleError(promiseId, error);
            } else {
                String json;
                try {
                    json = toJson.apply(value);
                } catch (RuntimeException e) {
                    settleError(promiseId, e);
                    return;
                }
                settle(promiseId, 0, json);
            }
        }));
    }

    private void settleError(int promiseId, Throwable error) {
        Rejection r = Rejection.of(error);
        settle(promiseId, r.code(), r.text());
    }

    /**
     * Settles the promise of send {@code promiseId} when {@code sent} completes. Outcomes are
     * gathered and settled together by one call into V8 in a later loop task, so that a burst of
     * sends (whose futures the engine completes a delivered batch at a time) costs one call, not one
     * per message. The send keeps the app alive until then.
     */
    void settleSendLater(int promiseId, CompletableFuture<Void> sent) {
        strongOps++;
        sent.whenComplete((v, error) -> sendCompleted(promiseId, error));
    }

    private void sendCompleted(int promiseId, Throwable error) {
        if (!loop.isLoopThread()) { // not expected while the loop runs: the engine completes sends on it
            if (!loop.isStopped()) {
                loop.execute(() -> sendCompleted(promiseId, error));
            }
            return;
        }
        if (closed) {
            return;
        }
        if (sendResults.size() == 0) {
            loop.execute(this::settleSends);
        }
        if (error == null) {
            sendResults.succeeded(promiseId);
        } else {
            sendResults.failed(promiseId, error);
        }
    }

    private void settleSends() {
        if (closed || !loop.isLoopThread() || sendResults.size() == 0) {
            return;
        }
        strongOps -= sendResults.size();
        call(settleSendsFn, sendResults.drain());
    }

    private void settle(int promiseId, int code, String text) {
        if (fatal != null || closed) {
            return;
        }
        try {
            settleFn.callVoid(null, promiseId, code, text);
        } catch (JavetException e) {
            fail("internal error: " + e.getMessage());
        }
    }

    void scheduleTimer(int id, int delay) {
        loop.schedule(id, delay, () -> call(fireFn, id));
    }

    void cancelTimer(int id) {
        loop.cancel(id);
    }

    /**
     * Hands an event to callback {@code subscriptionId}. The events the engine hands over during one
     * loop task (its callbacks' deliveries run a few hundred at a time) cross into V8 together, in
     * order, at the end of that task.
     */
    void deliverEvent(int subscriptionId, IpcEvent event) {
        if (closed || !loop.isLoopThread()) { // after the loop has ended, callbacks run elsewhere: skip V8
            return;
        }
        scheduleInbound();
        inbound.event(subscriptionId, event);
    }

    /** Hands a channel message to callback {@code subscriptionId}; see {@link #deliverEvent}. */
    void deliverChannel(int subscriptionId, String windowId, String payloadJson) {
        if (closed || !loop.isLoopThread()) {
            return;
        }
        scheduleInbound();
        inbound.channel(subscriptionId, windowId, payloadJson);
    }

    private void scheduleInbound() {
        if (inbound.size() == 0 && !inTask) { // not expected: the engine hands events over in loop tasks
            loop.execute(this::deliverInbound);
        }
    }

    private void deliverInbound() {
        if (closed || !loop.isLoopThread() || inbound.size() == 0) {
            return;
        }
        call(eventsFn, inbound.drain());
    }

    private void call(V8ValueFunction fn, Object... args) {
        if (fatal != null || closed) {
            return;
        }
        try {
            fn.callVoid(null, args);
        } catch (JavetException e) {
            fail("internal error: " + e.getMessage());
        }
    }

    /** An exception the app did not catch: report it and end the app with exit code 1. */
    void uncaught(String description, boolean inPromise) {
        fail(UncaughtReport.format(description, inPromise));
    }

    private void fail(String report) {
        if (fatal != null) {
            return;
        }
        fatal = report;
        exitCode = AppError.SCRIPT;
        reportError(report);
        if (windows != null) {
            windows.shutdown();
        }
        loop.stop();
    }

    private void reportError(String report) {
        out.flush();
        err.println("error: " + report);
        err.flush();
    }

    private static boolean isWindowGone(V8Value reason) throws JavetException {
        if (reason instanceof V8ValueObject error) {
            try (V8Value code = error.get("code")) {
                return code instanceof com.caoccao.javet.values.primitive.V8ValueInteger n
                        && n.getValue() == dev.kiln.ipc.ErrorCode.WINDOW_NOT_FOUND.code();
            }
        }
        return false;
    }

    private String describe(V8Value value) {
        try {
            return describeFn.callString(null, value);
        } catch (JavetException e) {
            return String.valueOf(value);
        }
    }

    private void onPromiseReject(JavetPromiseRejectEvent event, V8ValuePromise promise, V8Value value) {
        try {
            int hash = promise.getIdentityHash();
            if (event == JavetPromiseRejectEvent.PromiseRejectWithNoHandler) {
                (isWindowGone(value) ? unhandledWindowGone : unhandled).put(hash, describe(value));
            } else if (event == JavetPromiseRejectEvent.PromiseHandlerAddedAfterReject) {
                unhandled.remove(hash);
                unhandledWindowGone.remove(hash);
            }
        } catch (JavetException e) {
            fail("internal error: " + e.getMessage());
        }
    }

    // ---- for tests: memory and handle counts ----

    /** What a leak test watches, taken on the loop thread between tasks. */
    record Footprint(long v8HeapBytes, int v8Handles, int openSubscriptions) {
    }

    /** The footprint after a full V8 garbage collection; any thread. */
    CompletableFuture<Footprint> footprint() {
        CompletableFuture<Footprint> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(new Footprint(usedV8Heap(), openHandles(), ipcOps.openCount())));
        return f;
    }

    /** V8's used heap in bytes; loop thread only. */
    long usedV8Heap() {
        v8.lowMemoryNotification();
        V8HeapStatistics stats = v8.getV8HeapStatistics().join();
        return stats.getUsedHeapSize();
    }

    /** Open V8 value handles held by Java, plus callback contexts; loop thread only. */
    int openHandles() {
        return v8.getReferenceCount() + v8.getCallbackContextCount();
    }

    private void close() {
        closed = true;
        if (ipcOps != null) {
            ipcOps.closeAll();
        }
        if (windows != null) {
            windows.shutdown();
        }
        closeQuietly(mainPromise, settleFn, settleSendsFn, eventsFn, fireFn, describeFn, callbacks);
        if (modules != null) {
            modules.close();
        }
        if (opsObject != null) {
            closeQuietly(opsObject);
        }
        if (v8 != null) {
            try {
                v8.close();
            } catch (JavetException e) {
                // exiting anyway
            }
        }
        out.flush();
        err.flush();
    }

    private static void closeQuietly(V8Value... values) {
        for (V8Value v : values) {
            if (v != null) {
                try {
                    v.close();
                } catch (JavetException e) {
                    // exiting anyway
                }
            }
        }
    }
}
