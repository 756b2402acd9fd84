package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.ipc.IpcEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The spec's Complete Example through the Java API, driven by a real mouse click. */
@ExtendWith(RealWindowExtension.class)
class CompleteExampleTest {

    @Test
    void realClickIsAnsweredInThePageAndCloseShutsTheRuntimeDown() throws Exception {
        Desktop desktop = Desktop.start(DesktopConfig.of(TestWeb.root()));
        try {
            List<String> clicks = new CopyOnWriteArrayList<>();
            List<String> closes = new CopyOnWriteArrayList<>();
            desktop.ipc().onChannel("button-click", (payload, windowId) -> {
                String buttonId = payload.get("buttonId").asText();
                clicks.add(buttonId + "@" + windowId);
                desktop.ipc().sendToWindow(windowId, "button-response",
                        Map.of("success", true, "message", "Processed " + buttonId));
            });
            desktop.ipc().onChannel("close", (payload, windowId) -> closes.add(windowId));

            AppWindow win = desktop.createWindow(WindowOptions.builder()
                    .id("main-window").title("My App").size(800, 600).position(40, 40).build()).get(20, TimeUnit.SECONDS);
            Automation.whenPageReady(win).get(20, TimeUnit.SECONDS);

            Automation.click(win, "#submit").get(10, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(10)).until(() -> Automation.evaluate(win,
                    "document.getElementById('status').textContent").get(), text -> text.equals("\"Processed submit\""));
            assertThat(clicks).containsExactly("submit@main-window");
            Path shot = Automation.screenshot(win, RealWindowExtension.SCREENSHOTS.resolve("complete-example.png"))
                    .get(10, TimeUnit.SECONDS);
            assertThat(shot).isNotEmptyFile();

            IpcEvent[] closeEvent = new IpcEvent[1];
            var stream = win.events();
            win.close();
            IpcEvent e;
            while ((e = stream.poll(Duration.ofSeconds(10))) != null) {
                closeEvent[0] = e;
            }
            assertThat(closeEvent[0].channel()).isEqualTo("close");
            assertThat(closeEvent[0].windowId()).isEqualTo("main-window");
            desktop.terminated().get(10, TimeUnit.SECONDS);
            assertThat(desktop.ipc().recvWindowEvent().get(5, TimeUnit.SECONDS)).isNull();
            // callbacks run on their own executor: the close callback may still be on its way
            await().atMost(Duration.ofSeconds(10)).until(() -> closes.contains("main-window"));
            assertThat(closes).containsExactly("main-window");
        } finally {
            desktop.close();
        }
    }
}
