package dev.kiln.window;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Dev mode: the asset server forwards the app's requests to a front-end dev server (such as
 * {@code vite} on {@code http://localhost:5173}) and injects the bridge into its HTML.
 *
 * <p>Why forward instead of loading the dev server's URL in the window: the bridge reaches a
 * document only as the first script of its HTML, which Kiln must write; WebKit gives the host no
 * earlier hook. Forwarding keeps that, keeps the one app origin the bridge is granted to, and keeps
 * root-absolute URLs, the Host check and the launch secret as in a normal run. Hot module
 * replacement's WebSocket goes through {@link DevSockets}, since JavaFX 21's WebView cannot open one.
 *
 * <p>Only GET and HEAD are forwarded, with the request's {@code Accept} header and nothing else (the
 * launch secret stays here). Redirects are followed. Threading: any thread; one shared client.
 */
final class DevServerProxy {
    // HTTP/1.1 only: by default the JDK client asks a plain-http server to upgrade to HTTP/2
    // (Upgrade: h2c), and a Node dev server that listens for WebSocket upgrades, such as Vite's, never
    // answers such a request, so no page ever loaded from a real Vite dev server.
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private final String base;

    DevServerProxy(URI devUrl) {
        String s = DesktopConfig.checkDevUrl(devUrl).toString();
        this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** The dev server's URL, without a trailing slash. */
    String base() {
        return base;
    }

    void forward(HttpExchange exchange, AssetServer server) throws IOException {
        URI target = URI.create(base + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<byte[]> response;
        try {
            response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking the dev server " + base, e);
        } catch (IOException e) {
            throw new IOException("the dev server " + base + " did not answer " + target + ": " + e, e);
        }
        if (response.statusCode() == 404) {
            server.notFound(exchange);
            return;
        }
        String type = response.headers().firstValue("Content-Type").orElse("application/octet-stream");
        byte[] body = response.body();
        if (type.toLowerCase(java.util.Locale.ROOT).startsWith("text/html")) {
            body = server.withBridge(new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            type = "text/html; charset=utf-8";
        }
        for (String name : List.of("ETag", "Last-Modified")) {
            response.headers().firstValue(name).ifPresent(v -> exchange.getResponseHeaders().set(name, v));
        }
        AssetServer.respond(exchange, response.statusCode(), type, body);
    }
}
