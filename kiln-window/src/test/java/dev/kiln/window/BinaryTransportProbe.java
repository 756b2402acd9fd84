package dev.kiln.window;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.ipc.IpcConfig;
import dev.kiln.ipc.JsonText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import netscape.javascript.JSObject;

/**
 * Measures how fast bytes cross between the host and a real WebView page, each way, by every
 * transport this stack offers (not a test; numbers for docs/bench/binary-transport.md):
 * <ul>
 * <li>(a) base64 inside the JSON batch, through the real {@code sendToWindow}/{@code runtime.send}
 *     path, decoded in the page with {@code atob} and a loop or with {@code fetch("data:...")}, and
 *     encoded in the page with {@code btoa} or {@code FileReader.readAsDataURL};</li>
 * <li>(b) a one-time URL of {@link OneTimeBlobs}: the page fetches it, or POSTs to it;</li>
 * <li>(c) LiveConnect without JSON: a Latin-1 {@code String} through {@code JSObject.call} (one
 *     char per byte), and a Java {@code byte[]} or a JS {@code Uint8Array} passed as it is and read
 *     element by element;</li>
 * <li>the ceiling: the page fetching the same bytes as a static file of the asset server, and a
 *     Java {@code byte[]} copy.</li>
 * </ul>
 * Each measurement is one round: from the host starting (encoding, registering, sending the kick)
 * until the host has the page's acknowledgement (host to page: a small {@code runtime.send} after
 * the page holds the bytes in a {@code Uint8Array}) or the bytes themselves (page to host). The
 * variants run interleaved, so that the machine's noise hits them alike; medians are reported, and
 * ratios against the static-file fetch of the same run. The bytes are checked every round (page to
 * host: all of them; host to page: the length and three samples, and all of them in the first
 * warm-up round of each variant and size, outside the timing).
 *
 * <p>Run (DISPLAY set): {@code java -Xmx4g -cp <kiln-window test classpath>
 * dev.kiln.window.BinaryTransportProbe [--sizes=1k,64k,10m] [--reps=1.0] [--out=file.json]};
 * see docs/bench/binary-transport.md.
 */
public final class BinaryTransportProbe {
    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final long[] DEFAULT_SIZES = {KIB, 16 * KIB, 64 * KIB, 256 * KIB, MIB, 10 * MIB, 64 * MIB, 256 * MIB};
    /** A variant whose next round would take longer than this (extrapolated) is not run at larger sizes. */
    private static final double MAX_ROUND_SECONDS = Double.parseDouble(System.getProperty("probe.maxRoundSeconds", "20"));
    /** With -Dprobe.chunk=8m: also one binary split into one-time URLs of that size, all requested at once. */
    private static final int CHUNK = (int) parseSize(System.getProperty("probe.chunk", "0"));
    private static final long TIMEOUT_SECONDS = Long.getLong("probe.timeoutSeconds", 300);
    private static final boolean VERBOSE = Boolean.getBoolean("probe.verbose");

    enum Direction { DOWN, UP }

    /** One way of moving bytes. */
    private record Variant(String name, Direction direction, String what, Round round) {
    }

    /** One timed round for a size: nanoseconds. */
    @FunctionalInterface
    private interface Round {
        long run(byte[] bytes) throws Exception;
    }

    /** Something arrived at the host: the page's ack or the page's bytes, with when. */
    private record Arrival(Object value, long at) {
    }

    private final Desktop desktop;
    private final AppWindow window;
    private final WebViewWindow view;
    private final OneTimeBlobs blobs;
    private final Path web;
    private final PageToHost pageToHost = new PageToHost(); // strong reference: WebKit holds it only weakly
    private volatile CompletableFuture<Arrival> waiting = new CompletableFuture<>();

