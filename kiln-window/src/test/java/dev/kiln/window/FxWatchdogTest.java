package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The FX watchdog, with real pages that keep the FX thread busy for a few seconds. */
@ExtendWith(RealWindowExtension.class)
@Timeout(90)
class FxWatchdogTest {
    private static final Duration THRESHOLD = Duration.ofMillis(1000);
    private static Desktop desktop;

    @BeforeAll
    static void start() {
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false)
                .withUnresponsiveAfter(THRESHOLD));
    }

    @AfterAll
    static void stop() {
        desktop.close();
    }

    /** The next stall and the recovery after it, as futures, from this desktop's listeners. */
    private static CompletableFuture<FxStall>[] nextStallAndRecovery() {
        CompletableFuture<FxStall> stalled = new CompletableFuture<>();
        CompletableFuture<FxStall> recovered = new CompletableFuture<>();
        desktop.onUnresponsive(stalled::complete);
        desktop.onResponsive(s -> {
            if (stalled.isDone()) {
                recovered.complete(s);
            }
        });
        @SuppressWarnings("unchecked")
        CompletableFuture<FxStall>[] both = new CompletableFuture[] {stalled, recovered};
        return both;
    }

    @Test
    void aClickHandlerInALoopIsReportedWithItsWindowAndSoIsTheRecovery() throws Exception {
        AppWindow other = Pages.open(desktop, WindowOptions.builder().id("calm").url("app://busy.html").size(300, 200)
                .position(600, 0).build());
        AppWindow busy = Pages.open(desktop, WindowOptions.builder().id("busy").url("app://busy.html").size(300, 200)
                .position(0, 0).build());
        Pages.eval(busy, "window.spinMs = 4000");
        // the host entered the other page last: the click must win over that. And the FX thread is
        // free now, so a stall of the windows' opening cannot be reported after this point.
        Pages.eval(other, "1");
        try (LogCapture log = new LogCapture()) {
            CompletableFuture<FxStall>[] watch = nextStallAndRecovery();

            Automation.click(busy, "#spin").get(20, TimeUnit.SECONDS);

            FxStall stall = watch[0].get(20, TimeUnit.SECONDS);
            assertThat(stall.windowId()).isEqualTo("busy");
            assertThat(stall.windowCertain()).as("the FX thread is still in the click it entered the page with").isTrue();
            assertThat(stall.activity()).contains("mouse");
            assertThat(stall.inPage()).isTrue();
            assertThat(stall.duration()).isGreaterThanOrEqualTo(THRESHOLD);
            assertThat(FxWatchdog.unresponsive()).get().extracting(FxStall::windowId).isEqualTo("busy");

            FxStall over = watch[1].get(20, TimeUnit.SECONDS);
            assertThat(over.windowId()).isEqualTo("busy");
            assertThat(over.duration()).isGreaterThan(stall.duration());
            assertThat(Pages.eval(busy, "window.spins")).isEqualTo("1");
            assertThat(FxWatchdog.unresponsive()).isEmpty();
            await().atMost(Duration.ofSeconds(5)).until(() -> log.contains("window busy is responding again"));
            assertThat(log.messages()).filteredOn(m -> m.startsWith("[7005] window busy")).containsExactly(
                    "[7005] " + stall.describe() + "; every window is frozen until it returns",
                    "[7005] window busy is responding again, after " + over.seconds());
        } finally {
            busy.close();
            other.close();
        }
    }

    @Test
    void aListenerInALoopIsADeliveryToTheLastActiveWindow() throws Exception {
        AppWindow other = Pages.open(desktop, WindowOptions.builder().id("idle").url("app://busy.html").size(300, 200)
                .position(600, 0).build());
        AppWindow busy = Pages.open(desktop, WindowOptions.builder().id("listening").url("app://busy.html").size(300, 200)
                .position(0, 0).build());
        try {
            Pages.eval(busy, "1");
            CompletableFuture<FxStall>[] watch = nextStallAndRecovery();

            desktop.ipc().sendToWindow("listening", "spin", 3000);

            FxStall stall = watch[0].get(20, TimeUnit.SECONDS);
            assertThat(stall.activity()).startsWith("a delivery of messages to the page");
            // a delivery records its window before it calls into the page: the window is certain
            assertThat(stall.window()).isEqualTo("window listening");
            watch[1].get(20, TimeUnit.SECONDS);
            assertThat(Pages.eval(busy, "window.spins")).isEqualTo("1");
        } finally {
            busy.close();
            other.close();
        }
    }

    @Test
    void aTimerInALoopNamesTheLastActiveWindowAndSaysSo() throws Exception {
        AppWindow other = Pages.open(desktop, WindowOptions.builder().id("quiet").url("app://busy.html").size(300, 200)
                .position(600, 0).build());
        AppWindow busy = Pages.open(desktop, WindowOptions.builder().id("looping").url("app://busy.html").size(300, 200)
                .position(0, 0).build());
        try {
            CompletableFuture<FxStall>[] watch = nextStallAndRecovery();

            Pages.eval(busy, "window.spinInTimer(3000)");

            FxStall stall = watch[0].get(20, TimeUnit.SECONDS);
            assertThat(stall.windowId()).isEqualTo("looping");
            assertThat(stall.windowCertain()).as("a timer cannot be traced to its page").isFalse();
            assertThat(stall.window()).isEqualTo("window looping (last active)");
            assertThat(stall.activity()).contains("timer");
            assertThat(watch[1].get(20, TimeUnit.SECONDS).windowId()).isEqualTo("looping");
            assertThat(Pages.eval(busy, "window.spins")).isEqualTo("1");
        } finally {
            busy.close();
            other.close();
        }
    }
}
