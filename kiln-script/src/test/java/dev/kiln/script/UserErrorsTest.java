package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each mistake a user can make gets one clear line with file:line and a non-zero exit code. */
class UserErrorsTest {
    @TempDir
    Path dir;

    @Test
    void noManifest() throws Exception {
        Files.createDirectories(dir.resolve("src"));
        assertThatThrownBy(() -> ScriptApp.load(dir)).isInstanceOfSatisfying(AppError.class, e -> {
            assertThat(e.getMessage()).startsWith("No manifest.app.toml in " + dir);
            assertThat(e.exitCode()).isEqualTo(AppError.CONFIG);
        });
    }

    @Test
    void noAppFolder() {
        assertThatThrownBy(() -> ScriptApp.load(dir.resolve("missing")))
                .isInstanceOf(AppError.class).hasMessageStartingWith("No app folder at ");
    }

    @Test
    void manifestThatIsNotToml() {
        var f = new ScriptFixture(dir).write(AppManifest.FILE_NAME, "[app]\nname = \"x\nversion = 1\n");
        f.write("src/main.ts", "");
        assertThatThrownBy(() -> ScriptApp.load(dir)).isInstanceOfSatisfying(AppError.class, e -> {
            assertThat(e.getMessage()).matches("manifest\\.app\\.toml:2:\\d+: not valid TOML: .+");
            assertThat(e.getMessage()).doesNotContain("\n");
            assertThat(e.exitCode()).isEqualTo(AppError.CONFIG);
        });
    }

    @Test
    void manifestWithWrongValues() {
        var f = new ScriptFixture(dir);
        f.write("src/main.ts", "");
        f.write(AppManifest.FILE_NAME, ScriptFixture.MANIFEST + "\n[windows]\nwidth = \"wide\"\n");
        assertThatThrownBy(() -> ScriptApp.load(dir)).isInstanceOf(AppError.class)
                .hasMessage("manifest.app.toml: [windows] width must be a positive integer, got \"wide\"");
        f.write(AppManifest.FILE_NAME, "[app]\nname = \"x\"\nversion = \"1\"\n");
        assertThatThrownBy(() -> ScriptApp.load(dir)).isInstanceOf(AppError.class)
                .hasMessage("manifest.app.toml: [app] identifier is required");
        f.write(AppManifest.FILE_NAME, ScriptFixture.MANIFEST.replace("[\"*\"]", "[\"a*b\"]"));
        assertThatThrownBy(() -> ScriptApp.load(dir)).isInstanceOf(AppError.class)
                .hasMessageStartingWith("manifest.app.toml: [capabilities.channels]: Bad channel pattern 'a*b'");
    }

    @Test
    void noMainScript() {
        new ScriptFixture(dir);
        assertThatThrownBy(() -> ScriptApp.load(dir)).isInstanceOfSatisfying(AppError.class, e -> {
            assertThat(e.getMessage()).isEqualTo("No main script in " + dir + ": expected src/main.ts or src/main.js");
            assertThat(e.exitCode()).isEqualTo(AppError.CONFIG);
        });
    }

