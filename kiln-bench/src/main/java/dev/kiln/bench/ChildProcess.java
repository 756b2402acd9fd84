package dev.kiln.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One host process under test, spoken to through the {@link BenchChild} line protocol: it times the
 * start to {@code KB READY}, reads the process's resident memory at {@code READY} and {@code MEM},
 * and collects {@code KB RESULT}.
 *
 * <p>Threading: used by the bench's main thread only. The child's stderr goes to a log file.
 */
final class ChildProcess {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one child run produced. */
    record Outcome(double startupSeconds, double rssStartMb, double rssAfterMb, long messages, JsonNode results) {
    }

    private final String name;
    private final List<String> command;
    private final Path log;
    private final Consumer<String> progress;

    ChildProcess(String name, List<String> command, Path log, Consumer<String> progress) {
        this.name = name;
        this.command = command;
        this.log = log;
        this.progress = progress;
    }

    /**
     * Runs the child to the end.
     *
     * @param startupOnly whether the child exits once ready (then only the start-up time is set)
     * @throws BenchFailure if the child reports a failure, exits early or times out
     */
    Outcome run(boolean startupOnly, long timeoutSeconds) throws Exception {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        long t0 = System.nanoTime();
        Process p = pb.start();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        Thread killer = new Thread(() -> {
            try {
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException ignored) {
                // the run finished first
            }
        }, "bench-timeout-" + name);
        killer.setDaemon(true);
        killer.start();
        double startup = Double.NaN;
        double rssStart = Double.NaN;
        double rssAfter = Double.NaN;
        long messages = 0;
        JsonNode results = null;
        String failure = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer logOut = Files.newBufferedWriter(log.resolveSibling(log.getFileName() + ".stdout"),
                     StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                     java.nio.file.StandardOpenOption.APPEND);
             PrintWriter in = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                int at = line.indexOf(BenchChild.PREFIX);
                if (at < 0) {
                    logOut.write(line + "\n");
                    continue;
                }
                String msg = line.substring(at + BenchChild.PREFIX.length());
                if (msg.equals("READY")) {
                    startup = (System.nanoTime() - t0) / 1e9;
                    rssStart = rssMb(p.toHandle());
                    progress.accept(name + ": window ready after " + round2(startup) + " s, RSS " + round2(rssStart) + " MB");
                    in.println("GO");
                    if (startupOnly) {
                        break;
                    }
                } else if (msg.startsWith("MEM ")) {
                    messages = Long.parseLong(msg.substring(4).trim());
                    rssAfter = rssMb(p.toHandle());
                    progress.accept(name + ": RSS after " + messages + " messages " + round2(rssAfter) + " MB");
                    in.println("GO");
                } else if (msg.startsWith("LOG ")) {
                    progress.accept(name + ": " + msg.substring(4));
                } else if (msg.startsWith("RESULT ")) {
                    results = JSON.readTree(msg.substring(7));
                } else if (msg.startsWith("FAIL ")) {
                    failure = msg.substring(5);
                }
            }
        } finally {
            if (!p.waitFor(Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000L), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            killer.interrupt();
        }
        if (failure != null) {
            throw new BenchFailure(name + " failed: " + failure + " (log: " + log + ")");
        }
        if (Double.isNaN(startup)) {
            throw new BenchFailure(name + " never opened its window (exit " + p.exitValue() + ", log: " + log + ")");
        }
        if (!startupOnly && results == null) {
            throw new BenchFailure(name + " ended without results (exit " + p.exitValue() + ", log: " + log + ")");
        }
        if (!startupOnly && p.exitValue() != 0) {
            throw new BenchFailure(name + " did not exit cleanly after its results (exit " + p.exitValue()
                    + (p.exitValue() == 137 ? ", killed after " + timeoutSeconds + " s" : "") + ", log: " + log + ")");
        }
        return new Outcome(startup, rssStart, rssAfter, messages, results);
    }

    /**
     * The resident memory of the host's JVM: the process itself, or, when it is a launcher script,
     * its largest java descendant.
     */
    static double rssMb(ProcessHandle process) {
        Optional<ProcessHandle> jvm = Stream.concat(Stream.of(process), process.descendants())
                .filter(h -> h.info().command().map(c -> c.endsWith("/java") || c.endsWith("java")).orElse(false))
                .max(Comparator.comparingLong(ChildProcess::rssKb));
        return rssKb(jvm.orElse(process)) / 1024.0;
    }

    static long rssKb(ProcessHandle h) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(h.pid()), "status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
