package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The example apps end to end: {@code ./kiln run --headless} as a subprocess, a real mouse click in
 * the page, the round trip through the TypeScript app in V8 asserted in the page, and a clean exit.
 */
@Tag("e2e")
class ExamplesE2ETest {
    private static final Duration ROUND_TRIP = Duration.ofSeconds(20);
    private static final Duration EXIT = Duration.ofSeconds(30);

    @Test
    void completeExampleAnswersARealClick() throws Exception {
        KilnProcess.drive("examples/complete", "complete-example", kiln -> {
            String ready = kiln.command("wait-ready * 60000");
            long startupMs = (System.nanoTime() - kiln.startedNanos) / 1_000_000;
            String window = ready.split(" ")[0];
            System.out.println("complete example: process start -> first window ready " + startupMs
                    + " ms (launcher, Xvfb and JVM included); " + ready);

            kiln.command("click " + window + " #submit");
            kiln.awaitEval(window, "document.getElementById('status').textContent", "\"Processed submit\"", ROUND_TRIP);
            Path png = kiln.screenshot(window, "complete-example");
            assertThat(Files.size(png)).isGreaterThan(1000);

            kiln.command("close " + window);
            assertThat(kiln.awaitExit(EXIT)).as("exit code; err: %s", kiln.err).isZero();
            assertThat(kiln.out).contains("Button submit clicked in " + window, "Window " + window + " requested close");
        });
    }

    @Test
    void requestResponseMatchesTheAnswerToItsRequest() throws Exception {
        KilnProcess.drive("examples/request-response", "request-response", kiln -> {
            kiln.command("wait-ready main 60000");
            kiln.command("click main #fetch");
            kiln.awaitEval("main", "document.getElementById('status').textContent",
                    "\"req-1: apple, apricot\"", ROUND_TRIP);
            kiln.command("eval main document.getElementById('query').value = 'b'");
            kiln.command("click main #fetch");
            kiln.awaitEval("main", "document.getElementById('status').textContent",
                    "\"req-2: banana, blueberry\"", ROUND_TRIP);
            kiln.screenshot("main", "request-response");
            kiln.command("close main");
            assertThat(kiln.awaitExit(EXIT)).as("exit code; err: %s", kiln.err).isZero();
        });
    }

    @Test
    void requestResponseWithInvokeShowsResultsTypedErrorsCancelTimeoutAndAnswersTheHost() throws Exception {
        KilnProcess.drive("examples/request-response-invoke", "request-response-invoke", kiln -> {
            String status = "document.getElementById('status').textContent";
            String code = "document.getElementById('error-code').textContent";
            kiln.command("wait-ready main 60000");

            // page -> host: the result
            kiln.command("click main #fetch");
            kiln.awaitEval("main", status, "\"ap: apple, apricot\"", ROUND_TRIP);
            assertThat(kiln.command("eval main document.getElementById('error').hidden")).isEqualTo("true");

            // host -> page: the host's autosave asks the page for its query and the fruit clicked
            kiln.command("click main #results li:nth-child(2)");
            kiln.awaitOut("autosave: {\"query\":\"ap\",\"selected\":\"apricot\"}", ROUND_TRIP);
            kiln.screenshot("main", "request-response-invoke");

            // the handler's typed error, code and data as the host threw them
            kiln.command("eval main document.getElementById('query').value = 'kiwi'");
            kiln.command("click main #fetch");
            kiln.awaitEval("main", status, "\"kiwi: error NOT_FOUND\"", ROUND_TRIP);
            assertThat(kiln.command("eval main " + code)).isEqualTo("\"NOT_FOUND\"");
            assertThat(kiln.command("eval main document.getElementById('error-message').textContent"))
                    .isEqualTo("\"No fruit starts with \\\"kiwi\\\"\"");
            assertThat(kiln.command("eval main document.getElementById('error-data').textContent"))
                    .isEqualTo("\"{\\\"query\\\":\\\"kiwi\\\",\\\"firstLetters\\\":[\\\"a\\\",\\\"b\\\",\\\"c\\\"]}\"");
            assertThat(kiln.command("eval main document.getElementById('results').children.length")).isEqualTo("0");
            kiln.screenshot("main", "request-response-invoke-error");

            // cancel: a slow search the user cancels rejects with 7008, and the host's handler stops
            kiln.command("eval main document.getElementById('query').value = 'b'");
            kiln.command("click main #slow");
            kiln.command("click main #fetch");
            kiln.awaitOut("search \"b\" (slow) from main", ROUND_TRIP);
            kiln.awaitEval("main", status, "\"b: searching...\"", ROUND_TRIP);
            kiln.command("click main #cancel");
            kiln.awaitEval("main", status, "\"b: error 7008\"", ROUND_TRIP);
            assertThat(kiln.command("eval main " + code)).isEqualTo("\"7008\"");
            kiln.awaitOut("search \"b\" stopped: [7008]", ROUND_TRIP);

            // timeout: the same slow search left alone rejects with 7007 after the page's 2 s
            kiln.command("click main #fetch");
            kiln.awaitEval("main", status, "\"b: searching...\"", ROUND_TRIP);
            kiln.awaitEval("main", status, "\"b: error 7007\"", ROUND_TRIP);
            assertThat(kiln.command("eval main document.getElementById('error-message').textContent"))
                    .isEqualTo("\"[7007] The call on channel 'fetch-data' timed out after 2000 ms\"");
            kiln.awaitOut("search \"b\" stopped: [7007]", ROUND_TRIP);

            kiln.command("close main");
            assertThat(kiln.awaitExit(EXIT)).as("exit code; err: %s", kiln.err).isZero();
            assertThat(kiln.err).as("stderr").noneMatch(line -> line.contains("failed"));
        });
    }

