package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extensibility API of the runtime: modules (hooks and handler registries, 98-extensibility.js)
 * through the real script host: real V8, real files, real runtime:fs and runtime:crypto calls.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ExtensibilityTest {
    @TempDir
    Path tmp;
    Path app;

    @BeforeEach
    void folders() throws IOException {
        app = Files.createDirectories(tmp.toRealPath().resolve("app"));
        Files.createDirectories(app.resolve("data"));
        Files.writeString(app.resolve("data/in.txt"), "hello");
    }

    private ScriptFixture fixture() {
        return new ScriptFixture(app).write(AppManifest.FILE_NAME, ScriptFixture.MANIFEST + """

                [permissions.fs]
                read = ["data/**"]
                write = ["data/**"]
                """);
    }

    private static ScriptFixture.Result succeeded(ScriptFixture.Result r) {
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        return r;
    }

    @Test
    void beforeAndAfterHooksRunInOrderAroundARealRead() {
        var r = succeeded(fixture().run("""
                import * as fs from "runtime:fs";
                fs.onBefore("readText", async (args) => {
                  console.log("before1 " + JSON.stringify(args));
                  await new Promise((resolve) => setTimeout(resolve, 30));
                  console.log("before1 done");
                });
                fs.onBefore("readText", (args) => console.log("before2 " + args.length));
                fs.onAfter("readText", (result, args) => console.log("after " + result + " " + args[0]));
                fs.onError("readText", (e) => console.log("error hook " + e.message));
                const text = await fs.readTextFile("data/in.txt");
                console.log("got " + text);
                // aliases are one op: readFile is readBytes
                fs.onAfter("readBytes", (bytes, args) => console.log("readBytes after " + bytes.length + " " + args[0]));
                await fs.readFile("data/in.txt");
                console.log("alias kept " + (fs.readFile === fs.readBytes));
                // a before hook may change the arguments the call uses
                fs.onBefore("exists", (args) => { args[0] = "data/in.txt"; });
                console.log("exists " + await fs.exists("data/nothing-here.txt"));
                """));
        assertThat(r.out()).containsSubsequence("before1 [\"data/in.txt\"]", "before1 done", "before2 1",
                "after hello data/in.txt", "got hello");
        assertThat(r.out()).contains("readBytes after 5 data/in.txt", "alias kept true", "exists true");
        assertThat(r.out()).doesNotContain("error hook");
    }

    @Test
    void errorHooksSeeTheCodedErrorAndTheCallStillRejectsWithIt() {
        var r = succeeded(fixture().run("""
                import * as fs from "runtime:fs";
                let seen;
                fs.onError("readText", async (e, args) => {
                  seen = e;
                  await new Promise((resolve) => setTimeout(resolve, 20));
                  console.log("error hook " + e.code + " " + args[0]);
                });
                fs.onError("readText", (e) => console.log("second error hook " + e.code));
                fs.onAfter("readText", () => console.log("after hook ran"));
                try {
                  await fs.readTextFile("data/missing.txt");
                  console.log("no error");
                } catch (e) {
                  console.log("rejected " + e.code + " same " + (e === seen));
                }
                """));
        assertThat(r.out()).containsSubsequence("error hook 7021 data/missing.txt", "second error hook 7021", "rejected 7021 same true");
        assertThat(r.out()).doesNotContain("after hook ran", "no error");
    }

    @Test
    void anErrorHookThatThrowsIsReportedAndTheCallKeepsItsError() {
        var r = fixture().run("""
                import * as fs from "runtime:fs";
                fs.onError("readText", () => { throw new Error("the error hook failed"); });
                fs.onError("readText", (e) => console.log("next error hook " + e.code));
                try {
                  await fs.readTextFile("data/missing.txt");
                } catch (e) {
                  console.log("rejected " + e.code);
                }
                """);
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(AppError.SCRIPT);
        assertThat(r.out()).contains("next error hook 7021");
        assertThat(r.err()).contains("the error hook failed");
    }

    @Test
    void unsubscribeAndRemoveAllHooksStopTheHooks() {
        var r = succeeded(fixture().run("""
                import * as fs from "runtime:fs";
                const calls = [];
                const hook = (name) => () => calls.push(name);
                const stopA = fs.onBefore("readText", hook("a"));
                fs.onBefore("readText", hook("b"));
                fs.onAfter("exists", hook("exists"));
                await fs.readTextFile("data/in.txt");
                console.log("1: " + calls.join(","));
                calls.length = 0;
                stopA();
                stopA(); // twice is harmless
                await fs.readTextFile("data/in.txt");
                console.log("2: " + calls.join(","));
                calls.length = 0;
                fs.removeAllHooks("readText");
                await fs.readTextFile("data/in.txt");
                await fs.exists("data/in.txt");
                console.log("3: " + calls.join(","));
                calls.length = 0;
                fs.onBefore("readText", hook("c"));
                fs.removeAllHooks();
                await fs.readTextFile("data/in.txt");
                await fs.exists("data/in.txt");
                console.log("4: " + calls.join(",") + ".");
                """));
        assertThat(r.out()).contains("1: a,b\n", "2: b\n", "3: exists\n", "4: .\n");
    }

    @Test
    void aBeforeHookThatThrowsStopsTheCall() {
        var r = succeeded(fixture().run("""
                import * as fs from "runtime:fs";
                fs.onBefore("writeText", (args) => { throw new Error("no writes to " + args[0]); });
                fs.onError("writeText", () => console.log("error hook ran"));
                fs.onAfter("writeText", () => console.log("after hook ran"));
                try {
                  await fs.writeTextFile("data/out.txt", "must not be written");
                  console.log("written");
                } catch (e) {
                  console.log("rejected: " + e.message);
                }
                fs.onBefore("writeBytes", async () => { await null; throw new Error("async no"); });
                try {
                  await fs.writeFile("data/out.bin", new Uint8Array([1, 2, 3]));
                  console.log("written");
                } catch (e) {
                  console.log("rejected: " + e.message);
                }
                """));
        assertThat(r.out()).contains("rejected: no writes to data/out.txt", "rejected: async no");
        assertThat(r.out()).doesNotContain("written", "error hook ran", "after hook ran");
        assertThat(app.resolve("data/out.txt")).doesNotExist();
        assertThat(app.resolve("data/out.bin")).doesNotExist();
    }

    @Test
    void handlerRegistriesArePerModule() {
        var r = succeeded(fixture().run("""
                import * as fs from "runtime:fs";
                import * as net from "runtime:net";
                fs.registerHandler("sum", (a, b) => a + b);
                fs.registerHandler("later", async (x) => { await new Promise((r) => setTimeout(r, 10)); return x * 2; });
                console.log("fs list " + fs.listHandlers().join(","));
                console.log("net list " + net.listHandlers().length + " " + net.hasHandler("sum") + " " + fs.hasHandler("sum"));
                console.log("sum " + await fs.invokeHandler("sum", 2, 3) + " later " + await fs.invokeHandler("later", 21));
                try { fs.registerHandler("sum", () => 0); console.log("registered twice"); }
                catch (e) { console.log("duplicate " + e.code + " " + e.message); }
                const missing = net.invokeHandler("sum", 1, 2);
                console.log("a promise " + (missing instanceof Promise));
                try { await missing; console.log("invoked"); } catch (e) { console.log("missing " + e.code + " " + e.message); }
                fs.registerHandler("boom", () => { throw new Error("handler failed"); });
                try { await fs.invokeHandler("boom"); } catch (e) { console.log("boom " + e.message); }
                console.log("remove " + fs.removeHandler("sum") + " " + fs.removeHandler("sum") + " " + fs.hasHandler("sum"));
                try { fs.registerHandler("x", "not a function"); } catch (e) { console.log("not a function " + e.code); }
                """));
        assertThat(r.out()).contains("fs list sum,later", "net list 0 false true", "sum 5 later 42",
                "duplicate 7022 [7022] registerHandler(): runtime:fs has a handler named 'sum' already",
                "a promise true", "missing 7021 [7021] invokeHandler(): runtime:net has no handler named 'sum'",
                "boom handler failed", "remove true false false", "not a function 7024");
        assertThat(r.out()).doesNotContain("registered twice", "invoked");
    }

    @Test
    void unknownOpNamesAreCodedErrorsAndEveryModuleHasTheApi() {
        var r = succeeded(fixture().run("""
                import * as fs from "runtime:fs";
                import * as window from "runtime:window";
                import * as net from "runtime:net";
                import * as sys from "runtime:sys";
                import * as storage from "runtime:storage";
                import * as crypto from "runtime:crypto";
                import * as log from "runtime:log";
                import * as proc from "runtime:process";
                import * as wasm from "runtime:wasm";
                import * as app from "runtime:app";
                import * as ipc from "runtime:ipc";
                const fails = (label, f) => { try { f(); console.log(label + " accepted"); } catch (e) { console.log(label + " " + e.code + " " + e.message); } };
                fails("unknown", () => fs.onBefore("readTxt", () => {}));
                fails("handle op", () => window.onAfter("minimize", () => {}));
                fails("not a function", () => fs.onError("readText", 42));
                fails("remove unknown", () => fs.removeAllHooks("nope"));
                fails("not a string", () => fs.onBefore(7, () => {}));
                const modules = { fs, window, net, sys, storage, crypto, log, proc, wasm, app, ipc };
                const api = ["onBefore", "onAfter", "onError", "removeAllHooks", "registerHandler", "invokeHandler",
                  "listHandlers", "removeHandler", "hasHandler"];
                for (const [name, m] of Object.entries(modules)) {
                  const lacking = api.filter((f) => typeof m[f] !== "function");
                  if (lacking.length) console.log(name + " lacks " + lacking.join(","));
                }
                // one op of each module, through its Forge name
                const ops = { fs: "tempDir", window: "dialogOpen", net: "fetch", sys: "clipboardRead", storage: "delete",
                  crypto: "randomUuid", log: "emit", proc: "spawn", wasm: "memoryGrow", app: "getVersion", ipc: "send" };
                for (const [name, op] of Object.entries(ops)) modules[name].onBefore(op, () => {})();
                console.log("ops ok, frozen " + Object.isFrozen(sys.clipboard) + " " + Object.isFrozen(wasm.memory));
                """));
        assertThat(r.out()).contains(
                "unknown 7024 [7024] onBefore(): string \"readTxt\" is not an op of runtime:fs; the ops that can be hooked: readText, ",
                "handle op 7024 [7024] onAfter(): runtime:window has no function for Forge's op 'minimize'",
                "not a function 7024 [7024] onError(): the callback must be a function, got number 42",
                "remove unknown 7024 [7024] removeAllHooks(): string \"nope\" is not an op of runtime:fs",
                "not a string 7024 [7024] onBefore(): number 7 is not an op of runtime:fs",
                "ops ok, frozen true true");
        assertThat(r.out()).doesNotContain("accepted", "lacks");
    }

    @Test
    void aSynchronousCryptoOpStaysSynchronousWithAndWithoutHooks() {
        var r = succeeded(new ScriptFixture(app).run("""
                import * as c from "runtime:crypto";
                const plain = c.hashHex("sha256", "abc");
                console.log("plain " + typeof plain + " " + plain.slice(0, 16));
                const order = [];
                c.onBefore("hashHex", (args) => order.push("before " + args.join("/")));
                c.onBefore("hashHex", async () => { await null; order.push("async before finished"); });
                c.onAfter("hashHex", (result, args) => order.push("after " + result.slice(0, 16) + " " + args[0]));
                const hooked = c.hashHex("sha256", "abc");
                order.push("returned " + typeof hooked + " " + (hooked === plain));
                await new Promise((resolve) => setTimeout(resolve, 10));
                console.log(order.join("; "));
                let seen = null;
                c.onError("hash", (e, args) => { seen = e.code + " " + args[0]; });
                try { c.hash("md5", "x"); } catch (e) { console.log("thrown " + e.code + " seen " + seen); }
                let uuids = 0;
                c.onAfter("randomUuid", (id) => { uuids += id.length; });
                const id = c.randomUUID();
                console.log("uuid " + typeof id + " " + uuids);
                c.onBefore("randomBytes", () => { throw new Error("no randomness"); });
                c.onAfter("randomBytes", () => console.log("randomBytes ran"));
                try { c.randomBytes(4); } catch (e) { console.log("stopped " + e.message); }
                c.removeAllHooks();
                console.log("unhooked " + c.randomBytes(4).length);
                """));
        assertThat(r.out()).contains("plain string ba7816bf8f01cfea",
                "before sha256/abc; after ba7816bf8f01cfea sha256; returned string true; async before finished",
                "thrown 7024 seen 7024 md5", "uuid string 36", "stopped no randomness", "unhooked 4");
        assertThat(r.out()).doesNotContain("randomBytes ran");
    }

    private static final Pattern MODULE_BLOCK = Pattern.compile("^declare module \"runtime:(\\w+)\" \\{(.*?)^}", Pattern.MULTILINE | Pattern.DOTALL);
    private static final Pattern OPS = Pattern.compile("export interface Ops \\{([^}]*)}");
    private static final Pattern OP = Pattern.compile("(\\w+): typeof");

    /** Each module's op names as its declarations' Ops interface lists them. */
    private static Map<String, Set<String>> declaredOps() {
        Map<String, Set<String>> declared = new TreeMap<>();
        Matcher block = MODULE_BLOCK.matcher(TypeDeclarations.text());
        while (block.find()) {
            Matcher ops = OPS.matcher(block.group(2));
            if (ops.find()) {
                Set<String> names = declared.computeIfAbsent(block.group(1), k -> new TreeSet<>());
                Matcher op = OP.matcher(ops.group(1));
                while (op.find()) {
                    names.add(op.group(1));
                }
            }
        }
        return declared;
    }

    @Test
    void theDeclaredOpsAreTheOpsThatCanBeHooked() {
        Map<String, Set<String>> declared = declaredOps();
        assertThat(declared.keySet()).containsExactlyInAnyOrder(
                "app", "crypto", "fs", "ipc", "log", "net", "process", "storage", "sys", "wasm", "window");
        StringBuilder script = new StringBuilder();
        for (String module : declared.keySet()) {
            script.append("import * as m_").append(module).append(" from \"runtime:").append(module).append("\";\n");
        }
        script.append("const modules = { ").append(String.join(", ", declared.keySet().stream().map(m -> m + ": m_" + m).toList()))
                .append(" };\n").append("""
                for (const [name, m] of Object.entries(modules)) {
                  try { m.onBefore("?", () => {}); } catch (e) { console.log("hookable " + name + ": " + e.message.split("can be hooked: ")[1]); }
                }
                """);
        var r = succeeded(new ScriptFixture(app).run(script.toString()));
        Map<String, Set<String>> hookable = new TreeMap<>();
        for (Matcher m = Pattern.compile("hookable (\\w+): (.*)").matcher(r.out()); m.find(); ) {
            hookable.put(m.group(1), new TreeSet<>(Set.of(m.group(2).split(", "))));
        }
        assertThat(hookable).isEqualTo(declared);
    }
}
