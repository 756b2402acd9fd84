package dev.kiln.cli;

import dev.kiln.ipc.KilnException;
import dev.kiln.script.ScriptApp;
import dev.kiln.window.AppWindow;
import dev.kiln.window.Automation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The {@code run --automation} protocol: line commands on stdin, answers on stdout prefixed
 * {@value #PREFIX}. See {@link RunCommand}'s help for the commands.
 *
 * <p>An answer "ok" means the action happened. When the FX thread is stuck (a page's script in a
 * loop), commands answer {@code error [7005] ...} once the FX watchdog says so, and {@code quit} and
 * {@code close} end the process with exit code {@value StuckFxThread#EXIT_CODE} (see
 * {@link StuckFxThread}).
 *
 * <p>Threading: one daemon thread reads and answers commands one at a time; it waits on the
 * windows' futures, never on the FX thread or the script loop.
 */
final class AutomationChannel {
    static final String PREFIX = "kiln-automation: ";
    private static final long DEFAULT_TIMEOUT_MS = 30_000;

    private final ScriptApp app;
    private final PrintStream out;
    // any thread: whether the current command has its answer, and what ends it if it ends the app
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile BooleanSupplier ending;

    private AutomationChannel(ScriptApp app, PrintStream out) {
        this.app = app;
        this.out = out;
    }

    static void start(ScriptApp app, InputStream in, PrintStream out) {
        AutomationChannel channel = new AutomationChannel(app, out);
        Thread t = new Thread(() -> channel.serve(in), "kiln-automation");
        t.setDaemon(true);
        t.start();
        // A close of the last window (or quit) ends the app, perhaps before this thread saw it done:
        // answer it on the way out.
        Runtime.getRuntime().addShutdownHook(new Thread(channel::answerEndingCommand, "kiln-automation-exit"));
    }

    private void serve(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    answer(line.strip());
                }
            }
        } catch (IOException e) {
            answered.set(false);
            answerLine("error stdin closed: " + e.getMessage());
        }
    }

    private void answer(String line) {
        ending = null;
        answered.set(false);
        String[] parts = line.split(" ", 3);
        try {
            String result = switch (parts[0]) {
                case "wait-ready" -> {
                    long timeout = parts.length > 2 ? Long.parseLong(parts[2].trim()) : DEFAULT_TIMEOUT_MS;
                    AppWindow w = awaitWindow(arg(parts, 1), timeout);
                    // not cut short by the watchdog: a first page load on a busy machine holds the FX thread for seconds
                    Automation.whenPageReady(w).get(timeout, TimeUnit.MILLISECONDS);
                    // The JVM's age at this point is Kiln's startup time to a ready first window.
                    yield w.id() + " jvm-uptime-ms=" + ManagementFactory.getRuntimeMXBean().getUptime();
                }
                case "eval" -> StuckFxThread.get(Automation.evaluate(window(arg(parts, 1)), arg(parts, 2)),
                        DEFAULT_TIMEOUT_MS, "eval");
                case "click" -> {
                    StuckFxThread.get(Automation.click(window(arg(parts, 1)), arg(parts, 2)), DEFAULT_TIMEOUT_MS, "click");
                    yield "";
                }
                case "screenshot" -> StuckFxThread.get(Automation.screenshot(window(arg(parts, 1)), Path.of(arg(parts, 2))),
                        DEFAULT_TIMEOUT_MS, "screenshot").toString();
                case "close" -> {
                    AppWindow w = window(arg(parts, 1));
                    w.close();
                    awaitOrEnd(w::isClosed, line);
                    yield "";
                }
                case "quit" -> {
                    app.interrupt();
                    awaitOrEnd(() -> app.windows().stream().allMatch(AppWindow::isClosed), line);
                    yield "";
                }
                default -> throw new IllegalArgumentException("unknown command '" + parts[0]
                        + "' (wait-ready, eval, click, screenshot, close, quit)");
            };
            answerLine(result.isEmpty() ? "ok" : "ok " + result.replace('\n', ' '));
        } catch (ExecutionException e) {
            answerLine("error " + oneLine(e.getCause() == null ? e : e.getCause()));
        } catch (TimeoutException e) {
            answerLine("error timed out: " + line);
        } catch (StuckFxThread.NotResponding e) {
            answerLine("error " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            answerLine("error " + oneLine(e));
        }
    }

    /** The action ended the window(s), or the process ends; a timeout with the FX thread answering is an error. */
    private void awaitOrEnd(BooleanSupplier done, String line) throws InterruptedException, TimeoutException {
        ending = done; // kept until the next command: the process may end before this thread answers
        if (!StuckFxThread.awaitOrEnd(done, Duration.ofMillis(DEFAULT_TIMEOUT_MS), message -> answerLine("error " + message))) {
            throw new TimeoutException(line);
        }
    }

    /** JVM shutdown: a close or quit that did what it was asked is answered, if it was not yet. */
    private void answerEndingCommand() {
        BooleanSupplier done = ending;
        if (done != null && done.getAsBoolean()) {
            answerLine("ok");
        }
    }

    private AppWindow awaitWindow(String id, long timeoutMs) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            var w = id.equals("*") ? app.windows().stream().findFirst() : app.window(id);
            if (w.isPresent()) {
                return w.get();
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("no window " + id);
            }
            Thread.sleep(20);
        }
    }

    private AppWindow window(String id) {
        var w = id.equals("*") ? app.windows().stream().findFirst() : app.window(id);
        return w.orElseThrow(() -> KilnException.windowNotFound(id));
    }

    private static String arg(String[] parts, int i) {
        if (parts.length <= i || parts[i].isBlank()) {
            throw new IllegalArgumentException("missing argument " + i + " (see kiln run --help)");
        }
        return parts[i];
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.replace('\n', ' ');
    }

    /** The current command's answer; the first one wins (the exit hook may race the command's thread). */
    private void answerLine(String text) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        synchronized (out) {
            out.println(PREFIX + text);
            out.flush();
        }
    }
}
