package dev.kiln.script;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real WebSocket server on 127.0.0.1 for the runtime:net tests: the server side of RFC 6455 written
 * out (handshake, framing, fragments, ping, close), since the JDK has none, with a route per
 * behaviour. One thread per connection.
 */
final class WebSocketServer implements AutoCloseable {
    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CLOSE = 8;
    static final int PING = 9;
    static final int PONG = 10;

    private final ServerSocket socket;
    /** Messages the /flood route has written so far. */
    final AtomicInteger floodSent = new AtomicInteger();
    /** The status code of the close frame the /hold route received (-1: the connection ended without one). */
    final CompletableFuture<Integer> holdClosed = new CompletableFuture<>();

    /** A message as read: its opcode and data (fragments joined). */
    record Frame(int opcode, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** One accepted connection: its request and its frames. */
    static final class Conn {
        final String path;
        final Map<String, String> query;
        final Map<String, String> headers; // lower-case names
        private final DataInputStream in;
        private final OutputStream out;

        Conn(String target, Map<String, String> headers, InputStream in, OutputStream out) {
            URI u = URI.create(target);
            this.path = u.getPath();
            this.query = new HashMap<>();
            if (u.getQuery() != null) {
                for (String kv : u.getQuery().split("&")) {
                    String[] p = kv.split("=", 2);
                    query.put(p[0], p.length > 1 ? p[1] : "");
                }
            }
            this.headers = headers;
            this.in = new DataInputStream(in);
            this.out = out;
        }

        /** The next message, fragments joined; control frames are returned as they come. */
        Frame read() throws IOException {
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            int first = -1;
            for (;;) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                boolean fin = (b0 & 0x80) != 0;
                int opcode = b0 & 0x0f;
                long len = b1 & 0x7f;
                if (len == 126) {
                    len = in.readUnsignedShort();
                } else if (len == 127) {
                    len = in.readLong();
                }
                byte[] mask = new byte[4];
                if ((b1 & 0x80) != 0) {
                    in.readFully(mask);
                }
                byte[] data = new byte[(int) len];
                in.readFully(data);
                for (int i = 0; i < data.length; i++) {
                    data[i] ^= mask[i % 4];
                }
                if (opcode >= CLOSE) {
                    return new Frame(opcode, data);
                }
                if (opcode != 0) {
                    first = opcode;
                }
                whole.write(data);
                if (fin) {
                    return new Frame(first, whole.toByteArray());
                }
            }
        }

        void send(int opcode, byte[] data) throws IOException {
            frame(true, opcode, data);
        }

        void sendText(String text) throws IOException {
            send(TEXT, text.getBytes(StandardCharsets.UTF_8));
        }

        void close(int code, String reason) throws IOException {
            byte[] r = reason.getBytes(StandardCharsets.UTF_8);
            byte[] data = new byte[2 + r.length];
            data[0] = (byte) (code >> 8);
            data[1] = (byte) code;
            System.arraycopy(r, 0, data, 2, r.length);
            send(CLOSE, data);
        }

        /** One frame, unmasked as a server's are; {@code fin} false for all but the last fragment. */
        synchronized void frame(boolean fin, int opcode, byte[] data) throws IOException {
            out.write(WebSocketWire.frame(fin, opcode, data));
            out.flush();
        }
    }

    WebSocketServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "loopback-ws-accept");
        t.setDaemon(true);
        t.start();
    }

    String url(String path) {
        return "ws://127.0.0.1:" + socket.getLocalPort() + path;
    }

    int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread t = new Thread(() -> serve(s), "loopback-ws");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String[] request = line(in).split(" ");
            Map<String, String> headers = new HashMap<>();
            for (String l = line(in); !l.isEmpty(); l = line(in)) {
                int colon = l.indexOf(':');
                headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
            Conn c = new Conn(request[1], headers, in, out);
            if (c.path.equals("/refuse")) {
                out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return;
            }
            StringBuilder head = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
                    .append("Sec-WebSocket-Accept: ").append(WebSocketWire.acceptKey(headers.get("sec-websocket-key"))).append("\r\n");
            String offered = headers.getOrDefault("sec-websocket-protocol", "");
            for (String p : offered.split(",")) {
                if (p.trim().equals("superchat")) {
                    head.append("Sec-WebSocket-Protocol: superchat\r\n");
                    break;
                }
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            route(c);
        } catch (IOException e) {
            // the client went away
        }
    }

    private void route(Conn c) throws IOException {
        switch (c.path) {
            case "/echo" -> echo(c);
            case "/count" -> {
                int n = Integer.parseInt(c.query.get("n"));
                for (int i = 0; i < n; i++) {
                    c.sendText("m" + i);
                }
                c.close(1000, "done");
                awaitClose(c);
            }
            case "/flood" -> {
                int n = Integer.parseInt(c.query.get("n"));
                String pad = "x".repeat(Integer.parseInt(c.query.get("size")));
                for (int i = 0; i < n; i++) {
                    c.sendText("m" + i + ":" + pad);
                    floodSent.incrementAndGet();
                }
                c.close(1000, "done");
                awaitClose(c);
            }
            case "/huge" -> { // "before", then a binary message of ?bytes in 1 MiB fragments
                c.sendText("before");
                long left = Long.parseLong(c.query.get("bytes"));
                byte[] piece = new byte[1 << 20];
                for (boolean first = true; left > 0; first = false) {
                    int n = (int) Math.min(piece.length, left);
                    left -= n;
                    c.frame(left == 0, first ? BINARY : 0, n == piece.length ? piece : java.util.Arrays.copyOf(piece, n));
                }
                awaitClose(c);
            }
            case "/probe" -> {
                c.sendText(Integer.toString(floodSent.get()));
                c.close(1000, "");
                awaitClose(c);
            }
            case "/hold" -> {
                try {
                    for (;;) {
                        Frame f = c.read();
                        if (f.opcode() == CLOSE) {
                            holdClosed.complete(f.data().length >= 2 ? ((f.data()[0] & 0xff) << 8) | (f.data()[1] & 0xff) : 1005);
                            c.close(1000, "");
                            return;
                        }
                    }
                } catch (IOException e) {
                    holdClosed.complete(-1);
                }
            }
            default -> c.close(1008, "no route " + c.path);
        }
    }

    /**
     * Echoes text and binary messages; answers a ping with a pong carrying its data, and tells of a pong
     * it receives. Commands: "headers" (the x-token header and the offered subprotocols), "fragments"
     * (a text in three fragments and a binary in two), "ping-me" (a ping "srv"), "close-me" (close 4000).
     */
    private static void echo(Conn c) throws IOException {
        boolean closing = false; // this side sent its close first
        for (;;) {
            Frame f = c.read();
            switch (f.opcode()) {
                case TEXT -> {
                    switch (f.text()) {
                        case "headers" -> c.sendText("x-token=" + c.headers.get("x-token") + " offered="
                                + c.headers.get("sec-websocket-protocol"));
                        case "fragments" -> {
                            c.frame(false, TEXT, "frag".getBytes(StandardCharsets.UTF_8));
                            c.frame(false, 0, "mén".getBytes(StandardCharsets.UTF_8));
                            c.frame(true, 0, "ted".getBytes(StandardCharsets.UTF_8));
                            c.frame(false, BINARY, new byte[] {1, 2});
                            c.frame(true, 0, new byte[] {3});
                        }
                        case "ping-me" -> c.send(PING, "srv".getBytes(StandardCharsets.UTF_8));
                        case "close-me" -> {
                            c.close(4000, "bye");
                            closing = true;
                        }
                        default -> c.send(TEXT, f.data());
                    }
                }
                case BINARY -> c.send(BINARY, f.data());
                case PING -> c.send(PONG, f.data());
                case PONG -> c.sendText("server got pong " + f.text());
                case CLOSE -> {
                    if (!closing) {
                        c.send(CLOSE, f.data());
                    }
                    return;
                }
                default -> throw new IOException("unexpected opcode " + f.opcode());
            }
        }
    }

    private static void awaitClose(Conn c) throws IOException {
        try {
            while (c.read().opcode() != CLOSE) {
                // what the client sends before its close answer
            }
        } catch (EOFException e) {
            // gone without a close answer
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException();
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }


    @Override
    public void close() throws IOException {
        socket.close();
    }
}
