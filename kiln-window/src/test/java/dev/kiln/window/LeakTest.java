package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.EventType;
import dev.kiln.ipc.IpcEvent;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Opening and closing 200 windows leaves no thread, listener, window or memory behind. */
@ExtendWith(RealWindowExtension.class)
class LeakTest {
    private static final int WINDOWS = 200;

    @Test
    void twoHundredWindowsLeaveNothingBehind() throws Exception {
        Desktop desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false));
        try {
            cycle(desktop, 10, new ArrayList<>()); // warm up: classes, caches, pools
            int baseSubscribers = desktop.ipc().stats().subscribers();
            int baseThreads = settledThreadCount();
            long baseHeap = heapAfterGc();

            List<WeakReference<Object>> gone = new ArrayList<>();
            long start = System.nanoTime();
            cycle(desktop, WINDOWS, gone);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> settledThreadCount() <= baseThreads);
            long heap = heapAfterGc();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
                System.gc();
                return gone.stream().allMatch(r -> r.get() == null);
            });
            System.out.printf("leak test: %d windows in %d ms (%.1f ms each); threads %d -> %d; heap %d MB -> %d MB%n",
                    WINDOWS, millis, millis / (double) WINDOWS, baseThreads, settledThreadCount(),
                    baseHeap >> 20, heap >> 20);
            assertThat(heap - baseHeap).as("heap growth after GC, bytes").isLessThan(16L << 20);
            assertThat(desktop.ipc().stats().subscribers()).isEqualTo(baseSubscribers);
            assertThat(desktop.ipc().windowIds()).isEmpty();
            assertThat(desktop.windows()).isEmpty();
            assertThat(Fx.call(() -> Window.getWindows().size()).get(10, TimeUnit.SECONDS)).isZero();
        } finally {
            desktop.close();
        }
    }

    /** Opens, uses (one round trip, one stream) and closes n windows, one after the other. */
    private static void cycle(Desktop desktop, int n, List<WeakReference<Object>> gone) throws Exception {
        for (int i = 0; i < n; i++) {
            AppWindow w = Pages.open(desktop, WindowOptions.builder().url("app://echo.html").size(200, 150).build());
            try (EventStream events = w.events()) {
                desktop.ipc().sendToWindow(w.id(), "echo", i);
                IpcEvent e;
                do {
                    e = events.poll(Duration.ofSeconds(20));
                } while (e != null && !e.channel().equals("echoed"));
                assertThat(e).as("echo from window " + i).isNotNull();
                w.close();
                do {
                    e = events.poll(Duration.ofSeconds(20));
                } while (e != null && e.type() != EventType.CLOSE);
                assertThat(e).as("close of window " + i).isNotNull();
            }
            gone.add(new WeakReference<>(w));
            gone.add(new WeakReference<>(Fx.call(() -> ((WebViewWindow) w).stage()).get(10, TimeUnit.SECONDS)));
            gone.add(new WeakReference<>(Fx.call(() -> ((WebViewWindow) w).view()).get(10, TimeUnit.SECONDS)));
        }
    }

    private static int settledThreadCount() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
