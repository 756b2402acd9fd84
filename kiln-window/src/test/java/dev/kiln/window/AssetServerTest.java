package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The app:// asset server: MIME types, bridge injection, URL mapping, and refusing paths out of web/. */
class AssetServerTest {
    @TempDir
    Path dir;
    private Path web;
    private AssetServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        web = Files.createDirectories(dir.resolve("web"));
        Files.writeString(dir.resolve("secret.txt"), "outside");
        Files.createDirectories(dir.resolve("outside-dir"));
        Files.writeString(dir.resolve("outside-dir/file.txt"), "outside");
        Files.writeString(web.resolve("index.html"), "<!DOCTYPE html><html><head lang=\"en\"><title>t</title></head><body></body></html>");
        Files.writeString(web.resolve("main.js"), "console.log(1)");
        Files.writeString(web.resolve("mod.mjs"), "export const a = 1;");
        Files.writeString(web.resolve("style.css"), "body{}");
        Files.writeString(web.resolve("data.json"), "{}");
        Files.writeString(web.resolve("icon.svg"), "<svg/>");
        Files.write(web.resolve("blob.bin"), new byte[] {1, 2, 3});
        Files.createDirectories(web.resolve("sub dir"));
        Files.writeString(web.resolve("sub dir/page.html"), "<p>no head</p>");
        Files.createSymbolicLink(web.resolve("link.txt"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(web.resolve("linkdir"), dir.resolve("outside-dir"));
        Files.writeString(web.resolve(".env"), "TOKEN=1");
        Files.createDirectories(web.resolve(".git"));
        Files.writeString(web.resolve(".git/config"), "[core]");
        Files.createDirectories(web.resolve("assets"));
        Files.writeString(web.resolve("assets/.hidden.js"), "1");
        server = new AssetServer(web, "/*BRIDGE*/", 0, null, null);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("Cookie", server.secretCookie()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sends the request line exactly as written, so that no client normalizes the path first. */
    private String rawStatus(String method, String rawPath) throws IOException {
        return rawStatus(method, rawPath, "Host: 127.0.0.1:" + server.port() + "\r\nCookie: " + server.secretCookie());
    }

    private String rawStatus(String method, String rawPath, String headers) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write((method + " " + rawPath + " HTTP/1.1\r\n" + headers + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return response.substring(0, response.indexOf("\r\n"));
        }
    }

    @Test
    void servesFilesWithTheirMimeTypes() throws Exception {
        assertThat(get("main.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(get("mod.mjs").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(get("style.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(get("data.json").headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(get("icon.svg").headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        assertThat(get("blob.bin").headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        HttpResponse<String> page = get("index.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(get("main.js").body()).isEqualTo("console.log(1)");
        assertThat(get("sub%20dir/page.html").statusCode()).isEqualTo(200);
        assertThat(get("").body()).as("the folder's index").contains("<title>t</title>");
    }

    @Test
    void streamsLargeAndEmptyFilesWhole() throws Exception {
        byte[] big = new byte[3 * AssetServer.WRITE_CHUNK + 1]; // several pieces and a short last one
        new java.util.Random(3).nextBytes(big);
        Files.write(web.resolve("big.bin"), big);
        Files.write(web.resolve("empty.bin"), new byte[0]);
        HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "big.bin"))
                .header("Cookie", server.secretCookie()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(big);
        assertThat(got.headers().firstValue("Content-Length")).hasValue(Integer.toString(big.length));
        HttpResponse<String> empty = get("empty.bin");
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.body()).isEmpty();
        assertThat(rawStatus("HEAD", "/big.bin")).endsWith("200 OK");
    }

    @Test
    void injectsTheBridgeAsTheFirstScriptOfHtmlOnly() throws Exception {
        assertThat(get("index.html").body())
                .isEqualTo("<!DOCTYPE html><html><head lang=\"en\"><script>/*BRIDGE*/</script><title>t</title></head><body></body></html>");
        assertThat(get("sub%20dir/page.html").body()).isEqualTo("<script>/*BRIDGE*/</script><p>no head</p>");
        assertThat(get("main.js").body()).doesNotContain("BRIDGE");
        assertThat(server.withBridge("<!doctype html><p>x")).isEqualTo("<!doctype html><script>/*BRIDGE*/</script><p>x");
        assertThat(server.withBridge("<HTML><HEAD>")).isEqualTo("<HTML><HEAD><script>/*BRIDGE*/</script>");
        assertThat(server.withBridge("<html><header>")).isEqualTo("<html><script>/*BRIDGE*/</script><header>");
    }

    @Test
    void refusesPathsThatEscapeTheWebFolder() throws Exception {
        String prefix = "/";
        assertThat(rawStatus("GET", prefix + "index.html")).endsWith("200 OK");
        for (String escape : new String[] {"../secret.txt", "%2e%2e/secret.txt", "%2E%2E%2Fsecret.txt", "..%2fsecret.txt",
                "sub%20dir/../../secret.txt", "./../secret.txt", "link.txt", "linkdir/file.txt", "..\\secret.txt",
                "%2e%2e%5csecret.txt", "index.html%00.txt", "/../secret.txt", "missing.html"}) {
            // 400: the JDK server itself rejects some raw forms (a bare backslash) before the handler
            assertThat(rawStatus("GET", prefix + escape)).as(escape).matches("HTTP/1.1 (404 Not Found|400 Bad Request)");
        }
        assertThat(rawStatus("POST", prefix + "index.html")).endsWith("405 Method Not Allowed");
        assertThat(rawStatus("HEAD", prefix + "index.html")).endsWith("200 OK");
    }

    @Test
    void mapsAppUrlsAndRecognizesItsOwnDocuments() {
        String base = server.baseUrl();
        assertThat(base).isEqualTo("http://127.0.0.1:" + server.port() + "/");
        assertThat(server.resolve("app://index.html")).as("the index page is the root, as routers expect").isEqualTo(base);
        assertThat(server.resolve("app://")).isEqualTo(base);
        assertThat(server.resolve("app://index.html?q=1#/route")).isEqualTo(base + "?q=1#/route");
        assertThat(server.resolve("app://index.htmlx")).isEqualTo(base + "index.htmlx");
        assertThat(server.resolve("app:///sub/page.html?q=1#top")).isEqualTo(base + "sub/page.html?q=1#top");
        assertThat(server.resolve("app://sub/index.html")).isEqualTo(base + "sub/index.html");
        assertThat(server.resolve("app://index.html/todos/3")).as("a route below a page, as Forge reaches it").isEqualTo(base + "todos/3");
        assertThat(server.resolve("app://Page.HTM/a.js")).isEqualTo(base + "a.js");
        assertThat(server.appForm(base)).isEqualTo("app://index.html");
        assertThat(server.appForm(base + "?q=1")).isEqualTo("app://index.html?q=1");
        assertThat(server.appForm(base + "sub/page.html")).isEqualTo("app://sub/page.html");
        assertThat(server.appForm("https://example.com/")).isEqualTo("https://example.com/");
        assertThat(server.resolve("https://example.com/")).isEqualTo("https://example.com/");
        assertThat(server.isAppDocument(base + "x.html")).isTrue();
        assertThat(server.isAppDocument(base + "deep/x.html?q#f")).isTrue();
        assertThat(server.isAppDocument("http://127.0.0.1:" + server.port() + "0/x.html")).as("another port").isFalse();
        assertThat(server.isAppDocument("http://localhost:" + server.port() + "/x.html")).as("another origin").isFalse();
        assertThat(server.isAppDocument("http://127.0.0.1:" + server.port() + "@evil.example/")).isFalse();
        assertThat(server.isAppDocument("about:blank")).isFalse();
        assertThat(server.isAppDocument(null)).isFalse();
    }

    @Test
    void refusesDotfilesAndDotFolders() throws Exception {
        for (String dot : new String[] {".env", ".git/config", "assets/.hidden.js", "%2eenv", ".git/"}) {
            assertThat(rawStatus("GET", "/" + dot)).as(dot).endsWith("404 Not Found");
        }
    }

    @Test
    void refusesRequestsWithoutTheSecretOrWithAForeignHost() throws Exception {
        try (LogCapture log = new LogCapture()) {
            String host = "Host: 127.0.0.1:" + server.port();
            String cookie = "Cookie: " + server.secretCookie();
            assertThat(rawStatus("GET", "/index.html", host)).as("no cookie").endsWith("403 Forbidden");
            assertThat(rawStatus("GET", "/index.html", host + "\r\nCookie: " + LaunchCookies.NAME + "=guess")).endsWith("403 Forbidden");
            assertThat(rawStatus("GET", "/index.html", host + "\r\nCookie: a=1; " + server.secretCookie() + "x")).endsWith("403 Forbidden");
            assertThat(rawStatus("GET", "/index.html", "Host: evil.example:" + server.port() + "\r\n" + cookie))
                    .as("DNS rebinding").endsWith("403 Forbidden");
            assertThat(rawStatus("GET", "/index.html", "Host: 127.0.0.1\r\n" + cookie)).as("no port").endsWith("403 Forbidden");
            assertThat(rawStatus("GET", "/index.html", cookie)).as("no Host").matches("HTTP/1.1 (403 Forbidden|400 Bad Request)");
            assertThat(rawStatus("GET", "/index.html", "Host: LOCALHOST:" + server.port() + "\r\nCookie: a=1; " + server.secretCookie() + "; b=2"))
                    .endsWith("200 OK");
            assertThat(log.contains("Refused /index.html on the app's asset server")).isTrue();
            assertThat(log.contains("evil.example")).isTrue();
        }
    }

    @Test
    void logsA404WithItsUrl() throws Exception {
        try (LogCapture log = new LogCapture()) {
            assertThat(get("assets/index-abc123.js").statusCode()).isEqualTo(404);
            assertThat(log.messages()).anyMatch(m -> m.contains("Not found: " + server.origin() + "/assets/index-abc123.js"));
        }
    }

    @Test
    @Timeout(60)
    void slowClientsDoNotStallTheServerAndAreClosed() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) { // more than the old pool's two threads
                Socket s = new Socket("127.0.0.1", server.port());
                s.getOutputStream().write("GET /index.html HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                slow.add(s);
            }
            // a generous bound: this is about not being stuck, not about speed
            CompletableFuture<HttpResponse<String>> normal = http.sendAsync(
                    HttpRequest.newBuilder(URI.create(server.baseUrl() + "index.html")).header("Cookie", server.secretCookie()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(normal.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            for (Socket s : slow) {
                s.setSoTimeout(45_000);
                assertThat(s.getInputStream().read()).as("the server closed the slow connection").isEqualTo(-1);
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }
}
