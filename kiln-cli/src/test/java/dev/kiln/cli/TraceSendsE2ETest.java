package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./kiln run --trace-sends}: a call still waiting for its page when the user closes the last
 * window ends the app normally, and the warning names the TypeScript line that made the call; without
 * the flag, the warning says how to get that line.
 */
@Tag("e2e")
@Timeout(300)
class TraceSendsE2ETest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    // The types before the call move it in the compiled code: only the source map gives its TS line.
    private static final String MAIN = String.join("\n",
            "import { createWindow } from \"runtime:window\";",
            "import { invokeWindow } from \"runtime:ipc\";",
            "",
            "interface Question {",
            "  text: string;",
            "  urgent: boolean;",
            "}",
            "const question: Question = { text: \"ready?\", urgent: false };",
            "await createWindow({ id: \"main\", url: \"app://index.html\" });",
            "console.log(\"result calling {}\");",
            "const answer: unknown = await invokeWindow(\"main\", \"never\", question);",
            "console.log(\"never printed\", answer);",
            "");
    private static final String CALL_SITE = "src/main.ts:11:31"; // the invokeWindow( of line 11

    @TempDir
    Path dir;

    private String app() throws Exception {
        Files.createDirectories(dir.resolve("src"));
        Files.createDirectories(dir.resolve("web"));
        Files.writeString(dir.resolve("manifest.app.toml"),
                "[app]\nname = \"t\"\nidentifier = \"t\"\nversion = \"1\"\n[capabilities.channels]\nallowed = [\"*\"]\n");
        Files.writeString(dir.resolve("web/index.html"),
                "<!DOCTYPE html><html><head><script src=\"page.js\"></script></head><body>never answers</body></html>");
        Files.writeString(dir.resolve("web/page.js"), "window.runtime.handle(\"never\", () => new Promise(() => {}));\n");
        Files.writeString(dir.resolve("src/main.ts"), MAIN);
        assertThat(MAIN.lines().toList().get(10).indexOf("invokeWindow(") + 1).isEqualTo(31);
        return dir.toString();
    }

    private static String closeWhileCalling(KilnProcess kiln) throws Exception {
        kiln.command("wait-ready main 60000");
        kiln.result("calling", WAIT);
        kiln.command("close main");
        assertThat(kiln.awaitExit(WAIT)).as("exit code; err: %s", kiln.err).isZero();
        return String.join("\n", kiln.err);
    }

    @Test
    void withTraceSendsTheWarningNamesTheLineOfTheCall() throws Exception {
        KilnProcess.drive(KilnProcess.launch("run", "--headless", "--automation", "--trace-sends", app()), "trace-sends", kiln -> {
            String err = closeWhileCalling(kiln);
            assertThat(err).contains("'never' was not answered, called at " + CALL_SITE)
                    .contains("(the app's windows closed while it was pending; the app ends normally)")
                    .doesNotContain("error:").doesNotContain("run with --trace-sends");
        });
    }

    @Test
    void withoutItTheWarningHintsAtTheFlag() throws Exception {
        KilnProcess.drive(KilnProcess.launch("run", "--headless", "--automation", app()), "no-trace-sends", kiln -> {
            String err = closeWhileCalling(kiln);
            assertThat(err).contains("'never' was not answered")
                    .contains("(run with --trace-sends to see where it was called)")
                    .doesNotContain("called at");
        });
    }
}
