package dev.kiln.cli;

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code run --automation} protocol: line commands on stdin, answers on stdout prefixed
 * {@value #PREFIX}. See {@link RunCommand}'s help for the commands.
 *
 * <p>Threading: one daemon thread reads and answers commands one at a time; it waits on the
 * windows' futures, never on the FX thread or the script loop.
 */
final class AutomationChannel {
    static final String PREFIX = "kiln-automation: ";
    private static final long DEFAULT_TIMEOUT_MS = 30_000;

    private final ScriptApp app;
    private final PrintStream out;

    private AutomationChannel(ScriptApp app, PrintStream out) {
        this.app = app;
        this.out = out;
    }

    static void start(ScriptApp app, InputStream in, PrintStream out) {
        AutomationChannel channel = new AutomationChannel(app, out);
        Thread t = new Thread(() -> channel.serve(in), "kiln-automation");
        t.setDaemon(true);
        t.start();
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
            answerLine("error stdin closed: " + e.getMessage());
        }
    }

    private void answer(String line) {
        String[] parts = line.split(" ", 3);
        try {
            String result = switch (parts[0]) {
                case "wait-ready" -> {
                    long timeout = parts.length > 2 ? Long.parseLong(parts[2].trim()) : DEFAULT_TIMEOUT_MS;
                    AppWindow w = awaitWindow(arg(parts, 1), timeout);
                    Automation.whenPageReady(w).get(timeout, TimeUnit.MILLISECONDS);
                    // The JVM's age at this point is Kiln's startup time to a ready first window.
                    yield w.id() + " jvm-uptime-ms=" + ManagementFactory.getRuntimeMXBean().getUptime();
                }
                case "eval" -> Automation.evaluate(window(arg(parts, 1)), arg(parts, 2))
                        .get(DEFAULT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                case "click" -> {
                    Automation.click(window(arg(parts, 1)), arg(parts, 2)).get(DEFAULT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    yield "";
                }
                case "screenshot" -> Automation.screenshot(window(arg(parts, 1)), Path.of(arg(parts, 2)))
                        .get(DEFAULT_TIMEOUT_MS, TimeUnit.MILLISECONDS).toString();
                case "close" -> {
                    window(arg(parts, 1)).close();
                    yield "";
                }
                case "quit" -> {
                    app.interrupt();
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            answerLine("error " + oneLine(e));
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
        return w.orElseThrow(() -> new IllegalArgumentException("[7002] Window not found: " + id));
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

    private void answerLine(String text) {
        synchronized (out) {
            out.println(PREFIX + text);
            out.flush();
        }
    }
}
