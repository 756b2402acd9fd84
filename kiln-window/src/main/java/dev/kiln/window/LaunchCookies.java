package dev.kiln.window;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.CookieStore;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JVM-wide {@link CookieHandler} that lets the WebView prove to Kiln's asset servers that a
 * request comes from it: every HTTP request to a registered server ({@code 127.0.0.1:<port>} or
 * {@code localhost:<port>}) carries the cookie {@value #NAME} with that server's per-launch secret.
 * Another local process does not know the secret and is refused.
 *
 * <p>Why this works: JavaFX 21's WebView loads every resource (documents, classic and module
 * scripts, dynamic {@code import()}, fetch, XHR, images, CSS, frames) through
 * {@code java.net.http.HttpClient} (or {@code HttpURLConnection} with
 * {@code -Dcom.sun.webkit.useHTTP2Loader=false}); both ask {@code CookieHandler.getDefault()} for
 * the request's cookies. The WebView's {@code HttpClient} takes the default handler once, when it
 * is first used, so {@link #install()} must run before the JVM's first WebView page load: Kiln
 * calls it when it creates a window, before loading the page. {@code document.cookie} asks the
 * handler with a {@code javascript:} URI: the secret is never added there, so page scripts cannot
 * read it.
 *
 * <p>Cookies the app's own pages set are kept per server in the store given at {@link #register}
 * (persisted in the app's data folder); every other URL goes to the handler that was the default
 * before (JavaFX's own cookie manager).
 *
 * <p>Threading: any thread; the registry is concurrent.
 */
final class LaunchCookies extends CookieHandler {
    /** The name of the secret cookie. */
    static final String NAME = "kiln-launch";
    private static final Map<String, Registered> SERVERS = new ConcurrentHashMap<>();

    private record Registered(String secret, CookieStore cookies) {
    }

    private final CookieHandler fallback;

    private LaunchCookies(CookieHandler fallback) {
        this.fallback = fallback;
    }

    /** Makes this the default handler (idempotent), wrapping the current default. */
    static synchronized void install() {
        CookieHandler current = CookieHandler.getDefault();
        if (!(current instanceof LaunchCookies)) {
            CookieHandler.setDefault(new LaunchCookies(current != null ? current : new CookieManager()));
        }
    }

    /** Whether the WebView's requests to Kiln's servers get their secret (false until {@link #install()}). */
    static boolean installed() {
        return CookieHandler.getDefault() instanceof LaunchCookies;
    }

    /** Requests to {@code 127.0.0.1:port} and {@code localhost:port} carry this secret from now on. */
    static void register(int port, String secret, CookieStore appCookies) {
        Registered r = new Registered(secret, appCookies);
        SERVERS.put("127.0.0.1:" + port, r);
        SERVERS.put("localhost:" + port, r);
    }

    static void unregister(int port, String secret) {
        SERVERS.computeIfPresent("127.0.0.1:" + port, (k, r) -> r.secret().equals(secret) ? null : r);
        SERVERS.computeIfPresent("localhost:" + port, (k, r) -> r.secret().equals(secret) ? null : r);
    }

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) throws IOException {
        Registered r = registered(uri);
        if (r == null) {
            return fallback.get(uri, requestHeaders);
        }
        boolean http = isHttp(uri); // document.cookie asks with a javascript: URI
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        List<String> cookies = new ArrayList<>();
        for (HttpCookie c : r.cookies().get(uri)) {
            if ((c.isHttpOnly() && !http) || c.getSecure() || !pathMatches(path, c.getPath() == null ? "/" : c.getPath())) {
                continue;
            }
            cookies.add(c.getName() + "=" + c.getValue());
        }
        if (http) {
            cookies.add(NAME + "=" + r.secret());
        }
        return cookies.isEmpty() ? Map.of() : Map.of("Cookie", List.of(String.join("; ", cookies)));
    }

    @Override
    public void put(URI uri, Map<String, List<String>> responseHeaders) throws IOException {
        Registered r = registered(uri);
        if (r == null) {
            fallback.put(uri, responseHeaders);
        } else {
            store(r.cookies(), uri, responseHeaders);
        }
    }

    /**
     * Keeps the cookies of a response (or of {@code document.cookie = ...}) the way browsers do
     * (RFC 6265): plain {@code name=value} cookies whatever attributes they carry (the JDK's
     * {@code CookieManager} would take a {@code Max-Age} cookie for an RFC 2965 one and send it
     * back as {@code $Version="1"; name="value"}), only for this host, and never an
     * {@code HttpOnly} one from a script.
     */
    private static void store(CookieStore store, URI uri, Map<String, List<String>> headers) {
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getKey() == null || !header.getKey().equalsIgnoreCase("Set-Cookie")) {
                continue;
            }
            for (String value : header.getValue()) {
                List<HttpCookie> parsed;
                try {
                    parsed = HttpCookie.parse(value);
                } catch (IllegalArgumentException e) {
                    continue; // as browsers do: a malformed cookie is ignored
                }
                for (HttpCookie c : parsed) {
                    if (c.isHttpOnly() && !isHttp(uri)) {
                        continue;
                    }
                    if (c.getDomain() != null && !c.getDomain().equalsIgnoreCase(uri.getHost())) {
                        continue; // the app's origin is an IP or localhost: no other domain applies
                    }
                    c.setVersion(0);
                    c.setDomain(uri.getHost());
                    if (c.getPath() == null || !c.getPath().startsWith("/")) {
                        c.setPath(defaultPath(uri));
                    }
                    store.add(uri, c);
                }
            }
        }
    }

    private static String defaultPath(URI uri) {
        String path = uri.getPath();
        int slash = path == null ? -1 : path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    private static boolean pathMatches(String requestPath, String cookiePath) {
        return requestPath.equals(cookiePath) || (requestPath.startsWith(cookiePath)
                && (cookiePath.endsWith("/") || requestPath.charAt(cookiePath.length()) == '/'));
    }

    private static Registered registered(URI uri) {
        String host = uri.getHost();
        return host == null ? null : SERVERS.get(host.toLowerCase(java.util.Locale.ROOT) + ":" + uri.getPort());
    }

    private static boolean isHttp(URI uri) {
        return "http".equalsIgnoreCase(uri.getScheme());
    }
}
