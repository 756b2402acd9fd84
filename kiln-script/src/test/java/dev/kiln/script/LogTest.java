package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** runtime:log through the real script host: stderr, the log file in the app data folder, rotation. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LogTest {
    @TempDir
    Path app;

    @Test
    void levelsGoToStderrAndTheLogFile() throws Exception {
        String id = "dev.kiln.test.log" + System.nanoTime();
        var r = new ScriptFixture(app).write(AppManifest.FILE_NAME, ScriptFixture.MANIFEST.replace("dev.kiln.test", id)).run("""
                import * as log from "runtime:log";
                log.trace("hidden trace");
                log.debug("hidden debug");
                log.infoLog("started", { port: 8080, user: "ada" });
                log.warn("disk almost full");
                log.error("failed", { code: 7 });
                log.emit("warning", "via emit");
                log.setLevel("trace");
                log.trace("visible trace");
                console.log("info:", JSON.stringify(log.info()));
                console.log("file:", log.logFile());
                try { log.emit("loud", "x"); } catch (e) { console.log("bad level:", e.code, e.message); }
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("hidden");
        assertThat(r.err()).containsPattern("\\d{4}-\\d\\d-\\d\\dT[^ ]+Z INFO  started \\{\"port\":8080,\"user\":\"ada\"}")
                .contains("WARN  disk almost full", "ERROR failed {\"code\":7}", "WARN  via emit", "TRACE visible trace");
        Path file = Path.of(System.getProperty("kiln.data.home")).toAbsolutePath().resolve(id).resolve("logs/app.log");
        assertThat(r.out()).contains("info: {\"name\":\"runtime:log\",\"version\":\"1.0.0\",\"status\":\"ready\"}", "file: " + file,
                "bad level: 7024 [7024] emit(): the level must be one of trace, debug, info, warn, error, got string \"loud\"");
        String text = Files.readString(file);
        assertThat(text).contains("INFO  started {\"port\":8080,\"user\":\"ada\"}", "ERROR failed", "TRACE visible trace")
                .doesNotContain("hidden");
        assertThat(text.lines()).hasSize(5);
    }

    @Test
    void theFileRotatesAndKeepsFiveOldOnes() throws Exception {
        String id = "dev.kiln.test.logrotate" + System.nanoTime();
        long lines = (LogOps.MAX_FILE_BYTES * 7) / 1000;
        var r = new ScriptFixture(app).write(AppManifest.FILE_NAME, ScriptFixture.MANIFEST.replace("dev.kiln.test", id)).run("""
                import { infoLog } from "runtime:log";
                const pad = "y".repeat(950);
                for (let i = 0; i < %d; i++) infoLog("line " + i + " " + pad);
                infoLog("the last line");
                """.formatted(lines));
        assertThat(r.exitCode()).isZero();
        Path logs = Path.of(System.getProperty("kiln.data.home")).toAbsolutePath().resolve(id).resolve("logs");
        try (var files = Files.list(logs)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("app.log", "app.log.1", "app.log.2", "app.log.3", "app.log.4", "app.log.5");
        }
        for (String name : new String[] {"app.log", "app.log.1", "app.log.5"}) {
            assertThat(Files.size(logs.resolve(name))).isLessThanOrEqualTo(LogOps.MAX_FILE_BYTES);
        }
        assertThat(Files.readString(logs.resolve("app.log"))).contains("the last line");
        String first = Files.readString(logs.resolve("app.log.1")).lines().findFirst().orElseThrow();
        String newest = Files.readString(logs.resolve("app.log")).lines().findFirst().orElseThrow();
        assertThat(number(first)).isLessThan(number(newest));
        assertThat(Files.readString(logs.resolve("app.log.5"))).doesNotContain("line 0 "); // the oldest were dropped
    }

    private static int number(String line) {
        String rest = line.substring(line.indexOf("line ") + 5);
        return Integer.parseInt(rest.substring(0, rest.indexOf(' ')));
    }
}
