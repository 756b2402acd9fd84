package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./kiln run --watch} through the real launcher: an edit of src/main.ts restarts the script and
 * its window, a syntax error waits for the next edit instead of ending, and quit ends the watch.
 */
@Tag("e2e")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class WatchE2ETest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static String version(String v) {
        return """
                import { createWindow } from "runtime:window";
                import { sendToWindow, onChannel } from "runtime:ipc";
                onChannel("ready", (_p, windowId) => sendToWindow(windowId, "version", "%s"));
                await createWindow({ id: "main", url: "app://index.html" });
                console.log("running %s");
                """.formatted(v, v);
    }

    @Test
    void anEditRestartsTheAppAndASyntaxErrorWaitsForTheNextEdit() throws Exception {
        Files.createDirectories(dir.resolve("src"));
        Files.createDirectories(dir.resolve("web"));
        Files.writeString(dir.resolve("manifest.app.toml"),
                "[app]\nname = \"w\"\nidentifier = \"w\"\nversion = \"1\"\n[capabilities.channels]\nallowed = [\"*\"]\n");
        Files.writeString(dir.resolve("web/index.html"), """
                <!doctype html><html><body><script>
                window.runtime.on("version", (v) => { document.body.dataset.version = v; });
                window.runtime.send("ready");
                </script></body></html>""");
        Path main = dir.resolve("src/main.ts");
        Files.writeString(main, version("v1"));

        try (KilnProcess kiln = KilnProcess.launch("run", "--watch", "--headless", "--automation", dir.toString())) {
            awaitLine(kiln.out, "running v1");
            kiln.command("wait-ready main");
            kiln.awaitEval("main", "document.body.dataset.version", "\"v1\"", WAIT);

            Files.writeString(main, version("v2"));
            awaitLine(kiln.err, "kiln: src/main.ts changed: restarting");
            awaitLine(kiln.out, "running v2");
            kiln.command("wait-ready main");
            kiln.awaitEval("main", "document.body.dataset.version", "\"v2\"", WAIT);

            Files.writeString(main, "const broken: number = ;\n");
            awaitLine(kiln.err, "error: src/main.ts:1:24: SyntaxError: Expression expected");
            awaitLine(kiln.err, "kiln: waiting for a change under src/ (Ctrl-C to stop)");
            assertThat(kiln.process.isAlive()).as("a syntax error while watching does not end kiln").isTrue();

            Files.writeString(main, version("v3"));
            awaitLine(kiln.out, "running v3");
            kiln.command("wait-ready main");
            kiln.awaitEval("main", "document.body.dataset.version", "\"v3\"", WAIT);
            assertThat(kiln.err.stream().filter(l -> l.endsWith("changed: restarting")).count())
                    .as("one line per restart: %s", kiln.err).isEqualTo(3);

            kiln.command("quit");
            assertThat(kiln.awaitExit(WAIT)).isZero();
        }
    }

    private static void awaitLine(List<String> lines, String expected) {
        await().atMost(WAIT).until(() -> {
            synchronized (lines) {
                return lines.stream().anyMatch(l -> l.replaceAll("\u001b\\[[0-9;]*m", "").equals(expected));
            }
        });
    }
}
