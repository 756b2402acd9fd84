package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import netscape.javascript.JSObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A send completes when the page took its message, not when it was queued for the page. */
@ExtendWith(RealWindowExtension.class)
@Timeout(90)
class DeliveredSendTest {
    private static Desktop desktop;

    @BeforeAll
    static void start() {
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false)
                .withUnresponsiveAfter(Duration.ofMillis(1000)));
    }

    @AfterAll
    static void stop() {
        desktop.close();
    }

    @Test
    void sendsStayPendingWhileAPageHoldsTheFxThreadAndCompleteWhenItLetsGo() throws Exception {
        AppWindow other = Pages.open(desktop, WindowOptions.builder().id("bystander").url("app://echo.html")
                .size(300, 200).position(600, 0).build());
        AppWindow busy = Pages.open(desktop, WindowOptions.builder().id("holder").url("app://echo.html")
                .size(300, 200).position(0, 0).build());
        HeldGate gate = new HeldGate();
        try {
            Fx.call(() -> {
                ((JSObject) ((WebViewWindow) busy).engine().executeScript("window")).setMember("gate", gate);
                return null;
            }).get(10, TimeUnit.SECONDS);
            Pages.eval(busy, "window.spins = 0;"
                    + " runtime.on('hold', () => { while (gate.held()) { } window.spins++; }); 1");

            CompletableFuture<Void> holding = desktop.ipc().sendToWindow("holder", "hold");
            // the page is now in its loop, inside the delivery: the watchdog says so
            FxStall stall = await().atMost(Duration.ofSeconds(20)).until(FxWatchdog::unresponsive, s -> s.isPresent()).get();
            assertThat(stall.window()).isEqualTo("window holder");
            assertThat(stall.activity()).startsWith("a delivery of messages to the page");
            CompletableFuture<Void> next = desktop.ipc().sendToWindow("holder", "seq", 1);
            CompletableFuture<Void> elsewhere = desktop.ipc().sendToWindow("bystander", "seq", 2);

            // the gate is held: the page has not returned from the delivery, nor taken the later messages
            assertThat(holding).as("the message whose listener is still running").isNotDone();
            assertThat(next).as("a message queued behind it").isNotDone();
            assertThat(elsewhere).as("a message to another window: the FX thread is held for every window").isNotDone();

            gate.open();

            CompletableFuture.allOf(holding, next, elsewhere).get(20, TimeUnit.SECONDS);
            assertThat(Pages.eval(busy, "window.spins")).isEqualTo("1");
            Pages.awaitEval(busy, "received.seq", "[1]");
            Pages.awaitEval(other, "received.seq", "[2]");
        } finally {
            gate.open();
            busy.close();
            other.close();
        }
    }
}
