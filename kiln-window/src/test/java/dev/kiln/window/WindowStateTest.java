package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.EventType;
import dev.kiln.ipc.IpcEvent;
import dev.kiln.ipc.KilnException;
import dev.kiln.ipc.Subscription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.StageStyle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The window handle's state methods in real windows managed by a real window manager (openbox): each
 * change is read back from JavaFX and from the X server (xprop's _NET_WM_STATE, xdotool's geometry),
 * with its system event. Needs openbox, xdotool and xprop (CI installs them); a window manager
 * already running on the display is used as it is, one this class starts is stopped afterwards.
 */
@ExtendWith(RealWindowExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WindowStateTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Desktop desktop;
    private static Process wm;
    private static final AtomicInteger titles = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        for (String tool : List.of("openbox", "xdotool", "xprop")) {
            assertThat(onPath(tool)).as(tool + " is needed: apt-get install openbox xdotool x11-utils").isTrue();
        }
        wm = new ProcessBuilder("openbox").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        desktop.close();
        wm.destroy(); // only the openbox this class started (it exits at once if another WM runs)
        wm.waitFor(5, TimeUnit.SECONDS);
    }

    /** A window with a title unique to it, so that xdotool finds its X window by name. */
    private static AppWindow open(Function<WindowOptions.Builder, WindowOptions.Builder> options) throws Exception {
        String title = "state-" + titles.incrementAndGet();
        AppWindow w = Pages.open(desktop, options.apply(WindowOptions.builder().url("app://echo.html").title(title)
                .size(400, 300).position(100, 100)).build());
        await().atMost(WAIT).until(() -> xWindow(title) != null);
        return w;
    }

    @Test
    void minimizeAndRestore() throws Exception {
        AppWindow w = open(b -> b);
        try (EventStream events = w.events()) {
            w.minimize().get(20, TimeUnit.SECONDS);
            assertThat(w.isMinimized()).isTrue();
            assertThat(next(events, EventType.MINIMIZE).payload().isNull()).isTrue();
            assertThat(fx(w, Stage::isIconified)).isTrue();
            await().atMost(WAIT).until(() -> netWmState(w).contains("_NET_WM_STATE_HIDDEN"));

            w.restore().get(20, TimeUnit.SECONDS);
            assertThat(w.isMinimized()).isFalse();
            next(events, EventType.RESTORE);
            assertThat(fx(w, Stage::isIconified)).isFalse();
            await().atMost(WAIT).until(() -> !netWmState(w).contains("_NET_WM_STATE_HIDDEN"));
            assertThat(stateEvents(events)).as("one event per change").isEmpty();
        } finally {
            w.close();
        }
    }

    @Test
    void maximizeAndUnmaximize() throws Exception {
        AppWindow w = open(b -> b);
        try (EventStream events = w.events()) {
            w.maximize().get(20, TimeUnit.SECONDS);
            assertThat(w.isMaximized()).isTrue();
            next(events, EventType.MAXIMIZE);
            assertThat(fx(w, Stage::isMaximized)).isTrue();
            await().atMost(WAIT).until(() -> netWmState(w).contains("_NET_WM_STATE_MAXIMIZED_VERT")
                    && netWmState(w).contains("_NET_WM_STATE_MAXIMIZED_HORZ"));
            await().atMost(WAIT).until(() -> xGeometry(w)[0] > 1000); // the screen is at least 1280 wide
            await().atMost(WAIT).until(() -> w.getSize().width() > 1000);

            w.unmaximize().get(20, TimeUnit.SECONDS);
            assertThat(w.isMaximized()).isFalse();
            next(events, EventType.RESTORE);
            await().atMost(WAIT).until(() -> !netWmState(w).contains("_NET_WM_STATE_MAXIMIZED"));
            // back to the size it had before (openbox's frame is not part of the X window's geometry)
            await().atMost(WAIT).until(() -> fx(w, st -> st.getWidth() + "x" + st.getHeight() + (st.isMaximized() ? " maximized" : "")),
                    "400.0x300.0"::equals);
            await().atMost(WAIT).until(() -> xGeometry(w)[0] < 600);
            assertThat(w.getSize()).isEqualTo(new Size(400, 300));
            assertThat(stateEvents(events)).as("one event per change").isEmpty();
        } finally {
            w.close();
        }
    }

    @Test
    void fullscreen() throws Exception {
        AppWindow w = open(b -> b);
        try (EventStream events = w.events()) {
            w.setFullscreen(true).get(20, TimeUnit.SECONDS);
            assertThat(w.isFullscreen()).isTrue();
            await().atMost(WAIT).until(() -> fx(w, Stage::isFullScreen));
            await().atMost(WAIT).until(() -> netWmState(w).contains("_NET_WM_STATE_FULLSCREEN"));
            int[] screen = screenSize(); // the display's size: 1280x1024 here, 1920x1080 under ./kiln test
            await().atMost(WAIT).until(() -> xGeometry(w)[0] == screen[0] && xGeometry(w)[1] == screen[1]);
            w.setFullscreen(false).get(20, TimeUnit.SECONDS);
            assertThat(w.isFullscreen()).isFalse();
            await().atMost(WAIT).until(() -> !netWmState(w).contains("_NET_WM_STATE_FULLSCREEN"));
            await().atMost(WAIT).until(() -> !fx(w, Stage::isFullScreen));
            assertThat(stateEvents(events)).as("full screen is not a minimize, maximize or restore").isEmpty();
        } finally {
            w.close();
        }
    }

    @Test
    void alwaysOnTopResizableAndVisible() throws Exception {
        AppWindow w = open(b -> b);
        try {
            assertThat(w.isAlwaysOnTop()).isFalse();
            w.setAlwaysOnTop(true).get(20, TimeUnit.SECONDS);
            assertThat(w.isAlwaysOnTop()).isTrue();
            assertThat(fx(w, Stage::isAlwaysOnTop)).isTrue();
            await().atMost(WAIT).until(() -> netWmState(w).contains("_NET_WM_STATE_ABOVE"));
            w.setAlwaysOnTop(false).get(20, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> !netWmState(w).contains("_NET_WM_STATE_ABOVE"));

            assertThat(w.isResizable()).isTrue();
            w.setResizable(false).get(20, TimeUnit.SECONDS);
            assertThat(w.isResizable()).isFalse();
            assertThat(fx(w, Stage::isResizable)).isFalse();
            // GTK pins a fixed-size window's size hints: min = max = its size
            await().atMost(WAIT).until(() -> sizeHints(w)
                    .matches("(?s).*minimum size: (\\d+) by (\\d+).*maximum size: \\1 by \\2.*"));
            w.setResizable(true).get(20, TimeUnit.SECONDS);
            assertThat(fx(w, Stage::isResizable)).isTrue();

            w.setVisible(false).get(20, TimeUnit.SECONDS);
            assertThat(w.isVisible()).isFalse();
            assertThat(fx(w, Stage::isShowing)).isFalse();
            await().atMost(WAIT).until(() -> xWindow(w.getTitle()) == null); // JavaFX destroys a hidden stage's X window
            w.setVisible(true).get(20, TimeUnit.SECONDS);
            assertThat(w.isVisible()).isTrue();
            await().atMost(WAIT).until(() -> run("xwininfo", "-id", xWindow(w.getTitle())), m -> m.contains("IsViewable"));
        } finally {
            w.close();
        }
    }

    @Test
    void minAndMaxSizeBoundTheSizeAndCenterCentres() throws Exception {
        AppWindow w = open(b -> b);
        try {
            w.setMinSize(300, 250).get(20, TimeUnit.SECONDS);
            w.setMaxSize(500, 450).get(20, TimeUnit.SECONDS);
            List<Double> bounds = fx(w, s -> List.of(s.getMinWidth(), s.getMinHeight(), s.getMaxWidth(), s.getMaxHeight()));
            assertThat(bounds).containsExactly(300.0, 250.0, 500.0, 450.0);
            w.setSize(900, 900).get(20, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> fx(w, s -> s.getWidth() <= 500 && s.getHeight() <= 450));
            w.setSize(100, 100).get(20, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> fx(w, s -> s.getWidth() >= 300 && s.getHeight() >= 250));
            await().atMost(WAIT).until(() -> w.getSize().width() >= 300);
            assertThatThrownBy(() -> w.setMinSize(0, 10)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Minimum size must be positive, got 0x10");

            w.center().get(20, TimeUnit.SECONDS);
            var area = Fx.call(() -> Screen.getPrimary().getVisualBounds()).get();
            int[] expected = fx(w, s -> new int[] {
                    (int) Math.round(area.getMinX() + (area.getWidth() - s.getWidth()) / 2),
                    (int) Math.round(area.getMinY() + (area.getHeight() - s.getHeight()) / 2)});
            assertThat(w.getPosition()).isEqualTo(new Position(expected[0], expected[1]));
            await().atMost(WAIT).until(() -> fx(w, s -> Math.abs(s.getX() - expected[0]) <= 1 && Math.abs(s.getY() - expected[1]) <= 1));
        } finally {
            w.close();
        }
    }

    @Test
    void decorationsMoveThePageIntoAnUndecoratedWindowAndBack() throws Exception {
        AppWindow w = open(b -> b);
        EventStream events = w.events();
        try {
            String title = w.getTitle();
            assertThat(w.hasDecorations()).isTrue();
            await().atMost(WAIT).until(() -> frameExtents(title), f -> f.matches("(?s).*= [1-9].*")); // openbox draws a frame
            Pages.eval(w, "window.kept = 'still here'");
            w.setDecorations(false).get(20, TimeUnit.SECONDS);
            assertThat(w.hasDecorations()).isFalse();
            assertThat(fx(w, Stage::getStyle)).isEqualTo(StageStyle.UNDECORATED);
            await().atMost(WAIT).until(() -> frameExtents(title).contains("= 0, 0, 0, 0"));
            assertThat(Pages.eval(w, "window.kept")).as("the page kept running").isEqualTo("\"still here\"");
            // the page still talks to the host
            try (EventStream echoed = desktop.ipc().channelEvents("echoed")) {
                desktop.ipc().sendToWindow(w.id(), "echo", "after restyle").get(20, TimeUnit.SECONDS);
                assertThat(echoed.poll(WAIT).payload().asText()).isEqualTo("after restyle");
            }
            w.setDecorations(true).get(20, TimeUnit.SECONDS);
            assertThat(fx(w, Stage::getStyle)).isEqualTo(StageStyle.DECORATED);
            await().atMost(WAIT).until(() -> frameExtents(title), f -> f.matches("(?s).*= [1-9].*"));
            assertThat(stateEvents(events)).as("a new style is not a minimize, maximize or restore").isEmpty();
        } finally {
            events.close();
            w.close();
        }
        assertThat(Fx.call(() -> javafx.stage.Window.getWindows().stream()
                .filter(x -> x instanceof Stage s && w.getTitle().equals(s.getTitle())).count()).get())
                .as("no stage of the closed window is left showing").isZero();
    }

    @Test
    void undecoratedAndTransparentOptions() throws Exception {
        AppWindow plain = open(b -> b.decorations(false));
        AppWindow clear = open(b -> b.url("app://clear.html").transparent(true));
        try {
            assertThat(plain.hasDecorations()).isFalse();
            assertThat(fx(plain, Stage::getStyle)).isEqualTo(StageStyle.UNDECORATED);
            await().atMost(WAIT).until(() -> frameExtents(plain.getTitle()).contains("= 0, 0, 0, 0"));

            assertThat(clear.isTransparent()).isTrue();
            assertThat(clear.hasDecorations()).isFalse();
            assertThat(fx(clear, Stage::getStyle)).isEqualTo(StageStyle.TRANSPARENT);
            await().atMost(WAIT).until(() -> {
                Automation.Image image = Fx.call(() -> Automation.pixels(((WebViewWindow) clear).stage().getScene())).get();
                int dot = image.argb()[10 * image.width() + 10];
                int empty = image.argb()[200 * image.width() + 200];
                return dot == 0xFFFF0000 && (empty >>> 24) == 0;
            });
            assertThatThrownBy(() -> clear.setDecorations(true).get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(KilnException.class)
                    .hasMessage("[7000] Window " + clear.id() + " is transparent: a transparent window cannot have decorations");
        } finally {
            plain.close();
            clear.close();
        }
    }

    @Test
    void evalJsAndInjectCss() throws Exception {
        AppWindow w = open(b -> b);
        try {
            assertThat(w.evalJs("document.title + ':' + (20 + 22)").get(20, TimeUnit.SECONDS)).isEqualTo("\"echo:42\"");
            assertThat(w.evalJs("undefined").get(20, TimeUnit.SECONDS)).isEqualTo("null");
            assertThatThrownBy(() -> w.evalJs("throw new TypeError('bad thing')").get(20, TimeUnit.SECONDS))
                    .cause().isInstanceOf(KilnException.class).hasMessageStartingWith("[7009] Script failed in window " + w.id())
                    .hasMessageContaining("bad thing");
            w.injectCss("#out { color: rgb(1, 2, 3); }").get(20, TimeUnit.SECONDS);
            assertThat(Pages.eval(w, "getComputedStyle(document.getElementById('out')).color")).isEqualTo("\"rgb(1, 2, 3)\"");
        } finally {
            w.close();
        }
        assertThatThrownBy(() -> w.evalJs("1").get(20, TimeUnit.SECONDS))
                .cause().isInstanceOf(KilnException.class).hasMessage("[7002] Window not found: " + w.id() + " (it was closed)");
    }

    @Test
    void callbacksUntilUnsubscribedAndCloseAnswers() throws Exception {
        AppWindow w = open(b -> b);
        AppWindow other = open(b -> b);
        List<String> seen = new CopyOnWriteArrayList<>();
        Subscription focus = w.onFocus(() -> seen.add("focus"));
        Subscription blur = w.onBlur(() -> seen.add("blur"));
        Subscription resize = w.onResize(s -> seen.add("resize " + s.width() + "x" + s.height()));
        Subscription move = w.onMove(p -> seen.add("move"));
        Subscription close = w.onClose(() -> seen.add("close"));
        other.onResize(s -> seen.add("other resize")); // another window's events do not reach w's callbacks
        try {
            w.focus().get(20, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> seen.contains("focus") || w.isFocused());
            other.focus().get(20, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> seen.contains("blur"));
            w.setSize(410, 320).get(20, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> seen.contains("resize 410x320"));
            w.setPosition(150, 160).get(20, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> seen.contains("move"));
            resize.unsubscribe();
            w.setSize(420, 330).get(20, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> w.getSize().equals(new Size(420, 330)));
            assertThat(w.close().get(20, TimeUnit.SECONDS)).as("close() closed it").isTrue();
            await().atMost(WAIT).until(() -> seen.contains("close"));
            assertThat(seen).doesNotContain("resize 420x330", "other resize");
            assertThat(w.close().get(20, TimeUnit.SECONDS)).as("already closed").isFalse();
            assertThat(desktop.closeWindow(w.id()).get(20, TimeUnit.SECONDS)).isFalse();
            assertThat(desktop.closeWindow(other.id()).get(20, TimeUnit.SECONDS)).isTrue();
            assertThat(other.isClosed()).isTrue();
        } finally {
            List.of(focus, blur, move, close).forEach(Subscription::unsubscribe);
            other.close();
        }
    }

    @Test
    void monitorsAreTheXScreen() throws Exception {
        List<Monitor> monitors = desktop.monitors().get(20, TimeUnit.SECONDS);
        assertThat(monitors).hasSize(1);
        Monitor m = monitors.get(0);
        assertThat(m.id()).isEqualTo("screen-0");
        assertThat(m.primary()).isTrue();
        assertThat(m.position()).isEqualTo(new Position(0, 0));
        int[] screen = screenSize();
        assertThat(m.size().width() + " " + m.size().height()).isEqualTo(screen[0] + " " + screen[1]);
        assertThat(m.scaleFactor()).isEqualTo(1.0);
        assertThat(m.workArea().width()).isPositive().isLessThanOrEqualTo(m.size().width());
    }

    // ---- helpers ----

    /** The X display's width and height, as the X server reports them. */
    private static int[] screenSize() throws IOException, InterruptedException {
        String[] wh = run("xdotool", "getdisplaygeometry").trim().split("\\s+");
        return new int[] {Integer.parseInt(wh[0]), Integer.parseInt(wh[1])};
    }

    private static IpcEvent next(EventStream events, EventType type) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            IpcEvent e = events.poll(Duration.ofSeconds(1));
            if (e != null && e.type() == type) {
                assertThat(e.channel()).as("a system event's channel is its type").isEqualTo(type.wireName());
                return e;
            }
        }
        throw new AssertionError("No " + type + " event within " + WAIT);
    }

    /** The minimize, maximize and restore events the stream has now (after a quiet second). */
    private static List<String> stateEvents(EventStream events) throws InterruptedException {
        List<String> found = new java.util.ArrayList<>();
        IpcEvent e;
        while ((e = events.poll(Duration.ofSeconds(1))) != null) {
            if (e.type() == EventType.MINIMIZE || e.type() == EventType.MAXIMIZE || e.type() == EventType.RESTORE) {
                found.add(e.type().wireName());
            }
        }
        return found;
    }

    private static <T> T fx(AppWindow w, Function<Stage, T> read) throws Exception {
        return Fx.call(() -> read.apply(((WebViewWindow) w).stage())).get(20, TimeUnit.SECONDS);
    }

    /** The X window of the client with that exact title (the newest, after a restyle), or null. */
    private static String xWindow(String title) throws IOException, InterruptedException {
        String out = run("xdotool", "search", "--name", "^" + title + "$").trim();
        return out.isEmpty() ? null : out.lines().reduce((a, b) -> b).orElseThrow();
    }

    private static String netWmState(AppWindow w) throws IOException, InterruptedException {
        return run("xprop", "-id", xWindow(w.getTitle()), "_NET_WM_STATE");
    }

    private static String sizeHints(AppWindow w) throws IOException, InterruptedException {
        return run("xprop", "-id", xWindow(w.getTitle()), "WM_NORMAL_HINTS");
    }

    private static String frameExtents(String title) throws IOException, InterruptedException {
        String id = xWindow(title);
        return id == null ? "" : run("xprop", "-id", id, "_NET_FRAME_EXTENTS");
    }

    /** The X window's size, {width, height}, as xdotool reports it. */
    private static int[] xGeometry(AppWindow w) throws IOException, InterruptedException {
        String out = run("xdotool", "getwindowgeometry", xWindow(w.getTitle()));
        String[] size = out.replaceAll("(?s).*Geometry: (\\d+)x(\\d+).*", "$1 $2").trim().split(" ");
        return new int[] {Integer.parseInt(size[0]), Integer.parseInt(size[1])};
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
