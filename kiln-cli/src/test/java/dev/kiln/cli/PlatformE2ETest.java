package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * fetch, runtime:net, runtime:process, runtime:sys and runtime:wasm in an app run by the real
 * {@code ./kiln}, asked for by its page through invoke (kiln-cli/src/test/fixtures/platform), with a
 * real HTTP server on loopback.
 */
@Tag("e2e")
@Timeout(300)
class PlatformE2ETest {
    private static final String APP = "kiln-cli/src/test/fixtures/platform";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void thePageGetsWhatThePlatformModulesDid() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hello", ex -> {
            byte[] got = ex.getRequestBody().readAllBytes();
            byte[] body = ("hello, " + new String(got, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/json", ex -> {
            byte[] body = "{\"temperature\":21.5,\"accept\":\"ACCEPT\"}".replace("ACCEPT",
                    String.valueOf(ex.getRequestHeaders().getFirst("Accept"))).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try (KilnProcess kiln = KilnProcess.run(APP, Map.of("KILN_FIXTURE_BASE", base))) {
            try {
                kiln.command("wait-ready main 60000");
                kiln.command("eval main run('fetch'), run('fetchJson'), run('denied'), run('process'), run('sys'), run('wasm'), 1");
                assertThat(page(kiln, "fetch")).isEqualTo(JSON.readTree(
                        "{\"ok\":true,\"value\":{\"status\":200,\"type\":\"text/plain\",\"text\":\"hello, from the app\"}}"));
                assertThat(page(kiln, "fetchJson")).isEqualTo(JSON.readTree(
                        "{\"ok\":true,\"value\":{\"temperature\":21.5,\"accept\":\"application/json\"}}"));
                JsonNode denied = page(kiln, "denied");
                assertThat(denied.get("code").intValue()).isEqualTo(7020);
                assertThat(denied.get("message").asText()).startsWith("[7020] Connecting to localhost:1 is not allowed");
                assertThat(page(kiln, "process")).isEqualTo(JSON.readTree(
                        "{\"ok\":true,\"value\":{\"lines\":[\"got ping\"],\"exit\":{\"success\":false,\"code\":4,\"signal\":null}}}"));
                JsonNode sys = page(kiln, "sys").get("value");
                assertThat(sys.get("os").asText()).isEqualTo("linux");
                assertThat(sys.get("cpuCount").intValue()).isEqualTo(Runtime.getRuntime().availableProcessors());
                assertThat(page(kiln, "wasm")).isEqualTo(JSON.readTree("{\"ok\":true,\"value\":[42]}"));
                assertThat(kiln.result("wasm", Duration.ofSeconds(10)).get("ok").asBoolean()).isTrue();
            } catch (Exception | AssertionError e) {
                System.err.println("Screenshot of the failed test: " + kiln.screenshot("main", "FAILED-platform"));
                throw e;
            }
        } finally {
            server.stop(0);
        }
    }

    private static JsonNode page(KilnProcess kiln, String name) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String js = "window.outcomes['" + name + "'] === undefined ? null : window.outcomes['" + name + "']";
        String last;
        while ((last = kiln.command("eval main " + js)).equals("null")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The page's " + name + " did not settle; out: " + kiln.out + "; err: " + kiln.err);
            }
            Thread.sleep(50);
        }
        return JSON.readTree(last);
    }
}