    /** What the page calls for the LiveConnect page-to-host variants. Public: LiveConnect calls public methods only. */
    public final class PageToHost {
        /** A Latin-1 string, one char per byte. */
        public void latin1(String s) {
            arrived(s.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** A JS Uint8Array, read element by element. */
        public void array(Object array) {
            JSObject js = (JSObject) array;
            int n = ((Number) js.getMember("length")).intValue();
            byte[] bytes = new byte[n];
            for (int i = 0; i < n; i++) {
                bytes[i] = ((Number) js.getSlot(i)).byteValue();
            }
            arrived(bytes);
        }
    }

    private BinaryTransportProbe(Desktop desktop, AppWindow window, Path web) {
        this.desktop = desktop;
        this.window = window;
        this.view = (WebViewWindow) window;
        this.blobs = desktop.assets().blobs();
        this.web = web;
    }

    public static void main(String[] args) throws Exception {
        long[] sizes = DEFAULT_SIZES;
        double repScale = 1.0;
        Path out = Path.of("target", "binary-transport.json");
        for (String a : args) {
            if (a.startsWith("--sizes=")) {
                sizes = Arrays.stream(a.substring(8).split(",")).mapToLong(BinaryTransportProbe::parseSize).toArray();
            } else if (a.startsWith("--reps=")) {
                repScale = Double.parseDouble(a.substring(7));
            } else if (a.startsWith("--out=")) {
                out = Path.of(a.substring(6));
            } else {
                throw new IllegalArgumentException("Unknown argument " + a + " (--sizes=1k,64k,10m --reps=1.0 --out=file.json)");
            }
        }
        Path dir = Files.createTempDirectory("kiln-binary-probe");
        Path web = Files.createDirectories(dir.resolve("web"));
        Files.createDirectories(web.resolve("bin"));
        try (InputStream page = BinaryTransportProbe.class.getResourceAsStream("/dev/kiln/window/probe/binary.html")) {
            Files.copy(page, web.resolve("index.html"));
        }
        System.setProperty(AppDataFolder.PROPERTY, dir.resolve("data").toString());
        Desktop desktop = Desktop.start(DesktopConfig.of(web).withExitOnLastWindowClosed(false)
                .withAppIdentifier("dev.kiln.binaryprobe")
                .withUnresponsiveAfter(Duration.ofMinutes(10))
                .withIpc(IpcConfig.builder().maxPayloadBytes(768 * MIB).build()));
        int status = 0;
        try {
            AppWindow w = Pages.open(desktop, WindowOptions.builder().url("app://index.html").size(400, 200).build());
            BinaryTransportProbe probe = new BinaryTransportProbe(desktop, w, web);
            probe.run(sizes, repScale, out);
        } catch (Throwable e) {
            e.printStackTrace();
            status = 1;
        } finally {
            desktop.close();
            System.exit(status);
        }
    }

    private static long parseSize(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        long unit = t.endsWith("k") ? KIB : t.endsWith("m") ? MIB : 1;
        return Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
    }

    private List<Variant> variants() {
        List<Variant> all = new ArrayList<>(List.of(
                new Variant("static", Direction.DOWN, "ceiling: page fetch()es a static file", b -> staticFetch(b, "static")),
                new Variant("static-xhr", Direction.DOWN, "ceiling: page XHRs a static file", b -> staticFetch(b, "static-xhr")),
                new Variant("static-new", Direction.DOWN, "ceiling: page fetch()es a static file, a new URL each time",
                        b -> staticFetch(b, "static-new")),
                new Variant("a-atob", Direction.DOWN, "(a) base64 in JSON, atob + loop", b -> base64Down(b, "a-down-atob")),
                new Variant("a-data", Direction.DOWN, "(a) base64 in JSON, fetch(data:)", b -> base64Down(b, "a-down-data")),
                new Variant("b-url", Direction.DOWN, "(b) one-time URL, fetch()", b -> oneTimeDown(b, "b-down")),
                new Variant("b-url-xhr", Direction.DOWN, "(b) one-time URL, XHR", b -> oneTimeDown(b, "b-down-xhr")),
                new Variant("c-latin1", Direction.DOWN, "(c) Latin-1 String via JSObject.call", this::latin1Down),
                new Variant("c-array", Direction.DOWN, "(c) byte[] via JSObject.call", this::arrayDown),
                new Variant("a-btoa", Direction.UP, "(a) base64 in JSON, btoa", b -> kickUp(b, "a-up-btoa")),
                new Variant("a-reader", Direction.UP, "(a) base64 in JSON, FileReader", b -> kickUp(b, "a-up-reader")),
                new Variant("b-post", Direction.UP, "(b) one-time URL, fetch() POST", b -> oneTimeUp(b, "b-up")),
                new Variant("b-post-xhr", Direction.UP, "(b) one-time URL, XHR POST", b -> oneTimeUp(b, "b-up-xhr")),
                new Variant("c-latin1-up", Direction.UP, "(c) Latin-1 String via a host call", b -> kickUp(b, "c-up-latin1")),
                new Variant("c-array-up", Direction.UP, "(c) Uint8Array via a host call", b -> kickUp(b, "c-up-array"))));
        if (CHUNK > 0) {
            all.add(new Variant("b-chunks", Direction.DOWN, "(b) one-time URLs of " + human(CHUNK) + ", XHRs at once", this::chunksDown));
            all.add(new Variant("b-post-chunks", Direction.UP, "(b) one-time URLs of " + human(CHUNK) + ", POSTs at once", this::chunksUp));
        }
        return all;
    }

    private void run(long[] sizes, double repScale, Path out) throws Exception {
        desktop.onConsole(m -> System.out.println("page console: " + m.format()));
        desktop.ipc().onChannel("ack", (payload, id) -> arrived(payload));
        desktop.ipc().onChannel("probe-error", (payload, id) -> waiting.completeExceptionally(
                new IllegalStateException("The page failed: " + payload.asText())));
        desktop.ipc().onChannelEvent("a-up-data", e -> arrived(Base64.getDecoder().decode(e.payload().textValue())));
        Pages.eval(window, "probeSetKey(" + BridgeProtocol.quote(blobs.windowKey(window.id())) + "); 1");
        Fx.call(() -> {
            ((JSObject) view.engine().executeScript("window")).setMember("probeHost", pageToHost);
            return null;
        }).get(10, TimeUnit.SECONDS);

        String started = loadAverage();
        String only = System.getProperty("probe.only");
        List<Variant> variants = variants().stream()
                .filter(v -> only == null || v.name().startsWith("static") || Arrays.asList(only.split(",")).contains(v.name())).toList();
        Map<String, Double> lastMedianSeconds = new LinkedHashMap<>();
        Map<String, Long> lastMedianSize = new LinkedHashMap<>();
        Map<String, String> failed = new LinkedHashMap<>(); // variant -> where and why it failed
        Map<Long, Map<String, double[]>> results = new LinkedHashMap<>(); // size -> variant -> sorted ms
        Map<Long, double[]> copies = new LinkedHashMap<>();
        Random random = new Random(12);
        for (long size : sizes) {
            byte[] bytes = new byte[Math.toIntExact(size)];
            random.nextBytes(bytes);
            Path file = web.resolve("bin").resolve(size + ".bin");
            Files.write(file, bytes);
            timed(() -> desktop.ipc().sendToWindow(window.id(), "prepare", Map.of("path", "/bin/" + size + ".bin")), bytes);

            List<Variant> running = new ArrayList<>();
            for (Variant v : variants) {
                if (failed.containsKey(v.name())) {
                    continue;
                }
                Double last = lastMedianSeconds.get(v.name());
                Long previous = lastMedianSize.get(v.name());
                if (last == null || last * size / previous <= MAX_ROUND_SECONDS) {
                    running.add(v);
                } else {
                    System.out.printf("skip %s at %s: about %.0f s a round%n", v.name(), human(size), last * size / previous);
                }
            }
            int reps = Math.max(3, (int) Math.round(repScale * (size <= 64 * KIB ? 25 : size <= 256 * KIB ? 20 : size <= MIB ? 15
                    : size <= 10 * MIB ? 7 : size <= 64 * MIB ? 5 : 3)));
            int warmUps = size <= MIB ? 5 : 1;
            Map<String, List<Double>> times = new LinkedHashMap<>();
            List<Double> copyTimes = new ArrayList<>();
            for (int rep = -warmUps; rep < reps; rep++) {
                for (int k = 0; k < running.size(); k++) {
                    Variant v = running.get(Math.floorMod(k + rep, running.size())); // a different order each round
                    if (size >= 10 * MIB) {
                        System.gc();
                    }
                    if (VERBOSE) {
                        System.out.println("  " + v.name() + " " + human(size) + " round " + rep);
                    }
                    if (failed.containsKey(v.name())) {
                        continue;
                    }
                    long nanos;
                    try {
                        nanos = round(v, bytes, rep == -warmUps && v.direction() == Direction.DOWN);
                    } catch (Exception e) {
                        String why = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.toString());
                        failed.put(v.name(), human(size) + ": " + why);
                        System.out.printf("%s failed at %s (not run at this size or larger): %s%n", v.name(), human(size), why);
                        Thread.sleep(2000); // whatever it left in flight settles before the next round
                        continue;
                    }
                    if (rep >= 0) {
                        times.computeIfAbsent(v.name(), n -> new ArrayList<>()).add(nanos / 1e6);
                    }
                }
                long t0 = System.nanoTime();
                byte[] copy = Arrays.copyOf(bytes, bytes.length);
                long copyNanos = System.nanoTime() - t0;
                if (copy[copy.length - 1] != bytes[bytes.length - 1]) {
                    throw new AssertionError("copy");
                }
                if (rep >= 0) {
                    copyTimes.add(copyNanos / 1e6);
                }
            }
            Map<String, double[]> bySize = new LinkedHashMap<>();
            times.keySet().removeIf(failed::containsKey);
            times.forEach((name, list) -> {
                double[] sorted = list.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                bySize.put(name, sorted);
                lastMedianSeconds.put(name, median(sorted) / 1000);
                lastMedianSize.put(name, size);
            });
            results.put(size, bySize);
            copies.put(size, copyTimes.stream().mapToDouble(Double::doubleValue).sorted().toArray());
            printSize(size, bySize, copies.get(size), variants);
            Files.delete(file);
        }
        String ended = loadAverage();
        failed.forEach((name, why) -> System.out.println("failed: " + name + " at " + why));
        System.out.println();
        System.out.print(summary(Direction.DOWN, variants, results, copies));
        System.out.println();
        System.out.print(summary(Direction.UP, variants, results, copies));
        writeJson(out, sizes, variants, results, copies, failed, started, ended);
        System.out.println("load average: start " + started + ", end " + ended + "; raw numbers in " + out.toAbsolutePath());
    }

