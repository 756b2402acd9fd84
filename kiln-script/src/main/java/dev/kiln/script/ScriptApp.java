package dev.kiln.script;

import dev.kiln.ipc.IpcConfig;
import dev.kiln.window.AppWindow;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A TypeScript or JavaScript app folder, ready to run: {@code manifest.app.toml}, {@code src/main.ts}
 * (or {@code main.js}) and {@code web/}.
 *
 * <p>{@link #load(Path)} checks the folder and its manifest; {@link #run} runs the app in V8 with
 * {@code runtime:ipc} and {@code runtime:window} until it is done and returns the exit code: 0 when
 * the script finished (last window closed, nothing pending), 1 for a script error, 2 for a problem
 * with the folder. Errors are reported on {@code err} as one line starting with {@code error: }.
 *
 * <p>An app may be run again once a run has ended (as {@code kiln run --watch} does after a source
 * changed): each run loads the sources afresh and opens its own windows.
 *
 * <p>Threading: {@code run} blocks the calling thread; the script runs on its own loop thread and
 * the windows start on another. {@link #window(String)}, {@link #interrupt()} and
 * {@link #restart()} may be called from any thread while it runs; one run at a time.
 */
public final class ScriptApp {
    private final Path appDir;
    private final AppManifest manifest;
    private final Path mainScript;
    private final Permissions permissions;
    private volatile ScriptRuntime runtime;
    private volatile CompletableFuture<WindowSystem> windows = new CompletableFuture<>();
    private volatile boolean interruptRequested;
    private volatile boolean pageConsole = true;
    private volatile boolean traceSends = "1".equals(System.getenv("KILN_TRACE_SENDS"));
    private volatile boolean restartRequested;
    private volatile java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    private volatile Debugger debugger;
    private volatile Path ipcTrace;
    private volatile boolean ipcInspector;
    private volatile boolean ipcInspectorWindow;

    private ScriptApp(Path appDir, AppManifest manifest, Path mainScript) {
        this.appDir = appDir;
        this.manifest = manifest;
        this.mainScript = mainScript;
        this.permissions = new Permissions(manifest.permissions(), AppFolders.of(appDir, manifest.identifier()));
    }

    /**
     * Checks an app folder and reads its manifest.
     *
     * @throws AppError when the folder, the manifest or the main script is missing, or the manifest is wrong
     */
    public static ScriptApp load(Path appDir) {
        Path dir = appDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new AppError(AppError.CONFIG, "No app folder at " + appDir);
        }
        AppManifest manifest = AppManifest.load(dir);
        Path main = null;
        for (String candidate : new String[] {"src/main.ts", "src/main.js"}) {
            if (Files.isRegularFile(dir.resolve(candidate))) {
                main = dir.resolve(candidate);
                break;
            }
        }
        if (main == null) {
            throw new AppError(AppError.CONFIG, "No main script in " + appDir + ": expected src/main.ts or src/main.js");
        }
        return new ScriptApp(dir, manifest, main);
    }

    /**
     * This app with its windows showing a dev server's pages ({@code ./kiln run --dev-url}).
     *
     * @throws AppError with {@link AppError#CONFIG} if it is not an http(s) URL
     */
    public ScriptApp withDevUrl(java.net.URI url) {
        return new ScriptApp(appDir, manifest.withDevUrl(url), mainScript);
    }

    public Path appDir() {
        return appDir;
    }

    public AppManifest manifest() {
        return manifest;
    }

    public Path mainScript() {
        return mainScript;
    }

    /** The app's web folder, served to its windows as {@code app://}. */
    public Path webRoot() {
        return appDir.resolve("web");
    }

    /**
     * Whether the pages' console lines (console.*, uncaught errors, unhandled rejections) are printed
     * on {@code err} as {@code [page <window>] <level>: text (app://file.js:line:col)}; default true.
     * Off, pages get no console hook at all. Set before {@link #run}.
     */
    public void setPageConsole(boolean on) {
        this.pageConsole = on;
    }

    /**
     * Exposes the app's V8 runtime to a debugger over the Chrome DevTools Protocol ({@code kiln run
     * --inspect}); where to attach is printed on {@code err} when the app starts. Set before {@link #run}.
     *
     * @param address      where to listen (Kiln's default: 127.0.0.1:9229)
     * @param breakOnStart wait for a debugger, then pause before main's first statement ({@code --inspect-brk})
     */
    public void setDebugger(java.net.InetSocketAddress address, boolean breakOnStart) {
        this.debugger = new Debugger(java.util.Objects.requireNonNull(address, "address"), breakOnStart);
    }

    /**
     * Writes every IPC event of each run to {@code file} in the Chrome trace event format
     * ({@code kiln run --trace-ipc}; see {@link dev.kiln.ipc.IpcTraceFile}); {@code null} for none. Set
     * before {@link #run}.
     */
    public void setIpcTrace(Path file) {
        this.ipcTrace = file;
    }

    /**
     * Serves a live IPC inspector for each run ({@code kiln run --inspect-ipc}; see
     * {@link dev.kiln.ipc.IpcInspector}); its secret address is printed on {@code err}. Set before {@link #run}.
     *
     * @param inWindow also show it in a window of Kiln's own beside the app's ({@code --inspect-ipc=window};
     *                 see {@link dev.kiln.window.Desktop#showToolWindow})
     */
    public void setIpcInspector(boolean on, boolean inWindow) {
        this.ipcInspector = on;
        this.ipcInspectorWindow = on && inWindow;
    }

    /**
     * Whether the script's sends, calls and stream reads note where the app made them, so that their
     * failures name that line ({@code , sent at src/main.ts:12:7}); costs a stack capture per operation.
     * Default: on when the environment has {@code KILN_TRACE_SENDS=1}. Set before {@link #run}.
     */
    public void setTraceSends(boolean on) {
        this.traceSends = on;
    }

    /** Runs the app with real windows; see the class comment. */
    public int run(PrintStream out, PrintStream err) {
        return run(config -> new DesktopWindows(webRoot(), config, manifest, pageConsole, err), out, err);
    }

    int run(Function<IpcConfig, WindowSystem> windowSystem, PrintStream out, PrintStream err) {
        return run(windowSystem, java.util.function.UnaryOperator.identity(), out, err);
    }

    /**
     * Runs the app over the given windows, with the engine's configuration tuned (for tests); again,
     * with fresh windows and a fresh script, each time it asks to (runtime:app relaunch) unless Ctrl-C
     * or quit asked it to end.
     */
    int run(Function<IpcConfig, WindowSystem> windowSystem, java.util.function.UnaryOperator<IpcConfig.Builder> tuning,
            PrintStream out, PrintStream err) {
        while (true) {
            int code = runOnce(windowSystem, tuning, out, err);
            if (!runtime.relaunchRequested() || interruptRequested) {
                return code;
            }
            err.println("kiln: the app asked to relaunch: starting it again");
            err.flush();
        }
    }

    private int runOnce(Function<IpcConfig, WindowSystem> windowSystem, java.util.function.UnaryOperator<IpcConfig.Builder> tuning,
                        PrintStream out, PrintStream err) {
        manifest.warnings().forEach(w -> err.println("warning: " + w));
        if (manifest.channels() == null) {
            err.println("warning: " + AppManifest.FILE_NAME + " has no [capabilities.channels] section:"
                    + " every channel is allowed");
        }
        if (manifest.devUrl() != null) {
            err.println("info: dev mode: pages come from " + manifest.devUrl());
        } else if (!Files.isDirectory(webRoot())) {
            err.println("warning: no web/ folder in " + appDir + ": windows will have no pages to show");
        }
        err.flush();
        restartRequested = false;
        if (windows.isDone()) { // run again: fresh windows, and a fresh latch for interruptAndWait
            windows = new CompletableFuture<>();
            finished = new java.util.concurrent.CountDownLatch(1);
        }
        CompletableFuture<WindowSystem> windows = this.windows;
        java.util.concurrent.CountDownLatch finished = this.finished;
        ScriptRuntime rt = new ScriptRuntime(appDir, mainScript, manifest, permissions.forRun(), windows, out, err);
        if (debugger != null) {
            rt.debugWith(debugger);
        }
        rt.traceSends(traceSends);
        runtime = rt;
        CompletableFuture<dev.kiln.ipc.IpcTraceFile> trace = new CompletableFuture<>();
        CompletableFuture<dev.kiln.ipc.IpcInspector> inspector = new CompletableFuture<>();
        IpcConfig config = tuning.apply(IpcConfig.builder().policy(manifest.effectivePolicy()).callbackExecutor(rt.loop()))
                .build();
        // The windows start (JavaFX toolkit) while V8 loads and the script compiles.
        Thread starter = new Thread(() -> {
            try {
                WindowSystem started = windowSystem.apply(config);
                // before the script can open a window: they miss nothing
                trace.complete(ipcTrace == null ? null : startTrace(started, err));
                inspector.complete(ipcInspector ? startInspector(started, ipcInspectorWindow, err) : null);
                windows.complete(started);
            } catch (Throwable e) {
                trace.complete(null);
                inspector.complete(null);
                windows.completeExceptionally(e);
            }
        }, "kiln-windows-start");
        starter.setDaemon(true);
        starter.start();
        int[] exit = new int[1];
        Thread loopThread = new Thread(() -> {
            try {
                exit[0] = rt.run();
            } finally {
                finished.countDown();
            }
        }, "kiln-script-loop");
        loopThread.start();
        if (interruptRequested || restartRequested) { // asked while this run was starting
            rt.interrupt();
        }
        try {
            loopThread.join();
        } catch (InterruptedException e) {
            rt.interrupt();
            Thread.currentThread().interrupt();
        }
        if (ipcTrace != null) {
            closeTrace(trace.getNow(null), err);
        }
        dev.kiln.ipc.IpcInspector shown = inspector.getNow(null);
        if (shown != null) {
            shown.close();
        }
        return exit[0];
    }

    /** The trace of this run, or {@code null} (said on {@code err}) if its file cannot be written: the app runs anyway. */
    private dev.kiln.ipc.IpcTraceFile startTrace(WindowSystem started, PrintStream err) {
        try {
            return dev.kiln.ipc.IpcTraceFile.start(started.ipc(), ipcTrace);
        } catch (java.io.IOException e) {
            err.println("error: cannot write the IPC trace " + ipcTrace + ": " + e.getMessage() + "; running without it");
            err.flush();
            return null;
        }
    }

    private static dev.kiln.ipc.IpcInspector startInspector(WindowSystem started, boolean inWindow, PrintStream err) {
        try {
            dev.kiln.ipc.IpcInspector shown = dev.kiln.ipc.IpcInspector.start(started.ipc());
            String at = "kiln: IPC inspector at " + shown.url();
            Optional<dev.kiln.window.Desktop> desktop = inWindow ? started.desktop() : Optional.empty();
            if (desktop.isEmpty()) {
                err.println(at + " (open it in a browser; keep the address secret)");
                err.flush();
            }
            desktop.ifPresent(d -> d.showToolWindow("Kiln IPC inspector", shown.url()).whenComplete((ok, e) -> {
                err.println(at + (e == null ? " (shown in a window of its own; keep the address secret)"
                        : " (its window could not be shown: " + e.getMessage() + "; open it in a browser)"));
                err.flush();
            }));
            return shown;
        } catch (java.io.IOException e) {
            err.println("error: cannot start the IPC inspector: " + e.getMessage() + "; running without it");
            err.flush();
            return null;
        }
    }

    private static void closeTrace(dev.kiln.ipc.IpcTraceFile trace, PrintStream err) {
        if (trace == null) {
            return;
        }
        try {
            trace.close();
            err.println("kiln: IPC trace written to " + trace.file() + ": " + trace.written() + " events"
                    + (trace.dropped() > 0 ? ", " + trace.dropped() + " dropped (the writer fell behind)" : ""));
        } catch (java.io.IOException e) {
            err.println("error: could not write the IPC trace " + trace.file() + ": " + e.getMessage());
        }
        err.flush();
    }

    /** The running app's runtime, for tests; null before run. */
    ScriptRuntime runtime() {
        return runtime;
    }

    /** A window of the running app, for automation; empty before the windows start or for an unknown id. */
    public Optional<AppWindow> window(String id) {
        CompletableFuture<WindowSystem> w = windows;
        return w.isDone() && !w.isCompletedExceptionally() ? w.join().window(id) : Optional.empty();
    }

    /** The app's open windows; empty before the windows start. Any thread. */
    public java.util.Collection<AppWindow> windows() {
        CompletableFuture<WindowSystem> w = windows;
        return w.isDone() && !w.isCompletedExceptionally() ? w.join().windows() : java.util.List.of();
    }

    /**
     * Closes the windows, lets the script end and waits for that, at most {@code timeout}; for a JVM
     * shutdown hook. Returns at once once the app has ended. Any thread.
     */
    public void interruptAndWait(java.time.Duration timeout) {
        interrupt();
        try {
            finished.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ends the current run as Ctrl-C does (the windows close, the script winds down) but without
     * asking the app to quit: {@link #interruptRequested()} stays false, so a watcher may run it
     * again. Any thread.
     */
    public void restart() {
        restartRequested = true;
        ScriptRuntime rt = runtime;
        if (rt != null) {
            rt.interrupt();
        }
    }

    /** Whether {@link #restart()} was called since the last run started. Any thread. */
    public boolean restartRequested() {
        return restartRequested;
    }

    /** Whether Ctrl-C (or the automation's quit) asked the app to end. Any thread. */
    public boolean interruptRequested() {
        return interruptRequested;
    }

    /** Closes the windows and lets the script end, as Ctrl-C does. Any thread. */
    public void interrupt() {
        interruptRequested = true;
        ScriptRuntime rt = runtime;
        if (rt != null) {
            rt.interrupt();
        }
    }
}
