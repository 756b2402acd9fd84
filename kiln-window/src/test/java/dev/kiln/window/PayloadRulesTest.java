package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.IpcConfig;
import dev.kiln.ipc.IpcEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The payload rules in a real page: {@code window.runtime.send} refuses synchronously, with 7003 and
 * the path, what JSON would drop or corrupt; and what it accepts, the host decodes and delivers.
 */
@ExtendWith(RealWindowExtension.class)
@Timeout(120)
class PayloadRulesTest {
    private static final long LIMIT = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Desktop desktop;
    private static AppWindow page;

    /** Page helpers the generated expressions use. */
    private static final String HELPERS = """
            window.nest = (d, leaf) => { let v = leaf; for (let i = 0; i < d; i++) v = [v]; return v; };
            window.nestObj = (d, leaf) => { let v = leaf; for (let i = 0; i < d; i++) v = { k: v }; return v; };
            window.cyclic = () => { const o = { a: [1, { b: null }] }; o.a[1].b = o; return o; };
            window.trySend = (channel, make) => {
              let value;
              try { value = make(); } catch (e) { return { made: false, error: String(e) }; }
              try {
                window.runtime.send(channel, value);
                const text = JSON.stringify(value);
                return { accepted: true, json: text === undefined ? 'null' : text };
              } catch (e) {
                return { accepted: false, isError: e instanceof Error, code: e.code, message: e.message };
              }
            };
            true
            """;

