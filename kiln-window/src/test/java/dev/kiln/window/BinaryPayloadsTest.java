package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.IpcEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Binary values between a real page and Java, both ways: every typed array kind, nested, and sizes up to 10 MiB. */
@ExtendWith(RealWindowExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BinaryPayloadsTest {
    private static Desktop desktop;

    /** The page's byte pattern: byte i of a buffer is (i * 31 + 7) & 255. */
    private static final String PATTERN = "window.pattern = (n) => { const b = new Uint8Array(n);"
            + " for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 255; return b; };";

    private static byte[] pattern(int n, int from) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (((i + from) * 31 + 7) & 255);
        }
        return b;
    }

    @BeforeAll
    static void start() {
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false));
    }

    @AfterAll
    static void stop() {
        desktop.close();
    }

    @Test
    void everyKindOfBinaryFromThePageArrivesInJavaWithItsBytes() throws Exception {
        AppWindow w = Pages.open(desktop, "app://echo.html");
        try (EventStream events = desktop.ipc().channelEvents("bin")) {
            Pages.eval(w, PATTERN + " const buf = pattern(16).buffer; const k = {"
                    + " ArrayBuffer: buf, DataView: new DataView(buf, 3, 5), Int8Array: new Int8Array(buf),"
                    + " Uint8Array: new Uint8Array(buf, 3, 5), Uint8ClampedArray: new Uint8ClampedArray(buf),"
                    + " Int16Array: new Int16Array(buf, 2, 3), Uint16Array: new Uint16Array(buf), Int32Array: new Int32Array(buf, 4, 2),"
                    + " Uint32Array: new Uint32Array(buf), Float32Array: new Float32Array(buf), Float64Array: new Float64Array(buf, 8, 1),"
                    + " BigInt64Array: new BigInt64Array(buf), BigUint64Array: new BigUint64Array(buf) };"
                    + " runtime.send('bin', { kinds: k, nested: [{ deep: [new Uint8Array(0)] }] }); 1");
            IpcEvent e = Pages.take(events, 1).get(0);
            JsonNode kinds = e.payload().get("kinds");
            Map<String, int[]> views = Map.ofEntries(Map.entry("ArrayBuffer", new int[] {0, 16}),
                    Map.entry("DataView", new int[] {3, 5}), Map.entry("Int8Array", new int[] {0, 16}),
                    Map.entry("Uint8Array", new int[] {3, 5}), Map.entry("Uint8ClampedArray", new int[] {0, 16}),
                    Map.entry("Int16Array", new int[] {2, 6}), Map.entry("Uint16Array", new int[] {0, 16}),
                    Map.entry("Int32Array", new int[] {4, 8}), Map.entry("Uint32Array", new int[] {0, 16}),
                    Map.entry("Float32Array", new int[] {0, 16}), Map.entry("Float64Array", new int[] {8, 8}),
                    Map.entry("BigInt64Array", new int[] {0, 16}), Map.entry("BigUint64Array", new int[] {0, 16}));
            assertThat(kinds.size()).isEqualTo(views.size());
            views.forEach((kind, at) -> {
                assertThat(kinds.get(kind).isBinary()).as(kind).isTrue();
                try {
                    assertThat(kinds.get(kind).binaryValue()).as(kind).containsExactly(pattern(at[1], at[0]));
                } catch (java.io.IOException ex) {
                    throw new AssertionError(ex);
                }
            });
            assertThat(e.payload().get("nested").get(0).get("deep").get(0).binaryValue()).isEmpty();
        } finally {
            w.close();
        }
    }

    @Test
    void javaBytesOfEverySizeArriveInThePageAsUint8Arrays() throws Exception {
        AppWindow w = Pages.open(desktop, "app://echo.html");
        try {
            Pages.eval(w, "window.sizes = []; runtime.on('bytes', (p) => { let sum = 0;"
                    + " for (let i = 0; i < p.data.length; i++) sum = (sum * 31 + p.data[i]) >>> 0;"
                    + " window.sizes.push([p.data.constructor.name, p.data.length, sum, p.label]); }); 1");
            List<Integer> sizes = List.of(0, 1, 64 * 1024, 10 * 1024 * 1024);
            for (int n : sizes) {
                desktop.ipc().sendToWindow(w.id(), "bytes", Map.of("label", "n" + n, "data", pattern(n, 0))).get(60, TimeUnit.SECONDS);
            }
            StringBuilder expected = new StringBuilder("[");
            for (int n : sizes) {
                long sum = 0;
                for (byte b : pattern(n, 0)) {
                    sum = (sum * 31 + (b & 255)) & 0xffffffffL;
                }
                expected.append(expected.length() > 1 ? "," : "").append("[\"Uint8Array\",").append(n).append(',').append(sum)
                        .append(",\"n").append(n).append("\"]");
            }
            Pages.awaitEval(w, "window.sizes", expected.append(']').toString());
        } finally {
            w.close();
        }
    }

    @Test
    void aPayloadThatUsesKilnsMarkerKeyIsRefused() throws Exception {
        AppWindow w = Pages.open(desktop, "app://echo.html");
        try {
            assertThat(Pages.eval(w, "try { runtime.send('x', { a: { '\\u0000kiln': 'Uint8Array', b: '' } }); 'sent' }"
                    + " catch (e) { e.code + ' ' + e.message }"))
                    .isEqualTo("\"7003 [7003] Payload cannot be serialized to JSON: payload.a is an object with Kiln's binary marker key\"");
        } finally {
            w.close();
        }
    }
}
