package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.IpcConfig;
import dev.kiln.ipc.IpcEvent;
import dev.kiln.ipc.KilnException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The binary limit ({@link IpcConfig#maxBinaryBytes()}, here 2 MiB): a payload whose binaries have more
 * is refused where it is sent, with 7010, in Java and in the page, and nothing else is lost.
 */
@ExtendWith(RealWindowExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BinaryLimitTest {
    private static final int LIMIT = 2 * 1024 * 1024;
    private static Desktop desktop;

    @BeforeAll
    static void start() {
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false)
                .withIpc(IpcConfig.builder().maxBinaryBytes(LIMIT).build()));
    }

    @AfterAll
    static void stop() {
        desktop.close();
    }

    @Test
    void javaRefusesAPayloadOverTheBinaryLimitAtOnceAndTheNextMessageArrives() throws Exception {
        AppWindow w = Pages.open(desktop, "app://echo.html");
        try {
            Pages.eval(w, "window.got = []; runtime.on('lim', (p) => window.got.push(p.n === undefined ? p.data.length : p.n)); 1");
            // two binaries of 1.5 MiB: each under the limit, together over it
            byte[] part = new byte[LIMIT * 3 / 4];
            CompletableFuture<Void> over = desktop.ipc().sendToWindow(w.id(), "lim", Map.of("a", part, "b", part));
            assertThat(over).isCompletedExceptionally();
            assertThatThrownBy(over::get).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(KilnException.class).hasMessageStartingWith("[7010]")
                    .satisfies(e -> assertThat(((KilnException) e).code()).isEqualTo(ErrorCode.BINARY_TOO_LARGE));
            CompletableFuture<Void> broadcast = desktop.ipc().broadcast(List.of(w.id()), "lim", new byte[LIMIT + 1]);
            assertThat(broadcast).isCompletedExceptionally();
            assertThat(desktop.ipc().invokeWindow(w.id(), "lim", new byte[LIMIT + 1], Duration.ofSeconds(5)))
                    .isCompletedExceptionally();
            desktop.ipc().sendToWindow(w.id(), "lim", Map.of("data", new byte[LIMIT])).get(30, TimeUnit.SECONDS);
            desktop.ipc().sendToWindow(w.id(), "lim", Map.of("n", 1)).get(30, TimeUnit.SECONDS);
            Pages.awaitEval(w, "window.got", "[" + LIMIT + ",1]");
        } finally {
            w.close();
        }
    }

    @Test
    void thePageRefusesASendOverTheBinaryLimitAtOnceAndTheNextSendArrives() throws Exception {
        AppWindow w = Pages.open(desktop, "app://echo.html");
        try (EventStream events = desktop.ipc().channelEvents("lim")) {
            assertThat(Pages.eval(w, "try { runtime.send('lim', { data: new Uint8Array(" + (LIMIT + 1) + ") }); 'sent' }"
                    + " catch (e) { e.code + ' ' + e.message }"))
                    .isEqualTo("\"7010 [7010] The payload's binary values have " + (LIMIT + 1)
                            + " bytes or more; the limit is " + LIMIT + " bytes\"");
            Pages.eval(w, "window.invoked = null; runtime.invoke('lim', new Uint8Array(" + (LIMIT + 1) + "))"
                    + ".then(() => window.invoked = 'answered', (e) => window.invoked = e.code); 1");
            Pages.awaitEval(w, "window.invoked", "7010");
            Pages.eval(w, "runtime.send('lim', { data: new Uint8Array(" + LIMIT + ") }); runtime.send('lim', { n: 1 }); 1");
            List<IpcEvent> got = Pages.take(events, 2);
            assertThat(got.get(0).payload().get("data").binaryValue()).hasSize(LIMIT);
            assertThat(got.get(1).payload().get("n").asInt()).isEqualTo(1);
        } finally {
            w.close();
        }
    }
}
