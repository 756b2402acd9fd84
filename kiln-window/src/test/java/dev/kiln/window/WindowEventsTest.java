package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.EventType;
import dev.kiln.ipc.IpcEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.stage.WindowEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Window system events and the window handle, in real windows. */
@ExtendWith(RealWindowExtension.class)
class WindowEventsTest {
    private static Desktop desktop;

    @BeforeAll
    static void start() {
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false));
    }

    @AfterAll
    static void stop() {
        desktop.close();
    }

    /** The next system event of the given type, skipping others (focus may move meanwhile). */
    private static IpcEvent next(EventStream events, EventType type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            IpcEvent e = events.poll(Duration.ofSeconds(1));
            if (e != null && e.type() == type) {
                return e;
            }
        }
        throw new AssertionError("No " + type + " event within 20 s");
    }

    private static List<IpcEvent> drain(EventStream events, EventType type, Duration quiet) throws InterruptedException {
        List<IpcEvent> found = new CopyOnWriteArrayList<>();
        IpcEvent e;
        while ((e = events.poll(quiet)) != null) {
            if (e.type() == type) {
                found.add(e);
            }
        }
        return found;
    }

    @Test
    void resizeAndMoveAreOneEventPerChangeAndGettersSeeThemAtOnce() throws Exception {
        AppWindow w = Pages.open(desktop, WindowOptions.builder().url("app://echo.html").size(400, 300).position(10, 10).build());
        try (EventStream events = w.events()) {
            w.setSize(520, 360);
            assertThat(w.getSize()).isEqualTo(new Size(520, 360));
            IpcEvent resize = next(events, EventType.RESIZE);
            assertThat(resize.channel()).isEqualTo("resize");
            assertThat(resize.windowId()).isEqualTo(w.id());
            assertThat(resize.payload().toString()).isEqualTo("{\"width\":520,\"height\":360}");
            assertThat(drain(events, EventType.RESIZE, Duration.ofMillis(400))).as("one event, not one per dimension").isEmpty();

            w.setPosition(130, 140);
            assertThat(w.getPosition()).isEqualTo(new Position(130, 140));
            IpcEvent move = next(events, EventType.MOVE);
            assertThat(move.payload().toString()).isEqualTo("{\"x\":130,\"y\":140}");
            assertThat(drain(events, EventType.MOVE, Duration.ofMillis(400))).isEmpty();
            assertThat(Pages.eval(w, "[window.outerWidth, window.outerHeight].join('x')")).isEqualTo("\"520x360\"");
        } finally {
            w.close();
        }
    }

    @Test
    void gettersAlwaysSeeTheLastSetterWhileTheWindowCatchesUp() throws Exception {
        AppWindow w = Pages.open(desktop, WindowOptions.builder().url("app://echo.html").size(300, 200).position(0, 0).build());
        try {
            for (int i = 0; i < 100; i++) {
                Position p = new Position(100 + i, 200 + i);
                Size z = new Size(300 + i, 250 + i);
                w.setPosition(p.x(), p.y());
                w.setSize(z.width(), z.height());
                // keep reading while the FX thread applies the change (and fires its listeners)
                for (int j = 0; j < 20_000; j++) {
                    if (!w.getPosition().equals(p) || !w.getSize().equals(z)) {
                        throw new AssertionError("after setting " + p + " " + z + ": " + w.getPosition() + " " + w.getSize());
                    }
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> Fx.call(() -> {
                javafx.stage.Stage s = ((WebViewWindow) w).stage();
                return (int) s.getX() + "," + (int) s.getY() + " " + (int) s.getWidth() + "x" + (int) s.getHeight();
            }).get(), "199,299 399x349"::equals);
            assertThat(w.getPosition()).isEqualTo(new Position(199, 299));
            assertThat(w.getSize()).isEqualTo(new Size(399, 349));
        } finally {
            w.close();
        }
    }

    @Test
    void focusMovesBetweenWindowsWithFocusAndBlurEvents() throws Exception {
        AppWindow a = Pages.open(desktop, WindowOptions.builder().url("app://echo.html").size(300, 200).position(0, 400).build());
        AppWindow b = Pages.open(desktop, WindowOptions.builder().url("app://echo.html").size(300, 200).position(400, 400).build());
        try (EventStream ea = a.events(); EventStream eb = b.events()) {
            a.focus();
            await().atMost(Duration.ofSeconds(10)).until(a::isFocused);
            drain(ea, EventType.FOCUS, Duration.ofMillis(200));
            drain(eb, EventType.BLUR, Duration.ofMillis(10));

            b.focus();
            assertThat(next(eb, EventType.FOCUS).channel()).isEqualTo("focus");
            assertThat(next(ea, EventType.BLUR).channel()).isEqualTo("blur");
            assertThat(b.isFocused()).isTrue();
            assertThat(a.isFocused()).isFalse();

            a.focus();
            assertThat(next(ea, EventType.FOCUS).windowId()).isEqualTo(a.id());
            assertThat(next(eb, EventType.BLUR).windowId()).isEqualTo(b.id());
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void theUsersCloseRequestClosesTheWindowAndEndsItsStream() throws Exception {
        AppWindow w = Pages.open(desktop, WindowOptions.builder().id("closing").url("app://echo.html").size(300, 200).build());
        List<String> closedIds = new CopyOnWriteArrayList<>();
        try (var sub = desktop.ipc().onChannel("close", (payload, windowId) -> closedIds.add(windowId));
             EventStream own = w.events()) {
            // what the window system's close button (WM_DELETE_WINDOW) makes JavaFX fire
            Fx.call(() -> {
                WebViewWindow ww = (WebViewWindow) w;
                ww.stage().fireEvent(new WindowEvent(ww.stage(), WindowEvent.WINDOW_CLOSE_REQUEST));
                return null;
            }).get(10, TimeUnit.SECONDS);
            IpcEvent close = next(own, EventType.CLOSE);
            assertThat(close.isSystemEvent()).isTrue();
            assertThat(own.poll(Duration.ofSeconds(5))).as("the stream ended").isNull();
            assertThat(own.isActive()).isFalse();
            await().until(() -> closedIds.contains("closing"));
            assertThat(w.isClosed()).isTrue();
            assertThat(w.isVisible()).isFalse();
            assertThat(desktop.window("closing")).isEmpty();
            assertThat(w.events().poll(Duration.ofMillis(10))).as("a closed window's new stream is over").isNull();
            assertThat(Fx.call(() -> ((WebViewWindow) w).stage().isShowing()).get(10, TimeUnit.SECONDS)).isFalse();
            w.close(); // idempotent
            assertThat(desktop.ipc().isShutdown()).as("opted out of exit on last window").isFalse();
        }
    }

    @Test
    void optionsReachTheNativeWindow() throws Exception {
        AppWindow w = Pages.open(desktop, WindowOptions.builder().url("app://echo.html").title("opts").size(420, 330)
                .position(50, 60).resizable(false).alwaysOnTop(true).minWidth(200).minHeight(150)
                .maxWidth(900).maxHeight(700).build());
        try {
            String stage = Fx.call(() -> {
                javafx.stage.Stage s = ((WebViewWindow) w).stage();
                return s.getTitle() + " " + (int) s.getWidth() + "x" + (int) s.getHeight() + " @" + (int) s.getX() + ","
                        + (int) s.getY() + " resizable=" + s.isResizable() + " onTop=" + s.isAlwaysOnTop() + " min="
                        + (int) s.getMinWidth() + "x" + (int) s.getMinHeight() + " max=" + (int) s.getMaxWidth() + "x"
                        + (int) s.getMaxHeight() + " showing=" + s.isShowing();
            }).get(10, TimeUnit.SECONDS);
            assertThat(stage).isEqualTo("opts 420x330 @50,60 resizable=false onTop=true min=200x150 max=900x700 showing=true");
            assertThat(w.getSize()).isEqualTo(new Size(420, 330));
            assertThat(w.getPosition()).isEqualTo(new Position(50, 60));
            assertThat(w.isVisible()).isTrue();
        } finally {
            w.close();
        }
        AppWindow hidden = desktop.createWindow(WindowOptions.builder().url("app://echo.html").visible(false).build())
                .get(10, TimeUnit.SECONDS);
        try {
            Automation.whenPageReady(hidden).get(20, TimeUnit.SECONDS);
            assertThat(hidden.isVisible()).isFalse();
            assertThat(hidden.id()).startsWith("window-");
        } finally {
            hidden.close();
        }
    }

    @Test
    void titleVisibilityAndAlertsReachTheApp() throws Exception {
        List<String> alerts = new CopyOnWriteArrayList<>();
        desktop.onAlert((window, text) -> alerts.add(window.id() + ":" + text));
        AppWindow w = Pages.open(desktop, WindowOptions.builder().url("app://echo.html").title("first").size(300, 200).build());
        try {
            assertThat(w.getTitle()).isEqualTo("first");
            w.setTitle("second");
            assertThat(w.getTitle()).isEqualTo("second");
            await().until(() -> Fx.call(() -> ((WebViewWindow) w).stage().getTitle()).get(), "second"::equals);
            w.hide();
            assertThat(w.isVisible()).isFalse();
            await().until(() -> !Fx.call(() -> ((WebViewWindow) w).stage().isShowing()).get());
            w.show();
            assertThat(w.isVisible()).isTrue();
            await().until(() -> Fx.call(() -> ((WebViewWindow) w).stage().isShowing()).get());
            Pages.eval(w, "alert('hello from the page'); 1");
            await().until(() -> alerts.contains(w.id() + ":hello from the page"));
        } finally {
            w.close();
        }
    }

    @Test
    void withoutTheOptOutClosingTheLastWindowShutsTheRuntimeDown() throws Exception {
        Desktop own = Desktop.start(DesktopConfig.of(TestWeb.root()));
        try (EventStream all = own.ipc().windowEvents()) {
            AppWindow w = Pages.open(own, "app://echo.html");
            AppWindow second = Pages.open(own, "app://echo.html");
            w.close();
            next(all, EventType.CLOSE);
            assertThat(own.terminated()).as("one window is still open").isNotDone();
            own.closeWindow(second.id());
            own.terminated().get(10, TimeUnit.SECONDS);
            IpcEvent last = null;
            IpcEvent e;
            while ((e = all.poll(Duration.ofSeconds(5))) != null) {
                last = e;
            }
            assertThat(last.type()).as("the close event arrives before the end").isEqualTo(EventType.CLOSE);
            assertThat(last.windowId()).isEqualTo(second.id());
            assertThat(own.ipc().recvWindowEvent().get(5, TimeUnit.SECONDS)).isNull();
            assertThat(own.createWindow(WindowOptions.builder().build())).failsWithin(Duration.ofSeconds(5));
        } finally {
            own.close();
        }
    }

    @Test
    void withTheOptOutTheRuntimeOutlivesItsWindows() throws Exception {
        Desktop own = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false));
        try {
            AppWindow w = Pages.open(own, "app://echo.html");
            w.close();
            await().until(() -> own.windows().isEmpty());
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !own.terminated().isDone());
            assertThat(own.ipc().isShutdown()).isFalse();
            AppWindow again = Pages.open(own, "app://echo.html");
            assertThat(again.isClosed()).isFalse();
        } finally {
            own.close();
        }
        own.terminated().get(10, TimeUnit.SECONDS);
        assertThat(own.ipc().isShutdown()).isTrue();
    }
}
