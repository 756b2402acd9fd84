package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.IpcEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Large binaries between the Java host and real pages, outside the JSON text (one-time URLs host to
 * page, uploads page to host): 256 MiB byte-exact each way, order kept behind a large binary both
 * ways, a broadcast to two windows, every typed array kind nested, with the host's heap bounded.
 */
@ExtendWith(RealWindowExtension.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LargeBinariesTest {
    private static final int MIB = 1024 * 1024;
    private static Desktop desktop;

    /**
     * The page's byte pattern, the same as {@link #pattern} (its period is 256 bytes: 64 KiB tiles copied
     * natively, as the page's scripts run slowly); and a position-weighted checksum.
     */
    private static final String PAGE_HELPERS = "window.pattern = (n, from) => { const t = new Uint8Array(65536 + 256);"
            + " for (let i = 0; i < t.length; i++) t[i] = ((i + from) * 31 + 7) & 255; const b = new Uint8Array(n);"
            + " for (let o = 0; o < n; o += 65536) b.set(t.subarray(0, Math.min(65536, n - o)), o); return b; };"
            + " window.checksum = (v) => { const p = v instanceof ArrayBuffer ? new Uint8Array(v)"
            + " : new Uint8Array(v.buffer, v.byteOffset, v.byteLength); let s = 0;"
            + " for (let i = 0; i < p.length; i++) s = (Math.imul(s, 31) + p[i]) >>> 0; return s; };";

    private static byte[] pattern(int n, int from) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (((i + from) * 31 + 7) & 255);
        }
        return b;
    }

    private static long checksum(byte[] b) {
        int s = 0;
        for (byte x : b) {
            s = s * 31 + (x & 255);
        }
        return s & 0xffffffffL;
    }

    @BeforeAll
    static void start() {
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false));
    }

    @AfterAll
    static void stop() {
        desktop.close();
    }

    private static void awaitEval(AppWindow w, String js, String expectedJson) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100))
                .until(() -> Automation.evaluate(w, js).get(60, TimeUnit.SECONDS), expectedJson::equals);
    }

    @Test
    void a256MiBBinaryCrossesEachWayByteExactWithTheHeapBounded() throws Exception {
        AppWindow w = Pages.open(desktop, "app://echo.html");
        try (EventStream events = desktop.ipc().channelEvents("up")) {
            Pages.eval(w, PAGE_HELPERS + " window.got = null; runtime.on('down', (p) => {"
                    + " window.got = [p.data.constructor.name, p.data.length, checksum(p.data), p.label]; }); 1");
            int n = 256 * MIB;
            byte[] bytes = pattern(n, 0);
            long expectedSum = checksum(bytes);
            System.gc();
            List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).toList();
            long before = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);

            long t0 = System.nanoTime();
            desktop.ipc().sendToWindow(w.id(), "down", Map.of("label", "big", "data", bytes)).get(60, TimeUnit.SECONDS);
            awaitEval(w, "window.got", "[\"Uint8Array\"," + n + "," + expectedSum + ",\"big\"]");
            long down = System.nanoTime() - t0;

            Pages.eval(w, "window.upData = pattern(" + n + ", 3); 1");
            t0 = System.nanoTime();
            Pages.eval(w, "runtime.send('up', { label: 'big', data: window.upData }); window.upData = null; 1");
            IpcEvent e = events.poll(Duration.ofSeconds(180));
            long up = System.nanoTime() - t0;
            assertThat(e).as("the page's 256 MiB send").isNotNull();
            assertThat(e.payload().get("label").asText()).isEqualTo("big");
            byte[] got = e.payload().get("data").binaryValue();
            assertThat(got.length).isEqualTo(n);
            assertThat(Arrays.equals(got, pattern(n, 3))).as("every byte").isTrue();

            long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            System.out.printf("256 MiB host to page %d ms (the page's checksum included), page to host %d ms;"
                    + " heap %d MiB before, peak %d MiB%n", down / 1_000_000, up / 1_000_000, before / MIB, peak / MIB);
            // 256 MiB each: the bytes sent, the bytes received, the pattern to compare with, and room for the
            // garbage of the run; base64 text of them would add more than 1 GiB (Latin-1 strings and builders)
            assertThat(peak - before).as("heap growth").isLessThan(1280L * MIB);
        } finally {
            w.close();
        }
    }

    @Test
    void messagesAfterALargeBinaryKeepTheirOrderBothWays() throws Exception {
        AppWindow w = Pages.open(desktop, "app://echo.html");
        try (EventStream events = desktop.ipc().channelEvents("seq")) {
            Pages.eval(w, PAGE_HELPERS + " window.seen = []; runtime.on('seq', (p) => {"
                    + " window.seen.push(p.big ? 'big' + p.big.length + ':' + checksum(p.big) : p.i); }); 1");
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            sends.add(desktop.ipc().sendToWindow(w.id(), "seq", Map.of("i", 0)));
            byte[] big = pattern(8 * MIB, 0);
            sends.add(desktop.ipc().sendToWindow(w.id(), "seq", Map.of("big", big)));
            for (int i = 1; i <= 20; i++) {
                sends.add(desktop.ipc().sendToWindow(w.id(), "seq", Map.of("i", i)));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            StringBuilder expected = new StringBuilder("[0,\"big" + big.length + ":" + checksum(big) + "\"");
            for (int i = 1; i <= 20; i++) {
                expected.append(',').append(i);
            }
            awaitEval(w, "window.seen", expected.append(']').toString());

            Pages.eval(w, "runtime.send('seq', { i: 0 }); runtime.send('seq', { big: pattern(" + (4 * MIB) + ", 0) });"
                    + " for (let i = 1; i <= 20; i++) runtime.send('seq', { i }); 1");
            List<IpcEvent> up = Pages.take(events, 22);
            assertThat(up.get(0).payload().get("i").asInt()).isZero();
            assertThat(up.get(1).payload().get("big").binaryValue()).isEqualTo(pattern(4 * MIB, 0));
            for (int i = 1; i <= 20; i++) {
                assertThat(up.get(i + 1).payload().get("i").asInt()).isEqualTo(i);
            }
        } finally {
            w.close();
        }
    }

    @Test
    void aBroadcastLargeBinaryReachesEachWindow() throws Exception {
        AppWindow a = Pages.open(desktop, "app://echo.html");
        AppWindow b = Pages.open(desktop, "app://echo.html");
        try {
            String listen = PAGE_HELPERS + " window.got = null; runtime.on('all', (p) => {"
                    + " window.got = [p.constructor.name, p.length, checksum(p)]; }); 1";
            Pages.eval(a, listen);
            Pages.eval(b, listen);
            byte[] bytes = pattern(16 * MIB, 5);
            desktop.ipc().broadcast(List.of(a.id(), b.id()), "all", bytes).get(60, TimeUnit.SECONDS);
            String expected = "[\"Uint8Array\"," + bytes.length + "," + checksum(bytes) + "]";
            awaitEval(a, "window.got", expected);
            awaitEval(b, "window.got", expected);
            assertThat(desktop.assets().blobs().pending()).as("both URLs taken").isZero();
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void largeBinariesOfEveryKindNestedArriveWithTheirBytes() throws Exception {
        AppWindow w = Pages.open(desktop, "app://echo.html");
        try (EventStream events = desktop.ipc().channelEvents("kinds")) {
            int n = MIB; // above the 128 KiB cut-over: every one is uploaded
            Pages.eval(w, PAGE_HELPERS + " const buf = pattern(" + n + ", 0).buffer; runtime.send('kinds', { deep: [{ k: {"
                    + " ArrayBuffer: buf, DataView: new DataView(buf, 8, " + (n - 16) + "), Int8Array: new Int8Array(buf),"
                    + " Uint8Array: new Uint8Array(buf, 3, " + (n - 3) + "), Uint8ClampedArray: new Uint8ClampedArray(buf),"
                    + " Int16Array: new Int16Array(buf, 2, " + (n / 2 - 1) + "), Uint16Array: new Uint16Array(buf),"
                    + " Int32Array: new Int32Array(buf), Uint32Array: new Uint32Array(buf), Float32Array: new Float32Array(buf),"
                    + " Float64Array: new Float64Array(buf, 8, " + (n / 8 - 1) + "), BigInt64Array: new BigInt64Array(buf),"
                    + " BigUint64Array: new BigUint64Array(buf), small: new Uint8Array(buf, 0, 16) } }] }); 1");
            JsonNode k = Pages.take(events, 1).get(0).payload().get("deep").get(0).get("k");
            Map<String, int[]> views = Map.ofEntries(Map.entry("ArrayBuffer", new int[] {0, n}),
                    Map.entry("DataView", new int[] {8, n - 16}), Map.entry("Int8Array", new int[] {0, n}),
                    Map.entry("Uint8Array", new int[] {3, n - 3}), Map.entry("Uint8ClampedArray", new int[] {0, n}),
                    Map.entry("Int16Array", new int[] {2, n - 2}), Map.entry("Uint16Array", new int[] {0, n}),
                    Map.entry("Int32Array", new int[] {0, n}), Map.entry("Uint32Array", new int[] {0, n}),
                    Map.entry("Float32Array", new int[] {0, n}), Map.entry("Float64Array", new int[] {8, n - 8}),
                    Map.entry("BigInt64Array", new int[] {0, n}), Map.entry("BigUint64Array", new int[] {0, n}),
                    Map.entry("small", new int[] {0, 16}));
            assertThat(k.size()).isEqualTo(views.size());
            for (var v : views.entrySet()) {
                assertThat(k.get(v.getKey()).binaryValue()).as(v.getKey()).isEqualTo(pattern(v.getValue()[1], v.getValue()[0]));
            }
        } finally {
            w.close();
        }
    }
}
