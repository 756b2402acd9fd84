package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code kiln run --inspect-brk}: a Chrome DevTools Protocol client (the JDK's WebSocket) attaches to
 * the real app, sets a breakpoint at a main.ts line through the script's source map, hits it and
 * reads a local variable; and Node's own debugger does the same. Fixture: kiln-cli/src/test/fixtures/debug.
 */
@Tag("e2e")
@Timeout(180)
class DebuggerE2ETest {
    private static final String APP = "kiln-cli/src/test/fixtures/debug";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("Debugger listening on (ws://([0-9.]+:[0-9]+)/[-0-9a-f]+)");

    @Test
    void aDebuggerStopsAtATypeScriptLineAndReadsALocal() throws Exception {
        try (KilnProcess kiln = KilnProcess.launch("run", "--headless", "--inspect-brk=127.0.0.1:0", APP)) {
            try {
                stopAtATypeScriptLine(kiln);
            } catch (AssertionError e) {
                throw withThreadDump(kiln, e);
            }
        }
    }

    /**
     * A failed session, with what the app printed and its JVM's threads (target/debugger-threads.txt):
     * a request left unanswered at a breakpoint was seen once in CI and never reproduced since.
     */
    private static AssertionError withThreadDump(KilnProcess kiln, AssertionError e) {
        StringBuilder dump = new StringBuilder();
        kiln.process.descendants().filter(p -> p.info().command().orElse("").endsWith("java")).forEach(p -> {
            try {
                Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(p.pid()), "Thread.print").redirectErrorStream(true).start();
                dump.append(new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.IOException io) {
                dump.append("jcmd failed: ").append(io).append('\n');
            }
        });
        Path file = Path.of("target", "debugger-threads.txt").toAbsolutePath();
        try {
            Files.writeString(file, dump);
        } catch (java.io.IOException io) {
            e.addSuppressed(io);
        }
        return new AssertionError(e.getMessage() + "; kiln's stderr: " + kiln.err + "; threads: " + file, e);
    }

    private static void stopAtATypeScriptLine(KilnProcess kiln) throws Exception {
        Matcher m = awaitListening(kiln);
        String ws = m.group(1);
        String hostPort = m.group(2);

        HttpClient http = HttpClient.newHttpClient();
        JsonNode list = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://" + hostPort + "/json/list"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(list.get(0).get("webSocketDebuggerUrl").asText()).isEqualTo(ws);
        assertThat(list.get(0).get("url").asText()).endsWith("/debug/src/main.ts");
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://" + hostPort + "/json/version")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(statusWithHost(hostPort, "attacker.example")).isEqualTo(403); // DNS rebinding
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://" + hostPort + "/json/nothing")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

        Cdp cdp = new Cdp(http, ws);
        cdp.call("Runtime.enable", null);
        cdp.call("Debugger.enable", null);
        cdp.call("Runtime.runIfWaitingForDebugger", null);

        // --inspect-brk: paused before main's first statement; main.ts is parsed by then.
        JsonNode firstPause = cdp.event("Debugger.paused", e -> true);
        JsonNode script = cdp.event("Debugger.scriptParsed", e -> e.get("url").asText().endsWith("main.ts"));
        assertThat(firstPause.get("callFrames").get(0).get("location").get("scriptId").asText())
                .isEqualTo(script.get("scriptId").asText());
        String mapUrl = script.get("sourceMapURL").asText();
        assertThat(mapUrl).startsWith("data:application/json");
        JsonNode map = JSON.readTree(Base64.getDecoder().decode(mapUrl.substring(mapUrl.indexOf(",") + 1)));
        List<String> tsLines = Files.readAllLines(KilnProcess.ROOT.resolve(APP).resolve("src/main.ts"));
        assertThat(map.get("sourcesContent").get(0).asText()).isEqualTo(String.join("\n", tsLines) + "\n");
        int tsLine = indexOf(tsLines, "return { count };");
        int jsLine = generatedLine(map.get("mappings").asText(), tsLine);
        assertThat(jsLine).as("the compiler dropped the types: the lines differ").isNotEqualTo(tsLine);

        ObjectNode where = JSON.createObjectNode().put("url", script.get("url").asText()).put("lineNumber", jsLine);
        JsonNode bp = cdp.call("Debugger.setBreakpointByUrl", where);
        assertThat(bp.get("locations")).hasSize(1);
        cdp.call("Debugger.resume", null);

        JsonNode hit = cdp.event("Debugger.paused", e -> e.get("hitBreakpoints").size() > 0);
        JsonNode frame = hit.get("callFrames").get(0);
        assertThat(frame.get("functionName").asText()).isEqualTo("total");
        assertThat(frame.get("location").get("lineNumber").asInt()).isEqualTo(jsLine);
        JsonNode value = cdp.call("Debugger.evaluateOnCallFrame", JSON.createObjectNode()
                .put("callFrameId", frame.get("callFrameId").asText()).put("expression", "count"));
        assertThat(value.get("result").get("value").asInt()).isEqualTo(32);
        String local = frame.get("scopeChain").get(0).get("object").get("objectId").asText();
        JsonNode props = cdp.call("Runtime.getProperties", JSON.createObjectNode().put("objectId", local));
        assertThat(props.get("result")).anySatisfy(p -> {
            assertThat(p.get("name").asText()).isEqualTo("count");
            assertThat(p.get("value").get("value").asInt()).isEqualTo(32);
        });

        cdp.call("Debugger.resume", null);
        kiln.awaitOut("result total {\"count\":32}", Duration.ofSeconds(30));
        assertThat(kiln.awaitExit(Duration.ofSeconds(60))).isZero();
    }

    /**
     * A debugger Kiln did not write: Node's built-in one ({@code node inspect host:port}, a Chrome
     * DevTools Protocol client that finds the target through /json/list, as Chrome's chrome://inspect
     * and VS Code do) attaches, stops on the first line, sets a breakpoint, continues to it, reads two
     * locals, and lets the app finish. It does not read source maps, so its lines are the JavaScript's.
     */
    @Test
    void nodesBuiltInDebuggerAttachesBreaksAndReadsLocals() throws Exception {
        try (KilnProcess kiln = KilnProcess.launch("run", "--headless", "--inspect-brk=127.0.0.1:0", APP);
                Repl node = new Repl("node", "inspect", awaitListening(kiln).group(2))) {
            node.await(Pattern.compile("break in \\S*main\\.ts:1\\b"));
            node.send("list(20)");
            Matcher returnLine = node.await(Pattern.compile("(\\d+)\\s+return \\{"));
            int jsLine = Integer.parseInt(returnLine.group(1));
            node.send("sb('main.ts', " + jsLine + ")");
            node.send("c");
            node.await(Pattern.compile("break in \\S*main\\.ts:" + jsLine + "\\b"));
            node.send("exec [count, order.items.join('+')]");
            node.await(Pattern.compile("\\[ 32, 'a\\+b\\+c' \\]"));
            node.send("c");
            kiln.awaitOut("result total {\"count\":32}", Duration.ofSeconds(30));
            assertThat(kiln.awaitExit(Duration.ofSeconds(60))).isZero();
        }
    }

    @Test
    void aBadAddressIsAClearError() throws Exception {
        try (KilnProcess kiln = KilnProcess.launch("run", "--headless", "--inspect=notaport", APP)) {
            assertThat(kiln.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(String.join("\n", kiln.err)).contains("--inspect takes [host:]port");
        }
    }

    private static Matcher awaitListening(KilnProcess kiln) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            synchronized (kiln.err) {
                for (String line : kiln.err) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        return m;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("kiln printed no debugger address; err: " + kiln.err);
    }

    /** The HTTP status of /json/list asked for with the given Host header (the JDK client will not set it). */
    private static int statusWithHost(String hostPort, String host) throws Exception {
        String[] hp = hostPort.split(":");
        try (Socket s = new Socket(hp[0], Integer.parseInt(hp[1]))) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /json/list HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with " + text);
    }

    /** The first generated line (0-based) that a source map's mappings map to the given source line. */
    static int generatedLine(String mappings, int sourceLine) {
        int srcLine = 0;
        String[] lines = mappings.split(";", -1);
        for (int gen = 0; gen < lines.length; gen++) {
            for (String segment : lines[gen].split(",")) {
                if (segment.isEmpty()) {
                    continue;
                }
                int[] v = vlq(segment);
                if (v.length >= 4) {
                    srcLine += v[2];
                    if (srcLine == sourceLine) {
                        return gen;
                    }
                }
            }
        }
        throw new AssertionError("no mapping for source line " + sourceLine);
    }

    private static int[] vlq(String segment) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        List<Integer> values = new ArrayList<>();
        int value = 0;
        int shift = 0;
        for (char c : segment.toCharArray()) {
            int digit = alphabet.indexOf(c);
            value += (digit & 31) << shift;
            if ((digit & 32) != 0) {
                shift += 5;
            } else {
                values.add((value & 1) != 0 ? -(value >> 1) : value >> 1);
                value = 0;
                shift = 0;
            }
        }
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A command-line program driven through its standard input, its output (both streams) read as it comes. */
    private static final class Repl implements AutoCloseable {
        private final Process process;
        private final StringBuffer output = new StringBuffer();
        private int searchFrom;

        Repl(String... command) throws Exception {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Thread reader = new Thread(() -> {
                try (InputStream in = process.getInputStream()) {
                    byte[] buffer = new byte[4096];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (java.io.IOException e) {
                    // the program ended
                }
            }, "repl-output");
            reader.setDaemon(true);
            reader.start();
        }

        void send(String line) throws Exception {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** Waits for the pattern in the output after the previous match. */
        Matcher await(Pattern pattern) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                Matcher m = pattern.matcher(output.toString());
                if (m.find(searchFrom)) {
                    searchFrom = m.end();
                    return m;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no " + pattern + " within 60 s; output: " + output);
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    /** A minimal CDP client: numbered calls and their responses, and the events seen so far. */
    private static final class Cdp implements WebSocket.Listener {
        private final AtomicInteger ids = new AtomicInteger();
        private final BlockingQueue<JsonNode> incoming = new LinkedBlockingQueue<>();
        private final List<JsonNode> seen = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private final WebSocket socket;

        Cdp(HttpClient http, String url) throws Exception {
            socket = http.newWebSocketBuilder().buildAsync(URI.create(url), this).get(30, TimeUnit.SECONDS);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    incoming.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        JsonNode call(String method, JsonNode params) throws Exception {
            int id = ids.incrementAndGet();
            ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
            if (params != null) {
                message.set("params", params);
            }
            socket.sendText(message.toString(), true).get(10, TimeUnit.SECONDS);
            JsonNode answer = next(m -> m.path("id").asInt(-1) == id, method);
            assertThat(answer.has("error")).as(method + ": " + answer).isFalse();
            return answer.get("result");
        }

        JsonNode event(String method, Predicate<JsonNode> params) throws Exception {
            return next(m -> method.equals(m.path("method").asText()) && params.test(m.get("params")), method)
                    .get("params");
        }

        private JsonNode next(Predicate<JsonNode> which, String what) throws Exception {
            for (JsonNode m : seen) {
                if (which.test(m)) {
                    seen.remove(m);
                    return m;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                JsonNode m = incoming.poll(100, TimeUnit.MILLISECONDS);
                if (m == null) {
                    continue;
                }
                if (which.test(m)) {
                    return m;
                }
                seen.add(m);
            }
            throw new AssertionError("no " + what + " within 60 s; seen: " + seen);
        }
    }
}
