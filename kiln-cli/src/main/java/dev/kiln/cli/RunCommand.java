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
        if (traceSends) {
            app.setTraceSends(true);
        }
        InterruptSignal.install(app);
        if (automation) {
            AutomationChannel.start(app, System.in, System.out);
        }
        return watch ? runWatching(app) : app.run(System.out, System.err);
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
