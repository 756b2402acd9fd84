package dev.kiln.window;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Dev mode: carries a page's WebSockets to the dev server, so hot module replacement works.
 *
 * <p>Why: JavaFX 21's WebView cannot open a WebSocket (an {@code UnsatisfiedLinkError} in
 * {@code com.sun.webkit.network.SocketStreamHandle} on the FX thread), and the JDK's HTTP server
 * behind the app's origin cannot accept one either. In dev mode the page gets a small
 * {@code WebSocket} replacement ({@code dev-socket.js}) for sockets to its own origin, such as
 * Vite's HMR client's; it speaks plain HTTP to this class, which holds the real socket to the dev
 * server ({@code java.net.http.WebSocket}, same path, query and subprotocols):
 * <ul>
 *   <li>{@code POST /.kiln/dev-socket/open} with {@code {"path","protocols"}}: connects, answers
 *       {@code {"id","protocol"}}, or 502 with the reason;</li>
 *   <li>{@code GET /.kiln/dev-socket/<id>/poll}: the frames received since the last poll, as a JSON
 *       array of {@code {"t":"text","d"}}, {@code {"t":"binary","d":base64}} and
 *       {@code {"t":"close","code","reason"}}; waits up to {@value #POLL_SECONDS} s for the first;</li>
 *   <li>{@code POST /.kiln/dev-socket/<id>/send} with one such frame, and {@code .../close}.</li>
 * </ul>
 * These paths pass the asset server's checks first (Host header, launch secret), exist only in dev
 * mode, and socket ids are unguessable. A socket whose page stopped polling for
 * {@value #IDLE_SECONDS} s is closed.
 *
 * <p>Threading: requests are served on the asset server's threads (a poll holds one while it
 * waits); the socket's listener runs on the HTTP client's threads; all state is thread-safe.
 */
final class DevSockets implements AutoCloseable {
    static final String PREFIX = "/.kiln/dev-socket/";
    static final int POLL_SECONDS = 20;
    static final int IDLE_SECONDS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String wsBase;
    private final Map<String, Tunnel> tunnels = new ConcurrentHashMap<>();

    /** @param devBase the dev server's URL without a trailing slash, such as {@code http://localhost:5173} */
    DevSockets(String devBase) {
        this.wsBase = devBase.replaceFirst("^http", "ws");
    }

    static boolean claims(HttpExchange exchange) {
        String path = exchange.getRequestURI().getRawPath();
        return path != null && path.startsWith(PREFIX);
    }

    /** Serves a request under {@link #PREFIX} that passed the asset server's checks. Asset server thread. */
    void handle(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getRawPath().substring(PREFIX.length()).split("/");
        String method = exchange.getRequestMethod();
        if (parts.length == 1 && parts[0].equals("open") && method.equals("POST")) {
            open(exchange);
            return;
        }
        Tunnel tunnel = parts.length == 2 ? tunnels.get(parts[0]) : null;
        if (tunnel == null) {
            json(exchange, 404, JSON.createObjectNode().put("error", "no such dev socket"));
            return;
        }
        switch (parts[1] + " " + method) {
            case "poll GET" -> json(exchange, 200, tunnel.poll());
            case "send POST" -> {
                tunnel.send(JSON.readTree(body(exchange)));
                json(exchange, 200, JSON.createObjectNode());
            }
            case "close POST" -> {
                JsonNode frame = JSON.readTree(body(exchange));
                tunnel.close(frame.path("code").asInt(1000), frame.path("reason").asText(""));
                tunnels.remove(parts[0]);
                json(exchange, 200, JSON.createObjectNode());
            }
            default -> json(exchange, 405, JSON.createObjectNode().put("error", "method not allowed"));
        }
    }

    private void open(HttpExchange exchange) throws IOException {
        closeIdle();
        JsonNode request = JSON.readTree(body(exchange));
        String path = request.path("path").asText("/");
        if (!path.startsWith("/")) {
            json(exchange, 400, JSON.createObjectNode().put("error", "the path must start with /"));
            return;
        }
        List<String> protocols = new ArrayList<>();
        request.path("protocols").forEach(p -> protocols.add(p.asText()));
        Tunnel tunnel = new Tunnel();
        WebSocket.Builder builder = CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (!protocols.isEmpty()) {
            builder.subprotocols(protocols.get(0), protocols.subList(1, protocols.size()).toArray(String[]::new));
        }
        URI target = URI.create(wsBase + path);
        WebSocket socket;
        try {
            socket = builder.buildAsync(target, tunnel).get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + target, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            json(exchange, 502, JSON.createObjectNode().put("error", "the dev server refused the WebSocket " + target + ": " + cause));
            return;
        }
        tunnel.socket = socket;
        String id = BridgeProtocol.randomToken(18);
        tunnels.put(id, tunnel);
        json(exchange, 200, JSON.createObjectNode().put("id", id).put("protocol", socket.getSubprotocol()));
    }

    private void closeIdle() {
        long now = System.nanoTime();
        tunnels.entrySet().removeIf(e -> {
            boolean idle = now - e.getValue().lastPoll > TimeUnit.SECONDS.toNanos(IDLE_SECONDS);
            if (idle) {
                e.getValue().close(1001, "the page stopped polling");
            }
            return idle;
        });
    }

    @Override
    public void close() {
        tunnels.values().forEach(t -> t.close(1001, "the app is closing"));
        tunnels.clear();
    }

    private static byte[] body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readNBytes(64 << 20);
        }
    }

    private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        AssetServer.respond(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    /** One page socket's real socket to the dev server and the frames it received. */
    private static final class Tunnel implements WebSocket.Listener {
        private final LinkedBlockingQueue<ObjectNode> frames = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        private volatile WebSocket socket;
        private volatile long lastPoll = System.nanoTime();

        ArrayNode poll() {
            lastPoll = System.nanoTime();
            ArrayNode out = JSON.createArrayNode();
            try {
                ObjectNode first = frames.poll(POLL_SECONDS, TimeUnit.SECONDS);
                if (first != null) {
                    out.add(first);
                    List<ObjectNode> rest = new ArrayList<>();
                    frames.drainTo(rest);
                    rest.forEach(out::add);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lastPoll = System.nanoTime();
            return out;
        }

        void send(JsonNode frame) {
            CompletableFuture<WebSocket> sent = frame.path("t").asText().equals("binary")
                    ? socket.sendBinary(ByteBuffer.wrap(Base64.getDecoder().decode(frame.path("d").asText())), true)
                    : socket.sendText(frame.path("d").asText(), true);
            sent.join(); // one send at a time: the JDK socket refuses a send while one is pending
        }

        void close(int code, String reason) {
            WebSocket s = socket;
            if (s != null && !s.isOutputClosed()) {
                s.sendClose(code, reason).exceptionally(e -> null);
            }
            frames.add(JSON.createObjectNode().put("t", "close").put("code", code).put("reason", reason));
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            synchronized (text) {
                text.append(data);
                if (last) {
                    frames.add(JSON.createObjectNode().put("t", "text").put("d", text.toString()));
                    text.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            synchronized (binary) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                binary.write(bytes, 0, bytes.length);
                if (last) {
                    frames.add(JSON.createObjectNode().put("t", "binary").put("d", Base64.getEncoder().encodeToString(binary.toByteArray())));
                    binary.reset();
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            frames.add(JSON.createObjectNode().put("t", "close").put("code", statusCode).put("reason", reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            frames.add(JSON.createObjectNode().put("t", "close").put("code", 1006).put("reason", String.valueOf(error)));
        }
    }
}