    /** One round of a variant; with a full check of the bytes the page got (outside the timing). */
    private long round(Variant v, byte[] bytes, boolean fullCheck) throws Exception {
        if (fullCheck) {
            Pages.eval(window, "probeKeepNext(); 1");
        }
        long nanos = v.round().run(bytes);
        if (fullCheck) {
            String got = Pages.eval(window, "probeHashKept()");
            if (!got.equals("[" + bytes.length + "," + hash(bytes) + "]")) {
                throw new AssertionError(v.name() + " delivered other bytes: " + got);
            }
        }
        return nanos;
    }

    // ---- Host to page ----

    private long staticFetch(byte[] bytes, String channel) throws Exception {
        return timed(() -> desktop.ipc().sendToWindow(window.id(), channel, Map.of("path", "/bin/" + bytes.length + ".bin")), bytes);
    }

    private long base64Down(byte[] bytes, String channel) throws Exception {
        return timed(() -> desktop.ipc().sendToWindow(window.id(), channel,
                new JsonText("\"" + Base64.getEncoder().encodeToString(bytes) + "\"")), bytes);
    }

    private long oneTimeDown(byte[] bytes, String channel) throws Exception {
        return timed(() -> desktop.ipc().sendToWindow(window.id(), channel, Map.of("url", blobs.offer(window.id(), bytes))), bytes);
    }

