package dev.kiln.window;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.CookieStore;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
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

    private record Registered(String secret, CookieManager cookies) {
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
        Registered r = new Registered(secret, new CookieManager(appCookies, CookiePolicy.ACCEPT_ORIGINAL_SERVER));
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
        Map<String, List<String>> result = new HashMap<>(r.cookies().get(uri, requestHeaders));
        if (isHttp(uri)) { // not for document.cookie, which asks with a javascript: URI
            List<String> cookies = new ArrayList<>(result.getOrDefault("Cookie", List.of()));
            cookies.add(NAME + "=" + r.secret());
            result.put("Cookie", cookies);
        }
        return result;
    }

    @Override
    public void put(URI uri, Map<String, List<String>> responseHeaders) throws IOException {
        Registered r = registered(uri);
        if (r == null) {
            fallback.put(uri, responseHeaders);
        } else {
            r.cookies().put(uri, responseHeaders);
        }
    }

    private static Registered registered(URI uri) {
        String host = uri.getHost();
        return host == null ? null : SERVERS.get(host.toLowerCase(java.util.Locale.ROOT) + ":" + uri.getPort());
    }

    private static boolean isHttp(URI uri) {
        return "http".equalsIgnoreCase(uri.getScheme());
    }
}
