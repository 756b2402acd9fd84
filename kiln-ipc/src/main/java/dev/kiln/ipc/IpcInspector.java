package dev.kiln.ipc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live IPC inspector ({@code kiln run --inspect-ipc}): a page on a loopback HTTP server, under a
 * fresh secret path, that shows every IPC event of an engine as it happens, with filters, pause and
 * per-channel counts, bytes and call latency.
 *
 * <p>Transport: the page reads the events as server-sent events from the same secret path, never
 * through the IPC bridge, so it never sees traffic of its own; a window that shows it is left out
 * with {@link #ignoreWindow}. Without the secret every path answers 404.
 *
 * <p>Cost: the engine's threads only offer each event to a bounded buffer per connected page (and a
 * replay buffer of the last {@value #REPLAY} events for pages that connect later); a page that falls
 * behind loses events, counted and shown on the page, and never slows the app.
 *
 * <p>Create it after {@code Desktop.start} when the app has windows: the JDK server reads its
 * settings when the JVM's first one is created (see kiln-window's AssetServer).
 *
 * <p>Threading: thread-safe. Each connected page is served by a thread of its own.
 */
public final class IpcInspector implements AutoCloseable {
    static final int REPLAY = 5_000;
    private static final int CLIENT_QUEUE = 20_000;

    private final HttpServer server;
    private final String secret;
    private final Subscription subscription;
    private final Set<String> ignored = new CopyOnWriteArraySet<>();
    private final ArrayDeque<Numbered> replay = new ArrayDeque<>(); // guarded by itself
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kiln-ipc-inspector");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    /** An event and its number; encoded as JSON by the page's own thread, not the engine's. */
    private record Numbered(IpcTrace trace, long seq) {
    }

    private static final class Client {
        final ArrayBlockingQueue<Numbered> queue = new ArrayBlockingQueue<>(CLIENT_QUEUE);
        final LongAdder dropped = new LongAdder();
    }

    private IpcInspector(Ipc ipc) throws IOException {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::serve);
        server.start();
        this.subscription = ipc.observe(this::observe);
    }

    /**
     * Starts an inspector of the engine on a loopback port of its own.
     *
     * @throws IOException if no loopback port can be bound
     */
    public static IpcInspector start(Ipc ipc) throws IOException {
        return new IpcInspector(Objects.requireNonNull(ipc, "ipc"));
    }

    /** The page's address, secret included: whoever has it sees the app's traffic. */
    public String url() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getAddress().getPort()
                + "/" + secret + "/";
    }

    /** Leaves a window's events out (the window that shows the inspector). */
    public void ignoreWindow(String windowId) {
        ignored.add(Objects.requireNonNull(windowId, "windowId"));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            subscription.unsubscribe();
            server.stop(0);
            threads.shutdownNow();
        }
    }

    private void observe(IpcTrace t) {
        if (t.windowId() != null && ignored.contains(t.windowId())) {
            return;
        }
        Numbered event = new Numbered(t, seq.incrementAndGet());
        synchronized (replay) {
            if (replay.size() >= REPLAY) {
                replay.poll();
            }
            replay.add(event);
        }
        for (Client c : clients) {
            if (!c.queue.offer(event)) {
                c.dropped.increment();
            }
        }
    }

    static String toJson(IpcTrace t, long seq) {
        ObjectNode o = PayloadCodec.MAPPER.createObjectNode();
        o.put("seq", seq);
        o.put("time", t.epochMillis());
        o.put("stage", t.stage().name().toLowerCase(java.util.Locale.ROOT));
        if (t.direction() != null) {
            o.put("direction", t.direction() == IpcTrace.Direction.TO_WINDOW ? "toWindow" : "fromWindow");
        }
        o.put("window", t.windowId());
        o.put("kind", t.kind() == null ? null : t.kind().name().toLowerCase(java.util.Locale.ROOT));
        o.put("channel", t.channel());
        o.put("size", t.size());
        o.put("preview", t.preview());
        o.put("callId", t.callId());
        o.put("code", t.code());
        o.put("reason", t.reason());
        if (t.stage() == IpcTrace.Stage.CALL_END) {
            o.put("durationMs", t.durationNanos() / 1e6);
        }
        return o.toString();
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String base = "/" + secret + "/";
            if (!"GET".equals(ex.getRequestMethod()) || !path.startsWith(base)) {
                respond(ex, 404, "text/plain", "Not found".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String rest = path.substring(base.length());
            if (rest.isEmpty()) {
                try (InputStream page = IpcInspector.class.getResourceAsStream("inspector.html")) {
                    respond(ex, 200, "text/html", page.readAllBytes());
                }
            } else if (rest.equals("events")) {
                stream(ex);
            } else {
                respond(ex, 404, "text/plain", "Not found".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** Server-sent events: the replay, then each event as it happens, until the page goes away. */
    private void stream(HttpExchange ex) throws IOException {
        Client client = new Client();
        List<Numbered> past;
        synchronized (replay) {
            past = new ArrayList<>(replay);
            clients.add(client); // under the replay's lock: no event is missed or sent twice
        }
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=UTF-8");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            StringBuilder sb = new StringBuilder();
            past.forEach(e -> sb.append("data: ").append(toJson(e.trace(), e.seq())).append("\n\n"));
            write(out, sb);
            long reportedDrops = 0;
            List<Numbered> batch = new ArrayList<>();
            while (!closed) {
                Numbered first = client.queue.poll(15, TimeUnit.SECONDS);
                if (first == null) {
                    sb.append(": keep-alive\n\n");
                } else {
                    batch.add(first);
                    client.queue.drainTo(batch, 999);
                    batch.forEach(e -> sb.append("data: ").append(toJson(e.trace(), e.seq())).append("\n\n"));
                    batch.clear();
                }
                long drops = client.dropped.sum();
                if (drops != reportedDrops) {
                    reportedDrops = drops;
                    sb.append("event: dropped\ndata: ").append(drops).append("\n\n");
                }
                write(out, sb);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the page went away
        } finally {
            clients.remove(client);
        }
    }

    private static void write(OutputStream out, StringBuilder sb) throws IOException {
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        sb.setLength(0);
    }

    private static void respond(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type + "; charset=UTF-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }
}