    private long chunksDown(byte[] bytes) throws Exception {
        return timed(() -> {
            List<String> urls = new ArrayList<>();
            for (int at = 0; at < bytes.length; at += CHUNK) {
                urls.add(blobs.offer(window.id(), java.nio.ByteBuffer.wrap(bytes, at, Math.min(CHUNK, bytes.length - at))));
            }
            return desktop.ipc().sendToWindow(window.id(), "b-down-chunks", Map.of("urls", urls, "chunk", CHUNK, "size", bytes.length));
        }, bytes);
    }

    private long latin1Down(byte[] bytes) throws Exception {
        return timed(() -> Fx.call(() -> {
            callPage("probeLatin1", new String(bytes, StandardCharsets.ISO_8859_1));
            return null;
        }), bytes);
    }

    private long arrayDown(byte[] bytes) throws Exception {
        return timed(() -> Fx.call(() -> {
            callPage("probeJavaArray", bytes);
            return null;
        }), bytes);
    }

    /** FX thread: calls a function of the page's window, then lets the page send what it queued. */
    private void callPage(String function, Object argument) {
        ((JSObject) view.engine().executeScript("window")).call(function, new Object[] {argument});
        view.page().flushPage();
    }

    // ---- Page to host ----

    /** The page sends its bytes (base64 in a message, or a host call) when kicked on the channel. */
    private long kickUp(byte[] bytes, String channel) throws Exception {
        return timed(() -> desktop.ipc().sendToWindow(window.id(), channel), bytes);
    }

