package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.values.V8Value;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operations behind runtime:net's {@code ws} (Forge's WebSocket client): connections on the JDK's
 * {@code java.net.http.WebSocket}, known to the script by id. Hosts pass {@code [permissions.net]} as
 * fetch's do. Received messages wait in their {@link WebSocketConnection}; the app's end closes every
 * connection (status 1001).
 *
 * <p>Threading: the ops run on the loop thread; connections open and messages arrive on the HTTP
 * client's threads, and reach the script through {@link JavaPromises}.
 */
final class WebSocketOps implements AutoCloseable {
    static final String OP_WS_CONNECT = "wsConnect";
    static final String OP_WS_SEND = "wsSend";
    static final String OP_WS_RECV = "wsRecv";
    static final String OP_WS_CLOSE = "wsClose";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** How long {@code ws.close} waits for the server's close before cutting the connection. */
    static final long CLOSE_GRACE_MILLIS = 5_000;
    /** The same when the app ends. */
    static final long APP_END_GRACE_MILLIS = 1_000;
    private static final int MAX_CONTROL_PAYLOAD = 125; // RFC 6455: ping and pong data; a close reason is 2 less

    private final JavaPromises promises;
    private final Permissions permissions;
    private final BytesOps bytes;
    private HttpClient client; // made by the first connect (loop thread), so that apps without WebSockets have no client thread
    private final Map<Integer, WebSocketConnection> open = new ConcurrentHashMap<>();
    private final AtomicInteger lastId = new AtomicInteger(); // ids of connections that opened: 1, 2, ...
    private volatile boolean closed;

    WebSocketOps(Platform platform) {
        this.promises = platform.promises();
        this.permissions = platform.permissions();
        this.bytes = platform.bytes();
    }

