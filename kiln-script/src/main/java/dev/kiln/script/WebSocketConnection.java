package dev.kiln.script;

import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One connection of runtime:net's {@code ws}: the JDK's WebSocket listener, which keeps what arrives
 * as whole messages (text fragments joined, binary data copied) until the script takes them.
 *
 * <p>Backpressure instead of loss: the JDK hands over the next frame only when asked
 * ({@link WebSocket#request}). The listener asks after each frame while fewer than
 * {@link #MAX_QUEUED_MESSAGES} messages and {@link #MAX_QUEUED_BYTES} wait; past that it stops asking
 * until the script takes one, so the JDK stops reading the socket and TCP slows the server down.
 * Nothing that arrived is dropped, except what arrives after the app closed the connection.
 *
 * <p>Threading: the listener methods run on the HTTP client's threads, one at a time (the JDK's
 * guarantee); {@link #next}, {@link #send} and {@link #close} on the loop thread (or, for the app's
 * end, on the thread that ends the runtime once the loop has stopped). The state they share with the
 * listener is guarded by this object's lock; futures are completed outside it.
 */
final class WebSocketConnection implements WebSocket.Listener {
    /** Messages received and not yet taken by the script, at most (then the server is held back). */
    static final int MAX_QUEUED_MESSAGES = 1024;
    /** Their size (bytes of binary data, characters of text), at most, unless one message is larger. */
    static final long MAX_QUEUED_BYTES = 16L * 1024 * 1024;
    /** The largest message taken (bytes of binary data, characters of text); a larger one ends the connection. */
    static final int MAX_MESSAGE_SIZE = 64 * 1024 * 1024;
    /** Status codes of RFC 6455. */
    static final int NORMAL_CLOSURE = 1000;
    static final int GOING_AWAY = 1001;
    static final int MESSAGE_TOO_BIG = 1009;
    private static final int KEEP_BUFFER = 64 * 1024; // a message buffer grown past this is not kept for the next

    /** What the script receives: a message, the server's close ({@code closeCode}), or the connection's failure. */
    record Message(String type, String text, byte[] bytes, int closeCode, KilnException failure) {
        long size() {
            return text != null ? text.length() : bytes != null ? bytes.length : 0;
        }
    }

    final URI uri;
    private volatile WebSocket socket;
    private volatile int id;
    private final ArrayDeque<Message> inbox = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<Message>> readers = new ArrayDeque<>();
    private long queuedSize;
    private boolean paused; // the listener stopped asking for frames: the script must take one first
    private boolean ended; // nothing more for the script: the input ended or failed, or the app closed it
    private StringBuilder text = new StringBuilder(); // listener threads only, as is binary
    private ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private boolean refusing; // a message was too large: the rest is not read
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null); // loop thread only

    WebSocketConnection(URI uri) {
        this.uri = uri;
    }

    /** The connection is open, as {@code id}; from then on the script may use it. */
    void opened(WebSocket ws, int id) {
        this.socket = ws;
        this.id = id;
    }

    int id() {
        return id;
    }

    String subprotocol() {
        String p = socket.getSubprotocol();
        return p == null || p.isEmpty() ? null : p;
    }

    String name() {
        return "WebSocket " + id + " (" + uri + ")";
    }

    // ---- receiving (listener threads) ----

    @Override
    public void onOpen(WebSocket ws) {
        socket = ws;
        ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        if (refusing) {
            return null;
        }
        if ((long) text.length() + data.length() > MAX_MESSAGE_SIZE) {
            refuse(ws, "a text message longer than " + MAX_MESSAGE_SIZE + " characters");
            return null;
        }
        text.append(data);
        if (!last) {
            ws.request(1); // a fragment: the message is not complete yet
            return null;
        }
        String whole = text.toString();
        text = text.capacity() > KEEP_BUFFER ? new StringBuilder() : text.delete(0, text.length());
        arrived(ws, new Message("text", whole, null, 0, null));
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        if (refusing) {
            return null;
        }
        if ((long) binary.size() + data.remaining() > MAX_MESSAGE_SIZE) {
            refuse(ws, "a binary message larger than " + MAX_MESSAGE_SIZE + " bytes");
            return null;
        }
        if (last && binary.size() == 0) { // the whole message in one piece: one copy
            arrived(ws, new Message("binary", null, copy(data), 0, null));
            return null;
        }
        byte[] piece = copy(data);
        binary.write(piece, 0, piece.length);
        if (!last) {
            ws.request(1);
            return null;
        }
        byte[] whole = binary.toByteArray();
        binary = binary.size() > KEEP_BUFFER ? new ByteArrayOutputStream() : reset(binary);
        arrived(ws, new Message("binary", null, whole, 0, null));
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
        // The JDK answers with a pong by itself; the script sees the ping as Forge's does.
        arrived(ws, new Message("ping", null, copy(message), 0, null));
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
        arrived(ws, new Message("pong", null, copy(message), 0, null));
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        end(new Message("close", reason == null ? "" : reason, null, statusCode, null));
        return null; // the JDK answers the close at once
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        end(failed(name() + " failed: " + NetOps.message(NetOps.unwrap(error)), error));
    }

    private void refuse(WebSocket ws, String what) {
        refusing = true;
        text = new StringBuilder();
        binary = new ByteArrayOutputStream();
        end(failed(name() + " received " + what + " (Kiln's limit); Kiln closed the connection with status "
                + MESSAGE_TOO_BIG, null));
        ws.sendClose(MESSAGE_TOO_BIG, "message too big").whenComplete((w, e) -> ws.abort());
    }

    private static KilnException failure(String message, Throwable cause) {
        return new KilnException(ErrorCode.NETWORK_FAILED, message, cause);
    }

    /** The connection's failure, as the script's last message: it rejects the read that takes it. */
    private static Message failed(String message, Throwable cause) {
        return new Message("error", null, null, 0, failure(message, cause));
    }

    /** A whole message: to a waiting read, else queued; then the next frame is asked for if there is room. */
    private void arrived(WebSocket ws, Message m) {
        CompletableFuture<Message> reader = null;
        boolean ask;
        synchronized (this) {
            if (!ended) {
                reader = readers.poll();
                if (reader == null) {
                    inbox.add(m);
                    queuedSize += m.size();
                }
            }
            ask = hasRoom();
            paused = !ask;
        }
        if (reader != null) {
            reader.complete(m);
        }
        if (ask) {
            ws.request(1);
        }
    }

    /** The input has ended: {@code last} (the server's close or the failure) is the script's last message. */
    private void end(Message last) {
        CompletableFuture<Message> reader = null;
        List<CompletableFuture<Message>> others;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            reader = readers.poll();
            if (reader == null) {
                inbox.add(last);
            }
            others = new ArrayList<>(readers);
            readers.clear();
        }
        if (reader != null) {
            reader.complete(last);
        }
        others.forEach(r -> r.complete(null));
    }

    private boolean hasRoom() { // under the lock
        return inbox.size() < MAX_QUEUED_MESSAGES && queuedSize < MAX_QUEUED_BYTES;
    }

    // ---- the script's side (loop thread) ----

    /** The next message; null once the connection has ended and everything before its end was taken. */
    CompletableFuture<Message> next() {
        Message m;
        boolean resume = false;
        synchronized (this) {
            m = inbox.poll();
            if (m == null) {
                if (ended) {
                    return CompletableFuture.completedFuture(null);
                }
                CompletableFuture<Message> reader = new CompletableFuture<>();
                readers.add(reader);
                return reader;
            }
            queuedSize -= m.size();
            if (paused && hasRoom()) {
                paused = false;
                resume = true;
            }
        }
        if (resume) {
            socket.request(1);
        }
        return CompletableFuture.completedFuture(m);
    }

    /** Sends with {@code send} once the sends before it are done (the JDK takes one at a time). */
    CompletableFuture<Void> send(Function<WebSocket, CompletableFuture<WebSocket>> send) {
        WebSocket ws = socket;
        CompletableFuture<Void> sent = sending.handle((v, e) -> null).thenCompose(v -> {
            if (ws.isOutputClosed()) {
                throw closedForSending();
            }
            return send.apply(ws).<Void>handle((w, e) -> {
                if (e == null) {
                    return null;
                }
                // the JDK closes the output when it answers the server's close: a send racing that answer
                // fails as one made after it does
                throw ws.isOutputClosed() ? closedForSending()
                        : e instanceof java.util.concurrent.CompletionException c ? c : new java.util.concurrent.CompletionException(e);
            });
        });
        sending = sent;
        return sent;
    }

    private java.util.concurrent.CompletionException closedForSending() {
        return new java.util.concurrent.CompletionException(failure(name() + " is closed: nothing more can be sent on it", null));
    }

    /**
     * Closes the connection for the app: what waits for the script is dropped, a read waiting gets
     * null, and a close frame ({@code code}, {@code reason}) goes after the sends before it. Completes
     * once that frame is sent. A server that does not answer it within {@code graceMillis} is cut off.
     */
    CompletableFuture<Void> close(int code, String reason, long graceMillis) {
        List<CompletableFuture<Message>> waiting;
        boolean resume;
        synchronized (this) {
            ended = true;
            inbox.clear();
            queuedSize = 0;
            waiting = new ArrayList<>(readers);
            readers.clear();
            resume = paused;
            paused = false;
        }
        waiting.forEach(r -> r.complete(null));
        WebSocket ws = socket;
        if (resume) {
            ws.request(1); // read on to the server's close, so that the JDK can end the connection cleanly
        }
        CompletableFuture.delayedExecutor(graceMillis, TimeUnit.MILLISECONDS).execute(() -> {
            if (!ws.isInputClosed()) {
                ws.abort();
            }
        });
        CompletableFuture<Void> sent = sending.handle((v, e) -> null)
                .thenCompose(v -> ws.isOutputClosed() ? CompletableFuture.completedFuture(ws) : ws.sendClose(code, reason))
                .handle((w, e) -> null); // a connection that has failed is closed all the same
        sending = sent;
        return sent;
    }

    private static byte[] copy(ByteBuffer data) {
        byte[] out = new byte[data.remaining()];
        data.get(out);
        return out;
    }

    private static ByteArrayOutputStream reset(ByteArrayOutputStream out) {
        out.reset();
        return out;
    }
}