    private long oneTimeUp(byte[] bytes, String channel) throws Exception {
        return timed(() -> {
            OneTimeBlobs.Upload upload = blobs.expect(window.id(), bytes.length);
            upload.received().whenComplete((b, e) -> {
                if (e != null) {
                    waiting.completeExceptionally(e);
                } else {
                    arrived(b);
                }
            });
            return desktop.ipc().sendToWindow(window.id(), channel, Map.of("url", upload.url()));
        }, bytes);
    }

    private long chunksUp(byte[] bytes) throws Exception {
        return timed(() -> {
            byte[] whole = new byte[bytes.length];
            List<String> urls = new ArrayList<>();
            List<CompletableFuture<?>> parts = new ArrayList<>();
            for (int at = 0; at < bytes.length; at += CHUNK) {
                int offset = at;
                OneTimeBlobs.Upload upload = blobs.expect(window.id(), Math.min(CHUNK, bytes.length - at));
                urls.add(upload.url());
                parts.add(upload.received().thenAccept(b -> System.arraycopy(b, 0, whole, offset, b.length)));
            }
            CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).whenComplete((ok, e) -> {
                if (e != null) {
                    waiting.completeExceptionally(e);
                } else {
                    arrived(whole);
                }
            });
            return desktop.ipc().sendToWindow(window.id(), "b-up-chunks", Map.of("urls", urls, "chunk", CHUNK));
        }, bytes);
    }

    // ---- Timing ----

    private void arrived(Object value) {
        waiting.complete(new Arrival(value, System.nanoTime()));
    }

    /** One round: from before {@code start} to the arrival; checks what arrived. */
    private long timed(ThrowingSupplier<CompletableFuture<?>> start, byte[] bytes) throws Exception {
        return await(start, bytes);
    }

    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private long await(ThrowingSupplier<CompletableFuture<?>> start, byte[] bytes) throws Exception {
        CompletableFuture<Arrival> arrival = new CompletableFuture<>();
        waiting = arrival;
        long t0 = System.nanoTime();
        CompletableFuture<?> sent = start.get();
        sent.whenComplete((ok, e) -> {
            if (e != null) {
                arrival.completeExceptionally(e);
            }
        });
        Arrival a = arrival.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        long nanos = a.at() - t0;
        check(a.value(), bytes);
        return nanos;
    }

    /** The page's hash of what it got: h = h * 31 + byte, in 32 bits. */
    private static int hash(byte[] bytes) {
        int h = 0;
        for (byte b : bytes) {
            h = h * 31 + (b & 0xff);
        }
        return h;
    }

    private static void check(Object value, byte[] bytes) {
        int n = bytes.length;
        if (value instanceof byte[] got) {
            if (!Arrays.equals(got, bytes)) {
                throw new AssertionError("The host got other bytes (" + got.length + " of " + n + ")");
            }
        } else if (value instanceof JsonNode ack) {
            int[] expected = n == 0 ? new int[] {0, 0, 0, 0} : new int[] {n, bytes[0] & 0xff, bytes[n >> 1] & 0xff, bytes[n - 1] & 0xff};
            for (int i = 0; i < 4; i++) {
                if (ack.get(i).asLong() != expected[i]) {
                    throw new AssertionError("The page got other bytes: ack " + ack + ", expected " + Arrays.toString(expected));
                }
            }
        } else {
            throw new AssertionError("Unexpected arrival " + value);
        }
    }

    // ---- Report ----

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String human(long size) {
        return size >= MIB ? size / MIB + " MiB" : size / KIB + " KiB";
    }

    private static void printSize(long size, Map<String, double[]> bySize, double[] copy, List<Variant> variants) {
        double ceiling = ceiling(bySize);
        System.out.printf("%n== %s (%d rounds; Java byte[] copy %.3f ms = %.0f MB/s)%n", human(size), copy.length,
                median(copy), size / 1e6 / (median(copy) / 1000));
        for (Variant v : variants) {
            double[] t = bySize.get(v.name());
            if (t == null) {
                continue;
            }
            double m = median(t);
            System.out.printf("%-5s %-12s median %10.3f ms  min %10.3f  max %10.3f  %8.1f MB/s  %5.2fx of the ceiling  %s%n",
                    v.direction() == Direction.DOWN ? "down" : "up", v.name(), m, t[0], t[t.length - 1],
                    size / 1e6 / (m / 1000), ceiling / m, v.what());
        }
        System.out.flush();
    }

