package dev.kiln.window;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.CookieStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the app's {@code web/} folder to its windows at the root of a loopback origin
 * ({@code http://127.0.0.1:<port>/}), and injects the page bridge into its HTML.
 *
 * <p>Why a loopback HTTP server: WebKit refuses ES module scripts loaded over a custom
 * {@code java.net.URL} scheme (CORS), and {@code file://} would make every local file a
 * same-origin candidate. Pages are served at the origin's root, so root-absolute URLs
 * ({@code fetch("/data.json")}, a Vite build's default {@code base: "/"}) work. The app still asks
 * for {@code app://...} URLs; {@link #resolve(String)} maps them.
 *
 * <p>Who may ask: a request is refused with 403 unless its {@code Host} header is
 * {@code 127.0.0.1:<port>} or {@code localhost:<port>} (a DNS-rebinding page in some browser sends
 * its own host name) and it carries this launch's secret cookie, which only Kiln's WebViews send
 * (see {@link LaunchCookies}): another local process cannot read the app's assets. The bridge is
 * granted only to documents of {@link #origin()} (checked host-side by {@link #isAppDocument}).
 *
 * <p>What is served: GET and HEAD of files under {@code web/}; paths that escape it or name a
 * dotfile or dot-folder are 404 (see {@link WebFolder}), except Kiln's own one-time URLs for binaries
 * under {@value OneTimeBlobs#PREFIX} (see {@link OneTimeBlobs}), which no app file can take. A 404 for an app request is logged with
 * its URL, so that a blank window can be explained. Responses are never cached, so a reload shows
 * the current files. In dev mode ({@code devUrl}) requests are forwarded to the dev server instead
 * (see {@link DevServerProxy}); the origin, the checks and the bridge stay the same, and the page's
 * WebSockets to its own origin are carried to the dev server (see {@link DevSockets}).
 *
 * <p>Slow clients: the JDK server reads a request's headers on an executor thread. The pool here
 * has up to {@value #THREADS} threads, and a connection that has not sent its request within
 * {@value #MAX_REQUEST_SECONDS} s is closed by the JDK server ({@code sun.net.httpserver.maxReqTime},
 * see {@link #configureJdkServer()}), so a few local connections that
 * trickle their headers cannot stall the app's pages.
 *
 * <p>Threading: requests are served on daemon threads {@code kiln-assets-*}; every method may be
 * called from any thread.
 */
final class AssetServer {
    static final int THREADS = 32;
    static final int MAX_REQUEST_SECONDS = 10;
    /**
     * The most a response body is written at once: the JDK server copies each {@code write} into a
     * new buffer of its length, so one write of a whole 256 MiB binary needed 256 MiB more heap
     * (an OutOfMemoryError in the binary probe).
     */
    static final int WRITE_CHUNK = 1 << 20;
    private static final Pattern HEAD_TAG = Pattern.compile("<head(\\s[^>]*)?>", Pattern.CASE_INSENSITIVE);
    private static final Pattern HTML_TAG = Pattern.compile("<html(\\s[^>]*)?>", Pattern.CASE_INSENSITIVE);
    private static final Pattern DOCTYPE = Pattern.compile("^\\s*<!doctype[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final AtomicInteger SERVER_COUNT = new AtomicInteger();
    /** The page {@code app://} and {@code app://index.html} name, served at the folder's root. */
    private static final String INDEX_PAGE = "index.html";

    static {
        configureJdkServer();
    }

    /**
     * Sets the JDK server's request timeout and turns on {@code TCP_NODELAY}, unless the app set
     * them. The JDK reads both when the JVM's first {@code HttpServer} is created:
     * {@link Desktop#start} calls this first thing; an app that creates a JDK {@code HttpServer} of
     * its own before that should call it (or set {@code -Dsun.net.httpserver.maxReqTime} and
     * {@code -Dsun.net.httpserver.nodelay}) first.
     *
     * <p>Why no delay: the JDK server writes a response's headers and body in separate segments, so
     * with Nagle's algorithm the body waits for the client's delayed ACK of the headers (40 ms on
     * Linux). Measured through a WebView: a page's {@code fetch} of a 1 KiB file took 50 to 75 ms,
     * 12 to 30 ms without the delay (docs/bench/binary-transport.md).
     */
    static void configureJdkServer() {
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS));
        }
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final WebFolder folder;
    private final String bridgeTag;
    private final HttpServer server;
    private final ExecutorService threads;
    private final String secret;
    private final int port;
    private final String origin;
    private final DevServerProxy dev;
    private final DevSockets devSockets;
    private final RefusalLog refusals = new RefusalLog();
    private final RefusalLog missing = new RefusalLog();
    private final OneTimeBlobs blobs;

    /**
     * Starts serving.
     *
     * @param port       the port to listen on, 0 for any free one
     * @param appCookies where the cookies of the app's own pages are kept ({@code null}: in memory)
     * @param devUrl     the dev server to forward to, or {@code null} to serve {@code webRoot} (which must exist)
     * @throws java.net.BindException if the port is taken
     */
    AssetServer(Path webRoot, String bridgeScript, int port, CookieStore appCookies, URI devUrl) throws IOException {
        this.folder = devUrl == null ? new WebFolder(webRoot) : null;
        this.dev = devUrl == null ? null : new DevServerProxy(devUrl);
        this.devSockets = dev == null ? null : new DevSockets(dev.base());
        // In dev mode pages also get a WebSocket the dev server's hot module replacement can use (see DevSockets).
        this.bridgeTag = "<script>" + bridgeScript + "</script>"
                + (dev == null ? "" : "<script>" + BridgeProtocol.resource("dev-socket.js") + "</script>");
        this.secret = BridgeProtocol.randomToken(24);
        int n = SERVER_COUNT.incrementAndGet();
        AtomicInteger threadCount = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "kiln-assets-" + n + "-" + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.threads = pool;
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            pool.shutdownNow();
            throw e;
        }
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        this.port = server.getAddress().getPort();
        this.origin = "http://127.0.0.1:" + this.port;
        this.blobs = new OneTimeBlobs(origin);
        LaunchCookies.register(this.port, secret, appCookies != null ? appCookies : new CookieManager().getCookieStore());
        server.start();
    }

    /** The app's origin: {@code http://127.0.0.1:<port>}. */
    String origin() {
        return origin;
    }

    /** The URL of the web folder's root: {@code http://127.0.0.1:<port>/}. */
    String baseUrl() {
        return origin + "/";
    }

    int port() {
        return port;
    }

    /** The {@code Cookie} header value that Kiln's WebViews send to this server. */
    String secretCookie() {
        return LaunchCookies.NAME + "=" + secret;
    }

    /** Whether a document at this location belongs to the app (and may have the bridge). */
    boolean isAppDocument(String location) {
        return location != null && location.startsWith(baseUrl());
    }

    /**
     * The URL to load for what the app asked for: {@code app://path} maps to this server; other
     * URLs (http, https, file, data, about) load as they are, without the bridge.
     *
     * <p>{@code app://index.html} (and {@code app://}) is the folder's root, {@code /}, not
     * {@code /index.html}: routers of single-page apps (SvelteKit, React Router, Vue Router) match
     * {@code location.pathname} against {@code /}, and Forge's pages see {@code /} there too.
     * {@code app://page.html/a/b} loads {@code /a/b}, Forge's way of reaching a route below a page.
     */
    String resolve(String url) {
        if (!url.regionMatches(true, 0, "app:", 0, 4)) {
            return url;
        }
        String rest = url.substring(4);
        int i = 0;
        while (i < rest.length() && rest.charAt(i) == '/') {
            i++;
        }
        rest = rest.substring(i);
        int slash = rest.indexOf('/');
        if (slash > 0 && isHtmlName(rest.substring(0, slash))) {
            return baseUrl() + rest.substring(slash + 1);
        }
        return baseUrl() + (startsWithIndexPage(rest) ? rest.substring(INDEX_PAGE.length()) : rest);
    }

    /** The inverse of {@link #resolve}: the {@code app://} form of one of the app's own URLs; any other URL as it is. */
    String appForm(String url) {
        if (!isAppDocument(url)) {
            return url;
        }
        String rest = url.substring(baseUrl().length());
        return "app://" + (rest.isEmpty() || rest.startsWith("?") || rest.startsWith("#") ? INDEX_PAGE + rest : rest);
    }

    /** {@code index.html}, alone or followed by a query or fragment. */
    private static boolean startsWithIndexPage(String rest) {
        return rest.startsWith(INDEX_PAGE)
                && (rest.length() == INDEX_PAGE.length() || "?#".indexOf(rest.charAt(INDEX_PAGE.length())) >= 0);
    }

    private static boolean isHtmlName(String segment) {
        String lower = segment.toLowerCase(Locale.ROOT);
        return lower.endsWith(".html") || lower.endsWith(".htm");
    }

    /** The one-time URLs for binaries between the host and its windows' pages, under {@value OneTimeBlobs#PREFIX}. */
    OneTimeBlobs blobs() {
        return blobs;
    }

    void stop() {
        blobs.close();
        if (devSockets != null) {
            devSockets.close();
        }
        LaunchCookies.unregister(port, secret);
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String refusal = refusal(exchange);
            if (refusal != null) {
                refusals.warn("Refused " + exchange.getRequestURI() + " on the app's asset server (" + origin + "): " + refusal);
                respond(exchange, 403, "text/plain; charset=utf-8", "Forbidden".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (OneTimeBlobs.claims(exchange)) {
                blobs.handle(exchange); // before the dev server: its paths are Kiln's own
                return;
            }
            if (devSockets != null && DevSockets.claims(exchange)) {
                devSockets.handle(exchange);
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                respond(exchange, 405, "text/plain; charset=utf-8", "Method not allowed".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (dev != null) {
                dev.forward(exchange, this);
                return;
            }
            Path file = folder.fileFor(exchange.getRequestURI());
            String type = file == null ? null : WebFolder.mimeType(file);
            try {
                if (file != null && type.startsWith("text/html")) {
                    String html = new String(Files.readAllBytes(file), StandardCharsets.UTF_8); // malformed bytes become U+FFFD
                    respond(exchange, 200, type, withBridge(html).getBytes(StandardCharsets.UTF_8));
                } else if (file != null) {
                    respondFile(exchange, type, file);
                }
            } catch (NoSuchFileException e) {
                file = null;
            }
            if (file == null) {
                notFound(exchange);
            }
        } catch (IOException | RuntimeException e) {
            refusals.warn("Could not serve " + exchange.getRequestURI() + ": " + e);
        }
    }

    /** Why this request may not be served, or {@code null} if it may. */
    private String refusal(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        if (!h.equals("127.0.0.1:" + port) && !h.equals("localhost:" + port)) {
            return "the Host header is '" + host + "', not 127.0.0.1:" + port + " or localhost:" + port;
        }
        List<String> cookies = exchange.getRequestHeaders().get("Cookie");
        if (cookies != null) {
            String expected = secretCookie();
            for (String header : cookies) {
                for (String cookie : header.split(";")) {
                    if (cookie.strip().equals(expected)) {
                        return null;
                    }
                }
            }
        }
        return "no launch secret (only this app's windows may load its assets; another local process,"
                + " or a WebView that loaded pages before Kiln installed its cookie handler)";
    }

    void notFound(HttpExchange exchange) throws IOException {
        missing.warn("Not found: " + origin + exchange.getRequestURI()
                + (dev != null ? " (dev server " + dev.base() + ")" : " (no such file in " + folder.root() + ")"));
        respond(exchange, 404, "text/plain; charset=utf-8", "Not found".getBytes(StandardCharsets.UTF_8));
    }

    /** The HTML with the bridge script as the document's very first script. */
    String withBridge(String html) {
        Matcher head = HEAD_TAG.matcher(html);
        if (head.find()) {
            return html.substring(0, head.end()) + bridgeTag + html.substring(head.end());
        }
        Matcher htmlTag = HTML_TAG.matcher(html);
        if (htmlTag.find()) {
            return html.substring(0, htmlTag.end()) + bridgeTag + html.substring(htmlTag.end());
        }
        Matcher doctype = DOCTYPE.matcher(html);
        if (doctype.find()) {
            return html.substring(0, doctype.end()) + bridgeTag + html.substring(doctype.end());
        }
        return bridgeTag + html;
    }

    static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                writeBody(out, body, 0, body.length);
            }
        }
    }

    /**
     * A file as it is, streamed in pieces: a large asset (a video, a data file) is never held in
     * memory whole.
     *
     * @throws NoSuchFileException if it is gone (nothing was sent yet)
     */
    private static void respondFile(HttpExchange exchange, String type, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(200, head || size == 0 ? -1 : size);
            if (head || size == 0) {
                return;
            }
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] chunk = new byte[(int) Math.min(size, WRITE_CHUNK)];
                long left = size;
                while (left > 0) {
                    int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
                    if (n < 0) {
                        throw new IOException(file + " became shorter while it was sent");
                    }
                    out.write(chunk, 0, n);
                    left -= n;
                }
            }
        }
    }

    /** Writes a response body in pieces of at most {@link #WRITE_CHUNK} bytes. */
    static void writeBody(OutputStream out, byte[] body, int offset, int length) throws IOException {
        for (int at = 0; at < length; at += WRITE_CHUNK) {
            out.write(body, offset + at, Math.min(WRITE_CHUNK, length - at));
        }
    }
}
