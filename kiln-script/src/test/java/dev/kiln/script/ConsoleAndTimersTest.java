package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** console, timers, microtasks, TextEncoder/TextDecoder, top-level await and relative imports in real V8. */
class ConsoleAndTimersTest {
    @TempDir
    Path dir;

    @Test
    void consoleFormatsValuesReadablyAndSplitsStreams() {
        var r = new ScriptFixture(dir).run("""
                class Point { constructor(public x: number, public y: number) {} }
                const cyclic: any = { name: "c" };
                cyclic.self = cyclic;
                console.log("text", 42, true, null, undefined, 10n);
                console.log({ count: 42, nested: { list: [1, 2, 3], s: "x" } });
                console.log([1, "two", { three: 3 }]);
                console.log(new Map([["k", 1]]), new Set([1, 2]));
                console.log(new Point(1, 2), cyclic);
                console.log(function named() {}, Symbol("s"));
                console.log("%s is %d years and %o", "Ada", 36.6, { a: 1 });
                console.info("info goes to stdout");
                console.debug("debug goes to stdout");
                console.warn("warn goes to stderr", { w: 1 });
                console.error("error goes to stderr");
                console.log({ long: "x".repeat(40), other: "y".repeat(40) });
                """);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "text 42 true null undefined 10n",
                "{ count: 42, nested: { list: [ 1, 2, 3 ], s: \"x\" } }",
                "[ 1, \"two\", { three: 3 } ]",
                "Map(1) { \"k\" => 1 } Set(2) { 1, 2 }",
                "Point { x: 1, y: 2 } { name: \"c\", self: [Circular] }",
                "[Function: named] Symbol(s)",
                "Ada is 36.6 years and { a: 1 }",
                "info goes to stdout",
                "debug goes to stdout",
                "{",
                "  long: \"" + "x".repeat(40) + "\",",
                "  other: \"" + "y".repeat(40) + "\"",
                "}");
        assertThat(r.err().lines()).contains("warn goes to stderr { w: 1 }", "error goes to stderr");
    }

    @Test
    void timersFireInOrderAndCanBeCleared() {
        var r = new ScriptFixture(dir).run("""
                const log: string[] = [];
                setTimeout(() => log.push("c:180"), 180);
                setTimeout((a: string, b: string) => log.push(a + b), 60, "a", ":60");
                setTimeout(() => log.push("b:120"), 120);
                const never = setTimeout(() => log.push("cleared"), 5);
                clearTimeout(never);
                setTimeout(() => log.push("zero"));
                queueMicrotask(() => log.push("microtask"));
                Promise.resolve().then(() => log.push("promise"));
                let ticks = 0;
                const interval = setInterval(() => {
                  log.push("tick" + ++ticks);
                  if (ticks === 3) clearInterval(interval);
                }, 15);
                log.push("sync");
                await new Promise((resolve) => setTimeout(resolve, 250));
                console.log(log.join(" "));
                """);

        assertThat(r.exitCode()).as(r.err()).isZero();
        String line = r.out().strip();
        // Timers run in the order they fall due; the delays are far apart so that a loaded machine keeps it.
        assertThat(line).startsWith("sync microtask promise zero");
        assertThat(line.split(" ")).contains("a:60", "b:120", "c:180", "tick1", "tick2", "tick3")
                .doesNotContain("cleared", "tick4");
        assertThat(line.indexOf("a:60")).isLessThan(line.indexOf("b:120"));
        assertThat(line.indexOf("b:120")).isLessThan(line.indexOf("c:180"));
    }

    @Test
    void aScriptWithAPendingTimerRunsUntilItFires() {
        var r = new ScriptFixture(dir).run("""
                setTimeout(() => console.log("fired after the main module finished"), 50);
                console.log("main module done");
                """);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("main module done", "fired after the main module finished");
    }

    @Test
    void textEncoderAndDecoderRoundTripUtf8() {
        var r = new ScriptFixture(dir).run("""
                const text = "héllo € 𝄞";
                const bytes = new TextEncoder().encode(text);
                console.log(bytes.length, Array.from(bytes.slice(0, 3)).join(","));
                console.log(new TextDecoder().decode(bytes) === text, new TextDecoder("utf-8").decode(bytes.buffer));
                try {
                  new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array([0xff]));
                } catch (e) {
                  console.log(e.constructor.name);
                }
                console.log(new TextDecoder().decode(new Uint8Array([0x61, 0xff, 0x62])));
                """);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("15 104,195,169", "true héllo € 𝄞", "TypeError", "a\uFFFDb");
    }

    @Test
    void btoaAndAtobConvertBinaryStringsToBase64AndBack() {
        var r = new ScriptFixture(dir).run("""
                console.log(btoa(""), btoa("f"), btoa("fo"), btoa("foo"), btoa("foob"), btoa("\\u00ff\\u00fe\\u0000"));
                console.log(atob("Zm9vYg=="), atob("Zm9vYg"), atob(" Zm9v\\nYmFy "), atob("//4A").split("").map((c) => c.charCodeAt(0)).join(","));
                const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join("");
                console.log(atob(btoa(all)) === all);
                for (const bad of [() => btoa("€"), () => atob("Zm9v!"), () => atob("Zm9vY")]) {
                  try { bad(); } catch (e) { console.log(e.name, e.message); }
                }
                """);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                " Zg== Zm8= Zm9v Zm9vYg== //4A",
                "foob foob foobar 255,254,0",
                "true",
                "InvalidCharacterError btoa(): the character at index 0 is outside Latin-1; encode text with TextEncoder first",
                "InvalidCharacterError atob(): the string is not valid Base64",
                "InvalidCharacterError atob(): the string is not valid Base64");
    }

    @Test
    void relativeImportsOfTypeScriptAndJavaScriptShareOneInstance() {
        var r = new ScriptFixture(dir)
                .write("src/lib/math.ts", """
                        import { counter } from "../counter.js";
                        export interface Pair { a: number; b: number }
                        export function add({ a, b }: Pair): number {
                          counter.calls++;
                          return a + b;
                        }
                        """)
                .write("src/counter.js", "export const counter = { calls: 0 };\n")
                .run("""
                        import { add, type Pair } from "./lib/math.ts";
                        import { counter } from "./counter.js";
                        const pair: Pair = { a: 2, b: 3 };
                        const later = await Promise.resolve(add(pair));
                        console.log(later, counter.calls);
                        """);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo("5 1");
    }

    @Test
    void aJavaScriptMainRunsAsItIs() throws Exception {
        var fixture = new ScriptFixture(dir);
        fixture.write("src/main.js", """
                import { onChannel } from "runtime:ipc";
                const off = onChannel("x", () => {});
                off();
                console.log(typeof off, await Promise.resolve("plain JavaScript"));
                """);
        var r = fixture.runApp(w -> { });
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo("function plain JavaScript");
    }
}
