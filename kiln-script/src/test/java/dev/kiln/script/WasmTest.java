package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** runtime:wasm in real V8 with a small module written byte by byte: calls by type, memory, traps, files. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WasmTest {
    /**
     * add(i32, i32) -> i32, mul64(i64, i64) -> i64, half(f64) -> f64, trap() (unreachable), and one
     * page of memory exported as "memory".
     */
    static final int[] MODULE = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x15, 0x04, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7e, 0x7e, 0x01, 0x7e,
        0x60, 0x01, 0x7c, 0x01, 0x7c, 0x60, 0x00, 0x00,
        0x03, 0x05, 0x04, 0x00, 0x01, 0x02, 0x03,
        0x05, 0x03, 0x01, 0x00, 0x01,
        0x07, 0x26, 0x05,
        0x03, 0x61, 0x64, 0x64, 0x00, 0x00,
        0x05, 0x6d, 0x75, 0x6c, 0x36, 0x34, 0x00, 0x01,
        0x04, 0x68, 0x61, 0x6c, 0x66, 0x00, 0x02,
        0x04, 0x74, 0x72, 0x61, 0x70, 0x00, 0x03,
        0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00,
        0x0a, 0x24, 0x04,
        0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b,
        0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x7e, 0x0b,
        0x0e, 0x00, 0x20, 0x00, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe0, 0x3f, 0xa2, 0x0b,
        0x03, 0x00, 0x00, 0x0b,
    };

    @TempDir
    Path dir;

    static String bytesLiteral() {
        StringBuilder sb = new StringBuilder("new Uint8Array([");
        for (int b : MODULE) {
            sb.append(b).append(',');
        }
        return sb.append("])").toString();
    }

    private ScriptFixture.Result run(String script) {
        return new ScriptFixture(dir).write("manifest.app.toml", ScriptFixture.MANIFEST + """

                [permissions.wasm]
                load = ["wasm/*.wasm"]
                """).run("const BYTES = " + bytesLiteral() + ";\n" + script);
    }

    @Test
    void callsConvertByTheDeclaredTypes() {
        var r = run("""
                import { compile, instantiate, call, getExports, types } from "runtime:wasm";
                const moduleId = await compile(BYTES);
                const instance = await instantiate(moduleId);
                console.log(typeof moduleId, typeof instance.id, instance.moduleId === moduleId);
                console.log(JSON.stringify(await instance.call("add", 40, 2)));
                console.log(JSON.stringify(await instance.call("mul64", 2 ** 40, 3)));
                console.log(JSON.stringify(await instance.call("half", 5)));
                console.log(JSON.stringify(await call(instance.id, "mul64", [types.i64(7n), types.i64(6)])));
                console.log(JSON.stringify(await call(instance.id, "add", [types.i32(2147483647), types.i32(1)])));
                console.log(JSON.stringify(await getExports(instance.id)));
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "string string true",
                "[42]",
                "[3298534883328]",
                "[2.5]",
                "[{\"type\":\"i64\",\"value\":42}]",
                "[{\"type\":\"i32\",\"value\":-2147483648}]",
                "[{\"name\":\"add\",\"kind\":\"function\",\"params\":[\"i32\",\"i32\"],\"results\":[\"i32\"]},"
                        + "{\"name\":\"mul64\",\"kind\":\"function\",\"params\":[\"i64\",\"i64\"],\"results\":[\"i64\"]},"
                        + "{\"name\":\"half\",\"kind\":\"function\",\"params\":[\"f64\"],\"results\":[\"f64\"]},"
                        + "{\"name\":\"trap\",\"kind\":\"function\",\"params\":[],\"results\":[]},"
                        + "{\"name\":\"memory\",\"kind\":\"memory\"}]");
    }

    @Test
    void memoryReadsWritesAndGrows() {
        var r = run("""
                import { compile, instantiate, memory } from "runtime:wasm";
                const instance = await instantiate(await compile(BYTES));
                await instance.memory.write(100, new Uint8Array([1, 2, 3, 250]));
                console.log(Array.from(await instance.memory.read(99, 6)).join(","));
                console.log(await instance.memory.size(), await instance.memory.grow(2), await memory.size(instance.id));
                try { await instance.memory.read(65536 * 3 - 2, 4); } catch (e) { console.log(e.code, e.message); }
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "0,1,2,3,250,0",
                "1 1 3",
                "7033 [7033] memory.read(196606, 4) is outside the memory of 196608 bytes");
    }

    @Test
    void badModulesTrapsAndUnknownNamesAreCodedErrors() {
        var r = run("""
                import { compile, instantiate, call } from "runtime:wasm";
                const instance = await instantiate(await compile(BYTES));
                const attempts = [
                  () => compile(new Uint8Array([0, 97, 115, 109, 9, 9])),
                  () => instantiate("wasm-module-999"),
                  () => instance.call("nope"),
                  () => instance.call("add", 1),
                  () => instance.call("trap"),
                  () => call("wasm-instance-999", "add", []),
                  () => compile("not bytes"),
                ];
                for (const f of attempts) {
                  try { await f(); console.log("no error"); } catch (e) { console.log(e.code ?? e.constructor.name, e.message); }
                }
                await instance.drop();
                try { await instance.call("add", 1, 2); } catch (e) { console.log(e.code); }
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        var lines = r.out().lines().toList();
        assertThat(lines).hasSize(8);
        assertThat(lines.get(0)).startsWith("7033 [7033] compile(): WebAssembly.Module(): ");
        assertThat(lines.subList(1, 4)).containsExactly(
                "7033 [7033] No WebAssembly module 'wasm-module-999'",
                "7033 [7033] The WebAssembly instance '" + "wasm-instance-2" + "' exports no function 'nope'",
                "7033 [7033] add() takes 2 argument(s), got 1");
        assertThat(lines.get(4)).isEqualTo("7033 [7033] trap() failed: unreachable");
        assertThat(lines.get(5)).isEqualTo("7033 [7033] No WebAssembly instance 'wasm-instance-999'");
        assertThat(lines.get(6)).isEqualTo("TypeError compile() takes the module's bytes (a Uint8Array)");
        assertThat(lines.get(7)).isEqualTo("7033");
    }

    @Test
    void compileFileReadsOnlyWhatTheManifestAllows() throws Exception {
        byte[] bytes = new byte[MODULE.length];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) MODULE[i];
        }
        Files.createDirectories(dir.resolve("wasm"));
        Files.write(dir.resolve("wasm/math.wasm"), bytes);
        Files.write(dir.resolve("other.wasm"), bytes);
        var r = run("""
                import { compileFile, instantiate } from "runtime:wasm";
                const instance = await instantiate(await compileFile("wasm/math.wasm"));
                console.log(JSON.stringify(await instance.call("add", 1, 2)));
                for (const path of ["other.wasm", "wasm/../other.wasm", "wasm/missing.wasm"]) {
                  try { await compileFile(path); console.log("loaded"); } catch (e) { console.log(e.code, e.message.replace(%s, "APP")); }
                }
                """.formatted(com.fasterxml.jackson.databind.node.TextNode.valueOf(dir.toRealPath().toString())));
        assertThat(r.exitCode()).as(r.err()).isZero();
        var lines = r.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("[3]");
        assertThat(lines.get(1)).startsWith("7020 [7020] Loading WebAssembly from APP/other.wasm is not allowed");
        assertThat(lines.get(2)).startsWith("7020 [7020] Loading WebAssembly from APP/other.wasm is not allowed");
        assertThat(lines.get(3)).startsWith("7021 ");
    }
}
