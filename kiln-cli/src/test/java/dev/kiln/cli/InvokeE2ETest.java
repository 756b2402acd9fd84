package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * invoke/handle between a TypeScript app and a real page, both ways, through {@code ./kiln run}:
 * the calls fixture (kiln-cli/src/test/fixtures/calls). The host prints {@code result <name> <JSON>}
 * lines; the page keeps its outcomes in {@code window.outcomes} and what its handlers saw in {@code window.seen}.
 */
@Tag("e2e")
@Timeout(300)
class InvokeE2ETest {
    private static final String APP = "kiln-cli/src/test/fixtures/calls";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode pageOutcome(KilnProcess kiln, String name) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String js = "window.outcomes['" + name + "'] === undefined ? null : window.outcomes['" + name + "']";
        String last;
        while ((last = kiln.command("eval main " + js)).equals("null")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The page call " + name + " did not settle; out: " + kiln.out);
            }
            Thread.sleep(50);
        }
        return JSON.readTree(last);
    }

    private static JsonNode result(KilnProcess kiln, String name) throws Exception {
        return kiln.result(name, WAIT);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    /** Every binary kind came back as the same type with the same bytes. */
    private static void assertBinaryKept(JsonNode kept) {
        assertThat(kept.size()).isEqualTo(15);
        kept.fields().forEachRemaining(e -> assertThat(e.getValue().asBoolean()).as(e.getKey()).isTrue());
    }

    @Test
    void thePageCallsTheAppsHandlers() throws Exception {
        KilnProcess.drive(APP, "invoke-page-to-ts", kiln -> {
            kiln.command("wait-ready main 60000");
            assertThat(result(kiln, "duplicate").get("code").intValue()).isEqualTo(7000);
            kiln.command("eval main call('add', 'add', { a: 2, b: 3 }), call('void', 'void'), call('coded', 'coded'),"
                    + " call('numbered', 'numbered'), call('broken', 'broken'), call('removed', 'removed'),"
                    + " call('denied', 'secret'), 1");
            assertThat(pageOutcome(kiln, "add")).isEqualTo(json("{\"ok\":true,\"value\":{\"total\":5,\"window\":\"main\"}}"));
            assertThat(pageOutcome(kiln, "void").get("value").asText()).isEqualTo("undefined");
            assertThat(pageOutcome(kiln, "coded")).isEqualTo(json("{\"ok\":false,\"isIpcError\":true,\"code\":\"E_QUOTA\","
                    + "\"message\":\"Quota exceeded\",\"data\":{\"limit\":10,\"nested\":[{\"deep\":true}]}}"));
            assertThat(pageOutcome(kiln, "numbered")).isEqualTo(json(
                    "{\"ok\":false,\"isIpcError\":true,\"code\":404,\"message\":\"No such note\"}"));
            assertThat(pageOutcome(kiln, "broken")).isEqualTo(json("{\"ok\":false,\"isIpcError\":true,\"code\":7009,"
                    + "\"message\":\"[7009] The handler for channel 'broken' failed: disk on fire\"}"));
            assertThat(kiln.err).anyMatch(l -> l.contains("The handler for channel 'broken' failed: Error: disk on fire"));
            assertThat(pageOutcome(kiln, "denied").get("code").intValue()).isEqualTo(7004);
            assertThat(pageOutcome(kiln, "removed").get("code").intValue()).isEqualTo(7006);
            // timeout and abort reach the handler's signal; a reload aborts what works for the old page
            kiln.command("eval main window.ac = new AbortController(), call('timed', 'slow', 'timed', { timeout: 2000 }),"
                    + " call('aborted', 'slow', 'aborted', { signal: ac.signal }), call('reload', 'slow', 'reload'), 1");
            assertThat(result(kiln, "slow-started timed").get("deadline").asBoolean()).isTrue();
            assertThat(result(kiln, "slow-started aborted").get("deadline").isNull()).isTrue();
            result(kiln, "slow-started reload");
            assertThat(pageOutcome(kiln, "timed").get("code").intValue()).isEqualTo(7007);
            assertThat(result(kiln, "slow-aborted timed").get("code").intValue()).isEqualTo(7007);
            kiln.command("eval main ac.abort(), 1");
            assertThat(pageOutcome(kiln, "aborted").get("code").intValue()).isEqualTo(7008);
            assertThat(result(kiln, "slow-aborted aborted").get("code").intValue()).isEqualTo(7008);
            kiln.command("eval main location.reload(), 1");
            assertThat(result(kiln, "slow-aborted reload").get("code").intValue()).isEqualTo(7002);
            kiln.command("wait-ready main 60000");
            kiln.command("eval main window.kinds = binaryKinds(), runtime.invoke('echo', kinds)"
                    + ".then((back) => { window.binaryBack = sameBinary(kinds, back); }), 1");
            kiln.awaitEval("main", "window.binaryBack !== undefined", "true", WAIT);
            assertBinaryKept(JSON.readTree(kiln.command("eval main window.binaryBack")));
            kiln.command("eval main Promise.all(Array.from({ length: 10000 }, (_, i) => runtime.invoke('square', i)))"
                    + ".then((r) => { window.squares = r.every((v, i) => v === i * i) ? r.length : -1; }), 1");
            kiln.awaitEval("main", "window.squares", "10000", WAIT);
        });
    }

    @Test
    void theAppCallsThePagesHandlers() throws Exception {
        KilnProcess.drive(APP, "invoke-ts-to-page", kiln -> {
            assertThat(result(kiln, "early")).isEqualTo(json("{\"ok\":true,\"value\":10}"));
            kiln.command("eval main runtime.send('go', 'answers'), 1");
            assertThat(result(kiln, "double").get("value").intValue()).isEqualTo(42);
            assertThat(result(kiln, "later").get("value")).isEqualTo(json("{\"later\":{\"x\":1}}"));
            assertThat(result(kiln, "nothing").get("value").asText()).isEqualTo("undefined");
            assertThat(result(kiln, "fails-coded")).isEqualTo(json("{\"ok\":false,\"isIpcError\":true,\"code\":\"E_BUSY\","
                    + "\"message\":\"Busy now\",\"data\":{\"retry\":[1,{\"in\":2}]}}"));
            assertThat(result(kiln, "fails-number")).isEqualTo(json(
                    "{\"ok\":false,\"isIpcError\":true,\"code\":410,\"message\":\"Gone\"}"));
            assertThat(result(kiln, "fails-plain").get("message").asText())
                    .isEqualTo("[7009] The handler for channel 'fails-plain' failed: x is not a function");
            assertThat(result(kiln, "nobody").get("code").intValue()).isEqualTo(7006);
            assertThat(result(kiln, "denied").get("code").intValue()).isEqualTo(7004);
            assertThat(result(kiln, "unknown-window").get("code").intValue()).isEqualTo(7002);
            assertThat(result(kiln, "bad-timeout").get("code").intValue()).isEqualTo(7000);
            assertThat(result(kiln, "bad-payload").get("code").intValue()).isEqualTo(7003);

            kiln.command("eval main runtime.send('go', 'give-up'), 1");
            assertThat(result(kiln, "timed").get("code").intValue()).isEqualTo(7007);
            kiln.awaitEval("main", "seen.timed.aborted.code", "7007", WAIT);
            assertThat(result(kiln, "cancelled").get("code").intValue()).isEqualTo(7008);
            kiln.awaitEval("main", "seen.cancelled.aborted.code", "7008", WAIT);

            kiln.command("eval main runtime.send('go', 'reload'), 1");
            kiln.awaitEval("main", "seen.reload !== undefined", "true", WAIT);
            kiln.command("eval main location.reload(), 1");
            JsonNode reload = result(kiln, "reload");
            assertThat(reload.get("code").intValue()).isEqualTo(7002);
            assertThat(reload.get("message").asText()).contains("its page went away");

            kiln.command("wait-ready main 60000");
            kiln.command("eval main runtime.send('go', 'binary'), 1");
            assertBinaryKept(result(kiln, "binary"));
            kiln.command("eval main runtime.send('go', 'many'), 1");
            assertThat(result(kiln, "many").intValue()).isEqualTo(10000);
        });
    }
}
