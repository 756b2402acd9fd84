package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One-time binary URLs through real WebView pages: a page fetches what the host offered and posts
 * it back byte-exact; the URL serves once; another Kiln window and a foreign frame cannot take it,
 * even when they learned the URL (and, for the frame, the window's key); closing the window drops
 * its URLs. The page is handed its window key by script here, as the page bridge will at its handshake.
 */
@ExtendWith(RealWindowExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OneTimeBlobsWindowTest {
    /** Served from another origin; tries to take the one-time URLs it is given, and tells its parent how that went. */
    private static final String FOREIGN_PAGE = """
            <!DOCTYPE html><html><body><script>
            const q = new URLSearchParams(location.search);
            const url = q.get('url'), upload = q.get('upload'), key = q.get('key');
            const settle = (p) => p.then((r) => r.type === 'opaque' ? 'opaque' : 'status ' + r.status, (e) => e.name);
            Promise.all([
              settle(fetch(url, { headers: { 'X-Kiln-Window': key } })),
              settle(fetch(url, { mode: 'no-cors' })),
              settle(fetch(upload, { method: 'POST', headers: { 'X-Kiln-Window': key }, body: new Uint8Array([6, 6, 6]) })),
              settle(fetch(upload, { method: 'POST', mode: 'no-cors', body: new Uint8Array([6, 6, 6]) })),
            ]).then((r) => parent.postMessage(r, '*'));
            </script></body></html>""";
    private static Desktop desktop;
    private static HttpServer foreign;

    @BeforeAll
    static void start() throws Exception {
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false));
        foreign = ForeignOrigin.serve(FOREIGN_PAGE);
    }

    @AfterAll
    static void stop() {
        desktop.close();
        foreign.stop(0);
    }

    private static OneTimeBlobs blobs() {
        return desktop.assets().blobs();
    }

    /** Opens a window and hands its page its key, as the bridge will. */
    private static AppWindow open() throws Exception {
        AppWindow w = Pages.open(desktop, "app://index.html");
        Pages.eval(w, "window.kilnKey = " + BridgeProtocol.quote(blobs().windowKey(w.id())) + "; 1");
        return w;
    }

    private static String q(String s) {
        return BridgeProtocol.quote(s);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n + 1).nextBytes(b);
        return b;
    }

    @Test
    void aPageFetchesItsBinaryOnceAndPostsItBackByteExact() throws Exception {
        AppWindow w = open();
        try {
            for (int size : new int[] {0, 1, 64 * 1024, 10 * 1024 * 1024}) {
                byte[] bytes = random(size);
                String url = blobs().offer(w.id(), bytes);
                OneTimeBlobs.Upload back = blobs().expect(w.id(), size);
                Pages.eval(w, "window.done = null; (async () => {"
                        + " const r = await fetch(" + q(url) + ", { headers: { 'X-Kiln-Window': kilnKey } });"
                        + " const got = new Uint8Array(await r.arrayBuffer());"
                        + " const again = await fetch(" + q(url) + ", { headers: { 'X-Kiln-Window': kilnKey } });"
                        + " const posted = await fetch(" + q(back.url()) + ", { method: 'POST', headers: { 'X-Kiln-Window': kilnKey }, body: got });"
                        + " window.done = [r.status, r.headers.get('Content-Type'), got.length, again.status, posted.status];"
                        + "})().catch((e) => window.done = String(e)); 1");
                Pages.awaitEval(w, "window.done", "[200,\"application/octet-stream\"," + size + ",404,204]");
                assertThat(back.received().get(20, TimeUnit.SECONDS)).as("%d bytes there and back", size).isEqualTo(bytes);
            }
            assertThat(blobs().pending()).isZero();
        } finally {
            w.close();
        }
    }

    @Test
    void anotherWindowCannotTakeAUrlEvenWhenItKnowsIt() throws Exception {
        AppWindow mine = open();
        AppWindow other = open();
        try {
            byte[] bytes = random(1000);
            String url = blobs().offer(mine.id(), bytes);
            OneTimeBlobs.Upload upload = blobs().expect(mine.id(), 10);
            Pages.eval(other, "window.done = null; (async () => {"
                    + " const withOwnKey = await fetch(" + q(url) + ", { headers: { 'X-Kiln-Window': kilnKey } });"
                    + " const withoutKey = await fetch(" + q(url) + ");"
                    + " const posted = await fetch(" + q(upload.url()) + ", { method: 'POST', headers: { 'X-Kiln-Window': kilnKey },"
                    + "   body: new Uint8Array([6]) });"
                    + " window.done = [withOwnKey.status, withoutKey.status, posted.status];"
                    + "})().catch((e) => window.done = String(e)); 1");
            Pages.awaitEval(other, "window.done", "[403,403,403]");
            assertThat(blobs().pending()).isEqualTo(2);
            assertThat(upload.received()).isNotDone();

            Pages.eval(mine, "window.done = null; (async () => {"
                    + " const r = await fetch(" + q(url) + ", { headers: { 'X-Kiln-Window': kilnKey } });"
                    + " const got = new Uint8Array(await r.arrayBuffer());"
                    + " const posted = await fetch(" + q(upload.url()) + ", { method: 'POST', headers: { 'X-Kiln-Window': kilnKey },"
                    + "   body: got.subarray(0, 3) });"
                    + " window.done = [r.status, got.length, posted.status];"
                    + "})().catch((e) => window.done = String(e)); 1");
            Pages.awaitEval(mine, "window.done", "[200,1000,204]");
            assertThat(upload.received().get(20, TimeUnit.SECONDS)).containsExactly(bytes[0], bytes[1], bytes[2]);
        } finally {
            mine.close();
            other.close();
        }
    }

    @Test
    void aForeignFrameCannotTakeAUrlEvenWithTheKey() throws Exception {
        AppWindow w = open();
        try (LogCapture log = new LogCapture()) {
            byte[] bytes = random(1000);
            String url = blobs().offer(w.id(), bytes);
            OneTimeBlobs.Upload upload = blobs().expect(w.id(), 10);
            String frame = "http://localhost:" + foreign.getAddress().getPort() + "/frame.html?url=" + enc(url)
                    + "&upload=" + enc(upload.url()) + "&key=" + enc(blobs().windowKey(w.id()));
            Pages.eval(w, "window.frameSaw = null; window.addEventListener('message', (e) => window.frameSaw = e.data);"
                    + " const f = document.createElement('iframe'); f.src = " + q(frame) + "; document.body.appendChild(f); 1");
            // with the key: the CORS preflight is refused, so the request is never made; without it: refused (opaque to the frame)
            Pages.awaitEval(w, "window.frameSaw", "[\"TypeError\",\"opaque\",\"TypeError\",\"opaque\"]");
            assertThat(blobs().pending()).as("nothing was taken").isEqualTo(2);
            assertThat(upload.received()).isNotDone();
            String refused = "[7004] Refused a one-time binary URL of window " + w.id() + ": ";
            String frameOrigin = "http://localhost:" + foreign.getAddress().getPort();
            assertThat(log.messages()).as("each try reached the server with the launch cookie, and was refused there")
                    .contains(refused + "Origin " + frameOrigin + " is not the app's",
                            refused + "Referer " + frameOrigin + "/ is not one of the app's pages");

            Pages.eval(w, "window.done = null; fetch(" + q(url) + ", { headers: { 'X-Kiln-Window': kilnKey } })"
                    + ".then((r) => r.arrayBuffer()).then((b) => window.done = new Uint8Array(b)[999]); 1");
            Pages.awaitEval(w, "window.done", Integer.toString(bytes[999] & 0xff));
        } finally {
            w.close();
        }
    }

    @Test
    void closingTheWindowDropsItsUrls() throws Exception {
        AppWindow w = open();
        blobs().offer(w.id(), random(100));
        OneTimeBlobs.Upload upload = blobs().expect(w.id(), 10);
        assertThat(blobs().pending()).isEqualTo(2);
        w.close();
        try {
            upload.received().get(20, TimeUnit.SECONDS);
            throw new AssertionError("the upload did not fail");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(KilnException.class,
                    k -> assertThat(k.code()).isEqualTo(ErrorCode.WINDOW_NOT_FOUND));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> blobs().pending() == 0);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
