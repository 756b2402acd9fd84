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
            assertThat(statusTextPixels(shot)).as("the response text is painted in the screenshot").isGreaterThan(50);

            win.close();
            desktop.terminated().get(10, TimeUnit.SECONDS);
            assertThat(desktop.ipc().isShutdown()).isTrue();
        } finally {
            desktop.close();
        }
    }

    /** Pixels of the status line's green (#265) text colour in the screenshot. */
    private static int statusTextPixels(Path png) throws java.io.IOException {
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (g > r + 40 && g > b && g < 200) {
                    count++;
                }
            }
        }
        return count;
    }
}