    /**
     * A markdown table of one direction: the median of each variant per size, in ms, with its
     * speed as a fraction of the ceiling of the same run; then where the best one-time URL variant
     * starts beating the best base64 one.
     */
    static String summary(Direction direction, List<Variant> variants, Map<Long, Map<String, double[]>> results,
            Map<Long, double[]> copies) {
        List<Variant> shown = variants.stream().filter(v -> v.direction() == direction && !v.name().startsWith("static")).toList();
        StringBuilder b = new StringBuilder("| size | ceiling: static file, ms (MB/s) |");
        shown.forEach(v -> b.append(' ').append(v.name()).append(" |"));
        b.append(" Java copy, ms |\n|---|---:|");
        shown.forEach(v -> b.append("---:|"));
        b.append("---:|\n");
        Long cutOver = null;
        for (Map.Entry<Long, Map<String, double[]>> e : results.entrySet()) {
            long size = e.getKey();
            Map<String, double[]> bySize = e.getValue();
            double ceiling = ceiling(bySize);
            b.append("| ").append(human(size)).append(" | ").append(String.format(Locale.ROOT, "%.2f (%.3g)", ceiling,
                    size / 1e6 / (ceiling / 1000))).append(" |");
            for (Variant v : shown) {
                double[] t = bySize.get(v.name());
                b.append(t == null ? " - |" : String.format(Locale.ROOT, " %.2f (%.2fx) |", median(t), ceiling / median(t)));
            }
            b.append(String.format(Locale.ROOT, " %.3f |%n", median(copies.get(size))));
            double bestA = best(bySize, shown, "a-");
            double bestB = best(bySize, shown, "b-");
            if (bestB < bestA) {
                cutOver = cutOver == null ? size : cutOver;
            } else {
                cutOver = null; // (b) must win at this size and every larger one
            }
        }
        b.append("\n").append(direction == Direction.DOWN ? "Host to page" : "Page to host").append(": the best one-time URL variant")
                .append(cutOver == null ? " does not beat base64 at the largest size measured (or base64 wins again there)"
                        : " beats the best base64 one from " + human(cutOver) + " on").append(".\n");
        return b.toString();
    }

    private static double best(Map<String, double[]> bySize, List<Variant> shown, String prefix) {
        double best = Double.POSITIVE_INFINITY;
        for (Variant v : shown) {
            double[] t = bySize.get(v.name());
            if (v.name().startsWith(prefix) && t != null) {
                best = Math.min(best, median(t));
            }
        }
        return best;
    }

    /** The ceiling's median: the fastest way the page got the static file (fetch(), XHR, fetch() of a new URL). */
    static double ceiling(Map<String, double[]> bySize) {
        double best = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, double[]> e : bySize.entrySet()) {
            if (e.getKey().startsWith("static")) {
                best = Math.min(best, median(e.getValue()));
            }
        }
        return best;
    }

    private static void writeJson(Path out, long[] sizes, List<Variant> variants, Map<Long, Map<String, double[]>> results,
            Map<Long, double[]> copies, Map<String, String> failed, String loadStart, String loadEnd) throws IOException {
        StringBuilder b = new StringBuilder("{\n  \"loadAverage\": [" + BridgeProtocol.quote(loadStart) + ", "
                + BridgeProtocol.quote(loadEnd) + "],\n  \"variants\": {");
        for (int i = 0; i < variants.size(); i++) {
            Variant v = variants.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("    ").append(BridgeProtocol.quote(v.name())).append(": ")
                    .append(BridgeProtocol.quote(v.direction().name().toLowerCase(Locale.ROOT) + ": " + v.what()));
        }
        b.append("\n  },\n  \"failed\": {");
        boolean firstFailure = true;
        for (Map.Entry<String, String> f : failed.entrySet()) {
            b.append(firstFailure ? "\n" : ",\n").append("    ").append(BridgeProtocol.quote(f.getKey())).append(": ")
                    .append(BridgeProtocol.quote(f.getValue()));
            firstFailure = false;
        }
        b.append("\n  },\n  \"milliseconds\": {");
        boolean firstSize = true;
        for (long size : sizes) {
            Map<String, double[]> bySize = results.get(size);
            if (bySize == null) {
                continue;
            }
            b.append(firstSize ? "\n" : ",\n").append("    \"").append(size).append("\": {\"java-copy\": ")
                    .append(Arrays.toString(copies.get(size)));
            firstSize = false;
            bySize.forEach((name, t) -> b.append(", ").append(BridgeProtocol.quote(name)).append(": ").append(Arrays.toString(t)));
            b.append("}");
        }
        b.append("\n  }\n}\n");
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, b);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
