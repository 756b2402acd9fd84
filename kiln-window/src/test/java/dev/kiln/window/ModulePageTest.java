package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.IpcEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Host-to-page messages on pages with module scripts (the pages frameworks build): sent before,
 * during and after the load, each arrives once and in order, and every send's future completes.
 */
@ExtendWith(RealWindowExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ModulePageTest {
    private static Desktop desktop;

    @BeforeAll
    static void start() {
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false));
    }

    @AfterAll
    static void stop() {
        desktop.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"head-src", "head-inline", "body", "dynamic", "mixed"})
    void messagesSentBeforeDuringAndAfterTheLoadArriveOnceInOrder(String page) throws Exception {
        try (EventStream acks = desktop.ipc().channelEvents("early-ack")) {
            AppWindow w = desktop.createWindow(WindowOptions.builder()
                    .url("app://modules/" + page + ".html").size(300, 200).build()).get(20, TimeUnit.SECONDS);
            try {
                List<CompletableFuture<Void>> sends = new ArrayList<>();
                int n = 0;
                for (; n < 10; n++) { // before the page is ready
                    sends.add(desktop.ipc().sendToWindow(w.id(), "early", Map.of("n", n)));
                }
                List<Integer> got = new ArrayList<>();
                got.add(nextAck(acks, w).get("n").asInt()); // the page is up now
                for (; n < 20; n++) { // while the load worker may still report
                    sends.add(desktop.ipc().sendToWindow(w.id(), "early", Map.of("n", n)));
                }
                Automation.whenPageReady(w).get(20, TimeUnit.SECONDS);
                while (got.size() < 20) {
                    got.add(nextAck(acks, w).get("n").asInt());
                }
                for (; n < 30; n++) { // after
                    sends.add(desktop.ipc().sendToWindow(w.id(), "early", Map.of("n", n)));
                }
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
                while (got.size() < 30) {
                    got.add(nextAck(acks, w).get("n").asInt());
                }
                assertThat(got).as("acks on " + page).isEqualTo(java.util.stream.IntStream.range(0, 30).boxed().toList());
                assertThat(acks.poll(Duration.ofMillis(300))).as("no message twice").isNull();
                if (page.equals("mixed")) {
                    assertThat(Pages.eval(w, "[classicRan, classicBodyRan, deferredRan, moduleBodyRan].join()"))
                            .isEqualTo("\"true,true,true,true\"");
                }
            } finally {
                w.close();
            }
        }
    }

    @org.junit.jupiter.api.Test
    void messagesSentAcrossReloadsOfAModulePageArriveOnceInOrder() throws Exception {
        try (EventStream acks = desktop.ipc().channelEvents("early-ack")) {
            AppWindow w = Pages.open(desktop, "app://modules/head-src.html");
            try {
                List<CompletableFuture<Void>> sends = new ArrayList<>();
                int n = 0;
                for (int round = 0; round < 3; round++) {
                    Pages.eval(w, "setTimeout(() => location.reload(), 0); 1");
                    for (int i = 0; i < 20; i++, n++) { // before, during and after the reload: old or new document
                        sends.add(desktop.ipc().sendToWindow(w.id(), "early", Map.of("n", n)));
                        if (i % 5 == 4) {
                            Thread.sleep(5); // spread the sends over the reload, not to make an assertion true
                        }
                    }
                    Automation.whenPageReady(w).get(20, TimeUnit.SECONDS);
                }
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
                List<Integer> got = new ArrayList<>();
                while (got.size() < n) {
                    got.add(nextAck(acks, w).get("n").asInt());
                }
                assertThat(got).isEqualTo(java.util.stream.IntStream.range(0, n).boxed().toList());
                assertThat(acks.poll(Duration.ofMillis(300))).as("no message twice").isNull();
            } finally {
                w.close();
            }
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode nextAck(EventStream acks, AppWindow w) throws InterruptedException {
        IpcEvent e = acks.poll(Duration.ofSeconds(20));
        assertThat(e).as("an early-ack from the page").isNotNull();
        assertThat(e.windowId()).isEqualTo(w.id());
        return e.payload();
    }
}
