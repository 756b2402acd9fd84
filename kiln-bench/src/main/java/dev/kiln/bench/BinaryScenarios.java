package dev.kiln.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * The binary and stream measurements, for hosts that {@link BenchHost#hasBinary() move bytes}:
 * one binary payload each way (a {@code byte[]} in Java, a Uint8Array in the page), a stream of
 * {@link Plan#STREAM_CHUNK} chunks host to page read with {@code highWaterMark: 4}, the same stream
 * to a slow page with the host's peak resident memory, and, in the same run, the ceilings they are
 * compared with: the page {@code fetch}ing the same number of bytes from the app's own loopback
 * asset server, and a Java {@code byte[]} copy.
 *
 * <p>Rates are in MB/s of 10^6 bytes, timed on the host's clock from the message that starts a run
 * to the page's (or the host handler's) confirmation, so every rate includes one small message's
 * way, alike for the ceiling. Every byte count and the first and last byte of every payload and
 * chunk are checked; a damaged or short transfer throws {@link BenchFailure}.
 *
 * <p>Threading: the measurement methods run on the driver thread; handlers run on the host's
 * handler threads and hand results back through futures; the stream publisher's subscription is
 * called by the engine, one call at a time (synchronized).
 */
final class BinaryScenarios {
    private static final long STEP_TIMEOUT_S = 240;
    /** How long the slow page waits after each chunk it read. */
    static final int SLOW_CONSUMER_MS = 3;

    private final BenchHost host;
    private final Plan plan;
    private final Consumer<String> log;
    private volatile CompletableFuture<JsonNode> pageAnswer = new CompletableFuture<>();
    private volatile CompletableFuture<Long> hostGot = new CompletableFuture<>();

    BinaryScenarios(BenchHost host, Plan plan, Consumer<String> log) {
        this.host = host;
        this.plan = plan;
        this.log = log;
    }

    /** The name of the generated static file of {@code bytes} bytes in the web folder. */
    static String ceilingFile(int bytes) {
        return "ceiling-" + bytes + ".bin";
    }

    /**
     * Writes the static files the page fetches for the ceiling (byte k is {@code k & 255}), deleted
     * when the JVM exits.
     */
    static void writeCeilingFiles(Plan plan, Path webRoot) throws IOException {
        for (int bytes : new int[] {plan.binaryBytes(), plan.streamBytes()}) {
            Path f = webRoot.resolve(ceilingFile(bytes));
            byte[] block = pattern(Plan.MB);
            try (OutputStream out = Files.newOutputStream(f)) {
                for (int done = 0; done < bytes; done += block.length) {
                    out.write(block, 0, Math.min(block.length, bytes - done));
                }
            }
            f.toFile().deleteOnExit();
        }
    }

    private static byte[] pattern(int bytes) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    /** Registers the handlers and the stream producer; call before {@link BenchHost#open}. */
    void install() {
        host.on("bin-ack", p -> pageAnswer.complete(p));
        host.on("bin-r2h", this::onBinaryFromPage);
        host.handleStream("bin-stream", this::chunks);
    }

    /** Runs every binary measurement; keys {@code kiln.<metric>}. */
    Map<String, Double> runAll(Map<String, Double> out) throws Exception {
        int bin = plan.binaryBytes();
        int stream = plan.streamBytes();
        out.put("kiln.bin_h2r_mb_s", median(() -> binaryHostToPage(bin)));
        out.put("kiln.bin_r2h_mb_s", median(() -> binaryPageToHost(bin)));
        log.accept("binary " + mib(bin) + " MiB host->page " + round(out.get("kiln.bin_h2r_mb_s"))
                + " MB/s, page->host " + round(out.get("kiln.bin_r2h_mb_s")) + " MB/s");
        double streamSeconds = stream(stream, 0);
        out.put("kiln.stream_mb_s", stream / 1e6 / streamSeconds);
        out.put("kiln.stream_chunks_s", stream / (double) Plan.STREAM_CHUNK / streamSeconds);
        log.accept("stream " + mib(stream) + " MiB host->page " + round(out.get("kiln.stream_mb_s")) + " MB/s, "
                + round(out.get("kiln.stream_chunks_s")) + " chunks/s");
        // The slow page: the host's memory before, and its peak while the stream runs.
        System.gc();
        double rssBefore = ChildProcess.rssKb(ProcessHandle.current()) / 1024.0;
        try (RssPeak peak = RssPeak.start()) {
            double slowSeconds = stream(stream, SLOW_CONSUMER_MS);
            out.put("kiln.stream_slow_mb_s", stream / 1e6 / slowSeconds);
            out.put("kiln.stream_slow_rss_before_mb", rssBefore);
            out.put("kiln.stream_slow_rss_peak_mb", peak.peakMb());
        }
        log.accept("slow-consumer stream " + round(out.get("kiln.stream_slow_mb_s")) + " MB/s, host RSS "
                + round(rssBefore) + " MB before, peak " + round(out.get("kiln.stream_slow_rss_peak_mb")) + " MB");
        // The ceilings last, so that the 256 MiB file the asset server reads does not raise the memory above.
        out.put("kiln.ceiling_fetch_bin_mb_s", median(() -> pageFetch(bin)));
        out.put("kiln.ceiling_fetch_stream_mb_s", pageFetch(stream));
        out.put("kiln.ceiling_copy_bin_mb_s", arrayCopy(bin));
        out.put("kiln.ceiling_copy_stream_mb_s", arrayCopy(stream));
        log.accept("ceilings: page fetch " + mib(bin) + " MiB " + round(out.get("kiln.ceiling_fetch_bin_mb_s"))
                + " MB/s, " + mib(stream) + " MiB " + round(out.get("kiln.ceiling_fetch_stream_mb_s"))
                + " MB/s; byte[] copy " + round(out.get("kiln.ceiling_copy_bin_mb_s")) + " MB/s, "
                + round(out.get("kiln.ceiling_copy_stream_mb_s")) + " MB/s");
        return out;
    }

    /** One binary payload host to page, until the page confirmed its bytes; MB/s. */
    double binaryHostToPage(int bytes) throws Exception {
        ObjectNode payload = new ObjectMapper().createObjectNode();
        payload.put("s", 7);
        payload.put("b", pattern(bytes)); // a BinaryNode: a Uint8Array in the page
        CompletableFuture<JsonNode> ack = new CompletableFuture<>();
        pageAnswer = ack;
        long t0 = System.nanoTime();
        host.sendValue("bin-h2r", payload);
        JsonNode a = Scenarios.await(ack, STEP_TIMEOUT_S, "the page to confirm " + bytes + " binary bytes");
        long t1 = System.nanoTime();
        check(a, bytes, "host->page binary payload");
        return bytes / 1e6 / ((t1 - t0) / 1e9);
    }

    /** One binary payload page to host (made by the page beforehand); MB/s. */
    double binaryPageToHost(int bytes) throws Exception {
        CompletableFuture<JsonNode> prepped = new CompletableFuture<>();
        pageAnswer = prepped;
        host.send("bin-prep", "{\"bytes\":" + bytes + "}");
        Scenarios.await(prepped, STEP_TIMEOUT_S, "the page to make " + bytes + " bytes");
        CompletableFuture<Long> got = new CompletableFuture<>();
        hostGot = got;
        long t0 = System.nanoTime();
        host.send("bin-r2h-go", "{}");
        long t1 = Scenarios.await(got, STEP_TIMEOUT_S, "the host to receive " + bytes + " binary bytes");
        return bytes / 1e6 / ((t1 - t0) / 1e9);
    }

    private void onBinaryFromPage(JsonNode p) {
        long now = System.nanoTime();
        JsonNode b = p.get("b");
        try {
            byte[] bytes = b != null && b.isBinary() ? b.binaryValue() : null;
            if (bytes == null || bytes.length != plan.binaryBytes() || bytes[0] != 0
                    || bytes[bytes.length - 1] != (byte) (bytes.length - 1)) {
                hostGot.completeExceptionally(new BenchFailure("page->host binary payload arrived damaged: "
                        + (bytes == null ? b : bytes.length + " bytes")));
            } else {
                hostGot.complete(now);
            }
        } catch (IOException e) {
            hostGot.completeExceptionally(e);
        }
    }

    /**
     * A stream of {@code bytes} in {@link Plan#STREAM_CHUNK} chunks host to page, read with
     * {@code highWaterMark: 4}, the page waiting {@code delayMs} after each chunk; seconds.
     */
    double stream(int bytes, int delayMs) throws Exception {
        int chunks = bytes / Plan.STREAM_CHUNK;
        CompletableFuture<JsonNode> done = new CompletableFuture<>();
        pageAnswer = done;
        long t0 = System.nanoTime();
        host.send("bin-stream-go", "{\"chunks\":" + chunks + ",\"chunk\":" + Plan.STREAM_CHUNK + ",\"delayMs\":"
                + delayMs + "}");
        JsonNode d = Scenarios.await(done, STEP_TIMEOUT_S, "the page to read a stream of " + chunks + " chunks");
        long t1 = System.nanoTime();
        if (!d.path("error").isNull() || d.path("chunks").intValue() != chunks
                || d.path("bytes").longValue() != (long) bytes) {
            throw new BenchFailure("stream host->page: " + d);
        }
        return (t1 - t0) / 1e9;
    }

    /** Chunk k is {@link Plan#STREAM_CHUNK} bytes of value {@code k & 255}, made when the page has credit. */
    private Flow.Publisher<?> chunks(JsonNode request) {
        int total = request.path("chunks").intValue();
        return subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            private int next;
            private boolean done;

            @Override
            public synchronized void request(long n) {
                for (long i = 0; i < n && !done; i++) {
                    if (next == total) {
                        done = true;
                        subscriber.onComplete();
                        return;
                    }
                    byte[] chunk = new byte[Plan.STREAM_CHUNK];
                    Arrays.fill(chunk, (byte) next);
                    next++;
                    subscriber.onNext(chunk);
                }
            }

            @Override
            public synchronized void cancel() {
                done = true;
            }
        });
    }

    /** The ceiling: the page fetches the same number of static bytes from the app's own server; MB/s. */
    double pageFetch(int bytes) throws Exception {
        CompletableFuture<JsonNode> done = new CompletableFuture<>();
        pageAnswer = done;
        long t0 = System.nanoTime();
        host.send("bin-fetch-go", "{\"url\":\"" + ceilingFile(bytes) + "\"}");
        JsonNode a = Scenarios.await(done, STEP_TIMEOUT_S, "the page to fetch " + bytes + " bytes");
        long t1 = System.nanoTime();
        check(a, bytes, "page fetch of " + ceilingFile(bytes));
        return bytes / 1e6 / ((t1 - t0) / 1e9);
    }

    /** The other ceiling: {@code System.arraycopy} of {@code bytes} bytes, the best of five; MB/s. */
    static double arrayCopy(int bytes) {
        byte[] from = pattern(bytes);
        byte[] to = new byte[bytes];
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            System.arraycopy(from, 0, to, 0, bytes);
            best = Math.min(best, System.nanoTime() - t0);
        }
        if (to[bytes - 1] != from[bytes - 1]) {
            throw new IllegalStateException("byte[] copy went wrong");
        }
        return bytes / 1e6 / (best / 1e9);
    }

    private static void check(JsonNode a, int bytes, String what) throws BenchFailure {
        if (!a.path("error").isNull() || a.path("len").intValue() != bytes) {
            throw new BenchFailure(what + " arrived damaged: " + a);
        }
    }

    private interface Measurement {
        double run() throws Exception;
    }

    private double median(Measurement m) throws Exception {
        double[] v = new double[plan.repeats()];
        for (int i = 0; i < v.length; i++) {
            v[i] = m.run();
        }
        Arrays.sort(v);
        return v[v.length / 2];
    }

    private static String mib(int bytes) {
        return Integer.toString(bytes / Plan.MB);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
