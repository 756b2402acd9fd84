package dev.kiln.window;

import com.sun.net.httpserver.HttpExchange;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One-time URLs on the app's asset server through which bytes cross between the host and one
 * window's page without going through JSON text: the page {@code fetch}es what the host
 * {@linkplain #offer offered} as an {@code ArrayBuffer}, and {@code POST}s its bytes to an upload
 * slot the host {@linkplain #expect expects}. Under {@value #PREFIX}{@code <token>}: a dot-path, which
 * the app's web folder never serves, so no app file can clash.
 *
 * <p>Why (docs/bench/binary-transport.md): base64 inside the JSON batch moves 10 MiB and more at
 * about a tenth of the speed of the page fetching a static file of the same size; a one-time URL
 * moves it at that speed (0.9x to 1.1x host to page, faster page to host). Every request costs the
 * page a fixed 3 to 17 ms, so small binaries stay in the batch: the measured cut-overs are
 * 512 KiB host to page and 128 KiB page to host.
 *
 * <p>Rules, each checked on every request (after the asset server's own Host and launch-cookie
 * checks):
 * <ul>
 * <li>Unguessable: the token is {@value #TOKEN_BYTES} random bytes ({@link SecureRandom}),
 *     base64url.</li>
 * <li>Single use: the first request that passes the checks takes the entry; any later one gets 404.
 *     A refused request (wrong window, foreign origin, wrong method) does not take it, so a page that
 *     learned a token it should not have cannot spoil it for its owner.</li>
 * <li>Expiry: an entry not taken within its time to live ({@link #DEFAULT_TTL} by default, counted
 *     from {@link #offer}/{@link #expect} to the request's arrival) is dropped, and with it the only
 *     reference to its bytes; an expected upload that never came fails with 7001. A request already
 *     streaming is not cut off.</li>
 * <li>Only the window it was made for: the request must carry the window's key in the
 *     {@value #WINDOW_HEADER} header. Every window of the app has the same origin and the same launch
 *     cookie, so neither tells windows apart; the key does. It is meant to live where the window's
 *     port lives, in its page bridge's closure, handed over at the handshake; the token goes only to
 *     that window's page, through its port. A hostile page in another Kiln window therefore has
 *     neither: it cannot reach into this window's page (Kiln windows get no script handle on each
 *     other: {@code window.open} makes a separate window), and a token it learned some other way (the
 *     app leaking the URL into shared {@code localStorage}, a log line) is useless without the key.</li>
 * <li>Only the app's origin: a request with an {@code Origin} or {@code Referer} of another origin,
 *     or {@code Sec-Fetch-Site} other than {@code same-origin}, is refused. A foreign page shown in a
 *     Kiln window (an allowed origin, an iframe) does get the launch cookie on its requests to the
 *     loopback server; but the custom key header makes its cross-origin {@code fetch} send a CORS
 *     preflight first, which is refused (a preflight carries no key, and is answered without CORS
 *     headers), and a no-cors request cannot carry the header at all.</li>
 * <li>Size: at most {@link #MAX_BYTES} (1 GiB) per binary, or an upload slot's own smaller limit.
 *     Above it, {@link ErrorCode#BINARY_TOO_LARGE} (7010): {@link #offer} throws it, and an upload
 *     whose {@code Content-Length} is larger is answered 413 with the coded text before its body is
 *     read, and its future fails with it. An upload must declare its length (WebKit's {@code fetch}
 *     does for an {@code ArrayBuffer}, typed array or {@code Blob} body; 411 otherwise), so that its
 *     body is read once, straight into the array handed to the host.</li>
 * </ul>
 *
 * <p>Threading: every method may be called from any thread. Requests are served on the asset
 * server's threads ({@code kiln-assets-*}), where upload futures complete: their dependent stages
 * must not block. Expiry runs on one daemon thread per server ({@code kiln-blob-expiry-N}).
 */
final class OneTimeBlobs {
    /** The reserved path under which one-time URLs live. */
    static final String PREFIX = "/.kiln/blob/";
    /** The request header that carries the window's key. */
    static final String WINDOW_HEADER = "X-Kiln-Window";
    /** The largest binary, either way: 1 GiB. */
    static final long MAX_BYTES = 1L << 30;
    /** How long an offer or an upload slot waits for its request. */
    static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
    static final int TOKEN_BYTES = 32;
    /**
     * A page uploads a large binary in pieces of this size, each to a slot of its own: the JDK server
     * closes a request whose body has not all arrived within {@link AssetServer#MAX_REQUEST_SECONDS}
     * (which keeps trickling clients from holding its threads), and on a busy machine a 256 MiB body
     * took longer; 8 MiB pieces sent at once were also as fast or faster than one request from 64 MiB
     * on (docs/bench/binary-transport.md, b-post-chunks).
     */
    static final int UPLOAD_PIECE_BYTES = 8 * 1024 * 1024;
    private static final AtomicInteger COUNT = new AtomicInteger();

    /** An upload slot: the URL the page posts to, and the bytes once they arrived. */
    record Upload(String url, CompletableFuture<byte[]> received) {
    }

    /** What waits behind a token, until its deadline ({@link System#nanoTime()}). */
    private abstract static sealed class Entry permits Offered, Expected {
        final String windowId;
        final Duration ttl;
        final long deadline;
        volatile ScheduledFuture<?> expiry; // set just after the entry is put

        Entry(String windowId, Duration ttl) {
            this.windowId = windowId;
            this.ttl = ttl;
            this.deadline = System.nanoTime() + ttl.toNanos();
        }

        void cancelExpiry() {
            ScheduledFuture<?> task = expiry;
            if (task != null) {
                task.cancel(false);
            }
        }
    }

    private static final class Offered extends Entry {
        final ByteBuffer bytes;

        Offered(String windowId, Duration ttl, ByteBuffer bytes) {
            super(windowId, ttl);
            this.bytes = bytes;
        }
    }

    private static final class Expected extends Entry {
        final long maxBytes;
        final byte[] target; // null: a new array of the declared length
        final int offset;
        final CompletableFuture<byte[]> received = new CompletableFuture<>();

        Expected(String windowId, Duration ttl, long maxBytes, byte[] target, int offset) {
            super(windowId, ttl);
            this.maxBytes = maxBytes;
            this.target = target;
            this.offset = offset;
        }
    }

    private final String origin;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, String> windowKeys = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor expiry;
    private final RefusalLog refusals = new RefusalLog();

    /** @param origin the asset server's origin, {@code http://127.0.0.1:<port>} */
    OneTimeBlobs(String origin) {
        this.origin = origin;
        int n = COUNT.incrementAndGet();
        this.expiry = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kiln-blob-expiry-" + n);
            t.setDaemon(true);
            return t;
        });
        expiry.setRemoveOnCancelPolicy(true); // a taken entry's expiry task goes at once
    }

    /**
     * The key that proves a request comes from this window's page (see the class comment); the same
     * key until {@link #windowClosed}.
     */
    String windowKey(String windowId) {
        Objects.requireNonNull(windowId, "windowId");
        return windowKeys.computeIfAbsent(windowId, id -> token());
    }

    /**
     * Offers bytes to one window's page: the returned URL serves them once, to a {@code GET} from
     * that window, within the time to live. The buffer's remaining bytes are served as they are then
     * (not copied: do not change them until they were fetched or expired).
     *
     * @throws KilnException {@link ErrorCode#BINARY_TOO_LARGE} above {@link #MAX_BYTES}
     */
    String offer(String windowId, ByteBuffer bytes) {
        return offer(windowId, bytes, DEFAULT_TTL);
    }

    /** {@link #offer(String, ByteBuffer)} for an array. */
    String offer(String windowId, byte[] bytes) {
        return offer(windowId, ByteBuffer.wrap(bytes), DEFAULT_TTL);
    }

    /** {@link #offer(String, ByteBuffer)} with its own time to live. */
    String offer(String windowId, ByteBuffer bytes, Duration ttl) {
        Objects.requireNonNull(bytes, "bytes");
        checkSize(bytes.remaining(), MAX_BYTES);
        windowKey(windowId);
        return origin + PREFIX + add(new Offered(windowId, ttl, bytes.slice()));
    }

    /**
     * Expects one upload of at most {@code maxBytes} from that window's page: a {@code POST} of the
     * bytes to the returned URL, within the time to live. The future completes with them once they
     * all arrived; it fails with 7010 if the page declared more, with 7001 if the page sent fewer than
     * it declared or nothing in time, and with 7002 if the window closed first.
     *
     * @throws IllegalArgumentException if {@code maxBytes} is negative or above {@link #MAX_BYTES}
     */
    Upload expect(String windowId, long maxBytes) {
        return expect(windowId, maxBytes, DEFAULT_TTL);
    }

    /** {@link #expect(String, long)} with its own time to live. */
    Upload expect(String windowId, long maxBytes, Duration ttl) {
        if (maxBytes < 0 || maxBytes > MAX_BYTES) {
            throw new IllegalArgumentException("An upload's limit must be 0 to " + MAX_BYTES + " bytes, got " + maxBytes);
        }
        windowKey(windowId);
        Expected slot = new Expected(windowId, ttl, maxBytes, null, 0);
        return new Upload(origin + PREFIX + add(slot), slot.received);
    }

    /**
     * Expects one upload of at most {@code length} bytes, read straight into {@code target} from
     * {@code offset} (one piece of a larger binary: no copy to put the pieces together); its future
     * completes with {@code target}. See {@link #expect(String, long)}.
     */
    Upload expectInto(String windowId, byte[] target, int offset, int length, Duration ttl) {
        Objects.checkFromIndexSize(offset, length, target.length);
        windowKey(windowId);
        Expected slot = new Expected(windowId, ttl, length, target, offset);
        return new Upload(origin + PREFIX + add(slot), slot.received);
    }

    /** The token of a one-time URL {@link #offer} or {@link #expect} made: its last path segment. */
    static String tokenOf(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** How many offers and upload slots wait for their request. */
    int pending() {
        return entries.size();
    }

    /**
     * The window closed: its entries go (uploads fail with 7002), and its key with them. Offers and
     * slots are for open windows only: one made for this id afterwards makes a new key (and a
     * window opened again under the id gets that one).
     */
    void windowClosed(String windowId) {
        windowKeys.remove(windowId);
        entries.forEach((token, e) -> {
            if (e.windowId.equals(windowId)) {
                drop(token, e, KilnException.windowNotFound(windowId, "closed before its page took the binary"));
            }
        });
    }

    /** The server stops: everything goes; waiting uploads fail with 7000. */
    void close() {
        expiry.shutdownNow();
        entries.forEach((token, e) -> drop(token, e, KilnException.shutDown()));
        windowKeys.clear();
    }

    /** Whether the request is for this class (its path is under {@link #PREFIX}). */
    static boolean claims(HttpExchange exchange) {
        String path = exchange.getRequestURI().getRawPath();
        return path != null && path.startsWith(PREFIX);
    }

    /** Serves a request under {@link #PREFIX}, which has passed the asset server's checks. Asset server thread. */
    void handle(HttpExchange exchange) throws IOException {
        String token = exchange.getRequestURI().getRawPath().substring(PREFIX.length());
        String method = exchange.getRequestMethod();
        Entry entry = entries.get(token);
        if (entry != null && System.nanoTime() - entry.deadline > 0) {
            expire(token); // its expiry task is late: the machine is busy
            entry = null;
        }
        if (entry == null) {
            text(exchange, 404, "Not found (a one-time URL serves once, and expires)");
            return;
        }
        String refusal = refusal(exchange, entry);
        if (refusal == null && !method.equals(entry instanceof Offered ? "GET" : "POST")) {
            refusal = "method " + method + " (" + (entry instanceof Offered ? "GET" : "POST") + " expected)";
        }
        if (refusal != null) {
            refusals.warn("[" + ErrorCode.PERMISSION_DENIED.code() + "] Refused a one-time binary URL of window "
                    + entry.windowId + ": " + refusal);
            text(exchange, refusal.startsWith("method") ? 405 : 403, "Forbidden");
            return;
        }
        if (!entries.remove(token, entry)) {
            text(exchange, 404, "Not found (taken by another request)");
            return;
        }
        entry.cancelExpiry();
        if (entry instanceof Offered offered) {
            serve(exchange, offered.bytes);
        } else {
            receive(exchange, (Expected) entry);
        }
    }

    /** Why the request may not take this entry, or {@code null}. */
    private String refusal(HttpExchange exchange, Entry entry) {
        var headers = exchange.getRequestHeaders();
        String origin = headers.getFirst("Origin");
        if (origin != null && !origin.equals(this.origin)) {
            return "Origin " + RateLimitedLog.clean(origin) + " is not the app's";
        }
        String referer = headers.getFirst("Referer");
        if (referer != null && !referer.startsWith(this.origin + "/")) {
            return "Referer " + RateLimitedLog.clean(referer) + " is not one of the app's pages";
        }
        String site = headers.getFirst("Sec-Fetch-Site");
        if (site != null && !site.toLowerCase(Locale.ROOT).equals("same-origin")) {
            return "Sec-Fetch-Site " + RateLimitedLog.clean(site);
        }
        String key = windowKeys.get(entry.windowId);
        String given = headers.getFirst(WINDOW_HEADER);
        if (key == null || given == null || !MessageDigest.isEqual(
                key.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII))) {
            return given == null ? "no " + WINDOW_HEADER + " header" : "the " + WINDOW_HEADER + " key is not this window's";
        }
        return null;
    }

    private static void serve(HttpExchange exchange, ByteBuffer bytes) throws IOException {
        headers(exchange, "application/octet-stream");
        int length = bytes.remaining();
        exchange.sendResponseHeaders(200, length == 0 ? -1 : length);
        if (length == 0) {
            return;
        }
        try (OutputStream out = exchange.getResponseBody()) {
            if (bytes.hasArray()) {
                AssetServer.writeBody(out, bytes.array(), bytes.arrayOffset() + bytes.position(), length);
            } else {
                byte[] chunk = new byte[Math.min(length, AssetServer.WRITE_CHUNK)];
                ByteBuffer rest = bytes.duplicate();
                while (rest.hasRemaining()) {
                    int n = Math.min(chunk.length, rest.remaining());
                    rest.get(chunk, 0, n);
                    out.write(chunk, 0, n);
                }
            }
        }
    }

    private void receive(HttpExchange exchange, Expected slot) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.strip());
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length < 0) {
            String why = "Window " + slot.windowId + " sent a binary without a Content-Length";
            slot.received.completeExceptionally(new KilnException(ErrorCode.CHANNEL_RECV, why));
            text(exchange, 411, "[" + ErrorCode.CHANNEL_RECV.code() + "] " + why);
            return;
        }
        if (length > slot.maxBytes) {
            KilnException tooLarge = tooLarge(length, slot.maxBytes);
            slot.received.completeExceptionally(tooLarge);
            text(exchange, 413, tooLarge.getMessage()); // the body is not read
            return;
        }
        byte[] bytes;
        int at = slot.target == null ? 0 : slot.offset;
        try {
            bytes = slot.target != null ? slot.target : new byte[(int) length];
        } catch (OutOfMemoryError e) {
            String why = "The host has no memory for the " + length + " bytes window " + slot.windowId + " sends";
            slot.received.completeExceptionally(new KilnException(ErrorCode.CHANNEL_RECV, why));
            text(exchange, 507, "[" + ErrorCode.CHANNEL_RECV.code() + "] " + why);
            return;
        }
        int read;
        try (InputStream in = exchange.getRequestBody()) {
            read = in.readNBytes(bytes, at, (int) length);
        } catch (IOException e) {
            slot.received.completeExceptionally(new KilnException(ErrorCode.CHANNEL_RECV,
                    "Window " + slot.windowId + ": the binary's upload broke off: " + e.getMessage(), e));
            throw e;
        }
        if (read < length) {
            String why = "Window " + slot.windowId + " sent " + read + " of the " + length + " bytes it declared";
            slot.received.completeExceptionally(new KilnException(ErrorCode.CHANNEL_RECV, why));
            text(exchange, 400, "[" + ErrorCode.CHANNEL_RECV.code() + "] " + why);
            return;
        }
        // completed before the page hears back: the message it sends next finds the bytes there (UploadedBinaries)
        slot.received.complete(bytes);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(204, -1);
    }

    private static KilnException tooLarge(long size, long limit) {
        return new KilnException(ErrorCode.BINARY_TOO_LARGE, "A binary of " + size + " bytes is larger than the limit of "
                + limit + " bytes" + (limit == MAX_BYTES ? " (1 GiB)" : ""));
    }

    private static void checkSize(long size, long limit) {
        if (size > limit) {
            throw tooLarge(size, limit);
        }
    }

    /** Puts the entry under a new token and schedules its expiry; returns the token. */
    private String add(Entry entry) {
        String token = token();
        entries.put(token, entry);
        // the task captures the token only: a taken entry's bytes are not kept alive by it
        try {
            entry.expiry = expiry.schedule(() -> expire(token), entry.ttl.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            entries.remove(token);
            throw KilnException.shutDown();
        }
        return token;
    }

    private void expire(String token) {
        Entry e = entries.get(token);
        if (e != null) {
            drop(token, e, new KilnException(ErrorCode.CHANNEL_RECV, "Window " + e.windowId
                    + " did not upload the expected binary within " + e.ttl.toMillis() + " ms"));
        }
    }

    private void drop(String token, Entry e, KilnException why) {
        if (entries.remove(token, e)) {
            e.cancelExpiry();
            if (e instanceof Expected slot) {
                slot.received.completeExceptionally(why);
            }
        }
    }

    private String token() {
        byte[] b = new byte[TOKEN_BYTES];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void headers(HttpExchange exchange, String type) {
        var h = exchange.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Cross-Origin-Resource-Policy", "same-origin");
    }

    private static void text(HttpExchange exchange, int status, String text) throws IOException {
        headers(exchange, "text/plain; charset=utf-8");
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
