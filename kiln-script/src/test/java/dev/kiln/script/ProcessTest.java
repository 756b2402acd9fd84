package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** runtime:process in real V8, with real programs (echo, cat, sh, sleep). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProcessTest {
    @TempDir
    Path dir;

    private ScriptFixture.Result run(String script) {
        return new ScriptFixture(dir).write("manifest.app.toml", ScriptFixture.MANIFEST + """

                [permissions.process]
                allow = ["echo", "cat", "sh", "sleep", "pwd", "kiln-no-such-program"]
                """).run(script);
    }

    @Test
    void echoGivesItsOutputLineByLineAndExitsWithZero() {
        var r = run("""
                import { spawn } from "runtime:process";
                const proc = await spawn("echo", { args: ["hello", "wörld"] });
                console.log(typeof proc.id, proc.pid > 0);
                const lines = [];
                for await (const line of proc.stdout) lines.push(line);
                console.log(JSON.stringify(lines));
                console.log(JSON.stringify(await proc.wait()));
                console.log(JSON.stringify(await proc.status()));
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "string true",
                "[\"hello wörld\"]",
                "{\"success\":true,\"code\":0,\"signal\":null}",
                "{\"running\":false,\"exitCode\":0}");
    }

    @Test
    void stdinRoundTripsThroughCat() {
        var r = run("""
                import { spawn } from "runtime:process";
                const cat = await spawn("cat", { stdin: "piped" });
                await cat.writeStdin("line one\\n");
                await cat.writeStdin(new TextEncoder().encode("line two\\nline three"));
                await cat.closeStdin();
                const lines = [];
                for await (const line of cat.stdout) lines.push(line);
                console.log(JSON.stringify(lines), (await cat.wait()).code);
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("[\"line one\",\"line two\",\"line three\"] 0");
    }

    @Test
    void exitCodesStderrEnvAndCwd() throws Exception {
        Files.createDirectories(dir.resolve("work"));
        var r = run("""
                import { spawn, readStderr } from "runtime:process";
                const sh = await spawn("sh", { args: ["-c", "echo out; echo err >&2; echo $KILN_TEST_VAR; exit 3"],
                  env: { KILN_TEST_VAR: "from-env" } });
                const out = [], err = [];
                for await (const l of sh.stdout) out.push(l);
                for await (const l of sh.stderr) err.push(l);
                console.log(JSON.stringify(out), JSON.stringify(err), JSON.stringify(await sh.wait()));
                const pwd = await spawn("pwd", { cwd: "%s" });
                for await (const l of pwd.stdout) console.log("cwd", l);
                await pwd.wait();
                const quiet = await spawn("echo", { args: ["x"], stdout: "null" });
                try { await quiet.readStdout(); } catch (e) { console.log(e.code, e.message.replace(quiet.id, "ID")); }
                await quiet.wait();
                """.formatted(dir.resolve("work").toString().replace("\\", "\\\\")));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "[\"out\",\"from-env\"] [\"err\"] {\"success\":false,\"code\":3,\"signal\":null}",
                "cwd " + dir.resolve("work").toRealPath(),
                "7032 [7032] The stdout of ID is not piped: spawn it with stdout: \"piped\"");
    }

    @Test
    void killEndsAProgramWithItsSignal() {
        var r = run("""
                import { spawn, kill } from "runtime:process";
                const sleeper = await spawn("sleep", { args: ["30"] });
                console.log(JSON.stringify(await sleeper.status()));
                console.log(await sleeper.kill());
                console.log(JSON.stringify(await sleeper.wait()));
                console.log(await kill(sleeper.id, "SIGKILL"));
                const hard = await spawn("sleep", { args: ["30"] });
                console.log(await hard.kill("SIGKILL"), JSON.stringify(await hard.wait()));
                try { await hard.kill("SIGHUP"); } catch (e) { console.log(e.code, e.message); }
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "{\"running\":true}",
                "true",
                "{\"success\":false,\"code\":null,\"signal\":\"SIGTERM\"}",
                "false",
                "true {\"success\":false,\"code\":null,\"signal\":\"SIGKILL\"}",
                "7024 [7024] kill() takes SIGTERM or SIGKILL, got 'SIGHUP'");
    }

    @Test
    void aProgramThatCannotStartIsACodedError() {
        var r = run("""
                import { spawn, wait } from "runtime:process";
                try { await spawn("kiln-no-such-program"); } catch (e) { console.log(e.code, e.message); }
                try { await wait("proc-999"); } catch (e) { console.log(e.code, e.message); }
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).hasSize(2);
        assertThat(r.out().lines().toList().get(0)).startsWith("7032 [7032] Cannot run kiln-no-such-program: error=2");
        assertThat(r.out().lines().toList().get(1)).isEqualTo("7032 [7032] No process with handle 'proc-999'");
    }

    @Test
    void programsTheManifestDoesNotAllowAreRefused() {
        var r = run("""
                import { spawn } from "runtime:process";
                for (const program of ["ls", "/bin/echo"]) {
                  try { await spawn(program); console.log("ran", program); } catch (e) { console.log(e.code, e.message); }
                }
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).hasSize(2);
        assertThat(r.out().lines().toList().get(0))
                .isEqualTo("7020 [7020] Running 'ls' is not allowed: add \"ls\" to [permissions.process] allow in manifest.app.toml");
        assertThat(r.out().lines().toList().get(1)).startsWith("7020 [7020] Running /").contains("is not allowed");
    }

    @Test
    void childrenStillRunningEndWithTheApp() throws Exception {
        var r = run("""
                import { spawn } from "runtime:process";
                const p = await spawn("sleep", { args: ["60"] });
                console.log(p.pid);
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        long pid = Long.parseLong(r.out().trim());
        var handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            handle.get().onExit().get(20, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
