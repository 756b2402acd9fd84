package dev.kiln.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The end-to-end measurements, run against any {@link BenchHost} and the bench page
 * ({@code bench.js}): throughput both ways, round trips (messages, and calls for hosts that have
 * them), large payloads and a soak.
 *
 * <p>Every time is taken with {@link System#nanoTime()} in the host process, at the moment the host
 * sends or its handler runs: the page clock has 1 ms resolution. Sequence numbers are checked at
 * the receiving end; any loss or reordering throws {@link BenchFailure}.
 *
 * <p>Threading: the measurement methods run on one driver thread; the handlers run on the host's
 * handler threads and hand results back through futures. Each handler's own state is touched only
 * by that handler (the host runs each channel's handler one at a time) after the driver set it
 * up before sending the message that starts the run. The host-to-renderer call chain runs on the
 * host's callback threads, one call at a time (each completion makes the next call).
 */
final class Scenarios {
    private static final long STEP_TIMEOUT_S = 120;
    /**
     * Round trips run in this many blocks; in each block a host with calls runs its send/on, invoke
     * renderer->host and invoke host->renderer trips in turn, so that a slow spell of this shared
     * machine hits the rows that are compared with each other alike.
     */
    static final int TRIP_BLOCKS = 5;

    private final BenchHost host;
    private final Plan plan;
    private final Consumer<String> log;
    private final CompletableFuture<JsonNode> pageReady = new CompletableFuture<>();
    private long messagesMoved;
    private long lastSendLoopNanos; // driver thread only: how long the last host->renderer send loop took

    // Renderer-to-host run: written by the driver before r2h-start, then only by the r2h handler.
    private int r2hExpected;
    private int r2hTarget;
    private String r2hError;
    private volatile CompletableFuture<Long> r2hDone = new CompletableFuture<>();

    // Round trips: the ping handler stamps each arrival.
    private long[] pingTimes = new long[0];
    private volatile CompletableFuture<Long> rtDone = new CompletableFuture<>();

    // Renderer-to-host calls: the call handler stamps each arrival.
    private long[] invokeTimes = new long[0];
    private volatile CompletableFuture<JsonNode> invokesDone = new CompletableFuture<>();

    private volatile CompletableFuture<Stamped> h2rDone = new CompletableFuture<>();
    private volatile CompletableFuture<Stamped> bigAck = new CompletableFuture<>();
    private volatile CompletableFuture<Stamped> bigPrepped = new CompletableFuture<>();
    private volatile CompletableFuture<Stamped> bigR2h = new CompletableFuture<>();

    /** A page message and the host's clock when its handler ran. */
    private record Stamped(JsonNode payload, long nanos) {
    }

    Scenarios(BenchHost host, Plan plan, Consumer<String> log) {
        this.host = host;
        this.plan = plan;
        this.log = log;
    }

    /** Registers the handlers; call before {@link BenchHost#open}. */
    void install() {
        host.on("page-ready", pageReady::complete);
        host.on("h2r-done", p -> h2rDone.complete(new Stamped(p, System.nanoTime())));
        host.on("r2h", this::onR2h);
        host.on("ping", this::onPing);
        host.on("rt-error", p -> rtDone.completeExceptionally(new BenchFailure("round trip: " + p.get("error").asText())));
        host.on("big-ack", p -> bigAck.complete(new Stamped(p, System.nanoTime())));
        host.on("big-prepped", p -> bigPrepped.complete(new Stamped(p, System.nanoTime())));
        host.on("big-r2h", p -> bigR2h.complete(new Stamped(p, System.nanoTime())));
        host.on("inv-done", p -> invokesDone.complete(p));
        if (host.hasCalls()) {
            host.handle("inv", this::onInvoke);
        }
    }

    void awaitPageReady(long timeoutSeconds) throws Exception {
        await(pageReady, timeoutSeconds, "the page to say it is ready");
    }

    /**
     * Runs every measurement for each variant (the first one is the host's best form, used for the
     * large payloads) and returns them keyed {@code <variant>.<metric>}.
     */
    Map<String, Double> runAll(List<String> variants) throws Exception {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String v : variants) {
            host.variant(v);
            boolean naive = v.equals("naive");
            int h2rN = naive ? plan.naiveMessages() : plan.h2rMessages();
            int r2hN = naive ? plan.naiveMessages() : plan.r2hMessages();
            long cpu0 = ProcessCpu.nanos();
            out.put(v + ".h2r_msgs_s", median(plan.repeats(), () -> hostToRenderer(h2rN)));
            out.put(v + ".h2r_cpu_us_per_msg", ProcessCpu.microsPerItem(cpu0, (long) plan.repeats() * h2rN));
            out.put(v + ".h2r_send_call_us", Math.round(lastSendLoopNanos / 10.0 / h2rN) / 100.0); // diagnostic
            log.accept(v + " host->renderer " + Math.round(out.get(v + ".h2r_msgs_s")) + " msg/s");
            cpu0 = ProcessCpu.nanos();
            out.put(v + ".r2h_msgs_s", median(plan.repeats(), () -> rendererToHost(r2hN)));
            out.put(v + ".r2h_cpu_us_per_msg", ProcessCpu.microsPerItem(cpu0, (long) plan.repeats() * r2hN));
            log.accept(v + " renderer->host " + Math.round(out.get(v + ".r2h_msgs_s")) + " msg/s");
            TripTimes rtTrips = new TripTimes();
            TripTimes r2hTrips = new TripTimes();
            TripTimes h2rTrips = new TripTimes();
            int perBlock = Math.max(1, plan.roundTrips() / TRIP_BLOCKS);
            for (int b = 0; b < TRIP_BLOCKS; b++) {
                roundTrips(perBlock, rtTrips);
                if (host.hasCalls()) {
                    rendererToHostInvokes(perBlock, r2hTrips);
                    hostToRendererInvokes(perBlock, h2rTrips);
                }
            }
            double[] rt = rtTrips.percentiles();
            out.put(v + ".rt_p50_us", rt[0]);
            out.put(v + ".rt_p99_us", rt[1]);
            log.accept(v + " round trip p50 " + rt[0] + " us, p99 " + rt[1] + " us");
            if (host.hasCalls()) {
                double[] r2h = r2hTrips.percentiles();
                out.put(v + ".invoke_r2h_p50_us", r2h[0]);
                out.put(v + ".invoke_r2h_p99_us", r2h[1]);
                double[] h2r = h2rTrips.percentiles();
                out.put(v + ".invoke_h2r_p50_us", h2r[0]);
                out.put(v + ".invoke_h2r_p99_us", h2r[1]);
                log.accept(v + " invoke round trip renderer->host p50 " + r2h[0] + " us, p99 " + r2h[1]
                        + " us; host->renderer p50 " + h2r[0] + " us, p99 " + h2r[1] + " us");
            }
        }
        String best = variants.get(0);
        host.variant(best);
        for (int size : plan.largeSizes()) {
            String mb = (size / Plan.MB) + "mb";
            out.put(best + ".big_h2r_" + mb + "_ms", median(plan.repeats(), () -> largeHostToRenderer(size)));
            out.put(best + ".big_r2h_" + mb + "_ms", median(plan.repeats(), () -> largeRendererToHost(size)));
            log.accept(best + " " + mb + " host->renderer " + out.get(best + ".big_h2r_" + mb + "_ms")
                    + " ms, renderer->host " + out.get(best + ".big_r2h_" + mb + "_ms") + " ms");
        }
        return out;
    }

    /** Host to renderer: n 50-byte messages to a window.runtime.on handler; messages per second. */
    double hostToRenderer(int n) throws Exception {
        String[] messages = new String[n];
        for (int i = 0; i < n; i++) {
            messages[i] = Payloads.fiftyBytes(i);
        }
        h2rDone = new CompletableFuture<>();
        host.send("h2r-start", "{\"n\":" + n + "}");
        long t0 = System.nanoTime();
        for (String m : messages) {
            host.send("h2r", m);
        }
        lastSendLoopNanos = System.nanoTime() - t0;
        Stamped done = await(h2rDone, STEP_TIMEOUT_S, "the page to confirm " + n + " messages (lost messages?)");
        JsonNode p = done.payload();
        if (p.get("received").asInt() != n || !p.get("error").isNull()) {
            throw new BenchFailure("host->renderer lost or reordered messages: sent " + n + ", the page got "
                    + p.get("received").asInt() + (p.get("error").isNull() ? "" : ", " + p.get("error").asText()));
        }
        messagesMoved += n;
        return n / seconds(done.nanos() - t0);
    }

    /** Renderer to host: the page sends n 50-byte messages to an onChannel handler; messages per second. */
    double rendererToHost(int n) throws Exception {
        r2hExpected = 0;
        r2hTarget = n;
        r2hError = null;
        CompletableFuture<Long> done = new CompletableFuture<>();
        r2hDone = done;
        long t0 = System.nanoTime();
        host.send("r2h-start", "{\"n\":" + n + "}");
        long t1 = await(done, STEP_TIMEOUT_S, "the host to receive " + n + " messages (lost messages?)");
        messagesMoved += n;
        return n / seconds(t1 - t0);
    }

    private void onR2h(JsonNode p) {
        int s = p.get("s").intValue();
        if (s != r2hExpected && r2hError == null) {
            r2hError = "renderer->host lost or reordered messages: expected " + r2hExpected + ", got " + s;
            r2hDone.completeExceptionally(new BenchFailure(r2hError));
        }
        r2hExpected = s + 1;
        if (s == r2hTarget - 1 && r2hError == null) {
            r2hDone.complete(System.nanoTime());
        }
    }

    /**
     * Round trips: the page pings, the host's handler replies with a send, the page's handler gets
     * the pong and pings again. The interval between two ping arrivals at the host is one full trip
     * (host send, page handler, page send, host handler), timed by the host's clock.
     * Adds n trips to {@code trips}, after a tenth as many warm-up trips (at least 10).
     */
    void roundTrips(int n, TripTimes trips) throws Exception {
        int warm = Math.max(10, n / 10);
        int total = warm + n;
        pingTimes = new long[total + 1];
        CompletableFuture<Long> done = new CompletableFuture<>();
        rtDone = done;
        host.send("rt-start", "{\"n\":" + total + "}");
        await(done, STEP_TIMEOUT_S, "round trip " + total + " to finish (lost messages?)");
        messagesMoved += 2L * total;
        trips.add(pingTimes, warm, "round trip");
    }

    private void onPing(JsonNode p) {
        long now = System.nanoTime();
        int s = p.get("s").intValue();
        long[] times = pingTimes;
        if (s >= times.length) {
            rtDone.completeExceptionally(new BenchFailure("round trip: unexpected ping " + s));
            return;
        }
        times[s] = now;
        if (s == times.length - 1) {
            rtDone.complete(now);
        } else {
            host.send("pong", "{\"s\":" + s + "}");
        }
    }

    /**
     * Renderer-to-host call round trips, timed like {@link #roundTrips}: the page invokes, the host's
     * handler answers at once, the page's promise resolves and it invokes again. The interval between
     * two calls reaching the handler is one full trip (the answer's way to the page, the page's
     * continuation, the next call's way to the host), on the host's clock, which a page clock (1 ms)
     * could not give. The page checks every result. Adds n trips to {@code trips}, after a tenth as
     * many warm-up trips (at least 10).
     */
    void rendererToHostInvokes(int n, TripTimes trips) throws Exception {
        int warm = Math.max(10, n / 10);
        int total = warm + n;
        invokeTimes = new long[total + 1];
        CompletableFuture<JsonNode> done = new CompletableFuture<>();
        invokesDone = done;
        host.send("inv-start", "{\"n\":" + (total + 1) + ",\"marks\":false}");
        JsonNode d = await(done, STEP_TIMEOUT_S, "the page's " + (total + 1) + " invokes to finish");
        if (!d.get("error").isNull() || d.get("calls").intValue() != total + 1) {
            throw new BenchFailure("renderer->host invoke: " + d);
        }
        trips.add(invokeTimes, warm, "renderer->host invoke");
    }

    private String onInvoke(JsonNode p) {
        long now = System.nanoTime();
        int s = p.get("s").intValue();
        long[] times = invokeTimes;
        if (s >= 0 && s < times.length) {
            times[s] = now;
        }
        return "{\"s\":" + s + "}";
    }

    /**
     * Host-to-renderer call round trips: the host invokes the page's handler, which answers at once,
     * and the completion of each call (on the engine's callback thread, as an app's continuation
     * runs) makes the next one. The interval between two completions is one full trip, on the host's
     * clock, as for {@link #roundTrips}: no thread waits in between that a real app would not have.
     * A wrong result, or the page's error for a call out of order, fails the run. Adds n trips to
     * {@code trips}, after a tenth as many warm-up trips (at least 10).
     */
    void hostToRendererInvokes(int n, TripTimes trips) throws Exception {
        int warm = Math.max(10, n / 10);
        int total = warm + n;
        long[] times = new long[total + 1];
        CompletableFuture<Void> done = new CompletableFuture<>();
        host.send("hinv-start", "{\"marks\":false}"); // reaches the page before the first call
        callPage(0, times, done);
        await(done, STEP_TIMEOUT_S, (total + 1) + " host->renderer invokes to finish");
        trips.add(times, warm, "host->renderer invoke");
    }

    private void callPage(int s, long[] times, CompletableFuture<Void> done) {
        host.invoke("hinv", "{\"s\":" + s + "}").whenComplete((r, e) -> {
            long now = System.nanoTime();
            if (e != null) {
                done.completeExceptionally(new BenchFailure("host->renderer invoke " + s + " failed: " + e));
            } else if (r == null || r.path("s").intValue() != s) {
                done.completeExceptionally(new BenchFailure("host->renderer invoke " + s + " got " + r));
            } else {
                times[s] = now;
                if (s == times.length - 1) {
                    done.complete(null);
                } else {
                    callPage(s + 1, times, done);
                }
            }
        });
    }

    /** One large message host to renderer, until the page acknowledged it; milliseconds. */
    double largeHostToRenderer(int bytes) throws Exception {
        String json = Payloads.large(7, bytes);
        CompletableFuture<Stamped> ack = new CompletableFuture<>();
        bigAck = ack;
        long t0 = System.nanoTime();
        host.send("big-h2r", json);
        Stamped a = await(ack, STEP_TIMEOUT_S, "the page to acknowledge " + bytes + " bytes");
        if (a.payload().get("len").asInt() != bytes || a.payload().get("s").asInt() != 7) {
            throw new BenchFailure("host->renderer large payload arrived damaged: " + a.payload());
        }
        messagesMoved += 2;
        return millis(a.nanos() - t0);
    }

    /** One large message renderer to host (built by the page beforehand); milliseconds. */
    double largeRendererToHost(int bytes) throws Exception {
        CompletableFuture<Stamped> prepped = new CompletableFuture<>();
        bigPrepped = prepped;
        host.send("big-prep", "{\"bytes\":" + bytes + "}");
        await(prepped, STEP_TIMEOUT_S, "the page to build " + bytes + " bytes");
        CompletableFuture<Stamped> got = new CompletableFuture<>();
        bigR2h = got;
        long t0 = System.nanoTime();
        host.send("big-r2h-go", "{\"s\":9}");
        Stamped g = await(got, STEP_TIMEOUT_S, "the host to receive " + bytes + " bytes");
        if (g.payload().get("d").asText().length() != bytes || g.payload().get("s").asInt() != 9) {
            throw new BenchFailure("renderer->host large payload arrived damaged");
        }
        messagesMoved += 4;
        return millis(g.nanos() - t0);
    }

    /**
     * Moves the plan's number of messages, half each way in chunks of at most 100,000, in the
     * host's best form, for the memory reading (this also warms every host up alike).
     *
     * @return the messages moved
     */
    long soak(String variant) throws Exception {
        host.variant(variant);
        long before = messagesMoved;
        while (messagesMoved - before < plan.soakMessages()) {
            int n = (int) Math.min(100_000, Math.max(1_000, (plan.soakMessages() - (messagesMoved - before) + 1) / 2));
            hostToRenderer(n);
            rendererToHost(n);
        }
        return messagesMoved - before;
    }

    private interface Measurement {
        double run() throws Exception;
    }

    private static double median(int repeats, Measurement m) throws Exception {
        double[] v = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            v[i] = m.run();
        }
        Arrays.sort(v);
        return v[repeats / 2];
    }

    static <T> T await(CompletableFuture<T> f, long seconds, String what) throws Exception {
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new BenchFailure("Timed out after " + seconds + " s waiting for " + what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
