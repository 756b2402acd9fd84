package dev.kiln.script;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A real HTTP server on 127.0.0.1 for the fetch tests, with a route per behaviour. */
final class LoopbackServer implements AutoCloseable {
    final HttpServer server;
    /** Released when a test is done with the slow routes, so that their handlers end. */
    final CountDownLatch release = new CountDownLatch(1);
    /** Counts the requests that reached /slow. */
    final CountDownLatch slowReached = new CountDownLatch(1);

    LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loopback-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/text", ex -> {
            ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            ex.getResponseHeaders().add("X-Test", "one");
            ex.getResponseHeaders().add("X-Test", "two");
            send(ex, 200, "héllo from the server".getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/echo", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String json = "{\"method\":\"" + ex.getRequestMethod() + "\",\"custom\":\"" + ex.getRequestHeaders().getFirst("X-Custom")
                    + "\",\"contentType\":\"" + ex.getRequestHeaders().getFirst("Content-Type")
                    + "\",\"accept\":\"" + ex.getRequestHeaders().getFirst("Accept")
                    + "\",\"length\":" + body.length + ",\"sum\":" + sum(body) + ",\"text\":"
                    + com.fasterxml.jackson.databind.node.TextNode.valueOf(new String(body, StandardCharsets.UTF_8)) + "}";
            ex.getResponseHeaders().add("Content-Type", "application/json");
            send(ex, 201, json.getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/binary", ex -> {
            byte[] b = new byte[256 * 1000];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) i;
            }
            ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
            send(ex, 200, b);
        });
        server.createContext("/chunks", ex -> {
            ex.sendResponseHeaders(200, 0); // chunked
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 1; i <= 3; i++) {
                    out.write(("chunk " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    sleep(150);
                }
            }
        });
        server.createContext("/slow", ex -> {
            slowReached.countDown();
            await(release);
            send(ex, 200, "late".getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/slow-body", ex -> {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write("first\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                await(release);
                out.write("never read\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the client went away: what an abort does
            }
        });
        server.createContext("/redirect", ex -> {
            ex.getResponseHeaders().add("Location", "/text");
            send(ex, 302, new byte[0]);
        });
        server.createContext("/see-other", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Location", "/echo");
            send(ex, 303, new byte[0]);
        });
        server.createContext("/loop", ex -> {
            ex.getResponseHeaders().add("Location", "/loop");
            send(ex, 302, new byte[0]);
        });
        server.createContext("/missing", ex -> send(ex, 404, "nothing here".getBytes(StandardCharsets.UTF_8)));
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    static long sum(byte[] b) {
        long s = 0;
        for (byte x : b) {
            s += x & 0xff;
        }
        return s;
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
