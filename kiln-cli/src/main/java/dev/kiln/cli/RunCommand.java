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
            "with the app folder or its manifest. Ctrl-C closes the windows and ends the app."},
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
            "A <window-id> of * means the app's first open window."})
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
        InterruptSignal.install(app);
        if (automation) {
            AutomationChannel.start(app, System.in, System.out);
        }
        return app.run(System.out, System.err);
    }

    /** Ctrl-C: the first closes the windows and lets the app end; a second one ends the process at once. */
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
                    } else {
                        Runtime.getRuntime().halt(130);
                    }
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // No SIGINT on this platform: the JVM's default handling stays.
            }
        }
    }
}