    @Test
    void typeScriptSyntaxError() {
        var r = new ScriptFixture(dir).run("""
                const ok = 1;
                const broken: number = ;
                """);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().lines()).contains("error: src/main.ts:2:24: SyntaxError: Expression expected");
        assertThat(r.err()).doesNotContain("panicked", "backtrace");
    }

    @Test
    void syntaxErrorInAnImportedFileNamesThatFile() {
        var r = new ScriptFixture(dir)
                .write("src/util.js", "export const x = 1;\nexport const = 2;\n")
                .run("import { x } from \"./util.js\";\nconsole.log(x);\n");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).containsPattern("error: src/util\\.js:2:\\d+: SyntaxError: .+");
    }

    @Test
    void importOfAnUnknownRuntimeModule() {
        var r = new ScriptFixture(dir).run("""
                import { sendToWindow } from "runtime:ipc";
                import { readFile } from "runtime:nope";
                """);
        assertThat(r.exitCode()).isEqualTo(1);
        // The list is the modules the bootstrap registered, sorted.
        assertThat(r.err().lines()).anySatisfy(l -> assertThat(l)
                .startsWith("error: src/main.ts:2: Unknown module 'runtime:nope': Kiln provides runtime:")
                .contains("runtime:ipc, ").endsWith("runtime:window"));
    }

    @Test
    void importOfAMissingFileOrABareName() {
        var r = new ScriptFixture(dir).run("import { x } from './nope.ts';\n");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("error: src/main.ts:1: Cannot find module './nope.ts' (no file src/nope.ts)");

        var bare = new ScriptFixture(dir).run("\nimport React from 'react';\n");
        assertThat(bare.exitCode()).isEqualTo(1);
        assertThat(bare.err()).contains("error: src/main.ts:2: Cannot import 'react'");
    }

    @Test
    void uncaughtExceptionStackIsMappedToTheTypeScriptLines() {
        var r = new ScriptFixture(dir)
                .write("src/lib/check.ts", """
                        // A comment and some types shift the lines of the generated JavaScript.
                        type Reason = string;
                        interface Options { strict: boolean }

                        export function check(value: number, options: Options): void {
                          if (options.strict && value > 1) {
                            throw new RangeError(`value ${value} is too large` as Reason);
                          }
                        }
                        """)
                .run("""
                        import { check } from "./lib/check.ts";

                        type Input = { value: number };
                        const input: Input = { value: 5 };
                        check(input.value, { strict: true });
                        """);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().lines()).containsSubsequence(
                "error: src/lib/check.ts:7:11: Uncaught RangeError: value 5 is too large",
                "    at check (src/lib/check.ts:7:11)",
                "    at src/main.ts:5:1");
    }

    @Test
    void errorStacksInsideTheScriptAreMappedToo() {
        var r = new ScriptFixture(dir).run("""
                interface Unused { a: string }
                function where(): string {
                  return new Error("here").stack ?? "";
                }
                console.log(where());
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("Error: here", "    at where (src/main.ts:3:10)", "    at src/main.ts:5:13");
    }

    @Test
    void unhandledRejection() {
        var r = new ScriptFixture(dir).run("""
                async function load(): Promise<void> {
                  await null;
                  throw new Error("no data");
                }
                load();
                """);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().lines().findFirst().orElse(""))
                .isEqualTo("error: src/main.ts:3:9: Uncaught (in promise) Error: no data");
    }

    @Test
    void anUnawaitedSendToAWindowThatIsGoneWarnsAndTheAppGoesOn() {
        var r = new ScriptFixture(dir).run("""
                import { broadcast, sendToWindow } from "runtime:ipc";
                broadcast(["closed-a", "closed-b"], "state-update", { n: 1 });
                sendToWindow("closed-c", "refresh");
                await new Promise((r) => setTimeout(r, 20));
                console.log("still running");
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("still running");
        assertThat(r.err()).contains("warning: Uncaught (in promise) Error: [7002] Broadcast could not reach 2 of 2 windows")
                .contains("[7002] Window not found: closed-c")
                .contains("(the window is gone; the app keeps running)");
    }

    @Test
    void aRejectionHandledInTheSameTurnIsFine() {
        var r = new ScriptFixture(dir).run("""
                const p = Promise.reject(new Error("soon"));
                p.catch(() => console.log("caught in the same turn"));
                try {
                  await Promise.reject(new Error("awaited"));
                } catch (e) {
                  console.log("caught", (e as Error).message);
                }
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("caught in the same turn", "caught awaited");
    }

    @Test
    void aRejectionLeftUnhandledForAWholeTurnIsFatal() {
        var r = new ScriptFixture(dir).run("""
                const p = Promise.reject(new Error("later"));
                await new Promise((r) => setTimeout(r, 10));
                p.catch(() => console.log("too late"));
                """);
        assertThat(r.exitCode()).isEqualTo(1); // as in Deno
        assertThat(r.err()).contains("Uncaught (in promise) Error: later");
        assertThat(r.out()).doesNotContain("too late");
    }

    @Test
    void exceptionInATimerCallbackEndsTheApp() {
        var r = new ScriptFixture(dir).run("""
                setTimeout(() => {
                  JSON.parse("{oops");
                }, 1);
                setTimeout(() => console.log("never printed"), 200);
                """);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).containsPattern("error: src/main\\.ts:2:\\d+: Uncaught SyntaxError: .*JSON");
        assertThat(r.out()).doesNotContain("never printed");
    }

    @Test
    void exceptionInAChannelCallbackEndsTheApp() {
        var r = new ScriptFixture(dir).run("""
                import { onChannel } from "runtime:ipc";
                onChannel("go", (payload) => {
                  (payload as any).missing.field = 1;
                });
                """, w -> {
            var page = w.open("main");
            w.whenSubscribed(1, () -> page.send("go", "{}"));
        });
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("error: src/main.ts:3:34: Uncaught TypeError: Cannot set properties of undefined");
    }

    @Test
    void throwingANonErrorValue() {
        var r = new ScriptFixture(dir).run("throw { reason: 'plain object' };\n");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("error: Uncaught { reason: \"plain object\" }");
    }
}