    @Test
    void multiWindowSyncBroadcastsAClickToBothWindows() throws Exception {
        KilnProcess.drive("examples/multi-window-sync", "multi-window-sync", kiln -> {
            kiln.command("wait-ready left 60000");
            kiln.command("wait-ready right 60000");
            String status = "document.getElementById('status').textContent";
            kiln.awaitEval("left", status, "\"connected as left\"", ROUND_TRIP);
            kiln.awaitEval("right", status, "\"connected as right\"", ROUND_TRIP);

            kiln.command("click left #increment");
            String count = "document.getElementById('count').textContent";
            kiln.awaitEval("right", count, "\"1\"", ROUND_TRIP);
            kiln.awaitEval("left", count, "\"1\"", ROUND_TRIP);
            kiln.command("click right #increment");
            kiln.awaitEval("left", count, "\"2\"", ROUND_TRIP);
            kiln.screenshot("left", "multi-window-sync");

            kiln.command("close left");
            kiln.command("click right #increment"); // the closed window is no longer a broadcast target
            kiln.awaitEval("right", count, "\"3\"", ROUND_TRIP);
            kiln.command("close right");
            assertThat(kiln.awaitExit(EXIT)).as("exit code; err: %s", kiln.err).isZero();
        });
    }

    @Test
    void viteReactExampleRunsADefaultViteBuild() throws Exception {
        KilnProcess.drive("examples/vite-react", "vite-react", kiln -> {
            kiln.command("wait-ready main 60000");
            kiln.awaitEval("main", "document.getElementById('welcome')?.textContent",
                    "\"Hello from src/main.ts\"", ROUND_TRIP);
            kiln.awaitEval("main", "document.querySelectorAll('#tips li').length", "3", ROUND_TRIP);
            kiln.command("click main #ping");
            kiln.awaitEval("main", "document.getElementById('pong')?.textContent", "\"Pong #1 from the host\"", ROUND_TRIP);
            kiln.screenshot("main", "vite-react");
            kiln.command("close main");
            assertThat(kiln.awaitExit(EXIT)).as("exit code; err: %s", kiln.err).isZero();
            assertThat(kiln.out).contains("ping 1 from main");
        });
    }

    @Test
    void eventRoutingSendsEachChannelToItsHandler() throws Exception {
        KilnProcess.drive("examples/event-routing", "event-routing", kiln -> {
            kiln.command("wait-ready main 60000");
            kiln.command("click main #login");
            kiln.awaitEval("main", "document.getElementById('auth').textContent",
                    "\"signed in as ada (token-3)\"", ROUND_TRIP);
            kiln.command("click main #sum");
            kiln.awaitEval("main", "document.getElementById('data').textContent", "\"total 10\"", ROUND_TRIP);
            kiln.command("click main #dark");
            kiln.awaitEval("main", "document.getElementById('settings').textContent", "\"theme: dark\"", ROUND_TRIP);
            kiln.screenshot("main", "event-routing");
            kiln.command("close main");
            assertThat(kiln.awaitExit(EXIT)).as("exit code; err: %s", kiln.err).isZero();
            assertThat(kiln.out).contains("auth: ada signed in from main", "data: 4 items from main");
        });
    }
}
