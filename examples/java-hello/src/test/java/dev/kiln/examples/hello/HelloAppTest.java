package dev.kiln.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.window.AppWindow;
import dev.kiln.window.Automation;
import dev.kiln.window.Desktop;
import dev.kiln.window.RealWindowExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs the example app, clicks its button with the real mouse, and keeps a screenshot. */
@ExtendWith(RealWindowExtension.class)
class HelloAppTest {

    @Test
    void aRealClickIsAnsweredAndClosingTheWindowEndsTheApp() throws Exception {
        Desktop desktop = HelloApp.launch(Path.of("web"));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> desktop.window("main-window").isPresent());
            AppWindow win = desktop.window("main-window").orElseThrow();
            Automation.whenPageReady(win).get(20, TimeUnit.SECONDS);

            Automation.click(win, "#submit").get(10, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(10)).until(() -> Automation.evaluate(win,
                    "document.getElementById('status').textContent").get(), "\"Processed submit\""::equals);
            Path shot = Automation.screenshot(win, Path.of("target", "screenshots", "java-hello.png"))
                    .get(10, TimeUnit.SECONDS);
            assertThat(shot).isNotEmptyFile();

            win.close();
            desktop.terminated().get(10, TimeUnit.SECONDS);
            assertThat(desktop.ipc().isShutdown()).isTrue();
        } finally {
            desktop.close();
        }
    }
}
