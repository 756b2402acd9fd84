package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieHandler;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM-wide cookie handler as the WebView uses it: the secret on HTTP requests to a registered
 * server only, never for document.cookie; the app's cookies browser-style, persisted in a real
 * file when they have an expiry.
 */
class LaunchCookiesTest {
    private static final int PORT = 1; // a port no test server uses: only the registry matters here
    @TempDir
    Path dir;
    private CookieHandler handler;

    @BeforeEach
    void register() {
        LaunchCookies.install();
        handler = CookieHandler.getDefault();
        LaunchCookies.register(PORT, "s3cret", new CookieFile(dir.resolve("cookies.json")));
    }

    @AfterEach
    void unregister() {
        LaunchCookies.unregister(PORT, "s3cret");
    }

    private String cookieHeader(String uri) throws Exception {
        Map<String, List<String>> h = handler.get(URI.create(uri), Map.of());
        return h.isEmpty() ? "" : String.join("; ", h.get("Cookie"));
    }

    private void setCookie(String uri, String... values) throws Exception {
        handler.put(URI.create(uri), Map.of("Set-Cookie", List.of(values)));
    }

    @Test
    void theSecretGoesOnlyToTheRegisteredServerAndNeverToScripts() throws Exception {
        assertThat(LaunchCookies.installed()).isTrue();
        assertThat(cookieHeader("http://127.0.0.1:1/index.html")).isEqualTo("kiln-launch=s3cret");
        assertThat(cookieHeader("http://localhost:1/a/b.js")).isEqualTo("kiln-launch=s3cret");
        assertThat(cookieHeader("javascript://127.0.0.1:1/index.html")).as("document.cookie").isEmpty();
        assertThat(cookieHeader("http://127.0.0.1:2/index.html")).as("another port").doesNotContain("s3cret");
        assertThat(cookieHeader("http://example.com:1/")).doesNotContain("s3cret");
        LaunchCookies.unregister(PORT, "s3cret");
        assertThat(cookieHeader("http://127.0.0.1:1/index.html")).doesNotContain("s3cret");
    }

    @Test
    void keepsTheAppsCookiesLikeABrowserAndPersistsThoseWithAnExpiry() throws Exception {
        setCookie("http://127.0.0.1:1/index.html", "theme=dark; Max-Age=3600; Path=/", "token=t; HttpOnly; Path=/");
        setCookie("javascript://127.0.0.1:1/index.html", "session=1", "sneaky=1; HttpOnly", "other=1; Domain=example.com");
        setCookie("http://127.0.0.1:1/admin/page.html", "deep=1; Max-Age=60");
        assertThat(cookieHeader("http://127.0.0.1:1/index.html")).isEqualTo("theme=dark; token=t; session=1; kiln-launch=s3cret");
        assertThat(cookieHeader("javascript://127.0.0.1:1/index.html")).as("no HttpOnly cookie for scripts").isEqualTo("theme=dark; session=1");
        assertThat(cookieHeader("http://127.0.0.1:1/admin/x.html")).contains("deep=1");
        assertThat(cookieHeader("http://127.0.0.1:1/administrator")).doesNotContain("deep=1");

        // a new launch reads the file: cookies with an expiry are back, session cookies are not
        LaunchCookies.register(PORT, "next", new CookieFile(dir.resolve("cookies.json")));
        assertThat(cookieHeader("javascript://127.0.0.1:1/admin/x.html")).isEqualTo("theme=dark; deep=1");

        setCookie("javascript://127.0.0.1:1/index.html", "theme=gone; Max-Age=0; Path=/");
        assertThat(cookieHeader("javascript://127.0.0.1:1/index.html")).isEmpty();
        LaunchCookies.register(PORT, "third", new CookieFile(dir.resolve("cookies.json")));
        assertThat(cookieHeader("javascript://127.0.0.1:1/admin/x.html")).as("the deletion was saved").isEqualTo("deep=1");
        LaunchCookies.unregister(PORT, "third");
    }
}