    /**
     * Opens a connection to {@code url} (ws or wss; its host must pass {@code [permissions.net]}) with
     * {@code optionsJson} {@code {headers: [[name, value]...], protocols: [...]}}. Settles with
     * {@code {id, url, protocol}}, {@code protocol} being the subprotocol the server chose or null.
     */
    @V8Function(name = OP_WS_CONNECT)
    public void wsConnect(int promiseId, String url, String optionsJson) {
        URI uri = parse(url);
        NetOps.checkHost(permissions, uri);
        JsonNode options = Json.read(optionsJson);
        WebSocket.Builder builder = client().newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT);
        for (JsonNode h : options.path("headers")) {
            String name = h.path(0).asText();
            try {
                builder.header(name, h.path(1).asText());
            } catch (IllegalArgumentException e) {
                throw refused(uri, e);
            }
        }
        List<String> protocols = new ArrayList<>();
        options.path("protocols").forEach(p -> protocols.add(p.asText()));
        WebSocketConnection connection = new WebSocketConnection(uri);
        CompletableFuture<WebSocket> opening;
        try {
            if (!protocols.isEmpty()) {
                builder.subprotocols(protocols.get(0), protocols.subList(1, protocols.size()).toArray(String[]::new));
            }
            opening = builder.buildAsync(uri, connection);
        } catch (IllegalArgumentException e) {
            throw refused(uri, e);
        }
        promises.settleLater(promiseId, opening.handle((ws, error) -> {
            if (error != null) {
                throw new CompletionException(failure(error, uri));
            }
            if (closed) { // the app ended while the connection opened
                ws.abort();
                throw new CompletionException(new KilnException(ErrorCode.NETWORK_FAILED, "The app ended while " + uri + " connected"));
            }
            int id = lastId.incrementAndGet();
            connection.opened(ws, id);
            open.put(id, connection);
            return id;
        }), id -> {
            Map<String, Object> out = new HashMap<>();
            out.put("id", id);
            out.put("url", url);
            out.put("protocol", connection.subprotocol());
            return Json.write(out);
        }, false);
    }

    /**
     * Sends on connection {@code id}: {@code type} text (with {@code text}), binary (with
     * {@code data}, a Uint8Array), ping or pong (with {@code data}, else {@code text} as UTF-8), or
     * close (a close frame, status 1000 and {@code text} as its reason; the connection stays until
     * the server's close has been received). Settles once the message has been handed to the socket.
     */
    @V8Function(name = OP_WS_SEND)
    public void wsSend(int promiseId, String id, String type, String text, V8Value data) throws JavetException {
        WebSocketConnection c = connection(id);
        byte[] payload = data == null || data.isNullOrUndefined() ? null : BytesOps.bytes(data, "ws.send(): binary");
        CompletableFuture<Void> sent = switch (type) {
            case "text" -> c.send(ws -> ws.sendText(text, true));
            case "binary" -> {
                ByteBuffer b = ByteBuffer.wrap(payload == null ? new byte[0] : payload);
                yield c.send(ws -> ws.sendBinary(b, true));
            }
            case "ping", "pong" -> {
                ByteBuffer b = ByteBuffer.wrap(control(type, payload != null ? payload : text.getBytes(StandardCharsets.UTF_8), MAX_CONTROL_PAYLOAD));
                yield c.send(ws -> type.equals("ping") ? ws.sendPing(b) : ws.sendPong(b));
            }
            case "close" -> {
                control("close reason", text.getBytes(StandardCharsets.UTF_8), MAX_CONTROL_PAYLOAD - 2);
                yield c.send(ws -> ws.sendClose(WebSocketConnection.NORMAL_CLOSURE, text));
            }
            default -> throw new KilnException(ErrorCode.INVALID_ARGUMENT,
                    "ws.send(): type must be \"text\", \"binary\", \"ping\", \"pong\" or \"close\", got '" + type + "'");
        };
        promises.settleLater(promiseId, sent.exceptionally(error -> {
            Throwable e = NetOps.unwrap(error);
            throw new CompletionException(e instanceof KilnException ? e
                    : new KilnException(ErrorCode.NETWORK_FAILED, "Sending on " + c.name() + " failed: " + NetOps.message(e), e));
        }), v -> null, false);
    }

    /**
     * The next message of connection {@code id}: {@code {type, data?, ticket?, code?}} (text in
     * {@code data}; binary, ping and pong data parked under {@code ticket}; the server's close with
     * its status {@code code} and reason in {@code data}), or null once the connection has ended.
     * A failed connection rejects one read with 7030, then gives null.
     */
    @V8Function(name = OP_WS_RECV)
    public void wsRecv(int promiseId, String id) {
        promises.settleLater(promiseId, connection(id).next(), this::messageJson, false);
    }

    /** Closes connection {@code id} (status 1000); its id is no longer valid. Settles once the close frame is sent. */
    @V8Function(name = OP_WS_CLOSE)
    public void wsClose(int promiseId, String id) {
        WebSocketConnection c = connection(id);
        open.remove(c.id());
        promises.settleLater(promiseId, c.close(WebSocketConnection.NORMAL_CLOSURE, "", CLOSE_GRACE_MILLIS), v -> null, false);
    }

    /** The app is ending: every connection is closed with status 1001 (going away). */
    @Override
    public void close() {
        closed = true;
        for (WebSocketConnection c : open.values()) {
            c.close(WebSocketConnection.GOING_AWAY, "the app ended", APP_END_GRACE_MILLIS);
        }
        open.clear();
    }

    private HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        }
        return client;
    }

    private String messageJson(WebSocketConnection.Message m) {
        if (m == null) {
            return "null";
        }
        if (m.failure() != null) {
            throw m.failure();
        }
        Map<String, Object> out = new HashMap<>();
        out.put("type", m.type());
        if (m.text() != null) {
            out.put("data", m.text());
        }
        if (m.bytes() != null) {
            out.put("ticket", bytes.park(m.bytes()));
        }
        if (m.type().equals("close")) {
            out.put("code", m.closeCode());
        }
        return Json.write(out);
    }

    /** The open connection {@code id} (the script's text of a bigint or number), else 7030. */
    private WebSocketConnection connection(String id) {
        int n;
        try {
            n = Integer.parseInt(id);
        } catch (NumberFormatException e) {
            n = 0;
        }
        WebSocketConnection c = open.get(n);
        if (c != null) {
            return c;
        }
        if (n >= 1 && n <= lastId.get()) {
            throw new KilnException(ErrorCode.NETWORK_FAILED, "WebSocket " + id + " is closed: ws.close() closed it");
        }
        throw new KilnException(ErrorCode.NETWORK_FAILED, "No WebSocket has id " + id + " (ws.connect() gives the ids)");
    }

    private static byte[] control(String what, byte[] data, int max) {
        if (data.length > max) {
            throw new KilnException(ErrorCode.INVALID_ARGUMENT, "ws.send(): a " + what + " carries at most " + max
                    + " bytes, got " + data.length);
        }
        return data;
    }

    private static URI parse(String url) {
        URI uri = null;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            // reported below
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("ws") || scheme.equals("wss")) || uri.getHost() == null) {
            throw new KilnException(ErrorCode.INVALID_ARGUMENT, "ws.connect() needs an absolute ws:// or wss:// URL, got '" + url + "'");
        }
        return uri;
    }

    /** A header or subprotocol the JDK refuses. */
    private static KilnException refused(URI uri, IllegalArgumentException e) {
        return new KilnException(ErrorCode.INVALID_ARGUMENT, "ws.connect(" + uri + ") cannot send that: " + e.getMessage()
                + " (the handshake sets Host, Connection, Upgrade and Sec-WebSocket-* itself; subprotocols go in protocols)", e);
    }

    private static KilnException failure(Throwable error, URI uri) {
        Throwable e = NetOps.unwrap(error);
        if (e instanceof KilnException k) {
            return k;
        }
        if (e instanceof IllegalArgumentException a) { // the JDK checks some headers only as it connects
            return refused(uri, a);
        }
        if (e instanceof WebSocketHandshakeException h) {
            return new KilnException(ErrorCode.NETWORK_FAILED, "WebSocket " + uri + " failed: the server answered "
                    + h.getResponse().statusCode() + " instead of accepting the WebSocket", e);
        }
        return new KilnException(ErrorCode.NETWORK_FAILED, "WebSocket " + uri + " failed: " + NetOps.message(e), e);
    }
}
