package dev.kiln.script;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A small in-process throughput harness for the script host's IPC paths (not a test: it prints
 * numbers and asserts nothing). Real V8 and the real engine, with an in-memory renderer.
 *
 * <p>Rows: host->renderer (100k {@code sendToWindow} in one turn, then {@code Promise.all}),
 * renderer->host into an {@code onChannel} callback, and renderer->host through a for-await over
 * {@code channelEvents}. Each row: messages/s (wall), whole-process CPU us/message and the loop
 * thread's CPU us/message, median of the measured rounds.
 *
 * <p>Run it with the test classpath, from the repository root:
 * <pre>
 * mvn -o -q -pl kiln-script -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/kiln-cp.txt -Dmdep.includeScope=test
 * java -cp kiln-script/target/classes:kiln-script/target/test-classes:$(cat /tmp/kiln-cp.txt) \
 *     dev.kiln.script.IpcThroughputPerf 7
 * </pre>
 * To compare with another version, put that version's {@code classes} folder first instead.
 */
final class IpcThroughputPerf {
    private static final int N = 100_000;
    private static final int INBOUND_BATCH = 1_000;

    private IpcThroughputPerf() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path dir = Files.createTempDirectory("kiln-perf");
        new ScriptFixture(dir).write("src/main.ts", """
                import { sendToWindow, onChannel, channelEvents } from "runtime:ipc";
                const N = %N%;
                onChannel("send", async () => {
                  const all: Promise<void>[] = [];
                  for (let i = 0; i < N; i++) all.push(sendToWindow("sink", "m", { i, text: "hello" }));
                  await Promise.all(all);
                  await sendToWindow("sink", "done", null);
                });
                let ticks = 0;
                onChannel("tick", (p) => {
                  ticks += (p as { i: number }).i >= 0 ? 1 : 0;
                  if (ticks === N) {
                    ticks = 0;
                    sendToWindow("sink", "done", null);
                  }
                });
                let streamed = 0;
                for await (const e of channelEvents("stream")) {
                  streamed += (e.payload as { i: number }).i >= 0 ? 1 : 0;
                  if (streamed === N) {
                    streamed = 0;
                    await sendToWindow("sink", "done", null);
                  }
                }
                """.replace("%N%", String.valueOf(N)));
        ScriptApp app = ScriptApp.load(dir);
        Semaphore done = new Semaphore(0);
        CompletableFuture<MemoryWindows> windows = new CompletableFuture<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> app.run(config -> {
            MemoryWindows w = new MemoryWindows(config);
            w.open("sink").recordNothing().onMessage(m -> {
                if (m.channel().equals("done")) {
                    done.release();
                }
            });
            windows.complete(w);
            return w;
        }, o, o));
        MemoryWindows w = windows.get(30, TimeUnit.SECONDS);
        while (w.ipc.stats().subscribers() < 3) {
            Thread.sleep(5);
        }
        MemoryWindows.Page page = w.pages.get("sink");
        String tick = batch("tick");
        String stream = batch("stream");

        List<double[]> send = new ArrayList<>();
        List<double[]> callback = new ArrayList<>();
        List<double[]> streamRows = new ArrayList<>();
        for (int r = 0; r < rounds + 2; r++) {
            double[] s = measure(done, out, () -> page.send("send", "1"));
            double[] c = measure(done, out, () -> {
                for (int i = 0; i < N; i += INBOUND_BATCH) {
                    page.link.receive(tick);
                }
            });
            double[] st = measure(done, out, () -> {
                for (int i = 0; i < N; i += INBOUND_BATCH) {
                    page.link.receive(stream);
                }
            });
            if (r >= 2) { // two warm-up rounds
                send.add(s);
                callback.add(c);
                streamRows.add(st);
            }
        }
        page.close();
        exit.get(60, TimeUnit.SECONDS);
        System.out.printf("%-34s %12s %14s %14s%n", "row (median of " + rounds + ")", "msg/s", "cpu us/msg", "loop us/msg");
        print("host->renderer sendToWindow", send);
        print("renderer->host onChannel", callback);
        print("renderer->host for-await stream", streamRows);
        System.exit(0);
    }

    private static double[] measure(Semaphore done, ByteArrayOutputStream out, Runnable start) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long loopId = loopThreadId();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long loop0 = threads.getThreadCpuTime(loopId);
        long t0 = System.nanoTime();
        start.run();
        if (!done.tryAcquire(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no 'done' from the script; its output: " + out);
        }
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        long loop = threads.getThreadCpuTime(loopId) - loop0;
        return new double[] {N / (wall / 1e9), cpu / 1e3 / N, loop / 1e3 / N};
    }

    private static long loopThreadId() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("kiln-script-loop")) {
                return t.getId();
            }
        }
        throw new IllegalStateException("no kiln-script-loop thread");
    }

    private static void print(String row, List<double[]> samples) {
        System.out.printf("%-34s %12.0f %14.2f %14.2f%n", row, median(samples, 0), median(samples, 1), median(samples, 2));
    }

    private static double median(List<double[]> samples, int column) {
        double[] v = samples.stream().mapToDouble(s -> s[column]).sorted().toArray();
        return v[v.length / 2];
    }

    private static String batch(String channel) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < INBOUND_BATCH; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"c\":\"").append(channel).append("\",\"p\":{\"i\":")
                    .append(i).append(",\"text\":\"hello\"}}");
        }
        return sb.append(']').toString();
    }
}
