package dev.kiln.window;

import static org.awaitility.Awaitility.await;

import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.IpcEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Short blocking helpers for window tests (test thread only). */
final class Pages {
    private Pages() {
    }

    static AppWindow open(Desktop desktop, String url) throws Exception {
        return open(desktop, WindowOptions.builder().url(url).size(400, 300).build());
    }

    static AppWindow open(Desktop desktop, WindowOptions options) throws Exception {
        AppWindow w = desktop.createWindow(options).get(20, TimeUnit.SECONDS);
        Automation.whenPageReady(w).get(20, TimeUnit.SECONDS);
        return w;
    }

    /** The script's value as JSON text. */
    static String eval(AppWindow w, String js) throws Exception {
        return Automation.evaluate(w, js).get(20, TimeUnit.SECONDS);
    }

    static void awaitEval(AppWindow w, String js, String expectedJson) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> Automation.evaluate(w, js).get(20, TimeUnit.SECONDS), expectedJson::equals);
    }

    /** The next n events of the stream, waiting at most 20 s for each. */
    static List<IpcEvent> take(EventStream stream, int n) throws InterruptedException {
        List<IpcEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            IpcEvent e = stream.poll(Duration.ofSeconds(20));
            if (e == null) {
                throw new AssertionError("Only " + i + " of " + n + " events arrived: " + events.subList(
                        Math.max(0, events.size() - 5), events.size()));
            }
            events.add(e);
        }
        return events;
    }
}
