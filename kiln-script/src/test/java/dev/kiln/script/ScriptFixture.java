package dev.kiln.script;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import dev.kiln.ipc.IpcConfig;

/** Writes small app folders and runs them in-process with real V8 over {@link MemoryWindows}. */
final class ScriptFixture {
    static final String MANIFEST = """
            [app]
            name = "Test"
            identifier = "dev.kiln.test"
            version = "0.1.0"

            [capabilities.channels]
            allowed = ["*"]
            """;

    /** The outcome of one run; a run stopped by the watchdog has exit code {@link #HUNG}. */
    record Result(int exitCode, String out, String err) {
    }

    static final int HUNG = -1;

    private final Path dir;
    final CompletableFuture<MemoryWindows> windows = new CompletableFuture<>();
    private boolean traceSends;

    ScriptFixture(Path dir) {
        this.dir = dir;
        write(AppManifest.FILE_NAME, MANIFEST);
        write("web/index.html", "<!DOCTYPE html><html><body>test</body></html>");
    }

    ScriptFixture write(String relative, String content) {
        try {
            Path p = dir.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Runs the app as {@code kiln run --trace-sends} does (off by default, whatever the environment says). */
    ScriptFixture traceSends() {
        traceSends = true;
        return this;
    }

    Path dir() {
        return dir;
    }

    /** Runs src/main.ts (given) to the end; {@code setup} sees the windows before the script starts. */
    Result run(String mainTs, Consumer<MemoryWindows> setup) {
        write("src/main.ts", mainTs);
        return runApp(setup);
    }

    Result run(String mainTs) {
        return run(mainTs, w -> { });
    }

    /** A script that hangs is interrupted after 30 s (with a note in its stderr) so that the test fails, not hangs. */
    private static Thread watchdog(ScriptApp app, PrintStream err) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(30_000);
                err.println("TEST WATCHDOG: the script was still running after 30 s; interrupting it");
                app.interrupt();
            } catch (InterruptedException e) {
                // finished in time
            }
        }, "script-watchdog");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Runs src/main.ts (given) with the engine's configuration tuned, such as a smaller payload limit. */
    Result runApp(UnaryOperator<IpcConfig.Builder> tuning, String mainTs, Consumer<MemoryWindows> setup) {
        write("src/main.ts", mainTs);
        return runApp(tuning, setup);
    }

    static UnaryOperator<IpcConfig.Builder> withLimit(long maxPayloadBytes) {
        return b -> b.maxPayloadBytes(maxPayloadBytes);
    }

    Result runApp(Consumer<MemoryWindows> setup) {
        return runApp(UnaryOperator.identity(), setup);
    }

    private Result runApp(UnaryOperator<IpcConfig.Builder> tuning, Consumer<MemoryWindows> setup) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            try {
                ScriptApp app = ScriptApp.load(dir);
                app.setTraceSends(traceSends);
                Thread watchdog = watchdog(app, e);
                code = app.run(config -> {
                    MemoryWindows w = new MemoryWindows(config);
                    setup.accept(w);
                    windows.complete(w);
                    return w;
                }, tuning, o, e);
                watchdog.interrupt();
                if (err.toString(StandardCharsets.UTF_8).contains("TEST WATCHDOG")) {
                    code = HUNG;
                }
            } catch (AppError error) {
                e.println("error: " + error.getMessage());
                code = error.exitCode();
            }
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
