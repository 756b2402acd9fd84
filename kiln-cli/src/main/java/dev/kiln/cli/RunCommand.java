package dev.kiln.cli;

import dev.kiln.script.AppError;
import dev.kiln.script.ScriptApp;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln run}: runs an app folder until its last window closes and nothing is pending. */
@Command(name = "run", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {
            "Runs the app in <app-dir>: manifest.app.toml, src/main.ts (or src/main.js) and web/.",
            "The process ends with exit code 0 once the last window has closed and the script has nothing",
            "pending; 1 for a script error (syntax error, bad import, uncaught exception); 2 for a problem",
            "with the app folder or its manifest; 3 when a window stopped responding (its page's script keeps",
            "the UI thread busy; see -Dkiln.unresponsiveAfterMs below) and Ctrl-C, quit or close had to end",
            "the process; 130 for a second Ctrl-C. Ctrl-C closes the windows and ends the app."},
        footer = {"",
            "Automation protocol (--automation), one command per line on stdin, one answer per command on",
            "stdout, prefixed 'kiln-automation: ' and followed by 'ok [result]' or 'error <message>':",
            "  wait-ready <window-id> [timeout-ms]   wait until the window exists and its page is ready;",
            "                                        answers the id and the JVM's uptime in ms",
            "  eval <window-id> <javascript>         run JavaScript in the page; the result as JSON",
            "  click <window-id> <css-selector>      a real mouse click at the element's centre",
            "  screenshot <window-id> <file.png>     save a PNG of the window",
            "  close <window-id>                     close the window as the user would",
            "  quit                                  close every window, as Ctrl-C does",
            "A <window-id> of * means the app's first open window. 'ok' means the action happened. While a page",
            "keeps the UI thread busy (a script in a loop) for longer than the watchdog's limit (5000 ms, or",
            "KILN_JAVA_OPTS=-Dkiln.unresponsiveAfterMs=N), commands answer 'error [7005] window ... is not",
            "responding', and close and quit end the process with exit code 3."})
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<app-dir>", description = "The app folder.")
    Path appDir;

    @Option(names = "--headless", description = {
        "Run under a virtual display (Xvfb), started by the ./kiln launcher; without any display "
            + "the launcher does this by itself."})
    boolean headless;

    @Option(names = "--automation", description = {
        "Read automation commands on stdin (for end-to-end tests and benchmarks; see below)."})
    boolean automation;

    @Option(names = "--no-page-console", description = {
        "Do not print the pages' console (console.log/warn/error..., uncaught errors, unhandled promise",
        "rejections). By default each is one line on stderr: [page <window-id>] <level>: text (app://file.js:line:col)."})
    boolean noPageConsole;

    @Option(names = "--trace-sends", description = {
        "Note where the script makes each send, broadcast, invokeWindow and stream read, so that a warning",
        "or error about one that failed (such as one cut short when the last window closed) ends with",
        "', sent at src/main.ts:12:7'. Costs a stack capture per operation. Same as KILN_TRACE_SENDS=1."})
    boolean traceSends;

    @Option(names = "--watch", description = {
        "Restart the app (its script and its windows) when a file under src/ changes, one line per"
            + " restart. A script error waits for the next change instead of ending; closing the last"
            + " window or Ctrl-C ends."})
    boolean watch;

    @Option(names = "--dev-url", paramLabel = "URL", description = {
        "Dev mode: show the pages of a front-end dev server (such as http://localhost:5173, with hot "
            + "module replacement) instead of the app's web/ folder; overrides [build] devUrl of the manifest."})
    java.net.URI devUrl;

    @Option(names = "--trace-ipc", paramLabel = "FILE", description = {
        "Write every IPC event (sends, deliveries, refusals, drops, system events, calls with their duration,"
            + " stream steps) to FILE in the Chrome trace event format: open it in https://ui.perfetto.dev or"
            + " chrome://tracing. One track per window and direction. See docs/inspecting.md."})
    Path traceIpc;

    @Option(names = "--inspect-ipc", arity = "0..1", paramLabel = "window", fallbackValue = INSPECT_IPC_PRINT,
            preprocessor = AttachedValueOnly.class, description = {
        "Serve a live IPC inspector: every message both ways as it happens, refusals and drops with their"
            + " code, calls with their duration, filters, per-channel counts and latency. Its address, with a"
            + " fresh secret, is printed on stderr; open it in a browser, or give --inspect-ipc=window to"
            + " have Kiln show it in a window beside the app's. See docs/inspecting.md."})
    String inspectIpc;

    static final String INSPECT_IPC_PRINT = "print";
    static final String INSPECT_IPC_WINDOW = "window";

    @Option(names = "--inspect", arity = "0..1", paramLabel = "[HOST:]PORT", fallbackValue = DEFAULT_INSPECT,
            preprocessor = AttachedValueOnly.class,
            description = {"Let a debugger (Chrome DevTools, VS Code) attach to main.ts over the Chrome DevTools"
                + " Protocol, on 127.0.0.1:9229 unless given; the address to attach to is printed on stderr."})
    String inspect;

    @Option(names = "--inspect-brk", arity = "0..1", paramLabel = "[HOST:]PORT", fallbackValue = DEFAULT_INSPECT,
            preprocessor = AttachedValueOnly.class,
            description = {"As --inspect, but wait for the debugger, then pause on main.ts's first line."})
    String inspectBrk;

    static final String DEFAULT_INSPECT = "127.0.0.1:9229";

    /**
     * An optional value is taken only when attached ({@code --inspect=9230}), as Node does, so that
     * {@code --inspect app} leaves the app folder alone.
     */
    static final class AttachedValueOnly implements picocli.CommandLine.IParameterPreprocessor {
        @Override
        public boolean preprocess(java.util.Stack<String> args, picocli.CommandLine.Model.CommandSpec spec,
                                  picocli.CommandLine.Model.ArgSpec option, java.util.Map<String, Object> info) {
            if (" ".equals(info.get("separator")) || "".equals(info.get("separator"))) {
                option.setValue(((picocli.CommandLine.Model.OptionSpec) option).fallbackValue());
                return true;
            }
            return false;
        }
    }

    @Override
    public Integer call() {
        ScriptApp app;
        try {
            app = ScriptApp.load(appDir);
            if (devUrl != null) {
                app = app.withDevUrl(devUrl);
            }
        } catch (AppError e) {
            System.err.println("error: " + e.getMessage());
            return e.exitCode();
        }
        app.setPageConsole(!noPageConsole);
        if (traceIpc != null) {
            Path parent = traceIpc.toAbsolutePath().getParent();
            if (parent == null || !java.nio.file.Files.isDirectory(parent) || !java.nio.file.Files.isWritable(parent)
                    || java.nio.file.Files.isDirectory(traceIpc)) {
                System.err.println("error: --trace-ipc: cannot write " + traceIpc + " (no such folder, not writable,"
                        + " or a folder)");
                return AppError.CONFIG;
            }
        }
        app.setIpcTrace(traceIpc);
        if (inspectIpc != null && !inspectIpc.equals(INSPECT_IPC_PRINT) && !inspectIpc.equals(INSPECT_IPC_WINDOW)) {
            System.err.println("error: --inspect-ipc takes no value or 'window' (--inspect-ipc=window); got '" + inspectIpc + "'");
            return AppError.CONFIG;
        }
        app.setIpcInspector(inspectIpc != null, INSPECT_IPC_WINDOW.equals(inspectIpc));
        if (inspect != null || inspectBrk != null) {
            try {
                app.setDebugger(address(inspectBrk != null ? inspectBrk : inspect), inspectBrk != null);
            } catch (IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage());
                return AppError.CONFIG;
            }
        }
        if (traceSends) {
            app.setTraceSends(true);
        }
        InterruptSignal.install(app);
        if (automation) {
            AutomationChannel.start(app, System.in, System.out);
        }
        return watch ? runWatching(app) : app.run(System.out, System.err);
    }

    /** {@code [host:]port}, host 127.0.0.1 by default, as --inspect takes it. */
    static java.net.InetSocketAddress address(String hostPort) {
        String text = hostPort.isBlank() ? DEFAULT_INSPECT : hostPort.trim();
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : text.substring(0, colon).replaceAll("^\\[|]$", "");
        String port = colon < 0 ? text : text.substring(colon + 1);
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return new java.net.InetSocketAddress(host.isEmpty() ? "127.0.0.1" : host, p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--inspect takes [host:]port, such as 127.0.0.1:9229 or 9230; got '"
                    + hostPort + "'");
        }
    }

    /**
     * Runs the app again each time a file under src/ changes (after 200 ms of quiet). The windows are
     * restarted with the script rather than reloaded: the script creates them and holds their state,
     * so a fresh script with old windows would not match its own. Ends when Ctrl-C or quit asks, or
     * when the app ends on its own with exit code 0 (its last window closed); after a script error
     * it waits for the next change.
     */
    private int runWatching(ScriptApp app) {
        Path src = app.appDir().resolve("src");
        java.util.concurrent.BlockingQueue<Path> changes = new java.util.concurrent.LinkedBlockingQueue<>();
        try (SourceWatcher watcher = new SourceWatcher(src, java.time.Duration.ofMillis(200), changed -> {
            changes.add(changed);
            app.restart();
        })) {
            System.err.println("kiln: watching " + app.appDir().relativize(src) + "/ for changes");
            while (true) {
                changes.clear();
                int code = app.run(System.out, System.err);
                if (app.interruptRequested()) {
                    return code;
                }
                Path changed = changes.poll();
                if (changed == null && !app.restartRequested()) {
                    if (code == 0) {
                        return 0; // the user closed the app
                    }
                    System.err.println("kiln: waiting for a change under src/ (Ctrl-C to stop)");
                    while (changed == null && !app.interruptRequested()) {
                        changed = changes.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                    }
                    if (changed == null) {
                        return code;
                    }
                }
                System.err.println("kiln: src/" + (changed == null ? "" : changed.toString().replace('\\', '/'))
                        + " changed: restarting");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /**
     * Ctrl-C: the first closes the windows and lets the app end, or, when the FX thread is stuck (the
     * watchdog says so), ends the process with {@link StuckFxThread#EXIT_CODE}; a second one ends the
     * process at once (130).
     */
    static final class InterruptSignal {
        private static final AtomicInteger COUNT = new AtomicInteger();

        private InterruptSignal() {
        }

        static void install(ScriptApp app) {
            // SIGTERM (or a SIGINT the JVM handles itself): close the windows before the JVM goes.
            Thread hook = new Thread(() -> app.interruptAndWait(java.time.Duration.ofSeconds(5)), "kiln-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> {
                    if (COUNT.incrementAndGet() == 1) {
                        System.err.println("Interrupted: closing the windows (Ctrl-C again to stop at once)");
                        app.interrupt();
                        endIfStuck();
                    } else {
                        Runtime.getRuntime().halt(130);
                    }
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // No SIGINT on this platform: the JVM's default handling stays.
            }
        }

        /** Until the app has ended (the JVM exits), ends the process if the windows cannot close. */
        private static void endIfStuck() {
            Thread guard = new Thread(() -> {
                try {
                    StuckFxThread.endOnceStuck();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "kiln-interrupt-guard");
            guard.setDaemon(true);
            guard.start();
        }
    }
}
