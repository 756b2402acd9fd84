package dev.kiln.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./kiln run --headless --automation <app>} as a subprocess, driven through the automation
 * protocol on its stdin and stdout. The launcher is the repository's {@code ./kiln}, or
 * {@code -Dkiln.launcher=...}.
 */
final class KilnProcess implements AutoCloseable {
    static final Path ROOT = findRoot();
    private static final String PREFIX = "kiln-automation: ";

    final Process process;
    final long startedNanos = System.nanoTime();
    private final Writer stdin;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    final List<String> out = Collections.synchronizedList(new ArrayList<>());
    final List<String> err = Collections.synchronizedList(new ArrayList<>());

    private KilnProcess(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        pb.environment().remove("DISPLAY"); // --headless: the launcher gives the app its own Xvfb
        pb.environment().putAll(env);
        process = pb.start();
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true);
        pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false);
    }

    /** Starts {@code kiln run --headless --automation} on an app folder (relative to the repository root). */
    static KilnProcess run(String appDir) throws IOException {
        return run(appDir, Map.of());
    }

    /** Starts {@code kiln run --headless --automation} on an app folder with extra environment variables. */
    static KilnProcess run(String appDir, Map<String, String> env) throws IOException {
        return new KilnProcess(List.of(launcher(), "run", "--headless", "--automation", appDir), env);
    }

    /** Starts {@code kiln run --automation} on an app folder on this process's display (not a private Xvfb). */
    static KilnProcess runOnThisDisplay(String appDir) throws IOException {
        String display = System.getenv("DISPLAY");
        if (display == null || display.isBlank()) {
            throw new IllegalStateException("No display: run the test under Xvfb (DISPLAY=:NN) or ./kiln test");
        }
        return runOnDisplay(appDir, display);
    }

    /**
     * Starts {@code kiln run --automation} on an app folder on the given X display (the test's own,
     * where it may run a window manager) instead of a private Xvfb.
     */
    static KilnProcess runOnDisplay(String appDir, String display) throws IOException {
        return new KilnProcess(List.of(launcher(), "run", "--automation", appDir), Map.of("DISPLAY", display));
    }

    /** Starts the launcher with any arguments. */
    static KilnProcess launch(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher());
        cmd.addAll(List.of(args));
        return new KilnProcess(cmd, Map.of());
    }

    static String launcher() {
        return System.getProperty("kiln.launcher", ROOT.resolve("kiln").toString());
    }

    /** Sends one automation command and returns what follows "ok"; fails on "error". */
    String command(String line) throws Exception {
        String answer = answer(line);
        if (answer.startsWith("error")) {
            throw new AssertionError("'" + line + "' failed: " + answer + "; stderr: " + err);
        }
        return answer.length() > 3 ? answer.substring(3) : "";
    }

    /** Sends one automation command and returns its answer as it is ({@code ok ...} or {@code error ...}). */
    String answer(String line) throws Exception {
        stdin.write(line + "\n");
        stdin.flush();
        String answer = answers.poll(60, TimeUnit.SECONDS);
        if (answer == null) {
            throw new AssertionError("No answer to '" + line + "' within 60 s; stderr: " + err);
        }
        return answer;
    }

    /** The app's JVM (a child of the launcher), for signals: a terminal's Ctrl-C reaches it with the launcher. */
    ProcessHandle java() {
        return process.descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("dev.kiln.cli.Main"))
                .findFirst().orElseThrow(() -> new AssertionError("No java process under the launcher"));
    }

    /**
     * Sends SIGINT to the app's JVM, as a terminal's Ctrl-C does. Fails first if the JVM ignores
     * SIGINT: a process started in the background of a non-interactive shell ({@code mvn ... &},
     * nohup) passes SIGINT on as ignored to everything it starts, and the JVM then installs no
     * handler for it, so the signal could never reach Kiln.
     */
    void interrupt() throws Exception {
        long pid = java().pid();
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (Files.exists(status)) {
            String ignored = Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:"))
                    .map(l -> l.substring("SigIgn:".length()).trim()).findFirst().orElse("0");
            if ((Long.parseLong(ignored, 16) & (1L << 1)) != 0) { // bit 1: signal 2, SIGINT
                throw new AssertionError("The app's JVM ignores SIGINT (SigIgn " + ignored + "), inherited from"
                        + " the process that started the tests (a background job of a non-interactive shell?);"
                        + " run the tests from a foreground shell");
            }
        }
        new ProcessBuilder("kill", "-INT", String.valueOf(pid)).start().waitFor();
    }

    /** Evaluates JavaScript in a window until it returns the expected JSON, or fails after the timeout. */
    String awaitEval(String window, String js, String expectedJson, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last;
        do {
            last = command("eval " + window + " " + js);
            if (last.equals(expectedJson)) {
                return last;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("eval " + js + " gave " + last + ", expected " + expectedJson + "; out: " + out);
    }

    /** Waits until a line of the app's stdout contains the text, or fails after the timeout. */
    void awaitOut(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!outContains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("No line with '" + text + "' within " + timeout + "; out: " + out + "; err: " + err);
            }
            Thread.sleep(50);
        }
    }

    /**
     * The JSON of the first stdout line {@code result <name> <JSON>}, waiting for it: how the fixture
     * apps (calls, streams) report what their host side saw.
     */
    com.fasterxml.jackson.databind.JsonNode result(String name, Duration timeout) throws Exception {
        String prefix = "result " + name + " ";
        awaitOut(prefix, timeout);
        synchronized (out) {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.stream()
                    .filter(l -> l.startsWith(prefix)).findFirst().orElseThrow().substring(prefix.length()));
        }
    }

    boolean outContains(String text) {
        synchronized (out) {
            return out.stream().anyMatch(line -> line.contains(text));
        }
    }

    /** Waits for the process to end on its own; its exit code. */
    int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("kiln did not exit within " + timeout + "; out: " + out + "; err: " + err);
        }
        return process.exitValue();
    }

    /** Saves a screenshot of a window to target/screenshots/name.png. */
    Path screenshot(String window, String name) throws Exception {
        Path dir = Path.of("target", "screenshots").toAbsolutePath();
        Files.createDirectories(dir);
        Path png = dir.resolve(name + ".png");
        command("screenshot " + window + " " + png);
        return png;
    }

    /** Something a test does with a running app. */
    @FunctionalInterface
    interface Steps {
        void run(KilnProcess kiln) throws Exception;
    }

    /**
     * Runs the steps; if they fail while the app still runs, first saves a screenshot of its first
     * window as target/screenshots/FAILED-name.png.
     */
    static void drive(String appDir, String name, Steps steps) throws Exception {
        drive(run(appDir), name, steps);
    }

    /** As {@link #drive(String, String, Steps)}, for a process already started (and closed here). */
    static void drive(KilnProcess started, String name, Steps steps) throws Exception {
        try (KilnProcess kiln = started) {
            try {
                steps.run(kiln);
            } catch (Exception | AssertionError e) {
                if (kiln.process.isAlive()) {
                    try {
                        System.err.println("Screenshot of the failed test: " + kiln.screenshot("*", "FAILED-" + name));
                    } catch (Exception | AssertionError shot) {
                        e.addSuppressed(shot);
                    }
                }
                throw e;
            }
        }
    }

    private void pump(BufferedReader reader, boolean stdout) {
        Thread t = new Thread(() -> {
            try (reader) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (stdout && line.startsWith(PREFIX)) {
                        answers.add(line.substring(PREFIX.length()));
                    } else {
                        (stdout ? out : err).add(line);
                    }
                }
            } catch (IOException e) {
                // process ended
            }
        }, "kiln-process-" + (stdout ? "out" : "err"));
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
    }

    private static Path findRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("kiln")) && Files.isDirectory(p.resolve("kiln-cli")))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("Cannot find the repository root (a folder with ./kiln and kiln-cli/)");
        }
        return p;
    }
}
