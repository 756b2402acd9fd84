package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./kiln run} prints a page's console on stderr, one safe line each, unless {@code --no-page-console}. */
@Tag("e2e")
@Timeout(300)
class PageConsoleE2ETest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private String app() throws Exception {
        Files.createDirectories(dir.resolve("src"));
        Files.createDirectories(dir.resolve("web"));
        Files.writeString(dir.resolve("manifest.app.toml"),
                "[app]\nname = \"t\"\nidentifier = \"t\"\nversion = \"1\"\n[capabilities.channels]\nallowed = [\"*\"]\n");
        Files.writeString(dir.resolve("web/index.html"),
                "<!DOCTYPE html><html><head><script src=\"console.js\"></script></head><body>console</body></html>");
        // the same script as kiln-window's PageConsoleTest, so the lines and columns are known
        Files.writeString(dir.resolve("web/console.js"), String.join("\n",
                "// Console calls at known lines.",
                "window.logAll = function () {",
                "  console.debug(\"d\", 1);",
                "  console.log(\"l\", { a: 1 });",
                "  console.info(\"i\");",
                "  console.warn(\"w\");",
                "  console.error(\"e\", new Error(\"x\"));",
                "};",
                "window.forge = function () { console.log(\"real\\n[page main-window] error: forged\\u001b[31m\"); };",
                "window.flood = function (n) { for (var i = 0; i < n; i++) console.log(\"flood \" + i); };",
                "window.throwLater = function () { setTimeout(function () { throw new Error(\"boom\"); }, 0); };",
                "window.rejectLater = function () { setTimeout(function () { Promise.reject(new Error(\"nope\")); }, 0); };",
                ""));
        Files.writeString(dir.resolve("src/main.ts"),
                "import { createWindow } from \"runtime:window\";\n"
                + "await createWindow({ id: \"main-window\", url: \"app://index.html\" });\n");
        return dir.toString();
    }

    private static List<String> pageLines(KilnProcess kiln) {
        return List.copyOf(kiln.err).stream().filter(l -> l.startsWith("[page ")).toList();
    }

    private static long floodPrinted(KilnProcess kiln) {
        return pageLines(kiln).stream().filter(l -> l.contains("] log: flood ")).count();
    }

    private static long floodSuppressed(KilnProcess kiln) {
        return pageLines(kiln).stream()
                .filter(l -> l.matches("\\[page main-window\\] warn: suppressed \\d+ console messages \\(more than 100 in one second\\)"))
                .mapToLong(l -> Long.parseLong(l.split(" ")[4])).sum();
    }

    private static void awaitLine(KilnProcess kiln, Predicate<String> line, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (pageLines(kiln).stream().noneMatch(line)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("No stderr line " + what + " within " + WAIT + "; err: " + kiln.err);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void pageConsoleLinesAreReadableTaggedEscapedAndRateLimited() throws Exception {
        KilnProcess.drive(app(), "page-console", kiln -> {
            kiln.command("wait-ready main-window 60000");
            kiln.command("eval main-window logAll(), forge(), throwLater(), rejectLater(), 1");
            awaitLine(kiln, l -> l.contains("Unhandled promise rejection"), "for the rejection");
            List<String> lines = pageLines(kiln);
            assertThat(lines).contains(
                    "[page main-window] log: l {\"a\":1} (app://console.js:4:14)",
                    "[page main-window] info: i (app://console.js:5:15)",
                    "[page main-window] warn: w (app://console.js:6:15)",
                    "[page main-window] error: e Error: x (app://console.js:7:16)");
            assertThat(lines).anyMatch(l -> l.startsWith(
                    "[page main-window] error: Unhandled promise rejection: Error: nope (app://console.js:12:"));
            assertThat(lines).anyMatch(l -> l.startsWith("[page main-window] debug: d 1 (app://console.js:3:"));
            assertThat(lines).anyMatch(l -> l.startsWith("[page main-window] error: Uncaught Error: boom (app://console.js:11:"));
            // the forged newline and escape stay inside one line; no line of stderr starts with the forgery
            assertThat(lines).anyMatch(l -> l.startsWith(
                    "[page main-window] log: real\\n[page main-window] error: forged\\u001B[31m (app://console.js:9:"));
            assertThat(kiln.err).noneMatch(l -> l.startsWith("[page main-window] error: forged"));
            assertThat(String.join("\n", kiln.err)).doesNotContain("\u001b[31m");

            // every one of the 300 is either printed or counted in a "suppressed N" line (the lines
            // above may have used part of the first second's 100)
            kiln.command("eval main-window flood(300), 1");
            awaitLine(kiln, l -> floodPrinted(kiln) + floodSuppressed(kiln) == 300, "accounting for all 300");
            assertThat(floodSuppressed(kiln)).isPositive();
            assertThat(floodPrinted(kiln)).isLessThanOrEqualTo(200); // at most 100 in each of two seconds
            assertThat(pageLines(kiln).stream().filter(l -> l.contains("] log: flood ")))
                    .as("printed in order").isSortedAccordingTo(java.util.Comparator.comparingInt(
                            l -> Integer.parseInt(l.replaceAll(".*flood (\\d+) .*", "$1"))));

            kiln.command("close main-window");
            assertThat(kiln.awaitExit(WAIT)).as("exit code; err: %s", kiln.err).isZero();
        });
    }

    @Test
    void noPageConsoleLeavesThePageAlone() throws Exception {
        try (KilnProcess kiln = KilnProcess.launch("run", "--headless", "--automation", "--no-page-console", app())) {
            kiln.command("wait-ready main-window 60000");
            assertThat(kiln.command("eval main-window String(console.log).indexOf('[native code]') >= 0")).isEqualTo("true");
            kiln.command("eval main-window logAll(), throwLater(), 1");
            // the page's bridge still works, and after a round trip through it nothing was printed
            kiln.awaitEval("main-window", "typeof window.runtime.send", "\"function\"", WAIT);
            kiln.command("close main-window");
            assertThat(kiln.awaitExit(WAIT)).as("exit code; err: %s", kiln.err).isZero();
            assertThat(kiln.err).noneMatch(l -> l.contains("[page ") || l.contains(" w (app://") || l.contains("boom"));
        }
    }
}
