package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.IpcError;
import dev.kiln.ipc.KilnException;
import dev.kiln.ipc.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * invoke/handle between a real page and Java handlers, both ways. The page is the calls fixture's
 * (kiln-cli/src/test/fixtures/calls/web), which the TypeScript host's end-to-end test uses too.
 */
@ExtendWith(RealWindowExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CallsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Desktop desktop;

    @BeforeAll
    static void start() {
        desktop = Desktop.start(DesktopConfig.of(Path.of("..", "kiln-cli", "src", "test", "fixtures", "calls", "web")
                .toAbsolutePath().normalize()).withExitOnLastWindowClosed(false));
    }

    @AfterAll
    static void stop() {
        desktop.close();
    }

    private static JsonNode outcome(AppWindow w, String name) throws Exception {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> !Pages.eval(w, "window.outcomes['" + name + "'] === undefined").equals("true"));
        return JSON.readTree(Pages.eval(w, "window.outcomes['" + name + "']"));
    }

    private static IpcError failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return (IpcError) e.getCause();
        }
        throw new AssertionError("the call succeeded");
    }

    record Sum(int a, int b) {
    }

    // ---- page -> Java ----

    @Test
    void aPageCallsJavaHandlersAndGetsResultsAndErrorsWhole() throws Exception {
        List<Subscription> handlers = List.of(
                desktop.ipc().handle("add", Sum.class, (s, ctx) -> CompletableFuture.completedFuture(
                        Map.of("total", s.a() + s.b(), "window", ctx.windowId()))),
                desktop.ipc().handle("void", (p, ctx) -> CompletableFuture.completedFuture(null)),
                desktop.ipc().handle("coded", (p, ctx) -> {
                    throw new IpcError("E_QUOTA", "Quota exceeded", Map.of("limit", 10, "nested", List.of(Map.of("deep", true))));
                }),
                desktop.ipc().handle("numbered", (p, ctx) -> CompletableFuture.failedFuture(new IpcError(404, "No such note"))),
                desktop.ipc().handle("broken", (p, ctx) -> {
                    throw new IllegalStateException("disk on fire");
                }));
        AppWindow w = Pages.open(desktop, "app://index.html");
        try {
            Pages.eval(w, "call('add', 'add', { a: 2, b: 3 }); call('void', 'void'); call('coded', 'coded');"
                    + " call('numbered', 'numbered'); call('broken', 'broken'); call('bad-type', 'add', 'not a sum'); 1");
            assertThat(outcome(w, "add")).isEqualTo(JSON.readTree(
                    "{\"ok\":true,\"value\":{\"total\":5,\"window\":\"" + w.id() + "\"}}"));
            assertThat(outcome(w, "void").get("value").asText()).isEqualTo("undefined");
            assertThat(outcome(w, "coded")).isEqualTo(JSON.readTree("{\"ok\":false,\"isIpcError\":true,\"code\":\"E_QUOTA\","
                    + "\"message\":\"Quota exceeded\",\"data\":{\"limit\":10,\"nested\":[{\"deep\":true}]}}"));
            assertThat(outcome(w, "numbered")).isEqualTo(JSON.readTree(
                    "{\"ok\":false,\"isIpcError\":true,\"code\":404,\"message\":\"No such note\"}"));
            assertThat(outcome(w, "broken")).isEqualTo(JSON.readTree("{\"ok\":false,\"isIpcError\":true,\"code\":7009,"
                    + "\"message\":\"[7009] The handler for channel 'broken' failed: disk on fire\"}"));
            assertThat(outcome(w, "bad-type").get("code").intValue()).isEqualTo(7003);
        } finally {
            handlers.forEach(Subscription::unsubscribe);
            w.close();
        }
    }

    @Test
    void aPageCallWithNoHandlerADeniedChannelOrBadArgumentsFailsWithItsCode() throws Exception {
        AppWindow w = Pages.open(desktop, WindowOptions.builder().url("app://index.html").size(400, 300)
                .channels(List.of("allowed:*")).build());
        try (Subscription denied = desktop.ipc().handle("secret", (p, ctx) -> CompletableFuture.completedFuture("leaked"))) {
            Pages.eval(w, "call('none', 'allowed:nobody'); call('denied', 'secret'); call('bad-name', '');"
                    + " call('bad-timeout', 'allowed:x', 1, { timeout: -5 }); call('bad-payload', 'allowed:x', { f() {} });"
                    + " call('reserved', 'close'); 1");
            assertThat(outcome(w, "denied").get("code").intValue()).isEqualTo(7004);
            assertThat(outcome(w, "bad-name").get("code").intValue()).isEqualTo(7000);
            assertThat(outcome(w, "bad-timeout").get("code").intValue()).isEqualTo(7000);
            assertThat(outcome(w, "bad-payload").get("code").intValue()).isEqualTo(7003);
            assertThat(outcome(w, "reserved").get("code").intValue()).isEqualTo(7004);
            JsonNode none = outcome(w, "none");
            assertThat(none.get("code").intValue()).isEqualTo(7006);
            assertThat(none.get("message").asText()).startsWith("[7006] No handler for channel 'allowed:nobody'");
        } finally {
            w.close();
        }
    }

    @Test
    void thePagesTimeoutAbortAndReloadReachTheJavaHandler() throws Exception {
        Map<String, CompletableFuture<KilnException>> aborted = new ConcurrentHashMap<>();
        Map<String, Long> deadlines = new ConcurrentHashMap<>();
        try (Subscription h = desktop.ipc().handle("slow", (p, ctx) -> {
            aborted.put(p.asText(), ctx.cancellation().toCompletableFuture());
            deadlines.put(p.asText(), ctx.deadline().map(d -> d.toEpochMilli()).orElse(0L));
            return new CompletableFuture<>(); // never answers
        })) {
            AppWindow w = Pages.open(desktop, "app://index.html");
            try {
                long before = System.currentTimeMillis();
                Pages.eval(w, "window.ac = new AbortController(); call('timed', 'slow', 'timed', { timeout: 2000 });"
                        + " call('aborted', 'slow', 'aborted', { signal: ac.signal }); call('reload', 'slow', 'reload'); 1");
                await().atMost(Duration.ofSeconds(20)).until(() -> aborted.size() == 3);
                assertThat(deadlines.get("timed")).isBetween(before + 200, before + 20_000);
                assertThat(deadlines.get("aborted")).isZero();
                JsonNode timed = outcome(w, "timed");
                assertThat(timed.get("code").intValue()).isEqualTo(7007);
                assertThat(timed.get("message").asText()).isEqualTo("[7007] The call on channel 'slow' timed out after 2000 ms");
                assertThat(aborted.get("timed").get(20, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.TIMEOUT);
                Pages.eval(w, "ac.abort(); 1");
                assertThat(outcome(w, "aborted").get("code").intValue()).isEqualTo(7008);
                assertThat(aborted.get("aborted").get(20, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.CANCELLED);
                assertThat(aborted.get("reload").isDone()).isFalse();
                Pages.eval(w, "location.reload(); 1");
                assertThat(aborted.get("reload").get(20, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.WINDOW_NOT_FOUND);
            } finally {
                w.close();
            }
        }
    }

    // ---- Java -> page ----

    @Test
    void javaCallsThePagesHandlersAndGetsResultsAndErrorsWhole() throws Exception {
        AppWindow w = Pages.open(desktop, "app://index.html");
        try {
            var ipc = desktop.ipc();
            assertThat(ipc.invokeWindow(w.id(), "double", 21, Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS).intValue()).isEqualTo(42);
            assertThat(ipc.invokeWindow(w.id(), "later", Map.of("x", 1), null).get(20, TimeUnit.SECONDS))
                    .isEqualTo(JSON.readTree("{\"later\":{\"x\":1}}"));
            assertThat(ipc.invokeWindow(w.id(), "nothing", null, null).get(20, TimeUnit.SECONDS)).isNull();
            IpcError coded = failure(ipc.invokeWindow(w.id(), "fails-coded", null, null));
            assertThat(coded).isNotInstanceOf(KilnException.class).hasMessage("Busy now");
            assertThat(coded.code()).isEqualTo("E_BUSY");
            assertThat(coded.data()).isEqualTo(JSON.readTree("{\"retry\":[1,{\"in\":2}]}"));
            IpcError numbered = failure(ipc.invokeWindow(w.id(), "fails-number", null, null));
            assertThat(numbered.code()).isEqualTo(410);
            assertThat(numbered).hasMessage("Gone");
            assertThat(failure(ipc.invokeWindow(w.id(), "fails-plain", null, null)))
                    .hasMessage("[7009] The handler for channel 'fails-plain' failed: x is not a function");
            IpcError none = failure(ipc.invokeWindow(w.id(), "nobody", null, null));
            assertThat(none.code()).isEqualTo(ErrorCode.NO_HANDLER);
        } finally {
            w.close();
        }
    }

    @Test
    void javasTimeoutCancelAndThePageGoingAwayReachThePage() throws Exception {
        AppWindow w = Pages.open(desktop, "app://index.html");
        try {
            var ipc = desktop.ipc();
            long before = System.currentTimeMillis();
            IpcError timedOut = failure(ipc.invokeWindow(w.id(), "waits", "timed", Duration.ofMillis(2000)));
            assertThat(timedOut).hasMessage("[7007] The call to window " + w.id() + " on channel 'waits' timed out after 2000 ms");
            Pages.awaitEval(w, "seen.timed.aborted && seen.timed.aborted.code", "7007");
            assertThat(Long.parseLong(Pages.eval(w, "seen.timed.deadline"))).isBetween(before + 200, before + 20_000);
            CompletableFuture<JsonNode> cancelled = ipc.invokeWindow(w.id(), "waits", "cancelled", null);
            Pages.awaitEval(w, "seen.cancelled !== undefined", "true");
            cancelled.cancel(true);
            Pages.awaitEval(w, "seen.cancelled.aborted && seen.cancelled.aborted.code", "7008");
            CompletableFuture<JsonNode> reload = ipc.invokeWindow(w.id(), "waits", "reload", Duration.ofSeconds(60));
            Pages.awaitEval(w, "seen.reload !== undefined", "true");
            Pages.eval(w, "location.reload(); 1");
            IpcError gone = failure(reload);
            assertThat(gone.code()).isEqualTo(ErrorCode.WINDOW_NOT_FOUND);
            assertThat(gone.getMessage()).contains("its page went away");
            // the next page answers new calls
            assertThat(ipc.invokeWindow(w.id(), "double", 2, Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS).intValue()).isEqualTo(4);
        } finally {
            w.close();
        }
    }

    @Test
    void aCallBeforeThePageIsReadyWaitsForItAndADeniedOneFailsAtOnce() throws Exception {
        AppWindow w = desktop.createWindow(WindowOptions.builder().url("app://index.html").size(400, 300)
                .channels(List.of("double")).build()).get(20, TimeUnit.SECONDS);
        try {
            CompletableFuture<JsonNode> early = desktop.ipc().invokeWindow(w.id(), "double", 5, Duration.ofSeconds(30));
            assertThat(early.get(30, TimeUnit.SECONDS).intValue()).isEqualTo(10);
            assertThat(failure(desktop.ipc().invokeWindow(w.id(), "later", 1, null)).code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        } finally {
            w.close();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !desktop.ipc().windowIds().contains(w.id()));
        assertThat(failure(desktop.ipc().invokeWindow(w.id(), "double", 1, null)).code()).isEqualTo(ErrorCode.WINDOW_NOT_FOUND);
    }

    @Test
    void tenThousandConcurrentCallsEachWayAreMatchedToTheirCallers() throws Exception {
        try (Subscription h = desktop.ipc().handle("square", (p, ctx) -> CompletableFuture.completedFuture(p.intValue() * p.intValue()));
             EventStream squares = desktop.ipc().channelEvents("square");
             EventStream doubles = desktop.ipc().channelEvents("double")) {
            AppWindow w = Pages.open(desktop, "app://index.html");
            try {
                Pages.eval(w, "Promise.all(Array.from({ length: 10000 }, (_, i) => runtime.invoke('square', i)))"
                        + ".then((r) => { window.squares = r.every((v, i) => v === i * i) ? r.length : -1; }); 1");
                Pages.awaitEval(w, "window.squares", "10000");
                List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
                for (int i = 0; i < 10_000; i++) {
                    calls.add(desktop.ipc().invokeWindow(w.id(), "double", i, Duration.ofSeconds(60)));
                }
                for (int i = 0; i < 10_000; i++) {
                    assertThat(calls.get(i).get(60, TimeUnit.SECONDS).intValue()).isEqualTo(2 * i);
                }
                assertThat(squares.poll(Duration.ofMillis(200))).isNull(); // calls are not events
                assertThat(doubles.poll(Duration.ZERO)).isNull();
            } finally {
                w.close();
            }
        }
    }
}
