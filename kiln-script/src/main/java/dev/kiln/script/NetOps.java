package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.values.V8Value;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * The operations behind {@code fetch} and runtime:net, on {@code java.net.http}: a request's head
 * settles the script's promise, its body is read in chunks on demand (the {@code Response}'s stream,
 * or all of it for {@code text()}/{@code json()}/{@code arrayBuffer()}).
 *
 * <p>Redirects are followed here rather than by the HTTP client, so that every hop's host passes the
 * manifest's net permission. Threading: the ops run on the loop thread; the HTTP client completes on
 * its own threads and bodies are read on the I/O executor, and both hand their results to the loop
 * through {@link JavaPromises}.
 */
final class NetOps implements AutoCloseable {
    static final String OP_NET_FETCH = "netFetch";
    static final String OP_NET_READ = "netRead";
    static final String OP_NET_CANCEL = "netCancel";
    static final int MAX_REDIRECTS = 20;
    private static final Set<String> JDK_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");
    private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(200, "OK"), Map.entry(201, "Created"),
            Map.entry(202, "Accepted"), Map.entry(204, "No Content"), Map.entry(206, "Partial Content"),
            Map.entry(301, "Moved Permanently"), Map.entry(302, "Found"), Map.entry(303, "See Other"),
            Map.entry(304, "Not Modified"), Map.entry(307, "Temporary Redirect"), Map.entry(308, "Permanent Redirect"),
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(409, "Conflict"),
            Map.entry(410, "Gone"), Map.entry(413, "Content Too Large"), Map.entry(415, "Unsupported Media Type"),
            Map.entry(418, "I'm a Teapot"), Map.entry(422, "Unprocessable Content"), Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"), Map.entry(501, "Not Implemented"), Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"));

    private final JavaPromises promises;
    private final ExecutorService io;
    private final Permissions permissions;
    private final BytesOps bytes;
    private final HttpClient client;
    private final Map<Integer, Exchange> exchanges = new java.util.concurrent.ConcurrentHashMap<>();

    /** One fetch: the request in flight, then its response body. */
    private static final class Exchange {
        volatile CompletableFuture<?> inFlight;
        volatile InputStream body;
        volatile boolean cancelled;
        ReadQueue<byte[]> chunks; // loop thread only
    }

    private record Target(String method, URI uri, List<String[]> headers, byte[] body) {
    }

    /** A response, and whether redirects led to it. */
    private record Reply(HttpResponse<InputStream> response, boolean redirected) {
    }

    NetOps(Platform platform) {
        this.promises = platform.promises();
        this.io = platform.io();
        this.permissions = platform.permissions();
        this.bytes = platform.bytes();
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30)).executor(io).build();
    }

    /**
     * Starts fetch {@code id}: {@code requestJson} is {@code {method, url, headers: [[name, value]...],
     * redirect}}, {@code body} its bytes or null. Settles with the head: {@code {status, statusText,
     * headers, url, redirected}}. The host must be allowed by {@code [permissions.net]}.
     */
    @V8Function(name = OP_NET_FETCH)
    public void netFetch(int promiseId, int id, String requestJson, V8Value bodyValue) throws JavetException {
        JsonNode r = Json.read(requestJson);
        URI uri = parse(r.path("url").asText());
        checkHost(uri);
        List<String[]> headers = new ArrayList<>();
        for (JsonNode h : r.path("headers")) {
            headers.add(new String[] {h.path(0).asText(), h.path(1).asText()});
        }
        byte[] body = bodyValue == null || bodyValue.isNullOrUndefined() ? null : BytesOps.bytes(bodyValue, "the request body");
        String redirect = r.path("redirect").asText("follow");
        Exchange ex = new Exchange();
        exchanges.put(id, ex);
        CompletableFuture<Reply> head = send(ex, new Target(r.path("method").asText("GET"), uri, headers, body),
                redirect, 0);
        promises.settleLater(promiseId, head.handle((reply, error) -> {
            if (error != null) {
                exchanges.remove(id);
                throw new CompletionException(failure(error, uri, ex));
            }
            ex.body = reply.response().body();
            if (ex.cancelled) {
                closeQuietly(ex.body);
            }
            return reply;
        }), NetOps::head, false);
    }

    /**
     * The next chunk of fetch {@code id}'s body (a {@link BytesOps} ticket, or null at its end); with
     * {@code all}, the rest of it at once.
     */
    @V8Function(name = OP_NET_READ)
    public void netRead(int promiseId, int id, boolean all) {
        Exchange ex = exchanges.get(id);
        if (ex == null || ex.body == null) {
            promises.settleLater(promiseId, CompletableFuture.completedFuture(null), v -> null, false);
            return;
        }
        if (ex.chunks == null) {
            ex.chunks = ReadQueue.chunks(ex.body, io);
        }
        CompletableFuture<byte[]> read = all ? readAll(ex.chunks, new ByteArrayOutputStream()) : ex.chunks.next();
        promises.settleLater(promiseId, read.whenComplete((bytes, error) -> {
            if (error != null || bytes == null || all) {
                exchanges.remove(id);
            }
        }).exceptionally(error -> {
            throw new CompletionException(new KilnException(ErrorCode.NETWORK_FAILED,
                    "Reading the response body failed: " + message(unwrap(error)), unwrap(error)));
        }), chunk -> chunk == null ? null : Integer.toString(bytes.park(chunk)), false);
    }

    /** Aborts fetch {@code id}: the request in flight, or the body being read. */
    @V8Function(name = OP_NET_CANCEL)
    public void netCancel(int id) {
        Exchange ex = exchanges.remove(id);
        if (ex != null) {
            cancel(ex);
        }
    }

    /** Ends every fetch: the app is ending. */
    @Override
    public void close() {
        exchanges.values().forEach(NetOps::cancel);
        exchanges.clear();
    }

    private static void cancel(Exchange ex) {
        ex.cancelled = true;
        CompletableFuture<?> f = ex.inFlight;
        if (f != null) {
            f.cancel(true);
        }
        if (ex.chunks != null) {
            ex.chunks.close();
        }
        InputStream body = ex.body;
        if (body != null) {
            closeQuietly(body);
        }
    }

    private CompletableFuture<byte[]> readAll(ReadQueue<byte[]> chunks, ByteArrayOutputStream into) {
        return chunks.next().thenCompose(bytes -> {
            if (bytes == null) {
                return CompletableFuture.completedFuture(into.toByteArray());
            }
            into.writeBytes(bytes);
            return readAll(chunks, into);
        });
    }

    private CompletableFuture<Reply> send(Exchange ex, Target t, String redirect, int hops) {
        HttpRequest.Builder b = HttpRequest.newBuilder(t.uri).method(t.method.toUpperCase(Locale.ROOT),
                t.body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(t.body));
        if ("http".equals(t.uri.getScheme())) {
            b.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance on plain HTTP
        }
        for (String[] h : t.headers) {
            if (!JDK_HEADERS.contains(h[0].toLowerCase(Locale.ROOT))) { // the HTTP client sets these itself
                b.header(h[0], h[1]);
            }
        }
        CompletableFuture<HttpResponse<InputStream>> f = client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        ex.inFlight = f;
        return f.thenCompose(resp -> {
            int s = resp.statusCode();
            String location = resp.headers().firstValue("location").orElse(null);
            if (!isRedirect(s) || location == null || redirect.equals("manual")) {
                return CompletableFuture.completedFuture(new Reply(resp, hops > 0));
            }
            closeQuietly(resp.body());
            if (redirect.equals("error")) {
                throw new CompletionException(new KilnException(ErrorCode.NETWORK_FAILED,
                        "fetch " + t.uri + " was redirected (" + s + ") and its redirect option is \"error\""));
            }
            if (hops >= MAX_REDIRECTS) {
                throw new CompletionException(new KilnException(ErrorCode.NETWORK_FAILED,
                        "fetch " + t.uri + " was redirected more than " + MAX_REDIRECTS + " times"));
            }
            URI next = t.uri.resolve(location);
            if (!"http".equals(next.getScheme()) && !"https".equals(next.getScheme())) {
                throw new CompletionException(new KilnException(ErrorCode.NETWORK_FAILED,
                        "fetch " + t.uri + " was redirected to " + next + ", which is not http or https"));
            }
            checkHost(next);
            boolean toGet = s == 303 || ((s == 301 || s == 302) && t.method.equalsIgnoreCase("POST"));
            Target hop = toGet ? new Target(s == 303 && t.method.equalsIgnoreCase("HEAD") ? "HEAD" : "GET", next,
                    t.headers.stream().filter(h -> !h[0].toLowerCase(Locale.ROOT).startsWith("content-")).toList(), null)
                    : new Target(t.method, next, t.headers, t.body);
            return send(ex, hop, redirect, hops + 1);
        });
    }

    /** {@code [permissions.net]} must allow the URL's host and port. */
    private void checkHost(URI uri) {
        checkHost(permissions, uri);
    }

    /**
     * {@code [permissions.net]} must allow the host and port of {@code uri} (http, https, ws or wss; the
     * secure ones default to port 443, the others to 80), else {@link ErrorCode#ACCESS_DENIED}.
     */
    static void checkHost(Permissions permissions, URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") || scheme.equals("wss") ? 443 : 80;
        permissions.checkNet(uri.getHost(), port);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static String head(Reply reply) {
        HttpResponse<InputStream> r = reply.response();
        List<List<String>> headers = new ArrayList<>();
        r.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) { // HTTP/2 pseudo-headers are not headers
                values.forEach(v -> headers.add(List.of(name.toLowerCase(Locale.ROOT), v)));
            }
        });
        Map<String, Object> out = new HashMap<>();
        out.put("status", r.statusCode());
        out.put("statusText", REASONS.getOrDefault(r.statusCode(), ""));
        out.put("headers", headers);
        out.put("url", r.uri().toString());
        out.put("redirected", reply.redirected());
        return Json.write(out);
    }

    private static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new KilnException(ErrorCode.INVALID_ARGUMENT, "fetch() needs an absolute http or https URL, got '" + url + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new KilnException(ErrorCode.INVALID_ARGUMENT, "fetch() needs an absolute http or https URL, got '" + url + "'");
        }
        return uri;
    }

    private static Throwable failure(Throwable error, URI uri, Exchange ex) {
        Throwable e = unwrap(error);
        if (e instanceof KilnException) {
            return e;
        }
        if (ex.cancelled || e instanceof CancellationException) {
            return new KilnException(ErrorCode.CANCELLED, "fetch " + uri + " was aborted", e);
        }
        return new KilnException(ErrorCode.NETWORK_FAILED, "fetch " + uri + " failed: " + message(e), e);
    }

    /** The failure under the futures' wrappers ({@code CompletionException}, {@code ExecutionException}). */
    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** The exception's class and message, for an error's text. */
    static String message(Throwable e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return m == null || m.isBlank() ? kind : kind + ": " + m;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the body is being given up anyway
        }
    }
}
