package dev.kiln.script;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The Chrome DevTools Protocol endpoint of {@code kiln run --inspect}: the HTTP discovery endpoints
 * Chrome and VS Code ask first ({@code /json/version}, {@code /json/list}) and one WebSocket, at a
 * random path, that carries the protocol's JSON messages to and from V8's inspector.
 *
 * <p>Why its own WebSocket: the JDK has a WebSocket client but no server, and the discovery endpoints
 * must answer plain HTTP on the same port, which WebSocket-only libraries do not serve. The server
 * side of RFC 6455 needed here (text frames, fragments, ping, close; no extensions) is short.
 *
 * <p>Safety: bound to the loopback address unless told otherwise; a request whose Host header is
 * not an IP address or {@code localhost} is refused (DNS rebinding), and the WebSocket path is a
 * fresh UUID, as Node does.
 *
 * <p>Threading: one acceptor thread ({@code kiln-devtools}) that serves one connection at a time (a
 * new debugger connection replaces the previous one); messages from the debugger are handed to
 * {@code onMessage} on that thread; {@link #send} may be called from any thread and never blocks
 * on the network (a writer thread sends).
 */
final class DevToolsServer implements AutoCloseable {
    private final ServerSocket server;
    private final String id = UUID.randomUUID().toString();
    private final String title;
    private final String fileUrl;
    private final Consumer<String> onMessage;
    private final Runnable onConnect;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kiln-devtools-writer");
        t.setDaemon(true);
        return t;
    });
    private final Thread acceptor;
    private volatile Socket client;

    DevToolsServer(InetSocketAddress address, String title, String fileUrl, Runnable onConnect,
                   Consumer<String> onMessage) throws IOException {
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(address);
        this.title = title;
        this.fileUrl = fileUrl;
        this.onConnect = onConnect;
        this.onMessage = onMessage;
        this.acceptor = new Thread(this::acceptLoop, "kiln-devtools");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** host:port as bound (the port is the real one when 0 was asked for). */
    String hostPort() {
        return hostOf(server.getInetAddress()) + ":" + server.getLocalPort();
    }

    String webSocketUrl() {
        return "ws://" + hostPort() + "/" + id;
    }

    String devtoolsUrl() {
        return "devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws=" + hostPort() + "/" + id;
    }

    /** Sends a protocol message to the attached debugger, if any; any thread. */
    void send(String message) {
        Socket c = client;
        if (c == null) {
            return;
        }
        try {
            writer.execute(() -> {
                try {
                    writeFrame(c.getOutputStream(), 0x1, message.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    closeQuietly(c); // the debugger went away; its reader ends the session
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: nobody to tell
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
        Socket c = client;
        if (c != null) {
            closeQuietly(c);
        }
        writer.shutdown();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                serve(socket);
            } catch (IOException e) {
                // a broken connection ends it; the next one is served
            }
        }
    }

    private void serve(Socket socket) throws IOException {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        String requestLine = readLine(in);
        Map<String, String> headers = new HashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        String[] parts = requestLine.split(" ");
        String path = parts.length > 1 ? parts[1] : "/";
        if (!trustedHost(headers.get("host"))) {
            respond(out, 403, "text/plain", "Host header must be an IP address or localhost");
            return;
        }
        if ("websocket".equalsIgnoreCase(headers.get("upgrade"))) {
            if (!path.equals("/" + id) || headers.get("sec-websocket-key") == null) {
                respond(out, 404, "text/plain", "No such debugging target");
                return;
            }
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + WebSocketWire.acceptKey(headers.get("sec-websocket-key")) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Socket previous = client;
            if (previous != null) {
                closeQuietly(previous);
            }
            client = socket;
            onConnect.run();
            try {
                readMessages(in, out);
            } finally {
                client = null;
            }
            return;
        }
        String host = headers.getOrDefault("host", hostPort());
        switch (path.replaceAll("/$", "")) {
            case "/json/version" -> respond(out, 200, "application/json", "{\"Browser\":\"Kiln\","
                    + "\"Protocol-Version\":\"1.3\"}");
            case "/json", "/json/list" -> respond(out, 200, "application/json", "[{\"description\":\"Kiln app\","
                    + "\"devtoolsFrontendUrl\":" + quote(devtoolsUrl().replace(hostPort(), host)) + ","
                    + "\"devtoolsFrontendUrlCompat\":" + quote(devtoolsUrl().replace(hostPort(), host)) + ","
                    + "\"id\":\"" + id + "\",\"title\":" + quote(title) + ",\"type\":\"node\","
                    + "\"url\":" + quote(fileUrl) + ",\"webSocketDebuggerUrl\":\"ws://" + host + "/" + id + "\"}]");
            default -> respond(out, 404, "text/plain", "Not found: try /json/list");
        }
    }

    /** Reads frames until close; text messages (possibly fragmented) go to onMessage. */
    private void readMessages(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            int b0 = read(in);
            int b1 = read(in);
            int opcode = b0 & 0x0f;
            boolean fin = (b0 & 0x80) != 0;
            long length = b1 & 0x7f;
            if (length == 126) {
                length = (read(in) << 8) | read(in);
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | read(in);
                }
            }
            if (length > 256L * 1024 * 1024) {
                throw new IOException("frame too large");
            }
            byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
            byte[] payload = in.readNBytes((int) length);
            if (payload.length < length) {
                throw new EOFException();
            }
            if (mask != null) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
            }
            switch (opcode) {
                case 0x0, 0x1, 0x2 -> {
                    message.write(payload);
                    if (fin) {
                        onMessage.accept(message.toString(StandardCharsets.UTF_8));
                        message.reset();
                    }
                }
                case 0x8 -> {
                    synchronized (this) {
                        writeFrame(out, 0x8, new byte[0]);
                    }
                    return;
                }
                case 0x9 -> writer.execute(() -> {
                    try {
                        writeFrame(out, 0xA, payload);
                    } catch (IOException e) {
                        // the reader sees the broken connection
                    }
                });
                default -> {
                    // pong or an unknown control frame: nothing to do
                }
            }
        }
    }

    private static synchronized void writeFrame(OutputStream out, int opcode, byte[] payload) throws IOException {
        out.write(WebSocketWire.frame(true, opcode, payload));
        out.flush();
    }

    private static int read(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b = read(in); b != '\n'; b = read(in)) {
            if (b != '\r') {
                sb.append((char) b);
            }
            if (sb.length() > 8192) {
                throw new IOException("header line too long");
            }
        }
        return sb.toString();
    }

    private static void respond(OutputStream out, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String reason = status == 200 ? "OK" : status == 403 ? "Forbidden" : "Not Found";
        out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + type + "; charset=UTF-8\r\n"
                + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    /** A Host header naming an IP address or localhost, with or without a port; no header is refused. */
    static boolean trustedHost(String host) {
        if (host == null) {
            return false;
        }
        String name = host.startsWith("[") ? host.substring(1, Math.max(1, host.indexOf(']')))
                : host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        return name.equalsIgnoreCase("localhost") || name.matches("[0-9.]+") || name.contains(":");
    }


    private static String hostOf(InetAddress address) {
        String h = address.getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    private static String quote(String s) {
        return Json.write(s);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
