package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.ref.WeakReference;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-time binary URLs of {@link OneTimeBlobs} on a real asset server, over real HTTP: single
 * use, expiry, the window key, origin, cookie and Host checks, the size limit with its code, and
 * byte-exact transfers both ways. (Through a real WebView page: {@link OneTimeBlobsWindowTest}.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OneTimeBlobsTest {
    @TempDir
    Path dir;
    private AssetServer server;
    private OneTimeBlobs blobs;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        Path web = Files.createDirectories(dir.resolve("web"));
        Files.writeString(web.resolve("index.html"), "<p>app</p>");
        server = new AssetServer(web, "/*BRIDGE*/", 0, null, null);
        blobs = server.blobs();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** A request as the window's page makes it: launch cookie, the window's key, same-origin headers. */
    private HttpRequest.Builder asPage(String url, String windowId) {
        return HttpRequest.newBuilder(URI.create(url)).header("Cookie", server.secretCookie())
                .header(OneTimeBlobs.WINDOW_HEADER, blobs.windowKey(windowId))
                .header("Referer", server.baseUrl() + "index.html").header("Sec-Fetch-Site", "same-origin");
    }

    private HttpResponse<byte[]> get(HttpRequest.Builder request) throws Exception {
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> post(HttpRequest.Builder request, byte[] body) throws Exception {
        return http.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static KilnException failure(CompletableFuture<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(KilnException.class);
            return (KilnException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError("The future did not fail in time", e);
        }
        throw new AssertionError("The future completed normally");
    }

    @Test
    void anOfferServesItsBytesOnceThenIsGone() throws Exception {
        byte[] bytes = random(100_000);
        String url = blobs.offer("w1", bytes);
        assertThat(url).startsWith(server.origin() + OneTimeBlobs.PREFIX);
        assertThat(url.substring((server.origin() + OneTimeBlobs.PREFIX).length()))
                .as("256 random bits, base64url").matches("[A-Za-z0-9_-]{43}");
        assertThat(blobs.pending()).isEqualTo(1);

        HttpResponse<byte[]> first = get(asPage(url, "w1"));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo(bytes);
        assertThat(first.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(blobs.pending()).isZero();

        assertThat(get(asPage(url, "w1")).statusCode()).as("the second GET").isEqualTo(404);
        assertThat(blobs.offer("w1", bytes)).as("every offer gets its own URL").isNotEqualTo(url);
    }

    @Test
    void bytesCrossByteExactBothWays() throws Exception {
        for (int size : new int[] {0, 1, 64 * 1024, 10 * 1024 * 1024}) {
            byte[] bytes = random(size);
            ByteBuffer inBigger = ByteBuffer.allocateDirect(size + 10).position(5);
            inBigger.put(bytes).flip().position(5); // a direct buffer, with bytes around the ones offered
            byte[] padded = new byte[size + 10];
            System.arraycopy(bytes, 0, padded, 3, size);
            for (ByteBuffer offered : new ByteBuffer[] {ByteBuffer.wrap(bytes), inBigger, ByteBuffer.wrap(padded, 3, size)}) {
                HttpResponse<byte[]> got = get(asPage(blobs.offer("w1", offered), "w1"));
                assertThat(got.statusCode()).isEqualTo(200);
                assertThat(got.body()).as("%d bytes to the page", size).isEqualTo(bytes);
            }

            OneTimeBlobs.Upload upload = blobs.expect("w1", size);
            HttpResponse<String> answer = post(asPage(upload.url(), "w1"), bytes);
            assertThat(answer.statusCode()).isEqualTo(204);
            assertThat(upload.received().get(10, TimeUnit.SECONDS)).as("%d bytes from the page", size).isEqualTo(bytes);
        }
        assertThat(blobs.pending()).isZero();
    }

    @Test
    void anUploadSlotTakesOneUpload() throws Exception {
        OneTimeBlobs.Upload upload = blobs.expect("w1", 10);
        assertThat(post(asPage(upload.url(), "w1"), new byte[] {1, 2, 3}).statusCode()).isEqualTo(204);
        assertThat(upload.received().get(10, TimeUnit.SECONDS)).containsExactly(1, 2, 3);
        assertThat(post(asPage(upload.url(), "w1"), new byte[] {4}).statusCode()).as("the second POST").isEqualTo(404);
    }

    @Test
    void anotherWindowsKeyIsRefusedAndDoesNotSpendTheUrl() throws Exception {
        byte[] bytes = random(1000);
        String url = blobs.offer("w1", bytes);
        assertThat(blobs.windowKey("w2")).isNotEqualTo(blobs.windowKey("w1"));
        try (LogCapture log = new LogCapture()) {
            assertThat(get(asPage(url, "w2")).statusCode()).as("w2's key").isEqualTo(403);
            assertThat(get(HttpRequest.newBuilder(URI.create(url)).header("Cookie", server.secretCookie())).statusCode())
                    .as("no key").isEqualTo(403);
            assertThat(get(asPage(url, "w1").setHeader(OneTimeBlobs.WINDOW_HEADER, "guess")).statusCode())
                    .as("a wrong key").isEqualTo(403);
            assertThat(log.messages()).anyMatch(m -> m.startsWith("[7004] Refused a one-time binary URL of window w1")
                    && m.endsWith("the X-Kiln-Window key is not this window's"));
        }
        OneTimeBlobs.Upload upload = blobs.expect("w1", 10);
        assertThat(post(asPage(upload.url(), "w2"), new byte[] {1}).statusCode()).isEqualTo(403);
        assertThat(upload.received()).as("a refused upload does not end the slot").isNotDone();

        assertThat(get(asPage(url, "w1")).body()).as("the window's own request still gets it").isEqualTo(bytes);
        assertThat(post(asPage(upload.url(), "w1"), new byte[] {7}).statusCode()).isEqualTo(204);
        assertThat(upload.received().get(10, TimeUnit.SECONDS)).containsExactly(7);
    }

    @Test
    void aForeignOriginIsRefused() throws Exception {
        byte[] bytes = random(1000);
        String url = blobs.offer("w1", bytes);
        OneTimeBlobs.Upload upload = blobs.expect("w1", 10);
        assertThat(get(asPage(url, "w1").header("Origin", "http://evil.example")).statusCode()).isEqualTo(403);
        assertThat(get(asPage(url, "w1").header("Origin", "null")).statusCode()).isEqualTo(403);
        assertThat(get(asPage(url, "w1").setHeader("Referer", "http://evil.example/page.html")).statusCode()).isEqualTo(403);
        assertThat(get(asPage(url, "w1").setHeader("Referer", server.origin() + ".evil.example/")).statusCode()).isEqualTo(403);
        assertThat(get(asPage(url, "w1").setHeader("Sec-Fetch-Site", "cross-site")).statusCode()).isEqualTo(403);
        assertThat(post(asPage(upload.url(), "w1").header("Origin", "http://localhost:" + server.port()), new byte[] {1})
                .statusCode()).as("the app's other host name is another origin").isEqualTo(403);
        HttpResponse<byte[]> preflight = http.send(asPage(url, "w1").header("Origin", "http://evil.example")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(preflight.statusCode()).as("a CORS preflight").isEqualTo(403);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        assertThat(get(asPage(url, "w1").header("Origin", server.origin())).body()).isEqualTo(bytes);
        assertThat(post(asPage(upload.url(), "w1").header("Origin", server.origin()), new byte[] {1}).statusCode()).isEqualTo(204);
    }

    @Test
    void requestsWithoutTheLaunchCookieOrWithAnotherHostAreRefused() throws Exception {
        byte[] bytes = random(1000);
        String url = blobs.offer("w1", bytes);
        String path = URI.create(url).getRawPath();
        String key = OneTimeBlobs.WINDOW_HEADER + ": " + blobs.windowKey("w1");
        assertThat(get(HttpRequest.newBuilder(URI.create(url)).header(OneTimeBlobs.WINDOW_HEADER, blobs.windowKey("w1")))
                .statusCode()).as("no cookie").isEqualTo(403);
        assertThat(rawStatus("GET " + path, "Host: 127.0.0.1:" + server.port() + "\r\nCookie: kiln-launch=guess\r\n" + key))
                .as("a wrong cookie").endsWith("403 Forbidden");
        assertThat(rawStatus("GET " + path, "Host: evil.example:" + server.port() + "\r\nCookie: " + server.secretCookie() + "\r\n" + key))
                .as("a DNS-rebinding host").endsWith("403 Forbidden");
        assertThat(rawStatus("GET " + path, "Host: 127.0.0.1:" + server.port() + "\r\nCookie: " + server.secretCookie() + "\r\n" + key))
                .as("the same request, as the WebView sends it").endsWith("200 OK");
    }

    @Test
    void aWrongMethodIsRefusedAndDoesNotSpendTheUrl() throws Exception {
        byte[] bytes = random(10);
        String url = blobs.offer("w1", bytes);
        OneTimeBlobs.Upload upload = blobs.expect("w1", 10);
        assertThat(post(asPage(url, "w1"), new byte[] {1}).statusCode()).isEqualTo(405);
        assertThat(http.send(asPage(url, "w1").method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(405);
        assertThat(get(asPage(upload.url(), "w1")).statusCode()).isEqualTo(405);
        assertThat(blobs.pending()).isEqualTo(2);
        assertThat(get(asPage(url, "w1")).body()).isEqualTo(bytes);
    }

    @Test
    void anOfferExpiresAndLetsGoOfItsBytes() throws Exception {
        byte[] bytes = random(8 * 1024 * 1024);
        WeakReference<byte[]> held = new WeakReference<>(bytes);
        String url = blobs.offer("w1", ByteBuffer.wrap(bytes), Duration.ofMillis(300));
        bytes = null;
        await().atMost(Duration.ofSeconds(10)).until(() -> blobs.pending() == 0);
        assertThat(get(asPage(url, "w1")).statusCode()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return held.get() == null;
        });
    }

    @Test
    void aLateRequestFindsTheOfferExpiredEvenBeforeItsTaskRan() throws Exception {
        String url = blobs.offer("w1", ByteBuffer.wrap(random(10)), Duration.ofNanos(1));
        Thread.sleep(5); // past the deadline; the expiry thread may or may not have run
        assertThat(get(asPage(url, "w1")).statusCode()).isEqualTo(404);
        assertThat(blobs.pending()).isZero();
    }

    @Test
    void anUploadThatNeverComesFailsWith7001() throws Exception {
        OneTimeBlobs.Upload upload = blobs.expect("w1", 100, Duration.ofMillis(300));
        KilnException e = failure(upload.received());
        assertThat(e.code()).isEqualTo(ErrorCode.CHANNEL_RECV);
        assertThat(e.getMessage()).isEqualTo("[7001] Window w1 did not upload the expected binary within 300 ms");
        assertThat(blobs.pending()).isZero();
        assertThat(post(asPage(upload.url(), "w1"), new byte[] {1}).statusCode()).isEqualTo(404);
    }

    @Test
    void anOversizedUploadIsRefusedWith7010BeforeItsBodyIsRead() throws Exception {
        OneTimeBlobs.Upload upload = blobs.expect("w1", 1000);
        HttpResponse<String> answer = post(asPage(upload.url(), "w1"), new byte[1001]);
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.body()).isEqualTo("[7010] A binary of 1001 bytes is larger than the limit of 1000 bytes");
        KilnException e = failure(upload.received());
        assertThat(e.code()).isEqualTo(ErrorCode.BINARY_TOO_LARGE);
        assertThat(e.code().label()).isEqualTo("BinaryTooLarge");
        assertThat(e.getMessage()).isEqualTo(answer.body());
        assertThat(post(asPage(upload.url(), "w1"), new byte[1]).statusCode()).as("the slot is spent").isEqualTo(404);

        // above the 1 GiB binary limit: only the headers are sent, the server answers before any body
        OneTimeBlobs.Upload big = blobs.expect("w1", OneTimeBlobs.MAX_BYTES);
        String status = rawStatus("POST " + URI.create(big.url()).getRawPath(), "Host: 127.0.0.1:" + server.port()
                + "\r\nCookie: " + server.secretCookie() + "\r\n" + OneTimeBlobs.WINDOW_HEADER + ": " + blobs.windowKey("w1")
                + "\r\nContent-Length: " + (OneTimeBlobs.MAX_BYTES + 1));
        assertThat(status).endsWith("413 Request Entity Too Large");
        assertThat(failure(big.received()).getMessage())
                .isEqualTo("[7010] A binary of 1073741825 bytes is larger than the limit of 1073741824 bytes (1 GiB)");
    }

    @Test
    void anOfferAboveOneGibIsRefusedWith7010() throws Exception {
        Path sparse = dir.resolve("big.bin");
        try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
            file.setLength(OneTimeBlobs.MAX_BYTES + 1); // sparse: no disk, no heap
            ByteBuffer mapped = file.getChannel().map(FileChannel.MapMode.READ_ONLY, 0, OneTimeBlobs.MAX_BYTES + 1);
            assertThatThrownBy(() -> blobs.offer("w1", mapped)).isInstanceOfSatisfying(KilnException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.BINARY_TOO_LARGE))
                    .hasMessage("[7010] A binary of 1073741825 bytes is larger than the limit of 1073741824 bytes (1 GiB)");
        }
        assertThat(blobs.pending()).isZero();
        assertThatThrownBy(() -> blobs.expect("w1", OneTimeBlobs.MAX_BYTES + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUploadMustDeclareItsLengthAndSendItAll() throws Exception {
        OneTimeBlobs.Upload chunked = blobs.expect("w1", 100);
        HttpResponse<String> answer = http.send(asPage(chunked.url(), "w1").POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(new byte[] {1, 2}))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(411);
        assertThat(failure(chunked.received()).getMessage()).isEqualTo("[7001] Window w1 sent a binary without a Content-Length");

        OneTimeBlobs.Upload cut = blobs.expect("w1", 100);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST " + URI.create(cut.url()).getRawPath() + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nCookie: " + server.secretCookie() + "\r\n" + OneTimeBlobs.WINDOW_HEADER + ": " + blobs.windowKey("w1")
                    + "\r\nContent-Length: 10\r\n\r\n12345").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.shutdownOutput(); // 5 of the 10 bytes, then the page goes away
            s.getInputStream().readAllBytes();
        }
        KilnException e = failure(cut.received());
        assertThat(e.code()).isEqualTo(ErrorCode.CHANNEL_RECV);
        assertThat(e.getMessage()).startsWith("[7001] Window w1");
    }

    @Test
    void aClosedWindowsUrlsGoWithIt() throws Exception {
        String mine = blobs.offer("w1", random(10));
        OneTimeBlobs.Upload myUpload = blobs.expect("w1", 10);
        String oldKey = blobs.windowKey("w1");
        byte[] theirs = random(20);
        String other = blobs.offer("w2", theirs);

        blobs.windowClosed("w1");
        KilnException e = failure(myUpload.received());
        assertThat(e.code()).isEqualTo(ErrorCode.WINDOW_NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("[7002] Window not found: w1 (closed before its page took the binary)");
        assertThat(blobs.pending()).isEqualTo(1);
        assertThat(get(asPage(mine, "w1")).statusCode()).isEqualTo(404);
        assertThat(blobs.windowKey("w1")).as("a window reopened with the same id gets a new key").isNotEqualTo(oldKey);
        assertThat(get(asPage(other, "w2")).body()).isEqualTo(theirs);
    }

    @Test
    void stoppingTheServerFailsWaitingUploads() {
        OneTimeBlobs.Upload upload = blobs.expect("w1", 10);
        server.stop();
        assertThat(failure(upload.received()).getMessage()).isEqualTo("[7000] The runtime has shut down");
        assertThatThrownBy(() -> blobs.offer("w1", new byte[1])).hasMessage("[7000] The runtime has shut down");
        assertThat(blobs.pending()).isZero();
    }

    @Test
    void appFilesCannotTakeTheReservedPath() throws Exception {
        Path web = dir.resolve("web");
        Files.createDirectories(web.resolve(".kiln/blob"));
        Files.writeString(web.resolve(".kiln/blob/x"), "app file");
        HttpResponse<byte[]> got = get(asPage(server.origin() + OneTimeBlobs.PREFIX + "x", "w1"));
        assertThat(got.statusCode()).isEqualTo(404);
        assertThat(new String(got.body(), StandardCharsets.UTF_8)).doesNotContain("app file");
    }

    /**
     * Sends the request line and headers exactly as written (no body); the status line of the
     * answer, read without waiting for the rest (the server may wait for a body that never comes).
     */
    private String rawStatus(String requestLine, String headers) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write((requestLine + " HTTP/1.1\r\n" + headers + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != -1 && c != '\r'; ) {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
