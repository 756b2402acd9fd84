package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
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
    /** 32 MiB through a busy shared machine: 5 to 10 s here, so a wide margin. */
    private static final Duration WHOLE_FILE = Duration.ofSeconds(120);

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
    void fileStreamReadsEveryByteWithProgressAndStopsTheAppOnCancel() throws Exception {
        KilnProcess.drive("examples/file-stream", "file-stream", kiln -> {
            String status = "document.getElementById('status').textContent";
            String received = "document.getElementById('received').textContent";
            kiln.command("wait-ready main 60000");

            // the whole file, 32 MiB: progress while it streams, then every byte checked by its CRC-32
            int size = 32 << 20;
            String crc = generatedFileCrc(size);
            kiln.command("click main #size-32");
            long started = System.nanoTime();
            kiln.command("click main #start");
            kiln.awaitOut("file: sending generated-32MiB.bin (33554432 bytes) to main", ROUND_TRIP);
            kiln.awaitEval("main", "(v => v > 0 && v < 1)(document.getElementById('bar').value)", "true", ROUND_TRIP);
            kiln.awaitEval("main", status + ".startsWith('done')", "true", WHOLE_FILE);
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(kiln.command("eval main " + status))
                    .matches("\"done: 33554432 bytes, CRC-32 " + crc + " matches, \\d+\\.\\d\\d s\"");
            assertThat(kiln.command("eval main " + received)).isEqualTo("\"33554432\"");
            assertThat(kiln.command("eval main document.getElementById('crc-page').textContent")).isEqualTo("\"" + crc + "\"");
            assertThat(kiln.command("eval main document.getElementById('crc-app').textContent")).isEqualTo("\"" + crc + "\"");
            assertThat(kiln.command("eval main document.getElementById('numbers').textContent"))
                    .matches("\"32 / 32 MiB \\(100\\.0%\\), \\d+\\.\\d MiB/s\"");
            kiln.awaitOut("file: sent generated-32MiB.bin to main, CRC-32 " + crc, ROUND_TRIP);
            System.out.printf("file-stream: 32 MiB in %.1f s from the click (%.1f MiB/s); the page says %s%n",
                    seconds, 32 / seconds, kiln.command("eval main document.getElementById('numbers').textContent"));
            kiln.screenshot("main", "file-stream");

            // cancel mid-stream (1 GiB: a click cannot come too late): the read ends with 7008, and the
            // app, which Kiln let run at most highWaterMark (4) chunks ahead of the page, stops there
            kiln.command("click main #size-1024");
            kiln.command("click main #start");
            kiln.awaitOut("file: sending generated-1024MiB.bin (1073741824 bytes) to main", ROUND_TRIP);
            kiln.awaitEval("main", "Number(" + received + ") >= 8 * 1024 * 1024", "true", WHOLE_FILE);
            kiln.command("click main #cancel");
            kiln.awaitEval("main", status + ".startsWith('cancelled')", "true", ROUND_TRIP);
            long pageBytes = Long.parseLong(kiln.command("eval main " + received).replace("\"", ""));
            assertThat(kiln.command("eval main " + status)).isEqualTo("\"cancelled (7008) after " + pageBytes + " bytes\"");
            kiln.awaitOut("file: cancelled by main after ", ROUND_TRIP);
            Matcher cancelled = Pattern.compile("file: cancelled by main after (\\d+) of 1073741824 bytes: \\[7008\\] .*")
                    .matcher(List.copyOf(kiln.out).stream().filter(line -> line.startsWith("file: cancelled")).findFirst().orElseThrow());
            assertThat(cancelled.matches()).as("the app's cancel line: %s", kiln.out).isTrue();
            long appBytes = Long.parseLong(cancelled.group(1));
            assertThat(appBytes).as("bytes the app made; the page read %d", pageBytes)
                    .isBetween(pageBytes, pageBytes + 4 * (1 << 20));
            System.out.printf("file-stream: cancelled with the page at %d bytes, the app at %d%n", pageBytes, appBytes);
            kiln.screenshot("main", "file-stream-cancelled");

            kiln.command("close main");
            assertThat(kiln.awaitExit(EXIT)).as("exit code; err: %s", kiln.err).isZero();
            assertThat(kiln.out).noneMatch(line -> line.startsWith("file: sent generated-1024MiB"));
            assertThat(kiln.err).as("stderr").noneMatch(line -> line.contains("failed"));
        });
    }

    /**
     * The CRC-32 of examples/file-stream's generated file, made here from its recipe (xorshift32
     * words from the seed "KILN", little-endian) and java.util.zip, independent of the app and page.
     */
    private static String generatedFileCrc(int size) {
        CRC32 crc = new CRC32();
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        int x = 0x4b494c4e;
        for (int word = 0; word < size / 4; word++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            chunk.putInt(x);
            if (!chunk.hasRemaining()) {
                crc.update(chunk.flip());
                chunk.clear();
            }
        }
        crc.update(chunk.flip());
        return String.format("%08x", crc.getValue());
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
