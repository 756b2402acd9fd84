package dev.kiln.script;

import com.caoccao.javet.exceptions.BaseJavetScriptingException;
import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.interop.V8Host;
import com.caoccao.javet.interop.V8Runtime;
import com.caoccao.javet.values.V8Value;
import com.caoccao.javet.values.reference.V8Module;
import com.caoccao.javet.values.reference.V8ValueFunction;
import com.caoccao.javet.values.reference.V8ValueObject;
import com.caoccao.javet.values.reference.V8ValuePromise;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One app's V8 runtime and the event loop that owns it: creates V8, installs the bootstrap and the
 * runtime: modules, evaluates the main module, runs the loop until {@link ExitPolicy} says the app is
 * done or an uncaught error ends it ({@link RejectionTracker}), and closes V8.
 *
 * <p>The parts, each on the loop thread: {@link ExitPolicy} (when the app ends),
 * {@link RejectionTracker} (what an uncaught error does), {@link JavaPromises} (settling the script's
 * promises, sends in batches), {@link InboundDelivery} (events to callbacks, in batches),
 * {@link ScriptCallbacks} (the calls into V8) and the ops V8 calls ({@link HostOps}, {@link IpcOps},
 * {@link WindowOps}).
 *
 * <p>Threading: {@link #run()} runs on the loop thread and everything it creates is touched only
 * there. Other threads reach the runtime through {@link #loop()}'s {@code execute} and
 * {@link #interrupt()}. The engine's callbacks run on the loop as well (it is the callback executor).
 */
final class ScriptRuntime {
    private final Path appDir;
    private final Path mainScript;
    private final AppManifest manifest;
    private final Permissions permissions;
    private final PrintStream out;
    private final PrintStream err;
    private final CompletableFuture<WindowSystem> windowsReady;
    private final EventLoop loop = new EventLoop();
    private final ExitPolicy exit = new ExitPolicy(loop);
    private final ScriptCallbacks callbacks = new ScriptCallbacks(this::live, this::fail);
    private final JavaPromises promises = new JavaPromises(loop, exit, callbacks);

    // loop thread only
    private WindowSystem windows;
    private V8Runtime v8;
    private ModuleLoader modules;
    private V8ValueObject opsObject;
    private RejectionTracker rejections;
    private InboundDelivery inbound;
    private IpcOps ipcOps;
    private CallOps callOps;
    private StreamOps streamOps;
    private java.util.concurrent.ExecutorService io;
    private java.util.List<Object> platformOps = java.util.List.of();
    private boolean exitRequested; // runtime:app exit / Deno.exit: the script stops where it is
    private DialogOps dialogOps;
    private boolean inTask;
    private String fatal;
    private int exitCode;
    private volatile boolean closed; // once set, nothing may touch V8 (tasks may run after the loop)
    private Debugger debugger; // set before run
    private Debugger.Session debugging;
    private boolean traceSends; // set before run
    private volatile boolean relaunchRequested;

    ScriptRuntime(Path appDir, Path mainScript, AppManifest manifest, Permissions permissions,
                  CompletableFuture<WindowSystem> windows, PrintStream out, PrintStream err) {
        this.appDir = appDir;
        this.mainScript = mainScript;
        this.manifest = manifest;
        this.permissions = permissions;
        this.windowsReady = windows;
        this.out = out;
        this.err = err;
    }

    /** Exposes V8 to a debugger ({@code --inspect}); call before {@link #run()}. */
    void debugWith(Debugger debugger) {
        this.debugger = debugger;
    }

    /** See {@link ScriptApp#setTraceSends}; before {@link #run}. */
    void traceSends(boolean on) {
        traceSends = on;
    }

    EventLoop loop() {
        return loop;
    }

    /** Ctrl-C: close the windows and let the script wind down; timers no longer keep it alive. Any thread. */
    void interrupt() {
        exit.interrupt();
    }

    /** Runs the app on the calling thread until it is done; the exit code. */
    int run() {
        loop.bindToCurrentThread();
        try {
            start();
            loop.run(this::runTask, () -> fatal != null || exit.shouldStop());
        } catch (AppError e) {
            if (!exitRequested) {
                reportError(e.getMessage());
                exitCode = e.exitCode();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exitCode = 130;
        } catch (JavetException | RuntimeException e) {
            if (!exitRequested) { // else V8 was told to stop the script where it was: not an error
                reportError("internal error: " + e);
                exitCode = AppError.SCRIPT;
            }
        } finally {
            close();
        }
        return exitCode;
    }

    private void start() throws JavetException {
        NativeLibraries.install();
        v8 = V8Host.getV8Instance().createV8Runtime();
        v8.setLogger(new JavetLogSink());
        rejections = new RejectionTracker(callbacks, exit::atNormalEnd, this::uncaught, traceSends, out, err);
        v8.setPromiseRejectCallback(rejections::onPromiseReject);
        modules = new ModuleLoader(appDir, new TypeScriptCompiler());
        v8.setV8ModuleResolver(modules);
        if (debugger != null) {
            modules.inlineSourceMaps();
            if (debugger.breakOnStart()) {
                modules.pauseAtStartOf(mainScript);
            }
            debugging = debugger.start(v8, loop, mainScript, err);
        }
        try {
            windows = windowsReady.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new AppError(AppError.SCRIPT, "Cannot open windows: " + cause.getMessage(), cause);
        }
        exit.watch(windows);
        inbound = new InboundDelivery(loop, callbacks, () -> inTask);
        WindowOps windowOps = new WindowOps(promises, windows, manifest.windows(), err);
        ipcOps = new IpcOps(promises, inbound, windows, windowOps);
        callOps = new CallOps(windows.ipc(), loop, exit, callbacks);
        streamOps = new StreamOps(windows.ipc(), loop, exit, callbacks);
        io = Platform.workers();
        Platform platform = new Platform(permissions, manifest, loop, promises, io, new BytesOps(v8), err, this::exitApp, this::interrupt,
                this::relaunch, windows.terminated());
        platformOps = PlatformModules.create(platform, windowOps::openWindows);
        dialogOps = new DialogOps(platform, windows);
        installBootstrap(new HostOps(out, err, loop, callbacks, modules, this::uncaught), windowOps);
        evaluateMain();
    }

    private void installBootstrap(HostOps hostOps, WindowOps windowOps) throws JavetException {
        opsObject = v8.createV8ValueObject();
        opsObject.bind(hostOps);
        opsObject.bind(ipcOps);
        opsObject.bind(callOps);
        opsObject.bind(streamOps);
        opsObject.bind(windowOps);
        opsObject.bind(dialogOps);
        for (Object ops : platformOps) {
            opsObject.bind(ops);
        }
        String source = ScriptProtocol.bootstrap(windows.ipc().config().maxPayloadBytes(),
                platformOps.stream().<Class<?>>map(Object::getClass).toList(), traceSends);
        try (V8ValueFunction bootstrap = v8.getExecutor(source).setResourceName(ScriptProtocol.RESOURCE_NAME).execute()) {
            callbacks.bind(bootstrap.call(null, opsObject));
        }
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
        if (debugger != null && debugger.breakOnStart()) {
            try {
                // compiled and linked: the first statement to run is the app's
                if (!debugging.waitForDebugger(exit::interrupted)) {
                    return; // Ctrl-C while waiting: the app ends without running main
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AppError(AppError.SCRIPT, "Interrupted while waiting for the debugger", e);
            }
        }
        V8Value result = main.evaluate();
        if (result instanceof V8ValuePromise promise) {
            rejections.watchMain(promise);
            rejections.check();
        } else {
            result.close();
        }
    }

    /** One loop task or timer, then what must follow each: the events it gathered, then the error check. */
    private void runTask(Runnable task) {
        inTask = true;
        try {
            task.run();
        } catch (RuntimeException e) {
            fail("internal error: " + e);
        } finally {
            inTask = false;
        }
        if (inbound != null) {
            inbound.endOfTask(); // in the same task, so callbacks run before whatever was queued after it
        }
        if (fatal == null && rejections != null) {
            rejections.check();
        }
    }

    private boolean live() {
        return fatal == null && !closed && !exitRequested;
    }

    /**
     * Ends the app now with {@code code} (runtime:app {@code exit}, {@code Deno.exit}): the script
     * stops where it is, as a process's exit would stop it; the windows close.
     */
    private void exitApp(int code) {
        if (exitRequested || fatal != null) {
            return;
        }
        exitRequested = true;
        exitCode = code;
        if (windows != null) {
            windows.shutdown();
        }
        loop.stop();
        v8.terminateExecution();
    }

    /** runtime:app relaunch: ends this run as Ctrl-C does; {@link ScriptApp} then runs the app again. */
    private void relaunch() {
        relaunchRequested = true;
        interrupt();
    }

    /** Whether the app asked to be run again (runtime:app relaunch). Any thread. */
    boolean relaunchRequested() {
        return relaunchRequested;
    }

    /** An exception the app did not catch, already formatted: report it and end the app with exit code 1. */
    private void uncaught(String report) {
        fail(report);
    }

    private void fail(String report) {
        if (fatal != null || exitRequested) {
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

    // ---- for tests: V8 and the ops, on the loop thread ----

    V8Runtime v8() {
        return v8;
    }

    int openSubscriptions() {
        return ipcOps.openCount() + callOps.openCount() + streamOps.openCount();
    }

    private void close() {
        closed = true;
        promises.close();
        for (Object ops : platformOps) {
            if (ops instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    err.println("warning: closing " + ops.getClass().getSimpleName() + ": " + e);
                }
            }
        }
        if (io != null) {
            io.shutdownNow();
        }
        if (inbound != null) {
            inbound.close();
        }
        if (ipcOps != null) {
            ipcOps.closeAll();
            callOps.closeAll();
            streamOps.closeAll();
            dialogOps.closeAll();
        }
        if (windows != null) {
            windows.shutdown();
        }
        if (rejections != null) {
            rejections.close();
        }
        callbacks.close();
        if (modules != null) {
            modules.close();
        }
        V8Closer.closeQuietly(opsObject);
        if (debugging != null) {
            debugging.close();
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
}
