package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Closing a window whose module script still awaits a fetch at top level (the document is already
 * complete) leaves the FX thread answering. JavaFX 21's WebKit spins the FX thread forever in its
 * timer when such a document is unloaded while the fetch is cancelled.
 */
@ExtendWith(RealWindowExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CloseDuringModuleLoadTest {
    private static Desktop desktop;

    @BeforeAll
    static void start() {
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false));
    }

    @AfterAll
    static void stop() {
        desktop.close();
    }

    @Test
    void closingRightAfterCompleteKeepsTheFxThreadAnswering() throws Exception {
        for (int round = 0; round < 3; round++) {
            AppWindow w = Pages.open(desktop, "app://modules/await-fetch.html");
            WebViewWindow window = (WebViewWindow) w;
            boolean closed = false;
            for (int tries = 0; tries < 2000 && !closed; tries++) {
                // checked and closed in one FX task: nothing of the page runs in between
                closed = Fx.call(() -> {
                    if ("complete".equals(window.engine().executeScript("document.readyState"))) {
                        window.closeOnFx();
                        return true;
                    }
                    return false;
                }).get(5, TimeUnit.SECONDS);
            }
            assertThat(closed).as("the page reached complete").isTrue();
            assertThat(Fx.afterPulses(10, () -> 1).get(5, TimeUnit.SECONDS))
                    .as("the FX thread keeps answering after the close").isEqualTo(1);
        }
        AppWindow other = Pages.open(desktop, "app://modules/await-fetch.html");
        try {
            Pages.awaitEval(other, "window.fetched", "{\"fetched\":true}");
        } finally {
            other.close();
        }
    }
}
