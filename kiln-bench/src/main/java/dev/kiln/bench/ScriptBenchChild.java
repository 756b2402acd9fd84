package dev.kiln.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.script.ScriptApp;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Kiln TypeScript host under test, in its own JVM: runs the bench app ({@link TsBenchApp}) on
 * the script host exactly as {@code ./kiln run} does, and speaks the {@link BenchChild} protocol
 * for it. The app prints the {@code KB} lines itself; this class pauses the app's loop on
 * {@code READY} and {@code MEM} until the parent has read the memory, and adds the round-trip
 * percentiles measured by {@link EventClock}: the app says {@code KB CLOCK <key> <channel> <total> <warm>}
 * before a run of trips and {@code KB CLOCKEND <key>} after it (a key may have several runs), and
 * the results get {@code kiln.<key>_p50_us} and {@code kiln.<key>_p99_us} over all its runs.
 * {@code KB RSS start} and {@code KB RSS end} bracket the slow-page stream: the results get this
 * process's resident memory at the start and its peak in between, and, with the binary rows, the
 * Java {@code byte[]} copy ceiling measured in this process (see {@link BinaryScenarios}).
 *
 * <p>Usage: {@code ScriptBenchChild <tiny|quick|full> [--startup-only]}.
 */
public final class ScriptBenchChild {
    private final PrintStream out = System.out;
    private final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    private final boolean startupOnly;
    private ScriptApp app;
    private EventClock clock;
    private final java.util.Map<String, TripTimes> trips = new java.util.LinkedHashMap<>();
    private boolean resultSeen;
    private final java.util.Map<String, Long> cpuStart = new java.util.HashMap<>();
    private final java.util.Map<String, Double> cpuPerMessage = new java.util.LinkedHashMap<>();
    private final java.util.Map<String, Double> memory = new java.util.LinkedHashMap<>();
    private final Plan plan;
    private RssPeak rssPeak;

    private ScriptBenchChild(Plan plan, boolean startupOnly) {
        this.plan = plan;
        this.startupOnly = startupOnly;
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        try {
            Plan plan = Plan.named(args[0]);
            ScriptBenchChild child = new ScriptBenchChild(plan, args.length > 1 && args[1].equals("--startup-only"));
            Path dir = TsBenchApp.write(plan, Files.createTempDirectory("kiln-bench-ts-app"));
            child.app = ScriptApp.load(dir);
            int code = child.app.run(new PrintStream(new LineSplitter(child::onLine), true, StandardCharsets.UTF_8),
                    System.err);
            out.flush();
            if (code != 0 || !child.resultSeen) {
                out.println(BenchChild.PREFIX + "FAIL the TypeScript bench app ended with exit code " + code
                        + (child.resultSeen ? "" : " and no results"));
                System.exit(2);
            }
            System.exit(0);
        } catch (Throwable e) {
            out.println(BenchChild.PREFIX + "FAIL " + e);
            e.printStackTrace();
            System.exit(2);
        }
    }

    /** Runs on the app's loop thread (console.log): pausing here pauses the app. */
    private void onLine(String line) {
        try {
            if (!line.startsWith(BenchChild.PREFIX)) {
                out.println(line);
                return;
            }
            String msg = line.substring(BenchChild.PREFIX.length());
            if (msg.startsWith("CLOCK ")) {
                String[] f = msg.split(" ");
                clock = new EventClock(app.window("bench").orElseThrow().events(), f[2], Integer.parseInt(f[3]),
                        Integer.parseInt(f[4]));
                return;
            }
            if (msg.startsWith("CPU ")) {
                String[] f = msg.split(" ");
                if (f.length == 2) {
                    cpuStart.put(f[1], ProcessCpu.nanos());
                } else {
                    cpuPerMessage.put("kiln." + f[1] + "_cpu_us_per_msg",
                            ProcessCpu.microsPerItem(cpuStart.get(f[1]), Long.parseLong(f[2])));
                }
                return;
            }
            if (msg.equals("RSS start")) {
                System.gc();
                memory.put("kiln.stream_slow_rss_before_mb", ChildProcess.rssKb(ProcessHandle.current()) / 1024.0);
                rssPeak = RssPeak.start();
                return;
            }
            if (msg.equals("RSS end")) {
                memory.put("kiln.stream_slow_rss_peak_mb", rssPeak.peakMb());
                rssPeak.close();
                return;
            }
            if (msg.startsWith("CLOCKEND ")) {
                clock.finish(trips.computeIfAbsent(msg.substring("CLOCKEND ".length()), k -> new TripTimes()));
                clock = null;
                return;
            }
            if (msg.startsWith("RESULT ")) {
                ObjectNode results = (ObjectNode) new ObjectMapper().readTree(msg.substring(7));
                cpuPerMessage.forEach(results::put);
                memory.forEach(results::put);
                if (results.has("kiln.bin_h2r_mb_s")) { // the same Java byte[] copy ceiling as the Java host's
                    results.put("kiln.ceiling_copy_bin_mb_s", BinaryScenarios.arrayCopy(plan.binaryBytes()));
                    results.put("kiln.ceiling_copy_stream_mb_s", BinaryScenarios.arrayCopy(plan.streamBytes()));
                }
                trips.forEach((key, t) -> {
                    double[] p = t.percentiles();
                    results.put("kiln." + key + "_p50_us", p[0]);
                    results.put("kiln." + key + "_p99_us", p[1]);
                    out.println(BenchChild.PREFIX + "LOG " + (key.equals("rt") ? "round trip" : key.replace('_', ' '))
                            + " p50 " + p[0] + " us, p99 " + p[1] + " us");
                });
                resultSeen = true;
                out.println(BenchChild.PREFIX + "LOG CPU by thread: " + ProcessCpu.busiestThreads(6));
                out.println(BenchChild.PREFIX + "RESULT " + results);
                return;
            }
            out.println(line);
            out.flush();
            if (msg.equals("READY")) {
                if (startupOnly) {
                    System.exit(0);
                }
                awaitGo();
            } else if (msg.startsWith("MEM ")) {
                awaitGo();
            }
        } catch (Exception | Error e) {
            out.println(BenchChild.PREFIX + "FAIL " + e);
            out.flush();
            System.exit(2);
        }
    }

    private void awaitGo() throws Exception {
        String line = in.readLine();
        if (!"GO".equals(line)) {
            throw new IllegalStateException("The bench parent went away (got " + line + ")");
        }
    }

    /** Hands every complete line written to it to a consumer. */
    private static final class LineSplitter extends OutputStream {
        private final java.util.function.Consumer<String> lines;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        LineSplitter(java.util.function.Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.accept(buffer.toString(StandardCharsets.UTF_8));
                buffer.reset();
            } else {
                buffer.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }
}
