package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User errors and Ctrl-C through the real launcher: one clear line on stderr, the exit code, no noise. */
@Tag("e2e")
class CliErrorsE2ETest {
    private static final Duration EXIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Path app(String mainTs) throws Exception {
        Files.createDirectories(dir.resolve("src"));
        Files.createDirectories(dir.resolve("web"));
        Files.writeString(dir.resolve("manifest.app.toml"),
                "[app]\nname = \"t\"\nidentifier = \"t\"\nversion = \"1\"\n[capabilities.channels]\nallowed = [\"*\"]\n");
        Files.writeString(dir.resolve("web/index.html"), "<html><body>t</body></html>");
        Files.writeString(dir.resolve("src/main.ts"), mainTs);
        return dir;
    }

    private static String kilnLines(KilnProcess kiln) {
        // the launcher's own lines ("kiln: ...", and colour resets left by its Maven build) are not the app's
        return String.join("\n", kiln.err.stream().map(l -> l.replaceAll("\u001b\\[[0-9;]*m", ""))
                .filter(l -> !l.startsWith("kiln: ") && !l.isBlank()).toList());
    }

    @Test
    void typeScriptSyntaxErrorIsOneLineWithoutRustPanic() throws Exception {
        try (KilnProcess kiln = KilnProcess.launch("run", "--headless", app("let ok = 1;\nconst x: number = ;\n").toString())) {
            assertThat(kiln.awaitExit(EXIT)).isEqualTo(1);
            assertThat(kilnLines(kiln)).isEqualTo("error: src/main.ts:2:19: SyntaxError: Expression expected");
        }
    }

    @Test
    void uncaughtExceptionExitsOneWithTheTypeScriptLine() throws Exception {
        try (KilnProcess kiln = KilnProcess.launch("run", "--headless",
                app("type T = number;\n\nfunction fail(n: T): never {\n  throw new Error(`bad ${n}`);\n}\nfail(7);\n").toString())) {
            assertThat(kiln.awaitExit(EXIT)).isEqualTo(1);
            assertThat(kilnLines(kiln)).startsWith("error: src/main.ts:4:9: Uncaught Error: bad 7\n    at fail (src/main.ts:4:9)");
        }
    }

    @Test
    void missingManifestExitsTwo() throws Exception {
        Files.createDirectories(dir.resolve("src"));
        try (KilnProcess kiln = KilnProcess.launch("run", "--headless", dir.toString())) {
            assertThat(kiln.awaitExit(EXIT)).isEqualTo(2);
            assertThat(kilnLines(kiln)).startsWith("error: No manifest.app.toml in ");
        }
    }

    @Test
    void ctrlCClosesTheWindowsAndExitsCleanly() throws Exception {
        KilnProcess.drive("examples/complete", "ctrl-c", kiln -> {
            String window = kiln.command("wait-ready * 60000").split(" ")[0];
            // an automation command for a window that does not exist: the engine's coded error
            assertThat(kiln.answer("eval nope 1")).isEqualTo("error [7002] Window not found: nope");
            kiln.interrupt();
            assertThat(kiln.awaitExit(EXIT)).as("err: %s", kiln.err).isZero();
            assertThat(kiln.err).anyMatch(l -> l.startsWith("Interrupted: closing the windows"));
            assertThat(kiln.out).contains("Window " + window + " requested close");
        });
    }
}
