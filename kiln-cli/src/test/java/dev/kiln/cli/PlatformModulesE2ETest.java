package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * runtime:fs, runtime:storage, runtime:log, runtime:crypto, runtime:app and Deno.exit through the real
 * launcher ({@code ./kiln run}): files in the app folder and the app data folder, a denied path, the
 * store and the log file lasting from one launch to the next, the exit code given to Deno.exit.
 */
@Tag("e2e")
@Timeout(300)
class PlatformModulesE2ETest {
    private static final Duration EXIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void anAppUsesThePlatformModulesAcrossTwoLaunches() throws Exception {
        Path app = Files.createDirectories(dir.resolve("app"));
        Path dataHome = dir.resolve("data");
        Files.createDirectories(app.resolve("src"));
        Files.createDirectories(app.resolve("web"));
        Files.writeString(app.resolve("web/index.html"), "<html><body>t</body></html>");
        Files.writeString(app.resolve("manifest.app.toml"), """
                [app]
                name = "Platform E2E"
                identifier = "dev.kiln.e2e.platform"
                version = "2.1.0"

                [capabilities.channels]
                allowed = ["*"]

                [permissions.fs]
                read = ["notes/**", "$APPDATA/**"]
                write = ["notes/**", "$APPDATA/*.bin"]
                """);
        Files.writeString(app.resolve("src/main.ts"), """
                import * as fs from "runtime:fs";
                import * as storage from "runtime:storage";
                import { infoLog } from "runtime:log";
                import { randomBytes, hashHex } from "runtime:crypto";
                import { getPath, getVersion } from "runtime:app";

                const runs = ((await storage.get<number>("runs")) ?? 0) + 1;
                await storage.set("runs", runs);
                await fs.mkdir("notes", { recursive: true });
                await fs.writeTextFile("notes/n.md", "# note " + runs);
                console.log("note:", await fs.readTextFile("notes/n.md"));
                const blob = randomBytes(300000);
                await fs.writeBytes(getPath("appData") + "/blob.bin", blob);
                console.log("bytes equal:", hashHex("sha256", await fs.readBytes(getPath("appData") + "/blob.bin")) === hashHex("sha256", blob));
                try {
                  await fs.writeTextFile("notes/../escape.txt", "x");
                } catch (e) {
                  console.log("denied:", e.code);
                }
                infoLog("run", { runs, version: getVersion() });
                console.log("runs:", runs);
                Deno.exit(runs === 1 ? 5 : 6);
                console.log("not reached");
                """);
        Map<String, String> env = Map.of("KILN_DATA_HOME", dataHome.toString());
        for (int run = 1; run <= 2; run++) {
            try (KilnProcess kiln = KilnProcess.run(app.toString(), env)) {
                assertThat(kiln.awaitExit(EXIT)).as("out %s err %s", kiln.out, kiln.err).isEqualTo(run == 1 ? 5 : 6);
                assertThat(kiln.out).contains("note: # note " + run, "bytes equal: true", "denied: 7020", "runs: " + run)
                        .doesNotContain("not reached");
                String logLine = "INFO  run {\"runs\":" + run + ",\"version\":\"2.1.0\"}";
                assertThat(kiln.err).anyMatch(l -> l.endsWith(logLine));
            }
        }
        assertThat(app.resolve("notes/n.md")).hasContent("# note 2");
        assertThat(dir.resolve("escape.txt")).doesNotExist();
        assertThat(app.resolve("escape.txt")).doesNotExist();
        Path appData = dataHome.resolve("dev.kiln.e2e.platform");
        assertThat(Files.size(appData.resolve("blob.bin"))).isEqualTo(300000);
        assertThat(appData.resolve("storage/storage.db")).exists();
        List<String> log = Files.readAllLines(appData.resolve("logs/app.log"));
        assertThat(log).hasSize(2);
        assertThat(log.get(0)).endsWith("INFO  run {\"runs\":1,\"version\":\"2.1.0\"}");
        assertThat(log.get(1)).endsWith("INFO  run {\"runs\":2,\"version\":\"2.1.0\"}");
    }
}