    @BeforeAll
    static void start() throws Exception {
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false)
                .withIpc(IpcConfig.builder().maxPayloadBytes(LIMIT).build()));
        page = Pages.open(desktop, "app://echo.html");
        Pages.eval(page, HELPERS);
    }

    @AfterAll
    static void stop() {
        desktop.close();
    }

    private static JsonNode attempt(String channel, String jsExpression) throws Exception {
        return JSON.readTree(Pages.eval(page, "trySend(" + BridgeProtocol.quote(channel) + ", () => (" + jsExpression + "))"));
    }

    private static void assertRefused(String jsExpression, String messageAfterPrefix) throws Exception {
        JsonNode r = attempt("refused", jsExpression);
        assertThat(r.get("accepted").asBoolean()).as(jsExpression).isFalse();
        assertThat(r.get("isError").asBoolean()).isTrue();
        assertThat(r.get("code").asInt()).isEqualTo(7003);
        assertThat(r.get("message").asText()).as(jsExpression)
                .isEqualTo("[7003] Payload cannot be serialized to JSON: " + messageAfterPrefix);
    }

    @Test
    void valuesJsonWouldCorruptAreRefusedNamingTheirPath() throws Exception {
        try (EventStream refused = desktop.ipc().channelEvents("refused")) {
            assertRefused("new Map([[1, 2]])", "the payload is a Map, which JSON would write as {}");
            assertRefused("{ a: { s: new Set() } }", "payload.a.s is a Set, which JSON would write as {}");
            assertRefused("[1, new WeakMap()]", "payload[1] is a WeakMap, which JSON would write as {}");
            assertRefused("{ 'odd key': [new WeakSet()] }", "payload[\"odd key\"][0] is a WeakSet, which JSON would write as {}");
            assertRefused("{ p: Promise.resolve(1) }", "payload.p is a Promise, which JSON would write as {}");
            assertRefused("[0, [NaN]]", "payload[1][0] is NaN, which JSON cannot represent");
            assertRefused("{ x: Infinity }", "payload.x is Infinity, which JSON cannot represent");
            assertRefused("-Infinity", "the payload is -Infinity, which JSON cannot represent");
            assertRefused("{ n: new Number(NaN) }", "payload.n is NaN, which JSON cannot represent");
            assertRefused("{ fake: { '\\u0000kiln': 'Uint8Array', b: 'AA==' } }",
                    "payload.fake is an object with Kiln's binary marker key");
            assertRefused("cyclic()", "payload.a[1].b is a cycle: it contains itself");
            assertRefused("{ f() {} }", "payload.f is a function");
            assertRefused("{ n: 1n }", "payload.n is a bigint");
            assertRefused("nest(" + (IpcConfig.MAX_PAYLOAD_DEPTH + 1) + ", 0)",
                    "payload" + "[0]".repeat(IpcConfig.MAX_PAYLOAD_DEPTH) + " is nested deeper than 512 levels");
            assertRefused("nestObj(100000, 0)", "payload" + ".k".repeat(IpcConfig.MAX_PAYLOAD_DEPTH)
                    + " is nested deeper than 512 levels");
            assertThat(refused.poll(Duration.ofMillis(300))).as("nothing refused reaches the host").isNull();
        }
    }

    /**
     * The page runs the script host's payload check (kiln-ipc's payload-check.js), so the same payload
     * gives the same message on both sides; kiln-script's PayloadRulesTest asserts these very texts.
     * A getter or toJSON that throws is named by its path too.
     */
    @Test
    void theMessagesAreTheScriptHostsToo() throws Exception {
        try (EventStream refused = desktop.ipc().channelEvents("refused")) {
            assertRefused("{ a: [0, { 'odd key': new Map() }] }",
                    "payload.a[1][\"odd key\"] is a Map, which JSON would write as {}");
            assertRefused("{ outer: { get broken() { throw new Error('no value'); } } }",
                    "payload.outer.broken threw Error: no value");
            assertRefused("{ when: { toJSON() { throw new RangeError('bad date'); } } }",
                    "payload.when.toJSON() threw RangeError: bad date");
            assertThat(refused.poll(Duration.ofMillis(300))).as("nothing refused reaches the host").isNull();
        }
    }

    @Test
    void jsonRulesApplyToEverythingElseAndTheHostGetsExactlyThat() throws Exception {
        long malformedBefore = desktop.ipc().stats().inboundMalformed();
        try (EventStream ok = desktop.ipc().channelEvents("ok")) {
            String[] sent = {
                "{ a: undefined, b: [1, undefined], d: new Date(0) }",
                "({ toJSON() { return undefined; } })",
                "nest(" + IpcConfig.MAX_PAYLOAD_DEPTH + ", 'deepest')",
                "'\\ud800 lone surrogate and \\u00e9\\u20ac\\ud83d\\ude00'",
                "{ s: new String('boxed'), b: new Boolean(false), n: new Number(5) }",
            };
            String[] expected = {
                "{\"b\":[1,null],\"d\":\"1970-01-01T00:00:00.000Z\"}",
                "null",
                "[".repeat(IpcConfig.MAX_PAYLOAD_DEPTH) + "\"deepest\"" + "]".repeat(IpcConfig.MAX_PAYLOAD_DEPTH),
                null, // whatever JSON.stringify wrote: compared below
                "{\"s\":\"boxed\",\"b\":false,\"n\":5}",
            };
            for (int i = 0; i < sent.length; i++) {
                JsonNode r = attempt("ok", sent[i]);
                assertThat(r.get("accepted").asBoolean()).as(sent[i] + " " + r).isTrue();
                IpcEvent e = ok.poll(Duration.ofSeconds(20));
                assertThat(e).as(sent[i]).isNotNull();
                assertThat(e.payloadJson()).isEqualTo(expected[i] != null ? expected[i] : r.get("json").asText());
                assertThat(e.payload()).isNotNull(); // the host parses it too
            }
        }
        assertThat(desktop.ipc().stats().inboundMalformed()).isEqualTo(malformedBefore);
    }

    /**
     * Generated payloads around every limit, all sent in one task (so one batch mixes accepted and
     * refused ones): each one send accepted arrives once, in order, as the text JSON.stringify made;
     * each one it refused threw a coded Error at once; the host refuses none.
     */
    @Test
    void whatSendAcceptsIsDeliveredAndWhatItRefusesThrowsACode() throws Exception {
        Random random = new Random(20261202L);
        List<String> expressions = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            expressions.add(generate(random));
        }
        long malformedBefore = desktop.ipc().stats().inboundMalformed();
        try (EventStream gen = desktop.ipc().channelEvents("gen")) {
            StringBuilder js = new StringBuilder("(() => { const out = [];\n");
            for (String e : expressions) {
                js.append("out.push(trySend('gen', () => (").append(e).append(")));\n");
            }
            js.append("return out; })()");
            JsonNode results = JSON.readTree(Pages.eval(page, js.toString()));
            List<String> acceptedJson = new ArrayList<>();
            int refused = 0;
            for (int i = 0; i < results.size(); i++) {
                JsonNode r = results.get(i);
                assertThat(r.has("made")).as("the generator made a value: %s %s", expressions.get(i), r).isFalse();
                if (r.get("accepted").asBoolean()) {
                    acceptedJson.add(r.get("json").asText());
                } else {
                    refused++;
                    assertThat(r.get("isError").asBoolean()).isTrue();
                    assertThat(r.get("code").asInt()).as(expressions.get(i)).isEqualTo(7003);
                    assertThat(r.get("message").asText()).startsWith("[7003] ");
                }
            }
            assertThat(acceptedJson).as("some accepted").hasSizeGreaterThan(50);
            assertThat(refused).as("some refused").isGreaterThan(50);
            for (int i = 0; i < acceptedJson.size(); i++) {
                IpcEvent e = gen.poll(Duration.ofSeconds(20));
                assertThat(e).as("accepted payload %d of %d", i + 1, acceptedJson.size()).isNotNull();
                assertThat(e.payloadJson()).isEqualTo(acceptedJson.get(i));
            }
            assertThat(gen.poll(Duration.ofMillis(300))).isNull();
        }
        assertThat(desktop.ipc().stats().inboundMalformed()).isEqualTo(malformedBefore);
    }

    /** A JavaScript expression for a payload near one of the limits, or a kind JSON would corrupt. */
    private static String generate(Random r) {
        int depth = IpcConfig.MAX_PAYLOAD_DEPTH;
        String[] units = {"x", "\\u00e9", "\\u20ac", "\\ud83d\\ude00", "\\ud800", "\\udc00", "\\\"", "\\n"};
        String[] bad = {"new Map()", "new Set([1])", "NaN", "-Infinity", "new WeakMap()", "new WeakSet()",
            "Promise.resolve()", "cyclic()", "() => 1", "Symbol('s')", "2n", "Infinity"};
        String[] good = {"null", "true", "0", "-1.5e-7", "'text'", "undefined", "new Date(86400000)", "[]", "{}",
            "{ u: undefined }", "[undefined]"};
        switch (r.nextInt(6)) {
            case 0: // depth around the limit, arrays or objects
                return (r.nextBoolean() ? "nest(" : "nestObj(") + (depth - 2 + r.nextInt(5)) + ", "
                        + good[r.nextInt(good.length)] + ")";
            case 1: { // size around the limit in bytes, with multi-byte characters and lone surrogates
                String unit = units[r.nextInt(units.length)];
                int bytesPerUnit = switch (unit) {
                    case "x" -> 1;
                    case "\\u00e9", "\\\"", "\\n" -> 2;
                    case "\\ud83d\\ude00" -> 4;
                    default -> 3;
                };
                long n = (LIMIT - 2) / bytesPerUnit - 3 + r.nextInt(7);
                return "'" + unit + "'.repeat(" + n + ")";
            }
            case 2: // a bad value somewhere inside good ones
                return "{ a: [" + good[r.nextInt(good.length)] + ", { b: " + bad[r.nextInt(bad.length)] + " }] }";
            case 3: // a bad value at the top
                return bad[r.nextInt(bad.length)];
            case 4: { // mixed small structures
                StringBuilder s = new StringBuilder("{");
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    s.append("'k").append(units[r.nextInt(units.length)]).append(i).append("': ")
                            .append(good[r.nextInt(good.length)]).append(", ");
                }
                return s.append("}").toString();
            }
            default: // an array near the byte limit with a nested bad value or not
                return "[" + "'" + units[r.nextInt(3)] + "'.repeat(" + (LIMIT / 2 - 10 + r.nextInt(20)) + "), "
                        + (r.nextBoolean() ? good[r.nextInt(good.length)] : bad[r.nextInt(bad.length)]) + "]";
        }
    }
}
