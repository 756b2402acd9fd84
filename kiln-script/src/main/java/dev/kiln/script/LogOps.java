package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The ops behind {@code runtime:log} (bootstrap {@code 10-log.js}): leveled records, each one line
 * ({@code <time> <LEVEL> <message> <fields as JSON>}), written to stderr and appended to the app's
 * log file {@code $APPDATA/logs/app.log}, which rotates: past {@link #MAX_FILE_BYTES} it becomes
 * {@code app.log.1} (the older ones move up to {@code app.log.}{@value #KEPT_FILES}, the oldest
 * is deleted). Records below the level ({@code info} unless {@code setLevel} says otherwise) are
 * dropped.
 *
 * <p>Threading: the ops run on the loop thread, which writes stderr (as console does, so the two keep
 * their order); the file is written by a thread of its own ({@code kiln-log}), so the loop never
 * waits for the disk. A file that cannot be written is reported once on stderr; stderr logging goes on.
 */
final class LogOps implements AutoCloseable {
    static final String OP_LOG_EMIT = "logEmit";
    static final String OP_LOG_LEVEL = "logLevel";
    static final String OP_LOG_FILE = "logFile";

    static final String[] LEVELS = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR"};
    static final long MAX_FILE_BYTES = 2L * 1024 * 1024;
    static final int KEPT_FILES = 5;
    static final String FILE_NAME = "app.log";

    private final PrintStream err;
    private final Path file;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kiln-log");
        t.setDaemon(true);
        return t;
    });
    private int level = 2; // loop thread
    // kiln-log thread only
    private OutputStream out;
    private long size;
    private boolean failed;

    LogOps(Platform platform) {
        this.err = platform.err();
        this.file = platform.folders().logs().resolve(FILE_NAME);
    }

    /** Logs one record (levels 0 trace to 4 error) if it is not below the level. */
    @V8Function(name = OP_LOG_EMIT)
    public void emit(int recordLevel, String message, String fieldsJson) {
        if (recordLevel < level) {
            return;
        }
        StringBuilder line = new StringBuilder(64 + message.length()).append(Instant.now()).append(' ')
                .append(String.format("%-5s", LEVELS[Math.max(0, Math.min(4, recordLevel))])).append(' ').append(message);
        if (fieldsJson != null && !fieldsJson.equals("{}")) {
            line.append(' ').append(fieldsJson);
        }
        String text = line.toString();
        err.println(text);
        err.flush();
        try {
            writer.execute(() -> append(text));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the runtime is closing: stderr has it
        }
    }

    @V8Function(name = OP_LOG_LEVEL)
    public void setLevel(int minimum) {
        level = minimum;
    }

    @V8Function(name = OP_LOG_FILE)
    public String logFile() {
        return file.toString();
    }

    private void append(String line) {
        if (failed) {
            return;
        }
        byte[] bytes = (line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
        try {
            if (out == null) {
                Files.createDirectories(file.getParent());
                open();
            }
            if (size > 0 && size + bytes.length > MAX_FILE_BYTES) {
                rotate();
            }
            out.write(bytes);
            out.flush();
            size += bytes.length;
        } catch (IOException e) {
            failed = true;
            err.println("warning: runtime:log cannot write " + file + " (" + e.getMessage() + "): logging to stderr only");
        }
    }

    private void open() throws IOException {
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        size = Files.size(file);
    }

    /** app.log.4 -> app.log.5 (replacing it), ..., app.log -> app.log.1; a new app.log. */
    private void rotate() throws IOException {
        out.close();
        for (int i = KEPT_FILES - 1; i >= 1; i--) {
            Path older = file.resolveSibling(FILE_NAME + "." + i);
            if (Files.exists(older)) {
                Files.move(older, file.resolveSibling(FILE_NAME + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, file.resolveSibling(FILE_NAME + ".1"), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    /** Writes what is queued, then closes the file. */
    @Override
    public void close() {
        if (writer.isShutdown()) {
            return;
        }
        writer.execute(() -> {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException e) {
                    // nothing more to write
                }
            }
        });
        writer.shutdown();
        try {
            writer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
