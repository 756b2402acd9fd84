package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ipc.OutboundMessage;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The script host's payload rules, the same as the page's: JSON.stringify's, except that what JSON
 * would silently corrupt is refused at the call with 7003 naming where it sits.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PayloadRulesTest {
    @TempDir
    Path dir;

    private static final String ATTEMPT = """
            import { sendToWindow } from "runtime:ipc";
            import { closeWindow } from "runtime:window";
            async function attempt(label: string, payload: unknown) {
              try {
                await sendToWindow("main", "p", payload);
                console.log(label, "sent");
              } catch (e) {
                console.log(label, e instanceof Error, e.code, e.message);
              }
            }
            function nest(depth: number): any {
              let v: any = 1;
              for (let i = 0; i < depth; i++) v = [v];
              return v;
            }
            """;

    @Test
    void valuesJsonWouldCorruptAreRefusedWithTheirPath() {
        var r = new ScriptFixture(dir).run(ATTEMPT + """
                await attempt("map", { m: new Map([["k", 1]]) });
                await attempt("set", [1, new Set([1])]);
                await attempt("weakmap", { w: new WeakMap() });
                await attempt("weakset", { w: new WeakSet() });
                await attempt("promise", { p: Promise.resolve(1) });
                await attempt("nan", { n: NaN });
                await attempt("infinity", { list: [1, Infinity] });
                await attempt("minus-infinity", -Infinity);
                await attempt("marker", { "odd key": { "\\u0000kiln": "Uint8Array", b: "" } });
                await attempt("function", [() => 1]);
                await attempt("symbol", { s: Symbol("x") });
                await attempt("bigint", { big: 10n });
                const cyclic: any = { a: { b: {} } };
                cyclic.a.b.back = cyclic.a;
                await attempt("cycle", cyclic);
                await attempt("boxed-nan", { n: new Number(NaN) });
                closeWindow("main");
                """, w -> w.open("main"));

        assertThat(r.exitCode()).as(r.err()).isZero();
        String prefix = " true 7003 [7003] Payload cannot be serialized to JSON: ";
        assertThat(r.out().lines()).containsExactly(
                "map" + prefix + "payload.m is a Map, which JSON would write as {}",
                "set" + prefix + "payload[1] is a Set, which JSON would write as {}",
                "weakmap" + prefix + "payload.w is a WeakMap, which JSON would write as {}",
                "weakset" + prefix + "payload.w is a WeakSet, which JSON would write as {}",
                "promise" + prefix + "payload.p is a Promise, which JSON would write as {}",
                "nan" + prefix + "payload.n is NaN, which JSON cannot represent",
                "infinity" + prefix + "payload.list[1] is Infinity, which JSON cannot represent",
                "minus-infinity" + prefix + "the payload is -Infinity, which JSON cannot represent",
                "marker" + prefix + "payload[\"odd key\"] is an object with Kiln's binary marker key",
                "function" + prefix + "payload[0] is a function",
                "symbol" + prefix + "payload.s is a symbol",
                "bigint" + prefix + "payload.big is a bigint",
                "cycle" + prefix + "payload.a.b.back is a cycle: it contains itself",
                "boxed-nan" + prefix + "payload.n is NaN, which JSON cannot represent");
    }

    /**
     * The script host runs the page's payload check (kiln-ipc's payload-check.js), so the same payload
     * gives the same message on both sides; kiln-window's PayloadRulesTest asserts this very text.
     */
    @Test
    void theMessageIsThePagesToo() {
        var r = new ScriptFixture(dir).run(ATTEMPT + """
                await attempt("nested-map", { a: [0, { "odd key": new Map() }] });
                closeWindow("main");
                """, w -> w.open("main"));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("nested-map true 7003 [7003] Payload cannot be serialized to JSON: "
                + "payload.a[1][\"odd key\"] is a Map, which JSON would write as {}");
    }

    @Test
    void nestingIsLimitedTo512LevelsAndDeepPayloadsAreRefusedNotCrashed() {
        MemoryWindows.Page[] page = new MemoryWindows.Page[1];
        var r = new ScriptFixture(dir).run(ATTEMPT + """
                await attempt("512", nest(512));
                await attempt("513", nest(513));
                await attempt("5000", nest(5000));
                await attempt("100000", nest(100000));
                closeWindow("main");
                """, w -> page[0] = w.open("main"));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).hasSize(4);
        assertThat(r.out().lines().toList().get(0)).isEqualTo("512 sent");
        for (String line : r.out().lines().skip(1).toList()) {
            assertThat(line).matches("\\d+ true 7003 \\[7003\\] Payload cannot be serialized to JSON: "
                    + "payload(\\[0\\]){512} is nested deeper than 512 levels");
        }
        assertThat(page[0].received).extracting(OutboundMessage::payloadJson)
                .containsExactly("[".repeat(512) + "1" + "]".repeat(512));
    }

    @Test
    void aThrowingGetterOrToJsonIsRefusedWithItsPathAndMessage() {
        var r = new ScriptFixture(dir).run(ATTEMPT + """
                await attempt("getter", { outer: { get broken() { throw new Error("no value"); } } });
                await attempt("toJSON", { when: { toJSON() { throw new RangeError("bad date"); } } });
                closeWindow("main");
                """, w -> w.open("main"));

        assertThat(r.exitCode()).as(r.err()).isZero();
        String prefix = " true 7003 [7003] Payload cannot be serialized to JSON: ";
        assertThat(r.out().lines()).containsExactly(
                "getter" + prefix + "payload.outer.broken threw Error: no value",
                "toJSON" + prefix + "payload.when.toJSON() threw RangeError: bad date");
    }

    @Test
    void undefinedAndToJsonFollowJson() {
        MemoryWindows.Page[] page = new MemoryWindows.Page[1];
        var r = new ScriptFixture(dir).run(ATTEMPT + """
                await attempt("undefined-property", { a: undefined, b: 1 });
                await attempt("undefined-in-array", [1, undefined, 3]);
                await attempt("top-level-undefined", undefined);
                await attempt("date", { at: new Date(0) });
                await attempt("custom-toJSON", { v: { toJSON: () => ({ n: 2, skip: undefined }) } });
                await attempt("toJSON-returns-a-map", { v: { toJSON: () => new Map() } });
                await attempt("proto-key", JSON.parse('{"__proto__": {"x": 1}, "d": {"toJSON": null}}'));
                await attempt("boxed", [new Number(1), new String("s"), new Boolean(false)]);
                await attempt("toJSON-key", { when: { toJSON: (key: string) => "key " + key }, list: [{ toJSON: (k: string) => k }] });
                closeWindow("main");
                """, w -> page[0] = w.open("main"));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "undefined-property sent", "undefined-in-array sent", "top-level-undefined sent", "date sent",
                "custom-toJSON sent",
                "toJSON-returns-a-map true 7003 [7003] Payload cannot be serialized to JSON: payload.v is a Map, which JSON would write as {}",
                "proto-key sent", "boxed sent", "toJSON-key sent");
        assertThat(page[0].received).extracting(OutboundMessage::payloadJson).containsExactly(
                "{\"b\":1}", "[1,null,3]", "null", "{\"at\":\"1970-01-01T00:00:00.000Z\"}", "{\"v\":{\"n\":2}}",
                "{\"__proto__\":{\"x\":1},\"d\":{\"toJSON\":null}}", "[1,\"s\",false]",
                "{\"when\":\"key when\",\"list\":[\"0\"]}");
    }

    @Test
    void theSizeLimitCountsUtf8Bytes() {
        var fixture = new ScriptFixture(dir);
        MemoryWindows.Page[] page = new MemoryWindows.Page[1];
        // 1,000 bytes: the JSON string's quotes plus 998 one-byte or 499 two-byte characters
        var r = fixture.runApp(ScriptFixture.withLimit(1000), ATTEMPT + """
                await attempt("ascii-998", "a".repeat(998));
                await attempt("ascii-999", "a".repeat(999));
                await attempt("two-byte-499", "é".repeat(499));
                await attempt("two-byte-500", "é".repeat(500));
                closeWindow("main");
                """, w -> page[0] = w.open("main"));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "ascii-998 sent",
                "ascii-999 true 7003 [7003] Payload is 1001 bytes; the limit is 1000 bytes",
                "two-byte-499 sent",
                "two-byte-500 true 7003 [7003] Payload is 1002 bytes; the limit is 1000 bytes");
        assertThat(page[0].received).hasSize(2);
    }
}
