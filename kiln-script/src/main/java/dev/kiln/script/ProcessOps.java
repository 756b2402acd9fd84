package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.values.V8Value;
import com.caoccao.javet.values.primitive.V8ValueString;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runtime:process operations: spawn a program, feed its stdin, read its stdout and stderr line by
 * line, wait for it, kill it. The app's children end with the app (see {@link #closeAll()}).
 *
 * <p>Threading: the ops run on the loop thread; starting a program, writing its stdin and reading its
 * output happen on the I/O executor (each child's stdin writes in order, one after another), and
 * their outcomes reach the script through {@link JavaPromises}.
 */
final class ProcessOps implements AutoCloseable {
    static final String OP_PROCESS_SPAWN = "processSpawn";
    static final String OP_PROCESS_KILL = "processKill";
    static final String OP_PROCESS_WAIT = "processWait";
    static final String OP_PROCESS_STATUS = "processStatus";
    static final String OP_PROCESS_WRITE = "processWrite";
    static final String OP_PROCESS_CLOSE_STDIN = "processCloseStdin";
    static final String OP_PROCESS_READ = "processRead";
    private static final Map<String, Integer> SIGNALS = Map.of("SIGTERM", 15, "SIGKILL", 9);

    private final JavaPromises promises;
    private final ExecutorService io;
    private final Permissions permissions;
    private final Map<String, String> env;
    private final Path cwd;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<String, Child> children = new ConcurrentHashMap<>();

    /** A spawned program and its pipes. */
    private static final class Child {
        final Process process;
        final ReadQueue<String> stdout;
        final ReadQueue<String> stderr;
        CompletableFuture<Void> stdinWrites = CompletableFuture.completedFuture(null); // loop thread only
        volatile String killedWith; // the signal Kiln sent, to tell a signal from an exit code

        Child(Process process, ReadQueue<String> stdout, ReadQueue<String> stderr) {
            this.process = process;
            this.stdout = stdout;
            this.stderr = stderr;
        }
    }

    /**
     * @param env the environment children start with (runtime:sys's, with the app's changes); programs
     *            start in the app folder unless a spawn says otherwise
     */
    ProcessOps(Platform platform, Map<String, String> env) {
        this.promises = platform.promises();
        this.io = platform.io();
        this.permissions = platform.permissions();
        this.env = env;
        this.cwd = platform.folders().appDir();
    }

    /**
     * Starts {@code binary}, which {@code [permissions.process]} must allow; {@code optionsJson} is
     * Forge's SpawnOptions. Settles with {@code {id, pid}}.
     */
    @V8Function(name = OP_PROCESS_SPAWN)
    public void processSpawn(int promiseId, String binary, String optionsJson) {
        JsonNode o = Json.read(optionsJson);
        List<String> command = new java.util.ArrayList<>();
        command.add(binary);
        o.path("args").forEach(a -> command.add(a.asText()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        o.path("env").fields().forEachRemaining(e -> pb.environment().put(e.getKey(), e.getValue().asText()));
        Path dir = o.hasNonNull("cwd") ? cwd.resolve(o.get("cwd").asText()) : cwd;
        pb.directory(dir.toFile());
        pb.redirectInput(redirect(o, "stdin", "null"));
        pb.redirectOutput(redirect(o, "stdout", "piped"));
        pb.redirectError(redirect(o, "stderr", "piped"));
        CompletableFuture<Map<String, Object>> started = CompletableFuture.supplyAsync(() -> {
            command.set(0, permissions.checkRun(binary)); // on a worker: a path command is checked by its real path
            if (!Files.isDirectory(dir)) {
                throw new KilnException(ErrorCode.PROCESS_FAILED, "Cannot run " + binary + ": its cwd " + dir + " is not a folder");
            }
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new KilnException(ErrorCode.PROCESS_FAILED, "Cannot run " + binary + ": " + reason(e), e);
            }
            String id = "proc-" + nextId.getAndIncrement();
            ReadQueue<String> out = pb.redirectOutput() == ProcessBuilder.Redirect.PIPE ? ReadQueue.lines(p.getInputStream(), io) : null;
            ReadQueue<String> err = pb.redirectError() == ProcessBuilder.Redirect.PIPE ? ReadQueue.lines(p.getErrorStream(), io) : null;
            children.put(id, new Child(p, out, err));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("id", id);
            result.put("pid", p.pid());
            return result;
        }, io);
        promises.settleLater(promiseId, started, Json::write, false);
    }

    /** Sends {@code signal} (SIGTERM, the default, or SIGKILL); true if the program was still running. */
    @V8Function(name = OP_PROCESS_KILL)
    public boolean processKill(String id, String signal) {
        Child c = child(id);
        String name = signal == null || signal.isEmpty() ? "SIGTERM" : signal.toUpperCase(java.util.Locale.ROOT);
        if (!SIGNALS.containsKey(name)) {
            throw new KilnException(ErrorCode.INVALID_ARGUMENT, "kill() takes SIGTERM or SIGKILL, got '" + signal + "'");
        }
        if (!c.process.isAlive()) {
            return false;
        }
        c.killedWith = name;
        if (name.equals("SIGKILL")) {
            c.process.destroyForcibly();
        } else {
            c.process.destroy();
        }
        return true;
    }

    /** Settles with {@code {success, code, signal}} once the program has ended. */
    @V8Function(name = OP_PROCESS_WAIT)
    public void processWait(int promiseId, String id) {
        Child c = child(id);
        promises.settleLater(promiseId, c.process.onExit(), p -> Json.write(exit(c)), false);
    }

    /** {@code {running, exit_code?, signal?}}, as Forge's raw status. */
    @V8Function(name = OP_PROCESS_STATUS)
    public String processStatus(String id) {
        Child c = child(id);
        if (c.process.isAlive()) {
            return "{\"running\":true}";
        }
        Map<String, Object> e = exit(c);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("running", false);
        s.put("exit_code", e.get("code"));
        s.put("signal", e.get("signal"));
        return Json.write(s);
    }

    /** Writes {@code data} (a string, as UTF-8, or a Uint8Array) to stdin, after the writes before it. */
    @V8Function(name = OP_PROCESS_WRITE)
    public void processWrite(int promiseId, String id, V8Value data) throws JavetException {
        Child c = child(id);
        byte[] bytes = data instanceof V8ValueString text ? text.getValue().getBytes(StandardCharsets.UTF_8)
                : BytesOps.bytes(data, "writeStdin() data");
        OutputStream stdin = c.process.getOutputStream();
        c.stdinWrites = c.stdinWrites.handle((v, e) -> null).thenRunAsync(() -> {
            try {
                stdin.write(bytes);
                stdin.flush();
            } catch (IOException e) {
                throw new KilnException(ErrorCode.PROCESS_FAILED, "Cannot write to the stdin of " + id + ": "
                        + (c.process.getOutputStream() == OutputStream.nullOutputStream() || !c.process.isAlive()
                        ? "the program has ended or closed its stdin" : reason(e)), e);
            }
        }, io);
        promises.settleLater(promiseId, c.stdinWrites, v -> null, false);
    }

    /** Closes stdin after the writes before it, so that a program reading to its end (cat) finishes. */
    @V8Function(name = OP_PROCESS_CLOSE_STDIN)
    public void processCloseStdin(int promiseId, String id) {
        Child c = child(id);
        OutputStream stdin = c.process.getOutputStream();
        c.stdinWrites = c.stdinWrites.handle((v, e) -> null).thenRunAsync(() -> {
            try {
                stdin.close();
            } catch (IOException e) {
                // already closed: what the caller wanted
            }
        }, io);
        promises.settleLater(promiseId, c.stdinWrites, v -> null, false);
    }

    /** The next line of stdout ({@code stderr} false) or stderr: {@code {data, eof}} as Forge's ReadOutput. */
    @V8Function(name = OP_PROCESS_READ)
    public void processRead(int promiseId, String id, boolean stderr) {
        Child c = child(id);
        ReadQueue<String> q = stderr ? c.stderr : c.stdout;
        if (q == null) {
            throw new KilnException(ErrorCode.PROCESS_FAILED, "The " + (stderr ? "stderr" : "stdout") + " of " + id
                    + " is not piped: spawn it with " + (stderr ? "stderr" : "stdout") + ": \"piped\"");
        }
        promises.settleLater(promiseId, q.next(), line -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("data", line);
            r.put("eof", line == null);
            return Json.write(r);
        }, false);
    }

    /** Kills the children still running: the app is ending. */
    @Override
    public void close() {
        for (Child c : children.values()) {
            c.process.destroyForcibly();
            if (c.stdout != null) {
                c.stdout.close();
            }
            if (c.stderr != null) {
                c.stderr.close();
            }
        }
        children.clear();
    }

    private Child child(String id) {
        Child c = children.get(id);
        if (c == null) {
            throw new KilnException(ErrorCode.PROCESS_FAILED, "No process with handle '" + id + "'");
        }
        return c;
    }

    private static Map<String, Object> exit(Child c) {
        int code = c.process.exitValue();
        Map<String, Object> r = new LinkedHashMap<>();
        String killed = c.killedWith;
        // A program that a signal ends exits with 128 + the signal's number in Java's eyes.
        boolean bySignal = killed != null && code == 128 + SIGNALS.get(killed);
        r.put("success", code == 0);
        r.put("code", bySignal ? null : code);
        r.put("signal", bySignal ? killed : null);
        return r;
    }

    private static ProcessBuilder.Redirect redirect(JsonNode o, String stream, String fallback) {
        String mode = o.path(stream).asText(fallback);
        return switch (mode) {
            case "piped" -> ProcessBuilder.Redirect.PIPE;
            case "inherit" -> ProcessBuilder.Redirect.INHERIT;
            case "null" -> stream.equals("stdin") ? ProcessBuilder.Redirect.from(new File(File.separatorChar == '\\' ? "NUL" : "/dev/null"))
                    : ProcessBuilder.Redirect.DISCARD;
            default -> throw new KilnException(ErrorCode.INVALID_ARGUMENT,
                    "spawn(): " + stream + " must be \"piped\", \"inherit\" or \"null\", got '" + mode + "'");
        };
    }

    private static String reason(IOException e) {
        String m = String.valueOf(e.getMessage());
        int i = m.indexOf("error=");
        return i >= 0 ? m.substring(i) : m;
    }
}
