package dev.kiln.window;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the app's {@code web/} folder to its windows, and injects the page bridge into its HTML.
 *
 * <p>Why a loopback HTTP server: WebKit refuses ES module scripts loaded over a custom
 * {@code java.net.URL} scheme (CORS), and {@code file://} would make every local file a
 * same-origin candidate. So the JDK's built-in server listens on {@code 127.0.0.1} on a random
 * port, and every path carries a per-launch secret prefix ({@code /<secret>/}): other local
 * processes and pages cannot address the app's documents, and the bridge is granted only to
 * documents whose location starts with {@link #baseUrl()} (checked host-side). The app still asks
 * for {@code app://...} URLs; {@link #resolve(String)} maps them.
 *
 * <p>Paths that escape {@code web/} ({@code ..}, its percent-encoded forms, symbolic links that
 * point outside) are refused with 404. Only GET and HEAD are served; responses are never cached,
 * so a reload shows the current files.
 *
 * <p>Threading: requests are served on up to two daemon threads {@code kiln-assets-*};
 * {@link #stop()} may be called from any thread.
 */
final class AssetServer {
    private static final System.Logger LOG = System.getLogger("dev.kiln.window");
    private static final AtomicInteger SERVER_COUNT = new AtomicInteger();
    private static final Pattern HEAD_TAG = Pattern.compile("<head(\\s[^>]*)?>", Pattern.CASE_INSENSITIVE);
    private static final Pattern HTML_TAG = Pattern.compile("<html(\\s[^>]*)?>", Pattern.CASE_INSENSITIVE);
    private static final Pattern DOCTYPE = Pattern.compile("^\\s*<!doctype[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Map<String, String> MIME_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"),
            Map.entry("xml", "application/xml"));

    private final Path root;
    private final Path realRoot;
    private final String bridgeTag;
    private final HttpServer server;
    private final ExecutorService threads;
    private final String prefix;
    private final String baseUrl;

    AssetServer(Path webRoot, String bridgeScript) throws IOException {
        this.root = webRoot.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("The app's web folder does not exist: " + root);
        }
        this.realRoot = root.toRealPath();
        this.bridgeTag = "<script>" + bridgeScript + "</script>";
        this.prefix = "/" + BridgeProtocol.randomToken(16) + "/";
        int n = SERVER_COUNT.incrementAndGet();
        AtomicInteger threadCount = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "kiln-assets-" + n + "-" + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.threads = pool;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(prefix, this::handle);
        server.setExecutor(threads);
        server.start();
        this.baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
    }

    /** The URL prefix of every app document: {@code http://127.0.0.1:<port>/<secret>/}. */
    String baseUrl() {
        return baseUrl;
    }

    /** Whether a document at this location belongs to the app (and may have the bridge). */
    boolean isAppDocument(String location) {
        return location != null && location.startsWith(baseUrl);
    }

    /**
     * The URL to load for what the app asked for: {@code app://path} maps to this server; other
     * URLs (http, https, file, data, about) load as they are, without the bridge.
     */
    String resolve(String url) {
        if (url.regionMatches(true, 0, "app:", 0, 4)) {
            String rest = url.substring(4);
            int i = 0;
            while (i < rest.length() && rest.charAt(i) == '/') {
                i++;
            }
            rest = rest.substring(i);
            return baseUrl + (rest.isEmpty() ? "index.html" : rest);
        }
        return url;
    }

    /** The inverse of {@link #resolve}: the {@code app://} form of one of the app's own URLs; any other URL as it is. */
    String appForm(String url) {
        return isAppDocument(url) && url.startsWith(baseUrl) ? "app://" + url.substring(baseUrl.length()) : url;
    }

    void stop() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                respond(exchange, 405, "text/plain; charset=utf-8", "Method not allowed".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Path file = fileFor(exchange.getRequestURI());
            if (file == null) {
                respond(exchange, 404, "text/plain; charset=utf-8", "Not found".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String type = mimeType(file);
            byte[] body;
            try {
                body = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                respond(exchange, 404, "text/plain; charset=utf-8", "Not found".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (type.startsWith("text/html")) {
                body = withBridge(new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            }
            respond(exchange, 200, type, body);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not serve " + exchange.getRequestURI() + ": " + e);
        }
    }

    /** The file under web/ for the request, or {@code null} if there is none or it would escape web/. */
    Path fileFor(URI uri) throws IOException {
        String raw = uri.getRawPath();
        if (raw == null || !raw.startsWith(prefix)) {
            return null;
        }
        String path;
        try {
            path = URI.create("x:/" + raw.substring(prefix.length())).getPath(); // percent-decoded
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (path == null || path.indexOf('\0') >= 0 || path.contains("\\")) {
            return null;
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                return null;
            }
        }
        String relative = path.startsWith("/") ? path.substring(1) : path;
        if (relative.isEmpty()) {
            relative = "index.html";
        }
        Path candidate = root.resolve(relative).normalize();
        if (!candidate.startsWith(root)) {
            return null;
        }
        if (Files.isDirectory(candidate)) {
            candidate = candidate.resolve("index.html");
        }
        if (!Files.isRegularFile(candidate)) {
            return null;
        }
        // A symbolic link inside web/ must not lead outside it.
        if (!candidate.toRealPath().startsWith(realRoot)) {
            LOG.log(System.Logger.Level.WARNING, "Refused " + uri.getRawPath() + ": it leads outside the app's web folder");
            return null;
        }
        return candidate;
    }

    static String mimeType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return MIME_TYPES.getOrDefault(ext, "application/octet-stream");
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

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
